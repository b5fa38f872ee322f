// Output shared by the commands: text markers and colour, the reporter
// --format asks for, plans, warnings (always on standard error).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include <unistd.h>

#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/output/plan_json.hpp>
#include <tenant_migrator/reporting/json_reporter.hpp>
#include <tenant_migrator/reporting/log_reporter.hpp>
#include <tenant_migrator/reporting/status_line.hpp>

#include "cli.hpp"

namespace manage {

namespace tmig = tenant_migrator;

// The style of text on standard output: ✓/✗ (OK/FAILED with --ascii), colour
// only on a terminal, ERROR on failure lines off a terminal.
inline tmig::console_style text_style(const style_options& o) {
  return tmig::console_style::detect(stdout, o.no_color, o.ascii);
}

// "✓ <line>" / "✗ <line>" on standard output.
inline void say(const style_options& o, bool ok, const std::string& line) {
  auto style = text_style(o);
  std::cout << (ok ? style.ok() : style.fail()) << ' ' << line << '\n';
}

inline void warn(const std::string& line) { std::cerr << "Warning: " << line << '\n'; }

// Calls f with the reporter --format (and -v) asks for, writing to `out`.
template <class F>
int with_reporter(const run_output_options& o, std::ostream& out, F&& f) {
  if (o.format == "json") return f(tmig::JsonReporter{out});
  if (o.format == "log") return f(tmig::LogReporter{out});
  return f(tmig::ConsoleReporter{out, text_style(o), static_cast<tmig::console_verbosity>(o.verbosity)});
}

// The live status line of a run goes on standard error, only when it is a
// terminal that moves its cursor (TERM is not "dumb"), unless --no-progress.
// Colour settings do not matter: the line has none.
inline bool status_line_wanted(bool no_progress) {
  const char* term = std::getenv("TERM");
  return !no_progress && ::isatty(STDERR_FILENO) == 1 && !(term != nullptr && std::string_view(term) == "dumb");
}

// The status line on standard error and the stream the run's output goes to:
// standard output, through the line when both show on a terminal, so that the
// text scrolls above it.
class run_screen {
 public:
  explicit run_screen(bool status)
      : line_(std::make_shared<tmig::status_line>(std::cerr, status, tmig::terminal_columns(STDERR_FILENO))),
        above_(std::cout.rdbuf(), line_),
        text_(status && ::isatty(STDOUT_FILENO) == 1 ? static_cast<std::streambuf*>(&above_) : std::cout.rdbuf()) {}
  const std::shared_ptr<tmig::status_line>& line() const { return line_; }
  std::ostream& text() { return text_; }

 private:
  std::shared_ptr<tmig::status_line> line_;
  tmig::scrolling_text_buf above_;
  std::ostream text_;
};

// One tenant's plan: text; json: one line (event "tenant_plan"); log: a
// tenant_plan line (ERROR with the reason when it cannot be planned), then one
// plan_step line per step.
inline void print_plan(const run_output_options& o, const tmig::tenant_plan& plan, bool first) {
  if (o.format == "json") {
    std::cout << tmig::to_json_line(tmig::tenant_plan_to_json(plan)) << '\n';
    return;
  }
  if (o.format == "log") {
    const std::string tenant = "tenant=" + tmig::detail::logfmt_value(plan.tenant_id);
    if (!plan.error.empty()) {
      tmig::write_log_line(std::cout, "ERROR", "tenant_plan", tenant + " error=" + tmig::detail::logfmt_value(plan.error));
      return;
    }
    tmig::write_log_line(std::cout, "INFO", "tenant_plan", tenant + " steps=" + std::to_string(plan.steps.size()));
    for (const auto& step : plan.steps)
      tmig::write_log_line(std::cout, "INFO", "plan_step",
                           tenant + " migration=" + tmig::detail::logfmt_value(step.what->file()) + " direction=" +
                               (step.way == tmig::direction::forwards ? "forwards" : "backwards") +
                               (step.baseline ? " baseline=true" : ""));
    return;
  }
  if (!first) std::cout << '\n';
  std::cout << "Planned operations for tenant '" << plan.tenant_id << "':\n";
  if (!plan.error.empty())
    std::cout << "  Cannot plan: " << plan.error << '\n';
  else if (plan.steps.empty())
    std::cout << "  No planned operations.\n";
  for (const auto& step : plan.steps)
    std::cout << (step.baseline                              ? "  Baseline "
                  : step.way == tmig::direction::forwards ? "  Apply "
                                                            : "  Unapply ")
              << step.what->file() << (step.baseline ? " (recorded as applied, not run)" : "") << '\n';
}

}  // namespace manage
