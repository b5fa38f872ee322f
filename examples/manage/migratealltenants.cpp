#include "migratealltenants.hpp"

#include <type_traits>

#include "common/ledger.hpp"
#include "common/parallel.hpp"
#include "common/run.hpp"

namespace manage {

void migratealltenants_command::declare(CLI::App& c) {
  source.declare(c);
  target.declare(c);
  add_tenant_list(c, "--tenant", only, "Only this tenant or glob, e.g. eu-* (repeatable, or a comma list)");
  add_tenant_list(c, "--exclude", exclude, "Skip this tenant or glob (repeatable, or a comma list)");
  rollout.declare(c);
  c.add_option("--connection", connection, "fresh: a new connection per tenant (default); reuse: one per server")
      ->check(CLI::IsMember({"fresh", "reuse"}));
  timeouts.declare(c);
  output.declare(c);
  parallel.declare(c);
  c.add_flag("--no-progress", no_progress,
             "No live status line on stderr (shown when stderr is a terminal, under the output)");
  only_failed_flag = c.add_option("--only-failed", only_failed,
                                  "Only the tenants that failed, were skipped or were not processed in the last "
                                  "recorded run (or in run RUN: --only-failed=RUN)")
                         ->expected(0, 1)
                         ->option_text("[RUN]");
  c.add_option("--queue", queue,
               "Share run RUN_ID's tenants with every process started with the same id (any host); the first "
               "creates its tenant list in the master");
}

// What the ledger records of this run's request: everything but the master.
std::string migratealltenants_command::recorded_options() const {
  std::string o;
  auto add = [&](const std::string& s) { o += (o.empty() ? "" : " ") + s; };
  if (!target.app_label.empty()) add(target.app_label);
  if (!target.migration_name.empty()) add(target.migration_name);
  for (const auto& t : only) add("--tenant=" + t);
  for (const auto& t : exclude) add("--exclude=" + t);
  if (!rollout.tenants_from.empty()) add("--tenants-from=" + rollout.tenants_from);
  if (rollout.order != "id") add("--order=" + rollout.order);
  if (!rollout.shard.empty()) add("--shard=" + rollout.shard);
  if (!rollout.canary.empty()) add("--canary=" + rollout.canary);
  if (rollout.max_failures > 0) add("--max-failures=" + std::to_string(rollout.max_failures));
  if (rollout.pauses()) add("--pause=" + rollout.pause);
  if (rollout.atomic) add("--atomic");
  if (target.fake) add("--fake");
  if (!target.baseline.empty()) add("--baseline=" + target.baseline);
  if (connection != "fresh") add("--connection=" + connection);
  if (parallel.workers() > 1) add("--parallel=" + parallel.parallel);
  if (only_failed_flag->count() > 0) add(only_failed.empty() ? "--only-failed" : "--only-failed=" + only_failed);
  if (!queue.empty()) add("--queue=" + queue);
  return o;
}

// --queue shares tenants between processes one claim at a time: what orders
// or paces the tenants within one process has no meaning there.
void migratealltenants_command::check_queue() const {
  if (queue.empty()) return;
  auto refuse = [](const std::string& flag) {
    throw tmig::usage_error("--queue: " + flag +
                            " cannot go with it (a queue hands out its tenants one claim at a time; start more "
                            "processes instead)");
  };
  if (parallel.workers() > 1) refuse("--parallel");
  if (!rollout.canary.empty()) refuse("--canary");
  if (rollout.max_failures > 0) refuse("--max-failures");
  if (rollout.pauses()) refuse("--pause");
  if (connection == "reuse") refuse("--connection reuse");
}

int migratealltenants_command::run() {
  parallel.check_with(connection, rollout);
  check_queue();
  return with_run_sources(source, target, [&](auto& adapter, const std::string& master, const auto& set,
                                             const auto& to, auto& catalog) {
    using Adapter = std::remove_reference_t<decltype(adapter)>;
    check_atomic_possible<Adapter>(rollout.atomic);
    auto tenants = rollout.tenants(catalog, only, exclude);
    if (only_failed_flag->count() > 0) tenants = rerun_selection(adapter, master, std::move(tenants), only_failed);
    run_request r{master, set, to, output, timeouts, target.fake, status_line_wanted(no_progress),
                  baseline_of(target, set)};
    r.atomic = rollout.atomic;
    if (target.plan) return plan_tenants(adapter, tenants, r);
    ledger_request recorded{queue, recorded_options()};
    if (connection == "reuse")
      return run_recorded(tmig::ReuseConnectionPerServer<Adapter>(adapter), adapter, catalog, tenants, r, recorded,
                          parallel, rollout);
    return run_recorded(fresh_connections<Adapter>(adapter), adapter, catalog, tenants, r, recorded, parallel,
                        rollout);
  });
}

std::unique_ptr<command> add_migratealltenants(CLI::App& manage) {
  return make_command<migratealltenants_command>(
      manage, "migratealltenants",
      "Apply pending migrations to every active tenant, one at a time (--parallel N: N at once)");
}

}  // namespace manage
