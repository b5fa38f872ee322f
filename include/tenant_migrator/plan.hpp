// Planning: which migrations to apply or unapply for one tenant, in order.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "errors.hpp"
#include "history.hpp"
#include "migration.hpp"
#include "reporting/events.hpp"

namespace tenant_migrator {

// What to migrate to. Empty: everything pending. `app` alone: that app's
// pending migrations and what they depend on.
struct migration_target {
  std::optional<std::string> app;
};

struct plan_step {
  const migration* what;
  direction way;
};

namespace detail {
inline void add_with_dependencies(const migration_set& set, const migration& m, const std::set<migration_key>& recorded,
                                  std::set<migration_key>& wanted) {
  if (recorded.count(m.key()) || !wanted.insert(m.key()).second) return;
  for (const auto& dep : m.depends)
    if (const migration* d = set.find(dep)) add_with_dependencies(set, *d, recorded, wanted);
}
}  // namespace detail

// The steps that bring a tenant with `history` to `target`. Throws
// usage_error for a target that names no app in the set.
inline std::vector<plan_step> make_plan(const migration_set& set, const std::vector<applied_migration>& history,
                                        const migration_target& target = {}) {
  std::set<migration_key> recorded;
  for (const auto& a : history) recorded.insert(a.key);
  std::vector<plan_step> steps;
  if (!target.app) {
    for (const auto* m : pending_migrations(set, history)) steps.push_back({m, direction::forwards});
    return steps;
  }
  if (!set.has_app(*target.app)) throw usage_error("app '" + *target.app + "' has no migrations");
  std::set<migration_key> wanted;
  for (const auto& m : set.ordered())
    if (m.app == *target.app) detail::add_with_dependencies(set, m, recorded, wanted);
  for (const auto& m : set.ordered())
    if (wanted.count(m.key())) steps.push_back({&m, direction::forwards});
  return steps;
}

}  // namespace tenant_migrator
