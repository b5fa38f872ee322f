// TenantMigrator on MariaDB / MySQL in one include: the core, the MariaDB
// adapter, and the common composition as an alias. Tenants are databases
// (DatabasePerTenant): a MySQL "schema" is a database, so SchemaPerTenant with
// MariadbAdapter does not compile (it has no capability::schemas).
//
//   tenant_migrator::MariadbMigrator<> migrator(tenant_migrator::FreshConnectionPerTenant(adapter), {}, options);
#pragma once

#include "adapters/mariadb.hpp"
#include "tenant_migrator.hpp"

namespace tenant_migrator {

// A fresh connection per tenant database.
template <class Reporter = ConsoleReporter>
using MariadbMigrator = TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<MariadbAdapter>, Reporter>;

}  // namespace tenant_migrator
