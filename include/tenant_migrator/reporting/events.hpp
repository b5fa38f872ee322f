// The events of a run, in the order a reporter receives them:
//   run_started, then per tenant: tenant_started, (migration_started,
//   migration_applied | migration_failed)*, tenant_finished; then run_finished.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "../model/migration.hpp"
#include "../model/plan.hpp"
#include "../model/results.hpp"
#include "../model/tenant.hpp"

namespace tenant_migrator {

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
  bool fake = false;          // history changed without running SQL (migrator_options::fake)
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
