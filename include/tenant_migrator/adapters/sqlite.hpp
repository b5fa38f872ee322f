// SqliteAdapter: the embedded default. Database-per-tenant only (SQLite has
// no schemas). Link SQLite::SQLite3 (CMake target tenant_migrator::sqlite).
//
// Locations are file paths. A tenant's relative path is relative to the
// master file's folder. connect() never creates a file: a missing tenant
// database is an error; create_database() provisions one.
#pragma once

#include <fmt/core.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "../concepts/database_adapter.hpp"
#include "../errors.hpp"
#include "../interrupt.hpp"
#include "../model/script_statement.hpp"
#include "../detail/sql_identifier.hpp"

namespace tenant_migrator {

class SqliteConnection {
 public:
  SqliteConnection(sqlite3* db, std::string path) : db_(db, &sqlite3_close_v2), path_(std::move(path)) {}

  const std::string& path() const noexcept { return path_; }
  sqlite3* native_handle() const noexcept { return db_.get(); }

  // Runs every statement of `sql` in order (comments, strings and triggers
  // are SQLite's own parser's business). The error names the line of the
  // statement that failed.
  void execute_script(std::string_view sql) {
    const char* const begin = sql.data();
    const char* const end = sql.data() + sql.size();
    const char* tail = begin;
    while (tail < end) {
      sqlite3_stmt* raw = nullptr;
      const char* next = nullptr;
      const char* statement_start = tail;
      int rc = sqlite3_prepare_v2(db_.get(), tail, static_cast<int>(end - tail), &raw, &next);
      std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, &sqlite3_finalize);
      if (rc != SQLITE_OK) fail(line_of(begin, skip_blank(statement_start, end)));
      if (!stmt) break;  // only whitespace or comments were left
      while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
      }
      if (rc != SQLITE_DONE) fail(line_of(begin, skip_blank(statement_start, end)));
      tail = next;
    }
  }

  // The statements of `sql` (capability::statement_splitting): each ends at
  // the first ';' after which SQLite's own sqlite3_complete() sees a whole
  // statement, so strings, comments and trigger bodies are its business.
  std::vector<script_statement> split_script(std::string_view sql) const {
    std::vector<script_statement> out;
    std::size_t pos = 0;
    int line = 1;
    auto advance_to = [&](std::size_t to) {
      for (; pos < to; ++pos) line += sql[pos] == '\n';
    };
    while (true) {
      advance_to(static_cast<std::size_t>(skip_blank(sql.data() + pos, sql.data() + sql.size()) - sql.data()));
      if (pos >= sql.size()) break;
      std::size_t end = sql.size(), next = sql.size();
      for (auto k = sql.find(';', pos); k != std::string_view::npos; k = sql.find(';', k + 1)) {
        if (sqlite3_complete(std::string(sql.substr(pos, k + 1 - pos)).c_str())) {
          end = k;
          next = k + 1;
          break;
        }
      }
      if (end > pos) out.push_back({std::string(static_cast<std::size_t>(line - 1), '\n') +
                                        std::string(sql.substr(pos, end - pos)),
                                    line, false});
      advance_to(next);
    }
    return out;
  }

  // One statement with $1, $2, ... bound to `params` (as text).
  rows query(std::string_view sql, const std::vector<std::string>& params) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr) != SQLITE_OK) fail(0);
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, &sqlite3_finalize);
    // Each placeholder $N takes params[N - 1]; SQLite numbers placeholders in
    // order of appearance. Walking them by number, not looking each $N up by
    // name (a string comparison with every placeholder before it), keeps a
    // statement with hundreds of them (the run ledger's) cheap.
    const int placeholders = sqlite3_bind_parameter_count(stmt.get());
    for (int index = 1; index <= placeholders; ++index) {
      const char* name = sqlite3_bind_parameter_name(stmt.get(), index);
      if (!name || name[0] != '$') continue;
      std::size_t n = 0;
      const char* digit = name + 1;
      for (; *digit >= '0' && *digit <= '9' && n <= params.size(); ++digit)
        n = n * 10 + static_cast<std::size_t>(*digit - '0');
      if (*digit != '\0' || n == 0 || n > params.size()) continue;
      const std::string& value = params[n - 1];
      if (sqlite3_bind_text(stmt.get(), index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) !=
          SQLITE_OK)
        fail(0);
    }
    rows out;
    int rc;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
      row r;
      int n = sqlite3_column_count(stmt.get());
      for (int c = 0; c < n; ++c) {
        if (sqlite3_column_type(stmt.get(), c) == SQLITE_NULL) {
          r.emplace_back();
        } else {
          auto text = reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), c));
          r.emplace_back(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt.get(), c))));
        }
      }
      out.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) fail(0);
    return out;
  }

  // capability::statement_check: whether `sql` compiles against the schema
  // this connection has read, with no file access (SQLite reads the schema
  // again only when a statement runs and finds it changed). A missing table is
  // a no; any other failure (locked, not a database) throws.
  bool compiles(std::string_view sql) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    sqlite3_finalize(raw);
    if (rc == SQLITE_OK) return true;
    if ((rc & 0xff) == SQLITE_ERROR) return false;  // e.g. no such table
    fail(0);
  }

  // IMMEDIATE: take the write lock now, so that the history re-check and the
  // migration are atomic against a concurrent run (which waits on busy_timeout).
  void begin() { execute_script("BEGIN IMMEDIATE"); }
  void commit() { execute_script("COMMIT"); }
  void rollback() {
    if (!sqlite3_get_autocommit(db_.get())) execute_script("ROLLBACK");
  }

  // Cancels the running statement (sqlite3_interrupt) from a signal handler.
  interrupt_handle interrupter() const noexcept {
    return {[](void* db) noexcept { sqlite3_interrupt(static_cast<sqlite3*>(db)); }, db_.get()};
  }

  std::string quote_identifier(std::string_view name) const { return detail::quote_sql_identifier(name); }

 private:
  // Skips whitespace and comments, to find where a statement really starts.
  static const char* skip_blank(const char* p, const char* end) {
    while (p < end) {
      if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
        ++p;
      } else if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
        while (p < end && *p != '\n') ++p;
      } else if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
        p += 2;
        while (end - p >= 2 && !(p[0] == '*' && p[1] == '/')) ++p;
        p = end - p >= 2 ? p + 2 : end;
      } else {
        break;
      }
    }
    return p;
  }
  static int line_of(const char* begin, const char* at) {
    int line = 1;
    for (const char* p = begin; p < at; ++p) line += (*p == '\n');
    return line;
  }
  [[noreturn]] void fail(int line) const {
    std::string message = sqlite3_errmsg(db_.get());
    if (line > 0) message += fmt::format(" (line {})", line);
    throw database_error(message, {}, line);
  }

  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db_;
  std::string path_;
};

class SqliteAdapter {
 public:
  using connection_type = SqliteConnection;
  // No schemas, no per-tenant lock (SQLite's own file lock serializes writers).
  using capabilities = capability_list<capability::transactional_ddl, capability::cancellation,
                                       capability::database_provisioning, capability::statement_splitting,
                                       capability::statement_check>;

  // How long a connection waits for another process's lock before failing.
  explicit SqliteAdapter(std::chrono::milliseconds busy_timeout = std::chrono::milliseconds(30000))
      : busy_timeout_(busy_timeout) {}

  // Opens an existing database file read-write. Checks that it really is a
  // SQLite database, so that a stray file fails here with a clear message.
  SqliteConnection connect(std::string_view location) { return open(location, false); }

  std::string tenant_database_location(std::string_view master_location, std::string_view tenant_location) const {
    std::filesystem::path p{std::string(tenant_location)};
    if (p.is_absolute() || master_location.empty()) return p.string();
    return (std::filesystem::path{std::string(master_location)}.parent_path() / p).lexically_normal().string();
  }

  // capability::database_provisioning: a new, empty database file.
  void create_database(std::string_view location) {
    if (database_exists(location)) throw error("database file '" + std::string(location) + "' already exists");
    open(location, true);
  }
  // Creates the file unless it exists (the master of a new installation).
  SqliteConnection connect_or_create(std::string_view location) { return open(location, true); }

  void drop_database(std::string_view location) {
    std::error_code ec;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"})
      std::filesystem::remove(std::string(location) + suffix, ec);
  }
  bool database_exists(std::string_view location) const {
    std::error_code ec;
    return std::filesystem::exists(std::string(location), ec);
  }

 private:
  SqliteConnection open(std::string_view location, bool create) {
    std::string path(location);
    if (!create && !database_exists(path)) throw database_error("database file '" + path + "' does not exist");
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    SqliteConnection connection(db, path);
    if (rc != SQLITE_OK)
      throw database_error("cannot open database file '" + path + "': " + (db ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_busy_timeout(db, static_cast<int>(busy_timeout_.count()));
    sqlite3_extended_result_codes(db, 1);
    // Compiling a statement reads the file's header and schema, so a file that
    // is not a database fails here; running one would cost a read transaction more.
    try {
      connection.compiles("SELECT 1 FROM sqlite_master");
    } catch (const database_error& e) {
      throw database_error("cannot open database file '" + path + "': " + e.what());
    }
    if (sqlite3_db_readonly(db, "main") == 1)
      throw database_error("database file '" + path + "' is read-only");
    return connection;
  }

  std::chrono::milliseconds busy_timeout_;
};

static_assert(DatabaseAdapter<SqliteAdapter>);
static_assert(ProvisioningAdapter<SqliteAdapter>);
static_assert(check_capabilities<SqliteAdapter>());

}  // namespace tenant_migrator
