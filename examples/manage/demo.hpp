// `manage demo DIR`: a fresh demo master with three SQLite tenants and a small
// migration set, to try migratealltenants on. Built on the public API only.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/adapters/sqlite.hpp>

namespace manage {

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw tenant_migrator::usage_error("cannot write '" + path.string() + "'");
}

// Creates DIR/master.db, DIR/{acme,dev,globex}.db and DIR/migrations/, replacing
// an earlier demo in DIR. Returns nothing; throws usage_error on I/O problems.
inline void create_demo(const std::filesystem::path& dir) {
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

}  // namespace manage
