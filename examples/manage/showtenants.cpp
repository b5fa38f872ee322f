#include "showtenants.hpp"

#include <iostream>

#include <tenant_migrator/output/tenant_list_json.hpp>

#include "common/master.hpp"

namespace manage {

void showtenants_command::declare(CLI::App& c) {
  source.declare_master(c);
  c.add_option("--format", format, "table (default), json or csv")->check(CLI::IsMember({"table", "json", "csv"}));
  c.add_option("--isolation", isolation, "Only tenants with this isolation: database or schema")
      ->check(CLI::IsMember({"database", "schema"}));
  c.add_option("--status", status, "Only tenants with this status: active, disabled or incomplete")
      ->check(CLI::IsMember({"active", "disabled", "incomplete"}));
}

int showtenants_command::run() {
  return with_master(source.master, [&](auto adapter, const std::string& master) {
    auto catalog = open_catalog(adapter, master);
    std::vector<tmig::tenant> shown;
    for (auto& t : catalog.list_tenants()) {
      if (!isolation.empty() && tmig::to_string(t.isolation) != isolation) continue;
      if (!status.empty() && tmig::to_string(t.status) != status) continue;
      shown.push_back(std::move(t));
    }
    const tmig::location_display show = shown_location_display();
    if (format == "json")
      std::cout << tmig::tenants_to_json(shown, show).dump(2, ' ', false, tmig::json::error_handler_t::replace) << '\n';
    else if (format == "csv")
      std::cout << tmig::format_tenant_csv(shown, show);
    else
      std::cout << tmig::format_tenant_table(shown, show);
    return code(exit_status::ok);
  });
}

std::unique_ptr<command> add_showtenants(CLI::App& manage) {
  return make_command<showtenants_command>(manage, "showtenants",
                                    "List the tenants of the master registry");
}

}  // namespace manage
