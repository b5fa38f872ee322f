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
// process(i) never throws for a tenant's own problems (they are in its result)
// and calls the reporter; an execution that runs it on several threads must
// serialise those calls for the reporter. SequentialExecution is the default:
// one tenant at a time, in the run's order, on the calling thread.
#pragma once

#include <concepts>
#include <cstddef>

namespace tenant_migrator {

namespace detail {
struct process_probe {
  void operator()(std::size_t) const {}
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

static_assert(ExecutionPolicy<SequentialExecution>);

}  // namespace tenant_migrator
