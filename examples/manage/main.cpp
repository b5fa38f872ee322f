// manage: the ready command-line tool built on TenantMigrator.
// Subcommands mirror Django's `python manage.py <command>`; see docs/commands/.
// Each command is one file (<name>.hpp/.cpp); this file registers and dispatches.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <tenant_migrator/version.hpp>

#include "command.hpp"
#include "common/errors.hpp"
#include "common/exit_status.hpp"
#include "common/signals.hpp"

int main(int argc, char** argv) {
  using namespace manage;
  CLI::App app{"manage: bring every tenant up to date with its database migrations (TenantMigrator)", "manage"};
  app.set_version_flag("--version", std::string("manage (TenantMigrator) ") + tenant_migrator::version_string);
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Print the help of every subcommand");

  std::vector<std::unique_ptr<command>> commands;
  for (add_command add : {add_migratealltenants, add_migratetenant, add_showtenants, add_showmigrations, add_showruns,
                          add_createtenant, add_deletetenant, add_disabletenant, add_enabletenant,
                          add_makemigration, add_demo})
    commands.push_back(add(app));

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
    return code(exit_status::usage);
  }

  install_signal_handlers();
  for (auto& c : commands) {
    if (!c->app->parsed()) continue;
    try {
      return c->run();
    } catch (const std::exception& e) {
      return report_error(e);
    }
  }
  return code(exit_status::usage);  // unreachable: CLI11 requires one subcommand
}
