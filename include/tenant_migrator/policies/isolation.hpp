// The IsolationStrategy models we ship: where a tenant's data lives and how a
// connection is pointed at it. The concept, and what a strategy of your own
// provides, is in concepts/isolation_strategy.hpp (docs/concepts/isolation-strategy.md).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "../concepts/database_adapter.hpp"
#include "../concepts/isolation_strategy.hpp"
#include "../errors.hpp"
#include "../history_store.hpp"
#include "../model/tenant.hpp"

namespace tenant_migrator {

// Each tenant has its own database: SQLite file, PostgreSQL or MariaDB database.
struct DatabasePerTenant {
  static constexpr bool needs_schemas = false;

  template <DatabaseAdapter A>
  static std::string connection_target(const A& adapter, const tenant& t, std::string_view master_location) {
    if (t.isolation != isolation_kind::database)
      throw error("tenant '" + t.id + "' uses schema isolation, but this migrator is DatabasePerTenant");
    if (t.location.empty()) throw error("tenant '" + t.id + "' has no location");
    return adapter.tenant_database_location(master_location, t.location);
  }

  template <DatabaseConnection C>
  static tenant_scope enter(C& connection, const tenant& t) {
    return {connection.quote_identifier(history_table_name), "database:" + t.location};
  }

  // The fast path, on adapters whose connections read other databases' tables
  // (capability::cross_database_reads): every database tenant's history is
  // `database`.`tenant_migrator_history`, the table enter() names once
  // connected to that database, so one connection per server reads them all.
  template <DatabaseAdapter A>
  static bool reads_history_in_batch(const A&, const tenant& t) {
    return claims<A, capability::cross_database_reads> && t.isolation == isolation_kind::database;
  }
  template <DatabaseAdapter A>
    requires claims<A, capability::cross_database_reads>
  static std::map<std::string, std::vector<applied_migration>> read_histories(
      const A& adapter, typename A::connection_type& connection, const std::vector<const tenant*>& tenants,
      std::size_t batch_size) {
    std::map<std::string, std::vector<const tenant*>> by_database;
    for (const auto* t : tenants) by_database[std::string(adapter.database_of(t->location))].push_back(t);
    std::vector<std::string> databases;
    for (const auto& entry : by_database) databases.push_back(entry.first);
    std::map<std::string, std::vector<applied_migration>> by_tenant;
    for (auto& [database, history] : read_database_histories(connection, databases, batch_size))
      for (const auto* t : by_database[database]) by_tenant[t->id] = history;
    return by_tenant;
  }
};

// Each tenant has its own schema on the master's server (PostgreSQL).
struct SchemaPerTenant {
  static constexpr bool needs_schemas = true;

  template <DatabaseAdapter A>
  static std::string connection_target(const A&, const tenant& t, std::string_view master_location) {
    if (t.isolation != isolation_kind::schema)
      throw error("tenant '" + t.id + "' uses database isolation, but this migrator is SchemaPerTenant");
    if (auto why = validate_sql_name(t.location); !why.empty())
      throw error("tenant '" + t.id + "': " + why);
    return std::string(master_location);
  }

  template <DatabaseConnection C>
  static tenant_scope enter(C& connection, const tenant& t) {
    if constexpr (requirement::connection_can_use_schemas<C>) {
      if (!connection.schema_exists(t.location))
        throw error("schema '" + t.location + "' of tenant '" + t.id + "' does not exist");
      connection.use_schema(t.location);
      return {history_table_in(connection, t.location), "schema:" + t.location};
    } else {
      throw error("tenant '" + t.id + "' uses schema isolation, which this database has no support for");
    }
  }

  // The fast path: every schema tenant's history is in its schema, in the
  // table enter() names, so many can be read over one connection.
  // (capability::batched_history_reads).
  template <DatabaseAdapter A>
  static bool reads_history_in_batch(const A&, const tenant& t) {
    return claims<A, capability::batched_history_reads> && t.isolation == isolation_kind::schema &&
           validate_sql_name(t.location).empty();
  }
  template <DatabaseAdapter A>
    requires claims<A, capability::batched_history_reads>
  static std::map<std::string, std::vector<applied_migration>> read_histories(
      const A&, typename A::connection_type& connection, const std::vector<const tenant*>& tenants,
      std::size_t batch_size) {
    std::vector<std::string> schemas;
    for (const auto* t : tenants) schemas.push_back(t->location);
    auto by_schema = read_schema_histories(connection, schemas, batch_size,
                                           claims<A, capability::bulk_table_reads>
                                               ? schema_history_reads::bulk
                                               : schema_history_reads::union_all);
    std::map<std::string, std::vector<applied_migration>> by_tenant;
    for (const auto* t : tenants)
      if (auto it = by_schema.find(t->location); it != by_schema.end()) by_tenant[t->id] = it->second;
    return by_tenant;
  }
};

// Uses the isolation recorded on each tenant row, so one run serves both
// kinds. Schema tenants on an adapter without schemas fail with a clear message.
struct PerTenantIsolation {
  static constexpr bool needs_schemas = false;

  template <DatabaseAdapter A>
  static std::string connection_target(const A& adapter, const tenant& t, std::string_view master_location) {
    if (t.isolation == isolation_kind::schema) {
      if constexpr (!claims<A, capability::schemas>)
        throw error("tenant '" + t.id + "' uses schema isolation, which this database has no support for");
      return SchemaPerTenant::connection_target(adapter, t, master_location);
    }
    return DatabasePerTenant::connection_target(adapter, t, master_location);
  }

  template <DatabaseConnection C>
  static tenant_scope enter(C& connection, const tenant& t) {
    return t.isolation == isolation_kind::schema ? SchemaPerTenant::enter(connection, t)
                                                 : DatabasePerTenant::enter(connection, t);
  }

  // Each kind through its own strategy's fast path, where the adapter has it.
  // The fast path groups tenants by kind, so `tenants` are all of one kind.
  template <DatabaseAdapter A>
  static bool reads_history_in_batch(const A& adapter, const tenant& t) {
    return SchemaPerTenant::reads_history_in_batch(adapter, t) || DatabasePerTenant::reads_history_in_batch(adapter, t);
  }
  template <DatabaseAdapter A>
    requires(claims<A, capability::batched_history_reads> || claims<A, capability::cross_database_reads>)
  static std::map<std::string, std::vector<applied_migration>> read_histories(
      const A& adapter, typename A::connection_type& connection, const std::vector<const tenant*>& tenants,
      std::size_t batch_size) {
    std::vector<const tenant*> schemas, databases;
    for (const auto* t : tenants) (t->isolation == isolation_kind::schema ? schemas : databases).push_back(t);
    std::map<std::string, std::vector<applied_migration>> out;
    if constexpr (claims<A, capability::batched_history_reads>)
      if (!schemas.empty()) out = SchemaPerTenant::read_histories(adapter, connection, schemas, batch_size);
    if constexpr (claims<A, capability::cross_database_reads>)
      if (!databases.empty()) out.merge(DatabasePerTenant::read_histories(adapter, connection, databases, batch_size));
    return out;
  }
};

}  // namespace tenant_migrator
