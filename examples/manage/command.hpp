// One manage subcommand: its CLI11 options and its run function. Each command
// is <name>.hpp/.cpp; its add_<name>(), declared here, makes it a subcommand of
// manage, and main.cpp calls them all.
#pragma once

#include <memory>
#include <utility>

#include <CLI/CLI.hpp>

namespace manage {

struct command {
  CLI::App* app = nullptr;  // its subcommand, holding the options bound to the fields
  virtual ~command() = default;
  virtual int run() = 0;    // the exit status; throws library errors (common/errors.hpp maps them)
};

using add_command = std::unique_ptr<command> (*)(CLI::App& manage);

// Makes a C (a command with declare(CLI::App&)) as the subcommand `name` of manage.
template <class C, class... Args>
std::unique_ptr<command> make_command(CLI::App& manage, const char* name, const char* help, Args&&... args) {
  auto c = std::make_unique<C>(std::forward<Args>(args)...);
  c->app = manage.add_subcommand(name, help);
  c->declare(*c->app);
  return c;
}

std::unique_ptr<command> add_migratealltenants(CLI::App& manage);
std::unique_ptr<command> add_migratetenant(CLI::App& manage);
std::unique_ptr<command> add_showtenants(CLI::App& manage);
std::unique_ptr<command> add_showmigrations(CLI::App& manage);
std::unique_ptr<command> add_showruns(CLI::App& manage);
std::unique_ptr<command> add_createtenant(CLI::App& manage);
std::unique_ptr<command> add_deletetenant(CLI::App& manage);
std::unique_ptr<command> add_disabletenant(CLI::App& manage);
std::unique_ptr<command> add_enabletenant(CLI::App& manage);
std::unique_ptr<command> add_makemigration(CLI::App& manage);
std::unique_ptr<command> add_demo(CLI::App& manage);

}  // namespace manage
