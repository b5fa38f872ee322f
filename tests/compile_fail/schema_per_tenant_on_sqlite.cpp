// Must not compile: SQLite has no schemas, so SchemaPerTenant cannot use it.
#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/adapters/sqlite.hpp>

int main() {
  using namespace tenant_migrator;
  TenantMigrator<SchemaPerTenant, FreshConnectionPerTenant<SqliteAdapter>, NullReporter> migrator;
  (void)migrator;
}
