// The Reporter concept: receives every event of a run (reporting/events.hpp,
// docs/concepts/reporter.md).
//
// Minimal complete definition: `void on(const E&)` for each event type E below.
// Derive from NullReporter (and write `using NullReporter::on;`) to handle
// only some of them. Rules: a reporter must not throw (a reporter's failure
// must never turn a migrated tenant into a failed one) and must not block for long.
#pragma once

#include "../reporting/events.hpp"

namespace tenant_migrator {

namespace requirement {

template <class R, class Event>
concept reporter_handles = requires(R& reporter, const Event& event) { reporter.on(event); };

}  // namespace requirement

template <class R>
concept Reporter = requirement::reporter_handles<R, run_started> && requirement::reporter_handles<R, tenant_started> &&
                   requirement::reporter_handles<R, migration_started> &&
                   requirement::reporter_handles<R, migration_applied> &&
                   requirement::reporter_handles<R, migration_failed> &&
                   requirement::reporter_handles<R, tenant_finished> && requirement::reporter_handles<R, run_finished>;

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

// Spells out, one static_assert per event, why R is not a Reporter.
// (A macro because a static_assert message must be a string literal.)
#define TENANT_MIGRATOR_REQUIRE_HANDLER(event)                                                   \
  static_assert(requirement::reporter_handles<R, event>,                                         \
                "Reporter: missing `void on(const " #event "&)` (derive from NullReporter and " \
                "write `using NullReporter::on;` to ignore the events you do not handle)")
template <class R>
constexpr bool check_reporter() {
  TENANT_MIGRATOR_REQUIRE_HANDLER(run_started);
  TENANT_MIGRATOR_REQUIRE_HANDLER(tenant_started);
  TENANT_MIGRATOR_REQUIRE_HANDLER(migration_started);
  TENANT_MIGRATOR_REQUIRE_HANDLER(migration_applied);
  TENANT_MIGRATOR_REQUIRE_HANDLER(migration_failed);
  TENANT_MIGRATOR_REQUIRE_HANDLER(tenant_finished);
  TENANT_MIGRATOR_REQUIRE_HANDLER(run_finished);
  return true;
}
#undef TENANT_MIGRATOR_REQUIRE_HANDLER

}  // namespace tenant_migrator
