// The core without a real database: migration files, sets, plans, history
// checks, master URLs, concepts, reporters, and the run loop over a fake adapter.
#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include <tenant_migrator/tenant_migrator.hpp>

#include "support/fake_adapter.hpp"
#include "support/files.hpp"

using namespace tenant_migrator;
using test_support::temp_dir;
using test_support::write_file;

namespace {

std::vector<std::string> problems_of(const std::filesystem::path& dir) {
  try {
    load_migration_directory(dir);
  } catch (const migration_set_error& e) {
    std::vector<std::string> out;
    for (const auto& p : e.problems()) out.push_back(p.file + ": " + p.message);
    return out;
  }
  return {};
}

bool any_contains(const std::vector<std::string>& lines, const std::string& needle) {
  for (const auto& l : lines)
    if (l.find(needle) != std::string::npos) return true;
  return false;
}

std::vector<std::string> order_of(const migration_set& set) {
  std::vector<std::string> out;
  for (const auto& m : set.ordered()) out.push_back(m.key().str());
  return out;
}

}  // namespace

TEST_CASE("migration file names") {
  auto ok = parse_migration_filename("0001_initial.sql");
  CHECK(ok.error.empty());
  CHECK(ok.number == 1);
  CHECK(ok.name == "0001_initial");
  CHECK_FALSE(ok.is_down);
  auto down = parse_migration_filename("0012_add_phone.down.sql");
  CHECK(down.error.empty());
  CHECK(down.is_down);
  CHECK(down.number == 12);
  // Four digits or more: no ceiling at 9999, timestamps too.
  CHECK(parse_migration_filename("10000_next.sql").number == 10000);
  CHECK(parse_migration_filename("20240115093000_add_email.sql").number == 20240115093000);
  for (const char* bad : {"1_initial.sql", "0001-initial.sql", "1000000000000000000_nineteen_digits.sql", "0001_Initial.sql", "0001_.sql", "0000_zero.sql",
                          "abcd_x.sql", "0001_initial.txt", "0001_initial", "0001_in itial.sql"})
    CHECK_MESSAGE(!parse_migration_filename(bad).error.empty(), bad);
}

TEST_CASE("migration header directives") {
  auto h = parse_migration_header("-- A comment\n-- depends: products/0001_initial, billing/0002_x\n"
                                  "-- depends: users/0003_y.sql\n-- transaction: off\n\nCREATE TABLE t (id int);\n");
  CHECK(h.errors.empty());
  CHECK(h.has_sql);
  CHECK_FALSE(h.transactional);
  REQUIRE(h.depends.size() == 3);
  CHECK(h.depends[0].str() == "products/0001_initial");
  CHECK(h.depends[2].str() == "users/0003_y");

  CHECK_FALSE(parse_migration_header("-- only a comment\n\n").has_sql);
  CHECK_FALSE(parse_migration_header("").has_sql);
  CHECK(parse_migration_header("-- transaction: maybe\nSELECT 1;").errors.size() == 1);
  CHECK(parse_migration_header("-- depends: nonsense\nSELECT 1;").errors.size() == 1);
  // Directives after the first SQL line are plain comments.
  CHECK(parse_migration_header("SELECT 1;\n-- transaction: off\n").transactional);
}

TEST_CASE("a migration folder is read, validated and ordered") {
  temp_dir d;
  write_file(d / "users/0001_initial.sql", "CREATE TABLE users (id int);");
  write_file(d / "users/0002_alter_user_email.sql", "ALTER TABLE users ADD email text;");
  write_file(d / "users/0002_alter_user_email.down.sql", "ALTER TABLE users DROP email;");
  write_file(d / "products/0001_initial.sql", "-- depends: users/0001_initial\nCREATE TABLE products (id int);");
  write_file(d / "billing/0001_initial.sql", "-- depends: products/0001_initial\nCREATE TABLE invoices (id int);");
  write_file(d / "README.md", "not a migration");
  auto set = load_migration_directory(d.path());
  // Dependencies first, then app name, then number.
  CHECK(order_of(set) == std::vector<std::string>{"users/0001_initial", "products/0001_initial", "billing/0001_initial",
                                                  "users/0002_alter_user_email"});
  const migration* m = set.find({"users", "0002_alter_user_email"});
  REQUIRE(m);
  CHECK(m->down_sql.has_value());
  CHECK(m->depends == std::vector<migration_key>{{"users", "0001_initial"}});
  CHECK(m->checksum.size() == 64);
  CHECK(m->file() == "users/0002_alter_user_email.sql");
  // The same folder always gives the same order.
  CHECK(order_of(load_migration_directory(d.path())) == order_of(set));
}

TEST_CASE("every problem of a migration set is reported with its file") {
  SUBCASE("missing folder") {
    temp_dir d;
    CHECK_THROWS_WITH_AS(load_migration_directory(d / "nope"), doctest::Contains("does not exist"), usage_error);
  }
  SUBCASE("conflicting migrations: two with the same number") {
    temp_dir d;
    write_file(d / "users/0001_initial.sql", "SELECT 1;");
    write_file(d / "users/0002_alter_user_email.sql", "SELECT 1;");
    write_file(d / "users/0002_add_phone.sql", "SELECT 1;");
    auto p = problems_of(d.path());
    CHECK(any_contains(p, "Conflicting migrations in app 'users': 0002_add_phone, 0002_alter_user_email"));
  }
  SUBCASE("unknown dependency") {
    temp_dir d;
    write_file(d / "users/0001_initial.sql", "-- depends: products/0009_nope\nSELECT 1;");
    auto p = problems_of(d.path());
    CHECK(any_contains(p, "users/0001_initial.sql: depends on products/0009_nope, which does not exist"));
  }
  SUBCASE("cycle") {
    temp_dir d;
    write_file(d / "a/0001_x.sql", "-- depends: b/0001_y\nSELECT 1;");
    write_file(d / "b/0001_y.sql", "-- depends: a/0001_x\nSELECT 1;");
    auto p = problems_of(d.path());
    CHECK(any_contains(p, "dependency cycle: a/0001_x -> b/0001_y -> a/0001_x"));
  }
  SUBCASE("bad names, empty files, invalid UTF-8, stray down files, several at once") {
    temp_dir d;
    write_file(d / "users/0001_initial.sql", "SELECT 1;");
    write_file(d / "users/2_bad.sql", "SELECT 1;");
    write_file(d / "users/0002_empty.sql", "-- nothing here\n\n");
    write_file(d / "users/0003_latin1.sql", "SELECT 'caf\xe9';");
    write_file(d / "users/0009_orphan.down.sql", "SELECT 1;");
    write_file(d / "Bad-App/0001_x.sql", "SELECT 1;");
    write_file(d / "loose.sql", "SELECT 1;");
    auto p = problems_of(d.path());
    CHECK(any_contains(p, "users/2_bad.sql: badly named migration file"));
    CHECK(any_contains(p, "users/0002_empty.sql: empty migration"));
    CHECK(any_contains(p, "users/0003_latin1.sql: not valid UTF-8"));
    CHECK(any_contains(p, "users/0009_orphan.down.sql: has no forward migration"));
    CHECK(any_contains(p, "Bad-App/: app folder name"));
    CHECK(any_contains(p, "loose.sql: migration files belong in an app folder"));
  }
  SUBCASE("unreadable file") {
    temp_dir d;
    write_file(d / "users/0001_initial.sql", "SELECT 1;");
    std::filesystem::create_directory(d / "users/0002_dir.sql");  // not a regular file
    CHECK(any_contains(problems_of(d.path()), "users/0002_dir.sql: not a regular file"));
  }
  SUBCASE("a link to nothing is a bad file, not an unreadable folder") {
    temp_dir d;
    write_file(d / "users/0001_initial.sql", "SELECT 1;");
    std::filesystem::create_symlink(d / "nowhere.sql", d / "users/0002_gone.sql");
    CHECK(problems_of(d.path()) == std::vector<std::string>{"users/0002_gone.sql: not a regular file"});
  }
}

TEST_CASE("history checks: unknown, changed, out of order") {
  temp_dir d;
  write_file(d / "users/0001_initial.sql", "SELECT 1;");
  write_file(d / "users/0002_b.sql", "SELECT 2;");
  auto set = load_migration_directory(d.path());
  const auto& m1 = *set.find({"users", "0001_initial"});
  CHECK(verify_history(set, {}).empty());
  CHECK(verify_history(set, {{m1.key(), m1.checksum, "t", 1}}).empty());
  CHECK(verify_history(set, {{{"users", "0009_gone"}, "x", "t", 1}}) ==
        "users/0009_gone.sql is recorded as applied but is not in the migration set");
  CHECK(verify_history(set, {{m1.key(), "deadbeef", "t", 1}}).find("users/0001_initial.sql was changed after it was applied (checksum") == 0);
  const auto& m2 = *set.find({"users", "0002_b"});
  CHECK(verify_history(set, {{m2.key(), m2.checksum, "t", 1}}) ==
        "users/0002_b.sql is recorded as applied but its dependency users/0001_initial.sql is not");
  CHECK(pending_migrations(set, {{m1.key(), m1.checksum, "t", 1}}).size() == 1);
}

TEST_CASE("a plan for one app brings its dependencies along") {
  temp_dir d;
  write_file(d / "users/0001_initial.sql", "SELECT 1;");
  write_file(d / "products/0001_initial.sql", "-- depends: users/0001_initial\nSELECT 1;");
  write_file(d / "billing/0001_initial.sql", "SELECT 1;");
  auto set = load_migration_directory(d.path());
  auto plan = make_plan(set, {}, migration_target{"products", {}});
  REQUIRE(plan.size() == 2);
  CHECK(plan[0].what->key().str() == "users/0001_initial");
  CHECK(plan[1].what->key().str() == "products/0001_initial");
  CHECK_THROWS_WITH_AS(make_plan(set, {}, migration_target{"nope", {}}), "app 'nope' has no migrations", usage_error);
}

TEST_CASE("locations are shown without secrets the core cannot read") {
  // The core shows paths and names; a connection string only its adapter can mask (test_postgresql).
  CHECK(shown_location("/var/lib/app/tenant.db") == "/var/lib/app/tenant.db");
  CHECK(shown_location("a\nb.db") == "a b.db");
  CHECK(shown_location("postgresql://app:s3cret@db/app") == "<connection string not shown>");
  CHECK(shown_location("host=db password=s3cret") == "<connection string not shown>");
}

TEST_CASE("tenant ids and schema names are validated") {
  CHECK(validate_tenant_id("acme").empty());
  CHECK(validate_tenant_id("acme-2").empty());
  CHECK_FALSE(validate_tenant_id("").empty());
  CHECK_FALSE(validate_tenant_id("-acme").empty());
  CHECK_FALSE(validate_tenant_id("Acme").empty());
  CHECK_FALSE(validate_tenant_id("x\"; DROP SCHEMA public CASCADE; --").empty());
  CHECK_FALSE(validate_tenant_id(std::string(64, 'a')).empty());
  CHECK(validate_sql_name("tenant_acme").empty());
  CHECK_FALSE(validate_sql_name("public").empty());
  CHECK_FALSE(validate_sql_name("pg_catalog").empty());
  CHECK_FALSE(validate_sql_name("x\"; DROP SCHEMA public CASCADE; --").empty());
}

namespace concept_checks {
// Each lacks one requirement; the named requirement is what fails.
struct NoExecute {
  void begin();
  void commit();
  void rollback();
  rows query(std::string_view, const std::vector<std::string>&);
  std::string quote_identifier(std::string_view) const;
};
struct AdapterWithoutExecute {
  using connection_type = NoExecute;
  using capabilities = tenant_migrator::capability_list<tenant_migrator::capability::transactional_ddl>;
  NoExecute connect(std::string_view);
  std::string tenant_database_location(std::string_view, std::string_view) const;
};
struct AdapterWithoutConnect {
  using connection_type = test_support::FakeConnection;
  using capabilities = tenant_migrator::capability_list<tenant_migrator::capability::transactional_ddl>;
  std::string tenant_database_location(std::string_view, std::string_view) const;
};
static_assert(DatabaseAdapter<test_support::FakeAdapter>);
static_assert(!DatabaseAdapter<AdapterWithoutExecute>);
static_assert(!requirement::connection_can_execute_script<NoExecute>);
static_assert(requirement::connection_can_query<NoExecute>);
static_assert(!DatabaseAdapter<AdapterWithoutConnect>);
static_assert(!requirement::adapter_can_connect<AdapterWithoutConnect>);
static_assert(!SchemaCapableAdapter<test_support::FakeAdapter>);
static_assert(Reporter<ConsoleReporter>);
static_assert(Reporter<LogReporter>);
static_assert(Reporter<NullReporter>);
static_assert(!Reporter<int>);
}  // namespace concept_checks

namespace {
struct fake_catalog {
  std::vector<tenant> tenants;
  std::vector<tenant> list_tenants() { return tenants; }
  std::optional<tenant> find_tenant(const std::string& id) {
    for (auto& t : tenants)
      if (t.id == id) return t;
    return std::nullopt;
  }
};
static_assert(Catalog<fake_catalog>);

tenant make_tenant(std::string id, tenant_status status = tenant_status::active) {
  tenant t;
  t.id = id;
  t.name = id;
  t.location = id;
  t.status = status;
  return t;
}
}  // namespace

TEST_CASE("a run continues after a failing tenant and reports every tenant") {
  temp_dir d;
  write_file(d / "users/0001_initial.sql", "CREATE users");
  write_file(d / "users/0002_b.sql", "ALTER users");
  auto set = load_migration_directory(d.path());
  test_support::FakeAdapter adapter;
  for (auto id : {"acme", "globex", "dev"}) (*adapter.databases)[id] = std::make_shared<test_support::fake_database>();
  // globex already has 0001 applied with a checksum that no longer matches.
  (*adapter.databases)["globex"]->has_history = true;
  (*adapter.databases)["globex"]->history.push_back({"users", "0001_initial", "0000", "t", "1"});

  fake_catalog catalog{{make_tenant("globex"), make_tenant("acme"), make_tenant("dev"),
                        make_tenant("off", tenant_status::disabled)}};
  std::ostringstream out;
  TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<test_support::FakeAdapter>, ConsoleReporter> migrator(
      FreshConnectionPerTenant<test_support::FakeAdapter>(adapter), ConsoleReporter(out, console_style{false}));
  auto summary = migrator.migrate_all(catalog, set);
  REQUIRE(summary.tenants.size() == 3);  // the disabled tenant is not migrated
  CHECK(summary.tenants[0].tenant_id == "acme");  // ordered by id
  CHECK(summary.tenants[0].outcome == tenant_outcome::migrated);
  CHECK(summary.tenants[0].applied == 2);
  CHECK(summary.tenants[2].tenant_id == "globex");
  CHECK(summary.tenants[2].outcome == tenant_outcome::failed);
  CHECK(summary.tenants[2].error.find("users/0001_initial.sql was changed after it was applied") == 0);
  CHECK((*adapter.databases)["globex"]->scripts.empty());  // nothing applied to it
  CHECK(summary.failed() == 1);
  CHECK(out.str().find("  Total: 3 tenants, 2 succeeded, 1 failed\n") != std::string::npos);

  // A second run applies nothing to the good tenants.
  std::ostringstream again;
  TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<test_support::FakeAdapter>, ConsoleReporter> second(
      FreshConnectionPerTenant<test_support::FakeAdapter>(adapter), ConsoleReporter(again, console_style{false}));
  auto s2 = second.migrate_all(catalog, set, {{"acme", "dev"}, {}});
  CHECK(s2.all_succeeded());
  CHECK(s2.tenants[0].outcome == tenant_outcome::up_to_date);
  CHECK(again.str().find("  No migrations to apply.\nOK Tenant 'acme' is up to date.\n") != std::string::npos);
  CHECK(again.str().find("  Total: 2 tenants migrated\n") != std::string::npos);
  CHECK_THROWS_WITH_AS(second.migrate_all(catalog, set, {{"nope"}, {}}), "Tenant 'nope' does not exist", usage_error);
}

TEST_CASE("a failing migration is rolled back and not recorded; the console says where") {
  temp_dir d;
  write_file(d / "users/0001_initial.sql", "CREATE users");
  write_file(d / "users/0002_bad.sql", "FAIL here");
  auto set = load_migration_directory(d.path());
  test_support::FakeAdapter adapter;
  (*adapter.databases)["acme"] = std::make_shared<test_support::fake_database>();
  (*adapter.databases)["dev"] = std::make_shared<test_support::fake_database>();
  std::ostringstream out, log;
  auto reporter = combine_reporters(ConsoleReporter(out, console_style{false}), LogReporter(log));
  TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<test_support::FakeAdapter>, decltype(reporter)> migrator(
      FreshConnectionPerTenant<test_support::FakeAdapter>(adapter), reporter);
  auto summary = migrator.run({make_tenant("acme"), make_tenant("dev")}, set);
  CHECK(summary.failed() == 2);
  auto& db = *(*adapter.databases)["acme"];
  CHECK(db.history.size() == 1);  // 0001 only
  CHECK(db.attempted.size() == 2);
  CHECK(db.scripts == std::vector<std::string>{"CREATE users"});  // 0002's script rolled back
  auto text = out.str();
  CHECK(text.find("  users/0002_bad.sql ... FAILED\n") != std::string::npos);
  CHECK(text.find("FAILED Migrations failed for tenant 'acme': users/0002_bad.sql: simulated failure\n"
                  "Continuing with next tenant...\n") != std::string::npos);
  // The last tenant does not promise a next one.
  CHECK(text.find("tenant 'dev': users/0002_bad.sql: simulated failure\nContinuing") == std::string::npos);
  auto log_text = log.str();
  CHECK(log_text.find("ERROR migration_failed tenant=acme migration=users/0002_bad.sql error=\"simulated failure\"") !=
        std::string::npos);
  CHECK(log_text.find("ERROR run_finished tenants=2 succeeded=0 failed=2") != std::string::npos);
}

TEST_CASE("a stop signal rolls back the migration in flight and starts no other tenant") {
  temp_dir d;
  write_file(d / "users/0001_initial.sql", "CREATE users");
  write_file(d / "users/0002_slow.sql", "SIGNAL arrives while this runs");
  write_file(d / "users/0003_next.sql", "CREATE more");
  auto set = load_migration_directory(d.path());
  test_support::FakeAdapter adapter;
  (*adapter.databases)["acme"] = std::make_shared<test_support::fake_database>();
  (*adapter.databases)["dev"] = std::make_shared<test_support::fake_database>();
  std::atomic<int> stop{0};
  (*adapter.databases)["acme"]->on_signal_script = [&] { stop = 2; };  // SIGINT during acme's 0002
  std::ostringstream out;
  migrator_options options;
  options.stop_signal = &stop;
  TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<test_support::FakeAdapter>, ConsoleReporter> migrator(
      FreshConnectionPerTenant<test_support::FakeAdapter>(adapter), ConsoleReporter(out, console_style{false}), options);
  auto summary = migrator.run({make_tenant("acme"), make_tenant("dev")}, set);
  CHECK(summary.signal == 2);
  REQUIRE(summary.tenants.size() == 1);
  CHECK(summary.tenants[0].outcome == tenant_outcome::interrupted);
  CHECK(summary.tenants[0].error == "users/0002_slow.sql was rolled back (SIGINT)");
  CHECK(summary.not_processed == 1);  // dev never started
  auto& acme = *(*adapter.databases)["acme"];
  REQUIRE(acme.history.size() == 1);  // 0001 kept; 0002 rolled back with its history row; 0003 never started
  CHECK(acme.history[0][1] == "0001_initial");
  CHECK(acme.scripts == std::vector<std::string>{"CREATE users"});
  CHECK(acme.attempted.size() == 2);
  CHECK((*adapter.databases)["dev"]->attempted.empty());
}

TEST_CASE("backwards plans need .down.sql files, unless nothing will run (--fake)") {
  temp_dir d;
  write_file(d / "users/0001_initial.sql", "SELECT 1;");
  write_file(d / "users/0002_b.sql", "SELECT 2;");
  auto set = load_migration_directory(d.path());
  std::vector<applied_migration> history;
  for (const auto& m : set.ordered()) history.push_back({m.key(), m.checksum, "t", 1});
  migration_target zero{"users", "zero"};
  CHECK_THROWS_WITH_AS(make_plan(set, history, zero),
                       "cannot unapply users/0002_b.sql: users/0002_b.down.sql does not exist", plan_error);
  auto fake = make_plan(set, history, zero, /*need_down_files=*/false);
  REQUIRE(fake.size() == 2);
  CHECK(fake[0].what->name == "0002_b");
  CHECK(fake[0].way == direction::backwards);
}

TEST_CASE("plan, inspect, repair and a backwards move go through the tenant's history") {
  temp_dir d;
  write_file(d / "users/0001_initial.sql", "CREATE users");
  write_file(d / "users/0002_b.sql", "ALTER users");
  write_file(d / "users/0002_b.down.sql", "UNALTER users");
  auto set = load_migration_directory(d.path());
  test_support::FakeAdapter adapter;
  (*adapter.databases)["acme"] = std::make_shared<test_support::fake_database>();
  auto& db = *(*adapter.databases)["acme"];
  TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<test_support::FakeAdapter>, NullReporter> migrator{
      FreshConnectionPerTenant<test_support::FakeAdapter>(adapter)};
  const tenant acme = make_tenant("acme");

  // Before any run: no history table; reading creates none.
  auto plan = migrator.plan_tenant(acme, set);
  CHECK(plan.error.empty());
  CHECK(plan.steps.size() == 2);
  CHECK(migrator.inspect_tenant(acme, set).pending() == 2);
  CHECK_FALSE(db.has_history);

  CHECK(migrator.migrate_tenant(acme, set).applied == 2);
  CHECK(migrator.inspect_tenant(acme, set).pending() == 0);
  CHECK(migrator.plan_tenant(acme, set).steps.empty());

  // Backwards to 0001: 0002's .down.sql runs and its row goes.
  auto back = migrator.migrate_tenant(acme, set, {"users", "0001_initial"});
  CHECK(back.outcome == tenant_outcome::migrated);
  CHECK(db.scripts.back() == "UNALTER users");
  REQUIRE(db.history.size() == 1);
  CHECK(db.history[0][1] == "0001_initial");

  // A changed file: inspect flags it, plan refuses, repair accepts the new checksum.
  write_file(d / "users/0001_initial.sql", "CREATE users -- reformatted");
  auto changed = load_migration_directory(d.path());
  auto state = migrator.inspect_tenant(acme, changed);
  CHECK_FALSE(state.migrations.at(0).checksum_ok);
  CHECK(migrator.plan_tenant(acme, changed).error.find("was changed after it was applied") != std::string::npos);
  auto repaired = migrator.repair_tenant(acme, changed);
  REQUIRE(repaired.size() == 1);
  CHECK(repaired[0].str() == "users/0001_initial");
  CHECK(migrator.inspect_tenant(acme, changed).migrations.at(0).checksum_ok);
  CHECK(migrator.plan_tenant(acme, changed).steps.size() == 1);  // 0002 again
}

TEST_CASE("the fake adapter refuses SQL it does not understand, and a parameter count that does not fit") {
  auto db = std::make_shared<test_support::fake_database>();
  test_support::FakeConnection c(db);
  CHECK_THROWS_AS(c.query("SELECT 1", {}), std::logic_error);
  c.execute_script("CREATE TABLE IF NOT EXISTS \"h\" (app TEXT)");
  CHECK_THROWS_AS(c.query("SELECT 1 FROM \"h\" WHERE app = $1 AND name = $2", {}), std::logic_error);
  c.begin();
  c.query("INSERT INTO \"h\" (app, name, checksum, applied_at, duration_ms) VALUES ($1, $2, $3, $4, $5)",
          {"a", "0001_x", "c", "t", "1"});
  c.rollback();
  CHECK(db->history.empty());
}

namespace {
// The fake adapter, claiming no transactional DDL (as MySQL-family servers).
struct NonTransactionalFakeAdapter : test_support::FakeAdapter {
  using capabilities = capability_list<>;
};
}  // namespace

TEST_CASE("without capability::transactional_ddl a failed migration says what may be left behind") {
  temp_dir d;
  write_file(d / "users/0001_initial.sql", "FAIL here");
  auto set = load_migration_directory(d.path());
  NonTransactionalFakeAdapter adapter;
  (*adapter.databases)["acme"] = std::make_shared<test_support::fake_database>();
  TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<NonTransactionalFakeAdapter>, NullReporter> migrator{
      FreshConnectionPerTenant<NonTransactionalFakeAdapter>(adapter)};
  auto r = migrator.migrate_tenant(make_tenant("acme"), set);
  CHECK(r.outcome == tenant_outcome::failed);
  CHECK(r.error ==
        "users/0001_initial.sql: simulated failure (this database's DDL is not transactional: statements before the "
        "failing one may be applied)");

  test_support::FakeAdapter transactional;
  (*transactional.databases)["acme"] = std::make_shared<test_support::fake_database>();
  TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<test_support::FakeAdapter>, NullReporter> plain{
      FreshConnectionPerTenant<test_support::FakeAdapter>(transactional)};
  CHECK(plain.migrate_tenant(make_tenant("acme"), set).error == "users/0001_initial.sql: simulated failure");
}

namespace {
// Starts only the first two tenants of a run.
struct FirstTwo {
  template <class Process, class Stop>
  std::size_t execute(std::size_t count, Process&& process, Stop&&) {
    std::size_t n = std::min<std::size_t>(count, 2);
    for (std::size_t i = 0; i < n; ++i) (void)process(i);
    return n;
  }
};
static_assert(ExecutionPolicy<FirstTwo>);
}  // namespace

TEST_CASE("an execution policy decides which tenants run; the rest are not processed") {
  temp_dir d;
  write_file(d / "users/0001_initial.sql", "CREATE users");
  auto set = load_migration_directory(d.path());
  test_support::FakeAdapter adapter;
  for (auto id : {"a", "b", "c"}) (*adapter.databases)[id] = std::make_shared<test_support::fake_database>();
  TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<test_support::FakeAdapter>, NullReporter, FirstTwo> migrator{
      FreshConnectionPerTenant<test_support::FakeAdapter>(adapter)};
  auto s = migrator.run({make_tenant("a"), make_tenant("b"), make_tenant("c")}, set);
  CHECK(s.tenants.size() == 2);
  CHECK(s.not_processed == 1);
  CHECK_FALSE(s.all_succeeded());
  CHECK((*adapter.databases)["c"]->attempted.empty());
}

namespace {
std::vector<std::string> ids_of(const std::vector<tenant>& ts) {
  std::vector<std::string> out;
  for (const auto& t : ts) out.push_back(t.id);
  return out;
}
}  // namespace

TEST_CASE("selection: globs, shards that are disjoint and cover everything, canaries first") {
  fake_catalog catalog;
  for (auto id : {"eu-1", "eu-2", "us-1", "us-2", "apac-1"}) catalog.tenants.push_back(make_tenant(id));
  catalog.tenants.push_back(make_tenant("eu-off", tenant_status::disabled));
  using V = std::vector<std::string>;

  CHECK(ids_of(select_tenants(catalog, {{"eu-*"}, {}})) == V{"eu-1", "eu-2"});  // the disabled one stays out
  CHECK(ids_of(select_tenants(catalog, {{}, {"*-1"}})) == V{"eu-2", "us-2"});
  CHECK(ids_of(select_tenants(catalog, {{"us-?", "apac-1"}, {"us-2"}})) == V{"apac-1", "us-1"});
  CHECK_THROWS_WITH_AS(select_tenants(catalog, {{"mars-*"}, {}}), "No tenant matches 'mars-*'", tenant_selection_error);
  CHECK_THROWS_WITH_AS(select_tenants(catalog, {{"eu-off"}, {}}), "Tenant 'eu-off' is disabled", tenant_selection_error);

  // 1,000 tenants in 3 shards: disjoint, together all, none empty.
  fake_catalog many;
  for (int i = 0; i < 1000; ++i) many.tenants.push_back(make_tenant("t" + std::to_string(i)));
  std::set<std::string> seen;
  std::size_t total = 0;
  for (std::size_t k = 0; k < 3; ++k) {
    auto part = select_tenants(many, {{}, {}, shard{k, 3}});
    CHECK(part.size() > 250);
    total += part.size();
    for (const auto& t : part) seen.insert(t.id);
  }
  CHECK(total == 1000);
  CHECK(seen.size() == 1000);
  CHECK(in_shard("t1", shard{detail::stable_hash("t1") % 3, 3}));
  CHECK(detail::stable_hash("acme") == 0x0724d383f4f6de0full);  // FNV-1a: a shard's tenants never move
  CHECK_THROWS_AS(select_tenants(many, {{}, {}, shard{3, 3}}), usage_error);

  auto ts = select_tenants(catalog);
  put_first(ts, {"us-2", "eu-*"});
  CHECK(ids_of(ts) == V{"us-2", "eu-1", "eu-2", "apac-1", "us-1"});
  CHECK_THROWS_WITH_AS(put_first(ts, {"nope"}), "Tenant 'nope' does not exist", tenant_selection_error);
}

TEST_CASE("rollout: a failing canary stops the run; a failure budget stops starting tenants") {
  temp_dir d;
  write_file(d / "users/0001_initial.sql", "CREATE users");
  auto set = load_migration_directory(d.path());
  auto run_with = [&](RolloutExecution rollout, const std::set<std::string>& failing) {
    test_support::FakeAdapter adapter;
    std::vector<tenant> tenants;
    for (auto id : {"a", "b", "c", "d", "e"}) {
      auto db = std::make_shared<test_support::fake_database>();
      if (failing.count(id)) {  // a table the migration's history check trips on: a changed file
        db->has_history = true;
        db->history.push_back({"users", "0001_initial", "changed", "t", "1"});
      }
      (*adapter.databases)[id] = db;
      tenants.push_back(make_tenant(id));
    }
    TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<test_support::FakeAdapter>, NullReporter,
                   RolloutExecution>
        migrator(FreshConnectionPerTenant<test_support::FakeAdapter>(adapter), {}, {}, rollout);
    return migrator.run(tenants, set);
  };
  auto canary_failed = run_with({.canaries = 2}, {"b"});
  CHECK(canary_failed.tenants.size() == 2);  // a, b: b failed, c.. never started
  CHECK(canary_failed.not_processed == 3);
  auto canaries_ok = run_with({.canaries = 2}, {"c"});
  CHECK(canaries_ok.tenants.size() == 5);  // a failure after the canaries does not stop the run
  auto budget = run_with({.max_failures = 2}, {"a", "b", "c", "d"});
  CHECK(budget.tenants.size() == 2);
  CHECK(budget.failed() == 2);
  CHECK(budget.not_processed == 3);
  auto paused = run_with({.pause = std::chrono::milliseconds(1)}, {});
  CHECK(paused.all_succeeded());
}

TEST_CASE("a new tenant's history table commits with its first migration, or on its own before a non-transactional one") {
  temp_dir d;
  write_file(d / "users/0001_initial.sql", "FAIL here");
  using Fresh = FreshConnectionPerTenant<test_support::FakeAdapter>;
  test_support::FakeAdapter adapter;
  auto acme = (*adapter.databases)["acme"] = std::make_shared<test_support::fake_database>();
  auto dev = (*adapter.databases)["dev"] = std::make_shared<test_support::fake_database>();
  TenantMigrator<DatabasePerTenant, Fresh, NullReporter> migrator{Fresh(adapter)};

  CHECK(migrator.migrate_tenant(make_tenant("acme"), load_migration_directory(d.path())).outcome ==
        tenant_outcome::failed);
  CHECK_FALSE(acme->has_history);  // rolled back with the migration: the tenant is as it was
  write_file(d / "users/0001_initial.sql", "CREATE users");
  auto fixed = migrator.migrate_tenant(make_tenant("acme"), load_migration_directory(d.path()));
  CHECK(fixed.applied == 1);
  CHECK(acme->has_history);
  CHECK(acme->history.size() == 1);

  write_file(d / "users/0001_initial.sql", "-- transaction: off\nFAIL here");
  CHECK(migrator.migrate_tenant(make_tenant("dev"), load_migration_directory(d.path())).outcome ==
        tenant_outcome::failed);
  CHECK(dev->has_history);  // made before the script, which runs outside a transaction
  CHECK(dev->history.empty());
}

TEST_CASE("atomic: a tenant's migrations in one transaction, all or nothing; refused where that cannot hold") {
  temp_dir d;
  write_file(d / "users/0001_a.sql", "CREATE a");
  write_file(d / "users/0002_b.sql", "CREATE b");
  write_file(d / "users/0003_c.sql", "FAIL c");
  auto set = load_migration_directory(d.path());
  migrator_options atomic;
  atomic.atomic = true;
  using Fresh = FreshConnectionPerTenant<test_support::FakeAdapter>;
  test_support::FakeAdapter adapter;
  auto db = (*adapter.databases)["acme"] = std::make_shared<test_support::fake_database>();
  TenantMigrator<DatabasePerTenant, Fresh, NullReporter> migrator(Fresh(adapter), {}, atomic);

  auto failed = migrator.migrate_tenant(make_tenant("acme"), set);
  CHECK(failed.outcome == tenant_outcome::failed);
  CHECK(failed.applied == 0);
  CHECK(failed.error ==
        "users/0003_c.sql: simulated failure (atomic: the 2 migration(s) applied before it were rolled back too)");
  CHECK(db->attempted.size() == 3);  // 0001 and 0002 ran, then were rolled back with 0003
  CHECK(db->scripts.empty());
  CHECK(db->history.empty());
  CHECK_FALSE(db->has_history);  // the history table's creation was rolled back too

  write_file(d / "users/0003_c.sql", "CREATE c");
  auto fixed = load_migration_directory(d.path());
  auto ok = migrator.migrate_tenant(make_tenant("acme"), fixed);
  CHECK(ok.outcome == tenant_outcome::migrated);
  CHECK(ok.applied == 3);
  CHECK(db->history.size() == 3);

  // A pending `-- transaction: off` migration: the tenant fails before anything runs; its plan says why.
  write_file(d / "users/0004_d.sql", "-- transaction: off\nCREATE d");
  write_file(d / "users/0005_e.sql", "CREATE e");
  auto with_off = load_migration_directory(d.path());
  auto attempted = db->attempted.size();
  auto refused = migrator.migrate_tenant(make_tenant("acme"), with_off);
  CHECK(refused.outcome == tenant_outcome::failed);
  CHECK(refused.error == "atomic: users/0004_d.sql is `-- transaction: off`, so it cannot run inside the tenant's "
                         "one transaction");
  CHECK(db->attempted.size() == attempted);
  CHECK(migrator.plan_tenant(make_tenant("acme"), with_off).error == refused.error);

  // Without transactional DDL one transaction cannot undo DDL: refused, nothing run.
  NonTransactionalFakeAdapter mysql_like;
  auto other = (*mysql_like.databases)["acme"] = std::make_shared<test_support::fake_database>();
  TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<NonTransactionalFakeAdapter>, NullReporter> plain(
      FreshConnectionPerTenant<NonTransactionalFakeAdapter>(mysql_like), {}, atomic);
  auto no_ddl = plain.migrate_tenant(make_tenant("acme"), fixed);
  CHECK(no_ddl.outcome == tenant_outcome::failed);
  CHECK(no_ddl.error.find("atomic: this database's DDL is not transactional") == 0);
  CHECK(other->attempted.empty());
}
