// ConsoleReporter: the human-readable output of `manage migratealltenants`.
//
//   Migrating tenant: acme
//     users/0001_initial.sql ... OK
//   ✓ Tenant 'acme' migrated successfully.
//
// Markers are ✓/✗ (the seed's), or OK/FAILED when ascii. Colour only on a
// terminal, and only when console_style asks for it (NO_COLOR turns it off). Off a terminal every failure line
// carries the word ERROR, so that `grep ERROR` finds it in a log.
//
// How much it says (console_verbosity, manage's -v):
//   quiet   (0) failures and the summary only;
//   normal  (1) the above, as the seed printed it;
//   timings (2) and what each migration and each tenant took: "OK (3 ms)";
//   sql     (3) and the script each migration ran, indented under its line.
// At scale (a run over more than console_list_limit tenants) the summary
// counts the up-to-date tenants ("  ✓ 9,990 up to date") instead of naming
// each, and at normal verbosity an up-to-date tenant prints nothing while
// the run goes: only tenants with something to say are named.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <ostream>
#include <string>
#include <string_view>

#include <fmt/core.h>
#include <unistd.h>

#include "../concepts/reporter.hpp"
#include "text_format.hpp"

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

enum class console_verbosity { quiet = 0, normal = 1, timings = 2, sql = 3 };

// A run over more tenants than this is "at scale": its up-to-date tenants are
// counted, not listed. A fixed number, so that output is the same in a file,
// in CI and on any terminal.
inline constexpr std::size_t console_list_limit = 20;

class ConsoleReporter {
 public:
  explicit ConsoleReporter(std::ostream& out = std::cout, console_style style = console_style::detect(),
                           console_verbosity verbosity = console_verbosity::normal)
      : out_(&out), style_(style), verbosity_(verbosity) {}

  void on(const run_started& e) {
    at_scale_ = e.tenant_count > console_list_limit;
    if (e.tenant_count == 0) *out_ << "No tenants to migrate.\n\n";
  }
  void on(const tenant_started& e) {
    header_.clear();
    header_pending_ = false;
    if (quiet()) return;
    header_ = paint("1", "Migrating tenant: ") + e.who.id + '\n';
    // At scale and normal verbosity the header waits for something to say:
    // an up-to-date tenant then prints nothing.
    if (at_scale_ && verbosity_ == console_verbosity::normal)
      header_pending_ = true;
    else
      *out_ << header_;
  }
  void on(const migration_started& e) {
    if (quiet()) return;
    print_pending_header();
    *out_ << "  " << (e.way == direction::backwards ? "Unapplying " : "") << e.what.file() << " ... " << std::flush;
  }
  void on(const migration_applied& e) {
    if (quiet()) return;
    if (e.by_other_run)
      *out_ << paint("33", "SKIPPED") << " (applied by another run)";
    else if (e.fake)
      *out_ << paint("33", "FAKED");
    else
      *out_ << paint("32", "OK");
    *out_ << took(e.duration) << '\n';
    if (!e.by_other_run && !e.fake) print_sql(e.what, e.way);
  }
  void on(const migration_failed& e) {
    if (quiet()) return;
    *out_ << paint("31", "FAILED") << (style_.tag_errors ? " ERROR" : "") << '\n';
    print_sql(e.what, e.way);
  }
  void on(const tenant_finished& e) {
    const auto& r = e.result;
    if (quiet() && r.succeeded()) return;
    if (header_pending_ && r.outcome == tenant_outcome::up_to_date) return;
    print_pending_header();
    switch (r.outcome) {
      case tenant_outcome::migrated:
        *out_ << ok() << " Tenant '" << r.tenant_id << "' migrated successfully." << took(r.duration) << '\n';
        break;
      case tenant_outcome::up_to_date:
        *out_ << "  No migrations to apply.\n"
              << ok() << " Tenant '" << r.tenant_id << "' is up to date." << took(r.duration) << '\n';
        break;
      case tenant_outcome::failed:
        *out_ << fail() << " Migrations failed for tenant '" << r.tenant_id << "': " << r.error << took(r.duration)
              << '\n';
        if (e.index + 1 < e.total && !quiet()) *out_ << "Continuing with next tenant...\n";
        break;
      case tenant_outcome::skipped:
        *out_ << skip() << " Tenant '" << r.tenant_id << "' skipped: " << r.error << took(r.duration) << '\n';
        break;
      case tenant_outcome::interrupted:
        *out_ << fail() << " Tenant '" << r.tenant_id << "' interrupted: " << r.error << took(r.duration) << '\n';
        break;
    }
    *out_ << '\n' << std::flush;
  }
  void on(const run_finished& e) {
    const auto& s = e.summary;
    std::size_t total = s.tenants.size() + s.not_processed;
    bool count_up_to_date = total > console_list_limit;
    *out_ << paint("1", "Migration Summary:") << '\n';
    if (count_up_to_date) {
      std::size_t up_to_date = 0;
      for (const auto& r : s.tenants) up_to_date += r.outcome == tenant_outcome::up_to_date;
      if (up_to_date > 0) *out_ << "  " << ok() << ' ' << group_thousands(up_to_date) << " up to date\n";
    }
    for (const auto& r : s.tenants) {
      switch (r.outcome) {
        case tenant_outcome::migrated:
          *out_ << "  " << ok() << ' ' << r.tenant_id << " - migrated successfully (" << r.applied << " applied)\n";
          break;
        case tenant_outcome::up_to_date:
          if (!count_up_to_date) *out_ << "  " << ok() << ' ' << r.tenant_id << " - up to date\n";
          break;
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
      *out_ << "  " << group_thousands(s.not_processed) << " not processed" << (s.signal != 0 ? " (interrupted)" : "")
            << "\n";
    if (s.all_succeeded())
      *out_ << "  Total: " << group_thousands(total) << (total == 1 ? " tenant" : " tenants") << " migrated";
    else
      *out_ << "  Total: " << group_thousands(total) << (total == 1 ? " tenant, " : " tenants, ")
            << group_thousands(s.succeeded()) << " succeeded, " << group_thousands(s.failed()) << " failed";
    *out_ << took(s.duration) << '\n';
    if (s.signal != 0)
      *out_ << "Interrupted by " << (s.signal == 15 ? "SIGTERM" : "SIGINT")
            << ": the migration in flight was stopped (its error says what stays). Rerun to finish.\n";
    *out_ << std::flush;
  }

 private:
  bool quiet() const { return verbosity_ == console_verbosity::quiet; }
  // " (3 ms)" from timings verbosity on, else nothing.
  std::string took(std::chrono::milliseconds d) const {
    return verbosity_ >= console_verbosity::timings ? " (" + format_duration(d) + ")" : std::string();
  }
  void print_pending_header() {
    if (!header_pending_) return;
    *out_ << header_;
    header_pending_ = false;
  }
  // At sql verbosity: the script as its file has it (placeholders not yet
  // replaced, so values passed through them never show), indented.
  void print_sql(const migration& m, direction way) {
    if (verbosity_ < console_verbosity::sql) return;
    const std::string& sql = way == direction::forwards || !m.down_sql ? m.sql : *m.down_sql;
    std::size_t end = sql.find_last_not_of(" \t\r\n");
    if (end == std::string::npos) return;
    std::size_t begin = 0;
    while (begin <= end) {
      std::size_t newline = sql.find('\n', begin);
      std::size_t stop = newline == std::string::npos || newline > end ? end + 1 : newline;
      std::string_view line(sql.data() + begin, stop - begin);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      *out_ << "      " << line << '\n';
      begin = stop + 1;
    }
    *out_ << std::flush;
  }

  std::string paint(std::string_view code, std::string_view text) const { return style_.paint(code, text); }
  std::string ok() const { return style_.ok(); }
  std::string fail() const { return style_.fail(); }
  std::string skip() const { return style_.skip(); }

  std::ostream* out_;
  console_style style_;
  console_verbosity verbosity_;
  bool at_scale_ = false;
  std::string header_;          // this tenant's "Migrating tenant:" line
  bool header_pending_ = false; // not printed yet
};

}  // namespace tenant_migrator
