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

#include "../model/tenant.hpp"

namespace tenant_migrator {

namespace requirement {

template <class C>
concept catalog_lists_tenants = requires(C& catalog) {
  { catalog.list_tenants() } -> std::same_as<std::vector<tenant>>;
};

template <class C>
concept catalog_finds_tenant = requires(C& catalog, const std::string& id) {
  { catalog.find_tenant(id) } -> std::same_as<std::optional<tenant>>;
};

}  // namespace requirement

template <class C>
concept Catalog = requirement::catalog_lists_tenants<C> && requirement::catalog_finds_tenant<C>;

template <class C>
concept WritableCatalog = Catalog<C> && requires(C& catalog, const tenant& t, const std::string& id) {
  catalog.add_tenant(t);
  catalog.remove_tenant(id);
  catalog.set_status(id, tenant_status::active);
};

// Spells out, one static_assert per requirement, why C is not a Catalog.
template <class C>
constexpr bool check_catalog() {
  static_assert(requirement::catalog_lists_tenants<C>,
                "Catalog: missing `std::vector<tenant> list_tenants()`");
  static_assert(requirement::catalog_finds_tenant<C>,
                "Catalog: missing `std::optional<tenant> find_tenant(const std::string& id)`");
  return true;
}

}  // namespace tenant_migrator
