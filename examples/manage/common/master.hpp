// Reaching the master and the migration set, written once for any adapter on
// the library's public API.
#pragma once

#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <tenant_migrator/migrations/layouts.hpp>
#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/adapters/sqlite.hpp>
#ifdef TENANT_MIGRATOR_MANAGE_WITH_POSTGRESQL
#include <tenant_migrator/adapters/postgresql.hpp>
#endif
#ifdef TENANT_MIGRATOR_MANAGE_WITH_MARIADB
#include <tenant_migrator/adapters/mariadb.hpp>
#endif

#include "cli.hpp"
#include "errors.hpp"
#include "master_url.hpp"
#include "signals.hpp"

namespace manage {

namespace tmig = tenant_migrator;

// Calls f(adapter, master_location) with the adapter the master URL calls
// for; `shared_schemas` (--shared-schema) go on schema tenants' search path,
// and are refused for a backend without schemas.
template <class F>
int with_master(const std::string& url, F&& f, const std::vector<std::string>& shared_schemas = {}) {
  if (url.empty()) throw tmig::usage_error("no master database: give --master URL or set TENANT_MIGRATOR_MASTER");
  current_master() = url;  // error messages that quote it are cleaned of its secrets
  auto master = parse_master_url(url);
  for (const auto& schema : shared_schemas)
    if (auto why = tmig::validate_shared_schema(schema); !why.empty()) throw tmig::usage_error("--shared-schema: " + why);
  if (!shared_schemas.empty() && master.backend != backend_kind::postgresql)
    throw tmig::usage_error(std::string("--shared-schema: ") +
                            (master.backend == backend_kind::sqlite ? "SQLite" : "MariaDB") +
                            " has no schemas to share (only PostgreSQL schema tenants have a search path)");
  switch (master.backend) {
    case backend_kind::sqlite:
      return f(tmig::SqliteAdapter{}, master.location);
    case backend_kind::postgresql: {
#ifdef TENANT_MIGRATOR_MANAGE_WITH_POSTGRESQL
      tmig::postgresql_options options;
      options.shared_schemas = shared_schemas;
      return f(tmig::PostgresqlAdapter(master.location, options), master.location);
#else
      throw tmig::usage_error("this build of manage has no PostgreSQL support");
#endif
    }
    case backend_kind::mariadb:
#ifdef TENANT_MIGRATOR_MANAGE_WITH_MARIADB
      return f(tmig::MariadbAdapter(master.location), master.location);
#else
      throw tmig::usage_error("this build of manage has no MariaDB support");
#endif
  }
  throw tmig::usage_error("unknown master database kind");
}

// How tenant listings show locations: a mariadb:// or mysql:// one through
// the MariaDB adapter's masking, any other through libpq's reading of it,
// which masks what libpq takes for a secret (a SQLite registry may list
// connection strings of either kind), or, without the adapter, the core's
// (connection strings not shown).
inline std::string shown_any_location(std::string_view location) {
#ifdef TENANT_MIGRATOR_MANAGE_WITH_MARIADB
  if (location.substr(0, 10) == "mariadb://" || location.substr(0, 8) == "mysql://")
    return tmig::MariadbAdapter::shown_location(location);
#endif
#ifdef TENANT_MIGRATOR_MANAGE_WITH_POSTGRESQL
  return tmig::PostgresqlAdapter::shown_location(location);
#else
  return tmig::shown_location(location);
#endif
}
inline tmig::location_display shown_location_display() { return &shown_any_location; }

template <class Adapter>
using fresh_connections = tmig::FreshConnectionPerTenant<Adapter>;

template <class Policy, class Reporter = tmig::NullReporter, class Execution = tmig::SequentialExecution>
using migrator = tmig::TenantMigrator<tmig::PerTenantIsolation, Policy, Reporter, Execution>;

// The master's tenant registry; `create` makes the master and its table if missing.
template <class Adapter>
auto open_catalog(Adapter& adapter, const std::string& master, bool create = false) {
  if constexpr (requires { adapter.connect_or_create(master); }) {
    if (create) {
      tmig::SqlCatalog catalog(adapter.connect_or_create(master));
      catalog.ensure_table();
      return catalog;
    }
  }
  tmig::SqlCatalog catalog(adapter.connect(master));
  if (create) catalog.ensure_table();
  return catalog;
}

inline const std::string& migrations_folder(const source_options& o) {
  if (o.migrations.empty())
    throw tmig::usage_error("no migrations folder: give --migrations DIR or set TENANT_MIGRATOR_MIGRATIONS");
  return o.migrations;
}

// with_master for a command that reads or runs migrations: --shared-schema too.
template <class F>
int with_sources(const source_options& o, F&& f) {
  return with_master(o.master, std::forward<F>(f), o.shared_schemas);
}

// The folder's layout: --migrations-format, else detected (throws for a folder that mixes layouts).
inline tmig::migration_layout migrations_layout(const source_options& o) {
  if (!o.migrations_format.empty()) return *tmig::parse_migration_layout(o.migrations_format);
  return tmig::detect_migration_layout(migrations_folder(o)).layout;
}

// The migration set of --migrations, in its layout (--migrations-format, or
// detected: another tool's layout detected is said on stderr, with the app
// name). pop's dialect is the master's.
inline tmig::migration_set load_set(const source_options& o) {
  const auto& dir = migrations_folder(o);
  tmig::layout_options options;
  options.layout = migrations_layout(o);
  options.app = o.app;
  if (!o.master.empty()) {
    auto backend = parse_master_url(o.master).backend;
    options.dialect = backend == backend_kind::sqlite ? "sqlite3" : backend == backend_kind::postgresql ? "postgres" : "mysql";
  }
  auto set = tmig::load_migrations(dir, options);
  if (o.migrations_format.empty() && options.layout != tmig::migration_layout::tenant_migrator && !set.empty())
    std::cerr << "Migrations: " << tmig::layout_name(options.layout) << " layout detected in " << dir << " (app \""
              << set.ordered().front().app << "\")\n";
  return set;
}

// The target the positionals ask for, checked against the set.
inline tmig::migration_target target_of(const target_options& o, const tmig::migration_set& set) {
  tmig::migration_target t;
  if (!o.app_label.empty()) t.app = o.app_label;
  if (!o.migration_name.empty()) t.name = o.migration_name;
  tmig::validate_target(set, t);
  return t;
}

// --baseline APP/NAME (".sql" optional) as a migration of the set; nothing when not given.
inline std::optional<tmig::migration_key> baseline_of(const target_options& o, const tmig::migration_set& set) {
  if (o.baseline.empty()) return std::nullopt;
  auto slash = o.baseline.find('/');
  if (slash == std::string::npos)
    throw tmig::usage_error("--baseline '" + o.baseline + "': expected APP/NAME, e.g. users/0003_add_email");
  tmig::migration_key key{o.baseline.substr(0, slash), o.baseline.substr(slash + 1)};
  if (!set.find(key) && key.name.size() > 4 && key.name.ends_with(".sql")) key.name.resize(key.name.size() - 4);
  tmig::validate_baseline(set, key);
  return key;
}

inline tmig::migrator_options migrator_options_of(const std::string& master, const timeout_options& t, bool fake) {
  tmig::migrator_options m;
  m.master_location = master;
  m.stop_signal = &stop_signal;
  m.lock_wait = timeout_options::ms(t.lock_wait);
  m.lock_timeout = timeout_options::ms(t.lock_timeout);
  m.statement_timeout = timeout_options::ms(t.statement_timeout);
  m.fake = fake;
  return m;
}

// The registry row of `id`; usage_error when there is none (or it is disabled
// and allow_disabled is false).
template <class Catalog>
tmig::tenant existing_tenant(Catalog& catalog, const std::string& id, bool allow_disabled = false) {
  if (id.empty()) throw tmig::usage_error("missing --tenant-id");
  auto t = catalog.find_tenant(id);
  if (!t)
    throw tmig::usage_error("Tenant '" + id + "' does not exist. Create it with: manage createtenant --tenant-id=" + id +
                            " ...");
  if (t->status == tmig::tenant_status::disabled && !allow_disabled) throw tmig::usage_error(disabled_message(id));
  return *t;
}

}  // namespace manage
