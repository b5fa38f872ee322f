// The PostgreSQL adapter and whole runs of TenantMigrator against a real server.
//
// The server comes from TENANT_MIGRATOR_TEST_PG (scripts/test.sh starts a
// throwaway one with scripts/pg-cluster.sh). Each test case works in databases
// of its own (tm_test_<random>...), dropped at its end.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fmt/format.h>
#include <functional>
#include <memory>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/adapters/postgresql.hpp>

#include <tenant_migrator/testing/adapter_conformance.hpp>
#include "support/counting_policy.hpp"
#include "support/files.hpp"
#include "support/scratch_database.hpp"

using namespace tenant_migrator;
using namespace std::chrono_literals;
using test_support::temp_dir;
using test_support::write_file;

namespace {

std::string server_url() { return test_support::server_url_from("TENANT_MIGRATOR_TEST_PG"); }
using test_support::random_suffix;

// A fresh, empty database on the test server, dropped at the end.
struct scratch_database : test_support::scratch_database<PostgresqlAdapter> {
  scratch_database() : test_support::scratch_database<PostgresqlAdapter>(server_url()) {}
};

std::optional<std::string> single(PostgresqlConnection& c, const std::string& sql,
                                  const std::vector<std::string>& params = {}) {
  auto r = c.query(sql, params);
  REQUIRE(r.size() == 1);
  return r[0].at(0);
}

}  // namespace

TEST_CASE("the test server is configured") {
  CHECK_FALSE(server_url().empty());
}

struct PostgresqlFixture {
  using adapter_type = PostgresqlAdapter;
  scratch_database db;
  std::string unused = "tm_test_" + random_suffix();
  ~PostgresqlFixture() {
    try {
      if (db.admin.database_exists(unused)) db.admin.drop_database(unused);
    } catch (...) {
    }
  }
  PostgresqlAdapter& adapter() { return db.admin; }
  std::string location() { return db.location; }
  std::string unused_location() { return unused; }
  static std::string routine_script() {
    return "CREATE TABLE routine_log (item_id INTEGER);\n"
           "CREATE FUNCTION log_item() RETURNS trigger LANGUAGE plpgsql AS $$\n"
           "BEGIN\n"
           "  INSERT INTO routine_log (item_id) VALUES (NEW.id);\n"
           "  PERFORM 1;\n"
           "  RETURN NEW;\n"
           "END;\n"
           "$$;\n"
           "CREATE TRIGGER items_logged AFTER INSERT ON items FOR EACH ROW EXECUTE FUNCTION log_item();\n";
  }
};
TEST_CASE_TEMPLATE_INVOKE(adapter_conformance, PostgresqlFixture);

TEST_CASE("errors name the SQLSTATE, the server's message and the failing line") {
  scratch_database db;
  auto c = db.admin.connect(db.location);
  auto failure = [&](const std::string& sql) {
    try {
      c.execute_script(sql);
    } catch (const database_error& e) {
      return e;
    }
    FAIL("no error for: " << sql);
    return database_error("");
  };

  SUBCASE("no position from the server: the line of the statement that failed") {
    auto e = failure("-- a comment\nCREATE TABLE products (id INTEGER);\n\n  CREATE TABLE products (id INTEGER);\n");
    CHECK(std::string(e.what()) == "42P07: relation \"products\" already exists (line 4)");
    CHECK(e.sqlstate() == "42P07");
    CHECK(e.line() == 4);
  }
  SUBCASE("$$ bodies, strings and comments with ';' do not confuse the line") {
    auto e = failure(
        "CREATE FUNCTION f() RETURNS integer LANGUAGE plpgsql AS $body$\nBEGIN\n  RETURN 1; -- ;\nEND;\n$body$;\n"
        "SELECT 'a;b', E'it\\'s;', \"x;y\" FROM (SELECT 1 AS \"x;y\") s; /* ; */\n"
        "CREATE FUNCTION g() RETURNS integer LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\n"
        "SELECT 1;\nCREATE TABLE t (id INTEGER);\nCREATE TABLE t (id INTEGER);\n");
    CHECK(std::string(e.what()) == "42P07: relation \"t\" already exists (line 10)");  // no position from the server
  }
  SUBCASE("the server's position is in characters, not bytes") {
    std::string first_line = "SELECT '";
    for (int i = 0; i < 30; ++i) first_line += "\xc3\xa4";  // 30 characters, 60 bytes
    auto e = failure(first_line + "';\nSELECT * FROM nope;\n");
    CHECK(e.line() == 2);
    CHECK(std::string(e.what()) == "42P01: relation \"nope\" does not exist (line 2)");
  }
  SUBCASE("a failing trigger function: the line of the statement that fired it") {
    c.execute_script(
        "CREATE TABLE items (id INTEGER);\n"
        "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom; %', NEW.id; END; $$;\n"
        "CREATE TRIGGER items_boom BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION boom();\n");
    auto e = failure("SELECT 1;\nINSERT INTO items VALUES (5);\n");
    CHECK(std::string(e.what()) == "P0001: boom; 5 (line 2)");
  }
  SUBCASE("query errors carry the SQLSTATE and no line") {
    try {
      c.query("SELECT * FROM nope WHERE x = $1", {"1"});
      FAIL("no error");
    } catch (const database_error& e) {
      CHECK(std::string(e.what()) == "42P01: relation \"nope\" does not exist");
      CHECK(e.line() == 0);
    }
  }
  SUBCASE("a NUL byte never reaches libpq") {
    CHECK_THROWS_AS(c.execute_script(std::string("SELECT 1;\0DROP TABLE x;", 23)), database_error);
    CHECK_THROWS_AS(c.query("SELECT $1", {std::string("a\0b", 3)}), database_error);
  }
}

TEST_CASE("transactions: rollback without one is harmless, a failed transaction does not commit") {
  scratch_database db;
  auto c = db.admin.connect(db.location);
  c.rollback();
  c.rollback();
  c.begin();
  CHECK_THROWS_AS(c.execute_script("SELECT * FROM nope;"), database_error);
  CHECK_THROWS_AS(c.commit(), database_error);
  CHECK(PQtransactionStatus(c.native_handle()) == PQTRANS_IDLE);
  c.begin();
  c.execute_script("CREATE TABLE t (id INTEGER);");
  c.commit();
  CHECK(tenant_migrator::testing::table_exists(c, "t"));
}

TEST_CASE("shown_location: libpq's reading decides the password, and only it is masked") {
  // Each is a leak the hand-written masker this replaced once had (docs/reliability.md):
  // the shown form holds no password, and libpq reads it back as the same non-secret fields.
  struct leak_shape {
    std::string conninfo, password;
  };
  for (const auto& leak : std::vector<leak_shape>{
           {"host=drr&passhost=drr&password=\npassword ='Pwkmjy9m0x5'\n", "Pwkmjy9m0x5"},  // fuzz find
           {"password=a&password=\npassword = s3\\ cret\n", "s3 cret"},
           {"host=h password=x\\ s3cretpw user=u", "x s3cretpw"},
           {"host=db\npassword=s3cretpw\tdbname=app", "s3cretpw"},
           {"host=db password='s3 cretpw' dbname=app", "s3 cretpw"},
           {"host=h password='it\\'s a \\\\ secret' user=u", "it's a \\ secret"},
           {"postgresql://app:s3cretpw@db:5432/app", "s3cretpw"},
           {"postgresql://db/app?password=s3cretpw&sslmode=disable", "s3cretpw"},
           {"postgresql://db/app?pass%77ord=s3cretpw", "s3cretpw"},
           {"postgresql://tm%23user:s3cretpw@h:1/x", "s3cretpw"},
           {"postgresql://u:s3cret%70w@h/x", "s3cretpw"}}) {
    // Named copies: clang 14 lets no lambda (CAPTURE) capture a structured binding.
    const std::string& conninfo = leak.conninfo;
    const std::string& password = leak.password;
    CAPTURE(conninfo);
    const std::string shown = PostgresqlAdapter::shown_location(conninfo);
    CAPTURE(shown);
    CHECK(shown.find("password=****") != std::string::npos);
    CHECK(shown.find(password) == std::string::npos);
    CHECK(shown.find('\n') == std::string::npos);
    // libpq reads the shown form as the same fields, but for the masked password.
    auto original = detail::pg::conninfo_fields(conninfo);
    auto reread = detail::pg::conninfo_fields(shown);
    REQUIRE(original.size() == reread.size());
    for (std::size_t i = 0; i < original.size(); ++i) {
      CHECK(original[i].keyword == reread[i].keyword);
      if (original[i].keyword == "password")
        CHECK(reread[i].value == "****");
      else
        CHECK(original[i].value == reread[i].value);
    }
  }
  CHECK(PostgresqlAdapter::shown_location("postgresql://app:s3cret@db:5432/app") ==
        "user=app password=**** dbname=app host=db port=5432");
  CHECK(PostgresqlAdapter::shown_location("host=h sslpassword=s3cret") == "host=h sslpassword=****");
  CHECK(PostgresqlAdapter::shown_location("host=h application_name='a b'") == "host=h application_name='a b'");
  CHECK(PostgresqlAdapter::shown_location("tenant_db") == "tenant_db");  // a bare database name
  // What libpq cannot parse is not echoed: nobody knows where its password is.
  for (std::string bad : {"host=h password=s3cret nonsense_option=1", "postgresql://u:s3cret@[::1/none",
                          "host='s3cret password=x"}) {
    CAPTURE(bad);
    CHECK(PostgresqlAdapter::shown_location(bad) == "<unparseable connection string>");
  }
  // Messages: the location as given, its secrets wherever they appear, and libpq's quotes of an unparseable one.
  CHECK(PostgresqlAdapter::scrub_message("could not connect to 'host=h password=s3cret'\nDETAIL: s3cret\n",
                                         "host=h password=s3cret") ==
        "could not connect to 'password=**** host=h'; DETAIL: ****");
  CHECK(PostgresqlAdapter::scrub_message("invalid connection option \"s3cret\"\n", "password=x s3cret=1") ==
        "invalid connection option \"...\"");
}

TEST_CASE("server_of: one server for every database on it, another for another host, port or role") {
  PostgresqlAdapter adapter("host=h port=5432 user=u dbname=master");
  const auto server = adapter.server_of("host=h port=5432 user=u dbname=master");
  CHECK(adapter.server_of("postgresql://u@h:5432/tenant_a") == server);
  CHECK(adapter.server_of("host=h port=5432 user=u dbname=tenant_b password=x") == server);
  CHECK(adapter.server_of("tenant_c") == server);  // a bare name is on the maintenance server
  CHECK(adapter.server_of("host=h port=5433 user=u dbname=master") != server);
  CHECK(adapter.server_of("host=other port=5432 user=u dbname=master") != server);
  CHECK(adapter.server_of("host=h port=5432 user=v dbname=master") != server);
}

TEST_CASE("connection strings: passwords never show, tenant locations keep the master's settings") {
  std::string url = server_url();
  PostgresqlAdapter adapter(url);

  SUBCASE("connection failures") {
    for (std::string bad : {"postgresql://postgres:s3cr3t-pw@127.0.0.1:1/none?connect_timeout=2",
                            "host=127.0.0.1 port=1 password=s3cr3t-pw dbname=none connect_timeout=2",
                            "host=127.0.0.1 port=1 password='s3cr3t pw' dbname=none connect_timeout=2",
                            "postgresql://u:s3cr3t-pw@[::1/none", "postgresql://u:s3cr3t-pw@h/db?bad%zz=1",
                            "host=h password=s3cr3t-pw nonsense_option=1"}) {
      CAPTURE(bad);
      try {
        adapter.connect(bad);
        FAIL("connected");
      } catch (const database_error& e) {
        std::string what = e.what();
        CAPTURE(what);
        CHECK(what.find("s3cr3t") == std::string::npos);
        CHECK(what.find("cannot connect to '") == 0);
        CHECK(what.find('\n') == std::string::npos);
      }
    }
  }
  SUBCASE("a database name becomes the master's connection string with that dbname") {
    scratch_database db;
    auto location = adapter.tenant_database_location(url + "?application_name=it%27s%5Cx", db.name);
    CHECK(location.find("dbname=" + db.name) != std::string::npos);
    auto c = adapter.connect(location);
    CHECK(single(c, "SELECT current_database()") == db.name);
    CHECK(single(c, "SHOW application_name") == "it's\\x");
    // A key=value master too, and full connection strings as they are.
    auto again = adapter.connect(adapter.tenant_database_location(location, db.name));
    CHECK(single(again, "SELECT current_database()") == db.name);
    CHECK(adapter.tenant_database_location(url, "host=elsewhere dbname=x") == "host=elsewhere dbname=x");
    CHECK(adapter.tenant_database_location(url, "postgresql://elsewhere/x") == "postgresql://elsewhere/x");
  }
  SUBCASE("bad database names are refused before anything runs") {
    for (std::string bad : {"Bad-Name", "x\"; DROP DATABASE postgres; --", "public", "pg_x", ""}) {
      CAPTURE(bad);
      CHECK_THROWS_AS(adapter.tenant_database_location(url, bad), error);
      CHECK_THROWS_AS(adapter.create_database(bad), error);
      CHECK_THROWS_AS(adapter.drop_database(bad), error);
    }
    CHECK_THROWS_WITH(adapter.tenant_database_location(url, "Bad-Name"),
                      "database name 'Bad-Name' may contain only lowercase letters, digits and '_'");
    CHECK(adapter.database_exists("postgres"));
  }
}

TEST_CASE("provisioning databases and schemas") {
  PostgresqlAdapter adapter(server_url());
  std::string name = "tm_test_" + random_suffix();
  CHECK_FALSE(adapter.database_exists(name));
  adapter.create_database(name);
  CHECK(adapter.database_exists(name));
  CHECK_THROWS_AS(adapter.create_database(name), database_error);
  {
    auto c = adapter.connect(adapter.tenant_database_location(server_url(), name));
    c.create_schema("acme");
    CHECK(c.schema_exists("acme"));
    CHECK_FALSE(c.schema_exists("globex"));
    c.execute_script("CREATE TABLE acme.t (id INTEGER);");
    CHECK_THROWS_WITH(c.create_schema("public"), "schema name 'public' is reserved");
    CHECK_THROWS_AS(c.drop_schema("public"), error);
    CHECK_THROWS_AS(c.drop_schema("x\"; DROP SCHEMA public CASCADE; --"), error);
    c.drop_schema("acme");  // CASCADE: with its table
    CHECK_FALSE(c.schema_exists("acme"));
    CHECK(c.schema_exists("public"));
    // drop_database forces out connected sessions such as this one.
    adapter.drop_database(name);
  }
  CHECK_FALSE(adapter.database_exists(name));
  adapter.drop_database(name);  // IF EXISTS

  SUBCASE("by connection string, as provisioning passes tenant_database_location's result") {
    auto location = adapter.tenant_database_location(server_url(), name);
    adapter.create_database(location);
    CHECK(adapter.database_exists(location));
    CHECK(adapter.database_exists(name));
    PostgresqlAdapter without_maintenance;  // the server comes from the connection string alone
    CHECK(without_maintenance.database_exists(location));
    without_maintenance.drop_database(location);
    CHECK_FALSE(adapter.database_exists(name));
    CHECK_THROWS_WITH(adapter.create_database(server_url() + "?dbname=Bad%22Name"),
                      "database name 'Bad\"Name' may contain only lowercase letters, digits and '_'");
    CHECK_THROWS_AS(adapter.drop_database("host=127.0.0.1 dbname=public"), error);
  }
}

TEST_CASE("search_path, session reset, timeouts") {
  scratch_database db;
  auto c = db.admin.connect(db.location);
  c.create_schema("acme");
  c.execute_script("CREATE TABLE public.shared (id INTEGER);");

  SUBCASE("use_schema: only the tenant's schema, unless include_public_in_search_path") {
    c.use_schema("acme");
    c.execute_script("CREATE TABLE mine (id INTEGER);");
    CHECK(single(c, "SELECT to_regclass('acme.mine') IS NOT NULL") == "t");
    CHECK_THROWS_AS(c.execute_script("SELECT * FROM shared;"), database_error);
    PostgresqlAdapter with_public(db.url, postgresql_options{true});
    auto p = with_public.connect(db.location);
    p.use_schema("acme");
    p.execute_script("SELECT * FROM shared; SELECT * FROM mine; CREATE TABLE other (id INTEGER);");
    CHECK(single(p, "SELECT to_regclass('acme.other') IS NOT NULL") == "t");
  }
  SUBCASE("shared_schemas: after the tenant's schema, in order, quoted; odd names refused") {
    c.create_schema("extensions");
    postgresql_options options;
    options.shared_schemas = {"extensions", "public", "extensions"};
    PostgresqlAdapter shared(db.url, options);
    auto p = shared.connect(db.location);
    p.use_schema("acme");
    CHECK(single(p, "SHOW search_path") == "acme, extensions, public");
    p.execute_script("SELECT * FROM shared; CREATE TABLE mine2 (id INTEGER);");
    CHECK(single(p, "SELECT to_regclass('acme.mine2') IS NOT NULL") == "t");
    options.shared_schemas = {"x\"; DROP SCHEMA public; --"};
    CHECK_THROWS_AS(PostgresqlAdapter(db.url, options), usage_error);
    options.shared_schemas = {"pg_catalog"};
    CHECK_THROWS_WITH_AS(PostgresqlAdapter(db.url, options), "shared schema name 'pg_catalog' is reserved", usage_error);
  }
  SUBCASE("reset_session ends a transaction and discards settings and locks") {
    c.use_schema("acme");
    c.execute_script("SET statement_timeout = 12345;");
    REQUIRE(c.try_lock_tenant("schema:acme", 0ms));
    c.begin();
    c.reset_session();
    CHECK(PQtransactionStatus(c.native_handle()) == PQTRANS_IDLE);
    CHECK(single(c, "SHOW search_path") == "\"$user\", public");
    CHECK(single(c, "SHOW statement_timeout") == "0");
    CHECK(single(c, "SHOW client_min_messages") == "warning");
    auto other = db.admin.connect(db.location);
    CHECK(other.try_lock_tenant("schema:acme", 0ms));
  }
  SUBCASE("set_local_timeouts: lock timeout") {
    c.execute_script("CREATE TABLE busy (id INTEGER);");
    auto holder = db.admin.connect(db.location);
    holder.begin();
    holder.execute_script("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE;");
    c.begin();
    c.set_local_timeouts(100ms, 0ms);
    CHECK(single(c, "SHOW lock_timeout") == "100ms");
    CHECK(single(c, "SHOW statement_timeout") == "0");
    try {
      c.execute_script("SELECT 1;\nALTER TABLE busy ADD COLUMN x INTEGER;");
      FAIL("no timeout");
    } catch (const database_error& e) {
      CHECK(std::string(e.what()) ==
            "lock timeout fired: 55P03: canceling statement due to lock timeout (line 2)");
      CHECK(e.sqlstate() == "55P03");
    }
    c.rollback();
    holder.rollback();
    CHECK(single(c, "SHOW lock_timeout") == "0");  // SET LOCAL ended with the transaction
  }
  SUBCASE("set_local_timeouts: statement timeout") {
    c.begin();
    c.set_local_timeouts(0ms, 100ms);
    try {
      c.execute_script("SELECT pg_sleep(5);");
      FAIL("no timeout");
    } catch (const database_error& e) {
      CHECK(std::string(e.what()).find("statement timeout fired: 57014: canceling statement "
                                       "due to statement timeout") == 0);
    }
    c.rollback();
    CHECK(single(c, "SHOW statement_timeout") == "0");
  }
  SUBCASE("tenant locks: per database and key, released by unlock") {
    auto other = db.admin.connect(db.location);
    REQUIRE(c.try_lock_tenant("schema:acme", 0ms));
    auto started = std::chrono::steady_clock::now();
    CHECK_FALSE(other.try_lock_tenant("schema:acme", 150ms));
    CHECK(std::chrono::steady_clock::now() - started >= 150ms);
    CHECK(other.try_lock_tenant("schema:globex", 0ms));
    scratch_database second;
    auto elsewhere = second.admin.connect(second.location);
    CHECK(elsewhere.try_lock_tenant("schema:acme", 0ms));  // same key, other database
    c.unlock_tenant("schema:acme");
    CHECK(other.try_lock_tenant("schema:acme", 0ms));
  }
}

namespace {

// A master database with the tenant registry (and the schema tenants), database
// tenants beside it on the same server, and a migration folder.
struct installation {
  scratch_database master;
  PostgresqlAdapter& adapter = master.admin;
  temp_dir dir;
  std::vector<std::string> databases;  // created for database tenants, dropped at the end

  installation() {
    SqlCatalog catalog(adapter.connect(master.location));
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
  ~installation() {
    for (const auto& name : databases) {
      try {
        adapter.drop_database(name);
      } catch (...) {
      }
    }
  }

  PostgresqlConnection open_master() { return adapter.connect(master.location); }
  void register_tenant(const tenant& t) { SqlCatalog(open_master()).add_tenant(t); }

  // A schema tenant: schema `id` in the master database.
  void add_schema(const std::string& id, bool create = true) {
    if (create) open_master().create_schema(id);
    register_tenant({id, id + " Inc.", isolation_kind::schema, id, tenant_status::active, {}});
  }
  // A database tenant: database <master>_<id>, registered by name or by full connection string.
  void add_database(const std::string& id, bool by_connection_string = false) {
    std::string name = master.name + "_" + id;
    adapter.create_database(name);
    databases.push_back(name);
    register_tenant({id, id + " Inc.", isolation_kind::database,
                     by_connection_string ? adapter.tenant_database_location(master.url, name) : name,
                     tenant_status::active, {}});
  }
  // A connection to tenant `id` (schema tenants: search_path set to it).
  PostgresqlConnection open(const std::string& id) {
    if (auto t = SqlCatalog(open_master()).find_tenant(id); t && t->isolation == isolation_kind::schema) {
      auto c = open_master();
      c.use_schema(id);
      return c;
    }
    return adapter.connect(adapter.tenant_database_location(master.location, master.name + "_" + id));
  }
  migration_set migrations() { return load_migration_directory(dir / "migrations"); }

  template <class Isolation, class Policy = FreshConnectionPerTenant<PostgresqlAdapter>>
  run_summary run(std::ostream& out, const std::function<void(migrator_options&)>& configure = {},
                  Policy* used = nullptr) {
    SqlCatalog catalog(open_master());
    migrator_options options{master.location};
    if (configure) configure(options);
    TenantMigrator<Isolation, Policy, ConsoleReporter> migrator(Policy(adapter), ConsoleReporter(out, console_style{false}),
                                                               options);
    auto summary = migrator.migrate_all(catalog, migrations());
    if (used) *used = std::move(migrator.connections());
    return summary;
  }

  std::vector<std::string> history(const std::string& id) {
    auto c = open(id);
    std::vector<std::string> out;
    for (auto& r : c.query("SELECT app || '/' || name FROM tenant_migrator_history ORDER BY app, name", {}))
      out.push_back(*r[0]);
    return out;
  }
  // Schema-qualified names of the tables of the master database outside pg_catalog and information_schema.
  std::set<std::string> master_tables() {
    std::set<std::string> out;
    auto c = open_master();
    for (auto& r : c.query("SELECT schemaname || '.' || tablename FROM pg_tables"
                           " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
                           {}))
      out.insert(*r[0]);
    return out;
  }
};

std::map<std::string, tenant_result> by_id(const run_summary& s) {
  std::map<std::string, tenant_result> out;
  for (const auto& r : s.tenants) out[r.tenant_id] = r;
  return out;
}

const std::vector<std::string> all_applied{"products/0001_initial", "users/0001_initial",
                                           "users/0002_alter_user_email"};
const std::string globex_error =
    "products/0001_initial.sql: 42P07: relation \"product_tags\" already exists (line 3)";

}  // namespace

TEST_CASE_TEMPLATE("schema per tenant: three tenants, the middle one failing", Policy,
                   FreshConnectionPerTenant<PostgresqlAdapter>, ReuseConnectionPerServer<PostgresqlAdapter>) {
  installation inst;
  inst.add_schema("acme");
  inst.add_schema("globex");
  inst.add_schema("initech");
  inst.open("globex").execute_script("CREATE TABLE product_tags (x INTEGER);");

  std::ostringstream out;
  Policy used{PostgresqlAdapter{}};
  auto summary = inst.run<SchemaPerTenant, Policy>(out, {}, &used);
  REQUIRE(summary.tenants.size() == 3);
  CHECK(summary.tenants[0].tenant_id == "acme");
  CHECK(summary.tenants[0].outcome == tenant_outcome::migrated);
  CHECK(summary.tenants[1].tenant_id == "globex");
  CHECK(summary.tenants[1].outcome == tenant_outcome::failed);
  CHECK(summary.tenants[1].error == globex_error);
  CHECK(summary.tenants[2].tenant_id == "initech");
  CHECK(summary.tenants[2].outcome == tenant_outcome::migrated);
  CHECK(out.str().find("  products/0001_initial.sql ... FAILED\n") != std::string::npos);
  CHECK(out.str().find("  FAILED globex - FAILED\n") != std::string::npos);
  CHECK(out.str().find("  Total: 3 tenants, 2 succeeded, 1 failed\n") != std::string::npos);
  if constexpr (std::is_same_v<Policy, ReuseConnectionPerServer<PostgresqlAdapter>>)
    CHECK(used.open_connections() == 1);  // all three share the master's server

  CHECK(inst.history("acme") == all_applied);
  CHECK(inst.history("initech") == all_applied);
  CHECK(inst.history("globex") == std::vector<std::string>{"users/0001_initial"});
  // Each history table lives in its tenant's schema; the failed migration left nothing.
  CHECK(inst.master_tables() ==
        std::set<std::string>{"acme.product_tags", "acme.products", "acme.tenant_migrator_history", "acme.users",
                              "globex.product_tags", "globex.tenant_migrator_history", "globex.users",
                              "initech.product_tags", "initech.products", "initech.tenant_migrator_history",
                              "initech.users", "public.tenant_migrator_tenants"});
  auto acme = inst.open("acme");
  CHECK(single(acme, "SELECT name FROM products WHERE id = $1", {"1"}) == "first");

  SUBCASE("a second run applies nothing to the migrated tenants; fixed by hand, the third completes globex") {
    std::ostringstream again;
    auto s2 = inst.run<SchemaPerTenant, Policy>(again);
    CHECK(s2.tenants[0].outcome == tenant_outcome::up_to_date);
    CHECK(s2.tenants[1].outcome == tenant_outcome::failed);
    CHECK(s2.tenants[2].outcome == tenant_outcome::up_to_date);
    inst.open("globex").execute_script("DROP TABLE product_tags;");
    std::ostringstream third;
    auto s3 = inst.run<SchemaPerTenant, Policy>(third);
    CHECK(s3.all_succeeded());
    CHECK(s3.tenants[1].applied == 2);
    CHECK(inst.history("globex") == all_applied);
  }
}

TEST_CASE("database per tenant: three databases, the middle one failing") {
  installation inst;
  inst.add_database("acme");
  inst.add_database("globex");
  inst.add_database("initech", true);
  inst.open("globex").execute_script("CREATE TABLE product_tags (x INTEGER);");

  std::ostringstream out;
  auto s = inst.run<DatabasePerTenant>(out);
  REQUIRE(s.tenants.size() == 3);
  CHECK(s.tenants[0].outcome == tenant_outcome::migrated);
  CHECK(s.tenants[1].outcome == tenant_outcome::failed);
  CHECK(s.tenants[1].error == globex_error);
  CHECK(s.tenants[2].outcome == tenant_outcome::migrated);
  CHECK(inst.history("acme") == all_applied);
  CHECK(inst.history("initech") == all_applied);
  CHECK(inst.history("globex") == std::vector<std::string>{"users/0001_initial"});
  auto globex = inst.open("globex");
  CHECK_FALSE(single(globex, "SELECT to_regclass('public.products')::text").has_value());
  // Nothing landed in the master.
  CHECK(inst.master_tables() == std::set<std::string>{"public.tenant_migrator_tenants"});
}

TEST_CASE("--connection reuse with 30 database tenants holds one connection to their server, not one per database") {
  installation inst;
  std::vector<std::string> ids;
  for (int i = 0; i < 30; ++i) {
    ids.push_back(fmt::format("t{:02}", i));
    inst.add_database(ids.back(), i % 2 == 1);  // by name and by connection string alike
  }
  // Sessions of the migrator (its fallback_application_name) on this installation's tenant databases.
  const std::string count_sessions = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tenant_migrator'"
                                     " AND datname LIKE '" + inst.master.name + "\\_t%'";
  // Watched from another connection all through the run, every 2 ms.
  std::ostringstream out;
  ReuseConnectionPerServer<PostgresqlAdapter> used{PostgresqlAdapter{}};
  std::atomic<int> most{0};
  std::atomic<bool> done{false};
  auto watcher = inst.open_master();
  std::thread poll([&] {
    while (!done) {
      auto r = watcher.query(count_sessions, {});
      most = std::max(most.load(), std::stoi(r.at(0).at(0).value_or("0")));
      std::this_thread::sleep_for(2ms);
    }
  });
  auto s = inst.run<DatabasePerTenant, ReuseConnectionPerServer<PostgresqlAdapter>>(out, {}, &used);
  done = true;
  poll.join();
  REQUIRE(s.tenants.size() == 30);
  for (const auto& t : s.tenants) {
    CAPTURE(t.tenant_id);
    CHECK(t.outcome == tenant_outcome::migrated);
  }
  CHECK(used.open_connections() == 1);
  CHECK(std::stoi(*single(watcher, count_sessions)) == 1);  // the last tenant's, kept for reuse
  CHECK(most.load() <= 1);
}

TEST_CASE("mixed isolation (PerTenantIsolation): schema and database tenants in one run") {
  installation inst;
  inst.add_schema("acme");
  inst.add_database("globex");
  inst.add_database("hooli", true);
  inst.add_schema("initech");
  inst.add_schema("ghost", false);  // registered, but its schema was never created

  std::ostringstream out;
  auto s = by_id(inst.run<PerTenantIsolation>(out));
  REQUIRE(s.size() == 5);
  for (std::string id : {"acme", "globex", "hooli", "initech"}) {
    CAPTURE(id);
    CHECK(s[id].outcome == tenant_outcome::migrated);
    CHECK(inst.history(id) == all_applied);
  }
  CHECK(s["ghost"].outcome == tenant_outcome::failed);
  CHECK(s["ghost"].error == "schema 'ghost' of tenant 'ghost' does not exist");
  CHECK(inst.open_master().schema_exists("ghost") == false);
}

TEST_CASE("hostile tenant locations are refused and public is untouched") {
  installation inst;
  inst.add_schema("acme");
  auto m = inst.open_master();
  m.execute_script("CREATE TABLE public.sentinel (id INTEGER); INSERT INTO public.sentinel VALUES (1);");
  inst.register_tenant({"hostile", "Hostile", isolation_kind::schema, "x\"; DROP SCHEMA public CASCADE; --",
                        tenant_status::active, {}});
  inst.register_tenant({"pub", "Public", isolation_kind::schema, "public", tenant_status::active, {}});
  inst.register_tenant({"catalog", "Catalog", isolation_kind::schema, "pg_catalog", tenant_status::active, {}});
  inst.register_tenant({"evildb", "Evil DB", isolation_kind::database, "x\"; DROP DATABASE postgres; --",
                        tenant_status::active, {}});

  std::ostringstream out;
  auto s = by_id(inst.run<PerTenantIsolation>(out));
  CHECK(s["acme"].outcome == tenant_outcome::migrated);
  CHECK(s["hostile"].outcome == tenant_outcome::failed);
  CHECK(s["hostile"].error ==
        "tenant 'hostile': schema name 'x\"; DROP SCHEMA public CASCADE; --' may contain only lowercase letters, "
        "digits and '_'");
  CHECK(s["pub"].error == "tenant 'pub': schema name 'public' is reserved");
  CHECK(s["catalog"].error == "tenant 'catalog': schema name 'pg_catalog' is reserved");
  CHECK(s["evildb"].outcome == tenant_outcome::failed);
  CHECK(s["evildb"].error ==
        "database name 'x\"; DROP DATABASE postgres; --' may contain only lowercase letters, digits and '_'");

  CHECK(m.schema_exists("public"));
  CHECK(single(m, "SELECT count(*) FROM public.sentinel") == "1");
  CHECK(inst.master_tables() == std::set<std::string>{"acme.product_tags", "acme.products",
                                                      "acme.tenant_migrator_history", "acme.users",
                                                      "public.sentinel", "public.tenant_migrator_tenants"});
  CHECK(inst.adapter.database_exists("postgres"));
}

TEST_CASE("a tenant locked by another run is skipped; the others are migrated") {
  installation inst;
  inst.add_schema("acme");
  inst.add_schema("globex");
  inst.add_schema("initech");
  auto other_run = inst.open_master();
  REQUIRE(other_run.try_lock_tenant("schema:globex", 0ms));

  std::ostringstream out;
  auto started = std::chrono::steady_clock::now();
  auto s = inst.run<SchemaPerTenant>(out, [](migrator_options& o) { o.lock_wait = 200ms; });
  CHECK(std::chrono::steady_clock::now() - started >= 200ms);
  REQUIRE(s.tenants.size() == 3);
  CHECK(s.tenants[0].outcome == tenant_outcome::migrated);
  CHECK(s.tenants[1].tenant_id == "globex");
  CHECK(s.tenants[1].outcome == tenant_outcome::skipped);
  CHECK(s.tenants[1].error == "locked by another run");
  CHECK(s.tenants[2].outcome == tenant_outcome::migrated);
  CHECK(inst.open_master().query("SELECT 1 FROM pg_tables WHERE schemaname = 'globex'", {}).empty());
  // The run released the locks it took.
  CHECK(inst.open_master().try_lock_tenant("schema:acme", 0ms));

  other_run.unlock_tenant("schema:globex");
  std::ostringstream again;
  auto s2 = inst.run<SchemaPerTenant>(again, [](migrator_options& o) { o.lock_wait = 200ms; });
  CHECK(s2.tenants[1].outcome == tenant_outcome::migrated);
  CHECK(inst.history("globex") == all_applied);
}

TEST_CASE("the migrator's lock timeout fails a tenant whose table is busy; the others are migrated") {
  installation inst;
  inst.add_schema("acme");
  inst.add_schema("globex");
  std::ostringstream out;
  REQUIRE(inst.run<SchemaPerTenant>(out).all_succeeded());
  write_file(inst.dir / "migrations/users/0003_add_phone.sql", "ALTER TABLE users ADD COLUMN phone TEXT;\n");
  auto holder = inst.open_master();
  holder.begin();
  holder.execute_script("LOCK TABLE globex.users IN ACCESS SHARE MODE;");
  std::ostringstream again;
  auto s = inst.run<SchemaPerTenant>(again, [](migrator_options& o) { o.lock_timeout = 100ms; });
  holder.rollback();
  REQUIRE(s.tenants.size() == 2);
  CHECK(s.tenants[0].outcome == tenant_outcome::migrated);
  CHECK(s.tenants[1].outcome == tenant_outcome::failed);
  CHECK(s.tenants[1].error == "users/0003_add_phone.sql: lock timeout fired: 55P03: canceling "
                              "statement due to lock timeout (line 1)");
  CHECK(inst.history("globex").back() == "users/0002_alter_user_email");
}

TEST_CASE("transaction: off migrations run outside a transaction, recorded only after success") {
  installation inst;
  inst.add_schema("acme");
  write_file(inst.dir / "migrations/users/0003_concurrent_index.sql",
             "-- transaction: off\nCREATE INDEX CONCURRENTLY users_id_email ON users (id, email);\n");
  std::ostringstream out;
  REQUIRE(inst.run<SchemaPerTenant>(out).all_succeeded());
  CHECK(inst.history("acme").back() == "users/0003_concurrent_index");

  SUBCASE("a failure half-way leaves an INVALID index and no history row") {
    write_file(inst.dir / "migrations/users/0004_duplicates.sql",
               "CREATE TABLE tags (label TEXT);\nINSERT INTO tags VALUES ('a'), ('a');\n");
    write_file(inst.dir / "migrations/users/0005_unique_tags.sql",
               "-- transaction: off\nCREATE UNIQUE INDEX CONCURRENTLY tags_label ON tags (label);\n");
    std::ostringstream o;
    auto s = inst.run<SchemaPerTenant>(o);
    CHECK(s.tenants[0].outcome == tenant_outcome::failed);
    CHECK(s.tenants[0].error.find("users/0005_unique_tags.sql: 23505: could not create unique index \"tags_label\"") ==
          0);
    CHECK(inst.history("acme").back() == "users/0004_duplicates");
    auto c = inst.open("acme");
    CHECK(single(c, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'acme.tags_label'::regclass") ==
          "false");
  }
  SUBCASE("several statements in one such file run one at a time") {
    write_file(inst.dir / "migrations/users/0004_two.sql",
               "-- transaction: off\nCREATE TABLE hits (n int);\nINSERT INTO hits VALUES (1);\n"
               "CREATE INDEX CONCURRENTLY a ON users (email);\nCREATE UNIQUE INDEX CONCURRENTLY b ON hits (n);\n");
    std::ostringstream o;
    REQUIRE(inst.run<SchemaPerTenant>(o).all_succeeded());
    CHECK(inst.history("acme").back() == "users/0004_two");
    auto c = inst.open("acme");
    CHECK(single(c, "SELECT count(*) FROM pg_index WHERE indexrelid IN ('acme.a'::regclass, 'acme.b'::regclass) "
                    "AND indisvalid") == "2");
    CHECK(single(c, "SELECT count(*) FROM acme.tenant_migrator_history_progress") == "0");
  }
  SUBCASE("a failure at statement 3 of 4: reported, its progress kept, the rerun goes on from there") {
    const std::string statements_1_2 = "-- transaction: off\nCREATE TABLE hits (n int);\nINSERT INTO hits VALUES (1), (1);\n";
    write_file(inst.dir / "migrations/users/0004_two.sql",
               statements_1_2 + "CREATE UNIQUE INDEX CONCURRENTLY hits_n ON hits (n);\n"
                                "CREATE INDEX CONCURRENTLY a ON users (email);\n");
    std::ostringstream o;
    auto s = inst.run<SchemaPerTenant>(o);
    REQUIRE(s.tenants[0].outcome == tenant_outcome::failed);
    CHECK(s.tenants[0].error.find("users/0004_two.sql: statement 3 of 4 failed: 23505: could not create unique index "
                                  "\"hits_n\"") == 0);
    CHECK(s.tenants[0].error.ends_with("; statements 1\u20132 are applied"));
    auto c = inst.open("acme");
    CHECK(single(c, "SELECT statements_done FROM acme.tenant_migrator_history_progress") == "2");
    CHECK(inst.history("acme").back() == "users/0003_concurrent_index");

    SUBCASE("the file fixed after the failing statement: statements 1-2 are not repeated") {
      c.execute_script("DROP INDEX acme.hits_n");  // the INVALID index the failure left
      write_file(inst.dir / "migrations/users/0004_two.sql",
                 statements_1_2 + "CREATE INDEX CONCURRENTLY hits_n ON hits (n);\n"
                                  "CREATE INDEX CONCURRENTLY a ON users (email);\n");
      std::ostringstream again;
      REQUIRE(inst.run<SchemaPerTenant>(again).all_succeeded());
      CHECK(inst.history("acme").back() == "users/0004_two");
      CHECK(single(c, "SELECT count(*) FROM acme.hits") == "2");
      CHECK(single(c, "SELECT count(*) FROM acme.tenant_migrator_history_progress") == "0");
    }
    SUBCASE("an applied statement's text changed: refused, nothing run") {
      write_file(inst.dir / "migrations/users/0004_two.sql",
                 "-- transaction: off\nCREATE TABLE hits (n bigint);\nINSERT INTO hits VALUES (1), (1);\n"
                 "CREATE INDEX CONCURRENTLY a ON users (email);\n");
      std::ostringstream again;
      auto r = inst.run<SchemaPerTenant>(again);
      CHECK(r.tenants[0].error.find("users/0004_two.sql: an earlier run applied its first 2 statement(s), and their "
                                    "text has changed since") == 0);
      CHECK(single(c, "SELECT count(*) FROM pg_class WHERE relname = 'a' AND relnamespace = 'acme'::regnamespace") ==
            "0");
    }
  }
}

using test_support::CountingPolicy;

TEST_CASE("fast path: up-to-date schema tenants are read with one connection, not one each") {
  installation inst;
  const int n = 40;
  for (int i = 0; i < n; ++i) inst.add_schema(fmt::format("t{:03}", i));
  using Policy = CountingPolicy<FreshConnectionPerTenant<PostgresqlAdapter>>;
  std::ostringstream out;
  Policy first;
  REQUIRE(inst.run<PerTenantIsolation, Policy>(out, {}, &first).all_succeeded());
  CHECK(*first.calls == n + 1);  // nothing known yet: the read, then every tenant

  Policy second;
  std::ostringstream again;
  auto s = inst.run<PerTenantIsolation, Policy>(again, {}, &second);
  CHECK(s.all_succeeded());
  CHECK(s.tenants.size() == n);
  CHECK(s.tenants[7].outcome == tenant_outcome::up_to_date);
  CHECK(*second.calls == 1);
  // Over 20 tenants the summary counts the up-to-date ones instead of naming them.
  CHECK(again.str().find("40 up to date") != std::string::npos);
  CHECK(again.str().find("t007") == std::string::npos);

  // A tenant whose history no longer fits takes the normal path and fails there.
  inst.open("t003").query("UPDATE tenant_migrator_history SET checksum = 'x' WHERE name = '0001_initial' AND app = 'users'", {});
  write_file(inst.dir / "migrations/users/0003_more.sql", "CREATE TABLE more (id INTEGER);\n");
  Policy third;
  std::ostringstream o3;
  auto s3 = inst.run<PerTenantIsolation, Policy>(o3, {}, &third);
  CHECK(*third.calls == n + 1);  // all pending now
  auto results = by_id(s3);
  CHECK(results["t003"].outcome == tenant_outcome::failed);
  CHECK(results["t004"].outcome == tenant_outcome::migrated);
}

namespace {
// A strategy of a user's own: schema tenants whose history is in another
// table. It has no batch reads, so the fast path must leave it alone.
struct SchemaWithOwnHistory {
  static constexpr bool needs_schemas = true;
  template <DatabaseAdapter A>
  static std::string connection_target(const A& adapter, const tenant& t, std::string_view master_location) {
    return SchemaPerTenant::connection_target(adapter, t, master_location);
  }
  template <DatabaseConnection C>
  static tenant_scope enter(C& connection, const tenant& t) {
    auto scope = SchemaPerTenant::enter(connection, t);
    scope.history_table = connection.quote_identifier(t.location) + "." + connection.quote_identifier("own_history");
    return scope;
  }
};
static_assert(!BatchHistoryReader<SchemaWithOwnHistory, PostgresqlAdapter>);
static_assert(BatchHistoryReader<SchemaPerTenant, PostgresqlAdapter>);
}  // namespace

TEST_CASE("fast path: a strategy without batch reads is never judged from another strategy's history table") {
  installation inst;
  for (const char* id : {"acme", "globex", "initech"}) inst.add_schema(id);
  std::ostringstream out;
  REQUIRE(inst.run<SchemaPerTenant>(out).all_succeeded());  // tenant_migrator_history: everything applied

  // Its own history table is empty: every tenant has everything pending, and
  // is migrated through the normal path (where the tables already exist).
  using Policy = CountingPolicy<FreshConnectionPerTenant<PostgresqlAdapter>>;
  Policy used;
  std::ostringstream again;
  auto s = inst.run<SchemaWithOwnHistory, Policy>(again, {}, &used);
  CHECK(*used.calls == 3);  // a connection per tenant, no batch read
  for (const auto& r : s.tenants) {
    CHECK(r.outcome == tenant_outcome::failed);
    CHECK(r.error.find("already exists") != std::string::npos);
  }
  // Its history table was to be created with the first migration, and was rolled back with it.
  CHECK_THROWS_AS(inst.open("acme").query("SELECT count(*) FROM own_history", {}), database_error);
}

TEST_CASE("fast path: plans and states of many schema tenants are read with one connection") {
  installation inst;
  const int n = 12;
  for (int i = 0; i < n; ++i) inst.add_schema(fmt::format("s{:03}", i));
  std::ostringstream out;
  REQUIRE(inst.run<PerTenantIsolation>(out).all_succeeded());
  write_file(inst.dir / "migrations/users/0003_more.sql", "CREATE TABLE more (id INTEGER);\n");
  using Policy = CountingPolicy<FreshConnectionPerTenant<PostgresqlAdapter>>;
  Policy counting(inst.adapter);
  auto calls = counting.calls;
  TenantMigrator<PerTenantIsolation, Policy, NullReporter> migrator(std::move(counting), {},
                                                                    migrator_options{inst.master.location});
  SqlCatalog catalog(inst.open_master());
  auto tenants = select_tenants(catalog);
  REQUIRE(tenants.size() == n);
  auto set = inst.migrations();
  auto plans = migrator.plan_tenants(tenants, set);
  CHECK(*calls == 1);
  REQUIRE(plans.size() == n);
  for (const auto& p : plans) {
    CHECK(p.error.empty());
    REQUIRE(p.steps.size() == 1);
    CHECK(p.steps[0].what->key().str() == "users/0003_more");
  }
  auto states = migrator.inspect_tenants(tenants, set);
  CHECK(*calls == 2);
  for (const auto& s : states) CHECK(s.pending() == 1);
}

namespace {
// PostgreSQL in batches of five schemas: a dozen tenants make three batches.
struct FiveSchemaBatches : PostgresqlAdapter {
  using PostgresqlAdapter::PostgresqlAdapter;
  explicit FiveSchemaBatches(const PostgresqlAdapter& a) : PostgresqlAdapter(a) {}
  static constexpr std::size_t history_batch_size = 5;
};

// Lends connections as FreshConnectionPerTenant does, and counts them. The
// first two it lends wait (up to `meet`) until both are in use at once: the
// fast path's readers must read side by side.
struct MeetingPolicy {
  using adapter_type = FiveSchemaBatches;
  struct counts {
    std::mutex mutex;
    std::condition_variable changed;
    int lent = 0, open = 0, most = 0;
  };
  FreshConnectionPerTenant<FiveSchemaBatches> inner;
  std::chrono::milliseconds meet{30s};
  std::shared_ptr<counts> seen = std::make_shared<counts>();

  adapter_type& adapter() { return inner.adapter(); }
  MeetingPolicy for_worker() const { return {inner.for_worker(), meet, seen}; }
  template <class F>
  decltype(auto) with_connection(const std::string& target, F&& f) {
    {
      std::unique_lock lock(seen->mutex);
      const int n = ++seen->lent;
      seen->most = std::max(seen->most, ++seen->open);
      seen->changed.notify_all();
      if (n <= 2) seen->changed.wait_for(lock, meet, [&] { return seen->open >= 2; });
    }
    struct leave {
      counts& c;
      ~leave() {
        std::lock_guard lock(c.mutex);
        --c.open;
      }
    } left{*seen};
    return inner.with_connection(target, std::forward<F>(f));
  }
};
}  // namespace

TEST_CASE("fast path: two connections read a server's history batches side by side") {
  installation inst;
  const int n = 12;
  for (int i = 0; i < n; ++i) inst.add_schema(fmt::format("p{:03}", i));
  std::ostringstream out;
  REQUIRE(inst.run<PerTenantIsolation>(out).all_succeeded());
  auto set = inst.migrations();
  SqlCatalog catalog(inst.open_master());
  const auto tenants = select_tenants(catalog);
  REQUIRE(tenants.size() == n);
  auto run_with = [&](std::size_t readers, std::chrono::milliseconds meet) {
    migrator_options options{inst.master.location};
    options.history_readers = readers;
    MeetingPolicy policy{FreshConnectionPerTenant<FiveSchemaBatches>(FiveSchemaBatches(inst.adapter)), meet};
    auto seen = policy.seen;
    TenantMigrator<PerTenantIsolation, MeetingPolicy, NullReporter> migrator(std::move(policy), {}, options);
    auto summary = migrator.run(tenants, set);
    CHECK(summary.tenants.size() == n);
    for (const auto& r : summary.tenants) CHECK_MESSAGE(r.outcome == tenant_outcome::up_to_date, r.tenant_id);
    return std::pair{seen->lent, seen->most};
  };
  SUBCASE("two readers (the default): both connections in use at once, none for a tenant") {
    CHECK(migrator_options{}.history_readers == 2);
    CHECK(run_with(2, 30s) == std::pair{2, 2});
  }
  SUBCASE("one reader: one connection") {
    CHECK(run_with(1, 1ms) == std::pair{1, 1});
  }
}

TEST_CASE("repair of a schema tenant without a history table: nothing to accept, no error, no table") {
  installation inst;
  inst.add_schema("fresh");
  using Policy = FreshConnectionPerTenant<PostgresqlAdapter>;
  TenantMigrator<SchemaPerTenant, Policy, NullReporter> migrator(Policy(inst.adapter), NullReporter{},
                                                                 migrator_options{inst.master.location});
  auto fresh = SqlCatalog(inst.open_master()).find_tenant("fresh");
  REQUIRE(fresh);
  CHECK(migrator.repair_tenant(*fresh, inst.migrations()).empty());
  CHECK(inst.master_tables().count("fresh.tenant_migrator_history") == 0);
}
