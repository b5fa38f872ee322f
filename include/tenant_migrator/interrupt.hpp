// Cancelling the statements migrations are running, from a signal handler.
//
// While a migration's SQL runs, the migrator arms a slot with the connection's
// interrupter (if its adapter has one: `interrupt_handle interrupter()`, e.g.
// PQcancel, sqlite3_interrupt). interrupt_running_migration(), called from a
// SIGINT/SIGTERM handler after it sets migrator_options::stop_signal, asks the
// database to stop every armed statement; the migrator then rolls each
// migration back and reports the run as interrupted. Without it a long
// statement would run to its end before the rollback.
//
// There is one slot per statement running at once: a sequential run uses
// one, a run with several workers (ParallelExecution) one per worker, up to
// max_armed_interrupts; a statement started when all are taken runs to its end.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <thread>

namespace tenant_migrator {

// What a connection hands out for cancelling its running statement:
// `cancel(target)` must be async-signal-safe.
struct interrupt_handle {
  void (*cancel)(void*) noexcept = nullptr;
  void* target = nullptr;
};

inline constexpr std::size_t max_armed_interrupts = 128;

namespace detail {
// A slot is free, being armed or disarmed by its statement's thread, armed,
// or in use by a signal handler (which calls cancel). The handler only takes
// an armed slot, and disarming waits while a handler on another thread uses
// it, so the target cannot be destroyed under the handler. A handler that
// interrupts the very thread disarming its slot finishes before that thread
// goes on, so the wait never blocks on itself.
enum slot_state : int { slot_free, slot_busy, slot_armed, slot_cancelling };

struct interrupt_slot {
  std::atomic<int> state{slot_free};
  void (*cancel)(void*) noexcept = nullptr;  // written while busy, read while cancelling
  void* target = nullptr;
};
static_assert(std::atomic<int>::is_always_lock_free, "signal handlers need lock-free atomics");

inline std::array<interrupt_slot, max_armed_interrupts> interrupt_slots{};

// Arms a free slot for one statement; disarms it when destroyed.
class armed_interrupt {
 public:
  explicit armed_interrupt(interrupt_handle h) noexcept {
    for (auto& slot : interrupt_slots) {
      int expected = slot_free;
      if (!slot.state.compare_exchange_strong(expected, slot_busy)) continue;
      slot.cancel = h.cancel;
      slot.target = h.target;
      slot.state.store(slot_armed);
      slot_ = &slot;
      return;
    }
  }
  ~armed_interrupt() {
    if (!slot_) return;
    for (;;) {
      int expected = slot_armed;
      if (slot_->state.compare_exchange_strong(expected, slot_busy)) break;
      std::this_thread::yield();  // a handler on another thread is cancelling: wait for it
    }
    slot_->cancel = nullptr;
    slot_->target = nullptr;
    slot_->state.store(slot_free);
  }
  armed_interrupt(const armed_interrupt&) = delete;
  armed_interrupt& operator=(const armed_interrupt&) = delete;

 private:
  interrupt_slot* slot_ = nullptr;
};
}  // namespace detail

// Async-signal-safe: cancels every migration statement running now.
inline void interrupt_running_migration() noexcept {
  for (auto& slot : detail::interrupt_slots) {
    int expected = detail::slot_armed;
    if (!slot.state.compare_exchange_strong(expected, detail::slot_cancelling)) continue;
    if (slot.cancel && slot.target) slot.cancel(slot.target);
    slot.state.store(detail::slot_armed);
  }
}

}  // namespace tenant_migrator
