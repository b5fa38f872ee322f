// ProgressReporter: one live status line on a terminal, redrawn in place
// ("\r" and erase line) as the run goes:
//
//   [1,234/10,000] 1 failed | acme | elapsed 0:42 | ETA 1:38
//
// It writes to stderr by default, so that stdout stays free for another
// reporter (combine_reporters) or for JSON. Off a terminal it prints nothing:
// a log file gains nothing from a line that keeps redrawing itself.
// When the other reporter's text shows on the same terminal, give both the
// same status_line (status_line.hpp): the text scrolls above, the line stays
// at the bottom. Redraws are at most one per redraw_interval, except when the
// line was erased, at the start and end, on a failure, and before a
// migration of a tenant the line does not name yet.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <iostream>
#include <memory>
#include <ostream>
#include <string>
#include <utility>

#include <unistd.h>

#include <fmt/core.h>

#include "../concepts/reporter.hpp"
#include "events.hpp"
#include "status_line.hpp"
#include "text_format.hpp"

namespace tenant_migrator {

// What the progress line shows.
struct progress_state {
  std::size_t done = 0;   // tenants finished
  std::size_t total = 0;  // tenants in the run
  std::size_t failed = 0; // finished without success (failed, skipped, interrupted)
  std::string current;    // the tenant being migrated; empty between tenants
  std::chrono::milliseconds elapsed{0};
  bool finished = false;  // the run is over
};

namespace detail {
// "0:07", "12:34", "1:02:03": minutes and seconds, hours only when needed.
inline std::string format_clock(std::chrono::milliseconds duration) {
  long long seconds = duration.count() / 1000;
  if (seconds < 0) seconds = 0;
  if (seconds >= 3600) return fmt::format("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  return fmt::format("{}:{:02}", seconds / 60, seconds % 60);
}
}  // namespace detail

// The line for `s`, without the cursor control that redraws it.
// The ETA assumes the remaining tenants take as long as the finished ones did
// on average; before the first one finishes it is unknown ("-:--").
inline std::string render_progress_line(const progress_state& s) {
  std::string line = fmt::format("[{}/{}] {} failed", group_thousands(s.done), group_thousands(s.total),
                                 group_thousands(s.failed));
  if (!s.current.empty()) line += " | " + s.current;
  line += " | elapsed " + detail::format_clock(s.elapsed);
  if (s.finished) return line + " | done";
  line += " | ETA ";
  if (s.done == 0) return line + "-:--";
  auto left = s.total > s.done ? s.total - s.done : 0;
  auto remaining = s.elapsed / static_cast<long long>(s.done) * static_cast<long long>(left);
  return line + detail::format_clock(remaining);
}

class ProgressReporter {
 public:
  using clock = std::chrono::steady_clock;
  using now_function = std::function<clock::time_point()>;
  static constexpr std::chrono::milliseconds redraw_interval{100};

  static bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

  // `is_terminal`: whether `out` shows on a terminal; false makes the reporter
  // silent. `now` is the clock, replaceable in tests.
  explicit ProgressReporter(std::ostream& out = std::cerr, bool is_terminal = stderr_is_terminal(),
                            now_function now = &clock::now)
      : ProgressReporter(std::make_shared<status_line>(out, is_terminal), std::move(now)) {}
  // Draws on `line`, which text scrolling above may share (scrolling_text_buf).
  explicit ProgressReporter(std::shared_ptr<status_line> line, now_function now = &clock::now)
      : line_(std::move(line)), now_(std::move(now)) {}

  const progress_state& state() const noexcept { return state_; }

  void on(const run_started& e) {
    started_ = now_();
    state_ = progress_state{};
    state_.total = e.tenant_count;
    draw(true);
  }
  void on(const tenant_started& e) {
    state_.current = e.who.id;
    draw(false);
  }
  // A migration may take long: the line names its tenant before it starts.
  void on(const migration_started&) { draw(shown_ != state_.current); }
  void on(const migration_applied&) { draw(false); }  // keeps elapsed moving during long tenants
  void on(const migration_failed&) {}
  void on(const tenant_finished& e) {
    ++state_.done;
    bool failed = !e.result.succeeded();
    if (failed) ++state_.failed;
    state_.current.clear();
    draw(failed);
  }
  // The last state stays on screen; the newline hands the terminal back.
  void on(const run_finished&) {
    state_.finished = true;
    draw(true);
    line_->finish();
  }

 private:
  void draw(bool now_or_never) {
    auto now = now_();
    state_.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - started_);
    if (!line_->enabled()) return;
    if (!now_or_never && line_->drawn() && now - last_drawn_ < redraw_interval) return;
    line_->draw(render_progress_line(state_));
    if (!line_->drawn()) return;  // text above in mid-line: drawn after it
    last_drawn_ = now;
    shown_ = state_.current;
  }

  std::shared_ptr<status_line> line_;
  now_function now_;
  clock::time_point started_{};
  clock::time_point last_drawn_{};
  std::string shown_;  // the tenant the line names
  progress_state state_;
};

static_assert(Reporter<ProgressReporter>);

}  // namespace tenant_migrator
