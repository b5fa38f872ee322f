// Targets and plans: what to migrate a tenant to, and the steps that get it there.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "migration.hpp"

namespace tenant_migrator {

// Where a migration runs: forwards (apply) or backwards (unapply, .down.sql).
enum class direction { forwards, backwards };

// What to migrate to (Django's `migrate [app_label] [migration_name]`):
//   {}                      everything pending
//   {app}                   that app's pending migrations and what they depend on
//   {app, "0002_x"}         that app exactly at 0002_x: forwards, or backwards
//                           through .down.sql files (later ones of the app unapplied)
//   {app, "zero"}           every migration of that app unapplied
struct migration_target {
  std::optional<std::string> app;
  std::optional<std::string> name;
};

struct plan_step {
  const migration* what;
  direction way;
  // A repeatable migration applied before whose file has changed since: it
  // runs again and its history row is updated, not inserted.
  bool reapply = false;
  // Recorded as applied without running (migrator_options::baseline): the
  // tenant's objects exist already.
  bool baseline = false;
};

// What a run would do to one tenant (TenantMigrator::plan_tenant).
struct tenant_plan {
  std::string tenant_id;
  std::vector<plan_step> steps;
  std::string error;  // the tenant cannot be planned: its history, its lock, a refused step
};

}  // namespace tenant_migrator
