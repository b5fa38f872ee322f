// The Catalog concept: where the tenant registry comes from
// (docs/concepts/catalog.md). SqlCatalog (catalog/sql_catalog.hpp) reads the
// default table in the master database; an application with its own tenants
// table plugs in its own type.
//
// Minimal complete definition:
//   std::vector<tenant> list_tenants();                  // every tenant, any status, ordered by id
//   std::optional<tenant> find_tenant(const std::string& id);
// For createtenant/deletetenant a catalog also provides (WritableCatalog):
//   void add_tenant(const tenant&); void remove_tenant(const std::string& id);
//   void set_status(const std::string& id, tenant_status);
#pragma once

#include <concepts>
#include <optional>
#include <string>
#include <vector>

#include "../tenant.hpp"

namespace tenant_migrator {

template <class C>
concept Catalog = requires(C& catalog, const std::string& id) {
  { catalog.list_tenants() } -> std::same_as<std::vector<tenant>>;
  { catalog.find_tenant(id) } -> std::same_as<std::optional<tenant>>;
};

template <class C>
concept WritableCatalog = Catalog<C> && requires(C& catalog, const tenant& t, const std::string& id) {
  catalog.add_tenant(t);
  catalog.remove_tenant(id);
  catalog.set_status(id, tenant_status::active);
};

}  // namespace tenant_migrator
