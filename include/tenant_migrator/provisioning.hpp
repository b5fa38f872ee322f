// Creating and deleting tenants: the master row plus the tenant's database or
// schema, all or nothing (createtenant, deletetenant).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "concepts/catalog.hpp"
#include "concepts/database_adapter.hpp"
#include "detail/clock.hpp"
#include "errors.hpp"
#include "model/tenant.hpp"

namespace tenant_migrator {

// The location a new tenant gets when none is given: SQLite `<id>.db` beside
// the master; a schema or a server's database named like the id, '-' -> '_'.
template <DatabaseAdapter A>
std::string default_location(const tenant& t) {
  // An adapter with servers names its databases; one without (SQLite) keeps each in a file.
  if (t.isolation == isolation_kind::database && !claims<A, capability::server_identity>) return t.id + ".db";
  std::string name = t.id;
  for (auto& c : name)
    if (c == '-') c = '_';
  if (!name.empty() && name.front() >= '0' && name.front() <= '9') name = "t_" + name;
  return name;
}

// Where a tenant's storage is, for messages: "database 'acme.db'", "schema 'acme'".
inline std::string describe_storage(const tenant& t) {
  return (t.isolation == isolation_kind::schema ? "Schema '" : "Database '") + t.location + "'";
}

// Checks a new tenant before anything is written. Fills in the default location.
template <DatabaseAdapter A, Catalog C>
void check_new_tenant(C& catalog, tenant& t) {
  if (auto why = validate_tenant_id(t.id); !why.empty()) throw usage_error(why);
  if (t.name.empty()) throw usage_error("tenant '" + t.id + "' needs a name");
  if (t.isolation == isolation_kind::schema && !claims<A, capability::schemas>)
    throw usage_error("schema isolation needs a PostgreSQL master; this master has no schemas");
  if (t.location.empty()) t.location = default_location<A>(t);
  if (t.isolation == isolation_kind::schema) {
    if (auto why = validate_sql_name(t.location); !why.empty()) throw usage_error(why);
  }
  if (catalog.find_tenant(t.id)) throw usage_error("Tenant '" + t.id + "' already exists");
  for (const auto& other : catalog.list_tenants())
    if (other.isolation == t.isolation && other.location == t.location)
      throw usage_error("tenant '" + other.id + "' already uses " + describe_storage(t));
}

// Registers `t` in the catalog (status incomplete until migrated, or as given)
// and creates its database or schema. If creating the storage fails, the row
// is removed again and the error rethrown: nothing is left behind.
// `say` receives one line per step done ("Tenant 'acme' registered", ...).
template <ProvisioningAdapter A, WritableCatalog C, class MasterConnection>
void provision_tenant(A& adapter, C& catalog, MasterConnection& master, const tenant& t,
                      std::string_view master_location, const std::function<void(const std::string&)>& say) {
  tenant row = t;
  if (row.created_at.empty()) row.created_at = detail::iso8601_now();
  catalog.add_tenant(row);
  try {
    if (t.isolation == isolation_kind::schema) {
      if constexpr (claims<A, capability::schema_provisioning>) {
        master.create_schema(t.location);
      } else {
        throw error("this database has no schemas");
      }
    } else {
      adapter.create_database(adapter.tenant_database_location(master_location, t.location));
    }
  } catch (...) {
    try {
      catalog.remove_tenant(t.id);
    } catch (...) {
      // Reported below with the original error; the row stays for the operator.
    }
    throw;
  }
  say("Tenant '" + t.id + "' registered");
  say(describe_storage(t) + " created");
}

// Removes `t` from the catalog; with drop_data also drops its database or schema.
template <ProvisioningAdapter A, WritableCatalog C, class MasterConnection>
void delete_tenant(A& adapter, C& catalog, MasterConnection& master, const tenant& t, std::string_view master_location,
                   bool drop_data) {
  if (drop_data) {
    if (t.isolation == isolation_kind::schema) {
      if (auto why = validate_sql_name(t.location); !why.empty()) throw usage_error(why);
      if constexpr (claims<A, capability::schema_provisioning>) master.drop_schema(t.location);
      else throw error("this database has no schemas");
    } else {
      adapter.drop_database(adapter.tenant_database_location(master_location, t.location));
    }
  }
  catalog.remove_tenant(t.id);
}

}  // namespace tenant_migrator
