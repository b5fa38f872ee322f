// MariadbConnection (part of adapters/mariadb.hpp): one session on a MariaDB
// or MySQL server through MariaDB Connector/C.
#pragma once

#include <mysql.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../../concepts/database_adapter.hpp"
#include "../../errors.hpp"
#include "../../interrupt.hpp"
#include "../../model/script_statement.hpp"
#include "location.hpp"
#include "script.hpp"

namespace tenant_migrator {

namespace detail::mariadb {

struct mysql_closer {
  void operator()(MYSQL* m) const noexcept { mysql_close(m); }
};
using mysql_ptr = std::unique_ptr<MYSQL, mysql_closer>;
struct stmt_closer {
  void operator()(MYSQL_STMT* s) const noexcept { mysql_stmt_close(s); }
};
struct result_closer {
  void operator()(MYSQL_RES* r) const noexcept { mysql_free_result(r); }
};

// A new session to `where` (its database, if any, is the default one). Throws database_error.
inline mysql_ptr open_session(const mariadb_location& where, std::string_view shown) {
  mysql_ptr m(mysql_init(nullptr));
  if (!m) throw database_error("cannot connect to '" + std::string(shown) + "': out of memory");
  unsigned timeout = 10;
  unsigned no_local_infile = 0;
  // mysql_options, not the variadic mysql_optionsv: a program may forward
  // these calls to a libmariadb it loads itself (manage does).
  mysql_options(m.get(), MYSQL_SET_CHARSET_NAME, "utf8mb4");
  mysql_options(m.get(), MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_options(m.get(), MYSQL_OPT_LOCAL_INFILE, &no_local_infile);  // no LOAD DATA LOCAL from a migration
  auto c_or_null = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
  if (!mysql_real_connect(m.get(), c_or_null(where.host), c_or_null(where.user),
                          where.has_password ? where.password.c_str() : nullptr, c_or_null(where.database),
                          where.port, c_or_null(where.socket), CLIENT_MULTI_RESULTS))
    // The client's message names user and host, never the password.
    throw database_error("cannot connect to '" + std::string(shown) + "': " + mysql_error(m.get()),
                         mysql_sqlstate(m.get()));
  return m;
}

// The text of "KILL QUERY <id>" as one COM_QUERY packet of the client/server
// protocol, ready to be written to a socket as is.
struct kill_packet {
  char bytes[64] = {};
  std::size_t size = 0;
  void make(unsigned long thread_id) {
    char text[48];
    int n = std::snprintf(text, sizeof text, "KILL QUERY %lu", thread_id);
    std::size_t payload = 1 + static_cast<std::size_t>(n);  // COM_QUERY byte + text
    bytes[0] = static_cast<char>(payload & 0xff);
    bytes[1] = static_cast<char>((payload >> 8) & 0xff);
    bytes[2] = static_cast<char>((payload >> 16) & 0xff);
    bytes[3] = 0;     // sequence id
    bytes[4] = 0x03;  // COM_QUERY
    std::memcpy(bytes + 5, text, static_cast<std::size_t>(n));
    size = 4 + payload;
  }
};

// The second session interrupter() hands out. A signal handler may not
// allocate nor enter the client library (which promises no signal safety), so
// everything is prepared when arming: the session is open, the KILL QUERY
// packet is built, and cancel() only write(2)s that packet to its socket and
// read(2)s the reply (poll(2) bounds the wait to 2 s): all async-signal-safe.
// Waiting for the reply matters: once the server has answered, the kill has
// hit the statement running then, or nothing (a KILL QUERY that finds the
// session idle is dropped), never a statement sent later. The session is
// replaced on the next arming after a cancel, since the library did not see
// that exchange. Plain TCP or socket only: over TLS the write would corrupt
// the stream, so then cancel() does nothing (the statement runs to its end).
struct canceller {
  mysql_ptr session;
  int fd = -1;
  kill_packet packet;
  volatile std::sig_atomic_t fired = 0;

  static void cancel(void* self) noexcept {
    auto* c = static_cast<canceller*>(self);
    if (c->fd < 0 || c->fired) return;
    c->fired = 1;
    std::size_t done = 0;
    while (done < c->packet.size) {
      ssize_t n = ::write(c->fd, c->packet.bytes + done, c->packet.size - done);
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
    // The reply: a 4-byte header (3 bytes of payload length), then the payload.
    unsigned char header[4];
    unsigned char discard[512];
    std::size_t wanted = 4, got = 0;
    while (got < wanted) {
      pollfd p{c->fd, POLLIN, 0};
      if (::poll(&p, 1, 2000) <= 0) return;
      ssize_t n = got < 4 ? ::read(c->fd, header + got, 4 - got)
                          : ::read(c->fd, discard, wanted - got < sizeof discard ? wanted - got : sizeof discard);
      if (n <= 0) return;
      got += static_cast<std::size_t>(n);
      if (got == 4 && wanted == 4)
        wanted = 4 + (header[0] | (static_cast<std::size_t>(header[1]) << 8) | (static_cast<std::size_t>(header[2]) << 16));
    }
  }
};

}  // namespace detail::mariadb

class MariadbConnection {
 public:
  MariadbConnection(detail::mariadb::mysql_ptr session, mariadb_location where, std::string shown)
      : conn_(std::move(session)), where_(std::move(where)), shown_(std::move(shown)) {}

  MYSQL* native_handle() const noexcept { return conn_.get(); }

  // Runs the statements of `sql` one by one (split on the client: strings,
  // comments and routine bodies are known, see script.hpp). DDL commits
  // implicitly: statements before a failing one stay applied, even inside
  // begin() ... rollback(). The error names the failing statement's line.
  void execute_script(std::string_view sql) {
    check_no_nul(sql, "script");
    for (const auto& span : detail::mariadb::split_statements(sql)) {
      std::string_view statement = sql.substr(span.begin, span.end - span.begin);
      const int line = detail::mariadb::line_at(sql, span.begin);
      if (detail::mariadb::lowered(statement.substr(0, 10)) == "delimiter " ||
          detail::mariadb::lowered(statement.substr(0, 10)) == "delimiter\t")
        throw database_error("DELIMITER is a command of the mysql client, not SQL: write CREATE TRIGGER / PROCEDURE "
                             "bodies between BEGIN and END without it (line " + std::to_string(line) + ")",
                             {}, line);
      run(statement, line);
    }
  }

  // The statements of `sql` (capability::statement_splitting), split as
  // execute_script splits them.
  std::vector<script_statement> split_script(std::string_view sql) const {
    std::vector<script_statement> out;
    for (const auto& span : detail::mariadb::split_statements(sql)) {
      std::string_view statement = sql.substr(span.begin, span.end - span.begin);
      const int line = detail::mariadb::line_at(sql, span.begin);
      out.push_back({std::string(static_cast<std::size_t>(line - 1), '\n') + std::string(statement), line,
                     detail::mariadb::commits_implicitly(statement)});
    }
    return out;
  }

  // One statement with $1, $2, ... bound to `params` as strings (a prepared statement).
  rows query(std::string_view sql, const std::vector<std::string>& params) {
    check_no_nul(sql, "query");
    std::vector<std::size_t> order;
    std::string text = detail::mariadb::with_question_marks(sql, order);
    std::unique_ptr<MYSQL_STMT, detail::mariadb::stmt_closer> stmt(mysql_stmt_init(conn_.get()));
    if (!stmt) throw error_from_session(0);
    if (mysql_stmt_prepare(stmt.get(), text.data(), text.size())) throw error_from_statement(stmt.get());
    std::vector<MYSQL_BIND> in(order.size());
    std::vector<unsigned long> in_lengths(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
      if (order[k] >= params.size())
        throw database_error("the query uses $" + std::to_string(order[k] + 1) + " but has " +
                             std::to_string(params.size()) + " parameter(s)");
      const std::string& value = params[order[k]];
      std::memset(&in[k], 0, sizeof in[k]);
      in_lengths[k] = value.size();
      in[k].buffer_type = MYSQL_TYPE_STRING;
      in[k].buffer = const_cast<char*>(value.data());
      in[k].buffer_length = value.size();
      in[k].length = &in_lengths[k];
    }
    if (!in.empty() && mysql_stmt_bind_param(stmt.get(), in.data())) throw error_from_statement(stmt.get());
    if (mysql_stmt_execute(stmt.get())) throw error_from_statement(stmt.get());
    std::unique_ptr<MYSQL_RES, detail::mariadb::result_closer> meta(mysql_stmt_result_metadata(stmt.get()));
    if (!meta) {
      if (mysql_stmt_errno(stmt.get())) throw error_from_statement(stmt.get());
      return {};
    }
    const unsigned columns = mysql_num_fields(meta.get());
    // Values up to 256 bytes come in one fetch; longer ones are fetched again, whole.
    constexpr std::size_t inline_size = 256;
    std::vector<MYSQL_BIND> out(columns);
    std::vector<std::vector<char>> buffers(columns, std::vector<char>(inline_size));
    std::vector<unsigned long> lengths(columns);
    std::vector<my_bool> nulls(columns);
    for (unsigned c = 0; c < columns; ++c) {
      std::memset(&out[c], 0, sizeof out[c]);
      out[c].buffer_type = MYSQL_TYPE_STRING;
      out[c].buffer = buffers[c].data();
      out[c].buffer_length = inline_size;
      out[c].length = &lengths[c];
      out[c].is_null = &nulls[c];
    }
    if (mysql_stmt_bind_result(stmt.get(), out.data())) throw error_from_statement(stmt.get());
    rows result;
    for (;;) {
      int rc = mysql_stmt_fetch(stmt.get());
      if (rc == MYSQL_NO_DATA) break;
      if (rc == 1) throw error_from_statement(stmt.get());
      row r;
      r.reserve(columns);
      for (unsigned c = 0; c < columns; ++c) {
        if (nulls[c]) {
          r.emplace_back();
        } else if (lengths[c] <= inline_size) {
          r.emplace_back(std::string(buffers[c].data(), lengths[c]));
        } else {
          std::string whole(lengths[c], '\0');
          MYSQL_BIND one;
          std::memset(&one, 0, sizeof one);
          unsigned long length = 0;
          one.buffer_type = MYSQL_TYPE_STRING;
          one.buffer = whole.data();
          one.buffer_length = whole.size();
          one.length = &length;
          if (mysql_stmt_fetch_column(stmt.get(), &one, c, 0)) throw error_from_statement(stmt.get());
          r.emplace_back(std::move(whole));
        }
      }
      result.push_back(std::move(r));
    }
    return result;
  }

  void begin() { run("START TRANSACTION", 0); }
  void commit() {
    run("COMMIT", 0);
    restore_timeouts();
  }
  // Harmless when no transaction is open. Undoes data changes only: DDL committed on its own.
  void rollback() {
    run("ROLLBACK", 0);
    restore_timeouts();
  }

  // `name` between backticks, backticks doubled. Any name quotes safely;
  // names of databases we create or drop are validated as well (the adapter).
  std::string quote_identifier(std::string_view name) const {
    std::string out = "`";
    for (char c : name) {
      if (c == '`') out += '`';
      out += c;
    }
    return out + "`";
  }

  // The per-tenant lock: GET_LOCK on "tenant_migrator:<database>/<key>" (a
  // hash of it when longer than the server's 64 characters), so tenants never
  // wait for each other. The server waits up to `wait`; false if still taken.
  // Held by the session until unlock_tenant, reset_session or disconnect.
  bool try_lock_tenant(const std::string& key, std::chrono::milliseconds wait) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.3f", static_cast<double>(wait.count()) / 1000.0);
    auto r = query("SELECT GET_LOCK($1, $2)", {lock_name(key), seconds});
    auto value = r.at(0).at(0);
    if (!value) throw database_error("GET_LOCK failed for tenant lock '" + lock_name(key) + "'");
    return *value == "1";
  }
  void unlock_tenant(const std::string& key) { query("SELECT RELEASE_LOCK($1)", {lock_name(key)}); }

  // Limits for the migration that begin() started: lock_wait_timeout and
  // innodb_lock_wait_timeout (whole seconds, rounded up: the server's unit)
  // and max_statement_time. MariaDB has no SET LOCAL: these are session
  // settings, so commit() and rollback() set them back to what they were.
  // 0 leaves a setting as it is.
  void set_local_timeouts(std::chrono::milliseconds lock_timeout, std::chrono::milliseconds statement_timeout) {
    if (lock_timeout.count() <= 0 && statement_timeout.count() <= 0) return;
    if (saved_timeouts_.empty()) {
      auto r = query("SELECT @@SESSION.lock_wait_timeout, @@SESSION.innodb_lock_wait_timeout, "
                     "@@SESSION.max_statement_time", {});
      saved_timeouts_ = "SET SESSION lock_wait_timeout = " + r.at(0).at(0).value_or("31536000") +
                        ", innodb_lock_wait_timeout = " + r.at(0).at(1).value_or("50") +
                        ", max_statement_time = " + r.at(0).at(2).value_or("0");
    }
    std::string sql;
    if (lock_timeout.count() > 0) {
      auto seconds = std::to_string((lock_timeout.count() + 999) / 1000);
      sql = "lock_wait_timeout = " + seconds + ", innodb_lock_wait_timeout = " + seconds;
    }
    if (statement_timeout.count() > 0) {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%.3f", static_cast<double>(statement_timeout.count()) / 1000.0);
      sql += std::string(sql.empty() ? "" : ", ") + "max_statement_time = " + seconds;
    }
    run("SET SESSION " + sql, 0);
  }

  // Cancels the running statement from a signal handler: KILL QUERY from a
  // second session, opened here (not in the handler). See detail::mariadb::canceller.
  interrupt_handle interrupter() {
    if (!canceller_) canceller_ = std::make_unique<detail::mariadb::canceller>();
    auto& c = *canceller_;
    if (!c.session || c.fired) {
      c.fd = -1;
      c.session.reset();
      c.fired = 0;
      mariadb_location side = where_;
      side.database.clear();
      try {
        c.session = detail::mariadb::open_session(side, shown_);
        const char* cipher = mysql_get_ssl_cipher(c.session.get());
        c.fd = cipher ? -1 : static_cast<int>(mysql_get_socket(c.session.get()));
      } catch (const database_error&) {
        // No second session (max_connections reached?): the migration still runs, but a
        // Ctrl-C then waits for its statement to end instead of cancelling it.
        c.session.reset();
      }
    }
    c.packet.make(mysql_thread_id(conn_.get()));
    return {&detail::mariadb::canceller::cancel, &c};
  }

  // Between tenants on a reused connection: COM_RESET_CONNECTION rolls back,
  // drops temporary tables and user variables, releases GET_LOCK locks and
  // resets session variables (the timeouts too).
  void reset_session() {
    if (mysql_reset_connection(conn_.get())) throw error_from_session(0);
    saved_timeouts_.clear();
    database_.reset();
  }

 private:
  static void check_no_nul(std::string_view s, const char* what) {
    if (s.find('\0') != std::string_view::npos) throw database_error(std::string(what) + " contains a NUL byte");
  }

  // One statement; its results (if any) are read and dropped.
  void run(std::string_view statement, int line) {
    if (mysql_real_query(conn_.get(), statement.data(), statement.size())) throw error_from_session(line);
    for (;;) {
      if (MYSQL_RES* r = mysql_store_result(conn_.get())) mysql_free_result(r);
      else if (mysql_field_count(conn_.get()) != 0) throw error_from_session(line);
      int more = mysql_next_result(conn_.get());
      if (more > 0) throw error_from_session(line);
      if (more < 0) break;
    }
  }

  void restore_timeouts() {
    if (saved_timeouts_.empty()) return;
    std::string sql = std::move(saved_timeouts_);
    saved_timeouts_.clear();
    try {
      run(sql, 0);
    } catch (const database_error&) {
      // The transaction is over either way; a session that cannot take a SET is broken and
      // fails its next statement, so the limits cannot silently outlive the migration.
    }
  }

  std::string lock_name(const std::string& key) {
    if (!database_) database_ = query("SELECT DATABASE()", {}).at(0).at(0).value_or("");
    std::string name = "tenant_migrator:" + *database_ + "/" + key;
    if (name.size() <= 64) return name;
    std::uint64_t h = 14695981039346656037ull;  // FNV-1a
    for (char ch : name) {
      h ^= static_cast<unsigned char>(ch);
      h *= 1099511628211ull;
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return "tenant_migrator:#" + std::string(hex);
  }

  database_error error_from(unsigned code, std::string sqlstate, std::string message, int line) const {
    if (sqlstate == "00000") sqlstate.clear();
    if (!sqlstate.empty()) message = sqlstate + ": " + message;
    if (line > 0) message += " (line " + std::to_string(line) + ")";
    if (code == 1205) message = "lock timeout fired: " + message;            // ER_LOCK_WAIT_TIMEOUT
    if (code == 1969) message = "statement timeout fired: " + message;  // ER_STATEMENT_TIMEOUT
    return database_error(message, sqlstate, line);
  }
  database_error error_from_session(int line) const {
    std::string message = mysql_error(conn_.get());
    return error_from(mysql_errno(conn_.get()), mysql_sqlstate(conn_.get()),
                      message.empty() ? "lost the connection to the server" : message, line);
  }
  database_error error_from_statement(MYSQL_STMT* stmt) const {
    return error_from(mysql_stmt_errno(stmt), mysql_stmt_sqlstate(stmt), mysql_stmt_error(stmt), 0);
  }

  detail::mariadb::mysql_ptr conn_;
  mariadb_location where_;  // to open the cancelling session (password included: kept in memory only)
  std::string shown_;       // the location, password masked, for messages
  std::unique_ptr<detail::mariadb::canceller> canceller_;  // stable address for the signal handler
  std::string saved_timeouts_;                              // the SET that undoes set_local_timeouts
  std::optional<std::string> database_;                     // DATABASE(), once asked
};

}  // namespace tenant_migrator
