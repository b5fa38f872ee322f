// Output shared by the commands: text markers and colour, the reporter
// --format asks for, plans, warnings (always on standard error).
#pragma once

#include <cstdio>
#include <iostream>
#include <string>

#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/output/plan_json.hpp>
#include <tenant_migrator/reporting/json_reporter.hpp>

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

// One tenant's plan: text, or one JSON line (event "tenant_plan").
inline void print_plan(const run_output_options& o, const tmig::tenant_plan& plan, bool first) {
  if (o.format == "json") {
    std::cout << tmig::to_json_line(tmig::tenant_plan_to_json(plan)) << '\n';
    return;
  }
  if (!first) std::cout << '\n';
  std::cout << "Planned operations for tenant '" << plan.tenant_id << "':\n";
  if (!plan.error.empty())
    std::cout << "  Cannot plan: " << plan.error << '\n';
  else if (plan.steps.empty())
    std::cout << "  No planned operations.\n";
  for (const auto& step : plan.steps)
    std::cout << (step.way == tmig::direction::forwards ? "  Apply " : "  Unapply ") << step.what->file() << '\n';
}

}  // namespace manage
