// What a run, or a read of one tenant, found: per tenant and in sum.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "migration.hpp"

namespace tenant_migrator {

enum class tenant_outcome {
  migrated,     // at least one migration applied, none failed
  up_to_date,   // nothing was pending
  failed,       // a migration or a check failed; the failed migration left nothing behind
  skipped,      // not touched (locked by another run)
  interrupted,  // stopped by a signal; the migration in flight was rolled back, or stopped between statements
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
  std::size_t not_processed = 0;  // tenants never started: the run was interrupted, or its execution stopped early
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

// One migration as a tenant's history sees it (showmigrations).
struct migration_state {
  migration_key key;
  bool applied = false;
  std::string applied_at;    // empty when not applied
  bool in_set = true;        // false: recorded, but the set no longer has it
  bool checksum_ok = true;   // false: the file changed after it was applied
  bool due_again = false;    // a repeatable migration whose file changed: it runs again (not a problem)
  std::string source_file{};  // as the set names it ("shop/V1__x.sql", "app/1_x.up.sql"); empty when not in it
  std::string file() const { return source_file.empty() ? key.str() + ".sql" : source_file; }
};

struct tenant_state {
  std::string tenant_id;
  std::vector<migration_state> migrations;  // set order, then recorded ones missing from the set
  std::string error;                        // the tenant could not be read

  std::size_t pending() const noexcept {
    std::size_t n = 0;
    for (const auto& m : migrations) n += (m.in_set && !m.applied) || m.due_again;
    return n;
  }
};

}  // namespace tenant_migrator
