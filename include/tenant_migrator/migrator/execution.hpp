// How a run's tenants are processed: the ExecutionPolicy, TenantMigrator's
// fourth policy (docs/concepts/execution-policy.md).
//
//   struct MyExecution {
//     // Calls process(i) for tenants i in [0, count), returns how many it started.
//     // Stops starting new ones once stop() is true.
//     template <class Process, class Stop>
//     std::size_t execute(std::size_t count, Process&& process, Stop&& stop);
//   };
//
// process(i) migrates tenant i and returns its result (const tenant_result&).
// It never throws for a tenant's own problems (they are in the result) and
// calls the reporter; an execution that runs it on several threads must
// serialise those calls for the reporter. SequentialExecution is the default:
// one tenant at a time, in the run's order, on the calling thread;
// RolloutExecution adds canaries, a failure budget and pauses.
#pragma once

#include <chrono>
#include <concepts>
#include <cstddef>
#include <thread>

#include "../model/results.hpp"

namespace tenant_migrator {

namespace detail {
struct process_probe {
  const tenant_result& operator()(std::size_t) const;
};
struct stop_probe {
  bool operator()() const { return false; }
};
}  // namespace detail

template <class E>
concept ExecutionPolicy = requires(E& execution, std::size_t count) {
  { execution.execute(count, detail::process_probe{}, detail::stop_probe{}) } -> std::convertible_to<std::size_t>;
};

struct SequentialExecution {
  template <class Process, class Stop>
  std::size_t execute(std::size_t count, Process&& process, Stop&& stop) {
    std::size_t started = 0;
    for (; started < count && !stop(); ++started) process(started);
    return started;
  }
};

// One tenant at a time, in order, for a careful rollout (the seed's staggered
// deploy): the first `canaries` tenants go first, and if any of them fails no
// other tenant starts; after `max_failures` failed tenants no new one starts;
// `pause` between two tenants (cut short when the run is asked to stop).
// Tenants it does not start are reported as not processed.
struct RolloutExecution {
  std::size_t canaries = 0;
  std::size_t max_failures = 0;  // 0: no limit
  std::chrono::milliseconds pause{0};

  template <class Process, class Stop>
  std::size_t execute(std::size_t count, Process&& process, Stop&& stop) {
    std::size_t started = 0, failures = 0;
    while (started < count && !stop()) {
      if (started > 0 && !wait(pause, stop)) break;
      const tenant_result& result = process(started++);
      if (result.succeeded()) continue;
      ++failures;
      if (started <= canaries) break;  // a canary failed: touch no other tenant
      if (max_failures != 0 && failures >= max_failures) break;
    }
    return started;
  }

 private:
  // Sleeps `d` in small steps; false when stop() turned true meanwhile.
  template <class Stop>
  static bool wait(std::chrono::milliseconds d, Stop& stop) {
    const auto step = std::chrono::milliseconds(50);
    for (auto left = d; left.count() > 0; left -= step) {
      if (stop()) return false;
      std::this_thread::sleep_for(left < step ? left : step);
    }
    return !stop();
  }
};

static_assert(ExecutionPolicy<SequentialExecution>);
static_assert(ExecutionPolicy<RolloutExecution>);

}  // namespace tenant_migrator
