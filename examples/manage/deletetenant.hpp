// manage deletetenant: remove a tenant, optionally dropping its data (docs/commands/deletetenant.md).
#pragma once

#include <string>

#include "command.hpp"
#include "common/cli.hpp"

namespace manage {

struct deletetenant_command : command {
  source_options source;
  std::string tenant_id;
  bool drop_data = false, yes = false;
  style_options style;

  void declare(CLI::App& c);
  int run() override;
};

}  // namespace manage
