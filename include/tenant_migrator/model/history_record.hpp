// One row of a tenant's history table: a migration it has applied.
#pragma once

#include <string>

#include "migration.hpp"

namespace tenant_migrator {

struct applied_migration {
  migration_key key;
  std::string checksum;    // SHA-256 of the file as it was applied, hex
  std::string applied_at;  // ISO 8601, UTC
  long long duration_ms = 0;
};

}  // namespace tenant_migrator
