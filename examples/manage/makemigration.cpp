#include "makemigration.hpp"

#include <iostream>

#include "common/master.hpp"

namespace manage {

void makemigration_command::declare(CLI::App& c) {
  source.declare_migrations(c);
  c.add_option("app", app_name, "App folder, e.g. users")->required();
  c.add_option("slug", slug, "Short name, e.g. add_phone (a-z, 0-9, _)")->required();
}

int makemigration_command::run() {
  std::cout << tmig::write_new_migration(migrations_folder(source), app_name, slug).string() << '\n';
  return code(exit_status::ok);
}

std::unique_ptr<command> add_makemigration(CLI::App& manage) {
  return make_command<makemigration_command>(manage, "makemigration",
                                    "Write the next empty migration file of an app");
}

}  // namespace manage
