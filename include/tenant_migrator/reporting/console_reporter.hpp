// ConsoleReporter: the human-readable output of `manage migratealltenants`.
//
//   Migrating tenant: acme
//     users/0001_initial.sql ... OK
//   ✓ Tenant 'acme' migrated successfully.
//
// Markers are ✓/✗ (the seed's), or OK/FAILED when ascii. Colour only on a
// terminal, and only when console_style asks for it (NO_COLOR turns it off). Off a terminal every failure line
// carries the word ERROR, so that `grep ERROR` finds it in a log.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <ostream>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <unistd.h>

#include "../concepts/reporter.hpp"

namespace tenant_migrator {

struct console_style {
  bool color = false;       // ANSI colour
  bool symbols = false;     // ✓/✗/! markers; false: OK/FAILED/SKIPPED
  bool tag_errors = false;  // failure lines carry the word ERROR

  // Colour only when `stream` is a terminal, NO_COLOR is unset and no_color is
  // false; ✓/✗ unless ascii; ERROR tags off a terminal.
  static console_style detect(std::FILE* stream = stdout, bool no_color = false, bool ascii = false) {
    const char* env = std::getenv("NO_COLOR");
    bool env_no_color = env != nullptr && env[0] != '\0';
    bool terminal = ::isatty(::fileno(stream)) == 1;
    return console_style{terminal && !no_color && !env_no_color, !ascii, !terminal};
  }

  std::string paint(std::string_view code, std::string_view text) const {
    if (!color) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
  }
  std::string ok() const { return paint("32", symbols ? "✓" : "OK"); }
  // The failure marker, with " ERROR" when failure lines are tagged.
  std::string fail() const { return paint("31", symbols ? "✗" : "FAILED") + (tag_errors ? " ERROR" : ""); }
  std::string skip() const { return paint("33", symbols ? "!" : "SKIPPED"); }
};

class ConsoleReporter {
 public:
  explicit ConsoleReporter(std::ostream& out = std::cout, console_style style = console_style::detect())
      : out_(&out), style_(style) {}

  void on(const run_started& e) {
    if (e.tenant_count == 0) *out_ << "No tenants to migrate.\n\n";
  }
  void on(const tenant_started& e) { *out_ << paint("1", "Migrating tenant: ") << e.who.id << '\n'; }
  void on(const migration_started& e) {
    *out_ << "  " << (e.way == direction::backwards ? "Unapplying " : "") << e.what.file() << " ... " << std::flush;
  }
  void on(const migration_applied& e) {
    if (e.by_other_run)
      *out_ << paint("33", "SKIPPED") << " (applied by another run)\n";
    else if (e.fake)
      *out_ << paint("33", "FAKED") << '\n';
    else
      *out_ << paint("32", "OK") << '\n';
  }
  void on(const migration_failed&) {
    *out_ << paint("31", "FAILED") << (style_.tag_errors ? " ERROR" : "") << '\n';
  }
  void on(const tenant_finished& e) {
    const auto& r = e.result;
    switch (r.outcome) {
      case tenant_outcome::migrated:
        *out_ << ok() << " Tenant '" << r.tenant_id << "' migrated successfully.\n";
        break;
      case tenant_outcome::up_to_date:
        *out_ << "  No migrations to apply.\n" << ok() << " Tenant '" << r.tenant_id << "' is up to date.\n";
        break;
      case tenant_outcome::failed:
        *out_ << fail() << " Migrations failed for tenant '" << r.tenant_id << "': " << r.error << '\n';
        if (e.index + 1 < e.total) *out_ << "Continuing with next tenant...\n";
        break;
      case tenant_outcome::skipped:
        *out_ << skip() << " Tenant '" << r.tenant_id << "' skipped: " << r.error << '\n';
        break;
      case tenant_outcome::interrupted:
        *out_ << fail() << " Tenant '" << r.tenant_id << "' interrupted: " << r.error << '\n';
        break;
    }
    *out_ << '\n' << std::flush;
  }
  void on(const run_finished& e) {
    const auto& s = e.summary;
    *out_ << paint("1", "Migration Summary:") << '\n';
    for (const auto& r : s.tenants) {
      switch (r.outcome) {
        case tenant_outcome::migrated:
          *out_ << "  " << ok() << ' ' << r.tenant_id << " - migrated successfully (" << r.applied << " applied)\n";
          break;
        case tenant_outcome::up_to_date: *out_ << "  " << ok() << ' ' << r.tenant_id << " - up to date\n"; break;
        case tenant_outcome::failed: *out_ << "  " << fail() << ' ' << r.tenant_id << " - FAILED\n"; break;
        case tenant_outcome::skipped:
          *out_ << "  " << skip() << ' ' << r.tenant_id << " - skipped: " << r.error << '\n';
          break;
        case tenant_outcome::interrupted:
          *out_ << "  " << fail() << ' ' << r.tenant_id << " - interrupted\n";
          break;
      }
    }
    if (s.not_processed > 0)
      *out_ << "  " << s.not_processed << " not processed" << (s.signal != 0 ? " (interrupted)" : "") << "\n";
    std::size_t total = s.tenants.size() + s.not_processed;
    if (s.all_succeeded())
      *out_ << "  Total: " << total << (total == 1 ? " tenant" : " tenants") << " migrated\n";
    else
      *out_ << "  Total: " << total << (total == 1 ? " tenant, " : " tenants, ") << s.succeeded()
            << " succeeded, " << s.failed() << " failed\n";
    if (s.signal != 0)
      *out_ << "Interrupted by " << (s.signal == 15 ? "SIGTERM" : "SIGINT")
            << ": the migration in flight was stopped (its error says what stays). Rerun to finish.\n";
    *out_ << std::flush;
  }

 private:
  std::string paint(std::string_view code, std::string_view text) const { return style_.paint(code, text); }
  std::string ok() const { return style_.ok(); }
  std::string fail() const { return style_.fail(); }
  std::string skip() const { return style_.skip(); }

  std::ostream* out_;
  console_style style_;
};

}  // namespace tenant_migrator
