// manage showtenants: the tenant registry (docs/commands/showtenants.md).
#pragma once

#include <string>

#include "command.hpp"
#include "common/cli.hpp"

namespace manage {

struct showtenants_command : command {
  source_options source;
  std::string format = "table", isolation, status;

  void declare(CLI::App& c);
  int run() override;
};

}  // namespace manage
