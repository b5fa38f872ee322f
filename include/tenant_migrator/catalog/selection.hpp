// Choosing a run's tenants from a Catalog, and writing the run's outcome back:
// kept out of TenantMigrator, which only migrates the tenants it is given.
#pragma once

#include <algorithm>
#include <vector>

#include "../concepts/catalog.hpp"
#include "../errors.hpp"
#include "../model/results.hpp"
#include "../model/selection.hpp"
#include "../model/tenant.hpp"

namespace tenant_migrator {

// The tenants a run over `catalog` covers, ordered by id: every active and
// incomplete tenant, or those of selection.only, minus selection.exclude.
// Throws tenant_selection_error for an id in selection.only that the catalog
// does not have or has disabled.
// Catalog functions take any C and check it inside, so that the message
// names the missing member instead of listing unviable candidates.
template <class C>
std::vector<tenant> select_tenants(C& catalog, const tenant_selection& selection = {}) {
  static_assert(check_catalog<C>());
  auto all = catalog.list_tenants();
  std::sort(all.begin(), all.end(), [](const tenant& a, const tenant& b) { return a.id < b.id; });
  for (const auto& id : selection.only) {
    auto it = std::find_if(all.begin(), all.end(), [&](const tenant& t) { return t.id == id; });
    if (it == all.end()) throw tenant_selection_error(id, tenant_selection_error::reason::unknown);
    if (it->status == tenant_status::disabled) throw tenant_selection_error(id, tenant_selection_error::reason::disabled);
  }
  auto listed = [](const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  std::vector<tenant> out;
  for (auto& t : all) {
    if (t.status == tenant_status::disabled) continue;
    if (!selection.only.empty() && !listed(selection.only, t.id)) continue;
    if (listed(selection.exclude, t.id)) continue;
    out.push_back(std::move(t));
  }
  return out;
}

// After a run: tenants created incomplete that now succeeded become active
// (when the catalog is writable).
template <class C>
void mark_complete(C& catalog, const std::vector<tenant>& tenants, const run_summary& summary) {
  static_assert(check_catalog<C>());
  if constexpr (WritableCatalog<C>) {
    for (const auto& r : summary.tenants) {
      if (!r.succeeded()) continue;
      for (const auto& t : tenants)
        if (t.id == r.tenant_id && t.status == tenant_status::incomplete) catalog.set_status(t.id, tenant_status::active);
    }
  }
}

}  // namespace tenant_migrator
