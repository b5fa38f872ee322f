// Planning and running tenants, shared by migratealltenants and migratetenant:
// a run always goes through the library's TenantMigrator::run, so every
// format shows the whole run (run_started ... run_finished).
#pragma once

#include <csignal>
#include <iostream>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

#include <tenant_migrator/reporting/progress_reporter.hpp>

#include "chunks.hpp"
#include "errors.hpp"
#include "master.hpp"
#include "output.hpp"

namespace manage {

inline int exit_of(const tmig::run_summary& s) {
  if (s.signal == SIGINT) return code(exit_status::interrupted);
  if (s.signal == SIGTERM) return code(exit_status::terminated);
  return code(s.all_succeeded() ? exit_status::ok : exit_status::failed);
}

// Calls f(adapter, master, set, target, catalog): the master reached, the
// migration set loaded and the target checked against it, before anything runs.
template <class F>
int with_run_sources(const source_options& source, const target_options& target, F&& f) {
  return with_sources(source, [&](auto adapter, const std::string& master) {
    auto set = load_set(source);
    auto to = target_of(target, set);
    auto catalog = open_catalog(adapter, master);
    return f(adapter, master, set, to, catalog);
  });
}

// Everything a plan or a run needs besides the tenants.
struct run_request {
  const std::string& master;
  const tmig::migration_set& set;
  const tmig::migration_target& target;
  const run_output_options& output;
  const timeout_options& timeouts;
  bool fake = false;
  bool progress = false;  // the live status line on standard error (status_line_wanted)
  std::optional<tmig::migration_key> baseline{};  // --baseline
  bool atomic = false;                            // --atomic
};

inline tmig::migrator_options migrator_options_of(const run_request& r) {
  auto options = migrator_options_of(r.master, r.timeouts, r.fake);
  options.baseline = r.baseline;
  options.atomic = r.atomic;
  return options;
}

// --plan: each tenant's plan, in order. Exit 1 when a tenant cannot be planned.
template <class Adapter>
int plan_tenants(Adapter& adapter, const std::vector<tmig::tenant>& tenants, const run_request& r) {
  // One connection per server, kept across the chunks (see showmigrations).
  migrator<tmig::ReuseConnectionPerServer<Adapter>> m(tmig::ReuseConnectionPerServer<Adapter>(adapter), {},
                                                      migrator_options_of(r));
  int status = code(exit_status::ok);
  // Histories read in batches where the isolation strategy can (schema tenants:
  // one connection per server), as a run's fast path does.
  for_each_chunk(tenants, [&](const std::vector<tmig::tenant>& chunk, std::size_t first) {
    auto plans = m.plan_tenants(chunk, r.set, r.target);
    for (std::size_t i = 0; i < plans.size(); ++i) {
      print_plan(r.output, plans[i], first + i == 0);
      if (!plans[i].error.empty()) status = code(exit_status::failed);
    }
  });
  if (tenants.empty() && r.output.format == "text") std::cout << "No tenants to plan.\n";
  return status;
}

// Migrates `tenants` with the connection policy given, reports the run in the
// format asked for, then marks the incomplete tenants that succeeded active.
// A failure outside any tenant (the master lost) throws cannot_go_on.
// `extra` also receives the run's events (the run ledger); `execution`: how
// the tenants are processed (one at a time by default; RolloutExecution for
// --canary ..., ParallelExecution for --parallel, QueueExecution for --queue).
template <class Policy, class Catalog, class Extra = tmig::NullReporter, class Execution = tmig::SequentialExecution>
tmig::run_summary run_tenants(Policy policy, Catalog& catalog, const std::vector<tmig::tenant>& tenants,
                              const run_request& r, Extra extra = {}, Execution execution = {}) {
  if (r.fake) warn("--fake changes migration history without running any SQL.");
  tmig::run_summary summary;
  run_screen screen(r.progress);
  try {
    with_reporter(r.output, screen.text(), [&](auto output) {
      auto reporter = tmig::combine_reporters(std::move(output), tmig::ProgressReporter(screen.line()),
                                              std::move(extra));
      migrator<Policy, decltype(reporter), Execution> m(std::move(policy), std::move(reporter),
                                                        migrator_options_of(r), std::move(execution));
      after_start("the run could not go on", [&] {
        summary = m.run(tenants, r.set, r.target);
        tmig::mark_complete(catalog, tenants, summary);
      });
      return 0;
    });
  } catch (...) {
    screen.line()->erase();  // the error message gets a clean line
    throw;
  }
  return summary;
}

}  // namespace manage
