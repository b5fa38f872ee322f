// Other tools' migration folders read in place (migrations/layouts.hpp):
// golang-migrate, Flyway (with repeatable migrations re-applied when they
// change), dbmate, gobuffalo pop; versions beyond 9999; detection and mixed
// folders. Each folder is written in its tool's own conventions.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <tenant_migrator/migrations/layouts.hpp>
#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/adapters/sqlite.hpp>

#include "support/fake_adapter.hpp"
#include "support/files.hpp"

using namespace tenant_migrator;
using test_support::temp_dir;
using test_support::write_file;

namespace {

std::vector<std::string> order_of(const migration_set& set) {
  std::vector<std::string> out;
  for (const auto& m : set.ordered()) out.push_back(m.key().str());
  return out;
}

// Every problem of loading `dir` as "file: message", or nothing when it loads.
std::vector<std::string> problems_of(const std::filesystem::path& dir, layout_options options = {}) {
  try {
    load_migrations(dir, options);
  } catch (const migration_set_error& e) {
    std::vector<std::string> out;
    for (const auto& p : e.problems()) out.push_back(p.file + ": " + p.message);
    return out;
  }
  return {};
}

const migration& find(const migration_set& set, const std::string& app, const std::string& name) {
  const migration* m = set.find({app, name});
  REQUIRE_MESSAGE(m, (app + "/" + name));
  return *m;
}

}  // namespace

TEST_CASE("golang-migrate: up and down files, one app named after the folder, in numeric version order") {
  temp_dir d;
  auto dir = d / "accounts";
  write_file(dir / "1_create_users.up.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
  write_file(dir / "1_create_users.down.sql", "DROP TABLE users;\n");
  write_file(dir / "2_add_email.up.sql", "ALTER TABLE users ADD COLUMN email TEXT;\n");
  write_file(dir / "10_add_index.up.sql", "CREATE INDEX users_email ON users (email);\n");
  write_file(dir / "README.md", "not a migration");

  auto set = load_migrations(dir, {.layout = migration_layout::golang_migrate});
  // 2 before 10: versions are numbers, not strings.
  CHECK(order_of(set) ==
        std::vector<std::string>{"accounts/1_create_users", "accounts/2_add_email", "accounts/10_add_index"});
  const auto& first = find(set, "accounts", "1_create_users");
  CHECK(first.down_sql == "DROP TABLE users;\n");
  CHECK(first.file() == "accounts/1_create_users.up.sql");
  CHECK(first.down_file() == "accounts/1_create_users.down.sql");
  // A history that skips a version names the files as they are.
  CHECK(verify_history(set, {{{"accounts", "2_add_email"}, find(set, "accounts", "2_add_email").checksum, "t", 1}}) ==
        "accounts/2_add_email.up.sql is recorded as applied but its dependency accounts/1_create_users.up.sql is not");
  CHECK_FALSE(find(set, "accounts", "2_add_email").down_sql);
  // A given app name wins over the folder's.
  CHECK(order_of(load_migrations(dir, {.layout = migration_layout::golang_migrate, .app = "crm"})).front() ==
        "crm/1_create_users");

  SUBCASE("bad names and a lone down file are named") {
    write_file(dir / "3-broken.up.sql", "SELECT 1;");
    write_file(dir / "7_gone.down.sql", "SELECT 1;");
    write_file(dir / "4_empty.up.sql", "-- nothing yet\n");
    auto p = problems_of(dir, {.layout = migration_layout::golang_migrate});
    CHECK(p == std::vector<std::string>{
                   "accounts/3-broken.up.sql: badly named golang-migrate file: expected {version}_{title}.up.sql or "
                   "{version}_{title}.down.sql (version: 1 to 18 digits)",
                   "accounts/4_empty.up.sql: empty migration: the file holds no SQL",
                   "accounts/7_gone.down.sql: has no up migration of version 7"});
  }
  SUBCASE("two up files of one version conflict") {
    write_file(dir / "2_other.up.sql", "SELECT 1;");
    CHECK(problems_of(dir) == std::vector<std::string>{"accounts/2_other.up.sql: Conflicting migrations in app "
                                                       "'accounts': 2_add_email, 2_other"});
  }
}

TEST_CASE("versions beyond 9999: timestamps and long numbers order numerically, ours included") {
  SUBCASE("our layout: four or more digits, no ceiling at 9999") {
    temp_dir d;
    write_file(d / "users/0001_initial.sql", "SELECT 1;");
    write_file(d / "users/9999_last_small.sql", "SELECT 2;");
    write_file(d / "users/10000_past_the_ceiling.sql", "SELECT 3;");
    write_file(d / "users/20240115093000_timestamped.sql", "SELECT 4;");
    auto set = load_migrations(d.path());
    CHECK(order_of(set) == std::vector<std::string>{"users/0001_initial", "users/9999_last_small",
                                                    "users/10000_past_the_ceiling", "users/20240115093000_timestamped"});
    CHECK(find(set, "users", "20240115093000_timestamped").number == 20240115093000);
    // The same number spelt with more zeros is the same version.
    write_file(d / "users/00001_again.sql", "SELECT 5;");
    CHECK(problems_of(d.path()) ==
          std::vector<std::string>{"users/0001_initial.sql: Conflicting migrations in app 'users': 00001_again, "
                                   "0001_initial"});
  }
  SUBCASE("makemigration goes on past 9999") {
    temp_dir d;
    write_file(d / "users/9999_x.sql", "SELECT 1;");
    CHECK(write_new_migration(d.path(), "users", "next") == (d / "users/10000_next.sql").string());
  }
  SUBCASE("golang-migrate timestamps next to a small counter") {
    temp_dir d;
    auto dir = d / "app";
    write_file(dir / "20240115093000_b.up.sql", "SELECT 1;");
    write_file(dir / "20231231235959_a.up.sql", "SELECT 2;");
    write_file(dir / "9_first.up.sql", "SELECT 3;");
    CHECK(order_of(load_migrations(dir)) ==
          std::vector<std::string>{"app/9_first", "app/20231231235959_a", "app/20240115093000_b"});
    write_file(dir / "1234567890123456789_too_long.up.sql", "SELECT 4;");  // 19 digits: not a 64-bit version
    CHECK(problems_of(dir).size() == 1);
  }
}

TEST_CASE("Flyway: dotted versions compared per part, undo files, repeatable migrations last") {
  temp_dir d;
  auto dir = d / "shop";
  write_file(dir / "V1__create_orders.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY);\n");
  write_file(dir / "V1.1__add_total.sql", "ALTER TABLE orders ADD COLUMN total INTEGER;\n");
  write_file(dir / "U1.1__add_total.sql", "ALTER TABLE orders DROP COLUMN total;\n");
  write_file(dir / "V1.10__add_note.sql", "ALTER TABLE orders ADD COLUMN note TEXT;\n");
  write_file(dir / "V2__Add index.sql", "CREATE INDEX orders_total ON orders (total);\n");
  write_file(dir / "R__order_totals.sql", "DROP VIEW IF EXISTS order_totals;\nCREATE VIEW order_totals AS "
                                          "SELECT sum(total) AS total FROM orders;\n");
  write_file(dir / "V1__create_orders.sql.conf", "executeInTransaction=true\n");

  auto found = detect_migration_layout(dir);
  CHECK(found.layout == migration_layout::flyway);
  CHECK(found.reason == "flyway: 6 files like R__order_totals.sql");
  auto set = load_migrations(dir);
  // 1.1 < 1.10 < 2 (not string order); the repeatable one after every versioned one.
  CHECK(order_of(set) == std::vector<std::string>{"shop/V1__create_orders", "shop/V1.1__add_total",
                                                  "shop/V1.10__add_note", "shop/V2__Add index", "shop/R__order_totals"});
  const auto& total = find(set, "shop", "V1.1__add_total");
  CHECK(total.down_sql == "ALTER TABLE orders DROP COLUMN total;\n");
  CHECK(total.down_file() == "shop/U1.1__add_total.sql");
  CHECK(total.version.str() == "1.1");
  CHECK(find(set, "shop", "R__order_totals").repeatable);
  CHECK_FALSE(total.repeatable);

  SUBCASE("1 and 1.0 are one version") {
    write_file(dir / "V1.0__again.sql", "SELECT 1;");
    CHECK(problems_of(dir) == std::vector<std::string>{"shop/V1__create_orders.sql: Conflicting migrations in app "
                                                       "'shop': V1.0__again, V1__create_orders"});
  }
  SUBCASE("an undo file without its version, and bad names, are named") {
    write_file(dir / "U3__nothing.sql", "SELECT 1;");
    write_file(dir / "V3_single_underscore.sql", "SELECT 1;");
    write_file(dir / "R1__versioned_repeatable.sql", "SELECT 1;");
    auto p = problems_of(dir, {.layout = migration_layout::flyway});
    REQUIRE(p.size() == 3);
    CHECK(p[0].rfind("shop/R1__versioned_repeatable.sql: badly named Flyway file: expected V{version}__", 0) == 0);
    CHECK(p[1].rfind("shop/V3_single_underscore.sql: badly named Flyway file", 0) == 0);
    CHECK(p[2] == "shop/U3__nothing.sql: has no versioned migration V3");
  }
}

TEST_CASE("a changed repeatable migration is due again: planned after the versioned ones, its row updated") {
  temp_dir d;
  auto dir = d / "shop";
  write_file(dir / "V1__create.sql", "CREATE orders");
  write_file(dir / "R__view.sql", "VIEW one");
  auto set = load_migrations(dir);
  test_support::FakeAdapter adapter;
  (*adapter.databases)["acme"] = std::make_shared<test_support::fake_database>();
  auto& db = *(*adapter.databases)["acme"];
  TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<test_support::FakeAdapter>, NullReporter> migrator{
      FreshConnectionPerTenant<test_support::FakeAdapter>(adapter)};
  const auto acme = tenant::database("acme", "acme");

  CHECK(migrator.migrate_tenant(acme, set).applied == 2);
  CHECK(db.scripts == std::vector<std::string>{"CREATE orders", "VIEW one"});
  CHECK(migrator.migrate_tenant(acme, set).outcome == tenant_outcome::up_to_date);

  // Changed, plus a new versioned migration: that one first, then the repeatable one again.
  write_file(dir / "R__view.sql", "VIEW two");
  write_file(dir / "V2__more.sql", "ALTER orders");
  auto changed = load_migrations(dir);
  std::vector<applied_migration> history;
  for (const auto& row : db.history) history.push_back({{row[0], row[1]}, row[2], row[3], 0});
  CHECK(verify_history(changed, history).empty());  // not "changed after it was applied"
  // showmigrations' view: due again, not a changed file.
  auto state = migrator.inspect_tenant(acme, changed);
  CHECK(state.pending() == 2);
  REQUIRE(state.migrations.size() == 3);
  CHECK(state.migrations[2].file() == "shop/R__view.sql");
  CHECK(state.migrations[2].due_again);
  CHECK(state.migrations[2].checksum_ok);
  CHECK_FALSE(state.migrations[0].due_again);
  auto steps = make_plan(changed, history);
  REQUIRE(steps.size() == 2);
  CHECK(steps[0].what->name == "V2__more");
  CHECK_FALSE(steps[0].reapply);
  CHECK(steps[1].what->name == "R__view");
  CHECK(steps[1].reapply);
  // The same for a plan of the app alone.
  CHECK(make_plan(changed, history, {"shop", std::nullopt}).size() == 2);

  CHECK(migrator.migrate_tenant(acme, changed).applied == 2);
  CHECK(db.scripts == std::vector<std::string>{"CREATE orders", "VIEW one", "ALTER orders", "VIEW two"});
  // One row for the repeatable migration, with the new checksum.
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : db.history)
    if (row[1] == "R__view") rows.push_back(row);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0][2] == find(changed, "shop", "R__view").checksum);
  CHECK(migrator.migrate_tenant(acme, changed).outcome == tenant_outcome::up_to_date);

  SUBCASE("backwards moves leave repeatable migrations, which cannot be a target") {
    auto back = migrator.migrate_tenant(acme, changed, {"shop", "zero"});
    CHECK(back.outcome == tenant_outcome::failed);  // V2 and V1 have no undo file
    CHECK(back.error == "cannot unapply shop/V2__more.sql: shop/U2__more.sql does not exist");
    CHECK_THROWS_WITH_AS(make_plan(changed, {}, {"shop", "R__view"}),
                         "migration 'shop/R__view' is repeatable: it cannot be a target", usage_error);
    std::vector<applied_migration> all;
    for (const auto& row : db.history) all.push_back({{row[0], row[1]}, row[2], row[3], 0});
    auto fake = make_plan(changed, all, {"shop", "zero"}, /*need_down_files=*/false);
    REQUIRE(fake.size() == 2);
    CHECK(fake[0].what->name == "V2__more");
    CHECK(fake[1].what->name == "V1__create");
  }
}

namespace {
using SqliteTenantMigrator = TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<SqliteAdapter>, NullReporter>;

std::vector<std::string> column_names(SqliteAdapter& adapter, const std::string& db, const std::string& table) {
  std::vector<std::string> out;
  for (auto& r : adapter.connect(db).query("SELECT name FROM pragma_table_info('" + table + "')", {}))
    out.push_back(*r[0]);
  return out;
}
}  // namespace

TEST_CASE("SQLite: a Flyway repeatable migration changed between runs is re-applied on the tenant") {
  temp_dir d;
  auto dir = d / "shop";
  SqliteAdapter adapter;
  std::string db = (d / "acme.db").string();
  adapter.create_database(db);
  const auto acme = tenant::database("acme", db);
  SqliteTenantMigrator migrator{FreshConnectionPerTenant<SqliteAdapter>(adapter)};

  write_file(dir / "V1__create_orders.sql", "CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER);\n");
  write_file(dir / "R__order_view.sql",
             "DROP VIEW IF EXISTS order_view;\nCREATE VIEW order_view AS SELECT id FROM orders;\n");
  CHECK(migrator.migrate_tenant(acme, load_migrations(dir)).applied == 2);
  CHECK(column_names(adapter, db, "order_view") == std::vector<std::string>{"id"});

  write_file(dir / "R__order_view.sql",
             "DROP VIEW IF EXISTS order_view;\nCREATE VIEW order_view AS SELECT id, total FROM orders;\n");
  auto changed = load_migrations(dir);
  auto again = migrator.migrate_tenant(acme, changed);
  CHECK(again.outcome == tenant_outcome::migrated);
  CHECK(again.applied == 1);
  CHECK(column_names(adapter, db, "order_view") == std::vector<std::string>{"id", "total"});
  auto rows = adapter.connect(db).query(
      "SELECT checksum FROM tenant_migrator_history WHERE app = 'shop' AND name = 'R__order_view'", {});
  REQUIRE(rows.size() == 1);
  CHECK(*rows[0][0] == find(changed, "shop", "R__order_view").checksum);
  CHECK(migrator.migrate_tenant(acme, changed).outcome == tenant_outcome::up_to_date);
}

TEST_CASE("dbmate: up and down sections in one file, transaction:false on the up line") {
  temp_dir d;
  auto dir = d / "db";
  write_file(dir / "20240115093000_create_users.sql",
             "-- migrate:up\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE users;\n");
  write_file(dir / "20240116000000_vacuum.sql", "-- migrate:up transaction:false\nVACUUM;\n\n-- migrate:down\n");
  write_file(dir / "schema.txt", "dbmate's schema dump is not read");

  CHECK(detect_migration_layout(dir).layout == migration_layout::dbmate);
  auto set = load_migrations(dir);
  CHECK(order_of(set) == std::vector<std::string>{"db/20240115093000_create_users", "db/20240116000000_vacuum"});
  const auto& users = find(set, "db", "20240115093000_create_users");
  CHECK(users.sql == "CREATE TABLE users (id INTEGER PRIMARY KEY);\n\n");
  CHECK(users.down_sql == "DROP TABLE users;\n");
  CHECK(users.transactional);
  const auto& vacuum = find(set, "db", "20240116000000_vacuum");
  CHECK_FALSE(vacuum.transactional);
  CHECK_FALSE(vacuum.down_sql);  // an empty down section: nothing to unapply it with
  CHECK(vacuum.down_file() == "db/20240116000000_vacuum.sql (migrate:down)");

  // The checksum is the up section's: editing the down section is no change.
  auto checksum = users.checksum;
  write_file(dir / "20240115093000_create_users.sql",
             "-- migrate:up\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE IF EXISTS users;\n");
  CHECK(find(load_migrations(dir), "db", "20240115093000_create_users").checksum == checksum);

  // VACUUM fails inside a transaction on SQLite: applied, it proves transaction:false was honoured.
  SqliteAdapter adapter;
  std::string db = (d / "acme.db").string();
  adapter.create_database(db);
  SqliteTenantMigrator migrator{FreshConnectionPerTenant<SqliteAdapter>(adapter)};
  auto result = migrator.migrate_tenant(tenant::database("acme", db), load_migrations(dir));
  CHECK_MESSAGE(result.outcome == tenant_outcome::migrated, result.error);
  CHECK(result.applied == 2);

  SUBCASE("a file without its markers, or with an unknown option, is named") {
    write_file(dir / "20240117000000_plain.sql", "CREATE TABLE t (id INTEGER);\n");
    write_file(dir / "20240118000000_option.sql", "-- migrate:up transaction:maybe\nSELECT 1;\n");
    write_file(dir / "20240119000000_reversed.sql", "-- migrate:down\nSELECT 1;\n-- migrate:up\nSELECT 2;\n");
    CHECK(problems_of(dir) ==
          std::vector<std::string>{
              "db/20240117000000_plain.sql: SQL before '-- migrate:up'",
              "db/20240118000000_option.sql: unknown option 'transaction:maybe' on '-- migrate:up' (expected "
              "transaction:false or transaction:true)",
              "db/20240119000000_reversed.sql: '-- migrate:down' before '-- migrate:up'"});
  }
}

TEST_CASE("pop: the adapter's dialect file wins over the generic one; empty files are skipped") {
  temp_dir d;
  auto dir = d / "app";
  write_file(dir / "20240101000000_create_users.up.sql", "CREATE TABLE users (id SERIAL PRIMARY KEY);\n");
  write_file(dir / "20240101000000_create_users.sqlite3.up.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
  write_file(dir / "20240101000000_create_users.down.sql", "DROP TABLE users;\n");
  write_file(dir / "20240102000000_nothing_here.up.sql", "");  // fizz leaves these behind
  write_file(dir / "20240102000000_nothing_here.down.sql", "");
  write_file(dir / "20240103000000_add_email.up.sql", "ALTER TABLE users ADD COLUMN email TEXT;\n");
  write_file(dir / "20240103000000_add_email.sqlite3.down.sql", "  \n");  // empty: no way back on SQLite
  write_file(dir / "20240103000000_add_email.postgres.down.sql", "ALTER TABLE users DROP COLUMN email;\n");

  auto found = detect_migration_layout(dir);
  CHECK(found.layout == migration_layout::pop);

  auto sqlite = load_migrations(dir, {.dialect = "sqlite3"});
  CHECK(order_of(sqlite) == std::vector<std::string>{"app/20240101000000_create_users", "app/20240103000000_add_email"});
  const auto& users = find(sqlite, "app", "20240101000000_create_users");
  CHECK(users.sql == "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
  CHECK(users.file() == "app/20240101000000_create_users.sqlite3.up.sql");
  CHECK(users.down_sql == "DROP TABLE users;\n");  // no sqlite3 down file: the generic one
  CHECK_FALSE(find(sqlite, "app", "20240103000000_add_email").down_sql);

  auto postgres = load_migrations(dir, {.dialect = "postgres"});
  CHECK(find(postgres, "app", "20240101000000_create_users").sql == "CREATE TABLE users (id SERIAL PRIMARY KEY);\n");
  CHECK(find(postgres, "app", "20240103000000_add_email").down_file() ==
        "app/20240103000000_add_email.postgres.down.sql");
  // The same names, so a tenant's history means the same whichever dialect's file ran.
  CHECK(order_of(postgres) == order_of(sqlite));
  CHECK(layouts::pop_dialect_for_scheme("sqlite") == "sqlite3");
  CHECK(layouts::pop_dialect_for_scheme("postgresql") == "postgres");

  SUBCASE("dialect files need a dialect; fizz files are refused") {
    write_file(dir / "20240104000000_add_table.up.fizz", "create_table(\"widgets\") {}\n");
    CHECK(problems_of(dir, {.layout = migration_layout::pop}) ==
          std::vector<std::string>{
              "app/20240101000000_create_users.sqlite3.up.sql: a file for dialect 'sqlite3': say which dialect the "
              "tenants use (layout_options::dialect)",
              "app/20240103000000_add_email.postgres.down.sql: a file for dialect 'postgres': say which dialect the "
              "tenants use (layout_options::dialect)",
              "app/20240103000000_add_email.sqlite3.down.sql: a file for dialect 'sqlite3': say which dialect the "
              "tenants use (layout_options::dialect)",
              "app/20240104000000_add_table.up.fizz: fizz migrations are not read, only SQL ones: write it as "
              "20240104000000_add_table.up.sql"});
  }
}

TEST_CASE("detection says which layout and why; one folder with two layouts is refused, naming the files") {
  temp_dir d;
  SUBCASE("golang-migrate") {
    write_file(d / "m/1_a.up.sql", "SELECT 1;");
    write_file(d / "m/1_a.down.sql", "SELECT 1;");
    auto found = detect_migration_layout(d / "m");
    CHECK(found.layout == migration_layout::golang_migrate);
    CHECK(found.reason == "golang-migrate: 2 files like 1_a.down.sql (pop reads these names too: choose pop explicitly)");
    // The app is the folder's name, also written with a trailing slash.
    CHECK(order_of(load_migrations(d / "m/")) == std::vector<std::string>{"m/1_a"});
  }
  SUBCASE("ours: app sub-folders, or nothing another tool would read") {
    write_file(d / "m/users/0001_initial.sql", "SELECT 1;");
    write_file(d / "m/README.md", "hello");
    auto found = detect_migration_layout(d / "m");
    CHECK(found.layout == migration_layout::tenant_migrator);
    CHECK(found.reason == "tenant-migrator: app sub-folders (users/)");
    CHECK(order_of(load_migrations(d / "m")) == std::vector<std::string>{"users/0001_initial"});
    CHECK_THROWS_WITH_AS(load_migrations(d / "m", {.app = "crm"}),
                         "an app name ('crm') is for another tool's layout: in tenant-migrator's, the apps are the "
                         "sub-folders",
                         usage_error);
    std::filesystem::create_directories(d / "empty");
    CHECK(detect_migration_layout(d / "empty").layout == migration_layout::tenant_migrator);
  }
  SUBCASE("Flyway next to golang-migrate") {
    write_file(d / "m/V1__a.sql", "SELECT 1;");
    write_file(d / "m/2_b.up.sql", "SELECT 1;");
    CHECK(problems_of(d / "m") ==
          std::vector<std::string>{"2_b.up.sql: one folder mixes migration layouts: 2_b.up.sql (golang-migrate), "
                                   "V1__a.sql (flyway); keep one per folder"});
    // Also when the layout is given.
    CHECK(problems_of(d / "m", {.layout = migration_layout::flyway}).size() == 1);
  }
  SUBCASE("app sub-folders next to dbmate files") {
    write_file(d / "m/users/0001_initial.sql", "SELECT 1;");
    write_file(d / "m/20240101000000_x.sql", "-- migrate:up\nSELECT 1;");
    CHECK(problems_of(d / "m") ==
          std::vector<std::string>{"users/: one folder mixes migration layouts: users/ (tenant-migrator), "
                                   "20240101000000_x.sql (dbmate); keep one per folder"});
  }
  SUBCASE("the folder's name must be an app name, unless one is given") {
    write_file(d / "db-migrations/1_a.up.sql", "SELECT 1;");
    CHECK_THROWS_WITH_AS(load_migrations(d / "db-migrations"),
                         "the folder's name 'db-migrations' is not an app name (app folder name must match "
                         "[a-z][a-z0-9_]* (at most 63 characters)): give one",
                         usage_error);
    CHECK(order_of(load_migrations(d / "db-migrations/", {.app = "main"})) == std::vector<std::string>{"main/1_a"});
  }
  SUBCASE("layout names, as the CLI spells them") {
    for (auto layout : {migration_layout::tenant_migrator, migration_layout::golang_migrate, migration_layout::flyway,
                        migration_layout::dbmate, migration_layout::pop, migration_layout::detect})
      CHECK(parse_migration_layout(layout_name(layout)) == layout);
    CHECK_FALSE(parse_migration_layout("liquibase"));
  }
}

namespace {
// What script_for needs of a connection.
struct quoting_connection {
  std::string quote_identifier(std::string_view name) const { return detail::quote_sql_identifier(name); }
};
}  // namespace

TEST_CASE("placeholders: opt-in per file, replaced per tenant, the checksum of the file as written") {
  temp_dir d;
  write_file(d / "m/users/0001_initial.sql",
             "-- placeholders: on\nGRANT USAGE ON SCHEMA ${tenant_schema} TO reporting;\nSELECT ${tenant_id};\n");
  write_file(d / "m/users/0001_initial.down.sql", "REVOKE USAGE ON SCHEMA ${tenant_schema} FROM reporting;\n");
  write_file(d / "m/users/0002_plain.sql", "SELECT '${tenant_id}';\n");
  auto set = load_migrations(d / "m");
  const auto& m = find(set, "users", "0001_initial");
  CHECK(m.placeholders);
  CHECK_FALSE(m.down_placeholders);  // its own header says nothing
  CHECK(m.checksum == detail::sha256_hex(m.sql));
  CHECK_FALSE(find(set, "users", "0002_plain").placeholders);
  quoting_connection c;
  CHECK(script_for(m, direction::forwards, tenant::schema("acme-corp", "acme_corp"), c) ==
        "-- placeholders: on\nGRANT USAGE ON SCHEMA \"acme_corp\" TO reporting;\nSELECT 'acme-corp';\n");
  CHECK(script_for(m, direction::backwards, tenant::schema("acme", "acme"), c) == *m.down_sql);
  CHECK(script_for(find(set, "users", "0002_plain"), direction::forwards, tenant::schema("acme", "acme"), c) ==
        "SELECT '${tenant_id}';\n");

  SUBCASE("values are checked, not escaped") {
    CHECK_THROWS_WITH_AS(script_for(m, direction::forwards, tenant::schema("acme", "Acme\"; DROP"), c),
                         "${tenant_schema} of tenant 'acme': schema name 'Acme\"; DROP' may contain only lowercase "
                         "letters, digits and '_'",
                         error);
    CHECK_THROWS_WITH_AS(script_for(m, direction::forwards, tenant::schema("x'); --", "acme"), c),
                         "${tenant_id}: tenant id 'x'); --' may contain only lowercase letters, digits and '-'", error);
    CHECK_THROWS_WITH_AS(script_for(m, direction::forwards, tenant::database("acme", "acme_db"), c),
                         "${tenant_schema}: tenant 'acme' uses database isolation", error);
    std::vector<plan_step> steps{{&m, direction::forwards}};
    CHECK_THROWS_WITH_AS(check_placeholder_values(steps, tenant::database("acme", "acme_db"), c),
                         "users/0001_initial.sql: ${tenant_schema}: tenant 'acme' uses database isolation", error);
    steps.front().baseline = true;  // nothing runs: nothing to check
    CHECK_NOTHROW(check_placeholder_values(steps, tenant::database("acme", "acme_db"), c));
  }
  SUBCASE("an unknown or unclosed placeholder is a problem of the set, in every layout") {
    write_file(d / "m/users/0003_bad.sql", "-- placeholders: on\nSELECT ${tenant};\nSELECT ${tenant_id\n;");
    write_file(d / "m/users/0004_bad.sql", "-- placeholders: maybe\nSELECT 1;");
    CHECK(problems_of(d / "m") ==
          std::vector<std::string>{
              "users/0004_bad.sql: bad value 'maybe' for '-- placeholders:' (expected on or off)",
              "users/0003_bad.sql: unknown placeholder '${tenant}' (known: ${tenant_id}, ${tenant_schema}, "
              "${tenant_database})",
              "users/0003_bad.sql: a '${' without its '}' on the same line (placeholders are on)"});
    write_file(d / "f/V1__a.sql", "-- placeholders: on\nSELECT ${schema};");
    CHECK(problems_of(d / "f") == std::vector<std::string>{"f/V1__a.sql: unknown placeholder '${schema}' (known: "
                                                           "${tenant_id}, ${tenant_schema}, ${tenant_database})"});
    write_file(d / "g/20240101000000_a.sql", "-- migrate:up\n-- placeholders: on\nSELECT ${tenant_id};\n");
    CHECK(find(load_migrations(d / "g"), "g", "20240101000000_a").placeholders);
  }
}

TEST_CASE("SQLite: a baseline records what exists on a tenant without a history, then applies the rest") {
  temp_dir d;
  write_file(d / "m/users/0001_initial.sql", "CREATE TABLE people (id INTEGER PRIMARY KEY);\n");
  write_file(d / "m/users/0002_email.sql", "ALTER TABLE people ADD email TEXT;\n");
  write_file(d / "m/users/0003_index.sql", "CREATE INDEX people_email ON people (email);\n");
  write_file(d / "m/billing/0001_initial.sql", "-- depends: users/0001_initial\nCREATE TABLE invoices (id INTEGER);\n");
  auto set = load_migrations(d / "m");

  auto plan = make_baseline_plan(set, {"users", "0002_email"});
  std::vector<std::string> shown;
  for (const auto& s : plan) shown.push_back((s.baseline ? "baseline " : "apply ") + s.what->key().str());
  CHECK(shown == std::vector<std::string>{"baseline users/0001_initial", "baseline users/0002_email",
                                          "apply billing/0001_initial", "apply users/0003_index"});
  CHECK_THROWS_WITH_AS(validate_baseline(set, {"users", "0009_x"}), "baseline 'users/0009_x' is not a migration of the set",
                       usage_error);

  SqliteAdapter adapter;
  std::string legacy = (d / "legacy.db").string(), fresh = (d / "fresh.db").string();
  adapter.create_database(legacy);
  adapter.create_database(fresh);
  adapter.connect(legacy).execute_script("CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT);");
  migrator_options options;
  options.baseline = migration_key{"users", "0002_email"};
  SqliteTenantMigrator migrator{FreshConnectionPerTenant<SqliteAdapter>(adapter), {}, options};
  auto r = migrator.migrate_tenant(tenant::database("legacy", legacy), set);
  CHECK(r.outcome == tenant_outcome::migrated);
  CHECK(r.applied == 4);
  auto rows = adapter.connect(legacy).query("SELECT count(*) FROM tenant_migrator_history", {});
  CHECK(*rows[0][0] == "4");
  // A tenant with a history goes the usual way: its first migration runs.
  SqliteTenantMigrator plain{FreshConnectionPerTenant<SqliteAdapter>(adapter)};
  CHECK(plain.migrate_tenant(tenant::database("fresh", fresh), set, {"users", "0001_initial"}).applied == 1);
  CHECK(migrator.migrate_tenant(tenant::database("fresh", fresh), set).applied == 3);
  CHECK(column_names(adapter, fresh, "people") == std::vector<std::string>{"id", "email"});
  migrator_options bad;
  bad.baseline = migration_key{"users", "0009_x"};
  SqliteTenantMigrator wrong{FreshConnectionPerTenant<SqliteAdapter>(adapter), {}, bad};
  CHECK_THROWS_AS(wrong.run({tenant::database("fresh", fresh)}, set), usage_error);
}
