// manage: the ready command-line tool built on TenantMigrator.
// Subcommands mirror Django's `python manage.py <command>`; see docs/commands/.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include <tenant_migrator/adapters/sqlite.hpp>
#ifdef TENANT_MIGRATOR_MANAGE_WITH_POSTGRESQL
#include <tenant_migrator/adapters/postgresql.hpp>
#endif

#include "commands.hpp"
#include "demo.hpp"

namespace tmig = tenant_migrator;

namespace {

// First signal: stop after the migration in flight, which is cancelled and
// rolled back. A second one: stop now (the database rolls back on its own).
extern "C" void on_stop_signal(int sig) {
  if (manage::stop_signal.exchange(sig) != 0) std::_Exit(128 + sig);
  tmig::interrupt_running_migration();
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

// An error for stderr, on one line. The library's messages show locations
// already masked; one that quotes a PostgreSQL master URL as given is
// cleaned of it by libpq's reading of it.
std::string shown_error(std::string_view what, const std::string& master) {
#ifdef TENANT_MIGRATOR_MANAGE_WITH_POSTGRESQL
  if (master.rfind("sqlite:", 0) != 0 && (master.find("://") != std::string::npos || master.find('=') != std::string::npos))
    return tmig::PostgresqlAdapter::scrub_message(what, master);
#endif
  std::string out(what);
  for (auto& c : out)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return out;
}

// Runs the chosen subcommand against the adapter the master URL calls for.
template <class Adapter>
int dispatch(const std::string& command, Adapter adapter, const std::string& master, const manage::options& o) {
  manage::commands<Adapter> c(std::move(adapter), master, o);
  if (command == "migratealltenants") return c.migratealltenants();
  if (command == "migratetenant") return c.migratetenant();
  if (command == "showtenants") return c.showtenants();
  if (command == "showmigrations") return c.showmigrations();
  if (command == "createtenant") return c.createtenant();
  if (command == "deletetenant") return c.deletetenant();
  throw tmig::usage_error("unknown command " + command);
}

int run(const std::string& command, const manage::options& o) {
  if (o.master.empty()) throw tmig::usage_error("no master database: give --master URL or set TENANT_MIGRATOR_MASTER");
  auto master = tmig::parse_master_url(o.master);
  if (master.backend == tmig::backend_kind::sqlite) return dispatch(command, tmig::SqliteAdapter{}, master.location, o);
#ifdef TENANT_MIGRATOR_MANAGE_WITH_POSTGRESQL
  tmig::postgresql_options pg;
  return dispatch(command, tmig::PostgresqlAdapter(master.location, pg), master.location, o);
#else
  throw tmig::usage_error("this build of manage has no PostgreSQL support");
#endif
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"manage: bring every tenant up to date with its database migrations (TenantMigrator)", "manage"};
  app.set_version_flag("--version", std::string("manage (TenantMigrator) ") + tmig::version_string);
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Print the help of every subcommand");

  manage::options o;
  auto master = [&](CLI::App* c) {
    c->add_option("--master", o.master, "Master database: sqlite:PATH, postgresql://... or key=value conninfo")
        ->envname("TENANT_MIGRATOR_MASTER");
  };
  auto migrations = [&](CLI::App* c) {
    c->add_option("--migrations", o.migrations, "Migrations folder: <dir>/<app>/NNNN_slug.sql")
        ->envname("TENANT_MIGRATOR_MIGRATIONS");
  };
  auto no_color = [&](CLI::App* c) {
    c->add_flag("--no-color", o.no_color, "Plain OK/FAILED markers and no colour, even on a terminal");
  };
  auto run_format = [&](CLI::App* c) {
    c->add_option("--format", o.format, "Output: text, log (one line per event) or json (JSON Lines)")
        ->check(CLI::IsMember({"text", "log", "json"}))
        ->default_str("text");
  };
  auto timeouts = [&](CLI::App* c) {
    c->add_option("--lock-wait", o.lock_wait_ms, "Wait this many ms for a tenant locked by another run, then skip it")
        ->default_str("5000");
    c->add_option("--lock-timeout", o.lock_timeout_ms, "Per-migration lock timeout in ms (PostgreSQL; 0: none)")
        ->default_str("0");
    c->add_option("--statement-timeout", o.statement_timeout_ms,
                  "Per-migration statement timeout in ms (PostgreSQL; 0: none)")
        ->default_str("0");
  };
  auto targets = [&](CLI::App* c) {
    c->add_option("app_label", o.app_label, "Only this app (and what its migrations depend on)");
    c->add_option("migration_name", o.migration_name,
                  "Move the app to exactly this migration (backwards too); 'zero' unapplies the app");
    c->add_flag("--plan", o.plan, "Print what would run, in order, and run nothing");
    c->add_flag("--fake", o.fake, "Record (or remove) history rows without running any SQL");
  };

  auto* migrate_all = app.add_subcommand("migratealltenants", "Apply pending migrations to every active tenant, one at a time");
  master(migrate_all);
  migrations(migrate_all);
  targets(migrate_all);
  migrate_all->add_option("--tenant", o.only, "Only this tenant (repeatable)")->take_all();
  migrate_all->add_option("--exclude", o.exclude, "Skip this tenant (repeatable)")->take_all();
  migrate_all->add_option("--connection", o.connection,
                          "fresh: a new connection per tenant (default); reuse: one per server")
      ->check(CLI::IsMember({"fresh", "reuse"}));
  timeouts(migrate_all);
  run_format(migrate_all);
  no_color(migrate_all);
  migrate_all->add_flag("--no-progress", o.no_progress,
                        "No live progress line on stderr (shown when stdout is redirected and stderr is a terminal)");

  auto* migrate_one = app.add_subcommand("migratetenant", "Migrate one tenant, or move one app of it to a migration");
  master(migrate_one);
  migrations(migrate_one);
  migrate_one->add_option("--tenant-id", o.tenant_id, "The tenant")->required();
  targets(migrate_one);
  migrate_one->add_flag("--repair", o.repair,
                        "Accept the current files' checksums for applied migrations (after checking the changes)");
  timeouts(migrate_one);
  run_format(migrate_one);
  no_color(migrate_one);

  auto* show_tenants = app.add_subcommand("showtenants", "List the tenants of the master registry");
  master(show_tenants);
  show_tenants->add_option("--format", o.format, "table (default), json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  show_tenants->add_option("--isolation", o.isolation_filter, "Only tenants with this isolation: database or schema")
      ->check(CLI::IsMember({"database", "schema"}));
  show_tenants->add_option("--status", o.status_filter, "Only tenants with this status: active, disabled or incomplete")
      ->check(CLI::IsMember({"active", "disabled", "incomplete"}));

  auto* show_migrations = app.add_subcommand("showmigrations", "Show applied and pending migrations per tenant");
  master(show_migrations);
  migrations(show_migrations);
  show_migrations->add_option("--tenant-id", o.tenant_id, "Only this tenant (default: every active tenant)");
  show_migrations->add_option("app_label", o.app_label, "Only this app");
  show_migrations->add_option("--format", o.format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  show_migrations->add_flag("--pending", o.pending,
                            "One line per tenant with its pending count; exit 1 when any tenant has some");

  auto* create = app.add_subcommand("createtenant", "Register a tenant, create its database or schema, migrate it");
  master(create);
  migrations(create);
  create->add_option("--tenant-id", o.tenant_id, "New tenant id: 1-63 of a-z, 0-9, '-' (asked on a terminal)");
  create->add_option("--name", o.name, "Display name (asked on a terminal)");
  create->add_option("--isolation", o.isolation, "database or schema (asked on a terminal)")
      ->check(CLI::IsMember({"database", "schema"}));
  create->add_option("--location", o.location,
                     "Database file / database name / conninfo, or schema name (default: derived from the id)");
  create->add_flag("--no-migrate", o.no_migrate, "Create it without applying migrations");
  no_color(create);

  auto* remove = app.add_subcommand("deletetenant", "Remove a tenant from the registry, optionally dropping its data");
  master(remove);
  remove->add_option("--tenant-id", o.tenant_id, "The tenant")->required();
  remove->add_flag("--drop-data", o.drop_data, "Also drop its database or schema");
  remove->add_flag("--yes", o.yes, "Confirm; without it nothing is deleted");
  no_color(remove);

  std::string app_name, slug;
  auto* make = app.add_subcommand("makemigration", "Write the next empty migration file of an app");
  migrations(make);
  make->add_option("app", app_name, "App folder, e.g. users")->required();
  make->add_option("slug", slug, "Short name, e.g. add_phone (a-z, 0-9, _)")->required();

  std::string demo_dir;
  auto* demo = app.add_subcommand("demo", "Create a fresh demo master, three SQLite tenants and a migration set in DIR");
  demo->add_option("dir", demo_dir, "Folder for the demo (its earlier demo files are replaced)")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "error: " << e.what() << " (see manage --help)\n";
    return static_cast<int>(tmig::exit_status::usage);
  }

  install_signal_handlers();
  try {
    auto* chosen = app.get_subcommands().front();
    const std::string command = chosen->get_name();
    if (command == "demo") {
      manage::create_demo(demo_dir);
      std::cout << "Demo created in " << demo_dir << ": master.db with tenants acme, dev, globex; migrations/.\n"
                << "Run: manage migratealltenants --master sqlite:" << demo_dir << "/master.db --migrations "
                << demo_dir << "/migrations\n";
      return 0;
    }
    if (command == "makemigration") {
      std::cout << tmig::write_new_migration(manage::migrations_folder(o), app_name, slug).string() << '\n';
      return 0;
    }
    return run(command, o);
  } catch (const tmig::migration_set_error& e) {
    for (const auto& p : e.problems()) std::cerr << "error: " << p.file << ": " << p.message << '\n';
    return static_cast<int>(tmig::exit_status::usage);
  } catch (const tmig::usage_error& e) {
    std::cerr << "error: " << shown_error(e.what(), o.master) << '\n';
    return static_cast<int>(tmig::exit_status::usage);
  } catch (const std::exception& e) {
    std::cerr << "error: " << shown_error(e.what(), o.master) << '\n';
    return static_cast<int>(tmig::exit_status::usage);
  }
}
