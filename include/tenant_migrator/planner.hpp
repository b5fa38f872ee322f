// Planning, pure logic over the model: whether a tenant's history fits the
// migration set, and which migrations to apply or unapply for one tenant, in order.
#pragma once

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "errors.hpp"
#include "model/history_record.hpp"
#include "model/migration.hpp"
#include "model/plan.hpp"

namespace tenant_migrator {

// Why a tenant's history does not fit the migration set, or empty when it does:
// a recorded migration missing from the set, a changed file, or a recorded
// migration whose dependency is not recorded. Nothing may be applied then.
inline std::string verify_history(const migration_set& set, const std::vector<applied_migration>& history) {
  std::set<migration_key> recorded;
  for (const auto& a : history) recorded.insert(a.key);
  for (const auto& a : history) {
    const migration* m = set.find(a.key);
    if (!m) return a.key.str() + ".sql is recorded as applied but is not in the migration set";
    // A changed repeatable migration is not a problem: it is due again (make_plan).
    if (m->checksum != a.checksum && !m->repeatable)
      return m->file() + " was changed after it was applied (checksum " + a.checksum.substr(0, 12) +
             " recorded, " + m->checksum.substr(0, 12) + " now)";
    for (const auto& dep : m->depends)
      if (!recorded.count(dep)) {
        const migration* d = set.find(dep);  // in the set: make_migration_set checked every dependency
        return m->file() + " is recorded as applied but its dependency " + (d ? d->file() : dep.str() + ".sql") +
               " is not";
      }
  }
  return {};
}

namespace detail {
// A repeatable migration recorded with another checksum than its file's now.
inline bool changed_repeatable(const migration& m, const std::vector<applied_migration>& history) {
  if (!m.repeatable) return false;
  for (const auto& a : history)
    if (a.key == m.key()) return a.checksum != m.checksum;
  return false;
}
}  // namespace detail

// The migrations of `set` not yet in `history`, and the repeatable ones whose
// file changed since they were applied, in application order (repeatable
// ones last, make_migration_set).
inline std::vector<const migration*> pending_migrations(const migration_set& set,
                                                        const std::vector<applied_migration>& history) {
  std::set<migration_key> recorded;
  for (const auto& a : history) recorded.insert(a.key);
  std::vector<const migration*> out;
  for (const auto& m : set.ordered())
    if (!recorded.count(m.key()) || detail::changed_repeatable(m, history)) out.push_back(&m);
  return out;
}

// A plan that cannot be carried out for this tenant (no .down.sql, a
// dependent migration in another app, ...). Nothing has run.
class plan_error : public error {
 public:
  using error::error;
};

namespace detail {
inline void add_with_dependencies(const migration_set& set, const migration& m, const std::set<migration_key>& recorded,
                                  std::set<migration_key>& wanted) {
  if (recorded.count(m.key()) || !wanted.insert(m.key()).second) return;
  for (const auto& dep : m.depends)
    if (const migration* d = set.find(dep)) add_with_dependencies(set, *d, recorded, wanted);
}
}  // namespace detail

// Throws usage_error when the target names no app or migration of the set:
// the same for every tenant, so callers may check it once up front.
inline void validate_target(const migration_set& set, const migration_target& target) {
  if (!target.app) return;
  if (!set.has_app(*target.app)) throw usage_error("app '" + *target.app + "' has no migrations");
  if (!target.name || *target.name == "zero") return;
  const migration* goal = set.find({*target.app, *target.name});
  if (!goal) throw usage_error("migration '" + *target.app + "/" + *target.name + "' does not exist");
  // A version to stand at; a repeatable migration has none.
  if (goal->repeatable)
    throw usage_error("migration '" + *target.app + "/" + *target.name + "' is repeatable: it cannot be a target");
}

// The steps that bring a tenant with `history` to `target`.
// Throws usage_error (see validate_target) or plan_error. `need_down_files`:
// false when no SQL will run (migrator_options::fake), so a missing .down.sql is no obstacle.
inline std::vector<plan_step> make_plan(const migration_set& set, const std::vector<applied_migration>& history,
                                        const migration_target& target = {}, bool need_down_files = true) {
  validate_target(set, target);
  std::set<migration_key> recorded;
  for (const auto& a : history) recorded.insert(a.key);
  std::vector<plan_step> steps;
  auto forwards = [&](const migration* m) {
    return plan_step{m, direction::forwards, recorded.count(m->key()) > 0};
  };
  if (!target.app) {
    for (const auto* m : pending_migrations(set, history)) steps.push_back(forwards(m));
    return steps;
  }
  const std::string& app = *target.app;
  const migration* goal = target.name && *target.name != "zero" ? set.find({app, *target.name}) : nullptr;

  // Forwards: the app (or the goal) and everything it depends on.
  if (!target.name || (goal && !recorded.count(goal->key()))) {
    std::set<migration_key> wanted;
    if (goal) {
      detail::add_with_dependencies(set, *goal, recorded, wanted);
    } else {
      for (const auto& m : set.ordered())
        if (m.app == app) detail::add_with_dependencies(set, m, recorded, wanted);
      // The whole app: its changed repeatable migrations are due as well.
      for (const auto& m : set.ordered())
        if (m.app == app && detail::changed_repeatable(m, history)) wanted.insert(m.key());
    }
    for (const auto& m : set.ordered())
      if (wanted.count(m.key())) steps.push_back(forwards(&m));
    return steps;
  }

  // Backwards: unapply the app's applied migrations after the goal (all for "zero"),
  // latest first. Repeatable migrations have no version to be after, nor an
  // undo file: they stay (as Flyway's undo leaves them).
  std::set<migration_key> undo;
  for (const auto& m : set.ordered())
    if (m.app == app && !m.repeatable && recorded.count(m.key()) && (!goal || goal->version < m.version))
      undo.insert(m.key());
  for (const auto& m : set.ordered()) {
    if (!recorded.count(m.key()) || undo.count(m.key())) continue;
    for (const auto& dep : m.depends)
      if (undo.count(dep))
        throw plan_error("cannot unapply " + dep.str() + ".sql: " + m.file() + " is applied and depends on it");
  }
  for (auto it = set.ordered().rbegin(); it != set.ordered().rend(); ++it) {
    if (!undo.count(it->key())) continue;
    if (!it->down_sql && need_down_files) throw plan_error("cannot unapply " + it->file() + ": " + it->down_file() + " does not exist");
    steps.push_back({&*it, direction::backwards});
  }
  return steps;
}

// Throws usage_error when `baseline` names no versioned migration of the set:
// the same for every tenant, so checked once before anything runs.
inline void validate_baseline(const migration_set& set, const migration_key& baseline) {
  const migration* m = set.find(baseline);
  if (!m) throw usage_error("baseline '" + baseline.str() + "' is not a migration of the set");
  if (m->repeatable) throw usage_error("baseline '" + baseline.str() + "' is repeatable: it has no version to stand at");
}

// The plan of a tenant with no history that adopts the set at `baseline`:
// `baseline` and everything it depends on recorded (steps marked baseline,
// nothing run), then the steps that bring it to `target` from there.
inline std::vector<plan_step> make_baseline_plan(const migration_set& set, const migration_key& baseline,
                                                 const migration_target& target = {}, bool need_down_files = true) {
  validate_baseline(set, baseline);
  std::vector<plan_step> steps;
  std::vector<applied_migration> recorded;
  for (auto step : make_plan(set, {}, {baseline.app, baseline.name}, false)) {
    step.baseline = true;
    recorded.push_back({step.what->key(), step.what->checksum, {}, 0});
    steps.push_back(step);
  }
  for (const auto& step : make_plan(set, recorded, target, need_down_files)) steps.push_back(step);
  return steps;
}

}  // namespace tenant_migrator
