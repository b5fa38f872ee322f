// Plans and repairs as JSON (manage's --plan and --repair in JSON): one object per tenant,
// a JSON Lines event like those of a run. Keys are in docs/json.md; schemas
// docs/schemas/event-tenant_plan.schema.json, event-tenant_repaired.schema.json.
#pragma once

#include <string>
#include <vector>

#include "../detail/clock.hpp"
#include "../json.hpp"
#include "../model/migration.hpp"
#include "../model/plan.hpp"

namespace tenant_migrator {

// {"event": "tenant_plan", "time", "tenant", "steps": [{"migration", "direction", "baseline" (only when true)}],
//  "error" (null when planned)}
inline json tenant_plan_to_json(const tenant_plan& plan) {
  json steps = json::array();
  for (const auto& s : plan.steps) {
    json step = {{"migration", s.what->file()}, {"direction", s.way == direction::forwards ? "forwards" : "backwards"}};
    if (s.baseline) step["baseline"] = true;  // recorded as applied, not run (migrator_options::baseline)
    steps.push_back(std::move(step));
  }
  return {{"event", "tenant_plan"},
          {"time", detail::iso8601_now()},
          {"tenant", plan.tenant_id},
          {"steps", std::move(steps)},
          {"error", plan.error.empty() ? json(nullptr) : json(plan.error)}};
}

// {"event": "tenant_repaired", "time", "tenant", "accepted": ["users/0001_initial.sql", ...]}
inline json tenant_repaired_to_json(const std::string& tenant_id, const std::vector<migration_key>& accepted) {
  json files = json::array();
  for (const auto& k : accepted) files.push_back(k.str() + ".sql");
  return {{"event", "tenant_repaired"}, {"time", detail::iso8601_now()}, {"tenant", tenant_id}, {"accepted", std::move(files)}};
}

}  // namespace tenant_migrator
