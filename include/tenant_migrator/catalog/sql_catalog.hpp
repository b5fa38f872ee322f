// SqlCatalog: the default tenant registry, a table in the master database
// (docs/master-registry.md):
//
//   CREATE TABLE tenant_migrator_tenants (
//     tenant_id  VARCHAR(255) PRIMARY KEY,  -- [a-z0-9-], 1-63, see validate_tenant_id
//     name       TEXT NOT NULL,
//     isolation  TEXT NOT NULL,      -- 'database' | 'schema'
//     location   TEXT NOT NULL,      -- file / database name / conninfo, or schema name
//     status     TEXT NOT NULL,      -- 'active' | 'disabled' | 'incomplete'
//     created_at TEXT NOT NULL)      -- ISO 8601 UTC
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../concepts/catalog.hpp"
#include "../concepts/database_adapter.hpp"
#include "../detail/clock.hpp"
#include "../errors.hpp"
#include "../model/tenant.hpp"

namespace tenant_migrator {

inline constexpr std::string_view tenants_table_name = "tenant_migrator_tenants";

template <DatabaseConnection C>
class SqlCatalog {
 public:
  explicit SqlCatalog(C connection) : connection_(std::move(connection)) {}

  C& connection() noexcept { return connection_; }

  // Creates the registry table if it is missing (createtenant, demos).
  // tenant_id is VARCHAR(255), not TEXT: MariaDB / MySQL refuse a TEXT key
  // without a prefix length; SQLite and PostgreSQL treat both alike.
  void ensure_table() {
    connection_.execute_script("CREATE TABLE IF NOT EXISTS " + table() +
                               " (tenant_id VARCHAR(255) PRIMARY KEY, name TEXT NOT NULL,"
                               " isolation TEXT NOT NULL CHECK (isolation IN ('database', 'schema')),"
                               " location TEXT NOT NULL,"
                               " status TEXT NOT NULL CHECK (status IN ('active', 'disabled', 'incomplete')),"
                               " created_at TEXT NOT NULL)");
  }

  // Every tenant, by id. Read a page at a time: one result of 100,000 rows
  // would be held three times over at its peak (the client library's copy,
  // its rows, the tenants built from them).
  std::vector<tenant> list_tenants() {
    std::vector<tenant> out;
    out.reserve(count());  // a hint: a tenant created meanwhile is read all the same
    for (;;) {
      auto page = out.empty() ? select("", {}, page_size) : select(" WHERE tenant_id > $1", {out.back().id}, page_size);
      const bool last = page.size() < page_size;
      std::move(page.begin(), page.end(), std::back_inserter(out));
      if (last) return out;
    }
  }

  std::optional<tenant> find_tenant(const std::string& id) {
    auto found = select(" WHERE tenant_id = $1", {id});
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }

  void add_tenant(const tenant& t) {
    connection_.query("INSERT INTO " + table() +
                          " (tenant_id, name, isolation, location, status, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                      {t.id, t.name, std::string(to_string(t.isolation)), t.location, std::string(to_string(t.status)),
                       t.created_at.empty() ? detail::iso8601_now() : t.created_at});
  }
  void remove_tenant(const std::string& id) { connection_.query("DELETE FROM " + table() + " WHERE tenant_id = $1", {id}); }
  void set_status(const std::string& id, tenant_status s) {
    connection_.query("UPDATE " + table() + " SET status = $1 WHERE tenant_id = $2", {std::string(to_string(s)), id});
  }

 private:
  static constexpr std::size_t page_size = 10'000;

  std::string table() const { return connection_.quote_identifier(tenants_table_name); }

  rows read(const std::string& sql, const std::vector<std::string>& params) {
    try {
      return connection_.query(sql, params);
    } catch (const database_error& e) {
      throw usage_error("cannot read the tenant registry (table " + std::string(tenants_table_name) +
                        ") in the master database: " + e.what());
    }
  }

  std::size_t count() {
    auto found = read("SELECT count(*) FROM " + table(), {});
    return found.empty() ? 0 : std::stoull(found.front().at(0).value_or("0"));
  }

  // The tenants `where` selects, by id; at most `limit` of them (0: all).
  std::vector<tenant> select(const std::string& where, const std::vector<std::string>& params, std::size_t limit = 0) {
    rows found = read("SELECT tenant_id, name, isolation, location, status, created_at FROM " + table() + where +
                          " ORDER BY tenant_id" + (limit == 0 ? std::string() : " LIMIT " + std::to_string(limit)),
                      params);
    // Each row is moved into its tenant and released at once.
    std::vector<tenant> out;
    out.reserve(found.size());
    for (auto& r : found) {
      tenant t;
      t.id = std::move(r.at(0)).value_or("");
      t.name = std::move(r.at(1)).value_or("");
      auto iso = r.at(2).value_or("");
      auto st = r.at(4).value_or("");
      auto parsed_iso = parse_isolation(iso);
      auto parsed_status = parse_status(st);
      if (!parsed_iso)
        throw usage_error("tenant registry: tenant '" + t.id + "' has isolation '" + iso +
                          "' (expected database or schema)");
      if (!parsed_status)
        throw usage_error("tenant registry: tenant '" + t.id + "' has status '" + st + "' (expected active, disabled or incomplete)");
      t.isolation = *parsed_iso;
      t.status = *parsed_status;
      t.location = std::move(r.at(3)).value_or("");
      t.created_at = std::move(r.at(5)).value_or("");
      out.push_back(std::move(t));
      row().swap(r);
    }
    return out;
  }

  C connection_;
};

}  // namespace tenant_migrator
