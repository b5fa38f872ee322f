// JsonReporter: one JSON object per line per event (JSON Lines), for machines.
// Keys (docs/json.md): every object has "event" and "time" (ISO 8601 UTC);
//   run_started:       tenants, migrations
//   tenant_started:    tenant, index, total
//   migration_started: tenant, migration, direction
//   migration_applied: tenant, migration, direction, duration_ms, by_other_run, fake
//   migration_failed:  tenant, migration, direction, error
//   tenant_finished:   tenant, outcome, applied, duration_ms, error (null on success)
//   run_finished:      tenants, succeeded, failed, not_processed, duration_ms, signal,
//                      outcomes {migrated, up_to_date, failed, skipped, interrupted}
// No line grows with the number of tenants: run_finished carries counts only;
// each tenant's result is its tenant_finished line.
#pragma once

#include <iostream>
#include <ostream>

#include "../concepts/reporter.hpp"
#include "../detail/clock.hpp"
#include "../json.hpp"

namespace tenant_migrator {

inline json to_json(const tenant_result& r) {
  return json{{"tenant", r.tenant_id},
              {"outcome", to_string(r.outcome)},
              {"applied", r.applied},
              {"duration_ms", r.duration.count()},
              {"error", r.error.empty() ? json(nullptr) : json(r.error)}};
}

class JsonReporter {
 public:
  explicit JsonReporter(std::ostream& out = std::cout) : out_(&out) {}

  void on(const run_started& e) { emit("run_started", {{"tenants", e.tenant_count}, {"migrations", e.migration_count}}); }
  void on(const tenant_started& e) {
    emit("tenant_started", {{"tenant", e.who.id}, {"index", e.index}, {"total", e.total}});
  }
  void on(const migration_started& e) {
    emit("migration_started", {{"tenant", e.who.id}, {"migration", e.what.file()}, {"direction", way(e.way)}});
  }
  void on(const migration_applied& e) {
    emit("migration_applied", {{"tenant", e.who.id},
                               {"migration", e.what.file()},
                               {"direction", way(e.way)},
                               {"duration_ms", e.duration.count()},
                               {"by_other_run", e.by_other_run},
                               {"fake", e.fake}});
  }
  void on(const migration_failed& e) {
    emit("migration_failed",
         {{"tenant", e.who.id}, {"migration", e.what.file()}, {"direction", way(e.way)}, {"error", e.error}});
  }
  void on(const tenant_finished& e) { emit("tenant_finished", to_json(e.result)); }
  void on(const run_finished& e) {
    const auto& s = e.summary;
    std::size_t counts[5] = {};  // by tenant_outcome
    for (const auto& r : s.tenants) ++counts[static_cast<std::size_t>(r.outcome)];
    json outcomes = json::object();
    for (auto o : {tenant_outcome::migrated, tenant_outcome::up_to_date, tenant_outcome::failed,
                   tenant_outcome::skipped, tenant_outcome::interrupted})
      outcomes[to_string(o)] = counts[static_cast<std::size_t>(o)];
    emit("run_finished", {{"tenants", s.tenants.size() + s.not_processed},
                          {"succeeded", s.succeeded()},
                          {"failed", s.failed()},
                          {"not_processed", s.not_processed},
                          {"duration_ms", s.duration.count()},
                          {"signal", s.signal == 0 ? json(nullptr) : json(s.signal)},
                          {"outcomes", std::move(outcomes)}});
  }

 private:
  static const char* way(direction d) { return d == direction::forwards ? "forwards" : "backwards"; }
  void emit(const char* event, json fields) {
    json line = {{"event", event}, {"time", detail::iso8601_now()}};
    for (auto& [k, v] : fields.items()) line[k] = v;
    *out_ << to_json_line(line) << '\n' << std::flush;
  }
  std::ostream* out_;
};

}  // namespace tenant_migrator
