// Reporters fed with events by hand: the progress line, and the Reporter
// requirements that reporters are checked against.
#include <doctest/doctest.h>

#include <chrono>
#include <sstream>
#include <string>

#include <tenant_migrator/tenant_migrator.hpp>

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
  auto migrated = result_of("acme", tenant_outcome::migrated);
  progress.on(tenant_finished{acme, migrated, 0, 2});
  CHECK(take(out) == std::string(redraw) + "[1/2] 0 failed | elapsed 0:03 | ETA 0:03");

  progress.on(tenant_started{globex, 1, 2});
  CHECK(take(out) == std::string(redraw) + "[1/2] 0 failed | globex | elapsed 0:03 | ETA 0:03");
  clock.now += 3s;
  progress.on(migration_failed{globex, m, "no such table"});
  CHECK(take(out).empty());
  auto failed = result_of("globex", tenant_outcome::failed);
  progress.on(tenant_finished{globex, failed, 1, 2});
  CHECK(take(out) == std::string(redraw) + "[2/2] 1 failed | elapsed 0:06 | ETA 0:00");
  CHECK(progress.state().failed == 1);

  run_summary summary;
  progress.on(run_finished{summary});
  CHECK(take(out) == std::string(redraw) + "[2/2] 1 failed | elapsed 0:06 | done\n");
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
  auto both = combine_reporters(ProgressReporter(progress_out, true), ConsoleReporter(console_out, console_style{}));
  auto acme = make_tenant("acme");
  both.on(run_started{1, 0});
  both.on(tenant_started{acme, 0, 1});
  CHECK(progress_out.str().find("acme") != std::string::npos);
  CHECK(console_out.str() == "Migrating tenant: acme\n");
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
