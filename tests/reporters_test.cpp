// Reporters fed with events by hand: the progress line, the run ledger's
// batches (on a SQLite master), and the Reporter requirements that reporters
// are checked against.
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/adapters/sqlite.hpp>
#include <tenant_migrator/ledger/ledger_reporter.hpp>

#include "support/files.hpp"

using namespace tenant_migrator;
using namespace std::chrono_literals;

namespace {

// A clock that moves only when the test says so.
struct manual_clock {
  std::chrono::steady_clock::time_point now{};
  ProgressReporter::now_function function() {
    return [this] { return now; };
  }
};

constexpr const char* redraw = "\r\x1b[2K";

tenant make_tenant(const std::string& id) { return tenant{id, id, isolation_kind::database, id + ".db", {}, {}}; }

tenant_result result_of(const std::string& id, tenant_outcome outcome) {
  tenant_result r;
  r.tenant_id = id;
  r.outcome = outcome;
  return r;
}

// Everything written since the last call.
std::string take(std::ostringstream& out) {
  std::string s = out.str();
  out.str("");
  return s;
}

}  // namespace

TEST_CASE("progress line: counts, failures, current tenant, elapsed time and ETA") {
  progress_state s;
  s.total = 40;
  CHECK(render_progress_line(s) == "[0/40] 0 failed | elapsed 0:00 | ETA -:--");
  s.done = 12;
  s.failed = 1;
  s.current = "acme";
  s.elapsed = 42s;
  // 42 s for 12 tenants: 3.5 s each, 28 left: 98 s.
  CHECK(render_progress_line(s) == "[12/40] 1 failed | acme | elapsed 0:42 | ETA 1:38");
  s.elapsed = 2h + 3min + 4s;
  s.current.clear();
  s.done = 20;
  CHECK(render_progress_line(s) == "[20/40] 1 failed | elapsed 2:03:04 | ETA 2:03:04");
  s.finished = true;
  CHECK(render_progress_line(s) == "[20/40] 1 failed | elapsed 2:03:04 | done");
}

TEST_CASE("progress reporter on a terminal: one line, redrawn in place") {
  std::ostringstream out;
  manual_clock clock;
  ProgressReporter progress(out, /*is_terminal=*/true, clock.function());
  auto acme = make_tenant("acme");
  auto globex = make_tenant("globex");
  migration m;
  m.app = "users";
  m.name = "0001_initial";

  progress.on(run_started{2, 1});
  CHECK(take(out) == std::string(redraw) + "[0/2] 0 failed | elapsed 0:00 | ETA -:--");

  clock.now += 1s;
  progress.on(tenant_started{acme, 0, 2});
  CHECK(take(out) == std::string(redraw) + "[0/2] 0 failed | acme | elapsed 0:01 | ETA -:--");
  progress.on(migration_started{acme, m});
  CHECK(take(out).empty());
  clock.now += 2s;
  progress.on(migration_applied{acme, m, 2000ms});
  CHECK(take(out) == std::string(redraw) + "[0/2] 0 failed | acme | elapsed 0:03 | ETA -:--");
  // Within redraw_interval of the last draw: no redraw.
  auto migrated = result_of("acme", tenant_outcome::migrated);
  progress.on(tenant_finished{acme, migrated, 0, 2});
  CHECK(take(out).empty());
  progress.on(tenant_started{globex, 1, 2});
  CHECK(take(out).empty());
  CHECK(progress.state().done == 1);
  // But a migration that may take long starts: the line names its tenant.
  progress.on(migration_started{globex, m});
  CHECK(take(out) == std::string(redraw) + "[1/2] 0 failed | globex | elapsed 0:03 | ETA 0:03");
  clock.now += 3s;
  progress.on(migration_failed{globex, m, "no such table"});
  CHECK(take(out).empty());
  // A failure shows at once.
  auto failed = result_of("globex", tenant_outcome::failed);
  progress.on(tenant_finished{globex, failed, 1, 2});
  CHECK(take(out) == std::string(redraw) + "[2/2] 1 failed | elapsed 0:06 | ETA 0:00");
  CHECK(progress.state().failed == 1);

  run_summary summary;
  progress.on(run_finished{summary});
  CHECK(take(out) == std::string(redraw) + "[2/2] 1 failed | elapsed 0:06 | done\n");
}

TEST_CASE("progress reporter at scale: at most one redraw per interval, counts with thousands separators") {
  std::ostringstream out;
  manual_clock clock;
  ProgressReporter progress(out, true, clock.function());
  auto up_to_date = result_of("t", tenant_outcome::up_to_date);
  auto t = make_tenant("t");
  progress.on(run_started{10000, 1});
  for (std::size_t i = 0; i < 10000; ++i) {
    clock.now += 1ms;  // 10 s in all
    progress.on(tenant_started{t, i, 10000});
    progress.on(tenant_finished{t, up_to_date, i, 10000});
  }
  run_summary summary;
  progress.on(run_finished{summary});
  std::string all = out.str();
  std::size_t draws = 0;
  for (auto at = all.find(redraw); at != std::string::npos; at = all.find(redraw, at + 1)) ++draws;
  // One per 100 ms of the 10 s, plus the first and the last: not 20,000.
  CHECK(draws >= 100);
  CHECK(draws <= 102);
  CHECK(all.ends_with(std::string(redraw) + "[10,000/10,000] 0 failed | elapsed 0:10 | done\n"));
}

TEST_CASE("status line shares a terminal with text: erased before the text, redrawn after a whole line") {
  std::ostringstream screen;  // what the terminal receives, both streams in order
  manual_clock clock;
  auto line = std::make_shared<status_line>(screen, true);
  scrolling_text_buf above(screen.rdbuf(), line);
  std::ostream text(&above);
  auto both = combine_reporters(ConsoleReporter(text, console_style{}), ProgressReporter(line, clock.function()));
  auto acme = make_tenant("acme");
  migration m;
  m.app = "users";
  m.name = "0001_initial";
  std::string r(redraw);

  both.on(run_started{2, 1});
  CHECK(take(screen) == r + "[0/2] 0 failed | elapsed 0:00 | ETA -:--");
  both.on(tenant_started{acme, 0, 2});
  CHECK(take(screen) == r + "Migrating tenant: acme\n" + r + "[0/2] 0 failed | acme | elapsed 0:00 | ETA -:--");
  // A line in progress: the status line waits below it until it ends.
  both.on(migration_started{acme, m});
  CHECK(take(screen) == r + "  users/0001_initial.sql ... ");
  both.on(migration_applied{acme, m, 1ms});
  CHECK(take(screen) == "OK\n" + r + "[0/2] 0 failed | acme | elapsed 0:00 | ETA -:--");
  CHECK(line->drawn());
}

TEST_CASE("status line: never wider than the terminal, never cut inside a character") {
  std::ostringstream out;
  status_line line(out, true, 10);
  line.draw("[1/2] 0 failed");
  CHECK(take(out) == std::string(redraw) + "[1/2] 0 f");
  line.draw("12345678é…");  // é is two bytes: bytes 9 and 10
  CHECK(take(out) == std::string(redraw) + "12345678");
  status_line off(out, false, 10);
  off.draw("anything");
  off.erase();
  off.finish();
  CHECK(out.str().empty());
}

TEST_CASE("progress reporter off a terminal prints nothing, but keeps count") {
  std::ostringstream out;
  manual_clock clock;
  ProgressReporter progress(out, /*is_terminal=*/false, clock.function());
  auto acme = make_tenant("acme");
  auto skipped = result_of("acme", tenant_outcome::skipped);
  progress.on(run_started{1, 0});
  progress.on(tenant_started{acme, 0, 1});
  progress.on(tenant_finished{acme, skipped, 0, 1});
  run_summary summary;
  progress.on(run_finished{summary});
  CHECK(out.str().empty());
  CHECK(progress.state().done == 1);
  CHECK(progress.state().failed == 1);
}

TEST_CASE("progress reporter: a second run starts from zero") {
  std::ostringstream out;
  manual_clock clock;
  ProgressReporter progress(out, true, clock.function());
  auto acme = make_tenant("acme");
  auto failed = result_of("acme", tenant_outcome::failed);
  progress.on(run_started{1, 0});
  progress.on(tenant_finished{acme, failed, 0, 1});
  clock.now += 5s;
  progress.on(run_started{3, 0});
  CHECK(take(out).ends_with("[0/3] 0 failed | elapsed 0:00 | ETA -:--"));
}

TEST_CASE("progress reporter combines with another reporter") {
  std::ostringstream progress_out, console_out;
  manual_clock clock;
  auto both = combine_reporters(ProgressReporter(progress_out, true, clock.function()),
                                ConsoleReporter(console_out, console_style{}));
  auto acme = make_tenant("acme");
  both.on(run_started{1, 0});
  clock.now += ProgressReporter::redraw_interval;
  both.on(tenant_started{acme, 0, 1});
  CHECK(progress_out.str().find("acme") != std::string::npos);
  CHECK(console_out.str() == "Migrating tenant: acme\n");
}

namespace {

// Feeds `console` a run of `n` tenants: those in `others` get their outcome
// (migrated: one migration applied), every other one is up to date.
void feed_run(ConsoleReporter& console, std::size_t n, const std::map<std::string, tenant_outcome>& others) {
  migration m;
  m.app = "users";
  m.name = "0001_initial";
  m.sql = "CREATE TABLE users (id INTEGER);\n\n";
  run_summary summary;
  console.on(run_started{n, 1});
  for (std::size_t i = 0; i < n; ++i) {
    auto t = make_tenant(fmt::format("t{:05}", i));
    auto it = others.find(t.id);
    auto r = result_of(t.id, it == others.end() ? tenant_outcome::up_to_date : it->second);
    r.duration = 12ms;
    console.on(tenant_started{t, i, n});
    if (r.outcome == tenant_outcome::migrated) {
      console.on(migration_started{t, m});
      console.on(migration_applied{t, m, 3ms});
      r.applied = 1;
    } else if (r.outcome == tenant_outcome::failed) {
      console.on(migration_started{t, m});
      console.on(migration_failed{t, m, "boom"});
      r.error = "users/0001_initial.sql: boom";
    }
    console.on(tenant_finished{t, r, i, n});
    summary.tenants.push_back(r);
  }
  summary.duration = 1500ms;
  console.on(run_finished{summary});
}

}  // namespace

TEST_CASE("console at scale: up-to-date tenants counted, every other one named") {
  std::ostringstream out;
  ConsoleReporter console(out, console_style{false, false, false});
  feed_run(console, 10000, {{"t00007", tenant_outcome::migrated}, {"t09000", tenant_outcome::failed}});
  std::string all = out.str();
  // While the run goes, only tenants with something to say print.
  CHECK(all.find("t00001") == std::string::npos);
  CHECK(all.find("Migrating tenant: t00007\n  users/0001_initial.sql ... OK\nOK Tenant 't00007' migrated successfully.") !=
        std::string::npos);
  CHECK(all.find("Migrating tenant: t09000\n  users/0001_initial.sql ... FAILED\n") != std::string::npos);
  CHECK(all.ends_with("Migration Summary:\n"
                      "  OK 9,998 up to date\n"
                      "  OK t00007 - migrated successfully (1 applied)\n"
                      "  FAILED t09000 - FAILED\n"
                      "  Total: 10,000 tenants, 9,999 succeeded, 1 failed\n"));
}

TEST_CASE("console: a run of console_list_limit tenants still lists each one") {
  std::ostringstream out;
  ConsoleReporter console(out, console_style{false, false, false});
  feed_run(console, console_list_limit, {});
  CHECK(out.str().find("  No migrations to apply.\nOK Tenant 't00019' is up to date.\n") != std::string::npos);
  CHECK(out.str().find("  OK t00019 - up to date\n") != std::string::npos);
  CHECK(out.str().find("up to date\n  Total: 20 tenants migrated\n") != std::string::npos);
}

TEST_CASE("console verbosity: quiet, timings, sql") {
  std::map<std::string, tenant_outcome> others{{"t00000", tenant_outcome::migrated}, {"t00001", tenant_outcome::failed}};
  std::ostringstream quiet, timings, sql;
  ConsoleReporter q(quiet, console_style{false, false, false}, console_verbosity::quiet);
  feed_run(q, 3, others);
  CHECK(quiet.str() ==
        "FAILED Migrations failed for tenant 't00001': users/0001_initial.sql: boom\n\n"
        "Migration Summary:\n"
        "  OK t00000 - migrated successfully (1 applied)\n"
        "  FAILED t00001 - FAILED\n"
        "  OK t00002 - up to date\n"
        "  Total: 3 tenants, 2 succeeded, 1 failed\n");
  ConsoleReporter t(timings, console_style{false, false, false}, console_verbosity::timings);
  feed_run(t, 3, others);
  CHECK(timings.str().find("  users/0001_initial.sql ... OK (3 ms)\nOK Tenant 't00000' migrated successfully. (12 ms)\n") !=
        std::string::npos);
  CHECK(timings.str().find("OK Tenant 't00002' is up to date. (12 ms)") != std::string::npos);
  CHECK(timings.str().ends_with("  Total: 3 tenants, 2 succeeded, 1 failed (1.5 s)\n"));
  CHECK(timings.str().find("CREATE TABLE") == std::string::npos);
  ConsoleReporter s(sql, console_style{false, false, false}, console_verbosity::sql);
  feed_run(s, 3, others);
  CHECK(sql.str().find("  users/0001_initial.sql ... OK (3 ms)\n      CREATE TABLE users (id INTEGER);\nOK Tenant") !=
        std::string::npos);
  CHECK(sql.str().find("  users/0001_initial.sql ... FAILED\n      CREATE TABLE users (id INTEGER);\n") !=
        std::string::npos);
}

TEST_CASE("text numbers and durations") {
  CHECK(group_thousands(0) == "0");
  CHECK(group_thousands(999) == "999");
  CHECK(group_thousands(1000) == "1,000");
  CHECK(group_thousands(9990) == "9,990");
  CHECK(group_thousands(100000) == "100,000");
  CHECK(group_thousands(1234567) == "1,234,567");
  CHECK(format_duration(3ms) == "3 ms");
  CHECK(format_duration(999ms) == "999 ms");
  CHECK(format_duration(1260ms) == "1.3 s");
}

TEST_CASE("the Reporter requirements name each event") {
  struct only_run_events {
    void on(const run_started&) {}
    void on(const run_finished&) {}
  };
  CHECK(requirement::reporter_handles<only_run_events, run_started>);
  CHECK_FALSE(requirement::reporter_handles<only_run_events, tenant_started>);
  CHECK_FALSE(Reporter<only_run_events>);
  CHECK(Reporter<ProgressReporter>);
  CHECK(Reporter<NullReporter>);
  CHECK(Reporter<CombinedReporter<ProgressReporter, LogReporter>>);
}

namespace {
// The ledger tests' run: r1, started by h:1.
run_record run_r1() {
  run_record run;
  run.id = "r1";
  run.kind = "run";
  run.host = "h";
  run.pid = "1";
  run.set_digest = "d";
  return run;
}
}  // namespace

TEST_CASE("the run ledger: 1,201 results of two kinds in one write, 500 tenants an UPDATE") {
  test_support::temp_dir dir;
  SqliteAdapter adapter;
  RunLedger<SqliteConnection> ledger(adapter.connect_or_create((dir / "master.db").string()));
  ledger.ensure_tables();
  const run_record run = run_r1();
  std::vector<std::string> ids;
  std::vector<tenant_result> results;
  for (int i = 0; i < 1201; ++i) {
    ids.push_back(fmt::format("t{:04}", i));
    results.push_back({ids.back(), i % 3 == 0 ? tenant_outcome::migrated : tenant_outcome::up_to_date,
                       i % 3 == 0 ? 2u : 0u, "", 1ms});
  }
  ids.push_back("left");
  ledger.start_run(run, ids);
  ledger.record_tenants("r1", results, "h:1");
  auto recorded = ledger.find_run("r1");
  REQUIRE(recorded);
  CHECK(recorded->tenants == 1202);
  CHECK(recorded->migrated == 401);
  CHECK(recorded->up_to_date == 800);
  CHECK(recorded->not_processed == 1);
  auto rows = ledger.tenants_of("r1");
  REQUIRE(rows.size() == 1202);
  CHECK(rows[999].outcome == "migrated");  // t0999: 999 % 3 == 0
  CHECK(rows[999].applied == 2);
  CHECK(rows[1000].outcome == "up_to_date");
  CHECK_FALSE(rows[1201].done());
}

TEST_CASE("the run ledger: migrated and up-to-date tenants in batches, failures at once, the last batch with the end") {
  test_support::temp_dir dir;
  SqliteAdapter adapter;
  const std::string master = (dir / "master.db").string();
  RunLedger<SqliteConnection> ledger(adapter.connect_or_create(master));
  ledger.ensure_tables();
  const run_record run = run_r1();
  ledger.start_run(run, {"a", "b", "c", "d", "e"});
  // Batches wait up to an hour here, so that only the events decide (a
  // migration of an hour or more makes the run's migrations slow).
  LedgerReporter<SqliteConnection> reporter(RunLedger<SqliteConnection>(adapter.connect(master)), "r1", "h:1", {}, 1h);
  // What another session sees: "pending" until a tenant's row is committed.
  auto recorded = [&](const std::string& id) {
    for (const auto& t : RunLedger<SqliteConnection>(adapter.connect(master)).tenants_of("r1"))
      if (t.tenant_id == id) return t.done() ? t.outcome : std::string("pending");
    return std::string("missing");
  };
  auto who = [](const std::string& id) { return tenant{id, id, isolation_kind::database, id + ".db", {}, {}}; };
  const tenant a = who("a"), b = who("b"), c = who("c"), d = who("d"), e = who("e");
  const migration m = make_migration("app", "0001_x", "SELECT 1;");
  const tenant_result migrated_a{"a", tenant_outcome::migrated, 1, "", 5ms};
  const tenant_result migrated_b{"b", tenant_outcome::migrated, 1, "", 2h};
  const tenant_result up_to_date_c{"c", tenant_outcome::up_to_date, 0, "", 1ms};
  const tenant_result failed_d{"d", tenant_outcome::failed, 0, "boom", 2ms};
  const tenant_result up_to_date_e{"e", tenant_outcome::up_to_date, 0, "", 1ms};

  reporter.on(migration_started{a, m});
  reporter.on(migration_applied{a, m, 5ms});
  reporter.on(tenant_finished{a, migrated_a, 0, 5});
  CHECK(recorded("a") == "pending");  // batched
  reporter.on(migration_started{b, m});
  CHECK(recorded("a") == "pending");  // the run's migrations are fast: the batch waits
  reporter.on(migration_applied{b, m, 2h});
  reporter.on(tenant_finished{b, migrated_b, 1, 5});
  reporter.on(migration_started{c, m});
  CHECK(recorded("a") == "migrated");  // a slow migration was seen: written before the next one starts
  CHECK(recorded("b") == "migrated");
  reporter.on(tenant_finished{c, up_to_date_c, 2, 5});
  CHECK(recorded("c") == "pending");
  reporter.on(tenant_finished{d, failed_d, 3, 5});
  CHECK(recorded("c") == "up_to_date");  // the batch goes first
  CHECK(recorded("d") == "failed");      // a failure at once
  reporter.on(tenant_finished{e, up_to_date_e, 4, 5});
  CHECK(recorded("e") == "pending");
  CHECK_FALSE(RunLedger<SqliteConnection>(adapter.connect(master)).find_run("r1")->finished());
  run_summary summary{{migrated_a, migrated_b, up_to_date_c, failed_d, up_to_date_e}};
  reporter.on(run_finished{summary});
  CHECK(recorded("e") == "up_to_date");
  auto ended = RunLedger<SqliteConnection>(adapter.connect(master)).find_run("r1");
  REQUIRE(ended);
  CHECK(ended->outcome == "failed");
  CHECK(ended->migrated == 2);
  CHECK(ended->up_to_date == 2);
  CHECK(ended->failed == 1);
  CHECK(ended->not_processed == 0);
}
