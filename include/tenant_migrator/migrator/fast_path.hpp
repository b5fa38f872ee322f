// The up-to-date fast path: before a run, the histories of the tenants the
// IsolationStrategy can read in batches (BatchHistoryReader: schema tenants on
// PostgreSQL) are read with one connection per server, `history_batch_size`
// tenants per statement. A tenant found up to date is reported without
// connecting to it; every other tenant takes the normal path (connect, lock,
// re-read, apply), which also reports any real problem. Best effort: when a
// batch read fails, its tenants take the normal path.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "../concepts/isolation_strategy.hpp"
#include "../model/history_record.hpp"
#include "../model/tenant.hpp"

namespace tenant_migrator::detail {

// Histories by tenant id, for the tenants that could be read in batches.
template <class Isolation, class Connections>
std::map<std::string, std::vector<applied_migration>> read_histories_in_batches(Connections& connections,
                                                                                const std::vector<tenant>& tenants,
                                                                                std::string_view master_location) {
  using adapter_type = typename Connections::adapter_type;
  std::map<std::string, std::vector<applied_migration>> by_tenant;
  if constexpr (BatchHistoryReader<Isolation, adapter_type>) {
    std::map<std::string, std::vector<const tenant*>> by_server;
    for (const auto& t : tenants) {
      if (!validate_tenant_id(t.id).empty() || !Isolation::reads_history_in_batch(t)) continue;
      try {
        by_server[Isolation::connection_target(connections.adapter(), t, master_location)].push_back(&t);
      } catch (const std::exception&) {
        // Reported by the normal path.
      }
    }
    for (const auto& entry : by_server) {
      const std::vector<const tenant*>& group = entry.second;  // a plain name: clang 14 lambdas may capture it
      if (group.size() < 2) continue;  // one tenant: the normal path costs the same
      try {
        connections.with_connection(entry.first, [&](auto& connection) {
          for (auto& [id, history] : Isolation::read_histories(connection, group, adapter_type::history_batch_size))
            by_tenant[id] = std::move(history);
        });
      } catch (const std::exception&) {
        // Best effort, see above.
      }
    }
  }
  return by_tenant;
}

}  // namespace tenant_migrator::detail
