// Creating and dropping tenant schemas and databases: the statements, and
// which database of a server to run CREATE/DROP DATABASE from (never the one
// being created or dropped). PostgresqlConnection and PostgresqlAdapter run them.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "../../detail/sql_identifier.hpp"
#include "../../errors.hpp"
#include "../../model/tenant.hpp"
#include "conninfo.hpp"

namespace tenant_migrator::detail::pg {

// Refuses names validate_sql_name refuses (public, pg_*, anything odd): a
// tenant's name must never reach a shared or system object.
inline void check_name(std::string_view name, std::string_view what) {
  if (auto why = validate_sql_name(name, what); !why.empty()) throw error(why);
}

inline std::string create_schema_statement(std::string_view schema) {
  check_name(schema, "schema name");
  return "CREATE SCHEMA " + quote_sql_identifier(schema);
}
inline std::string drop_schema_statement(std::string_view schema) {
  check_name(schema, "schema name");
  return "DROP SCHEMA IF EXISTS " + quote_sql_identifier(schema) + " CASCADE";
}
inline constexpr const char* schema_exists_query = "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1";

inline std::string create_database_statement(std::string_view database) {
  check_name(database, "database name");
  return "CREATE DATABASE " + quote_sql_identifier(database);
}
// WITH (FORCE): whoever is still connected to it is disconnected.
inline std::string drop_database_statement(std::string_view database) {
  check_name(database, "database name");
  return "DROP DATABASE IF EXISTS " + quote_sql_identifier(database) + " WITH (FORCE)";
}
inline constexpr const char* database_exists_query = "SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1";

// The databases to try, in order, for running statements about database
// `name` on the server of a connection string: the maintenance connection's
// database (when it has one), then `postgres`, then `template1`; never `name`.
inline std::vector<std::string> maintenance_databases(std::string_view maintenance_location, std::string_view name) {
  std::vector<std::string> candidates;
  for (std::string db : {maintenance_location.empty() ? std::string() : dbname_of(maintenance_location),
                         std::string("postgres"), std::string("template1")})
    if (!db.empty() && db != name && std::find(candidates.begin(), candidates.end(), db) == candidates.end())
      candidates.push_back(db);
  return candidates;
}

}  // namespace tenant_migrator::detail::pg
