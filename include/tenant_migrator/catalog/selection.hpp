// Choosing a run's tenants from a Catalog, and writing the run's outcome back:
// kept out of TenantMigrator, which only migrates the tenants it is given.
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "../concepts/catalog.hpp"
#include "../errors.hpp"
#include "../model/results.hpp"
#include "../model/selection.hpp"
#include "../model/tenant.hpp"

namespace tenant_migrator {

namespace detail {
// '*' matches any run of characters, '?' one; everything else itself.
constexpr bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p, ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++, mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1, t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}
constexpr bool is_glob(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }

// FNV-1a, 64 bits: stable across runs, hosts and versions (a shard's tenants
// must not move when the tool is upgraded).
constexpr std::uint64_t stable_hash(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}
}  // namespace detail

// Whether tenant `id` falls in `part`.
constexpr bool in_shard(std::string_view id, const shard& part) {
  return part.count == 0 || detail::stable_hash(id) % part.count == part.index;
}

// The tenants a run over `catalog` covers, ordered by id: every active and
// incomplete tenant, or those selection.only names (ids or globs), minus
// selection.exclude, then only those of selection.part. Throws
// tenant_selection_error for an id in selection.only that the catalog does
// not have or has disabled, or a glob that matches no tenant that can run.
// Catalog functions take any C and check it inside, so that the message
// names the missing member instead of listing unviable candidates.
template <class C>
std::vector<tenant> select_tenants(C& catalog, const tenant_selection& selection = {}) {
  static_assert(check_catalog<C>());
  if (selection.part && (selection.part->count == 0 || selection.part->index >= selection.part->count))
    throw usage_error(fmt::format("shard {}/{} does not exist: K/N needs 0 <= K < N", selection.part->index,
                                  selection.part->count));
  auto all = catalog.list_tenants();
  std::sort(all.begin(), all.end(), [](const tenant& a, const tenant& b) { return a.id < b.id; });
  for (const auto& pattern : selection.only) {
    if (detail::is_glob(pattern)) {
      bool any = std::any_of(all.begin(), all.end(), [&](const tenant& t) {
        return t.status != tenant_status::disabled && detail::glob_match(pattern, t.id);
      });
      if (!any) throw tenant_selection_error(pattern, tenant_selection_error::reason::no_match);
      continue;
    }
    auto it = std::find_if(all.begin(), all.end(), [&](const tenant& t) { return t.id == pattern; });
    if (it == all.end()) throw tenant_selection_error(pattern, tenant_selection_error::reason::unknown);
    if (it->status == tenant_status::disabled)
      throw tenant_selection_error(pattern, tenant_selection_error::reason::disabled);
  }
  auto listed = [](const std::vector<std::string>& patterns, const std::string& id) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return detail::glob_match(p, id); });
  };
  // In place: a second vector would hold 100,000 tenants twice.
  std::erase_if(all, [&](const tenant& t) {
    return t.status == tenant_status::disabled || (!selection.only.empty() && !listed(selection.only, t.id)) ||
           listed(selection.exclude, t.id) || (selection.part && !in_shard(t.id, *selection.part));
  });
  return all;
}

// Reorders tenants (as select_tenants returns them, by id) by when the
// registry created them (tenant::created_at, ISO 8601 UTC, so text order is
// time order), oldest first; tenants created at the same time stay by id.
inline void order_by_creation(std::vector<tenant>& tenants) {
  std::stable_sort(tenants.begin(), tenants.end(),
                   [](const tenant& a, const tenant& b) { return a.created_at < b.created_at; });
}

// Moves the tenants `first` names (ids or globs) to the front, in `first`'s
// order, the rest keeping theirs: canaries named by id go first. Throws
// tenant_selection_error for a name that matches none of `tenants`.
inline void put_first(std::vector<tenant>& tenants, const std::vector<std::string>& first) {
  std::vector<tenant> front;
  for (const auto& pattern : first) {
    auto it = std::stable_partition(tenants.begin(), tenants.end(),
                                    [&](const tenant& t) { return detail::glob_match(pattern, t.id); });
    if (it == tenants.begin())
      throw tenant_selection_error(pattern, detail::is_glob(pattern) ? tenant_selection_error::reason::no_match
                                                                     : tenant_selection_error::reason::unknown);
    front.insert(front.end(), std::make_move_iterator(tenants.begin()), std::make_move_iterator(it));
    tenants.erase(tenants.begin(), it);
  }
  tenants.insert(tenants.begin(), std::make_move_iterator(front.begin()), std::make_move_iterator(front.end()));
}

// After a run: tenants created incomplete that now succeeded become active
// (when the catalog is writable).
template <class C>
void mark_complete(C& catalog, const std::vector<tenant>& tenants, const run_summary& summary) {
  static_assert(check_catalog<C>());
  if constexpr (WritableCatalog<C>) {
    std::set<std::string_view> incomplete;  // usually none: one pass over the results, not one per tenant
    for (const auto& t : tenants)
      if (t.status == tenant_status::incomplete) incomplete.insert(t.id);
    if (incomplete.empty()) return;
    for (const auto& r : summary.tenants)
      if (r.succeeded() && incomplete.count(r.tenant_id) != 0) catalog.set_status(r.tenant_id, tenant_status::active);
  }
}

}  // namespace tenant_migrator
