// manage makemigration APP SLUG: the next empty migration file (docs/commands/makemigration.md).
#pragma once

#include <string>

#include "command.hpp"
#include "common/cli.hpp"

namespace manage {

struct makemigration_command : command {
  source_options source;
  std::string app_name, slug;

  void declare(CLI::App& c);
  int run() override;
};

}  // namespace manage
