// Placeholders: a migration that says `-- placeholders: on` in its header
// has these replaced, for each tenant, before its script runs:
//
//   ${tenant_id}        the tenant's id, as an SQL string literal      'acme'
//   ${tenant_schema}    a schema tenant's schema, quoted as identifier "acme"
//   ${tenant_database}  a database tenant's database, quoted likewise  "acme_db"
//
//   -- placeholders: on
//   GRANT USAGE ON SCHEMA ${tenant_schema} TO reporting;
//
// Identifiers are quoted by the connection (quote_identifier). A value is
// checked before it is put in (the id by validate_tenant_id, the names by
// validate_sql_name), so a hostile-looking id or name is refused, not
// escaped. The checksum is of the file as written. An unknown or unclosed
// placeholder is a problem of the set (make_migration_set), before anything
// runs. Files without the header are run as written: `${` means nothing there.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "../errors.hpp"
#include "../model/migration.hpp"
#include "../model/plan.hpp"
#include "../model/tenant.hpp"
#include "migration_file.hpp"

namespace tenant_migrator {

inline constexpr std::string_view placeholder_names[] = {"tenant_id", "tenant_schema", "tenant_database"};

namespace detail {

// Calls f(name, begin, end) for each `${name}` of `sql` (begin/end: the
// placeholder's bounds); returns false, having stopped, at a `${` without its `}`.
template <class F>
bool for_each_placeholder(std::string_view sql, F&& f) {
  std::size_t pos = 0;
  while ((pos = sql.find("${", pos)) != std::string_view::npos) {
    auto close = sql.find('}', pos + 2);
    auto newline = sql.find('\n', pos + 2);
    if (close == std::string_view::npos || newline < close) return false;
    f(sql.substr(pos + 2, close - pos - 2), pos, close + 1);
    pos = close + 1;
  }
  return true;
}

inline bool known_placeholder(std::string_view name) {
  for (auto known : placeholder_names)
    if (name == known) return true;
  return false;
}

// The problems of one script with placeholders on, one line each.
inline std::vector<std::string> placeholder_problems(std::string_view sql) {
  std::vector<std::string> problems;
  bool closed = for_each_placeholder(sql, [&](std::string_view name, std::size_t, std::size_t) {
    if (!known_placeholder(name))
      problems.push_back("unknown placeholder '${" + std::string(name) +
                         "}' (known: ${tenant_id}, ${tenant_schema}, ${tenant_database})");
  });
  if (!closed) problems.push_back("a '${' without its '}' on the same line (placeholders are on)");
  return problems;
}

// The value of placeholder `name` for `t`: checked, then quoted. Throws error naming the tenant.
template <class Connection>
std::string placeholder_value(std::string_view name, const tenant& t, const Connection& connection) {
  if (name == "tenant_id") {
    if (auto why = validate_tenant_id(t.id); !why.empty()) throw error("${tenant_id}: " + why);
    return "'" + t.id + "'";  // [a-z0-9-] only: nothing to escape
  }
  const bool schema = name == "tenant_schema";
  if ((t.isolation == isolation_kind::schema) != schema)
    throw error("${" + std::string(name) + "}: tenant '" + t.id + "' uses " + std::string(to_string(t.isolation)) +
                " isolation");
  if (auto why = validate_sql_name(t.location, schema ? "schema name" : "database name"); !why.empty())
    throw error("${" + std::string(name) + "} of tenant '" + t.id + "': " + why);
  return connection.quote_identifier(t.location);
}

}  // namespace detail

// Reads `-- placeholders: on` from the headers of m's scripts into
// m.placeholders / m.down_placeholders, and appends the problems of those
// scripts (unknown or unclosed placeholders) to `problems`, naming the file.
inline void read_placeholders(migration& m, std::vector<migration_problem>& problems) {
  m.placeholders = parse_migration_header(m.sql).placeholders;
  m.down_placeholders = m.down_sql && parse_migration_header(*m.down_sql).placeholders;
  if (m.placeholders)
    for (auto& p : detail::placeholder_problems(m.sql)) problems.push_back({m.file(), std::move(p)});
  if (m.down_placeholders)
    for (auto& p : detail::placeholder_problems(*m.down_sql)) problems.push_back({m.down_file(), std::move(p)});
}

// The script of `m` to run in `way` for `t`: as written, or with its
// placeholders replaced. Throws error (naming the tenant and the
// placeholder) when a value is refused.
template <class Connection>
std::string script_for(const migration& m, direction way, const tenant& t, const Connection& connection) {
  const bool forwards = way == direction::forwards;
  const std::string& sql = forwards ? m.sql : *m.down_sql;
  if (!(forwards ? m.placeholders : m.down_placeholders)) return sql;
  std::string out;
  std::size_t copied = 0;
  detail::for_each_placeholder(sql, [&](std::string_view name, std::size_t begin, std::size_t end) {
    out.append(sql, copied, begin - copied);
    out += detail::placeholder_value(name, t, connection);
    copied = end;
  });
  out.append(sql, copied);
  return out;
}

// Throws error, naming the file, for the first step of `steps` whose
// placeholders `t` has no acceptable value for: checked for a whole plan
// before any step runs (baseline steps run no SQL).
template <class Connection>
void check_placeholder_values(const std::vector<plan_step>& steps, const tenant& t, const Connection& connection) {
  for (const auto& step : steps) {
    if (step.baseline) continue;
    try {
      (void)script_for(*step.what, step.way, t, connection);
    } catch (const error& e) {
      throw error((step.way == direction::forwards ? step.what->file() : step.what->down_file()) + ": " + e.what());
    }
  }
}

}  // namespace tenant_migrator
