// A tenant as the master registry records it, and the rules for its identifiers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace tenant_migrator {

enum class isolation_kind { database, schema };
// active: migrated by migratealltenants. disabled: left alone.
// incomplete: created, but its first migrations failed; migrated like an
// active tenant, and marked active once a run succeeds.
enum class tenant_status { active, disabled, incomplete };

inline std::string_view to_string(isolation_kind k) noexcept {
  return k == isolation_kind::database ? "database" : "schema";
}
inline std::string_view to_string(tenant_status s) noexcept {
  switch (s) {
    case tenant_status::active: return "active";
    case tenant_status::disabled: return "disabled";
    case tenant_status::incomplete: return "incomplete";
  }
  return "?";
}
inline std::optional<isolation_kind> parse_isolation(std::string_view s) noexcept {
  if (s == "database") return isolation_kind::database;
  if (s == "schema") return isolation_kind::schema;
  return std::nullopt;
}
inline std::optional<tenant_status> parse_status(std::string_view s) noexcept {
  if (s == "active") return tenant_status::active;
  if (s == "disabled") return tenant_status::disabled;
  if (s == "incomplete") return tenant_status::incomplete;
  return std::nullopt;
}

struct tenant {
  std::string id;        // lowercase letters, digits, '-'; see validate_tenant_id
  std::string name;      // free text for people
  isolation_kind isolation = isolation_kind::database;
  std::string location;  // database: file path / database name / conninfo; schema: schema name
  tenant_status status = tenant_status::active;
  std::string created_at;  // ISO 8601, UTC

  // A tenant in its own database: a SQLite file (relative to the master's
  // folder), a PostgreSQL database name or connection string.
  static tenant database(std::string id, std::string location, std::string name = {}) {
    return {std::move(id), std::move(name), isolation_kind::database, std::move(location), tenant_status::active, {}};
  }
  // A tenant in its own schema on the master's server.
  static tenant schema(std::string id, std::string schema_name, std::string name = {}) {
    return {std::move(id), std::move(name), isolation_kind::schema, std::move(schema_name), tenant_status::active, {}};
  }
};

// Empty when `id` is a valid tenant id, else why not (one line, naming the id).
// Valid: 1-63 of [a-z0-9-], not starting or ending with '-' (a DNS label, lowercase).
inline std::string validate_tenant_id(std::string_view id) {
  auto quoted = [&] { return "'" + std::string(id.substr(0, 80)) + (id.size() > 80 ? "...'" : "'"); };
  if (id.empty()) return "tenant id is empty";
  if (id.size() > 63) return "tenant id " + quoted() + " is longer than 63 characters";
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok)
      return "tenant id " + quoted() + " may contain only lowercase letters, digits and '-'";
  }
  if (id.front() == '-' || id.back() == '-')
    return "tenant id " + quoted() + " must not start or end with '-'";
  return {};
}

// Empty when `name` is a schema or database name we accept, else why not.
// Accepted: 1-63 bytes of [a-z0-9_], starting with a letter or '_', not a
// reserved name (public, information_schema, pg_*). Strict on purpose: such
// names come from outside and end up in DDL (always quoted as well).
inline std::string validate_sql_name(std::string_view name, std::string_view what = "schema name") {
  std::string shown = "'" + std::string(name.substr(0, 80)) + (name.size() > 80 ? "...'" : "'");
  if (name.empty()) return std::string(what) + " is empty";
  if (name.size() > 63) return std::string(what) + " " + shown + " is longer than 63 bytes";
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok)
      return std::string(what) + " " + shown + " may contain only lowercase letters, digits and '_'";
  }
  if (name.front() >= '0' && name.front() <= '9')
    return std::string(what) + " " + shown + " must not start with a digit";
  if (name == "public" || name == "information_schema" || name.substr(0, 3) == "pg_")
    return std::string(what) + " " + shown + " is reserved";
  return {};
}

// Empty when `name` may be a shared schema (one put after each tenant's own
// on the search path, PostgreSQL's postgresql_options::shared_schemas): public,
// or a name validate_sql_name accepts. Else why not, naming it.
inline std::string validate_shared_schema(std::string_view name) {
  if (name == "public") return {};
  return validate_sql_name(name, "shared schema name");
}

}  // namespace tenant_migrator
