// manage migratetenant: one tenant, or one app of it to a migration (docs/commands/migratetenant.md).
#pragma once

#include <string>

#include "command.hpp"
#include "common/cli.hpp"
#include "common/rollout.hpp"

namespace manage {

struct migratetenant_command : command {
  source_options source;
  std::string tenant_id;
  target_options target;
  bool repair = false;
  bool atomic = false;  // --atomic
  timeout_options timeouts;
  run_output_options output;

  void declare(CLI::App& c);
  int run() override;
};

}  // namespace manage
