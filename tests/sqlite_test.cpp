// The SQLite adapter and whole runs of TenantMigrator against real SQLite files.
#include <doctest/doctest.h>

#include <sqlite3.h>
#include <sstream>

#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/adapters/sqlite.hpp>
#include <tenant_migrator/reporting/json_reporter.hpp>

#include <tenant_migrator/testing/adapter_conformance.hpp>
#include "support/files.hpp"

using namespace tenant_migrator;
using tenant_migrator::testing::table_exists;
using test_support::temp_dir;
using test_support::write_file;

struct SqliteFixture {
  using adapter_type = SqliteAdapter;
  temp_dir dir;
  SqliteAdapter sqlite;
  SqliteFixture() { sqlite.create_database((dir / "t.db").string()); }
  SqliteAdapter& adapter() { return sqlite; }
  std::string location() { return (dir / "t.db").string(); }
  std::string unused_location() { return (dir / "unused.db").string(); }
  static std::string routine_script() {
    return "CREATE TABLE routine_log (item_id INTEGER);\n"
           "CREATE TRIGGER items_logged AFTER INSERT ON items BEGIN\n"
           "  INSERT INTO routine_log (item_id) VALUES (NEW.id);\n"
           "  SELECT 1;\n"
           "END;\n";
  }
};
TEST_CASE_TEMPLATE_INVOKE(adapter_conformance, SqliteFixture);

namespace {

using SqliteMigrator = TenantMigrator<PerTenantIsolation, FreshConnectionPerTenant<SqliteAdapter>, ConsoleReporter>;

// A master with tenants (database-per-tenant files beside it) and a migration folder.
struct installation {
  temp_dir dir;
  SqliteAdapter adapter;
  std::string master = (dir / "master.db").string();

  installation() {
    SqlCatalog catalog(adapter.connect_or_create(master));
    catalog.ensure_table();
    write_file(dir / "migrations/users/0001_initial.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n");
    write_file(dir / "migrations/users/0002_alter_user_email.sql",
               "CREATE UNIQUE INDEX users_email ON users (email);\n");
    write_file(dir / "migrations/products/0001_initial.sql",
               "-- depends: users/0001_initial\n"
               "CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT);\n"
               "CREATE TABLE product_tags (product_id INTEGER, tag TEXT);\n"
               "INSERT INTO products (id, name) VALUES (1, 'first');\n");
  }
  void add(const std::string& id, bool create_file = true, tenant_status status = tenant_status::active) {
    tenant t{id, id + " Inc.", isolation_kind::database, id + ".db", status, {}};
    if (create_file) adapter.create_database((dir / (id + ".db")).string());
    SqlCatalog(adapter.connect(master)).add_tenant(t);
  }
  SqliteConnection open(const std::string& id) { return adapter.connect((dir / (id + ".db")).string()); }
  migration_set migrations() { return load_migration_directory(dir / "migrations"); }

  run_summary run(std::ostream& out) {
    SqlCatalog catalog(adapter.connect(master));
    SqliteMigrator migrator(FreshConnectionPerTenant<SqliteAdapter>(adapter), ConsoleReporter(out, console_style{false}),
                            {master});
    return migrator.migrate_all(catalog, migrations());
  }
  std::vector<std::string> history(const std::string& id) {
    auto c = open(id);
    std::vector<std::string> out;
    for (auto& r : c.query("SELECT app || '/' || name FROM tenant_migrator_history ORDER BY app, name", {}))
      out.push_back(*r[0]);
    return out;
  }
  std::vector<std::string> tables(const std::string& id) {
    auto c = open(id);
    std::vector<std::string> out;
    for (auto& r : c.query("SELECT name FROM sqlite_master ORDER BY name", {})) out.push_back(*r[0]);
    return out;
  }
};

}  // namespace

TEST_CASE("three tenants, one failing mid-set: the others are migrated, the failure leaves nothing") {
  installation inst;
  inst.add("acme");
  inst.add("globex");
  inst.add("dev");
  // globex already has a product_tags table: products/0001 fails on its second statement.
  inst.open("globex").execute_script("CREATE TABLE product_tags (x INTEGER);");

  std::ostringstream out;
  auto summary = inst.run(out);
  REQUIRE(summary.tenants.size() == 3);
  CHECK(summary.tenants[0].tenant_id == "acme");
  CHECK(summary.tenants[0].outcome == tenant_outcome::migrated);
  CHECK(summary.tenants[1].tenant_id == "dev");
  CHECK(summary.tenants[1].outcome == tenant_outcome::migrated);
  CHECK(summary.tenants[2].outcome == tenant_outcome::failed);
  CHECK(summary.tenants[2].error.find("products/0001_initial.sql: table product_tags already exists (line 3)") == 0);
  CHECK_FALSE(summary.all_succeeded());

  CHECK(inst.history("acme") ==
        std::vector<std::string>{"products/0001_initial", "users/0001_initial", "users/0002_alter_user_email"});
  // globex: users/0001 applied; products/0001 rolled back whole (no products table, no row); nothing after it.
  CHECK(inst.history("globex") == std::vector<std::string>{"users/0001_initial"});
  auto c = inst.open("globex");
  CHECK_FALSE(table_exists(c, "products"));
  CHECK(out.str().find("  products/0001_initial.sql ... FAILED\n") != std::string::npos);
  CHECK(out.str().find("  FAILED globex - FAILED\n  Total: 3 tenants, 2 succeeded, 1 failed\n") != std::string::npos);

  SUBCASE("a second run applies nothing to the migrated tenants and retries the failed one") {
    auto before = inst.tables("acme");
    std::ostringstream again;
    auto s2 = inst.run(again);
    CHECK(s2.tenants[0].outcome == tenant_outcome::up_to_date);
    CHECK(s2.tenants[1].outcome == tenant_outcome::up_to_date);
    CHECK(s2.tenants[2].outcome == tenant_outcome::failed);
    CHECK(inst.tables("acme") == before);
    // Fix globex by hand; the next run completes it.
    inst.open("globex").execute_script("DROP TABLE product_tags;");
    std::ostringstream third;
    auto s3 = inst.run(third);
    CHECK(s3.all_succeeded());
    CHECK(s3.tenants[2].applied == 2);
    CHECK(third.str().find("  Total: 3 tenants migrated\n") != std::string::npos);
  }
}

TEST_CASE("a tenant whose history does not match the set fails without any change") {
  installation inst;
  inst.add("acme");
  inst.add("globex");
  std::ostringstream out;
  REQUIRE(inst.run(out).all_succeeded());

  SUBCASE("a changed file") {
    write_file(inst.dir / "migrations/users/0001_initial.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
    write_file(inst.dir / "migrations/users/0003_more.sql", "CREATE TABLE more (id INTEGER);\n");
    auto before = inst.tables("acme");
    std::ostringstream o;
    auto s = inst.run(o);
    CHECK(s.tenants[0].outcome == tenant_outcome::failed);
    CHECK(s.tenants[0].error.find("users/0001_initial.sql was changed after it was applied (checksum ") == 0);
    CHECK(inst.tables("acme") == before);
  }
  SUBCASE("an unknown recorded migration") {
    inst.open("globex").query(
        "INSERT INTO tenant_migrator_history VALUES ('users', '0009_ghost', 'x', '2026-01-01T00:00:00Z', 1)", {});
    write_file(inst.dir / "migrations/users/0003_more.sql", "CREATE TABLE more (id INTEGER);\n");
    std::ostringstream o;
    auto s = inst.run(o);
    CHECK(s.tenants[0].outcome == tenant_outcome::migrated);
    CHECK(s.tenants[1].outcome == tenant_outcome::failed);
    CHECK(s.tenants[1].error == "users/0009_ghost.sql is recorded as applied but is not in the migration set");
    auto c = inst.open("globex");
    CHECK_FALSE(table_exists(c, "more"));
  }
}

TEST_CASE("bad tenants fail alone: missing file, not a database, hostile id, schema isolation on SQLite") {
  installation inst;
  inst.add("acme");
  inst.add("missing", false);
  write_file(inst.dir / "junk.db", "this is not a database, just text that is long enough to have a header");
  SqlCatalog(inst.adapter.connect(inst.master)).add_tenant({"junk", "Junk", isolation_kind::database, "junk.db", tenant_status::active, {}});
  SqlCatalog(inst.adapter.connect(inst.master))
      .add_tenant({"x\"; DROP TABLE users; --", "Hostile", isolation_kind::database, "acme.db", tenant_status::active, {}});
  SqlCatalog(inst.adapter.connect(inst.master))
      .add_tenant({"schemed", "Schema", isolation_kind::schema, "schemed", tenant_status::active, {}});
  inst.add("off", true, tenant_status::disabled);

  std::ostringstream out;
  auto s = inst.run(out);
  std::map<std::string, tenant_result> by_id;
  for (auto& r : s.tenants) by_id[r.tenant_id] = r;
  CHECK(by_id.size() == 5);  // not the disabled one
  CHECK(by_id["acme"].outcome == tenant_outcome::migrated);
  CHECK(by_id["missing"].error.find("database file '") == 0);
  CHECK(by_id["missing"].error.find("missing.db' does not exist") != std::string::npos);
  CHECK(by_id["junk"].error.find("file is not a database") != std::string::npos);
  CHECK(by_id["x\"; DROP TABLE users; --"].error.find("may contain only lowercase letters") != std::string::npos);
  CHECK(by_id["schemed"].error == "tenant 'schemed' uses schema isolation, which this database has no support for");
  CHECK(inst.tables("off").empty());  // the disabled tenant was never touched
}

TEST_CASE("transaction: off migrations run outside a transaction and are recorded after success") {
  installation inst;
  inst.add("acme");
  write_file(inst.dir / "migrations/users/0003_vacuum.sql", "-- transaction: off\nVACUUM;\n");
  std::ostringstream out;
  auto s = inst.run(out);
  CHECK(s.all_succeeded());
  CHECK(inst.history("acme").back() == "users/0003_vacuum");
}

TEST_CASE("split_script: statements as SQLite's parser ends them, with their file lines") {
  installation inst;
  auto c = inst.adapter.connect(inst.master);
  auto statements = c.split_script(
      "-- a comment; not a statement\nCREATE TABLE t (a TEXT DEFAULT ';');\n\n"
      "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  INSERT INTO t VALUES ('x;');\nEND;\n;;\n"
      "/* c */ INSERT INTO t VALUES ('y')");
  REQUIRE(statements.size() == 3);
  CHECK(statements[0].line == 2);
  CHECK(statements[0].text() == "CREATE TABLE t (a TEXT DEFAULT ';')");
  CHECK(statements[1].line == 4);
  CHECK(statements[1].text() == "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  INSERT INTO t VALUES ('x;');\nEND");
  CHECK(statements[2].line == 8);
  CHECK(statements[2].text() == "INSERT INTO t VALUES ('y')");
  CHECK(statements[2].sql == std::string(7, '\n') + "INSERT INTO t VALUES ('y')");
}

TEST_CASE("a transaction: off file fails at statement 3 of 3: reported, and the rerun goes on from there") {
  installation inst;
  inst.add("acme");
  write_file(inst.dir / "migrations/users/0003_off.sql",
             "-- transaction: off\nCREATE TABLE hits (n INTEGER);\nINSERT INTO hits VALUES (1);\n"
             "INSERT INTO missing VALUES (1);\n");
  std::ostringstream out;
  auto s = inst.run(out);
  REQUIRE(s.tenants[0].outcome == tenant_outcome::failed);
  CHECK(s.tenants[0].error ==
        "users/0003_off.sql: statement 3 of 3 failed: no such table: missing (line 4); statements 1\u20132 are applied");
  write_file(inst.dir / "migrations/users/0003_off.sql",
             "-- transaction: off\nCREATE TABLE hits (n INTEGER);\nINSERT INTO hits VALUES (1);\n"
             "CREATE TABLE missing (n INTEGER);\n");
  std::ostringstream again;
  REQUIRE(inst.run(again).all_succeeded());
  CHECK(inst.history("acme").back() == "users/0003_off");
  auto c = inst.open("acme");
  CHECK(c.query("SELECT count(*) FROM hits", {}).at(0).at(0) == "1");
  CHECK(c.query("SELECT count(*) FROM tenant_migrator_history_progress", {}).at(0).at(0) == "0");
}

TEST_CASE("JsonReporter writes one parseable object per event with the documented keys") {
  installation inst;
  inst.add("acme");
  inst.add("globex");
  inst.open("globex").execute_script("CREATE TABLE product_tags (x INTEGER);");
  std::ostringstream lines;
  SqlCatalog catalog(inst.adapter.connect(inst.master));
  TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<SqliteAdapter>, JsonReporter> migrator(
      FreshConnectionPerTenant<SqliteAdapter>(inst.adapter), JsonReporter(lines), {inst.master});
  migrator.migrate_all(catalog, inst.migrations());
  std::istringstream in(lines.str());
  std::string line;
  std::map<std::string, int> events;
  while (std::getline(in, line)) {
    auto j = json::parse(line);
    REQUIRE(j.contains("event"));
    REQUIRE(j.contains("time"));
    std::string event = j["event"];
    ++events[event];
    if (event == "migration_applied") {
      CHECK(j["tenant"].is_string());
      CHECK(j["migration"].get<std::string>().size() > 4);
      CHECK(j["duration_ms"].is_number_integer());
      CHECK(j["direction"] == "forwards");
    }
    if (event == "migration_failed") {
      CHECK(j["tenant"] == "globex");
      CHECK(j["migration"] == "products/0001_initial.sql");
      CHECK(j["error"].get<std::string>().find("already exists") != std::string::npos);
    }
    if (event == "run_finished") {
      CHECK(j["tenants"] == 2);
      CHECK(j["succeeded"] == 1);
      CHECK(j["failed"] == 1);
      CHECK(j["outcomes"]["migrated"] == 1);
      CHECK(j["outcomes"]["failed"] == 1);
      CHECK_FALSE(j.contains("results"));  // per-tenant detail is in tenant_finished only
    }
  }
  CHECK(events["run_started"] == 1);
  CHECK(events["tenant_started"] == 2);
  CHECK(events["migration_applied"] == 4);
  CHECK(events["migration_failed"] == 1);
  CHECK(events["tenant_finished"] == 2);
  CHECK(events["run_finished"] == 1);
}

TEST_CASE("SqlCatalog reads a registry of more than one page whole, in id order, each tenant once") {
  // The registry is read 10,000 rows at a time; 20,000 ends on a page's edge, 25,001 within one.
  for (int count : {20'000, 25'001}) {
    CAPTURE(count);
    installation inst;
    auto c = inst.adapter.connect(inst.master);
    c.begin();
    for (int i = count; i >= 1; --i)  // inserted backwards: the order comes from the reads
      c.query("INSERT INTO tenant_migrator_tenants VALUES ($1, $2, 'schema', $1, $3, '2026-01-01T00:00:00Z')",
              {fmt::format("t{:06d}", i), fmt::format("Tenant {}", i), i % 7 == 0 ? "disabled" : "active"});
    c.commit();
    SqlCatalog catalog(inst.adapter.connect(inst.master));
    auto all = catalog.list_tenants();
    REQUIRE(all.size() == static_cast<std::size_t>(count));
    bool ordered = true;
    for (int i = 0; i < count; ++i) ordered = ordered && all[i].id == fmt::format("t{:06d}", i + 1);
    CHECK(ordered);
    CHECK(all.back().name == fmt::format("Tenant {}", count));
    CHECK(all[6].status == tenant_status::disabled);
    CHECK(select_tenants(catalog).size() == static_cast<std::size_t>(count - count / 7));
  }
}
