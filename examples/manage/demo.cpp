#include "demo.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/adapters/sqlite.hpp>

#include "common/exit_status.hpp"

namespace manage {

namespace {

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw tenant_migrator::usage_error("cannot write '" + path.string() + "'");
}

// Creates DIR/master.db, DIR/{acme,dev,globex}.db and DIR/migrations/, replacing
// an earlier demo in DIR. Returns nothing; throws usage_error on I/O problems.
void create_demo(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  using namespace tenant_migrator;
  fs::create_directories(dir);
  SqliteAdapter adapter;
  for (const char* file : {"master.db", "acme.db", "globex.db", "dev.db"})
    adapter.drop_database((dir / file).string());
  fs::remove_all(dir / "migrations");

  write_text(dir / "migrations/users/0001_initial.sql",
             "-- The people who sign in to a tenant.\n"
             "CREATE TABLE users (\n"
             "  id INTEGER PRIMARY KEY,\n"
             "  username TEXT NOT NULL UNIQUE,\n"
             "  email TEXT\n"
             ");\n");
  write_text(dir / "migrations/users/0001_initial.down.sql", "DROP TABLE users;\n");
  write_text(dir / "migrations/users/0002_alter_user_email.sql",
             "-- One account per email address.\n"
             "CREATE UNIQUE INDEX users_email_unique ON users (email);\n");
  write_text(dir / "migrations/users/0002_alter_user_email.down.sql", "DROP INDEX users_email_unique;\n");
  write_text(dir / "migrations/products/0001_initial.sql",
             "-- depends: users/0001_initial\n"
             "CREATE TABLE products (\n"
             "  id INTEGER PRIMARY KEY,\n"
             "  name TEXT NOT NULL,\n"
             "  price_cents INTEGER NOT NULL DEFAULT 0,\n"
             "  owner_id INTEGER REFERENCES users (id)\n"
             ");\n");
  write_text(dir / "migrations/products/0001_initial.down.sql", "DROP TABLE products;\n");

  auto master = (dir / "master.db").string();
  SqlCatalog catalog(adapter.connect_or_create(master));
  catalog.ensure_table();
  for (auto [id, name] : {std::pair{"acme", "Acme Corporation"}, std::pair{"globex", "Globex Inc."},
                          std::pair{"dev", "Development"}}) {
    tenant t{id, name, isolation_kind::database, std::string(id) + ".db", tenant_status::active, {}};
    adapter.create_database(adapter.tenant_database_location(master, t.location));
    catalog.add_tenant(t);
  }
}

}  // namespace

void demo_command::declare(CLI::App& c) {
  c.add_option("dir", dir, "Folder for the demo (its earlier demo files are replaced)")->required();
}

int demo_command::run() {
  create_demo(dir);
  std::cout << "Demo created in " << dir << ": master.db with tenants acme, dev, globex; migrations/.\n"
            << "Run: manage migratealltenants --master sqlite:" << dir << "/master.db --migrations " << dir
            << "/migrations\n";
  return code(exit_status::ok);
}

std::unique_ptr<command> add_demo(CLI::App& manage) {
  return make_command<demo_command>(manage, "demo",
                                    "Create a fresh demo master, three SQLite tenants and a migration set in DIR");
}

}  // namespace manage
