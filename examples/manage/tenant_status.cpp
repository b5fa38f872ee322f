#include "tenant_status.hpp"

#include <iostream>

#include "common/master.hpp"
#include "common/output.hpp"

namespace manage {

void tenant_status_command::declare(CLI::App& c) {
  source.declare_master(c);
  c.add_option("tenant_id", tenant_id, "The tenant")->required();
  style.declare(c);
}

int tenant_status_command::run() {
  return with_master(source.master, [&](auto adapter, const std::string& master) {
    auto catalog = open_catalog(adapter, master);
    auto t = existing_tenant(catalog, tenant_id, /*allow_disabled=*/true);
    const auto wanted = enable ? tmig::tenant_status::active : tmig::tenant_status::disabled;
    if (enable && t.status == tmig::tenant_status::incomplete) {
      std::cout << "Tenant '" << t.id << "' is incomplete: it becomes active on its first successful migration "
                << "(manage migratetenant --tenant-id=" << t.id << ")\n";
      return code(exit_status::ok);
    }
    if (t.status == wanted) {
      std::cout << "Tenant '" << t.id << "' is already " << tmig::to_string(wanted) << '\n';
      return code(exit_status::ok);
    }
    after_start("tenant '" + t.id + "' not changed", [&] { catalog.set_status(t.id, wanted); });
    say(style, true,
        enable ? "Tenant '" + t.id + "' enabled: runs migrate it again"
               : "Tenant '" + t.id + "' disabled: runs leave it alone (manage enabletenant " + t.id + " undoes it)");
    return code(exit_status::ok);
  });
}

std::unique_ptr<command> add_disabletenant(CLI::App& manage) {
  return make_command<tenant_status_command>(manage, "disabletenant",
                                    "Mark a tenant disabled: runs leave it alone", false);
}

std::unique_ptr<command> add_enabletenant(CLI::App& manage) {
  return make_command<tenant_status_command>(manage, "enabletenant",
                                    "Mark a disabled tenant active again", true);
}

}  // namespace manage
