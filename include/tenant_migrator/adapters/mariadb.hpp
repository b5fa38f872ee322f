// MariadbAdapter: MariaDB (and MySQL) through MariaDB Connector/C. Database-
// per-tenant only: a MySQL "schema" is a database (docs/mariadb.md). Link
// tenant_migrator::mariadb (CMake; pkg-config libmariadb, Debian libmariadb-dev).
//
// Locations: mariadb://user:password@host:port/database?socket=PATH (or
// mysql://...), see adapters/mariadb/location.hpp. A database tenant's
// location is a database name on the master's server or a location of its
// own. No message ever shows a password (shown_location).
//
// DDL is not transactional on MariaDB: every CREATE / ALTER / DROP commits
// the open transaction and itself. So the adapter does not claim
// capability::transactional_ddl but capability::statement_splitting: the
// migrator runs a script with DDL one statement at a time and records its
// progress after each, so a failure names its statement and a rerun goes on
// from there (docs/mariadb.md).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "../concepts/database_adapter.hpp"
#include "../errors.hpp"
#include "../model/tenant.hpp"
#include "mariadb/connection.hpp"
#include "mariadb/location.hpp"
#include "mariadb/script.hpp"

namespace tenant_migrator {

class MariadbAdapter {
 public:
  using connection_type = MariadbConnection;
  using capabilities =
      capability_list<capability::per_tenant_lock, capability::migration_timeouts, capability::cancellation,
                      capability::session_reset, capability::database_provisioning, capability::server_identity,
                      capability::statement_splitting, capability::cross_database_reads>;

  // capability::cross_database_reads: history tables read per UNION ALL
  // statement by the fast path (each one an open table on the server).
  static constexpr std::size_t history_batch_size = 100;

  // `maintenance_location`: the server create_database, drop_database and
  // database_exists use for a bare database name (the master's location).
  explicit MariadbAdapter(std::string maintenance_location = {}) : maintenance_(std::move(maintenance_location)) {}

  // `location` with its password masked, on one line: for every message.
  static std::string shown_location(std::string_view location) { return mariadb_shown_location(location); }

  MariadbConnection connect(std::string_view location) const {
    auto where = parse_mariadb_location(location);
    std::string shown = shown_location(location);
    auto session = detail::mariadb::open_session(where, shown);
    return MariadbConnection(std::move(session), std::move(where), std::move(shown));
  }

  // A database tenant's location: its own when it is one (mariadb:// or
  // mysql://), else the master's with the database replaced by it (which
  // must pass validate_sql_name and not be a system database).
  std::string tenant_database_location(std::string_view master_location, std::string_view tenant_location) const {
    if (detail::mariadb::has_scheme(tenant_location)) {
      parse_mariadb_location(tenant_location);  // refuse a malformed one now, not at connect time
      return std::string(tenant_location);
    }
    check_database_name(tenant_location);
    auto master = parse_mariadb_location(master_location);
    return std::string(master_location.substr(0, master.path_begin)) + "/" + std::string(tenant_location) +
           std::string(master_location.substr(master.path_end));
  }

  // Which server a location is on: user, host, port and socket, no database,
  // no password. Two databases of one server give the same string.
  std::string server_of(std::string_view location) const {
    auto where = parse_mariadb_location(location);
    std::string out = "mariadb://" + where.user + "@" + (where.host.empty() ? "localhost" : where.host) + ":" +
                      std::to_string(where.port ? where.port : 3306);
    if (!where.socket.empty()) out += "?socket=" + where.socket;
    return out;
  }

  // The database a tenant's location names: the location itself when it is a
  // bare name, else its database part (capability::cross_database_reads).
  std::string database_of(std::string_view location) const {
    std::string name = detail::mariadb::has_scheme(location) ? parse_mariadb_location(location).database
                                                             : std::string(location);
    check_database_name(name);
    return name;
  }

  // Provisioning (ProvisioningAdapter). `location`: a database name on the
  // maintenance server, or a location (tenant_database_location's result)
  // whose database is such a name; the statement runs on that server.
  // Databases are made utf8mb4 with the binary collation, so that names in
  // the history table ("0001_Init" and "0001_init") compare as they do on
  // SQLite and PostgreSQL, not case-insensitively.
  void create_database(std::string_view location) {
    std::string name;
    auto c = connect_to_server_of(location, name);
    c.execute_script("CREATE DATABASE " + c.quote_identifier(name) + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
  }
  void drop_database(std::string_view location) {
    std::string name;
    auto c = connect_to_server_of(location, name);
    c.execute_script("DROP DATABASE IF EXISTS " + c.quote_identifier(name));
  }
  bool database_exists(std::string_view location) {
    std::string name;
    auto c = connect_to_server_of(location, name);
    return !c.query("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = $1", {name}).empty();
  }

 private:
  static void check_database_name(std::string_view name) {
    if (auto why = validate_sql_name(name, "database name"); !why.empty()) throw error(why);
    if (name == "mysql" || name == "performance_schema" || name == "sys")
      throw error("database name '" + std::string(name) + "' is reserved");
  }

  // A session on the server `location` is on, with no default database; `name` gets the database's name.
  MariadbConnection connect_to_server_of(std::string_view location, std::string& name) const {
    std::string_view server = location;
    if (detail::mariadb::has_scheme(location)) {
      name = parse_mariadb_location(location).database;
    } else {
      name = std::string(location);
      server = maintenance_;
      if (maintenance_.empty()) throw error("no MariaDB server for database '" + name + "': give the adapter one");
    }
    check_database_name(name);
    auto where = parse_mariadb_location(server);
    where.database.clear();
    std::string shown = shown_location(server);
    auto session = detail::mariadb::open_session(where, shown);
    return MariadbConnection(std::move(session), std::move(where), std::move(shown));
  }

  std::string maintenance_;
};

static_assert(DatabaseAdapter<MariadbAdapter>);
static_assert(check_capabilities<MariadbAdapter>());
static_assert(ProvisioningAdapter<MariadbAdapter>);
static_assert(!SchemaCapableAdapter<MariadbAdapter>);

}  // namespace tenant_migrator
