// The ConnectionPolicy models we ship: when connections are opened and
// closed. The concept, and what a policy of your own provides, is in
// concepts/connection_policy.hpp (docs/concepts/connection-policy.md).
#pragma once

#include <map>
#include <string>
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

  template <class F>
  decltype(auto) with_connection(const std::string& target, F&& f) {
    auto connection = adapter_.connect(target);
    return std::forward<F>(f)(connection);
  }

 private:
  A adapter_{};
};

// One connection per server (per connection target), reused across tenants.
// Between tenants the session is reset (capability::session_reset: e.g.
// DISCARD ALL) so no setting leaks from one tenant to the next. Much cheaper
// than a fresh connection when many schema tenants share a server. A
// connection that failed is closed and reopened for the next tenant.
template <class A>
class ReuseConnectionPerServer {
  static_assert(check_database_adapter<A>());

 public:
  using adapter_type = A;
  using connection_type = typename A::connection_type;

  ReuseConnectionPerServer() = default;
  explicit ReuseConnectionPerServer(A adapter) : adapter_(std::move(adapter)) {}
  A& adapter() noexcept { return adapter_; }

  template <class F>
  decltype(auto) with_connection(const std::string& target, F&& f) {
    auto it = open_.find(target);
    if (it == open_.end()) it = open_.emplace(target, adapter_.connect(target)).first;
    struct reset_after {
      ReuseConnectionPerServer* self;
      typename std::map<std::string, connection_type>::iterator it;
      bool ok = false;
      ~reset_after() {
        try {
          if constexpr (claims<A, capability::session_reset>) it->second.reset_session();
          if (!ok) {
            self->open_.erase(it);  // after a failure, start the next tenant on a new connection
          }
        } catch (...) {
          self->open_.erase(it);
        }
      }
    } guard{this, it};
    if constexpr (std::is_void_v<decltype(std::forward<F>(f)(it->second))>) {
      std::forward<F>(f)(it->second);
      guard.ok = true;
    } else {
      decltype(auto) result = std::forward<F>(f)(it->second);
      guard.ok = true;
      return result;
    }
  }

  std::size_t open_connections() const noexcept { return open_.size(); }

 private:
  A adapter_{};
  std::map<std::string, connection_type> open_;
};

}  // namespace tenant_migrator
