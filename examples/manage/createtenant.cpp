#include "createtenant.hpp"

#include <iostream>
#include <optional>
#include <unistd.h>

#include "common/master.hpp"
#include "common/output.hpp"

namespace manage {

namespace {

// A flag's value, or asked for on a terminal; off a terminal a missing flag is a usage error.
std::string ask(const std::string& given, const char* flag, const char* prompt) {
  if (!given.empty()) return given;
  if (::isatty(STDIN_FILENO) != 1) throw tmig::usage_error(std::string("missing ") + flag);
  std::cout << prompt << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer) || answer.empty()) throw tmig::usage_error(std::string("missing ") + flag);
  return answer;
}

}  // namespace

void createtenant_command::declare(CLI::App& c) {
  source.declare(c);
  c.add_option("--tenant-id", tenant_id, "New tenant id: 1-63 of a-z, 0-9, '-' (asked on a terminal)");
  c.add_option("--name", name, "Display name (asked on a terminal)");
  c.add_option("--isolation", isolation, "database or schema (asked on a terminal)")
      ->check(CLI::IsMember({"database", "schema"}));
  c.add_option("--location", location,
               "Database file / database name / conninfo, or schema name (default: derived from the id)");
  c.add_flag("--no-migrate", no_migrate, "Create it without applying migrations");
  style.declare(c);
}

int createtenant_command::run() {
  return with_sources(source, [&](auto adapter, const std::string& master) {
    using Adapter = decltype(adapter);
    if constexpr (!tmig::ProvisioningAdapter<Adapter>) {
      throw tmig::usage_error("this adapter cannot create databases");
      return code(exit_status::usage);
    } else {
      tmig::tenant t;
      t.id = ask(tenant_id, "--tenant-id", "Tenant ID (a-z, 0-9, -): ");
      if (auto why = tmig::validate_tenant_id(t.id); !why.empty()) throw tmig::usage_error(why);
      t.name = ask(name, "--name", "Tenant name: ");
      auto iso = ask(isolation, "--isolation", "Isolation (database/schema): ");
      auto parsed = tmig::parse_isolation(iso);
      if (!parsed) throw tmig::usage_error("--isolation must be database or schema, not '" + iso + "'");
      t.isolation = *parsed;
      t.location = location;
      t.status = no_migrate ? tmig::tenant_status::active : tmig::tenant_status::incomplete;
      std::optional<tmig::migration_set> set;
      if (!no_migrate) set = load_set(source);  // a bad set stops us before anything is created
      auto catalog = open_catalog(adapter, master, /*create=*/true);
      tmig::check_new_tenant<Adapter>(catalog, t);
      try {
        tmig::provision_tenant(adapter, catalog, catalog.connection(), t, master,
                               [&](const std::string& line) { say(style, true, line); });
      } catch (const tmig::usage_error&) {
        throw;
      } catch (const std::exception& e) {
        say(style, false, "Tenant '" + t.id + "' not created: " + e.what());
        return code(exit_status::failed);
      }
      if (no_migrate) {
        std::cout << "Migrations not run (--no-migrate): run manage migratetenant --tenant-id=" << t.id << '\n';
        return code(exit_status::ok);
      }
      tmig::ConsoleReporter reporter(std::cout, text_style(style));
      migrator<fresh_connections<Adapter>, tmig::ConsoleReporter> m(
          fresh_connections<Adapter>(adapter), reporter, migrator_options_of(master, timeout_options{}, false));
      auto result = m.migrate_tenant(t, *set);
      if (result.succeeded()) {
        after_start("tenant '" + t.id + "' migrated, but not marked active",
                    [&] { catalog.set_status(t.id, tmig::tenant_status::active); });
        say(style, true, "Migrations completed");
        return code(exit_status::ok);
      }
      std::cout << "Tenant '" << t.id << "' is registered and provisioned but marked incomplete. "
                << "Fix the cause, then run: manage migratetenant --tenant-id=" << t.id << '\n';
      return code(exit_status::failed);
    }
  });
}

std::unique_ptr<command> add_createtenant(CLI::App& manage) {
  return make_command<createtenant_command>(manage, "createtenant",
                                    "Register a tenant, create its database or schema, migrate it");
}

}  // namespace manage
