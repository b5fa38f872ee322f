#include "showmigrations.hpp"

#include <cstddef>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <tenant_migrator/output/tenant_list_json.hpp>

#include "common/chunks.hpp"
#include "common/master.hpp"

namespace manage {

namespace {

void print_state(const tmig::tenant_state& state) {
  std::cout << state.tenant_id << ":\n";
  if (!state.error.empty()) {
    std::cout << "  error: " << state.error << '\n';
    return;
  }
  // Grouped by app, each in the set's order (versions compare as numbers: 2
  // before 10), then what is recorded but no longer in the set.
  std::map<std::string, std::vector<const tmig::migration_state*>> by_app;
  for (const auto& m : state.migrations) by_app[m.key.app].push_back(&m);
  for (auto& [app, list] : by_app) {
    std::cout << "  " << app << '\n';
    for (const auto* m : list) {
      std::cout << "   [" << (m->applied ? 'X' : ' ') << "] " << m->key.name;
      if (!m->in_set) std::cout << "  (recorded, but not in the migration set)";
      if (!m->checksum_ok) std::cout << "  (file changed after it was applied)";
      std::cout << '\n';
    }
  }
}

}  // namespace

void showmigrations_command::declare(CLI::App& c) {
  source.declare(c);
  c.add_option("--tenant-id", tenant_id, "Only this tenant (default: every active tenant)");
  c.add_option("app_label", app_label, "Only this app");
  c.add_option("--format", format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  c.add_flag("--pending", pending, "One line per tenant with its pending count; exit 1 when any tenant has some");
}

int showmigrations_command::run() {
  return with_sources(source, [&](auto adapter, const std::string& master) {
    using Adapter = decltype(adapter);
    auto set = load_set(source);
    if (!app_label.empty()) tmig::validate_target(set, tmig::migration_target{app_label, {}});
    auto catalog = open_catalog(adapter, master);
    std::vector<tmig::tenant> tenants;
    if (!tenant_id.empty())
      tenants.push_back(existing_tenant(catalog, tenant_id, /*allow_disabled=*/true));
    else
      tenants = tmig::select_tenants(catalog);
    // One connection per server, kept across the chunks below: with a new
    // session per chunk, 100,000 schemas took 13 s instead of 9 s.
    migrator<tmig::ReuseConnectionPerServer<Adapter>> m(tmig::ReuseConnectionPerServer<Adapter>(adapter), {},
                                                        migrator_options_of(master, timeout_options{}, false));
    bool any_pending = false, any_error = false;
    // JSON is one array, written an element at a time so that it is never
    // held whole; each element indented as dump(2) indents the array's.
    if (format == "json") std::cout << (tenants.empty() ? "[]\n" : "[\n");
    bool first = true;
    auto show = [&](tmig::tenant_state& state) {
      if (!app_label.empty())
        std::erase_if(state.migrations, [&](const tmig::migration_state& ms) { return ms.key.app != app_label; });
      any_pending |= state.pending() > 0;
      any_error |= !state.error.empty();
      if (format == "json") {
        std::string element = tmig::tenant_state_to_json(state).dump(2, ' ', false, tmig::json::error_handler_t::replace);
        for (std::size_t at = element.find('\n'); at != std::string::npos; at = element.find('\n', at + 3))
          element.replace(at, 1, "\n  ");
        std::cout << (first ? "  " : ",\n  ") << element;
        first = false;
      } else if (pending) {
        if (!state.error.empty())
          std::cout << state.tenant_id << ": error: " << state.error << '\n';
        else if (state.pending() == 0)
          std::cout << state.tenant_id << ": up to date\n";
        else
          std::cout << state.tenant_id << ": " << state.pending() << " pending\n";
      } else {
        print_state(state);
      }
    };
    // Histories read in batches where the isolation strategy can (schema
    // tenants: one connection per server), not a connection per tenant.
    for_each_chunk(tenants, [&](const std::vector<tmig::tenant>& chunk, std::size_t) {
      for (auto& state : m.inspect_tenants(chunk, set)) show(state);
    });
    if (format == "json" && !tenants.empty())
      std::cout << "\n]\n";
    else if (format != "json" && tenants.empty())
      std::cout << "No tenants found.\n";
    if (any_error || (pending && any_pending)) return code(exit_status::failed);
    return code(exit_status::ok);
  });
}

std::unique_ptr<command> add_showmigrations(CLI::App& manage) {
  return make_command<showmigrations_command>(manage, "showmigrations",
                                    "Show applied and pending migrations per tenant");
}

}  // namespace manage
