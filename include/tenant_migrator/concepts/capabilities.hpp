// Optional adapter capabilities (docs/concepts/capabilities.md).
//
// Beyond the required DatabaseAdapter members, an adapter may provide more:
// a per-tenant lock, per-migration timeouts, cancellation, schemas, ... Each
// is a tag in `capability::`, and an adapter says which it provides:
//
//   struct MyAdapter {
//     using capabilities = tenant_migrator::capability_list<
//         tenant_migrator::capability::per_tenant_lock,
//         tenant_migrator::capability::transactional_ddl>;
//     ...
//   };
//
// The migrator uses a capability only when it is claimed, and a claim is
// checked: claiming one without its members is a compile error naming the
// missing member (check_capabilities). So a misspelt member cannot silently
// cost a tenant its lock, its timeouts or Ctrl-C cancellation: without the
// claim the feature is off by declaration, with it the spelling is checked.
// An adapter without `capabilities` provides none.
#pragma once

#include <chrono>
#include <concepts>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "../interrupt.hpp"
#include "../model/rows.hpp"
#include "../model/script_statement.hpp"

namespace tenant_migrator {

namespace capability {
// connection.try_lock_tenant(key, wait) -> bool, connection.unlock_tenant(key):
// a session-level lock on one tenant's space, so two runs never migrate one tenant at once.
struct per_tenant_lock {};
// connection.set_local_timeouts(lock_timeout, statement_timeout): limits for the
// migration in the current transaction (0: none).
struct migration_timeouts {};
// connection.interrupter() -> interrupt_handle: cancels the running statement
// from a signal handler (Ctrl-C rolls the migration back at once).
struct cancellation {};
// connection.use_schema(name), connection.schema_exists(name) -> bool:
// tenants can be schemas (SchemaPerTenant).
struct schemas {};
// Adapter `static constexpr std::size_t history_batch_size`: how many tenants'
// history tables one statement may read (each read table holds a lock until
// the transaction ends). Needs `schemas`. Enables the up-to-date fast path.
struct batched_history_reads {};
// connection.read_tables(tables, columns) -> std::vector<std::optional<rows>>:
// reads whole tables (quoted, qualified names) in one round trip without
// planning a query per table (PostgreSQL's COPY ... TO STDOUT), one result
// per table, nothing for one that is absent or not a plain table. With
// batched_history_reads, the fast path reads a batch of schemas' histories
// so, instead of a UNION ALL over every table in the batch.
struct bulk_table_reads {};
// A claim with no members: DDL takes part in transactions, so a failed
// migration leaves nothing behind. Without it the migrator says, on failure,
// that statements before the failing one may be applied.
struct transactional_ddl {};
// connection.reset_session(): forgets session state between tenants when a
// connection is reused (ReuseConnectionPerServer).
struct session_reset {};
// adapter.create_database(location), drop_database(location),
// database_exists(location) -> bool: createtenant / deletetenant of database tenants.
struct database_provisioning {};
// connection.create_schema(name), drop_schema(name): the same for schema tenants.
struct schema_provisioning {};
// adapter.server_of(location) -> std::string: which server a location is on,
// so connection reuse can hold one connection per server, not per database.
struct server_identity {};
// connection.split_script(sql) -> std::vector<script_statement>: the script's
// statements as the server would split them. With it, a `-- transaction: off`
// script, and a script with DDL where DDL is not transactional, runs one
// statement at a time with its progress recorded after each, so a failure
// names its statement and a rerun does not repeat the ones before it.
struct statement_splitting {};
// connection.compiles(sql) -> bool: whether `sql` compiles against the schema
// the connection has already read, without a query (SQLite's
// sqlite3_prepare_v2, where every query is a read transaction and its file
// locks). A yes is trusted; a no may be stale and is checked with a query. The
// migrator asks it whether a tenant's history table exists, so an up-to-date
// tenant costs one read of its history.
struct statement_check {};
// Adapter `static constexpr std::size_t history_batch_size` and
// `std::string database_of(std::string_view location) const` (the database a
// tenant's location names): one connection reads tables of the other
// databases on its server by qualified name (`db`.`table`). Needs
// `server_identity` and `database_provisioning`. Enables the up-to-date fast
// path for database tenants (DatabasePerTenant), one connection per server.
struct cross_database_reads {};
}  // namespace capability

// The capabilities an adapter claims: `using capabilities = capability_list<...>;`
template <class... Capabilities>
struct capability_list {};

namespace detail {
template <class List, class Capability>
struct list_has : std::false_type {};
template <class... Cs, class Capability>
struct list_has<capability_list<Cs...>, Capability> : std::bool_constant<(std::is_same_v<Cs, Capability> || ...)> {};

template <class A>
struct claimed_list {
  using type = capability_list<>;
};
template <class A>
  requires requires { typename A::capabilities; }
struct claimed_list<A> {
  using type = typename A::capabilities;
};
}  // namespace detail

// True when adapter A claims Capability. The claim itself is checked by
// check_capabilities<A>() (TenantMigrator and the shipped policies call it).
template <class A, class Capability>
inline constexpr bool claims = detail::list_has<typename detail::claimed_list<A>::type, Capability>::value;

namespace requirement {

template <class C>
concept connection_locks_tenants = requires(C& connection, const std::string& key, std::chrono::milliseconds wait) {
  { connection.try_lock_tenant(key, wait) } -> std::convertible_to<bool>;
  connection.unlock_tenant(key);
};

template <class C>
concept connection_sets_timeouts = requires(C& connection, std::chrono::milliseconds limit) {
  connection.set_local_timeouts(limit, limit);
};

template <class C>
concept connection_can_be_interrupted = requires(C& connection) {
  { connection.interrupter() } -> std::same_as<interrupt_handle>;
};

template <class C>
concept connection_can_use_schemas = requires(C& connection, std::string_view schema) {
  connection.use_schema(schema);
  { connection.schema_exists(schema) } -> std::convertible_to<bool>;
};

template <class A>
concept adapter_sizes_history_batches = requires {
  { A::history_batch_size } -> std::convertible_to<std::size_t>;
};

template <class C>
concept connection_resets_session = requires(C& connection) { connection.reset_session(); };

template <class A>
concept adapter_provisions_databases = requires(A& adapter, std::string_view location) {
  adapter.create_database(location);
  adapter.drop_database(location);
  { adapter.database_exists(location) } -> std::convertible_to<bool>;
};

template <class C>
concept connection_provisions_schemas = requires(C& connection, std::string_view schema) {
  connection.create_schema(schema);
  connection.drop_schema(schema);
};

template <class A>
concept adapter_names_servers = requires(const A& adapter, std::string_view location) {
  { adapter.server_of(location) } -> std::convertible_to<std::string>;
};

template <class C>
concept connection_splits_scripts = requires(C& connection, std::string_view sql) {
  { connection.split_script(sql) } -> std::same_as<std::vector<script_statement>>;
};

template <class C>
concept connection_compiles_statements = requires(C& connection, std::string_view sql) {
  { connection.compiles(sql) } -> std::convertible_to<bool>;
};

template <class C>
concept connection_reads_tables = requires(C& connection, const std::vector<std::string>& tables,
                                           std::string_view columns) {
  { connection.read_tables(tables, columns) } -> std::same_as<std::vector<std::optional<rows>>>;
};

template <class A>
concept adapter_reads_across_databases =
    adapter_sizes_history_batches<A> && requires(const A& adapter, std::string_view location) {
      { adapter.database_of(location) } -> std::convertible_to<std::string>;
    };

}  // namespace requirement

// Each claimed capability, checked: a static_assert names the missing member.
namespace detail {
template <class A>
constexpr void check_claim(capability::per_tenant_lock) {
  static_assert(requirement::connection_locks_tenants<typename A::connection_type>,
                "capability::per_tenant_lock claimed, but connection_type lacks `bool try_lock_tenant(const "
                "std::string& key, std::chrono::milliseconds wait)` or `void unlock_tenant(const std::string& key)`");
}
template <class A>
constexpr void check_claim(capability::migration_timeouts) {
  static_assert(requirement::connection_sets_timeouts<typename A::connection_type>,
                "capability::migration_timeouts claimed, but connection_type lacks `void "
                "set_local_timeouts(std::chrono::milliseconds lock_timeout, std::chrono::milliseconds "
                "statement_timeout)`");
}
template <class A>
constexpr void check_claim(capability::cancellation) {
  static_assert(requirement::connection_can_be_interrupted<typename A::connection_type>,
                "capability::cancellation claimed, but connection_type lacks `interrupt_handle interrupter()`");
}
template <class A>
constexpr void check_claim(capability::schemas) {
  static_assert(requirement::connection_can_use_schemas<typename A::connection_type>,
                "capability::schemas claimed, but connection_type lacks `void use_schema(std::string_view)` or "
                "`bool schema_exists(std::string_view)`");
}
template <class A>
constexpr void check_claim(capability::batched_history_reads) {
  static_assert(requirement::adapter_sizes_history_batches<A>,
                "capability::batched_history_reads claimed, but the adapter lacks `static constexpr std::size_t "
                "history_batch_size`");
  static_assert(claims<A, capability::schemas>,
                "capability::batched_history_reads claimed without capability::schemas");
}
template <class A>
constexpr void check_claim(capability::bulk_table_reads) {
  static_assert(requirement::connection_reads_tables<typename A::connection_type>,
                "capability::bulk_table_reads claimed, but connection_type lacks `std::vector<std::optional<rows>> "
                "read_tables(const std::vector<std::string>& tables, std::string_view columns)`");
}
template <class A>
constexpr void check_claim(capability::transactional_ddl) {}
template <class A>
constexpr void check_claim(capability::session_reset) {
  static_assert(requirement::connection_resets_session<typename A::connection_type>,
                "capability::session_reset claimed, but connection_type lacks `void reset_session()`");
}
template <class A>
constexpr void check_claim(capability::database_provisioning) {
  static_assert(requirement::adapter_provisions_databases<A>,
                "capability::database_provisioning claimed, but the adapter lacks `create_database(std::string_view)`, "
                "`drop_database(std::string_view)` or `bool database_exists(std::string_view)`");
}
template <class A>
constexpr void check_claim(capability::schema_provisioning) {
  static_assert(requirement::connection_provisions_schemas<typename A::connection_type>,
                "capability::schema_provisioning claimed, but connection_type lacks `create_schema(std::string_view)` "
                "or `drop_schema(std::string_view)`");
}
template <class A>
constexpr void check_claim(capability::server_identity) {
  static_assert(requirement::adapter_names_servers<A>,
                "capability::server_identity claimed, but the adapter lacks `std::string server_of(std::string_view "
                "location) const`");
}
template <class A>
constexpr void check_claim(capability::statement_splitting) {
  static_assert(requirement::connection_splits_scripts<typename A::connection_type>,
                "capability::statement_splitting claimed, but connection_type lacks `std::vector<script_statement> "
                "split_script(std::string_view sql)`");
}
template <class A>
constexpr void check_claim(capability::statement_check) {
  static_assert(requirement::connection_compiles_statements<typename A::connection_type>,
                "capability::statement_check claimed, but connection_type lacks `bool compiles(std::string_view sql)`");
}
template <class A>
constexpr void check_claim(capability::cross_database_reads) {
  static_assert(requirement::adapter_reads_across_databases<A>,
                "capability::cross_database_reads claimed, but the adapter lacks `static constexpr std::size_t "
                "history_batch_size` or `std::string database_of(std::string_view location) const`");
  static_assert(claims<A, capability::server_identity> && claims<A, capability::database_provisioning>,
                "capability::cross_database_reads claimed without capability::server_identity and "
                "capability::database_provisioning");
}
template <class A, class Unknown>
constexpr void check_claim(Unknown) {
  static_assert(sizeof(Unknown) == 0, "capabilities: not a tenant_migrator::capability tag");
}

template <class A, class... Cs>
constexpr bool check_claims(capability_list<Cs...>) {
  (check_claim<A>(Cs{}), ...);
  return true;
}
}  // namespace detail

// Checks every capability A claims (needs A::connection_type).
template <class A>
constexpr bool check_capabilities() {
  return detail::check_claims<A>(typename detail::claimed_list<A>::type{});
}

}  // namespace tenant_migrator
