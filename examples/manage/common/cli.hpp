// The options several commands share, declared once. Each command holds the
// groups it needs and declares them on its CLI11 subcommand.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "duration.hpp"

namespace manage {

// --master, and --migrations (with its layout) for the commands that read
// the migration set; --shared-schema for those that reach tenants to read or
// run migrations.
struct source_options {
  std::string master, migrations;
  std::string migrations_format;  // empty: detected
  std::string app;                // another tool's folder: its app name (default: the folder's name)
  std::vector<std::string> shared_schemas;

  void declare_master(CLI::App& c) {
    c.add_option("--master", master, "Master database: sqlite:PATH, postgresql://... or key=value conninfo")
        ->envname("TENANT_MIGRATOR_MASTER");
  }
  void declare_migrations(CLI::App& c) {
    c.add_option("--migrations", migrations,
                 "Migrations folder: <dir>/<app>/NNNN_slug.sql, or another tool's (see --migrations-format)")
        ->envname("TENANT_MIGRATOR_MIGRATIONS");
    c.add_option("--migrations-format", migrations_format,
                 "The folder's layout: tenant-migrator, golang-migrate, flyway, dbmate or pop (default: detected)")
        ->check(CLI::IsMember({"tenant-migrator", "golang-migrate", "flyway", "dbmate", "pop"}));
    c.add_option("--app", app, "The app name of another tool's folder (default: the folder's name)");
  }
  void declare(CLI::App& c) {
    declare_master(c);
    declare_migrations(c);
    c.add_option("--shared-schema", shared_schemas,
                 "PostgreSQL: put this schema after each schema tenant's own on the search path, e.g. public where "
                 "extensions live (repeatable)")
        ->allow_extra_args(false);
  }
};

// --no-color and --ascii: how text output marks success and failure.
struct style_options {
  bool no_color = false, ascii = false;

  void declare(CLI::App& c) {
    c.add_flag("--no-color", no_color, "No colour, even on a terminal (also NO_COLOR=1)");
    c.add_flag("--ascii", ascii, "OK/FAILED markers instead of ✓/✗");
  }
};

// --format and -v of the commands that migrate, with the style switches of text.
struct run_output_options : style_options {
  std::string format = "text";
  int verbosity = 1;  // text only: 0 failures and summary, 1 normal, 2 + timings, 3 + SQL

  void declare(CLI::App& c) {
    c.add_option("--format", format, "Output: text, log (one line per event) or json (JSON Lines)")
        ->check(CLI::IsMember({"text", "log", "json"}))
        ->default_str("text");
    c.add_option("-v,--verbosity", verbosity,
                 "Text output: 0 failures and the summary only, 1 normal, 2 adds timings, 3 adds the SQL run")
        ->check(CLI::Range(0, 3))
        ->default_str("1");
    style_options::declare(c);
  }
};

// A CLI11 check that the value is a duration (duration.hpp).
inline CLI::Validator duration_check() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (parse_duration(value)) return {};
        return "bad duration '" + value + "' (" + duration_forms + ")";
      },
      "DURATION");
}

// --lock-wait, --lock-timeout, --statement-timeout.
struct timeout_options {
  std::string lock_wait = "5000", lock_timeout = "0", statement_timeout = "0";

  void declare(CLI::App& c) {
    c.add_option("--lock-wait", lock_wait, "Wait this long for a tenant locked by another run, then skip it")
        ->check(duration_check())
        ->default_str("5s");
    c.add_option("--lock-timeout", lock_timeout, "Per-migration lock timeout (PostgreSQL; 0: none)")
        ->check(duration_check())
        ->default_str("0");
    c.add_option("--statement-timeout", statement_timeout, "Per-migration statement timeout (PostgreSQL; 0: none)")
        ->check(duration_check())
        ->default_str("0");
  }
  static std::chrono::milliseconds ms(const std::string& v) { return *parse_duration(v); }
};

// app_label, migration_name, --plan, --fake, --baseline.
struct target_options {
  std::string app_label, migration_name;
  bool plan = false, fake = false;
  std::string baseline;  // APP/NAME

  void declare(CLI::App& c) {
    c.add_option("app_label", app_label, "Only this app (and what its migrations depend on)");
    c.add_option("migration_name", migration_name,
                 "Move the app to exactly this migration (backwards too); 'zero' unapplies the app");
    c.add_flag("--plan", plan, "Print what would run, in order, and run nothing");
    c.add_flag("--fake", fake, "Record (or remove) history rows without running any SQL");
    c.add_option("--baseline", baseline,
                 "APP/NAME: a tenant with no history yet gets this migration and what it depends on recorded as "
                 "applied, without running them (its tables exist already); then what follows is applied");
  }
};

// An option naming tenants: one id per occurrence, repeatable, or a comma list.
inline CLI::Option* add_tenant_list(CLI::App& c, const std::string& name, std::vector<std::string>& ids,
                                    const std::string& help) {
  return c.add_option(name, ids, help)->allow_extra_args(false)->delimiter(',');
}

}  // namespace manage
