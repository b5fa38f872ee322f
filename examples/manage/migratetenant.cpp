#include "migratetenant.hpp"

#include <type_traits>

#include "common/run.hpp"

namespace manage {

void migratetenant_command::declare(CLI::App& c) {
  source.declare(c);
  c.add_option("--tenant-id", tenant_id, "The tenant")->required();
  target.declare(c);
  c.add_flag("--repair", repair, "Accept the current files' checksums for applied migrations (after checking the changes)");
  add_atomic_flag(c, atomic);
  timeouts.declare(c);
  output.declare(c);
}

int migratetenant_command::run() {
  return with_run_sources(source, target, [&](auto& adapter, const std::string& master, const auto& set,
                                             const auto& to, auto& catalog) {
    using Adapter = std::remove_reference_t<decltype(adapter)>;
    check_atomic_possible<Adapter>(atomic);
    auto t = existing_tenant(catalog, tenant_id);
    run_request r{master, set, to, output, timeouts, target.fake, false, baseline_of(target, set)};
    r.atomic = atomic;
    if (repair) {
      migrator<fresh_connections<Adapter>> m(fresh_connections<Adapter>(adapter), {},
                                              migrator_options_of(master, timeouts, false));
      auto repaired = m.repair_tenant(t, set);
      if (output.format == "json") {
        std::cout << tmig::to_json_line(tmig::tenant_repaired_to_json(t.id, repaired)) << '\n';
        return code(exit_status::ok);
      }
      if (repaired.empty()) std::cout << "Nothing to repair: every recorded checksum matches its file.\n";
      for (const auto& key : repaired) say(output, true, "Accepted the current checksum of " + key.str() + ".sql");
      return code(exit_status::ok);
    }
    if (target.plan) return plan_tenants(adapter, {t}, r);
    auto summary = run_tenants(fresh_connections<Adapter>(adapter), catalog, {t}, r);
    if (output.format == "text" && !summary.tenants.empty() &&
        summary.tenants.front().outcome == tmig::tenant_outcome::failed)
      std::cout << "Fix the cause, then rerun: manage migratetenant --tenant-id=" << t.id << '\n';
    return exit_of(summary);
  });
}

std::unique_ptr<command> add_migratetenant(CLI::App& manage) {
  return make_command<migratetenant_command>(manage, "migratetenant",
                                    "Migrate one tenant, or move one app of it to a migration");
}

}  // namespace manage
