// PostgresqlConnection: one libpq connection, as the migrator uses it:
// scripts, parameterized queries, transactions, schemas, the per-tenant
// advisory lock, per-migration timeouts, and errors that name SQLSTATE and line.
#pragma once

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "../../concepts/database_adapter.hpp"
#include "../../detail/sql_identifier.hpp"
#include "../../detail/text_array.hpp"
#include "../../errors.hpp"
#include "../../interrupt.hpp"
#include "../../model/script_statement.hpp"
#include "../../model/tenant.hpp"
#include "conninfo.hpp"
#include "copy_text.hpp"
#include "provisioning.hpp"
#include "statement_scanner.hpp"

namespace tenant_migrator {

// Options of PostgresqlAdapter.
struct postgresql_options {
  // use_schema() sets `search_path TO <tenant>, public` instead of `<tenant>`:
  // a tenant's migrations then see shared objects (extensions, types) in
  // public. Unqualified CREATEs still go to the tenant's schema. Off: a
  // tenant's migrations see nothing but its own schema (and pg_catalog).
  bool include_public_in_search_path = false;
  // The same, for any schemas: `search_path TO <tenant>, <shared>...`, in
  // this order (then public, if include_public_in_search_path and not listed).
  // Each must pass validate_shared_schema (public, or a validate_sql_name
  // name); PostgresqlAdapter's constructor throws usage_error otherwise.
  std::vector<std::string> shared_schemas{};
};

namespace detail::pg {

using result_ptr = std::unique_ptr<PGresult, void (*)(PGresult*)>;
inline result_ptr own(PGresult* r) noexcept { return result_ptr(r, &PQclear); }

inline void ignore_notice(void*, const char*) {}

// 64-bit FNV-1a.
inline std::uint64_t fnv1a(std::string_view s) noexcept {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// What follows a tenant's schema on its search path: `, "extensions", public`
// (postgresql_options). Throws usage_error naming a bad shared schema.
inline std::string shared_search_path(const postgresql_options& options) {
  std::vector<std::string> names;
  for (const auto& name : options.shared_schemas) {
    if (auto why = validate_shared_schema(name); !why.empty()) throw usage_error(why);
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  if (options.include_public_in_search_path && std::find(names.begin(), names.end(), "public") == names.end())
    names.push_back("public");
  std::string out;
  for (const auto& name : names) out += ", " + detail::quote_sql_identifier(name);
  return out;
}

}  // namespace detail::pg

class PostgresqlConnection {
 public:
  // `location`: the connection string `conn` was opened with, kept only to
  // clean libpq's later messages of it.
  PostgresqlConnection(PGconn* conn, postgresql_options options, std::string location = {})
      : conn_(conn, &PQfinish), cancel_(nullptr, &PQfreeCancel), options_(options), location_(std::move(location)) {}

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
  // explicit transaction the server runs it as one implicit transaction (the
  // migrator runs a `-- transaction: off` script through split_script instead).
  // The error names the SQLSTATE, the server's message and the failing line.
  void execute_script(std::string_view sql) {
    std::string text = c_string(sql, "script");
    // A begin() not yet sent goes with the script: one round trip, not two.
    // "BEGIN;" has no newline, so the script's lines keep their numbers.
    const std::size_t prefix = begin_pending_ ? begin_prefix.size() : 0;
    if (begin_pending_) text.insert(0, begin_prefix);
    begin_pending_ = false;
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
    if (failure) throw error_from(failure.get(), sql, completed - (prefix > 0 && completed > 0 ? 1 : 0), prefix);
    if (PQstatus(conn_.get()) != CONNECTION_OK) throw database_error(connection_message());
  }

  // The statements of `sql` (capability::statement_splitting), as the
  // server would split them. DDL is transactional: none commits implicitly.
  std::vector<script_statement> split_script(std::string_view sql) const {
    std::vector<script_statement> out;
    for (const auto& span : detail::pg::statement_spans(sql)) {
      const int line = detail::pg::line_at(sql, span.begin);
      out.push_back({std::string(static_cast<std::size_t>(line - 1), '\n') +
                         std::string(sql.substr(span.begin, span.end - span.begin)),
                     line, false});
    }
    return out;
  }

  // One statement with $1, $2, ... bound to `params` (as text).
  rows query(std::string_view sql, const std::vector<std::string>& params) {
    send_pending_begin();
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

  // Whole tables (capability::bulk_table_reads): one `COPY t (columns) TO
  // STDOUT` each, all in one round trip. COPY reads a table without planning
  // a query on it, which is most of what reading a small table costs a
  // session that has not opened it yet. The statements run in one
  // transaction: each table stays locked until all are read (keep the list
  // to a few hundred). Throws database_error on failure.
  //
  // Outside a transaction the COPYs are sent straight away: on a run where
  // the tables exist (every up-to-date tenant) a catalog lookup first would
  // cost a third as much again. When one fails (a table that is missing, or
  // not a plain table), the server skips the rest; those are then looked up
  // in the catalog and the plain tables among them read. Inside a
  // transaction, where a failure would abort the caller's work, the lookup
  // always comes first.
  std::vector<std::optional<rows>> read_tables(const std::vector<std::string>& tables, std::string_view columns) {
    send_pending_begin();
    std::vector<std::optional<rows>> out(tables.size());
    if (tables.empty()) return out;
    std::size_t from = 0;
    if (PQtransactionStatus(conn_.get()) == PQTRANS_IDLE) {
      std::vector<std::size_t> all(tables.size());
      for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
      auto [read, failure] = copy_tables(tables, all, columns, out);
      if (!failure) return out;
      from = read;  // tables[read] failed; the server skipped the rest
    }
    const std::string names = detail::text_array_literal(tables.begin() + static_cast<std::ptrdiff_t>(from), tables.end());
    auto kinds = query(
        "SELECT c.relkind = 'r' FROM pg_catalog.unnest($1::text[]) WITH ORDINALITY AS u(name, i)"
        " LEFT JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(u.name) ORDER BY u.i",
        {names});
    std::vector<std::size_t> plain;
    for (std::size_t i = from; i < tables.size() && i - from < kinds.size(); ++i)
      if (kinds[i - from].at(0).value_or("f") == "t") plain.push_back(i);
    auto [read, failure] = copy_tables(tables, plain, columns, out);
    if (failure) throw error_from(failure.get(), {}, 0);
    return out;
  }

  // Sent with the next statement (see execute_script); a transaction that
  // sends nothing costs no round trip at all.
  void begin() {
    send_pending_begin();  // a BEGIN inside a transaction: the server's warning, as before
    begin_pending_ = true;
  }
  // Throws when the server rolled the transaction back instead (it had failed).
  void commit() {
    if (std::exchange(begin_pending_, false)) return;  // nothing was sent
    auto result = detail::pg::own(PQexec(conn_.get(), "COMMIT"));
    if (!result) throw database_error(connection_message());
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) throw error_from(result.get(), {}, 0);
    if (std::string_view(PQcmdStatus(result.get())) == "ROLLBACK")
      throw database_error("the transaction had failed and was rolled back instead of committed");
  }
  // Harmless when no transaction is open.
  void rollback() {
    if (std::exchange(begin_pending_, false)) return;
    auto status = PQtransactionStatus(conn_.get());
    if (status == PQTRANS_INTRANS || status == PQTRANS_INERROR) execute_script("ROLLBACK");
  }

  std::string quote_identifier(std::string_view name) const { return detail::quote_sql_identifier(name); }

  // Schemas (SchemaCapableAdapter). use_schema makes `schema` the first (by
  // default the only) schema unqualified names resolve to; the shared
  // schemas of postgresql_options follow it.
  void use_schema(std::string_view schema) {
    execute_script("SET search_path TO " + quote_identifier(schema) + detail::pg::shared_search_path(options_));
  }
  bool schema_exists(std::string_view schema) {
    return !query(detail::pg::schema_exists_query, {std::string(schema)}).empty();
  }
  // Both refuse names validate_sql_name refuses (public, pg_*, anything odd).
  void create_schema(std::string_view schema) { execute_script(detail::pg::create_schema_statement(schema)); }
  void drop_schema(std::string_view schema) { execute_script(detail::pg::drop_schema_statement(schema)); }

  // Called between tenants when a connection is reused: ends any transaction,
  // then DISCARD ALL (settings, search_path, prepared statements, temporary
  // tables, session advisory locks).
  void reset_session() {
    begin_pending_ = false;
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
  // A statement that hits one fails with "lock timeout fired: ..." or
  // "statement timeout fired: ...", so the message says which limit stopped it.
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

  std::string lock_id(const std::string& key) {
    if (database_.empty()) database_ = query("SELECT pg_catalog.current_database()", {}).at(0).at(0).value_or("");
    return std::to_string(static_cast<std::int64_t>(detail::pg::fnv1a(database_ + "/" + key)));
  }

  // libpq takes NUL-terminated strings: a NUL inside would cut the text short.
  static std::string c_string(std::string_view s, const char* what) {
    if (s.find('\0') != std::string_view::npos) throw database_error(std::string(what) + " contains a NUL byte");
    return std::string(s);
  }

  // libpq's last message (a lost connection, say), which may quote the
  // connection string: cleaned of it like connect()'s messages.
  std::string connection_message() const {
    std::string m = detail::pg::scrub_message(PQerrorMessage(conn_.get()), location_);
    return m.empty() ? "lost the connection to the server" : m;
  }

  // "SQLSTATE: message (line N)"; the line from the error position, else from
  // the statement that failed (the `completed` ones before it succeeded).
  // `prefix`: characters sent before the script (a pending BEGIN), which the
  // server's error position counts.
  database_error error_from(const PGresult* result, std::string_view script, std::size_t completed,
                            std::size_t prefix = 0) const {
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
        const long at = std::atol(position) - static_cast<long>(prefix);
        line = detail::pg::line_at(script, detail::pg::byte_offset_of(script, at, utf8));
      } else {
        auto starts = detail::pg::statement_starts(script);
        if (completed < starts.size()) line = detail::pg::line_at(script, starts[completed]);
      }
    }
    if (line > 0) message += " (line " + std::to_string(line) + ")";
    if (sqlstate == "55P03") message = "lock timeout fired: " + message;
    if (sqlstate == "57014") message = "statement timeout fired: " + message;
    return database_error(message, sqlstate, line);
  }

  static constexpr std::string_view begin_prefix = "BEGIN;";
  // read_tables' COPYs of tables[which[...]], in one round trip, into
  // out[which[...]]. Returns how many were read whole, and the first failure
  // (null if none): the server skips every statement after it.
  std::pair<std::size_t, detail::pg::result_ptr> copy_tables(const std::vector<std::string>& tables,
                                                             const std::vector<std::size_t>& which,
                                                             std::string_view columns,
                                                             std::vector<std::optional<rows>>& out) {
    if (which.empty()) return {0, detail::pg::own(nullptr)};
    std::string copies;
    for (std::size_t i : which) copies += "COPY " + tables[i] + " (" + std::string(columns) + ") TO STDOUT;";
    std::string text = c_string(copies, "query");
    if (!PQsendQuery(conn_.get(), text.c_str())) throw database_error(connection_message());
    std::size_t started = 0, read = 0;
    detail::pg::result_ptr failure = detail::pg::own(nullptr);
    while (PGresult* raw = PQgetResult(conn_.get())) {
      auto result = detail::pg::own(raw);
      const auto status = PQresultStatus(raw);
      if (status == PGRES_COPY_OUT) {
        rows table_rows;
        char* buffer = nullptr;
        int length = 0;
        while ((length = PQgetCopyData(conn_.get(), &buffer, 0)) > 0) {
          table_rows.push_back(detail::pg::copy_row({buffer, static_cast<std::size_t>(length)}));
          PQfreemem(buffer);
        }
        if (started < which.size()) out[which[started]] = std::move(table_rows);
        ++started;
      } else if (status == PGRES_COMMAND_OK) {
        read = started;  // the COPY just read ended well
      } else if (!failure) {
        if (started > read && read < which.size()) out[which[read]].reset();  // it failed midway
        failure = std::move(result);
      }
    }
    if (PQstatus(conn_.get()) != CONNECTION_OK) throw database_error(connection_message());
    if (!failure && read != which.size()) throw database_error("COPY returned fewer tables than it was asked for");
    return {read, std::move(failure)};
  }

  void send_pending_begin() {
    if (begin_pending_) execute_script({});
  }

  std::unique_ptr<PGconn, void (*)(PGconn*)> conn_;
  std::unique_ptr<PGcancel, void (*)(PGcancel*)> cancel_;  // made on first use by interrupter()
  postgresql_options options_;
  std::string database_;  // current_database(), once asked
  std::string location_;
  bool begin_pending_ = false;  // begin() called, BEGIN not yet sent
};

}  // namespace tenant_migrator
