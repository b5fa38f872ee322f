// disabletenant / enabletenant: a tenant's registry status only. Runs leave a
// disabled tenant alone; enabling leaves an incomplete tenant as it is (its
// first successful migration makes it active).
#pragma once

#include <iostream>
#include <string>

#include "cli.hpp"
#include "master.hpp"
#include "output.hpp"

namespace manage {

// The options both commands take: --master, the tenant id, the text style.
struct tenant_status_options {
  source_options source;
  std::string tenant_id;
  style_options style;

  void declare(CLI::App& c) {
    source.declare_master(c);
    c.add_option("tenant_id", tenant_id, "The tenant")->required();
    style.declare(c);
  }
};

// Sets the status of o.tenant_id to active (enable) or disabled; idempotent.
inline int change_tenant_status(const tenant_status_options& o, bool enable) {
  return with_master(o.source.master, [&](auto adapter, const std::string& master) {
    auto catalog = open_catalog(adapter, master);
    auto t = existing_tenant(catalog, o.tenant_id, /*allow_disabled=*/true);
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
    say(o.style, true,
        enable ? "Tenant '" + t.id + "' enabled: runs migrate it again"
               : "Tenant '" + t.id + "' disabled: runs leave it alone (manage enabletenant " + t.id + " undoes it)");
    return code(exit_status::ok);
  });
}

}  // namespace manage
