// manage migratealltenants: every active tenant, one at a time (docs/commands/migratealltenants.md).
#pragma once

#include <string>
#include <vector>

#include "command.hpp"
#include "common/cli.hpp"
#include "common/parallel.hpp"
#include "common/rollout.hpp"

namespace manage {

struct migratealltenants_command : command {
  source_options source;
  target_options target;
  std::vector<std::string> only, exclude;
  rollout_options rollout;  // --tenants-from, --order, --shard, --canary, --max-failures, --pause, --atomic
  std::string connection = "fresh";
  timeout_options timeouts;
  run_output_options output;
  parallel_options parallel;
  bool no_progress = false;
  CLI::Option* only_failed_flag = nullptr;
  std::string only_failed;  // --only-failed [RUN]; empty: the last run
  std::string queue;        // --queue RUN_ID

  std::string recorded_options() const;
  void check_queue() const;

  void declare(CLI::App& c);
  int run() override;
};

}  // namespace manage
