// manage showruns: the run ledger (docs/commands/showruns.md).
#pragma once

#include <string>

#include "command.hpp"
#include "common/cli.hpp"

namespace manage {

struct showruns_command : command {
  source_options source;
  std::string format = "table", run_id;

  void declare(CLI::App& c);
  int run() override;
};

}  // namespace manage
