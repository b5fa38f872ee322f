// manage createtenant: register, provision and migrate a tenant (docs/commands/createtenant.md).
#pragma once

#include <string>

#include "command.hpp"
#include "common/cli.hpp"

namespace manage {

struct createtenant_command : command {
  source_options source;
  std::string tenant_id, name, isolation, location;
  bool no_migrate = false;
  style_options style;

  void declare(CLI::App& c);
  int run() override;
};

}  // namespace manage
