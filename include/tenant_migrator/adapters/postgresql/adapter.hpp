// PostgresqlAdapter: opens PostgresqlConnections, turns tenant database names
// into connection strings, provisions tenant databases, and shows locations
// without their secrets.
#pragma once

#include <libpq-fe.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../../errors.hpp"
#include "conninfo.hpp"
#include "connection.hpp"
#include "provisioning.hpp"

namespace tenant_migrator {

class PostgresqlAdapter {
 public:
  using connection_type = PostgresqlConnection;
  using capabilities =
      capability_list<capability::transactional_ddl, capability::schemas, capability::batched_history_reads,
                      capability::bulk_table_reads, capability::per_tenant_lock,
                      capability::migration_timeouts, capability::cancellation, capability::session_reset,
                      capability::database_provisioning, capability::schema_provisioning,
                      capability::server_identity, capability::statement_splitting>;
  // Tenants' history tables read per statement by the fast path: each read
  // table holds a lock until the transaction ends, and max_locks_per_transaction
  // (64 by default, shared) would run out for a few thousand.
  static constexpr std::size_t history_batch_size = 500;

  // `maintenance_location`: the connection string create_database,
  // drop_database and database_exists connect to (the master's). Empty: libpq's
  // defaults (PGHOST, PGDATABASE, ...).
  explicit PostgresqlAdapter(std::string maintenance_location = {}, postgresql_options options = {})
      : maintenance_(std::move(maintenance_location)), options_(std::move(options)) {
    (void)detail::pg::shared_search_path(options_);  // a bad shared schema name: refused here, before any connection
  }

  const postgresql_options& options() const noexcept { return options_; }

  // A location (connection string) as messages and listings may show it:
  // rebuilt from libpq's own reading (PQconninfoParse) as key=value pairs
  // with every secret field (password, sslpassword: those libpq marks
  // secret) shown as ****; "<unparseable connection string>" when libpq
  // cannot read it. A bare database name is shown as it is.
  static std::string shown_location(std::string_view location) {
    if (!detail::pg::looks_like_conninfo(location)) return detail::pg::one_line(location);
    return detail::pg::shown_conninfo(location);
  }

  // `message` (a libpq or server message, or one that quotes `location`) on
  // one line, with `location` and the secrets libpq reads in it masked.
  static std::string scrub_message(std::string_view message, std::string_view location) {
    return detail::pg::scrub_message(message, location);
  }

  // Which server a location is on (its host, hostaddr, port, user and
  // service, as libpq reads them; not its dbname). ReuseConnectionPerServer
  // keeps at most one connection per distinct value.
  std::string server_of(std::string_view location) const {
    return detail::pg::server_of(detail::pg::looks_like_conninfo(location) ? location : std::string_view(maintenance_));
  }

  // `location`: a libpq URI or key=value string. Fields it leaves out come
  // from libpq's environment variables (PGPASSWORD, ...) and ~/.pgpass.
  PostgresqlConnection connect(std::string_view location) const {
    std::string conninfo(location);
    // Earlier entries may be overridden by the connection string itself.
    const char* keywords[] = {"client_encoding", "fallback_application_name", "dbname", nullptr};
    const char* values[] = {"UTF8", "tenant_migrator", conninfo.c_str(), nullptr};
    PGconn* raw = PQconnectdbParams(keywords, values, 1);
    if (!raw) throw database_error("cannot connect to '" + shown_location(location) + "': out of memory");
    PostgresqlConnection connection(raw, options_, conninfo);
    if (PQstatus(raw) != CONNECTION_OK)
      throw database_error("cannot connect to '" + shown_location(location) +
                           "': " + scrub_message(PQerrorMessage(raw), location));
    connection.quiet();
    return connection;
  }

  // A database tenant's connection string: its location when that is one
  // (contains "://" or "="), else the master's with dbname = the location,
  // which must pass validate_sql_name.
  std::string tenant_database_location(std::string_view master_location, std::string_view tenant_location) const {
    if (detail::pg::looks_like_conninfo(tenant_location)) return std::string(tenant_location);
    detail::pg::check_name(tenant_location, "database name");
    return detail::pg::with_dbname(master_location, tenant_location);
  }

  // Provisioning (ProvisioningAdapter). `location`: a database name on the
  // maintenance server (validate_sql_name rules), or a connection string
  // (tenant_database_location's result) whose dbname is such a name: the
  // statement then runs on that server, from the maintenance connection's
  // database, else `postgres`, else `template1`.
  void create_database(std::string_view location) {
    std::string name = database_name(location);
    auto statement = detail::pg::create_database_statement(name);
    connect_to_server_of(location, name).execute_script(statement);
  }
  // Disconnects whoever is connected to it (WITH (FORCE)).
  void drop_database(std::string_view location) {
    std::string name = database_name(location);
    auto statement = detail::pg::drop_database_statement(name);
    connect_to_server_of(location, name).execute_script(statement);
  }
  bool database_exists(std::string_view location) {
    std::string name = database_name(location);
    return !connect_to_server_of(location, name).query(detail::pg::database_exists_query, {name}).empty();
  }

 private:
  static std::string database_name(std::string_view location) {
    return detail::pg::looks_like_conninfo(location) ? detail::pg::dbname_of(location) : std::string(location);
  }

  // A connection to the server `location` is on, not to database `name`.
  PostgresqlConnection connect_to_server_of(std::string_view location, const std::string& name) {
    if (!detail::pg::looks_like_conninfo(location)) return connect(maintenance_);
    std::optional<database_error> first_failure;
    for (const auto& db : detail::pg::maintenance_databases(maintenance_, name)) {
      try {
        return connect(detail::pg::with_dbname(location, db));
      } catch (const database_error& e) {
        if (!first_failure) first_failure = e;
      }
    }
    throw *first_failure;
  }

  std::string maintenance_;
  postgresql_options options_;
};

}  // namespace tenant_migrator
