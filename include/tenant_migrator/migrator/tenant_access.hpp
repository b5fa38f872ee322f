// Reaching one tenant: a connection from the ConnectionPolicy, pointed at the
// tenant by the IsolationStrategy, and the tenant's lock where the adapter has one.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "../concepts/capabilities.hpp"
#include "../errors.hpp"
#include "../model/tenant.hpp"

namespace tenant_migrator::detail {

// Thrown when another run holds the tenant's lock: the tenant is skipped.
struct tenant_lock_busy {};

// Connects to `t`'s database or schema and calls f(connection, scope).
template <class Isolation, class Connections, class F>
void with_tenant(Connections& connections, const tenant& t, std::string_view master_location, F&& f) {
  if (auto why = validate_tenant_id(t.id); !why.empty()) throw error(why);
  auto target = Isolation::connection_target(connections.adapter(), t, master_location);
  connections.with_connection(target, [&](auto& connection) {
    auto scope = Isolation::enter(connection, t);
    f(connection, scope);
  });
}

// Holds the tenant's lock around `body` when the adapter claims
// capability::per_tenant_lock; body(bool locked) learns whether it does.
// Throws tenant_lock_busy when another run holds it for longer than `wait`.
template <class Adapter, class Connection, class Body>
void with_tenant_lock(Connection& connection, const std::string& lock_key, std::chrono::milliseconds wait,
                      Body&& body) {
  if constexpr (claims<Adapter, capability::per_tenant_lock>) {
    if (!connection.try_lock_tenant(lock_key, wait)) throw tenant_lock_busy{};
    struct unlock_at_exit {
      Connection& c;
      const std::string& key;
      ~unlock_at_exit() {
        try {
          c.unlock_tenant(key);
        } catch (...) {
          // The lock is session-scoped: closing the connection frees it.
        }
      }
    } unlock{connection, lock_key};
    body(true);
  } else {
    body(false);
  }
}

}  // namespace tenant_migrator::detail
