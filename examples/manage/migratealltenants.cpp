#include "migratealltenants.hpp"

#include <unistd.h>

#include <type_traits>

#include "common/ledger.hpp"

namespace manage {

void migratealltenants_command::declare(CLI::App& c) {
  source.declare(c);
  target.declare(c);
  add_tenant_list(c, "--tenant", only, "Only this tenant (repeatable, or a comma list)");
  add_tenant_list(c, "--exclude", exclude, "Skip this tenant (repeatable, or a comma list)");
  c.add_option("--connection", connection, "fresh: a new connection per tenant (default); reuse: one per server")
      ->check(CLI::IsMember({"fresh", "reuse"}));
  timeouts.declare(c);
  output.declare(c);
  c.add_flag("--no-progress", no_progress,
             "No live progress line on stderr (shown when stdout is redirected and stderr is a terminal)");
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
  if (target.fake) add("--fake");
  if (!target.baseline.empty()) add("--baseline=" + target.baseline);
  if (connection != "fresh") add("--connection=" + connection);
  if (only_failed_flag->count() > 0) add(only_failed.empty() ? "--only-failed" : "--only-failed=" + only_failed);
  if (!queue.empty()) add("--queue=" + queue);
  return o;
}

int migratealltenants_command::run() {
  return with_run_sources(source, target, [&](auto& adapter, const std::string& master, const auto& set,
                                             const auto& to, auto& catalog) {
    using Adapter = std::remove_reference_t<decltype(adapter)>;
    auto tenants = tmig::select_tenants(catalog, {only, exclude});
    if (only_failed_flag->count() > 0) tenants = rerun_selection(adapter, master, std::move(tenants), only_failed);
    // A live line on stderr while stdout goes to a file or pipe (otherwise
    // the run would look silent on the terminal); never when stderr is not one.
    bool progress = !no_progress && ::isatty(STDERR_FILENO) == 1 && ::isatty(STDOUT_FILENO) != 1;
    run_request r{master, set, to, output, timeouts, target.fake, progress, baseline_of(target, set)};
    if (target.plan) return plan_tenants(adapter, tenants, r);
    ledger_request recorded{queue, recorded_options()};
    if (connection == "reuse")
      return run_recorded(tmig::ReuseConnectionPerServer<Adapter>(adapter), adapter, catalog, tenants, r, recorded);
    return run_recorded(fresh_connections<Adapter>(adapter), adapter, catalog, tenants, r, recorded);
  });
}

std::unique_ptr<command> add_migratealltenants(CLI::App& manage) {
  return make_command<migratealltenants_command>(manage, "migratealltenants",
                                    "Apply pending migrations to every active tenant, one at a time");
}

}  // namespace manage
