// Schema and database tenants of a PostgreSQL master in one run, with one
// connection per server reused across tenants and public on the search path.
// Usage: postgresql MASTER_CONNINFO MIGRATIONS_DIR
#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/adapters/postgresql.hpp>

namespace tmig = tenant_migrator;

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const std::string master = argv[1];  // e.g. postgresql://app@db.internal:5432/main
  tmig::PostgresqlAdapter adapter(master, {.include_public_in_search_path = true});
  tmig::SqlCatalog catalog(adapter.connect(master));
  auto migrations = tmig::load_migration_directory(argv[2]);

  using Connections = tmig::ReuseConnectionPerServer<tmig::PostgresqlAdapter>;
  tmig::TenantMigrator<tmig::PerTenantIsolation, Connections, tmig::LogReporter> migrator(
      Connections(adapter), tmig::LogReporter(std::cout),
      {.master_location = master, .lock_wait = std::chrono::seconds(30), .lock_timeout = std::chrono::seconds(5)});
  return migrator.migrate_all(catalog, migrations).all_succeeded() ? 0 : 1;
}
