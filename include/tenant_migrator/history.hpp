// The per-tenant history table: which migrations a tenant has applied.
// It lives in the tenant's own database or schema (docs/history-table.md):
//
//   CREATE TABLE tenant_migrator_history (
//     app         TEXT    NOT NULL,   -- "users"
//     name        TEXT    NOT NULL,   -- "0001_initial"
//     checksum    TEXT    NOT NULL,   -- SHA-256 of the file, hex
//     applied_at  TEXT    NOT NULL,   -- ISO 8601 UTC
//     duration_ms INTEGER NOT NULL,
//     PRIMARY KEY (app, name))
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "concepts/database_adapter.hpp"
#include "migration.hpp"

namespace tenant_migrator {

inline constexpr std::string_view history_table_name = "tenant_migrator_history";

struct applied_migration {
  migration_key key;
  std::string checksum;
  std::string applied_at;
  long long duration_ms = 0;
};

template <DatabaseConnection C>
void ensure_history_table(C& connection, const std::string& table) {
  connection.execute_script("CREATE TABLE IF NOT EXISTS " + table +
                            " (app TEXT NOT NULL, name TEXT NOT NULL, checksum TEXT NOT NULL,"
                            " applied_at TEXT NOT NULL, duration_ms INTEGER NOT NULL,"
                            " PRIMARY KEY (app, name))");
}

template <DatabaseConnection C>
std::vector<applied_migration> read_history(C& connection, const std::string& table) {
  std::vector<applied_migration> out;
  for (auto& r : connection.query("SELECT app, name, checksum, applied_at, duration_ms FROM " + table +
                                      " ORDER BY applied_at, app, name",
                                  {})) {
    applied_migration a;
    a.key = {r.at(0).value_or(""), r.at(1).value_or("")};
    a.checksum = r.at(2).value_or("");
    a.applied_at = r.at(3).value_or("");
    a.duration_ms = r.at(4) ? std::stoll(*r.at(4)) : 0;
    out.push_back(std::move(a));
  }
  return out;
}

template <DatabaseConnection C>
bool is_recorded(C& connection, const std::string& table, const migration_key& key) {
  return !connection.query("SELECT 1 FROM " + table + " WHERE app = $1 AND name = $2", {key.app, key.name}).empty();
}

template <DatabaseConnection C>
void record_applied(C& connection, const std::string& table, const migration& m, const std::string& applied_at,
                    long long duration_ms) {
  connection.query("INSERT INTO " + table + " (app, name, checksum, applied_at, duration_ms) VALUES ($1, $2, $3, $4, $5)",
                   {m.app, m.name, m.checksum, applied_at, std::to_string(duration_ms)});
}

template <DatabaseConnection C>
void remove_record(C& connection, const std::string& table, const migration_key& key) {
  connection.query("DELETE FROM " + table + " WHERE app = $1 AND name = $2", {key.app, key.name});
}

// The histories of many schemas on one server in two round trips: which of
// `schemas` have a history table, then one UNION ALL over those tables.
// Schemas without a history table are absent from the result. This is what
// lets a run over many up-to-date schema tenants skip them without
// connecting to each (the fast path of TenantMigrator::run).
template <DatabaseConnection C>
std::map<std::string, std::vector<applied_migration>> read_schema_histories(C& connection,
                                                                            const std::vector<std::string>& schemas) {
  std::set<std::string> wanted(schemas.begin(), schemas.end());
  std::vector<std::string> present;
  for (auto& r : connection.query("SELECT table_schema FROM information_schema.tables WHERE table_name = $1",
                                  {std::string(history_table_name)}))
    if (r.at(0) && wanted.count(*r.at(0))) present.push_back(*r.at(0));
  std::map<std::string, std::vector<applied_migration>> out;
  constexpr std::size_t chunk = 500;  // keeps each statement a reasonable size
  for (std::size_t first = 0; first < present.size(); first += chunk) {
    std::string sql;
    std::vector<std::string> params;
    for (std::size_t i = first; i < std::min(present.size(), first + chunk); ++i) {
      params.push_back(present[i]);
      if (!sql.empty()) sql += " UNION ALL ";
      sql += "SELECT CAST($" + std::to_string(params.size()) + " AS TEXT), app, name, checksum, applied_at, duration_ms FROM " +
             connection.quote_identifier(present[i]) + "." + connection.quote_identifier(history_table_name);
    }
    for (auto& r : connection.query(sql, params)) {
      applied_migration a;
      a.key = {r.at(1).value_or(""), r.at(2).value_or("")};
      a.checksum = r.at(3).value_or("");
      a.applied_at = r.at(4).value_or("");
      a.duration_ms = r.at(5) ? std::stoll(*r.at(5)) : 0;
      out[r.at(0).value_or("")].push_back(std::move(a));
    }
  }
  return out;
}

// Why a tenant's history does not fit the migration set, or empty when it does:
// a recorded migration missing from the set, a changed file, or a recorded
// migration whose dependency is not recorded. Nothing may be applied then.
inline std::string verify_history(const migration_set& set, const std::vector<applied_migration>& history) {
  std::set<migration_key> recorded;
  for (const auto& a : history) recorded.insert(a.key);
  for (const auto& a : history) {
    const migration* m = set.find(a.key);
    if (!m) return a.key.str() + ".sql is recorded as applied but is not in the migration set";
    if (m->checksum != a.checksum)
      return m->file() + " was changed after it was applied (checksum " + a.checksum.substr(0, 12) +
             " recorded, " + m->checksum.substr(0, 12) + " now)";
    for (const auto& dep : m->depends)
      if (!recorded.count(dep))
        return m->file() + " is recorded as applied but its dependency " + dep.str() + ".sql is not";
  }
  return {};
}

// The migrations of `set` not yet in `history`, in application order.
inline std::vector<const migration*> pending_migrations(const migration_set& set,
                                                        const std::vector<applied_migration>& history) {
  std::set<migration_key> recorded;
  for (const auto& a : history) recorded.insert(a.key);
  std::vector<const migration*> out;
  for (const auto& m : set.ordered())
    if (!recorded.count(m.key())) out.push_back(&m);
  return out;
}

}  // namespace tenant_migrator
