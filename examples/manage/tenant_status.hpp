// manage disabletenant ID / enabletenant ID: a tenant's registry status only
// (docs/commands/disabletenant.md, enabletenant.md). Runs leave a disabled
// tenant alone; an incomplete tenant is left as it is by enabletenant (its
// first successful migration makes it active).
#pragma once

#include <string>

#include "command.hpp"
#include "common/cli.hpp"

namespace manage {

struct tenant_status_command : command {
  bool enable = false;
  source_options source;
  std::string tenant_id;
  style_options style;

  explicit tenant_status_command(bool enable_it) : enable(enable_it) {}
  void declare(CLI::App& c);
  int run() override;
};

}  // namespace manage
