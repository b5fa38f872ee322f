// TenantMigrator on SQLite in one include: the core, the SQLite adapter, and
// the common composition as an alias (tenants are database files).
//
//   tenant_migrator::SqliteMigrator<> migrator({}, {}, {.master_location = "master.db"});
#pragma once

#include "adapters/sqlite.hpp"
#include "tenant_migrator.hpp"

namespace tenant_migrator {

template <class Reporter = ConsoleReporter>
using SqliteMigrator = TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<SqliteAdapter>, Reporter>;

}  // namespace tenant_migrator
