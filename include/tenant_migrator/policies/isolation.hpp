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

// Each tenant has its own database: SQLite file, PostgreSQL database.
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
  static bool reads_history_in_batch(const tenant& t) {
    return t.isolation == isolation_kind::schema && validate_sql_name(t.location).empty();
  }
  template <DatabaseConnection C>
  static std::map<std::string, std::vector<applied_migration>> read_histories(C& connection,
                                                                              const std::vector<const tenant*>& tenants,
                                                                              std::size_t batch_size) {
    std::vector<std::string> schemas;
    for (const auto* t : tenants) schemas.push_back(t->location);
    auto by_schema = read_schema_histories(connection, schemas, batch_size);
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

  // Schema tenants through SchemaPerTenant's fast path; database tenants take the normal one.
  static bool reads_history_in_batch(const tenant& t) { return SchemaPerTenant::reads_history_in_batch(t); }
  template <DatabaseConnection C>
  static std::map<std::string, std::vector<applied_migration>> read_histories(C& connection,
                                                                              const std::vector<const tenant*>& tenants,
                                                                              std::size_t batch_size) {
    return SchemaPerTenant::read_histories(connection, tenants, batch_size);
  }
};

}  // namespace tenant_migrator
