// What a TenantMigrator is told at construction, besides its policies.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

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
};

}  // namespace tenant_migrator
