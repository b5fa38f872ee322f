// The program every consumer project builds (tests/consumers/*/CMakeLists.txt):
// a SQLite master made on the fly, one tenant, a one-file migration folder.
// Prints "consumer ok: ..." and exits 0 only when the tenant was migrated.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/adapters/sqlite.hpp>

namespace tmig = tenant_migrator;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: consumer WORK_DIR\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "migrations/notes");
  std::ofstream(dir / "migrations/notes/0001_initial.sql") << "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n";

  tmig::SqliteAdapter adapter;
  const auto master = (dir / "master.db").string();
  tmig::SqlCatalog catalog(adapter.connect_or_create(master));
  catalog.ensure_table();
  const tmig::tenant acme{"acme", "Acme", tmig::isolation_kind::database, "acme.db", tmig::tenant_status::active, {}};
  catalog.add_tenant(acme);
  adapter.create_database(adapter.tenant_database_location(master, acme.location));

  tmig::TenantMigrator<tmig::DatabasePerTenant, tmig::FreshConnectionPerTenant<tmig::SqliteAdapter>, tmig::ConsoleReporter>
      migrator({}, tmig::ConsoleReporter(std::cout, tmig::console_style{}), {.master_location = master});
  const auto summary = migrator.migrate_all(catalog, tmig::load_migration_directory(dir / "migrations"));

  auto tenant_db = adapter.connect(adapter.tenant_database_location(master, acme.location));
  const auto notes = tenant_db.query("SELECT count(*) FROM notes", {});  // throws if the table is missing
  if (!summary.all_succeeded() || summary.tenants.size() != 1 || summary.tenants[0].applied != 1 || notes.size() != 1) {
    std::cerr << "consumer FAILED: the tenant was not migrated\n";
    return 1;
  }
  std::cout << "consumer ok: tenant acme migrated (" << summary.tenants[0].applied << " applied) with TenantMigrator "
            << tmig::version_string << '\n';
  return 0;
}
