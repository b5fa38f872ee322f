// The up-to-date fast path: before a run, the histories of the tenants the
// IsolationStrategy can read in batches (BatchHistoryReader: schema tenants on
// PostgreSQL, database tenants on MariaDB) are read per server and isolation
// kind, `history_batch_size` tenants per statement. A tenant found up to date
// is reported without connecting to it; every other tenant takes the normal
// path (connect, lock, re-read, apply), which also reports any real problem.
// Best effort: when a batch read fails, its tenants take the normal path.
//
// Histories are handed over a batch at a time and dropped after it, so a
// run's memory does not grow with its tenants' histories.
//
// Up to `readers` connections to a server read its batches at once: the
// first through the caller's policy, the others through for_worker() policies
// in threads of their own. One session reading 10,000 schemas' tables keeps a
// server core busy (each table is opened and its catalog rows cached anew).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "../concepts/isolation_strategy.hpp"
#include "../model/history_record.hpp"
#include "../model/tenant.hpp"

namespace tenant_migrator::detail {

// Calls on_history(i, history) for each tenants[i] whose history could be
// read in a batch (std::vector<applied_migration>&, the callee's to keep or
// to leave), one call at a time; the others are not named.
template <class Isolation, class Connections, class OnHistory>
void read_histories_in_batches(Connections& connections, const std::vector<tenant>& tenants,
                               std::string_view master_location, std::size_t readers, OnHistory&& on_history) {
  using adapter_type = typename Connections::adapter_type;
  if constexpr (BatchHistoryReader<Isolation, adapter_type>) {
    // Tenants of one kind on one server, read over a connection to the first one's target.
    struct batch {
      std::string target;
      std::vector<const tenant*> tenants;
    };
    std::map<std::pair<isolation_kind, std::string>, batch> by_server;
    const auto& adapter = connections.adapter();
    for (const auto& t : tenants) {
      if (!validate_tenant_id(t.id).empty() || !Isolation::reads_history_in_batch(adapter, t)) continue;
      try {
        std::string target = Isolation::connection_target(adapter, t, master_location);
        std::string server = target;
        if constexpr (claims<adapter_type, capability::server_identity>) server = adapter.server_of(target);
        auto& b = by_server[{t.isolation, server}];
        if (b.tenants.empty()) b.target = std::move(target);
        b.tenants.push_back(&t);
      } catch (const std::exception&) {
        // Reported by the normal path.
      }
    }
    constexpr std::size_t batch = adapter_type::history_batch_size > 0 ? adapter_type::history_batch_size : 1;
    for (const auto& entry : by_server) {
      const std::vector<const tenant*>& group = entry.second.tenants;  // a plain name: clang 14 lambdas may capture it
      if (group.size() < 2) continue;  // one tenant: the normal path costs the same
      const std::size_t batches = (group.size() + batch - 1) / batch;
      std::atomic<std::size_t> next_batch{0};
      std::mutex handing_over;  // on_history: one call at a time
      // Reads the batches no other reader has taken. Best effort, see above:
      // a reader that fails stops, and the tenants of its batch take the
      // normal path.
      auto read_batches = [&](Connections& policy) noexcept {
        try {
          if (next_batch.load() >= batches) return;  // all taken: no connection needed
          policy.with_connection(entry.second.target, [&](auto& connection) {
            for (std::size_t b = next_batch++; b < batches; b = next_batch++) {
              const auto first = group.begin() + static_cast<std::ptrdiff_t>(b * batch);
              const auto size = static_cast<std::ptrdiff_t>(std::min(batch, group.size() - b * batch));
              const std::vector<const tenant*> part(first, first + size);
              auto by_id = Isolation::read_histories(connections.adapter(), connection, part, batch);
              std::lock_guard lock(handing_over);
              for (const tenant* t : part)
                if (auto it = by_id.find(t->id); it != by_id.end())
                  on_history(static_cast<std::size_t>(t - tenants.data()), it->second);
            }
          });
        } catch (...) {
        }
      };
      std::deque<Connections> other_policies;
      std::vector<std::jthread> other_readers;  // joined before other_policies go
      if constexpr (requires { { connections.for_worker() } -> std::convertible_to<Connections>; }) {
        try {
          for (std::size_t r = 1; r < std::min(readers, batches); ++r)
            other_readers.emplace_back(read_batches, std::ref(other_policies.emplace_back(connections.for_worker())));
        } catch (const std::exception&) {
          // Fewer readers: the ones started share the batches.
        }
      }
      read_batches(connections);
    }
  }
}

}  // namespace tenant_migrator::detail
