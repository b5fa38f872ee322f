// Output shared by the commands: text markers and colour, the reporter
// --format asks for, plans, warnings (always on standard error).
#pragma once

#include <cstdio>
#include <iostream>
#include <string>

#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/output/plan_json.hpp>
#include <tenant_migrator/reporting/json_reporter.hpp>
#include <tenant_migrator/reporting/log_reporter.hpp>

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

// Calls f with the reporter --format asks for.
template <class F>
int with_reporter(const run_output_options& o, F&& f) {
  if (o.format == "json") return f(tmig::JsonReporter{});
  if (o.format == "log") return f(tmig::LogReporter{});
  return f(tmig::ConsoleReporter{std::cout, text_style(o)});
}

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
