// The IsolationStrategy concept: where a tenant's data lives and how a
// connection is pointed at it (docs/concepts/isolation-strategy.md).
// DatabasePerTenant, SchemaPerTenant and PerTenantIsolation (policies/isolation.hpp)
// are the models we ship.
//
// Minimal complete definition:
//
//   struct MyStrategy {
//     static constexpr bool needs_schemas = false;   // true: only with a SchemaCapableAdapter
//     template <DatabaseAdapter A>
//     static std::string connection_target(const A&, const tenant&, std::string_view master_location);
//     template <DatabaseConnection C>
//     static tenant_scope enter(C&, const tenant&);  // positions the connection, names the history table
//   };
//
// Both functions throw tenant_migrator::error with a one-line reason; the tenant then fails.
#pragma once

#include <concepts>
#include <string>
#include <string_view>

#include "../tenant.hpp"
#include "database_adapter.hpp"

namespace tenant_migrator {

// What a strategy hands the migrator once a connection points at a tenant.
struct tenant_scope {
  std::string history_table;  // quoted, qualified where needed
  std::string lock_key;       // identifies the tenant's space on its server
};

namespace requirement {

template <class S>
concept isolation_declares_schema_need = requires {
  { S::needs_schemas } -> std::convertible_to<bool>;
};

template <class S, class A>
concept isolation_finds_connection_target =
    requires(const A& adapter, const tenant& t, std::string_view master_location) {
      { S::connection_target(adapter, t, master_location) } -> std::convertible_to<std::string>;
    };

template <class S, class C>
concept isolation_can_enter = requires(C& connection, const tenant& t) {
  { S::enter(connection, t) } -> std::same_as<tenant_scope>;
};

}  // namespace requirement

// S can place the tenants of a migrator whose adapter is A.
template <class S, class A>
concept IsolationStrategy = DatabaseAdapter<A> && requirement::isolation_declares_schema_need<S> &&
                            requirement::isolation_finds_connection_target<S, A> &&
                            requirement::isolation_can_enter<S, typename A::connection_type> &&
                            (!S::needs_schemas || SchemaCapableAdapter<A>);

// Spells out, one static_assert per requirement, why S is not an
// IsolationStrategy for the adapter A (itself checked elsewhere).
template <class S, class A>
constexpr bool check_isolation_strategy() {
  static_assert(requirement::isolation_declares_schema_need<S>,
                "IsolationStrategy: missing `static constexpr bool needs_schemas`");
  static_assert(requirement::isolation_finds_connection_target<S, A>,
                "IsolationStrategy: missing `static std::string connection_target(const Adapter&, const tenant&, "
                "std::string_view master_location)`");
  static_assert(requirement::isolation_can_enter<S, typename A::connection_type>,
                "IsolationStrategy: missing `static tenant_scope enter(Connection&, const tenant&)`");
  if constexpr (requirement::isolation_declares_schema_need<S>) {
    static_assert(!S::needs_schemas || SchemaCapableAdapter<A>,
                  "SchemaPerTenant needs a database adapter with schemas (supports_schemas == true, "
                  "use_schema, schema_exists); SQLite has no schemas: use DatabasePerTenant");
  }
  return true;
}

}  // namespace tenant_migrator
