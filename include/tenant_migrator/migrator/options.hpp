// What a TenantMigrator is told at construction, besides its policies.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "../model/migration.hpp"

namespace tenant_migrator {

struct migrator_options {
  // The master's location: database-per-tenant locations are resolved against it
  // (SQLite: relative paths are relative to the master file's folder).
  std::string master_location;
  // When it becomes non-zero (a signal handler stores SIGINT/SIGTERM), the
  // migration in flight is rolled back and no further tenant is started.
  const std::atomic<int>* stop_signal = nullptr;
  // How long to wait for a tenant locked by another run before skipping it
  // (adapters with capability::per_tenant_lock).
  std::chrono::milliseconds lock_wait{5000};
  // Per-migration limits (adapters with capability::migration_timeouts, e.g.
  // PostgreSQL's SET LOCAL lock_timeout / statement_timeout). Zero: no limit.
  std::chrono::milliseconds lock_timeout{0};
  std::chrono::milliseconds statement_timeout{0};
  // Record (or remove) history rows without running any SQL: for migrations
  // applied by other means.
  bool fake = false;
  // Adopting the tool on a live fleet: a tenant with no history yet (no
  // history table, or an empty one) has this migration and everything it
  // depends on recorded as applied without running (the tenant's objects
  // exist already), then what follows applied. A tenant with a history is
  // migrated as usual. Must name a migration of the set (validate_baseline).
  std::optional<migration_key> baseline{};
  // All of a tenant's pending migrations in one transaction (Flyway's group
  // mode): the tenant is fully migrated or left exactly as it was. Needs an
  // adapter with capability::transactional_ddl; a tenant whose pending
  // migrations include a `-- transaction: off` one fails before anything runs.
  bool atomic = false;
  // How many connections to one server read the fast path's history batches
  // at once (fast_path.hpp; a ConnectionPolicy with for_worker() lends the
  // others, and counts them against its cap). Two: at 10,000 schemas one
  // session keeps a server core busy, and the read is most of a run.
  std::size_t history_readers = 2;
};

}  // namespace tenant_migrator
