// The per-tenant history table: which migrations a tenant has applied. Every
// statement that reads or writes it is here, and nowhere else. It lives in the
// tenant's own database or schema (docs/history-table.md):
//
//   CREATE TABLE tenant_migrator_history (
//     app         VARCHAR(255) NOT NULL,   -- "users"
//     name        VARCHAR(255) NOT NULL,   -- "0001_initial"
//     checksum    TEXT         NOT NULL,   -- SHA-256 of the file, hex
//     applied_at  TEXT         NOT NULL,   -- ISO 8601 UTC
//     duration_ms INTEGER      NOT NULL,
//     PRIMARY KEY (app, name))
//
// `table` is always the quoted, qualified name an IsolationStrategy's enter()
// returned (tenant_scope::history_table), or history_table_in() below.
#pragma once

#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <fmt/core.h>

#include "concepts/database_adapter.hpp"
#include "errors.hpp"
#include "model/history_record.hpp"
#include "model/migration.hpp"

namespace tenant_migrator {

inline constexpr std::string_view history_table_name = "tenant_migrator_history";

// The history table of a schema, quoted and qualified: "acme"."tenant_migrator_history".
template <DatabaseConnection C>
std::string history_table_in(const C& connection, std::string_view schema) {
  return connection.quote_identifier(schema) + "." + connection.quote_identifier(history_table_name);
}

namespace detail {
inline applied_migration history_row(const row& r, std::size_t first) {
  applied_migration a;
  a.key = {r.at(first).value_or(""), r.at(first + 1).value_or("")};
  a.checksum = r.at(first + 2).value_or("");
  a.applied_at = r.at(first + 3).value_or("");
  a.duration_ms = r.at(first + 4) ? std::stoll(*r.at(first + 4)) : 0;
  return a;
}
inline constexpr std::string_view history_columns = "app, name, checksum, applied_at, duration_ms";
// A statement that fails when the history table is missing, and reads nothing.
inline std::string history_probe(const std::string& table) {
  return fmt::format("SELECT 1 FROM {} WHERE 1 = 0", table);
}
}  // namespace detail

// Whether the history table exists. With capability::statement_check the
// connection answers a yes from the schema it has read, without a query; a no
// (perhaps stale) and every other adapter ask the database.
template <class Adapter = void, DatabaseConnection C>
bool history_table_exists(C& connection, const std::string& table) {
  const std::string probe = detail::history_probe(table);
  if constexpr (claims<Adapter, capability::statement_check>) {
    if (connection.compiles(probe)) return true;
  }
  try {
    connection.query(probe, {});
  } catch (const database_error&) {
    return false;
  }
  return true;
}

// Created when a tenant is first migrated (not by read-only commands).
// app and name are VARCHAR(255), not TEXT: MariaDB / MySQL refuse a TEXT
// column in a key without a prefix length; SQLite and PostgreSQL treat
// VARCHAR(255) like TEXT for these short names (tables made with TEXT keep working).
// With capability::statement_check, a table the connection knows is not
// created again (on SQLite, CREATE TABLE IF NOT EXISTS is a read transaction).
template <class Adapter = void, DatabaseConnection C>
void ensure_history_table(C& connection, const std::string& table) {
  if constexpr (claims<Adapter, capability::statement_check>) {
    if (connection.compiles(detail::history_probe(table))) return;
  }
  connection.execute_script(fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (app VARCHAR(255) NOT NULL, name VARCHAR(255) NOT NULL, checksum TEXT NOT NULL,"
      " applied_at TEXT NOT NULL, duration_ms INTEGER NOT NULL, PRIMARY KEY (app, name))",
      table));
}

template <DatabaseConnection C>
std::vector<applied_migration> read_history(C& connection, const std::string& table) {
  std::vector<applied_migration> out;
  for (auto& r : connection.query(
           fmt::format("SELECT {} FROM {} ORDER BY applied_at, app, name", detail::history_columns, table), {}))
    out.push_back(detail::history_row(r, 0));
  return out;
}

// The history, or nothing when the tenant has no history table yet (read-only paths).
template <class Adapter = void, DatabaseConnection C>
std::vector<applied_migration> read_history_if_any(C& connection, const std::string& table) {
  if (!history_table_exists<Adapter>(connection, table)) return {};
  return read_history(connection, table);
}

template <DatabaseConnection C>
bool is_recorded(C& connection, const std::string& table, const migration_key& key) {
  return !connection.query(fmt::format("SELECT 1 FROM {} WHERE app = $1 AND name = $2", table), {key.app, key.name})
              .empty();
}

template <DatabaseConnection C>
void record_applied(C& connection, const std::string& table, const migration& m, const std::string& applied_at,
                    long long duration_ms) {
  connection.query(fmt::format("INSERT INTO {} ({}) VALUES ($1, $2, $3, $4, $5)", table, detail::history_columns),
                   {m.app, m.name, m.checksum, applied_at, std::to_string(duration_ms)});
}

template <DatabaseConnection C>
void remove_record(C& connection, const std::string& table, const migration_key& key) {
  connection.query(fmt::format("DELETE FROM {} WHERE app = $1 AND name = $2", table), {key.app, key.name});
}

// The checksum recorded for `key`, or nothing when it is not recorded.
template <DatabaseConnection C>
std::optional<std::string> recorded_checksum(C& connection, const std::string& table, const migration_key& key) {
  auto found = connection.query(fmt::format("SELECT checksum FROM {} WHERE app = $1 AND name = $2", table),
                                {key.app, key.name});
  if (found.empty()) return std::nullopt;
  return found.front().at(0).value_or("");
}

// A repeatable migration applied again: its row takes the new checksum, time
// and duration (the key is the table's primary key, so no second row).
template <DatabaseConnection C>
void record_reapplied(C& connection, const std::string& table, const migration& m, const std::string& applied_at,
                      long long duration_ms) {
  connection.query(
      fmt::format("UPDATE {} SET checksum = $1, applied_at = $2, duration_ms = $3 WHERE app = $4 AND name = $5", table),
      {m.checksum, applied_at, std::to_string(duration_ms), m.app, m.name});
}

// Accepts a file's current checksum for an applied migration (repair).
template <DatabaseConnection C>
void update_checksum(C& connection, const std::string& table, const migration_key& key, const std::string& checksum) {
  connection.query(fmt::format("UPDATE {} SET checksum = $1 WHERE app = $2 AND name = $3", table),
                   {checksum, key.app, key.name});
}

namespace detail {
// Shared by read_schema_histories and read_database_histories: which of
// `spaces` (schemas or databases) have a history table, then one UNION ALL
// per `batch_size` tables, each row labelled with its space (CAST(... AS
// `text_type`): TEXT on PostgreSQL, CHAR on MariaDB, which has no TEXT cast).
template <DatabaseConnection C>
std::map<std::string, std::vector<applied_migration>> read_histories_where_present(
    C& connection, const std::vector<std::string>& spaces, std::size_t batch_size, std::string_view text_type) {
  std::set<std::string> wanted(spaces.begin(), spaces.end());
  std::vector<std::string> present;
  for (auto& r : connection.query("SELECT table_schema FROM information_schema.tables WHERE table_name = $1",
                                  {std::string(history_table_name)}))
    if (r.at(0) && wanted.count(*r.at(0))) present.push_back(*r.at(0));
  std::map<std::string, std::vector<applied_migration>> out;
  if (batch_size == 0) batch_size = 1;
  for (std::size_t first = 0; first < present.size(); first += batch_size) {
    std::string sql;
    std::vector<std::string> params;
    for (std::size_t i = first; i < std::min(present.size(), first + batch_size); ++i) {
      params.push_back(present[i]);
      if (!sql.empty()) sql += " UNION ALL ";
      sql += fmt::format("SELECT CAST(${} AS {}), {} FROM {}", params.size(), text_type, history_columns,
                         history_table_in(connection, present[i]));
    }
    for (auto& r : connection.query(sql, params)) out[r.at(0).value_or("")].push_back(history_row(r, 1));
  }
  return out;
}
}  // namespace detail

// How read_schema_histories reads a batch: a UNION ALL over its tables (any
// SQL database with schemas), or whole tables in one round trip
// (capability::bulk_table_reads: PostgreSQL's COPY), which costs a session
// that has not read those tables before a third as much (benchmarks.md).
enum class schema_history_reads { union_all, bulk };

// The histories of many schemas on one server, `batch_size` schemas per
// statement (each table read holds a lock until the statement's transaction
// ends, so one statement over thousands would exhaust the server's lock
// table). Schemas without a history table are absent from the result. This
// is what lets a run over many up-to-date schema tenants skip them without
// connecting to each (the fast path, through SchemaPerTenant::read_histories).
// When a bulk read fails, the rest is read with UNION ALL.
template <DatabaseConnection C>
std::map<std::string, std::vector<applied_migration>> read_schema_histories(
    C& connection, const std::vector<std::string>& schemas, std::size_t batch_size,
    schema_history_reads how = schema_history_reads::union_all) {
  if constexpr (requirement::connection_reads_tables<C>) {
    if (how == schema_history_reads::bulk) {
      std::map<std::string, std::vector<applied_migration>> out;
      if (batch_size == 0) batch_size = 1;
      for (std::size_t first = 0; first < schemas.size(); first += batch_size) {
        const std::size_t last = std::min(first + batch_size, schemas.size());
        std::vector<std::string> tables;
        for (std::size_t i = first; i < last; ++i) tables.push_back(history_table_in(connection, schemas[i]));
        std::vector<std::optional<rows>> found;
        try {
          found = connection.read_tables(tables, detail::history_columns);
        } catch (const database_error&) {
          connection.rollback();
          std::vector<std::string> rest(schemas.begin() + static_cast<std::ptrdiff_t>(first), schemas.end());
          out.merge(detail::read_histories_where_present(connection, rest, batch_size, "TEXT"));
          return out;
        }
        for (std::size_t i = 0; i < found.size(); ++i) {
          if (!found[i]) continue;
          auto& history = out[schemas[first + i]];
          for (const auto& r : *found[i]) history.push_back(detail::history_row(r, 0));
          // The order read_history's ORDER BY gives.
          std::sort(history.begin(), history.end(), [](const applied_migration& a, const applied_migration& b) {
            return std::tie(a.applied_at, a.key.app, a.key.name) < std::tie(b.applied_at, b.key.app, b.key.name);
          });
        }
      }
      return out;
    }
  }
  return detail::read_histories_where_present(connection, schemas, batch_size, "TEXT");
}

// The histories of many databases on one server, read over one connection to
// any of them (capability::cross_database_reads: MariaDB, MySQL): as
// read_schema_histories, the tables named `database`.`tenant_migrator_history`.
// Databases without a history table are absent from the result. The fast path
// for database tenants, through DatabasePerTenant::read_histories.
template <DatabaseConnection C>
std::map<std::string, std::vector<applied_migration>> read_database_histories(
    C& connection, const std::vector<std::string>& databases, std::size_t batch_size) {
  return detail::read_histories_where_present(connection, databases, batch_size, "CHAR");
}

// --- Progress of a migration run one statement at a time ---------------------
//
// A script that runs outside a transaction (`-- transaction: off`, or DDL
// where DDL is not transactional) runs one statement at a time, and after
// each the number of statements done is recorded next to the history table:
//
//   CREATE TABLE tenant_migrator_history_progress (
//     app             VARCHAR(255) NOT NULL,
//     name            VARCHAR(255) NOT NULL,
//     direction       VARCHAR(8)   NOT NULL,  -- 'up' or 'down'
//     statements_done INTEGER      NOT NULL,
//     done_checksum   TEXT         NOT NULL,  -- SHA-256 of those statements' text
//     PRIMARY KEY (app, name))
//
// A rerun goes on after them, if their text is unchanged. The row goes away
// in the transaction that records the migration in the history.

struct statement_progress {
  std::string direction;  // "up" or "down"
  int statements_done = 0;
  std::string done_checksum;
};

// The progress table beside `history_table`: the same qualified name with
// "_progress" appended to the table's own name ("s"."tenant_migrator_history"
// gives "s"."tenant_migrator_history_progress").
inline std::string progress_table_of(const std::string& history_table) {
  if (history_table.empty()) return "tenant_migrator_history_progress";
  char last = history_table.back();
  if (last == '"' || last == '`') return history_table.substr(0, history_table.size() - 1) + "_progress" + last;
  return history_table + "_progress";
}

template <DatabaseConnection C>
void ensure_progress_table(C& connection, const std::string& table) {
  connection.execute_script(fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (app VARCHAR(255) NOT NULL, name VARCHAR(255) NOT NULL, direction VARCHAR(8) "
      "NOT NULL, statements_done INTEGER NOT NULL, done_checksum TEXT NOT NULL, PRIMARY KEY (app, name))",
      table));
}

// The progress recorded for `key`, or nothing (the table must exist).
template <DatabaseConnection C>
std::optional<statement_progress> read_progress(C& connection, const std::string& table, const migration_key& key) {
  auto found = connection.query(
      fmt::format("SELECT direction, statements_done, done_checksum FROM {} WHERE app = $1 AND name = $2", table),
      {key.app, key.name});
  if (found.empty()) return std::nullopt;
  const row& r = found.front();
  return statement_progress{r.at(0).value_or(""), r.at(1) ? std::stoi(*r.at(1)) : 0, r.at(2).value_or("")};
}

// Replaces `key`'s progress (inside the caller's transaction).
template <DatabaseConnection C>
void record_progress(C& connection, const std::string& table, const migration_key& key,
                     const statement_progress& progress) {
  connection.query(fmt::format("DELETE FROM {} WHERE app = $1 AND name = $2", table), {key.app, key.name});
  connection.query(fmt::format("INSERT INTO {} (app, name, direction, statements_done, done_checksum) VALUES ($1, "
                               "$2, $3, $4, $5)",
                               table),
                   {key.app, key.name, progress.direction, std::to_string(progress.statements_done),
                    progress.done_checksum});
}

template <DatabaseConnection C>
void clear_progress(C& connection, const std::string& table, const migration_key& key) {
  connection.query(fmt::format("DELETE FROM {} WHERE app = $1 AND name = $2", table), {key.app, key.name});
}

}  // namespace tenant_migrator
