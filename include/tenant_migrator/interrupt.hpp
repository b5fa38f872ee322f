// Cancelling the statement a migration is running, from a signal handler.
//
// While a migration's SQL runs, the migrator arms a slot with the connection's
// interrupter (if its adapter has one: `interrupt_handle interrupter()`, e.g.
// PQcancel, sqlite3_interrupt). interrupt_running_migration(), called from a
// SIGINT/SIGTERM handler after it sets migrator_options::stop_signal, asks the
// database to stop that statement; the migrator then rolls the migration back
// and reports the run as interrupted. Without it a long statement would run to
// its end before the rollback.
#pragma once

#include <atomic>

namespace tenant_migrator {

// What a connection hands out for cancelling its running statement:
// `cancel(target)` must be async-signal-safe.
struct interrupt_handle {
  void (*cancel)(void*) noexcept = nullptr;
  void* target = nullptr;
};

namespace detail {
inline std::atomic<void (*)(void*) noexcept> running_cancel{nullptr};
inline std::atomic<void*> running_target{nullptr};

// Arms the slot for one statement; disarms it when destroyed. The migrator
// runs on one thread, and a signal handler interrupts that thread, so the
// target cannot be destroyed while the handler uses it.
class armed_interrupt {
 public:
  explicit armed_interrupt(interrupt_handle h) noexcept {
    running_target.store(h.target);
    running_cancel.store(h.cancel);
  }
  ~armed_interrupt() {
    running_cancel.store(nullptr);
    running_target.store(nullptr);
  }
  armed_interrupt(const armed_interrupt&) = delete;
  armed_interrupt& operator=(const armed_interrupt&) = delete;
};
}  // namespace detail

// Async-signal-safe: cancels the migration statement running now, if any.
inline void interrupt_running_migration() noexcept {
  auto cancel = detail::running_cancel.load();
  void* target = detail::running_target.load();
  if (cancel && target) cancel(target);
}

}  // namespace tenant_migrator
