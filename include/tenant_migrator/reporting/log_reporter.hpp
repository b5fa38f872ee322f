// LogReporter: one line per event for cron logs and `grep ERROR`:
//   2026-11-25T02:00:01.204Z INFO  migration_applied tenant=acme migration=users/0001_initial.sql duration_ms=3
//   2026-11-25T02:00:01.311Z ERROR migration_failed tenant=globex migration=products/0001_initial.sql error="no such table: x"
// Values with spaces, quotes or '=' are double-quoted with \" and \\ escapes;
// newlines become \n, so one event is always one line.
#pragma once

#include <iostream>
#include <ostream>
#include <string>
#include <string_view>

#include <fmt/core.h>

#include "../concepts/reporter.hpp"
#include "../detail/clock.hpp"

namespace tenant_migrator {

namespace detail {
inline std::string logfmt_value(std::string_view v) {
  bool plain = !v.empty();
  for (char c : v)
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || c == '\n' || c == '\r' || c == '\t') plain = false;
  if (plain) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}
}  // namespace detail

// One line as LogReporter writes it: "<ISO time> <LEVEL padded to 5> <event> <fields>".
inline void write_log_line(std::ostream& out, std::string_view level, std::string_view event, const std::string& fields) {
  std::string padded(level);
  padded.resize(5, ' ');
  out << detail::iso8601_now() << ' ' << padded << ' ' << event << ' ' << fields << '\n' << std::flush;
}

class LogReporter {
 public:
  explicit LogReporter(std::ostream& out = std::cout) : out_(&out) {}

  void on(const run_started& e) {
    line("INFO", "run_started", fmt::format("tenants={} migrations={}", e.tenant_count, e.migration_count));
  }
  void on(const tenant_started& e) { line("INFO", "tenant_started", "tenant=" + detail::logfmt_value(e.who.id)); }
  void on(const migration_started& e) {
    line("INFO", e.way == direction::forwards ? "migration_started" : "unapply_started", who(e.who, e.what));
  }
  void on(const migration_applied& e) {
    line("INFO", e.way == direction::forwards ? "migration_applied" : "migration_unapplied",
         fmt::format("{} duration_ms={}{}{}", who(e.who, e.what), e.duration.count(),
                     e.by_other_run ? " by_other_run=true" : "", e.fake ? " fake=true" : ""));
  }
  void on(const migration_failed& e) {
    line("ERROR", "migration_failed", who(e.who, e.what) + " error=" + detail::logfmt_value(e.error));
  }
  void on(const tenant_finished& e) {
    const auto& r = e.result;
    std::string fields = fmt::format("tenant={} outcome={} applied={} duration_ms={}", detail::logfmt_value(r.tenant_id),
                                     to_string(r.outcome), r.applied, r.duration.count());
    if (!r.error.empty()) fields += " error=" + detail::logfmt_value(r.error);
    line(r.succeeded() ? "INFO" : r.outcome == tenant_outcome::skipped ? "WARN" : "ERROR", "tenant_finished", fields);
  }
  void on(const run_finished& e) {
    const auto& s = e.summary;
    line(s.all_succeeded() ? "INFO" : "ERROR", "run_finished",
         fmt::format("tenants={} succeeded={} failed={} not_processed={} duration_ms={}{}",
                     s.tenants.size() + s.not_processed, s.succeeded(), s.failed(), s.not_processed,
                     s.duration.count(), s.signal ? fmt::format(" signal={}", s.signal) : std::string()));
  }

 private:
  static std::string who(const tenant& t, const migration& m) {
    return "tenant=" + detail::logfmt_value(t.id) + " migration=" + detail::logfmt_value(m.file());
  }
  void line(std::string_view level, std::string_view event, const std::string& fields) {
    write_log_line(*out_, level, event, fields);
  }
  std::ostream* out_;
};

}  // namespace tenant_migrator
