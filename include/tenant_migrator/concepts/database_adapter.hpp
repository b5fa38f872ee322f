// The DatabaseAdapter concept: what TenantMigrator needs from the code that
// talks to a database. The core is written against this interface only and
// never includes a database client header; adapters/sqlite.hpp and
// adapters/postgresql.hpp are the models we ship.
//
// Minimal complete definition (see docs/concepts/database-adapter.md):
//
//   struct MyAdapter {
//     using connection_type = MyConnection;
//     static constexpr bool supports_schemas = false;
//     static constexpr bool supports_transactional_ddl = true;
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
// gets a compiler message naming exactly that requirement.
#pragma once

#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tenant_migrator {

// One result row: a value per column, nullopt for SQL NULL.
using row = std::vector<std::optional<std::string>>;
using rows = std::vector<row>;

namespace requirement {

template <class A>
concept adapter_has_connection_type = requires { typename A::connection_type; };

template <class A>
concept adapter_can_connect = requires(A& adapter, std::string_view location) {
  { adapter.connect(location) } -> std::same_as<typename A::connection_type>;
};

template <class A>
concept adapter_declares_capabilities = requires {
  { A::supports_schemas } -> std::convertible_to<bool>;
  { A::supports_transactional_ddl } -> std::convertible_to<bool>;
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

// Only for adapters with supports_schemas: make `schema` the only schema that
// unqualified names resolve to, and say whether a schema exists.
template <class C>
concept connection_can_use_schemas = requires(C& connection, std::string_view schema) {
  connection.use_schema(schema);
  { connection.schema_exists(schema) } -> std::convertible_to<bool>;
};

}  // namespace requirement

template <class C>
concept DatabaseConnection = requirement::connection_can_execute_script<C> &&
                             requirement::connection_can_query<C> &&
                             requirement::connection_has_transactions<C> &&
                             requirement::connection_can_quote_identifiers<C>;

template <class A>
concept DatabaseAdapter = requirement::adapter_has_connection_type<A> && requirement::adapter_can_connect<A> &&
                          requirement::adapter_declares_capabilities<A> &&
                          requirement::adapter_locates_tenant_databases<A> &&
                          DatabaseConnection<typename A::connection_type>;

// An adapter whose database has schemas (PostgreSQL), usable with SchemaPerTenant.
template <class A>
concept SchemaCapableAdapter = DatabaseAdapter<A> && A::supports_schemas &&
                               requirement::connection_can_use_schemas<typename A::connection_type>;

// Optional capabilities, detected where used:
//  - adapter.create_database(location) / drop_database(location) / database_exists(location)
//  - connection.create_schema(name) / drop_schema(name)
//  - connection.try_lock_tenant(key, wait) -> bool / unlock_tenant(key): a per-tenant lock
//  - connection.reset_session(): called between tenants by connection reuse
template <class A>
concept ProvisioningAdapter = DatabaseAdapter<A> && requires(A& adapter, std::string_view location) {
  adapter.create_database(location);
  adapter.drop_database(location);
  { adapter.database_exists(location) } -> std::convertible_to<bool>;
};

// Spells out, one static_assert per requirement, why A is not a DatabaseAdapter.
// Call it where a clearer message than the concept's helps.
template <class A>
constexpr bool check_database_adapter() {
  static_assert(requirement::adapter_has_connection_type<A>,
                "DatabaseAdapter: missing member type `connection_type`");
  static_assert(requirement::adapter_can_connect<A>,
                "DatabaseAdapter: missing `connection_type connect(std::string_view location)`");
  static_assert(requirement::adapter_declares_capabilities<A>,
                "DatabaseAdapter: missing `static constexpr bool supports_schemas` / `supports_transactional_ddl`");
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
  }
  return true;
}

}  // namespace tenant_migrator
