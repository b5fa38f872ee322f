// manage showmigrations: applied and pending migrations per tenant (docs/commands/showmigrations.md).
#pragma once

#include <string>

#include "command.hpp"
#include "common/cli.hpp"

namespace manage {

struct showmigrations_command : command {
  source_options source;
  std::string tenant_id, app_label, format = "text";
  bool pending = false;

  void declare(CLI::App& c);
  int run() override;
};

}  // namespace manage
