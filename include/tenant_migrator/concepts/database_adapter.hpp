// The DatabaseAdapter concept: what TenantMigrator needs from the code that
// talks to a database. The core is written against this interface only and
// never includes a database client header; adapters/sqlite.hpp and
// adapters/postgresql.hpp are the models we ship.
//
// Minimal complete definition (see docs/concepts/database-adapter.md):
//
//   struct MyAdapter {
//     using connection_type = MyConnection;
//     using capabilities = capability_list<capability::transactional_ddl>;  // optional: concepts/capabilities.hpp
//     connection_type connect(std::string_view location);          // throws database_error
//     std::string tenant_database_location(std::string_view master_location,
//                                          std::string_view tenant_location) const;
//   };
//   struct MyConnection {
//     void execute_script(std::string_view sql);                    // several statements
//     rows query(std::string_view sql, const std::vector<std::string>& params);  // $1, $2, ...
//     void begin(); void commit(); void rollback();
//     std::string quote_identifier(std::string_view name) const;
//   };
//
// Each requirement is its own named concept so that a type lacking one member
// gets a compiler message naming exactly that requirement. Optional members
// (locks, timeouts, cancellation, schemas, ...) are capabilities an adapter
// claims: concepts/capabilities.hpp.
#pragma once

#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../model/rows.hpp"
#include "capabilities.hpp"

namespace tenant_migrator {

namespace requirement {

template <class A>
concept adapter_has_connection_type = requires { typename A::connection_type; };

template <class A>
concept adapter_can_connect = requires(A& adapter, std::string_view location) {
  { adapter.connect(location) } -> std::same_as<typename A::connection_type>;
};

template <class A>
concept adapter_locates_tenant_databases =
    requires(const A& adapter, std::string_view master_location, std::string_view tenant_location) {
      { adapter.tenant_database_location(master_location, tenant_location) } -> std::convertible_to<std::string>;
    };

template <class C>
concept connection_can_execute_script = requires(C& connection, std::string_view sql) {
  connection.execute_script(sql);
};

template <class C>
concept connection_can_query =
    requires(C& connection, std::string_view sql, const std::vector<std::string>& params) {
      { connection.query(sql, params) } -> std::same_as<rows>;
    };

template <class C>
concept connection_has_transactions = requires(C& connection) {
  connection.begin();
  connection.commit();
  connection.rollback();
};

template <class C>
concept connection_can_quote_identifiers = requires(const C& connection, std::string_view name) {
  { connection.quote_identifier(name) } -> std::convertible_to<std::string>;
};

}  // namespace requirement

template <class C>
concept DatabaseConnection = requirement::connection_can_execute_script<C> &&
                             requirement::connection_can_query<C> &&
                             requirement::connection_has_transactions<C> &&
                             requirement::connection_can_quote_identifiers<C>;

template <class A>
concept DatabaseAdapter = requirement::adapter_has_connection_type<A> && requirement::adapter_can_connect<A> &&
                          requirement::adapter_locates_tenant_databases<A> &&
                          DatabaseConnection<typename A::connection_type>;

// An adapter whose database has schemas (PostgreSQL), usable with SchemaPerTenant.
template <class A>
concept SchemaCapableAdapter = DatabaseAdapter<A> && claims<A, capability::schemas> &&
                               requirement::connection_can_use_schemas<typename A::connection_type>;

// An adapter that can create and drop tenant databases (createtenant, deletetenant).
template <class A>
concept ProvisioningAdapter = DatabaseAdapter<A> && claims<A, capability::database_provisioning> &&
                              requirement::adapter_provisions_databases<A>;

// Spells out, one static_assert per requirement, why A is not a DatabaseAdapter.
// Call it where a clearer message than the concept's helps.
template <class A>
constexpr bool check_database_adapter() {
  static_assert(requirement::adapter_has_connection_type<A>,
                "DatabaseAdapter: missing member type `connection_type`");
  static_assert(requirement::adapter_can_connect<A>,
                "DatabaseAdapter: missing `connection_type connect(std::string_view location)`");
  static_assert(requirement::adapter_locates_tenant_databases<A>,
                "DatabaseAdapter: missing `std::string tenant_database_location(std::string_view master, "
                "std::string_view tenant) const`");
  if constexpr (requirement::adapter_has_connection_type<A>) {
    using C = typename A::connection_type;
    static_assert(requirement::connection_can_execute_script<C>,
                  "DatabaseAdapter: connection_type lacks `void execute_script(std::string_view sql)`");
    static_assert(requirement::connection_can_query<C>,
                  "DatabaseAdapter: connection_type lacks `rows query(std::string_view sql, const "
                  "std::vector<std::string>& params)`");
    static_assert(requirement::connection_has_transactions<C>,
                  "DatabaseAdapter: connection_type lacks `begin()`, `commit()` or `rollback()`");
    static_assert(requirement::connection_can_quote_identifiers<C>,
                  "DatabaseAdapter: connection_type lacks `std::string quote_identifier(std::string_view) const`");
    check_capabilities<A>();
  }
  return true;
}

}  // namespace tenant_migrator
