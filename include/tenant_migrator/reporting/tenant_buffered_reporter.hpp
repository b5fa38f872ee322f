// TenantBufferedReporter: one worker's view of a reporter shared by several
// workers (ParallelExecution). It keeps a tenant's events until its
// tenant_finished, then hands them all to the shared reporter in one go,
// under the run's lock: the shared reporter is called by one thread at a
// time and never sees two tenants' events mixed.
//
// Events hold references; the ones kept refer to the run's tenants and
// migration set, which outlive the run, and tenant_finished (whose result
// is the runner's) is delivered at once, so nothing kept dangles.
#pragma once

#include <mutex>
#include <utility>
#include <variant>
#include <vector>

#include "../concepts/reporter.hpp"
#include "events.hpp"

namespace tenant_migrator {

template <class Shared>
class TenantBufferedReporter {
 public:
  TenantBufferedReporter(Shared& shared, std::mutex& lock) : shared_(&shared), lock_(&lock) {}

  void on(const tenant_started& e) { held_.emplace_back(e); }
  void on(const migration_started& e) { held_.emplace_back(e); }
  void on(const migration_applied& e) { held_.emplace_back(e); }
  void on(const migration_failed& e) { held_.emplace_back(e); }
  void on(const tenant_finished& e) {
    {
      std::lock_guard guard(*lock_);
      for (const auto& held : held_) std::visit([&](const auto& event) { shared_->on(event); }, held);
      shared_->on(e);
    }
    held_.clear();
  }
  // Run events come from the run's own thread, outside any worker.
  void on(const run_started& e) {
    std::lock_guard guard(*lock_);
    shared_->on(e);
  }
  void on(const run_finished& e) {
    std::lock_guard guard(*lock_);
    shared_->on(e);
  }

 private:
  using tenant_event = std::variant<tenant_started, migration_started, migration_applied, migration_failed>;
  Shared* shared_;
  std::mutex* lock_;
  std::vector<tenant_event> held_;
};

}  // namespace tenant_migrator
