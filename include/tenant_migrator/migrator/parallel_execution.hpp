// ParallelExecution: an ExecutionPolicy that migrates up to `workers`
// tenants at once, each worker on its own thread taking the next tenant of
// the run's order (docs/concepts/execution-policy.md).
//
//   TenantMigrator<PerTenantIsolation, MaxConnectionsPerServer<FreshConnectionPerTenant<PostgresqlAdapter>>,
//                  ConsoleReporter, ParallelExecution>
//       m(connections, ConsoleReporter{}, options, ParallelExecution{4});
//
// It is a ConcurrentExecution: it calls process(i, worker), and
// TenantMigrator::run gives each worker its own connection policy (the
// policy's for_worker()), its own tenant runner and a reporter that holds a
// tenant's events until the tenant finishes, then hands them to the run's
// reporter whole, under a lock: a tenant's lines never mix with another's,
// tenants appear in the order they finish, and the summary keeps the run's
// order. Once stop() is true no worker starts a new tenant; the tenants
// running finish (their statements are cancelled by interrupt.hpp on a signal).
#pragma once

#include <algorithm>
#include <atomic>
#include <concepts>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

#include "execution.hpp"

namespace tenant_migrator {

// An ExecutionPolicy that calls process from several threads: it says how
// many (`workers()`) and calls process(i, worker) with worker in [0, workers()).
template <class E>
concept ConcurrentExecution = ExecutionPolicy<E> && requires(const E& execution) {
  { execution.workers() } -> std::convertible_to<std::size_t>;
};

struct ParallelExecution {
  std::size_t worker_count = 1;  // at least 1
  // A rollout with workers, as RolloutExecution without pauses: the first
  // `canaries` tenants run first, one at a time, and if one fails no other
  // starts; once `max_failures` tenants failed (0: no limit) no new one
  // starts (the tenants other workers are running then still finish).
  std::size_t canaries = 0;
  std::size_t max_failures = 0;

  std::size_t workers() const noexcept { return std::max<std::size_t>(worker_count, 1); }

  // Calls process(i) or process(i, worker) for tenants i in [0, count), from
  // up to workers() threads; returns how many it started (tenants 0 .. that - 1).
  // An exception escaping process (a bug, or memory exhausted) stops the
  // other workers from starting more and is rethrown here once they end.
  template <class Process, class Stop>
  std::size_t execute(std::size_t count, Process&& process, Stop&& stop) {
    auto call = [&](std::size_t i, std::size_t worker) -> decltype(auto) {
      if constexpr (std::is_invocable_v<Process&, std::size_t, std::size_t>)
        return process(i, worker);
      else
        return process(i);
    };
    const std::size_t first = std::min(canaries, count);
    for (std::size_t i = 0; i < first; ++i) {
      if (stop()) return i;
      if (!call(i, 0).succeeded()) return i + 1;  // a canary failed: touch no other tenant
    }
    std::atomic<std::size_t> next{first};
    std::atomic<std::size_t> failed_tenants{0};
    std::atomic<bool> halted{false};
    std::exception_ptr first_error;
    std::mutex error_mutex;
    auto work = [&](std::size_t worker) {
      try {
        while (!halted.load() && !stop()) {
          std::size_t i = next.fetch_add(1);
          if (i >= count) return;
          if (call(i, worker).succeeded()) continue;
          if (max_failures != 0 && failed_tenants.fetch_add(1) + 1 >= max_failures) halted.store(true);
        }
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        halted.store(true);
      }
    };
    const std::size_t threads = std::min(workers(), count - first);
    {
      std::vector<std::jthread> pool;
      pool.reserve(threads);
      for (std::size_t w = 1; w < threads; ++w) pool.emplace_back(work, w);
      if (threads > 0) work(0);  // the calling thread is worker 0
    }  // joins
    if (first_error) std::rethrow_exception(first_error);
    return std::min(next.load(), count);
  }
};

static_assert(ConcurrentExecution<ParallelExecution>);

}  // namespace tenant_migrator
