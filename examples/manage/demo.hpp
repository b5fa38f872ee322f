// manage demo DIR: a fresh demo master with three SQLite tenants and a small
// migration set, to try migratealltenants on (docs/commands/demo.md).
#pragma once

#include <string>

#include "command.hpp"

namespace manage {

struct demo_command : command {
  std::string dir;

  void declare(CLI::App& c);
  int run() override;
};

}  // namespace manage
