// The library in a few lines: migrate every tenant of a SQLite master.
// Usage: quickstart MASTER_DB MIGRATIONS_DIR  (e.g. after `manage demo demo`)
#include <iostream>

#include <tenant_migrator/sqlite.hpp>

namespace tmig = tenant_migrator;

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const std::string master = argv[1];
  tmig::SqlCatalog catalog(tmig::SqliteAdapter{}.connect(master));
  auto migrations = tmig::load_migration_directory(argv[2]);

  // TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<SqliteAdapter>, ConsoleReporter>
  tmig::SqliteMigrator<> migrator({}, tmig::ConsoleReporter(std::cout, tmig::console_style::detect()),
                                  {.master_location = master});
  auto summary = migrator.migrate_all(catalog, migrations);
  return summary.all_succeeded() ? 0 : 1;
}
