// The events of a run, in the order a reporter receives them:
//   run_started, then per tenant: tenant_started, (migration_started,
//   migration_applied | migration_failed)*, tenant_finished; then run_finished.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "../migration.hpp"
#include "../tenant.hpp"

namespace tenant_migrator {

enum class tenant_outcome {
  migrated,     // at least one migration applied, none failed
  up_to_date,   // nothing was pending
  failed,       // a migration or a check failed; the failed migration left nothing behind
  skipped,      // not touched (locked by another run)
  interrupted,  // stopped by a signal; the migration in flight was rolled back
};

inline const char* to_string(tenant_outcome o) noexcept {
  switch (o) {
    case tenant_outcome::migrated: return "migrated";
    case tenant_outcome::up_to_date: return "up_to_date";
    case tenant_outcome::failed: return "failed";
    case tenant_outcome::skipped: return "skipped";
    case tenant_outcome::interrupted: return "interrupted";
  }
  return "?";
}

struct tenant_result {
  std::string tenant_id;
  tenant_outcome outcome = tenant_outcome::failed;
  std::size_t applied = 0;  // migrations applied (or unapplied) by this run
  std::string error;        // why it failed or was skipped, one line
  std::chrono::milliseconds duration{0};

  bool succeeded() const noexcept {
    return outcome == tenant_outcome::migrated || outcome == tenant_outcome::up_to_date;
  }
};

struct run_summary {
  std::vector<tenant_result> tenants;
  std::size_t not_processed = 0;  // tenants never started because the run was interrupted
  int signal = 0;                 // SIGINT/SIGTERM when interrupted, else 0
  std::chrono::milliseconds duration{0};

  std::size_t succeeded() const noexcept {
    std::size_t n = 0;
    for (const auto& t : tenants) n += t.succeeded();
    return n;
  }
  std::size_t failed() const noexcept { return tenants.size() - succeeded(); }
  bool all_succeeded() const noexcept { return failed() == 0 && not_processed == 0 && signal == 0; }
};

// Where a migration runs: forwards (apply) or backwards (unapply, .down.sql).
enum class direction { forwards, backwards };

struct run_started {
  std::size_t tenant_count;
  std::size_t migration_count;  // size of the migration set
};
struct tenant_started {
  const tenant& who;
  std::size_t index;  // 0-based position in this run
  std::size_t total;
};
struct migration_started {
  const tenant& who;
  const migration& what;
  direction way = direction::forwards;
};
struct migration_applied {
  const tenant& who;
  const migration& what;
  std::chrono::milliseconds duration;
  direction way = direction::forwards;
  bool by_other_run = false;  // found recorded by a concurrent run once locked: nothing done here
  bool fake = false;          // history changed without running SQL (--fake)
};
struct migration_failed {
  const tenant& who;
  const migration& what;
  std::string error;  // the database's message
  direction way = direction::forwards;
};
struct tenant_finished {
  const tenant& who;
  const tenant_result& result;
  std::size_t index;
  std::size_t total;
};
struct run_finished {
  const run_summary& summary;
};

}  // namespace tenant_migrator
