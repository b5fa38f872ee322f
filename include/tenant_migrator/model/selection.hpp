// Which tenants a run covers.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace tenant_migrator {

// One of N disjoint parts of a selection, by a stable hash of the tenant id:
// N processes (Kubernetes Indexed Job completions, cron hosts) given shards
// 0/N .. N-1/N together cover every selected tenant exactly once.
struct shard {
  std::size_t index = 0;  // 0-based, < count
  std::size_t count = 1;
};

// Which tenants a run covers: all active (and incomplete) ones, or only some.
// `only` and `exclude` hold ids or globs (`eu-*`, `t?`: '*' any run, '?' one character).
struct tenant_selection {
  std::vector<std::string> only;     // empty: every active tenant
  std::vector<std::string> exclude;
  std::optional<shard> part = std::nullopt;  // empty: all of them
};

}  // namespace tenant_migrator
