// TenantMigrator on PostgreSQL in one include: the core, the PostgreSQL
// adapter, and the common compositions as aliases. Tenants are schemas or
// databases, as each tenant row says (PerTenantIsolation).
//
//   tenant_migrator::PostgresqlMigrator<> migrator(tenant_migrator::FreshConnectionPerTenant(adapter), {}, options);
#pragma once

#include "adapters/postgresql.hpp"
#include "tenant_migrator.hpp"

namespace tenant_migrator {

// A fresh connection per tenant.
template <class Reporter = ConsoleReporter>
using PostgresqlMigrator = TenantMigrator<PerTenantIsolation, FreshConnectionPerTenant<PostgresqlAdapter>, Reporter>;

// One connection per server, reused across tenants (the session is reset between them).
template <class Reporter = ConsoleReporter>
using PostgresqlReusingMigrator =
    TenantMigrator<PerTenantIsolation, ReuseConnectionPerServer<PostgresqlAdapter>, Reporter>;

}  // namespace tenant_migrator
