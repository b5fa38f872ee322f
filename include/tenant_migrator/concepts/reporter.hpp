// The Reporter concept: receives every event of a run (reporting/events.hpp).
//
// Minimal complete definition: `void on(const E&)` for each event type E below.
// Derive from NullReporter (and write `using NullReporter::on;`) to handle
// only some of them. Rules: a reporter must not throw (a reporter's failure
// must never turn a migrated tenant into a failed one) and must not block for long.
#pragma once

#include "../reporting/events.hpp"

namespace tenant_migrator {

template <class R>
concept Reporter = requires(R& r, const tenant& t, const migration& m, const tenant_result& tr,
                            const run_summary& s) {
  r.on(run_started{0, 0});
  r.on(tenant_started{t, 0, 0});
  r.on(migration_started{t, m});
  r.on(migration_applied{t, m, {}});
  r.on(migration_failed{t, m, {}});
  r.on(tenant_finished{t, tr, 0, 0});
  r.on(run_finished{s});
};

// Ignores every event; a base for reporters that care about a few.
struct NullReporter {
  void on(const run_started&) {}
  void on(const tenant_started&) {}
  void on(const migration_started&) {}
  void on(const migration_applied&) {}
  void on(const migration_failed&) {}
  void on(const tenant_finished&) {}
  void on(const run_finished&) {}
};

}  // namespace tenant_migrator
