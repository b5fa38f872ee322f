// TenantMigrator: brings tenants up to date with a migration set, each
// migration in its own transaction with its history row.
//
//   TenantMigrator<IsolationStrategy, ConnectionPolicy, Reporter, ExecutionPolicy = SequentialExecution>
//
// The ConnectionPolicy names the DatabaseAdapter (FreshConnectionPerTenant<SqliteAdapter>).
// A failing tenant never stops the run; the summary says what happened.
// The pieces: migrator/tenant_access.hpp (reach a tenant), step_runner.hpp
// (one migration), tenant_runner.hpp (one tenant), fast_path.hpp (batched
// history reads), execution.hpp (how the run's tenants are processed;
// parallel_execution.hpp: several workers at once).
// Reference: docs/reference/tenant-migrator.md.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "catalog/selection.hpp"
#include "concepts/catalog.hpp"
#include "concepts/connection_policy.hpp"
#include "concepts/isolation_strategy.hpp"
#include "concepts/reporter.hpp"
#include "migrator/execution.hpp"
#include "migrator/fast_path.hpp"
#include "migrator/options.hpp"
#include "migrator/parallel_execution.hpp"
#include "migrator/tenant_runner.hpp"
#include "model/migration.hpp"
#include "model/plan.hpp"
#include "model/results.hpp"
#include "model/selection.hpp"
#include "model/tenant.hpp"
#include "planner.hpp"
#include "reporting/events.hpp"
#include "reporting/tenant_buffered_reporter.hpp"

namespace tenant_migrator {

namespace detail {
// Checks TenantMigrator's policies in an order where each check can rely on
// the previous ones, so that the first message names what is missing.
template <class Isolation, class Connections, class R, class Execution>
constexpr bool check_migrator_policies() {
  check_connection_policy<Connections>();
  if constexpr (ConnectionPolicy<Connections>) check_isolation_strategy<Isolation, typename Connections::adapter_type>();
  check_reporter<R>();
  static_assert(ExecutionPolicy<Execution>,
                "ExecutionPolicy: missing `template <class Process, class Stop> std::size_t execute(std::size_t "
                "count, Process&& process, Stop&& stop)` (process(i) returns const tenant_result&)");
  return true;
}
}  // namespace detail

template <class IsolationStrategy, class ConnectionPolicy, class Reporter, class Execution = SequentialExecution>
class TenantMigrator {
  // Before any member uses a policy, so that a missing member is reported by name.
  static_assert(detail::check_migrator_policies<IsolationStrategy, ConnectionPolicy, Reporter, Execution>());
  using runner = detail::tenant_runner<IsolationStrategy, ConnectionPolicy, Reporter>;

 public:
  using adapter_type = typename ConnectionPolicy::adapter_type;
  using isolation_strategy = IsolationStrategy;
  using connection_policy = ConnectionPolicy;
  using reporter_type = Reporter;
  using execution_policy = Execution;

  explicit TenantMigrator(ConnectionPolicy connections = ConnectionPolicy{}, Reporter reporter = Reporter{},
                          migrator_options options = {}, Execution execution = Execution{})
      : connections_(std::move(connections)),
        reporter_(std::move(reporter)),
        options_(std::move(options)),
        execution_(std::move(execution)) {}

  Reporter& reporter() noexcept { return reporter_; }
  ConnectionPolicy& connections() noexcept { return connections_; }
  const migrator_options& options() const noexcept { return options_; }

  // Migrates every selected active (or incomplete) tenant of `catalog`
  // (select_tenants); an incomplete tenant that succeeds is marked active,
  // if the catalog is writable (mark_complete). Throws what select_tenants
  // and validate_target throw, before anything runs.
  template <class C>
  run_summary migrate_all(C& catalog, const migration_set& set, const tenant_selection& selection = {},
                          const migration_target& target = {}) {
    static_assert(check_catalog<C>());
    auto tenants = select_tenants(catalog, selection);
    auto summary = run(tenants, set, target);
    mark_complete(catalog, tenants, summary);
    return summary;
  }

  // Migrates `tenants` in the given order, reporting a whole run. Throws
  // usage_error (before anything runs) when the target names no app or migration.
  run_summary run(const std::vector<tenant>& tenants, const migration_set& set, const migration_target& target = {}) {
    validate_target(set, target);
    if (options_.baseline) validate_baseline(set, *options_.baseline);
    auto started = std::chrono::steady_clock::now();
    reporter_.on(run_started{tenants.size(), set.size()});
    std::vector<char> up_to_date(tenants.size(), 0);  // by the fast path's batched reads
    detail::read_histories_in_batches<IsolationStrategy>(
        connections_, tenants, options_.master_location, options_.history_readers,
        [&](std::size_t i, const std::vector<applied_migration>& history) {
          up_to_date[i] = is_up_to_date(set, history, target) ? 1 : 0;
        });
    // Results in place, in the tenants' order; `done` marks the tenants
    // started (a stopped run leaves the rest out of the summary).
    run_summary summary;
    summary.tenants.resize(tenants.size());
    std::vector<char> done(tenants.size(), 0);
    auto process_with = [&](auto& tenant_runner, std::size_t i) -> const tenant_result& {
      const tenant& t = tenants[i];
      if (up_to_date[i])
        summary.tenants[i] = tenant_runner.report_up_to_date(t, i, tenants.size());
      else
        summary.tenants[i] = tenant_runner.migrate(t, set, target, i, tenants.size());
      done[i] = 1;
      return summary.tenants[i];
    };
    auto stop = [&] { return detail::stop_requested(options_) != 0; };
    std::size_t started_count = 0;
    if constexpr (ConcurrentExecution<Execution>) {
      started_count = run_concurrently(tenants.size(), process_with, stop);
    } else {
      runner tenant_runner(connections_, reporter_, options_);
      started_count = execution_.execute(
          tenants.size(), [&](std::size_t i) -> const tenant_result& { return process_with(tenant_runner, i); }, stop);
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < done.size(); ++i)
      if (done[i]) {
        if (kept != i) summary.tenants[kept] = std::move(summary.tenants[i]);
        ++kept;
      }
    summary.tenants.resize(kept);
    summary.not_processed = tenants.size() - started_count;
    summary.signal = detail::stop_requested(options_);
    summary.duration = detail::elapsed_since(started);
    reporter_.on(run_finished{summary});
    return summary;
  }

  // Migrates one tenant (a run of one, without run_started/run_finished).
  // Never throws for the tenant's own problems: they are in the result.
  tenant_result migrate_tenant(const tenant& t, const migration_set& set, const migration_target& target = {},
                               std::size_t index = 0, std::size_t total = 1) {
    return runner(connections_, reporter_, options_).migrate(t, set, target, index, total);
  }

  // What migrating `t` to `target` would do, without changing anything.
  tenant_plan plan_tenant(const tenant& t, const migration_set& set, const migration_target& target = {}) {
    return runner(connections_, reporter_, options_).plan(t, set, target);
  }

  // The plans of many tenants, reading histories in batches where the
  // isolation strategy can (the same fast path as run()).
  std::vector<tenant_plan> plan_tenants(const std::vector<tenant>& tenants, const migration_set& set,
                                        const migration_target& target = {}) {
    runner tenant_runner(connections_, reporter_, options_);
    std::vector<std::optional<tenant_plan>> batched(tenants.size());
    detail::read_histories_in_batches<IsolationStrategy>(
        connections_, tenants, options_.master_location, options_.history_readers,
        [&](std::size_t i, const std::vector<applied_migration>& history) {
          tenant_plan plan{tenants[i].id, {}, {}};
          try {
            plan.steps = tenant_runner.plan_from(set, history, target);
          } catch (const std::exception& e) {
            plan.error = e.what();
          }
          batched[i] = std::move(plan);
        });
    std::vector<tenant_plan> plans;
    plans.reserve(tenants.size());
    for (std::size_t i = 0; i < tenants.size(); ++i)
      plans.push_back(batched[i] ? std::move(*batched[i]) : tenant_runner.plan(tenants[i], set, target));
    return plans;
  }

  // Applied and pending migrations of `t`, read-only (never creates the history table).
  tenant_state inspect_tenant(const tenant& t, const migration_set& set) {
    return runner(connections_, reporter_, options_).inspect(t, set);
  }

  // The states of many tenants, reading histories in batches where the
  // isolation strategy can.
  std::vector<tenant_state> inspect_tenants(const std::vector<tenant>& tenants, const migration_set& set) {
    runner tenant_runner(connections_, reporter_, options_);
    std::vector<std::optional<tenant_state>> batched(tenants.size());
    detail::read_histories_in_batches<IsolationStrategy>(
        connections_, tenants, options_.master_location, options_.history_readers,
        [&](std::size_t i, const std::vector<applied_migration>& history) {
          batched[i] = runner::state_from(tenants[i], set, history);
        });
    std::vector<tenant_state> states;
    states.reserve(tenants.size());
    for (std::size_t i = 0; i < tenants.size(); ++i)
      states.push_back(batched[i] ? std::move(*batched[i]) : tenant_runner.inspect(tenants[i], set));
    return states;
  }

  // Accepts the current files' checksums for `t`'s applied migrations, after
  // an operator has checked that the changes are harmless. Returns the
  // migrations whose recorded checksum changed. Throws error on failure.
  std::vector<migration_key> repair_tenant(const tenant& t, const migration_set& set) {
    return runner(connections_, reporter_, options_).repair(t, set);
  }

 private:
  // A ConcurrentExecution's workers: worker 0 uses the migrator's connection
  // policy (and whatever connection the batched reads left open), every
  // other one its own (for_worker()); each has its own runner, and a
  // reporter that hands a tenant's events to reporter_ whole, under one lock.
  template <class ProcessWith, class Stop>
  std::size_t run_concurrently(std::size_t count, ProcessWith& process_with, Stop& stop) {
    static_assert(requires(ConnectionPolicy& p) {
      { p.for_worker() } -> std::convertible_to<ConnectionPolicy>;
    }, "ConnectionPolicy: a concurrent ExecutionPolicy (ParallelExecution) needs `ConnectionPolicy for_worker()`, "
       "the policy another worker thread uses");
    using worker_reporter = TenantBufferedReporter<Reporter>;
    using worker_runner = detail::tenant_runner<IsolationStrategy, ConnectionPolicy, worker_reporter>;
    std::mutex report_lock;
    std::deque<ConnectionPolicy> own_connections;
    std::deque<worker_reporter> reporters;
    std::deque<worker_runner> runners;
    const std::size_t workers = std::min<std::size_t>(execution_.workers(), count);
    for (std::size_t w = 0; w < workers; ++w) {
      ConnectionPolicy& connections = w == 0 ? connections_ : own_connections.emplace_back(connections_.for_worker());
      runners.emplace_back(connections, reporters.emplace_back(reporter_, report_lock), options_);
    }
    return execution_.execute(
        count,
        [&](std::size_t i, std::size_t worker) -> const tenant_result& { return process_with(runners[worker], i); },
        stop);
  }

  static bool is_up_to_date(const migration_set& set, const std::vector<applied_migration>& history,
                            const migration_target& target) {
    try {
      return verify_history(set, history).empty() && make_plan(set, history, target).empty();
    } catch (const std::exception&) {
      return false;
    }
  }

  ConnectionPolicy connections_;
  Reporter reporter_;
  migrator_options options_;
  Execution execution_;
};

}  // namespace tenant_migrator
