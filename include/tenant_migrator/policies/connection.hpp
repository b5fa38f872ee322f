// The ConnectionPolicy models we ship: when connections are opened and
// closed. The concept, and what a policy of your own provides, is in
// concepts/connection_policy.hpp (docs/concepts/connection-policy.md).
#pragma once

#include <concepts>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "../concepts/connection_policy.hpp"
#include "../concepts/database_adapter.hpp"

namespace tenant_migrator {

// A fresh connection per tenant, closed right after it: the lowest resource
// use, and nothing a migration changes in a session can reach another tenant.
// The default.
// Not constrained on purpose: the static_assert below names the adapter's
// missing member where a constraint would print a concept trace.
template <class A>
class FreshConnectionPerTenant {
  static_assert(check_database_adapter<A>());

 public:
  using adapter_type = A;

  FreshConnectionPerTenant() = default;
  explicit FreshConnectionPerTenant(A adapter) : adapter_(std::move(adapter)) {}
  A& adapter() noexcept { return adapter_; }

  // The policy of another worker of a concurrent run (ParallelExecution).
  FreshConnectionPerTenant for_worker() const { return FreshConnectionPerTenant(adapter_); }

  template <class F>
  decltype(auto) with_connection(const std::string& target, F&& f) {
    auto connection = adapter_.connect(target);
    return std::forward<F>(f)(connection);
  }

 private:
  A adapter_{};
};

// At most one open connection per server, reused across tenants. Between
// tenants the session is reset (capability::session_reset: e.g. DISCARD ALL)
// so no setting leaks from one tenant to the next. Much cheaper than a fresh
// connection when many schema tenants share a server.
//
// The server of a target is what the adapter's `server_of(target)` says
// (capability::server_identity; PostgreSQL: host, port, user, not the
// database). A target on a server that
// already has a connection to another target (the next tenant database on
// it) closes that connection before opening its own, so database-per-tenant
// never holds more than one connection per server however many tenants
// there are. An adapter without it is taken to have one server: at
// most one connection is open at all. A connection that failed is closed and
// reopened for the next tenant.
template <class A>
class ReuseConnectionPerServer {
  static_assert(check_database_adapter<A>());

 public:
  using adapter_type = A;
  using connection_type = typename A::connection_type;

  ReuseConnectionPerServer() = default;
  explicit ReuseConnectionPerServer(A adapter) : adapter_(std::move(adapter)) {}
  A& adapter() noexcept { return adapter_; }

  // The policy of another worker of a concurrent run (ParallelExecution):
  // its own connections, one per server.
  ReuseConnectionPerServer for_worker() const { return ReuseConnectionPerServer(adapter_); }

  template <class F>
  decltype(auto) with_connection(const std::string& target, F&& f) {
    const std::string server = server_of(target);
    auto it = open_.find(server);
    if (it != open_.end() && it->second.target != target) {
      open_.erase(it);  // closed before the next one opens: one per server, always
      it = open_.end();
    }
    if (it == open_.end()) it = open_.emplace(server, entry{target, adapter_.connect(target)}).first;
    struct reset_after {
      ReuseConnectionPerServer* self;
      typename std::map<std::string, entry>::iterator it;
      bool ok = false;
      ~reset_after() {
        try {
          if constexpr (claims<A, capability::session_reset>) it->second.connection.reset_session();
          if (!ok) {
            self->open_.erase(it);  // after a failure, start the next tenant on a new connection
          }
        } catch (...) {
          self->open_.erase(it);
        }
      }
    } guard{this, it};
    if constexpr (std::is_void_v<decltype(std::forward<F>(f)(it->second.connection))>) {
      std::forward<F>(f)(it->second.connection);
      guard.ok = true;
    } else {
      decltype(auto) result = std::forward<F>(f)(it->second.connection);
      guard.ok = true;
      return result;
    }
  }

  std::size_t open_connections() const noexcept { return open_.size(); }

 private:
  struct entry {
    std::string target;
    connection_type connection;
  };

  std::string server_of(const std::string& target) const {
    if constexpr (claims<A, capability::server_identity>)
      return adapter_.server_of(target);
    else
      return {};
  }

  A adapter_{};
  std::map<std::string, entry> open_;
};

}  // namespace tenant_migrator
