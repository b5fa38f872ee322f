// Migrations compiled into the binary: no migrations folder to ship or lose.
// The list is constexpr, so a duplicate name, an unknown dependency or a
// dependency cycle stops the build with a static_assert saying which
// (tests/compile_fail/embedded_*.cpp show the messages).
//
// The program migrates two SQLite tenants it creates in a temporary folder.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>

#include <tenant_migrator/sqlite.hpp>

namespace tmig = tenant_migrator;

// {app, name, sql, depends}: as files <app>/<name>.sql with a `-- depends:` line.
inline constexpr tmig::embedded_migration app_migrations[] = {
    {"users", "0001_initial", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"},
    {"users", "0002_add_email", "ALTER TABLE users ADD COLUMN email TEXT;"},
    {"billing", "0001_initial",
     "CREATE TABLE invoices (\n"
     "  id INTEGER PRIMARY KEY,\n"
     "  user_id INTEGER NOT NULL REFERENCES users (id),\n"
     "  total_cents INTEGER NOT NULL\n"
     ");",
     "users/0001_initial"},
};

namespace {

std::filesystem::path make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "embedded_migrations_XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary folder");
  return pattern;
}

}  // namespace

int main() {
  // Checked while compiling; at run time only turned into a migration_set.
  const tmig::migration_set migrations = tmig::make_embedded_migration_set<app_migrations>();
  std::cout << "Embedded migrations, in the order they apply:\n";
  for (const auto& m : migrations.ordered())
    std::cout << "  " << m.file() << "  sha256 " << m.checksum.substr(0, 12) << '\n';
  std::cout << '\n';

  const auto dir = make_temp_dir();
  tmig::SqliteAdapter adapter;
  const auto master = (dir / "master.db").string();
  tmig::SqlCatalog catalog(adapter.connect_or_create(master));
  catalog.ensure_table();
  for (const char* id : {"acme", "globex"}) {
    tmig::tenant t = tmig::tenant::database(id, std::string(id) + ".db", id);
    catalog.add_tenant(t);
    adapter.create_database(adapter.tenant_database_location(master, t.location));
  }

  tmig::SqliteMigrator<>
      migrator({}, tmig::ConsoleReporter(std::cout, tmig::console_style{}), {.master_location = master});
  auto summary = migrator.migrate_all(catalog, migrations);

  std::filesystem::remove_all(dir);
  return summary.all_succeeded() ? 0 : 1;
}
