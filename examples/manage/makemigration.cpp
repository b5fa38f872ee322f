#include "makemigration.hpp"

#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>

#include "common/master.hpp"

namespace manage {

void makemigration_command::declare(CLI::App& c) {
  source.declare_migrations(c);
  c.add_option("app", app_name, "App folder, e.g. users")->required();
  c.add_option("slug", slug, "Short name, e.g. add_phone (a-z, 0-9, _)")->required();
}

int makemigration_command::run() {
  // Another tool's folder gets its files from that tool: its naming rules are not ours to guess.
  std::error_code ec;
  if (std::filesystem::is_directory(migrations_folder(source), ec)) {
    auto layout = migrations_layout(source);
    if (layout != tmig::migration_layout::tenant_migrator)
      throw tmig::usage_error("makemigration writes tenant-migrator's layout (<dir>/<app>/NNNN_slug.sql), and '" +
                              source.migrations + "' is in " + std::string(tmig::layout_name(layout)) +
                              "'s: add the file with that tool's naming");
  }
  if (!source.app.empty())
    throw tmig::usage_error("--app names the app of another tool's folder; makemigration takes the app as its argument");
  std::cout << tmig::write_new_migration(migrations_folder(source), app_name, slug) << '\n';
  return code(exit_status::ok);
}

std::unique_ptr<command> add_makemigration(CLI::App& manage) {
  return make_command<makemigration_command>(manage, "makemigration",
                                    "Write the next empty migration file of an app");
}

}  // namespace manage
