// Tenants and their migration states as JSON (manage's showtenants and
// showmigrations in JSON). Keys are documented in docs/json.md and stable.
#pragma once

#include <vector>

#include "../json.hpp"
#include "../model/results.hpp"
#include "../model/tenant.hpp"
#include "tenant_list.hpp"

namespace tenant_migrator {

// [{"tenant_id", "name", "isolation", "location" (through `show`), "status", "created_at"}, ...]
inline json tenants_to_json(const std::vector<tenant>& tenants, location_display show = &shown_location) {
  json out = json::array();
  for (const auto& t : tenants) {
    auto cols = tenant_columns(t, show);
    out.push_back({{"tenant_id", cols[0]},
                   {"name", cols[1]},
                   {"isolation", cols[2]},
                   {"location", cols[3]},
                   {"status", cols[4]},
                   {"created_at", cols[5]}});
  }
  return out;
}

// {"tenant", "error" (null when readable), "pending", "migrations": [{"app", "name",
//  "applied", "applied_at" (null when not applied), "checksum_ok", "in_set"}]}
inline json tenant_state_to_json(const tenant_state& state) {
  json migrations = json::array();
  for (const auto& m : state.migrations)
    migrations.push_back({{"app", m.key.app},
                          {"name", m.key.name},
                          {"applied", m.applied},
                          {"applied_at", m.applied ? json(m.applied_at) : json(nullptr)},
                          {"checksum_ok", m.checksum_ok},
                          {"in_set", m.in_set}});
  return {{"tenant", state.tenant_id},
          {"error", state.error.empty() ? json(nullptr) : json(state.error)},
          {"pending", state.pending()},
          {"migrations", std::move(migrations)}};
}

}  // namespace tenant_migrator
