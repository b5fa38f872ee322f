// The MariaDB adapter and whole runs of TenantMigrator against a real server.
//
// The server comes from TENANT_MIGRATOR_TEST_MARIADB (scripts/test.sh starts a
// throwaway one with scripts/mariadb-cluster.sh). Each test case works in
// databases of its own (tm_test_<random>...), dropped at its end.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>

#include <fmt/format.h>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/adapters/mariadb.hpp>

#include <tenant_migrator/testing/adapter_conformance.hpp>
#include "support/counting_policy.hpp"
#include "support/files.hpp"
#include "support/scratch_database.hpp"

using namespace tenant_migrator;
using namespace std::chrono_literals;
using tenant_migrator::testing::table_exists;
using test_support::temp_dir;
using test_support::write_file;

namespace {

std::string server_url() { return test_support::server_url_from("TENANT_MIGRATOR_TEST_MARIADB"); }
using test_support::random_suffix;

// A fresh, empty database on the test server, dropped at the end.
struct scratch_database : test_support::scratch_database<MariadbAdapter> {
  scratch_database() : test_support::scratch_database<MariadbAdapter>(server_url()) {}
};

std::optional<std::string> single(MariadbConnection& c, const std::string& sql,
                                  const std::vector<std::string>& params = {}) {
  auto r = c.query(sql, params);
  REQUIRE(r.size() == 1);
  return r[0].at(0);
}

database_error failure_of(MariadbConnection& c, const std::string& sql) {
  try {
    c.execute_script(sql);
  } catch (const database_error& e) {
    return e;
  }
  FAIL("no error for: " << sql);
  return database_error("");
}

}  // namespace

TEST_CASE("the test server is configured") {
  CHECK(server_url().substr(0, 10) == "mariadb://");
}

struct MariadbFixture {
  using adapter_type = MariadbAdapter;
  scratch_database db;
  std::string unused = "tm_test_" + random_suffix();
  ~MariadbFixture() {
    try {
      if (db.admin.database_exists(unused)) db.admin.drop_database(unused);
    } catch (...) {
    }
  }
  MariadbAdapter& adapter() { return db.admin; }
  std::string location() { return db.location; }
  std::string unused_location() { return unused; }
  static std::string routine_script() {
    // No DELIMITER: the adapter keeps BEGIN ... END together.
    return "CREATE TABLE routine_log (item_id INTEGER);\n"
           "CREATE TRIGGER items_logged AFTER INSERT ON items FOR EACH ROW\n"
           "BEGIN\n"
           "  INSERT INTO routine_log (item_id) VALUES (NEW.id);\n"
           "  SET @ignored = 1;\n"
           "END;\n";
  }
};
TEST_CASE_TEMPLATE_INVOKE(adapter_conformance, MariadbFixture);

TEST_CASE("locations: parsed strictly, passwords never shown") {
  SUBCASE("the parts, percent-decoded") {
    auto l = parse_mariadb_location("mariadb://app%40x:p%40ss%3Aw%2Fd@db.example.com:3307/acme?socket=/run/my%20sock");
    CHECK(l.user == "app@x");
    CHECK(l.password == "p@ss:w/d");
    CHECK(l.has_password);
    CHECK(l.host == "db.example.com");
    CHECK(l.port == 3307u);
    CHECK(l.database == "acme");
    CHECK(l.socket == "/run/my sock");
    auto m = parse_mariadb_location("mysql://root@[::1]/");
    CHECK(m.host == "::1");
    CHECK(m.port == 0u);
    CHECK(m.database.empty());
    CHECK_FALSE(m.has_password);
  }
  SUBCASE("shown_location masks the password, also in locations that do not parse") {
    CHECK(MariadbAdapter::shown_location("mariadb://u:s3cret@h:1/db") == "mariadb://u:****@h:1/db");
    CHECK(MariadbAdapter::shown_location("mysql://u:s3c@r/et@h/db") == "mysql://u:****@h/db");
    CHECK(MariadbAdapter::shown_location("mariadb://root@127.0.0.1:3306/db") == "mariadb://root@127.0.0.1:3306/db");
  }
  SUBCASE("bad locations are refused, naming the problem and never the password") {
    for (std::string bad : {"mariadb://u:s3cret@h:99999/db", "mariadb://u:s3cret@h:x/db", "mariadb://u:s3cret@h/db?ssl=1",
                            "mariadb://u:s3cret@h/a/b", "mariadb://u:s3%zzret@h/db", "mariadb://u:s3c@ret@h/db",
                            "postgresql://u:s3cret@h/db", "mariadb://u:s3cret@h/db?socket="}) {
      CAPTURE(bad);
      try {
        parse_mariadb_location(bad);
        FAIL("accepted");
      } catch (const error& e) {
        std::string what = e.what();
        CHECK(what.find("bad MariaDB location '") == 0);
        CHECK(what.find("s3") == std::string::npos);
        CHECK(what.find("ret") == std::string::npos);
      }
    }
  }
  SUBCASE("unknown parameters, a literal '@' past the host, NUL bytes") {
    CHECK_THROWS_WITH_AS(parse_mariadb_location("mariadb://u:pw@h/db?ssl=1"),
                         "bad MariaDB location 'mariadb://u:****@h/db?ssl=****': unknown parameter 'ssl' (known: socket)",
                         error);
    // A literal '?' in the password would make "Tail@h/db" a parameter: refused before, by the '@'.
    CHECK_THROWS_WITH_AS(parse_mariadb_location("mariadb://u:Pw?Tail@h/db"),
                         "bad MariaDB location 'mariadb://u:****@h/db': an '@' after the host: write '@', '/' and '?' "
                         "in the user, password or socket as %40, %2F, %3F",
                         error);
    CHECK_THROWS_WITH_AS(parse_mariadb_location("mariadb://u:p%00w@h/db"),
                         "bad MariaDB location 'mariadb://u:****@h/db': a NUL byte in the password", error);
  }
  SUBCASE("a wrong password: the error names the server, not the password") {
    auto where = parse_mariadb_location(server_url());
    std::string url = "mariadb://root:Wr0ngPassw0rd@127.0.0.1:" + std::to_string(where.port) + "/";
    try {
      MariadbAdapter().connect(url);
      FAIL("connected with a wrong password");
    } catch (const database_error& e) {
      std::string what = e.what();
      CHECK(what.find("cannot connect to 'mariadb://root:****@127.0.0.1:") == 0);
      CHECK(what.find("Access denied") != std::string::npos);
      CHECK(what.find("Wr0ngPassw0rd") == std::string::npos);
    }
  }
  SUBCASE("tenant locations: a name takes the master's server, a location stays") {
    MariadbAdapter a;
    CHECK(a.tenant_database_location("mariadb://u:p%40@h:3307/master?socket=/s", "acme") ==
          "mariadb://u:p%40@h:3307/acme?socket=/s");
    CHECK(a.tenant_database_location("mysql://u@h", "acme") == "mysql://u@h/acme");
    CHECK(a.tenant_database_location("mariadb://u@h/master", "mysql://x@y/other") == "mysql://x@y/other");
    CHECK(a.server_of("mariadb://u:p@h:3307/a") == a.server_of("mariadb://u:q@h:3307/b"));
    CHECK(a.server_of("mariadb://u@h/a") == "mariadb://u@h:3306");
    CHECK(a.server_of("mariadb://u@h/a") != a.server_of("mariadb://v@h/a"));
  }
}

TEST_CASE("hostile names are refused by provisioning and quoted inertly") {
  scratch_database db;
  auto& a = db.admin;
  for (std::string hostile : {"x`; DROP DATABASE mysql; --", "Acme", "a-b", "mysql", "sys", "performance_schema",
                              "information_schema", "0db", ""}) {
    CAPTURE(hostile);
    CHECK_THROWS_AS(a.create_database(hostile), error);
    CHECK_THROWS_AS(a.drop_database(hostile), error);
    if (!hostile.empty() && hostile.find("://") == std::string::npos)
      CHECK_THROWS_AS(a.tenant_database_location(db.url, hostile), error);
  }
  auto c = a.connect(db.location);
  CHECK(single(c, "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'mysql'") == "1");
  CHECK(c.quote_identifier("a`b") == "`a``b`");
  c.execute_script("CREATE TABLE " + c.quote_identifier("x`; DROP TABLE t; --") + " (id INTEGER);");
  CHECK(table_exists(c, "x`; DROP TABLE t; --"));
}

TEST_CASE("scripts: statements split on the client, errors name the line and SQLSTATE") {
  scratch_database db;
  auto c = db.admin.connect(db.location);

  SUBCASE("the failing statement's line, and nothing after it ran") {
    auto e = failure_of(c, "-- a comment; with ';'\nCREATE TABLE products (id INTEGER);\n\n  CREATE TABLE products (id INTEGER);\n"
                           "CREATE TABLE after_failure (id INTEGER);\n");
    CHECK(std::string(e.what()) == "42S01: Table 'products' already exists (line 4)");
    CHECK(e.sqlstate() == "42S01");
    CHECK(e.line() == 4);
    CHECK_FALSE(table_exists(c, "after_failure"));
  }
  SUBCASE("strings, backticks, # comments and routine bodies do not confuse the split") {
    auto e = failure_of(c,
                        "CREATE TABLE `a;b` (id INTEGER); # a ; comment\n"
                        "INSERT INTO `a;b` VALUES (1); SELECT 'x;y', \"it\\\"s;\", 'it''s;' /* ; */;\n"
                        "CREATE PROCEDURE p()\nBEGIN\n  DECLARE i INT DEFAULT 0;\n  IF i = 0 THEN SET i = 1; END IF;\n"
                        "  CASE WHEN i = 1 THEN SET i = 2; ELSE SET i = 3; END CASE;\n  SELECT i;\nEND;\n"
                        "CALL p();\nSELECT * FROM nope;\n");
    CHECK(e.line() == 11);
    CHECK(std::string(e.what()).find("nope") != std::string::npos);
    CHECK(single(c, "SELECT count(*) FROM `a;b`") == "1");
  }
  SUBCASE("DELIMITER is refused with a message saying why") {
    auto e = failure_of(c, "SELECT 1;\nDELIMITER //\nSELECT 2//\n");
    CHECK(std::string(e.what()).find("DELIMITER is a command of the mysql client") == 0);
    CHECK(e.line() == 2);
  }
  SUBCASE("query: $N placeholders in any order, repeated; long values and NULL") {
    std::string long_value(5000, 'x');
    auto r = c.query("SELECT $2, $1, $2, CONCAT($1, '$1'), NULL, 42, $3", {"one", "two", long_value});
    REQUIRE(r.size() == 1);
    CHECK(r[0] == row{"two", "one", "two", "one$1", std::nullopt, "42", long_value});
    try {
      c.query("SELECT * FROM nope WHERE x = $1", {"1"});
      FAIL("no error");
    } catch (const database_error& e) {
      CHECK(e.sqlstate() == "42S02");
      CHECK(e.line() == 0);
    }
    CHECK_THROWS_WITH_AS(c.query("SELECT $2", {"only one"}), "the query uses $2 but has 1 parameter(s)",
                         database_error);
  }
}

TEST_CASE("timeouts are the migration's: set for it, restored after") {
  scratch_database db;
  auto c = db.admin.connect(db.location);
  auto before = c.query("SELECT @@SESSION.lock_wait_timeout, @@SESSION.max_statement_time", {});
  c.begin();
  c.set_local_timeouts(1500ms, 250ms);
  auto during = c.query("SELECT @@SESSION.lock_wait_timeout, @@SESSION.innodb_lock_wait_timeout, "
                        "@@SESSION.max_statement_time", {});
  CHECK(during[0][0] == "2");  // whole seconds, rounded up
  CHECK(during[0][1] == "2");
  CHECK(during[0][2] == "0.250000");
  auto e = failure_of(c, "SELECT 1;\nSELECT SLEEP(2) FROM (SELECT 1 UNION SELECT 2) t;\n");
  CHECK(std::string(e.what()).find("statement timeout fired: 70100: ") == 0);
  CHECK(e.line() == 2);
  c.rollback();
  CHECK(c.query("SELECT @@SESSION.lock_wait_timeout, @@SESSION.max_statement_time", {}) == before);
}

TEST_CASE("cancellation: the interrupter stops a running statement from another thread") {
  scratch_database db;
  auto c = db.admin.connect(db.location);
  interrupt_handle h = c.interrupter();
  std::thread canceller([&] {
    std::this_thread::sleep_for(300ms);
    h.cancel(h.target);
  });
  auto started = std::chrono::steady_clock::now();
  auto e = failure_of(c, "SELECT SLEEP(20) FROM (SELECT 1 UNION SELECT 2) t;");
  canceller.join();
  CHECK(std::chrono::steady_clock::now() - started < 10s);
  CHECK(e.sqlstate() == "70100");  // ER_QUERY_INTERRUPTED
  // The connection stays usable, and arming again works after a cancel.
  // Cancelling with nothing running must not hit the next statement: cancel
  // waits for the server's answer, and a KILL QUERY finding the session idle is dropped.
  for (int i = 0; i < 20; ++i) {
    h = c.interrupter();
    h.cancel(h.target);
    CHECK(single(c, "SELECT 1") == "1");
  }
}

TEST_CASE("session reset releases tenant locks") {
  scratch_database db;
  auto c = db.admin.connect(db.location);
  auto other = db.admin.connect(db.location);
  REQUIRE(c.try_lock_tenant("database:acme", 0ms));
  auto started = std::chrono::steady_clock::now();
  CHECK_FALSE(other.try_lock_tenant("database:acme", 200ms));
  CHECK(std::chrono::steady_clock::now() - started >= 190ms);
  c.reset_session();
  CHECK(other.try_lock_tenant("database:acme", 0ms));
  CHECK(single(c, "SELECT DATABASE()") == db.name);  // the reset kept the default database
}

namespace {

// A master database with the tenant registry, database tenants beside it on
// the same server, and a migration folder.
struct installation {
  scratch_database master;
  MariadbAdapter& adapter = master.admin;
  temp_dir dir;
  std::vector<std::string> databases;

  installation() {
    SqlCatalog catalog(adapter.connect(master.location));
    catalog.ensure_table();
    write_file(dir / "migrations/users/0001_initial.sql",
               "CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(200));\n");
    write_file(dir / "migrations/users/0002_alter_user_email.sql",
               "CREATE UNIQUE INDEX users_email ON users (email);\n");
    write_file(dir / "migrations/products/0001_initial.sql",
               "-- depends: users/0001_initial\n"
               "CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT);\n"
               "CREATE TABLE product_tags (product_id INTEGER, tag TEXT);\n"
               "INSERT INTO products (id, name) VALUES (1, 'first');\n");
  }
  ~installation() {
    for (const auto& name : databases) {
      try {
        adapter.drop_database(name);
      } catch (...) {
      }
    }
  }

  MariadbConnection open_master() { return adapter.connect(master.location); }
  // A database tenant: database <master>_<id>, registered by name or by full location.
  void add_database(const std::string& id, bool by_location = false) {
    std::string name = master.name + "_" + id;
    adapter.create_database(name);
    databases.push_back(name);
    SqlCatalog(open_master())
        .add_tenant({id, id + " Inc.", isolation_kind::database,
                     by_location ? adapter.tenant_database_location(master.url, name) : name, tenant_status::active,
                     {}});
  }
  MariadbConnection open(const std::string& id) {
    return adapter.connect(adapter.tenant_database_location(master.location, master.name + "_" + id));
  }
  template <class Policy = FreshConnectionPerTenant<MariadbAdapter>>
  run_summary run(const std::function<void(migrator_options&)>& configure = {}, Policy* used = nullptr) {
    SqlCatalog catalog(open_master());
    migrator_options options{master.location};
    if (configure) configure(options);
    TenantMigrator<DatabasePerTenant, Policy, NullReporter> migrator(Policy(adapter), NullReporter{}, options);
    auto summary = migrator.migrate_all(catalog, load_migration_directory(dir / "migrations"));
    if (used) *used = std::move(migrator.connections());
    return summary;
  }
  std::vector<std::string> history(const std::string& id) {
    auto c = open(id);
    std::vector<std::string> out;
    for (auto& r : c.query("SELECT CONCAT(app, '/', name), checksum FROM tenant_migrator_history ORDER BY app, name",
                           {})) {
      CHECK(r.at(1).value_or("").size() == 64);  // a SHA-256, hex
      out.push_back(*r[0]);
    }
    return out;
  }
};

const std::vector<std::string> all_applied{"products/0001_initial", "users/0001_initial",
                                           "users/0002_alter_user_email"};

}  // namespace

TEST_CASE("database per tenant: three databases, the middle one failing") {
  installation inst;
  inst.add_database("acme");
  inst.add_database("globex");
  inst.add_database("initech", true);
  // globex already has product_tags: products/0001 fails on its second statement, after its first.
  inst.open("globex").execute_script("CREATE TABLE product_tags (x INTEGER);");

  auto s = inst.run();
  REQUIRE(s.tenants.size() == 3);
  CHECK(s.tenants[0].outcome == tenant_outcome::migrated);
  CHECK(s.tenants[1].tenant_id == "globex");
  CHECK(s.tenants[1].outcome == tenant_outcome::failed);
  CHECK(s.tenants[1].error ==
        "products/0001_initial.sql: statement 2 of 3 failed: 42S01: Table 'product_tags' already exists (line 3); "
        "statement 1 is applied");
  CHECK(s.tenants[2].outcome == tenant_outcome::migrated);
  CHECK_FALSE(s.all_succeeded());
  CHECK(inst.history("acme") == all_applied);
  CHECK(inst.history("initech") == all_applied);
  CHECK(inst.history("globex") == std::vector<std::string>{"users/0001_initial"});
  // What the error says: products (statement 1) stayed, as DDL commits on its
  // own, and its progress is recorded for the rerun.
  auto globex = inst.open("globex");
  CHECK(table_exists(globex, "products"));
  CHECK(single(globex, "SELECT count(*) FROM products") == "0");
  CHECK(single(globex, "SELECT statements_done FROM tenant_migrator_history_progress") == "1");
  // Nothing landed in the master but the registry.
  auto m = inst.open_master();
  CHECK(m.query("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()", {}) ==
        rows{row{"tenant_migrator_tenants"}});

  // The cause removed, the rerun goes on at statement 2.
  globex.execute_script("DROP TABLE product_tags");
  CHECK(inst.run().all_succeeded());
  CHECK(inst.history("globex") == all_applied);
  CHECK(single(globex, "SELECT count(*) FROM tenant_migrator_history_progress") == "0");
}

TEST_CASE("a tenant locked by another run is skipped; the others are migrated") {
  installation inst;
  inst.add_database("acme");
  inst.add_database("globex");
  inst.add_database("initech");
  auto other_run = inst.open("globex");
  REQUIRE(other_run.try_lock_tenant("database:" + inst.master.name + "_globex", 0ms));

  auto s = inst.run([](migrator_options& o) { o.lock_wait = 200ms; });
  REQUIRE(s.tenants.size() == 3);
  CHECK(s.tenants[0].outcome == tenant_outcome::migrated);
  CHECK(s.tenants[1].tenant_id == "globex");
  CHECK(s.tenants[1].outcome == tenant_outcome::skipped);
  CHECK(s.tenants[1].error == "locked by another run");
  CHECK(s.tenants[2].outcome == tenant_outcome::migrated);
  CHECK_FALSE(table_exists(other_run, "users"));

  other_run.unlock_tenant("database:" + inst.master.name + "_globex");
  auto s2 = inst.run([](migrator_options& o) { o.lock_wait = 200ms; });
  CHECK(s2.tenants[1].outcome == tenant_outcome::migrated);
  CHECK(inst.history("globex") == all_applied);
}

TEST_CASE("the migrator's lock timeout fails a tenant whose table is busy; the others are migrated") {
  installation inst;
  inst.add_database("acme");
  inst.add_database("globex");
  REQUIRE(inst.run().all_succeeded());
  write_file(inst.dir / "migrations/users/0003_add_phone.sql", "ALTER TABLE users ADD COLUMN phone TEXT;\n");
  // An open transaction that read users holds a metadata lock the ALTER must wait for.
  auto holder = inst.open("globex");
  holder.begin();
  holder.query("SELECT count(*) FROM users", {});
  auto started = std::chrono::steady_clock::now();
  auto s = inst.run([](migrator_options& o) { o.lock_timeout = 100ms; });  // rounded up to 1 s
  auto waited = std::chrono::steady_clock::now() - started;
  holder.rollback();
  REQUIRE(s.tenants.size() == 2);
  CHECK(s.tenants[0].outcome == tenant_outcome::migrated);
  CHECK(s.tenants[1].outcome == tenant_outcome::failed);
  CHECK(s.tenants[1].error.find("users/0003_add_phone.sql: lock timeout fired: HY000: Lock wait "
                                "timeout exceeded; try restarting transaction (line 1)") == 0);
  CHECK(waited >= 900ms);
  CHECK(waited < 10s);
  CHECK(inst.history("globex").back() == "users/0002_alter_user_email");
}

TEST_CASE("Ctrl-C during a long statement: KILL QUERY stops it at once, the migration is reported interrupted") {
  installation inst;
  inst.add_database("acme");
  inst.add_database("globex");
  write_file(inst.dir / "migrations/users/0003_slow.sql", "SELECT SLEEP(30) FROM (SELECT 1 UNION SELECT 2) t;\n");
  std::atomic<int> stop{0};
  // What manage's SIGINT handler does, from another thread once the server
  // runs 0003's SLEEP. (A signal handler runs on the migrating thread; from
  // another thread, firing while a short statement ends would race with its
  // connection going away.)
  auto watcher = inst.open_master();
  std::thread handler([&] {
    for (int i = 0; i < 400; ++i) {
      if (single(watcher, "SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(30)%'") !=
          "0")
        break;
      std::this_thread::sleep_for(50ms);
    }
    stop = 2;
    interrupt_running_migration();
  });
  auto started = std::chrono::steady_clock::now();
  auto s = inst.run([&](migrator_options& o) { o.stop_signal = &stop; });
  handler.join();
  CHECK(std::chrono::steady_clock::now() - started < 15s);  // not the 60 s the statement would take
  CHECK(s.signal == 2);
  REQUIRE(s.tenants.size() == 1);  // globex never started
  CHECK(s.tenants[0].outcome == tenant_outcome::interrupted);
  CHECK(s.tenants[0].error == "users/0003_slow.sql was rolled back (SIGINT)");
  CHECK(inst.history("acme") == all_applied);
}

TEST_CASE("a signal whose KILL QUERY found nothing running stops the migration before its next statement") {
  installation inst;
  inst.add_database("acme");
  write_file(inst.dir / "migrations/users/0003_slow.sql",
             "CREATE TABLE slow_a (id INT);\nSELECT SLEEP(2);\nCREATE TABLE slow_b (id INT);\n");
  std::atomic<int> stop{0};
  // The signal lands while statement 2 runs, but its KILL QUERY is lost (as
  // when it arrives between two statements): statement 3 must not start.
  std::thread handler([&] {
    std::this_thread::sleep_for(700ms);
    stop = 2;
  });
  auto s = inst.run([&](migrator_options& o) { o.stop_signal = &stop; });
  handler.join();
  REQUIRE(s.tenants.size() == 1);
  CHECK(s.tenants[0].outcome == tenant_outcome::interrupted);
  CHECK(s.tenants[0].error ==
        "users/0003_slow.sql: stopped before statement 3 of 3 (SIGINT); statements 1\u20132 are applied");
  auto acme = inst.open("acme");
  CHECK(table_exists(acme, "slow_a"));
  CHECK_FALSE(table_exists(acme, "slow_b"));
  CHECK(single(acme, "SELECT statements_done FROM tenant_migrator_history_progress") == "2");
  CHECK(inst.history("acme").back() == "users/0002_alter_user_email");
}

using test_support::CountingPolicy;
static_assert(BatchHistoryReader<DatabasePerTenant, MariadbAdapter>);
static_assert(BatchHistoryReader<PerTenantIsolation, MariadbAdapter>);

TEST_CASE("fast path: twenty up-to-date database tenants are read with one connection, not one each") {
  installation inst;
  const int n = 20;
  for (int i = 0; i < n; ++i) inst.add_database(fmt::format("t{:02}", i), i % 4 == 3);  // some by full location
  using Policy = CountingPolicy<FreshConnectionPerTenant<MariadbAdapter>>;
  Policy first;
  REQUIRE(inst.run<Policy>({}, &first).all_succeeded());
  CHECK(*first.calls == n + 1);  // nothing recorded yet: the batch read, then every tenant

  Policy second;
  auto s = inst.run<Policy>({}, &second);
  CHECK(s.all_succeeded());
  REQUIRE(s.tenants.size() == n);
  for (const auto& r : s.tenants) CHECK(r.outcome == tenant_outcome::up_to_date);
  CHECK(*second.calls == 1);

  // A tenant whose history no longer fits takes the normal path and fails there;
  // one whose database was dropped too; the others are read in the batch.
  inst.open("t03").query("UPDATE tenant_migrator_history SET checksum = 'x' WHERE name = '0001_initial' AND app = 'users'",
                         {});
  inst.adapter.drop_database(inst.master.name + "_t05");
  Policy third;
  auto s3 = inst.run<Policy>({}, &third);
  CHECK(*third.calls == 3);
  std::map<std::string, tenant_result> results;
  for (const auto& r : s3.tenants) results[r.tenant_id] = r;
  CHECK(results["t03"].outcome == tenant_outcome::failed);
  CHECK(results["t05"].outcome == tenant_outcome::failed);
  CHECK(results["t04"].outcome == tenant_outcome::up_to_date);
  inst.adapter.create_database(inst.master.name + "_t05");

  // Plans and states: one connection each for the whole set.
  write_file(inst.dir / "migrations/users/0003_more.sql", "CREATE TABLE more (id INTEGER);\n");
  Policy counting(inst.adapter);
  auto calls = counting.calls;
  TenantMigrator<DatabasePerTenant, Policy, NullReporter> migrator(std::move(counting), {},
                                                                   migrator_options{inst.master.location});
  SqlCatalog catalog(inst.open_master());
  auto tenants = select_tenants(catalog);
  REQUIRE(tenants.size() == n);
  auto set = load_migration_directory(inst.dir / "migrations");
  auto plans = migrator.plan_tenants(tenants, set);
  CHECK(*calls == 1 + 1);  // the batch (t03's changed checksum is seen in it), then t05 (no history table)
  for (const auto& p : plans)
    if (p.tenant_id == "t03") {
      CHECK(p.error.find("users/0001_initial") != std::string::npos);
    } else if (p.tenant_id != "t05") {
      CHECK(p.error.empty());
      REQUIRE(p.steps.size() == 1);
      CHECK(p.steps[0].what->key().str() == "users/0003_more");
    }
  auto states = migrator.inspect_tenants(tenants, set);
  CHECK(*calls == 2 + 2);
  for (const auto& st : states)
    if (st.tenant_id == "t07") CHECK(st.pending() == 1);
}
