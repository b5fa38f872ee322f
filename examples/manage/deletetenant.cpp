#include "deletetenant.hpp"

#include "common/master.hpp"
#include "common/output.hpp"

namespace manage {

namespace {
std::string lower_first(std::string s) {
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}
}  // namespace

void deletetenant_command::declare(CLI::App& c) {
  source.declare_master(c);
  c.add_option("--tenant-id", tenant_id, "The tenant")->required();
  c.add_flag("--drop-data", drop_data, "Also drop its database or schema");
  c.add_flag("--yes", yes, "Confirm; without it nothing is deleted");
  style.declare(c);
}

int deletetenant_command::run() {
  return with_master(source.master, [&](auto adapter, const std::string& master) {
    using Adapter = decltype(adapter);
    if constexpr (!tmig::ProvisioningAdapter<Adapter>) {
      throw tmig::usage_error("this adapter cannot drop databases");
      return code(exit_status::usage);
    } else {
      auto catalog = open_catalog(adapter, master);
      auto t = existing_tenant(catalog, tenant_id, /*allow_disabled=*/true);
      std::string what = "the registry row of tenant '" + t.id + "'" +
                         (drop_data ? " and drop " + lower_first(tmig::describe_storage(t)) + " with all its data"
                                    : " (its data stays; add --drop-data to drop it)");
      if (!yes) throw tmig::usage_error("refusing without --yes: this would remove " + what);
      after_start("tenant '" + t.id + "' not deleted", [&] {
        tmig::delete_tenant(adapter, catalog, catalog.connection(), t, master, drop_data);
      });
      say(style, true, "Tenant '" + t.id + "' deleted");
      if (drop_data) say(style, true, tmig::describe_storage(t) + " dropped");
      return code(exit_status::ok);
    }
  });
}

std::unique_ptr<command> add_deletetenant(CLI::App& manage) {
  return make_command<deletetenant_command>(manage, "deletetenant",
                                    "Remove a tenant from the registry, optionally dropping its data");
}

}  // namespace manage
