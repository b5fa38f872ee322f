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
//
// Optional, for the up-to-date fast path (BatchHistoryReader): read many
// tenants' histories on one connection, when the adapter can (SchemaPerTenant:
// capability::batched_history_reads; DatabasePerTenant:
// capability::cross_database_reads). The strategy decides which tenants can be
// read that way and from which table; a strategy without it takes the normal
// path (a connection per tenant), so it can never report a tenant up to date
// from a table that enter() would not use. The fast path hands read_histories
// tenants of one isolation kind and one server (adapter.server_of, when the
// adapter claims capability::server_identity), on a connection to the first
// one's connection_target:
//
//     template <DatabaseAdapter A>
//     static bool reads_history_in_batch(const A&, const tenant&);
//     template <DatabaseAdapter A>
//     static std::map<std::string, std::vector<applied_migration>>    // by tenant id
//     read_histories(const A&, typename A::connection_type&, const std::vector<const tenant*>&,
//                    std::size_t batch_size);
#pragma once

#include <concepts>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "../model/history_record.hpp"
#include "../model/tenant.hpp"
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

template <class S, class A>
concept isolation_reads_histories_in_batch =
    requires(const A& adapter, typename A::connection_type& connection, const tenant& t,
             const std::vector<const tenant*>& tenants, std::size_t batch_size) {
      { S::reads_history_in_batch(adapter, t) } -> std::convertible_to<bool>;
      {
        S::read_histories(adapter, connection, tenants, batch_size)
      } -> std::same_as<std::map<std::string, std::vector<applied_migration>>>;
    };

}  // namespace requirement

// S can place the tenants of a migrator whose adapter is A.
template <class S, class A>
concept IsolationStrategy = DatabaseAdapter<A> && requirement::isolation_declares_schema_need<S> &&
                            requirement::isolation_finds_connection_target<S, A> &&
                            requirement::isolation_can_enter<S, typename A::connection_type> &&
                            (!S::needs_schemas || SchemaCapableAdapter<A>);

// S reads many tenants' histories on one connection of adapter A (the fast
// path). `A::history_batch_size` tables per statement.
template <class S, class A>
concept BatchHistoryReader = IsolationStrategy<S, A> &&
                             (claims<A, capability::batched_history_reads> ||
                              claims<A, capability::cross_database_reads>) &&
                             requirement::isolation_reads_histories_in_batch<S, A>;

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
                  "SchemaPerTenant needs a database adapter with schemas (capability::schemas: "
                  "use_schema, schema_exists); SQLite has no schemas: use DatabasePerTenant");
  }
  return true;
}

}  // namespace tenant_migrator
