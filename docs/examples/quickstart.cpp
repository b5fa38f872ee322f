// The library in a few lines: migrate every tenant of a SQLite master.
// Usage: quickstart MASTER_DB MIGRATIONS_DIR  (e.g. after `manage demo demo`)
#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/adapters/sqlite.hpp>

namespace tmig = tenant_migrator;

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const std::string master = argv[1];
  tmig::SqliteAdapter adapter;
  tmig::SqlCatalog catalog(adapter.connect(master));
  auto migrations = tmig::load_migration_directory(argv[2]);

  using Migrator = tmig::TenantMigrator<tmig::PerTenantIsolation,
                                        tmig::FreshConnectionPerTenant<tmig::SqliteAdapter>,
                                        tmig::ConsoleReporter>;
  Migrator migrator(tmig::FreshConnectionPerTenant<tmig::SqliteAdapter>(adapter),
                    tmig::ConsoleReporter(std::cout, tmig::console_style::detect()),
                    {.master_location = master});
  auto summary = migrator.migrate_all(catalog, migrations);
  return summary.all_succeeded() ? 0 : 1;
}
