#include "migratealltenants.hpp"

#include <type_traits>

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
}

int migratealltenants_command::run() {
  parallel.check_with(connection, rollout);
  return with_run_sources(source, target, [&](auto& adapter, const std::string& master, const auto& set,
                                             const auto& to, auto& catalog) {
    using Adapter = std::remove_reference_t<decltype(adapter)>;
    check_atomic_possible<Adapter>(rollout.atomic);
    auto tenants = rollout.tenants(catalog, only, exclude);
    run_request r{master, set, to, output, timeouts, target.fake, status_line_wanted(no_progress),
                  baseline_of(target, set)};
    r.atomic = rollout.atomic;
    if (target.plan) return plan_tenants(adapter, tenants, r);
    if (connection == "reuse")
      return exit_of(run_with_workers(tmig::ReuseConnectionPerServer<Adapter>(adapter), catalog, tenants, r, parallel,
                                      rollout));
    return exit_of(run_with_workers(fresh_connections<Adapter>(adapter), catalog, tenants, r, parallel, rollout));
  });
}

std::unique_ptr<command> add_migratealltenants(CLI::App& manage) {
  return make_command<migratealltenants_command>(manage, "migratealltenants",
                                    "Apply pending migrations to every active tenant, one at a time");
}

}  // namespace manage
