// PostgresqlAdapter: PostgreSQL through libpq. Schema-per-tenant and
// database-per-tenant (docs/postgresql.md). Link PostgreSQL::PostgreSQL
// (CMake target tenant_migrator::postgresql).
//
// Locations are libpq connection strings, a URI (postgresql://user@host:5432/db)
// or key=value pairs (host=... dbname=...). A database tenant's location is a
// database name on the master's server or a connection string of its own.
// No message ever shows a password (redact_connection_string).
#pragma once

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "../concepts/database_adapter.hpp"
#include "../connection_string.hpp"
#include "../errors.hpp"
#include "../interrupt.hpp"
#include "../detail/sql_identifier.hpp"
#include "../model/tenant.hpp"

namespace tenant_migrator {

// Options of PostgresqlAdapter.
struct postgresql_options {
  // use_schema() sets `search_path TO <tenant>, public` instead of `<tenant>`:
  // a tenant's migrations then see shared objects (extensions, types) in
  // public. Unqualified CREATEs still go to the tenant's schema. Off: a
  // tenant's migrations see nothing but its own schema (and pg_catalog).
  bool include_public_in_search_path = false;
};

namespace detail::pg {

using result_ptr = std::unique_ptr<PGresult, void (*)(PGresult*)>;
inline result_ptr own(PGresult* r) noexcept { return result_ptr(r, &PQclear); }

inline void ignore_notice(void*, const char*) {}

// libpq's messages end in a newline and may span lines: one line, parts joined by "; ".
inline std::string one_line(std::string_view s) {
  std::string out;
  bool pending_break = false;
  for (char c : s) {
    if (c == '\n' || c == '\r') {
      pending_break = !out.empty();
    } else if (pending_break && (c == ' ' || c == '\t')) {
      continue;
    } else {
      if (pending_break) out += "; ";
      pending_break = false;
      out += c;
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  return out;
}

// A libpq message about `location`, which may quote (part of) it: without passwords.
inline std::string redact_message(std::string message, std::string_view location) {
  message = one_line(message);
  if (!location.empty()) {
    std::string redacted = redact_connection_string(location);
    for (std::size_t at = message.find(location); at != std::string::npos;
         at = message.find(location, at + redacted.size()))
      message.replace(at, location.size(), redacted);
  }
  return redact_connection_string(message);
}

inline bool looks_like_conninfo(std::string_view location) {
  return location.find("://") != std::string_view::npos || location.find('=') != std::string_view::npos;
}

// `value` as a key=value conninfo value: quoted, with ' and \ escaped.
inline std::string conninfo_value(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// The fields `conninfo` (URI or key=value) sets, in libpq's order.
inline std::vector<std::pair<std::string, std::string>> conninfo_fields(std::string_view conninfo) {
  std::string text(conninfo);
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(text.c_str(), &err);
  if (!options) {
    std::string why = err ? err : "out of memory";
    if (err) PQfreemem(err);
    throw error("bad PostgreSQL connection string '" + shown_connection_string(conninfo) +
                "': " + redact_message(why, conninfo));
  }
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> guard(options, &PQconninfoFree);
  std::vector<std::pair<std::string, std::string>> out;
  for (PQconninfoOption* o = options; o->keyword; ++o)
    if (o->val) out.emplace_back(o->keyword, o->val);
  return out;
}

// The dbname `conninfo` names, or empty.
inline std::string dbname_of(std::string_view conninfo) {
  for (auto& [key, value] : conninfo_fields(conninfo))
    if (key == "dbname") return value;
  return {};
}

// `conninfo` (URI or key=value) as key=value pairs with dbname replaced by `dbname`.
inline std::string with_dbname(std::string_view conninfo, std::string_view dbname) {
  std::string out;
  for (auto& [key, value] : conninfo_fields(conninfo)) {
    if (key == "dbname") continue;
    out += key + "=" + conninfo_value(value) + " ";
  }
  return out + "dbname=" + conninfo_value(dbname);
}

inline bool identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Byte offsets of the first token of each statement of `sql`, as the server
// splits it (empty statements are skipped). Knows comments (nested /* */),
// '...', E'...', "...", $tag$...$tag$ and BEGIN ATOMIC ... END bodies. Only
// used to name the line of a failing statement the server gives no position for.
inline std::vector<std::size_t> statement_starts(std::string_view sql) {
  std::vector<std::size_t> starts;
  const std::size_t n = sql.size();
  std::size_t i = 0;
  bool in_statement = false;
  int atomic_depth = 0;
  std::string previous_word;
  auto at = [&](std::size_t k) { return k < n ? sql[k] : '\0'; };
  while (i < n) {
    char c = sql[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
      continue;
    }
    if (c == '-' && at(i + 1) == '-') {
      while (i < n && sql[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && at(i + 1) == '*') {
      int depth = 0;
      while (i < n) {
        if (sql[i] == '/' && at(i + 1) == '*') {
          ++depth;
          i += 2;
        } else if (sql[i] == '*' && at(i + 1) == '/') {
          i += 2;
          if (--depth == 0) break;
        } else {
          ++i;
        }
      }
      continue;
    }
    if (c == ';') {
      if (atomic_depth == 0) in_statement = false;
      previous_word.clear();
      ++i;
      continue;
    }
    if (!in_statement) {
      starts.push_back(i);
      in_statement = true;
    }
    // Skips a quoted run from its opening quote at i: a doubled quote is one
    // character; with backslash escapes (E'...') so is \x.
    auto skip_quoted = [&](char quote, bool backslash_escapes) {
      ++i;
      while (i < n) {
        if (backslash_escapes && sql[i] == '\\') {
          i += 2;
        } else if (sql[i] == quote) {
          if (at(i + 1) != quote) {
            ++i;
            break;
          }
          i += 2;
        } else {
          ++i;
        }
      }
      previous_word.clear();
    };
    bool escape_string = (c == 'E' || c == 'e') && at(i + 1) == '\'' && (i == 0 || !identifier_char(sql[i - 1]));
    if (c == '\'' || escape_string) {
      if (escape_string) ++i;
      skip_quoted('\'', escape_string);
      continue;
    }
    if (c == '"') {
      skip_quoted('"', false);
      continue;
    }
    if (c == '$' && !(at(i + 1) >= '0' && at(i + 1) <= '9')) {
      std::size_t j = i + 1;
      while (j < n && identifier_char(sql[j])) ++j;
      if (j < n && sql[j] == '$') {
        std::string_view tag = sql.substr(i, j - i + 1);
        std::size_t close = sql.find(tag, j + 1);
        i = close == std::string_view::npos ? n : close + tag.size();
        previous_word.clear();
        continue;
      }
      ++i;
      continue;
    }
    if (identifier_char(c) && !(c >= '0' && c <= '9')) {
      std::size_t j = i;
      while (j < n && (identifier_char(sql[j]) || sql[j] == '$')) ++j;
      std::string word(sql.substr(i, j - i));
      for (char& w : word)
        if (w >= 'A' && w <= 'Z') w = static_cast<char>(w - 'A' + 'a');
      if (word == "atomic" && previous_word == "begin")
        ++atomic_depth;
      else if (atomic_depth > 0 && word == "case")
        ++atomic_depth;
      else if (atomic_depth > 0 && word == "end")
        --atomic_depth;
      previous_word = std::move(word);
      i = j;
      continue;
    }
    if (c >= '0' && c <= '9') {
      while (i < n && (identifier_char(sql[i]) || sql[i] == '.')) ++i;
      previous_word.clear();
      continue;
    }
    previous_word.clear();
    ++i;
  }
  return starts;
}

inline int line_at(std::string_view text, std::size_t byte_offset) {
  int line = 1;
  for (std::size_t k = 0; k < byte_offset && k < text.size(); ++k) line += (text[k] == '\n');
  return line;
}

// Byte offset of the 1-based character `position` (UTF-8 code points when `utf8`).
inline std::size_t byte_offset_of(std::string_view text, long position, bool utf8) {
  if (position <= 1) return 0;
  if (!utf8) return static_cast<std::size_t>(position - 1);
  long seen = 0;
  for (std::size_t k = 0; k < text.size(); ++k) {
    if ((static_cast<unsigned char>(text[k]) & 0xC0) != 0x80 && ++seen == position) return k;
  }
  return text.size();
}

// 64-bit FNV-1a.
inline std::uint64_t fnv1a(std::string_view s) noexcept {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace detail::pg

class PostgresqlConnection {
 public:
  PostgresqlConnection(PGconn* conn, postgresql_options options)
      : conn_(conn, &PQfinish), cancel_(nullptr, &PQfreeCancel), options_(options) {}

  // Cancels the running statement (PQcancel, async-signal-safe) from a signal handler.
  interrupt_handle interrupter() {
    if (!cancel_) cancel_.reset(PQgetCancel(conn_.get()));
    return {[](void* cancel) noexcept {
              char message[256];
              PQcancel(static_cast<PGcancel*>(cancel), message, sizeof message);
            },
            cancel_.get()};
  }

  PGconn* native_handle() const noexcept { return conn_.get(); }

  // Runs the whole script as one simple-protocol query: the server splits it
  // (strings, comments, $$ bodies are its parser's business). Outside an
  // explicit transaction the server runs it as one implicit transaction.
  // The error names the SQLSTATE, the server's message and the failing line.
  void execute_script(std::string_view sql) {
    std::string text = c_string(sql, "script");
    if (!PQsendQuery(conn_.get(), text.c_str())) throw database_error(connection_message());
    std::size_t completed = 0;
    detail::pg::result_ptr failure = detail::pg::own(nullptr);
    while (PGresult* raw = PQgetResult(conn_.get())) {
      auto result = detail::pg::own(raw);
      switch (PQresultStatus(raw)) {
        case PGRES_COMMAND_OK:
        case PGRES_TUPLES_OK:
          ++completed;
          break;
        case PGRES_COPY_IN:
          PQputCopyEnd(conn_.get(), "COPY FROM STDIN cannot be used in a migration script");
          break;
        case PGRES_COPY_OUT: {
          char* buffer = nullptr;
          while (PQgetCopyData(conn_.get(), &buffer, 0) > 0) PQfreemem(buffer);
          break;
        }
        case PGRES_EMPTY_QUERY:
          break;
        default:
          if (!failure) failure = std::move(result);
          break;
      }
    }
    if (failure) throw error_from(failure.get(), sql, completed);
    if (PQstatus(conn_.get()) != CONNECTION_OK) throw database_error(connection_message());
  }

  // One statement with $1, $2, ... bound to `params` (as text).
  rows query(std::string_view sql, const std::vector<std::string>& params) {
    std::string text = c_string(sql, "query");
    std::vector<std::string> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(c_string(p, "parameter"));
    std::vector<const char*> pointers;
    for (const auto& v : values) pointers.push_back(v.c_str());
    auto result = detail::pg::own(PQexecParams(conn_.get(), text.c_str(), static_cast<int>(pointers.size()), nullptr,
                                               pointers.empty() ? nullptr : pointers.data(), nullptr, nullptr, 0));
    if (!result) throw database_error(connection_message());
    auto status = PQresultStatus(result.get());
    if (status == PGRES_COMMAND_OK) return {};
    if (status != PGRES_TUPLES_OK) throw error_from(result.get(), {}, 0);
    rows out;
    int n_rows = PQntuples(result.get());
    int n_cols = PQnfields(result.get());
    out.reserve(static_cast<std::size_t>(n_rows));
    for (int r = 0; r < n_rows; ++r) {
      row values_of_row;
      values_of_row.reserve(static_cast<std::size_t>(n_cols));
      for (int c = 0; c < n_cols; ++c) {
        if (PQgetisnull(result.get(), r, c))
          values_of_row.emplace_back();
        else
          values_of_row.emplace_back(std::string(PQgetvalue(result.get(), r, c),
                                                 static_cast<std::size_t>(PQgetlength(result.get(), r, c))));
      }
      out.push_back(std::move(values_of_row));
    }
    return out;
  }

  void begin() { execute_script("BEGIN"); }
  // Throws when the server rolled the transaction back instead (it had failed).
  void commit() {
    auto result = detail::pg::own(PQexec(conn_.get(), "COMMIT"));
    if (!result) throw database_error(connection_message());
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) throw error_from(result.get(), {}, 0);
    if (std::string_view(PQcmdStatus(result.get())) == "ROLLBACK")
      throw database_error("the transaction had failed and was rolled back instead of committed");
  }
  // Harmless when no transaction is open.
  void rollback() {
    auto status = PQtransactionStatus(conn_.get());
    if (status == PQTRANS_INTRANS || status == PQTRANS_INERROR) execute_script("ROLLBACK");
  }

  std::string quote_identifier(std::string_view name) const { return detail::quote_sql_identifier(name); }

  // Schemas (SchemaCapableAdapter). use_schema makes `schema` the first (by
  // default the only) schema unqualified names resolve to.
  void use_schema(std::string_view schema) {
    execute_script("SET search_path TO " + quote_identifier(schema) +
                   (options_.include_public_in_search_path ? ", public" : ""));
  }
  bool schema_exists(std::string_view schema) {
    return !query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {std::string(schema)}).empty();
  }
  // Both refuse names validate_sql_name refuses (public, pg_*, anything odd).
  void create_schema(std::string_view schema) {
    check_name(schema, "schema name");
    execute_script("CREATE SCHEMA " + quote_identifier(schema));
  }
  void drop_schema(std::string_view schema) {
    check_name(schema, "schema name");
    execute_script("DROP SCHEMA IF EXISTS " + quote_identifier(schema) + " CASCADE");
  }

  // Called between tenants when a connection is reused: ends any transaction,
  // then DISCARD ALL (settings, search_path, prepared statements, temporary
  // tables, session advisory locks).
  void reset_session() {
    if (PQtransactionStatus(conn_.get()) != PQTRANS_IDLE) execute_script("ROLLBACK");
    execute_script("DISCARD ALL");
    quiet();
  }

  // The per-tenant lock: a session advisory lock keyed by a 64-bit FNV-1a hash
  // of current_database() + "/" + key, so that tenants never wait for each
  // other. Polls every 50 ms until `wait` has passed; false if still taken.
  bool try_lock_tenant(const std::string& key, std::chrono::milliseconds wait) {
    const std::string id = lock_id(key);
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
      auto r = query("SELECT pg_catalog.pg_try_advisory_lock($1::bigint)", {id});
      if (r.at(0).at(0) == "t") return true;
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) return false;
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(std::chrono::milliseconds(50),
                                                                               deadline - now));
    }
  }
  void unlock_tenant(const std::string& key) {
    query("SELECT pg_catalog.pg_advisory_unlock($1::bigint)", {lock_id(key)});
  }

  // Within the current transaction only (SET LOCAL): 0 leaves a setting as it is.
  // A statement that hits one fails with "lock timeout (--lock-timeout) fired: ..."
  // or "statement timeout (--statement-timeout) fired: ...".
  void set_local_timeouts(std::chrono::milliseconds lock_timeout, std::chrono::milliseconds statement_timeout) {
    std::string sql;
    if (lock_timeout.count() > 0) sql += "SET LOCAL lock_timeout = " + std::to_string(lock_timeout.count()) + ";";
    if (statement_timeout.count() > 0)
      sql += "SET LOCAL statement_timeout = " + std::to_string(statement_timeout.count()) + ";";
    if (!sql.empty()) execute_script(sql);
  }

 private:
  friend class PostgresqlAdapter;

  // No NOTICE noise (CREATE ... IF NOT EXISTS, DROP ... CASCADE).
  void quiet() {
    PQsetNoticeProcessor(conn_.get(), &detail::pg::ignore_notice, nullptr);
    execute_script("SET client_min_messages = warning");
  }

  static void check_name(std::string_view name, std::string_view what) {
    if (auto why = validate_sql_name(name, what); !why.empty()) throw error(why);
  }

  std::string lock_id(const std::string& key) {
    if (database_.empty()) database_ = query("SELECT pg_catalog.current_database()", {}).at(0).at(0).value_or("");
    return std::to_string(static_cast<std::int64_t>(detail::pg::fnv1a(database_ + "/" + key)));
  }

  // libpq takes NUL-terminated strings: a NUL inside would cut the text short.
  static std::string c_string(std::string_view s, const char* what) {
    if (s.find('\0') != std::string_view::npos) throw database_error(std::string(what) + " contains a NUL byte");
    return std::string(s);
  }

  std::string connection_message() const {
    std::string m = detail::pg::one_line(PQerrorMessage(conn_.get()));
    return redact_connection_string(m.empty() ? "lost the connection to the server" : m);
  }

  // "SQLSTATE: message (line N)"; the line from the error position, else from
  // the statement that failed (the `completed` ones before it succeeded).
  database_error error_from(const PGresult* result, std::string_view script, std::size_t completed) const {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    const char* position = PQresultErrorField(result, PG_DIAG_STATEMENT_POSITION);
    std::string sqlstate = state ? state : "";
    std::string message;
    if (primary)
      message = sqlstate.empty() ? std::string(primary) : sqlstate + ": " + primary;
    else
      message = detail::pg::one_line(PQresultErrorMessage(result));
    if (message.empty()) message = connection_message();
    int line = 0;
    if (!script.empty()) {
      if (position) {
        const char* encoding = PQparameterStatus(conn_.get(), "client_encoding");
        bool utf8 = encoding && std::string_view(encoding) == "UTF8";
        line = detail::pg::line_at(script, detail::pg::byte_offset_of(script, std::atol(position), utf8));
      } else {
        auto starts = detail::pg::statement_starts(script);
        if (completed < starts.size()) line = detail::pg::line_at(script, starts[completed]);
      }
    }
    if (line > 0) message += " (line " + std::to_string(line) + ")";
    if (sqlstate == "55P03") message = "lock timeout (--lock-timeout) fired: " + message;
    if (sqlstate == "57014") message = "statement timeout (--statement-timeout) fired: " + message;
    return database_error(message, sqlstate, line);
  }

  std::unique_ptr<PGconn, void (*)(PGconn*)> conn_;
  std::unique_ptr<PGcancel, void (*)(PGcancel*)> cancel_;  // made on first use by interrupter()
  postgresql_options options_;
  std::string database_;  // current_database(), once asked
};

class PostgresqlAdapter {
 public:
  using connection_type = PostgresqlConnection;
  using capabilities =
      capability_list<capability::transactional_ddl, capability::schemas, capability::batched_history_reads,
                      capability::per_tenant_lock, capability::migration_timeouts, capability::cancellation,
                      capability::session_reset, capability::database_provisioning, capability::schema_provisioning>;
  // Tenants' history tables read per statement by the fast path: each read
  // table holds a lock until the transaction ends, and max_locks_per_transaction
  // (64 by default, shared) would run out for a few thousand.
  static constexpr std::size_t history_batch_size = 500;

  // `maintenance_location`: the connection string create_database,
  // drop_database and database_exists connect to (the master's). Empty: libpq's
  // defaults (PGHOST, PGDATABASE, ...).
  explicit PostgresqlAdapter(std::string maintenance_location = {}, postgresql_options options = {})
      : maintenance_(std::move(maintenance_location)), options_(options) {}

  const postgresql_options& options() const noexcept { return options_; }

  // `location`: a libpq URI or key=value string. Fields it leaves out come
  // from libpq's environment variables (PGPASSWORD, ...) and ~/.pgpass.
  PostgresqlConnection connect(std::string_view location) const {
    std::string conninfo(location);
    // Earlier entries may be overridden by the connection string itself.
    const char* keywords[] = {"client_encoding", "fallback_application_name", "dbname", nullptr};
    const char* values[] = {"UTF8", "tenant_migrator", conninfo.c_str(), nullptr};
    PGconn* raw = PQconnectdbParams(keywords, values, 1);
    if (!raw) throw database_error("cannot connect to '" + shown_connection_string(location) + "': out of memory");
    PostgresqlConnection connection(raw, options_);
    if (PQstatus(raw) != CONNECTION_OK)
      throw database_error("cannot connect to '" + shown_connection_string(location) +
                           "': " + detail::pg::redact_message(PQerrorMessage(raw), location));
    connection.quiet();
    return connection;
  }

  // A database tenant's connection string: its location when that is one
  // (contains "://" or "="), else the master's with dbname = the location,
  // which must pass validate_sql_name.
  std::string tenant_database_location(std::string_view master_location, std::string_view tenant_location) const {
    if (detail::pg::looks_like_conninfo(tenant_location)) return std::string(tenant_location);
    check_database_name(tenant_location);
    return detail::pg::with_dbname(master_location, tenant_location);
  }

  // Provisioning (ProvisioningAdapter). `location`: a database name on the
  // maintenance server (validate_sql_name rules), or a connection string
  // (tenant_database_location's result) whose dbname is such a name: the
  // statement then runs on that server, from the maintenance connection's
  // database, else `postgres`, else `template1`.
  void create_database(std::string_view location) {
    std::string name;
    auto c = connect_to_server_of(location, name);
    c.execute_script("CREATE DATABASE " + c.quote_identifier(name));
  }
  // Disconnects whoever is connected to it (WITH (FORCE)).
  void drop_database(std::string_view location) {
    std::string name;
    auto c = connect_to_server_of(location, name);
    c.execute_script("DROP DATABASE IF EXISTS " + c.quote_identifier(name) + " WITH (FORCE)");
  }
  bool database_exists(std::string_view location) {
    std::string name;
    auto c = connect_to_server_of(location, name, false);
    return !c.query("SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1", {name}).empty();
  }

 private:
  static void check_database_name(std::string_view name) {
    if (auto why = validate_sql_name(name, "database name"); !why.empty()) throw error(why);
  }

  // A connection to the server `location` is on, not to that database; `name` gets its name.
  PostgresqlConnection connect_to_server_of(std::string_view location, std::string& name, bool check = true) {
    if (!detail::pg::looks_like_conninfo(location)) {
      name = std::string(location);
      if (check) check_database_name(name);
      return connect(maintenance_);
    }
    name = detail::pg::dbname_of(location);
    if (check) check_database_name(name);
    std::vector<std::string> candidates;
    for (std::string db : {maintenance_.empty() ? std::string() : detail::pg::dbname_of(maintenance_),
                           std::string("postgres"), std::string("template1")})
      if (!db.empty() && db != name && std::find(candidates.begin(), candidates.end(), db) == candidates.end())
        candidates.push_back(db);
    std::optional<database_error> first_failure;
    for (const auto& db : candidates) {
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

static_assert(DatabaseAdapter<PostgresqlAdapter>);
static_assert(SchemaCapableAdapter<PostgresqlAdapter>);
static_assert(check_capabilities<PostgresqlAdapter>());
static_assert(ProvisioningAdapter<PostgresqlAdapter>);

}  // namespace tenant_migrator
