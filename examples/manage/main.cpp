// manage: the ready command-line tool built on TenantMigrator.
// Subcommands mirror Django's `python manage.py <command>`; see docs/commands/.
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/adapters/sqlite.hpp>
#include <tenant_migrator/reporting/json_reporter.hpp>

#include "demo.hpp"

namespace tmig = tenant_migrator;

namespace {

std::atomic<int> stop_signal{0};

extern "C" void on_stop_signal(int sig) {
  if (stop_signal.exchange(sig) != 0) std::_Exit(128 + sig);  // a second signal: stop now
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

// Options shared by the commands that touch tenants.
struct common_options {
  std::string master;
  std::string migrations;
  std::string format = "text";
  bool no_color = false;
};

void add_master_option(CLI::App& cmd, common_options& o) {
  cmd.add_option("--master", o.master, "Master database URL: sqlite:PATH or postgresql://...")
      ->envname("TENANT_MIGRATOR_MASTER");
}
void add_migrations_option(CLI::App& cmd, common_options& o) {
  cmd.add_option("--migrations", o.migrations, "Migrations folder: <dir>/<app>/NNNN_slug.sql")
      ->envname("TENANT_MIGRATOR_MIGRATIONS");
}

int exit_code(const tmig::run_summary& s) {
  if (s.signal == SIGINT) return static_cast<int>(tmig::exit_status::interrupted);
  if (s.signal == SIGTERM) return static_cast<int>(tmig::exit_status::terminated);
  return s.all_succeeded() ? 0 : 1;
}

// Calls f with the reporter that --format asks for.
template <class F>
int with_reporter(const common_options& o, F&& f) {
  if (o.format == "json") return f(tmig::JsonReporter{});
  if (o.format == "log") return f(tmig::LogReporter{});
  return f(tmig::ConsoleReporter{std::cout, tmig::console_style::detect(stdout, o.no_color)});
}

tmig::migration_set load_set(const common_options& o) {
  if (o.migrations.empty())
    throw tmig::usage_error("no migrations folder: give --migrations DIR or set TENANT_MIGRATOR_MIGRATIONS");
  return tmig::load_migration_directory(o.migrations);
}

struct migrate_all_options {
  std::string app_label;
  std::vector<std::string> only;
  std::vector<std::string> exclude;
};

int migrate_all_tenants(const common_options& o, const migrate_all_options& m) {
  auto master = tmig::parse_master_url(o.master);
  auto set = load_set(o);
  tmig::migration_target target;
  if (!m.app_label.empty()) target.app = m.app_label;
  if (master.backend != tmig::backend_kind::sqlite)
    throw tmig::usage_error("this build of manage supports only sqlite: masters");
  tmig::SqliteAdapter adapter;
  tmig::SqlCatalog catalog(adapter.connect(master.location));
  auto tenants = tmig::TenantMigrator<tmig::PerTenantIsolation, tmig::FreshConnectionPerTenant<tmig::SqliteAdapter>,
                                    tmig::NullReporter>::select_tenants(catalog, {m.only, m.exclude});
  return with_reporter(o, [&](auto reporter) {
    tmig::TenantMigrator<tmig::PerTenantIsolation, tmig::FreshConnectionPerTenant<tmig::SqliteAdapter>, decltype(reporter)>
        migrator(tmig::FreshConnectionPerTenant<tmig::SqliteAdapter>(adapter), std::move(reporter),
                 {master.location, &stop_signal});
    return exit_code(migrator.run(tenants, set, target));
  });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"manage: bring every tenant up to date with its database migrations (TenantMigrator)", "manage"};
  app.set_version_flag("--version", std::string("manage (TenantMigrator) ") + tmig::version_string);
  app.require_subcommand(1);

  common_options common;
  migrate_all_options all;
  auto* migrate_all = app.add_subcommand("migratealltenants", "Apply pending migrations to every active tenant, one at a time");
  add_master_option(*migrate_all, common);
  add_migrations_option(*migrate_all, common);
  migrate_all->add_option("app_label", all.app_label, "Only this app's migrations (and what they depend on)");
  migrate_all->add_option("--tenant", all.only, "Only this tenant (repeatable)")->take_all();
  migrate_all->add_option("--exclude", all.exclude, "Skip this tenant (repeatable)")->take_all();
  migrate_all->add_option("--format", common.format, "Output: text (default), log (one line per event) or json (JSON Lines)")
      ->check(CLI::IsMember({"text", "log", "json"}));
  migrate_all->add_flag("--no-color", common.no_color, "Plain OK/FAILED markers and no colour, even on a terminal");

  std::string demo_dir;
  auto* demo = app.add_subcommand("demo", "Create a fresh demo master, three SQLite tenants and a migration set in DIR");
  demo->add_option("dir", demo_dir, "Folder for the demo (its earlier demo files are replaced)")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "error: " << e.what() << " (see manage --help)\n";
    return static_cast<int>(tmig::exit_status::usage);
  }

  install_signal_handlers();
  try {
    if (*migrate_all) return migrate_all_tenants(common, all);
    if (*demo) {
      manage::create_demo(demo_dir);
      std::cout << "Demo created in " << demo_dir << ": master.db with tenants acme, dev, globex; migrations/.\n"
                << "Run: manage migratealltenants --master sqlite:" << demo_dir << "/master.db --migrations "
                << demo_dir << "/migrations\n";
      return 0;
    }
  } catch (const tmig::migration_set_error& e) {
    for (const auto& p : e.problems()) std::cerr << "error: " << p.file << ": " << p.message << '\n';
    return static_cast<int>(tmig::exit_status::usage);
  } catch (const tmig::usage_error& e) {
    std::cerr << "error: " << e.what() << '\n';
    return static_cast<int>(tmig::exit_status::usage);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return static_cast<int>(tmig::exit_status::usage);
  }
  return 0;
}
