// The ConnectionPolicy concept: when connections are opened and closed
// (docs/concepts/connection-policy.md). FreshConnectionPerTenant and
// ReuseConnectionPerServer (policies/connection.hpp) are the models we ship.
//
// Minimal complete definition:
//
//   struct MyPolicy {
//     using adapter_type = ...;                      // a DatabaseAdapter
//     adapter_type& adapter();
//     template <class F>
//     decltype(auto) with_connection(const std::string& target, F&& f);
//       // calls f(connection) with an adapter_type::connection_type& to `target`
//   };
#pragma once

#include <concepts>
#include <string>

#include "database_adapter.hpp"

namespace tenant_migrator {

namespace detail {
// Stands in for the migrator's callbacks when checking with_connection.
template <class Connection>
struct connection_probe {
  void operator()(Connection&) const {}
};
}  // namespace detail

namespace requirement {

template <class P>
concept policy_has_adapter_type = requires { typename P::adapter_type; };

template <class P>
concept policy_exposes_adapter = requires(P& policy) {
  { policy.adapter() } -> std::same_as<typename P::adapter_type&>;
};

template <class P>
concept policy_lends_connections =
    requires(P& policy, const std::string& target,
             detail::connection_probe<typename P::adapter_type::connection_type> probe) {
      policy.with_connection(target, probe);
    };

}  // namespace requirement

template <class P>
concept ConnectionPolicy = requirement::policy_has_adapter_type<P> && DatabaseAdapter<typename P::adapter_type> &&
                           requirement::policy_exposes_adapter<P> && requirement::policy_lends_connections<P>;

// Spells out, one static_assert per requirement, why P is not a ConnectionPolicy.
template <class P>
constexpr bool check_connection_policy() {
  static_assert(requirement::policy_has_adapter_type<P>,
                "ConnectionPolicy: missing member type `adapter_type` (the DatabaseAdapter it connects with)");
  if constexpr (requirement::policy_has_adapter_type<P>) {
    check_database_adapter<typename P::adapter_type>();  // names the adapter's missing member
    static_assert(requirement::policy_exposes_adapter<P>, "ConnectionPolicy: missing `adapter_type& adapter()`");
    if constexpr (DatabaseAdapter<typename P::adapter_type>) {
      static_assert(requirement::policy_lends_connections<P>,
                    "ConnectionPolicy: missing `template <class F> decltype(auto) with_connection(const "
                    "std::string& target, F&& f)` calling f(connection_type&)");
    }
  }
  return true;
}

}  // namespace tenant_migrator
