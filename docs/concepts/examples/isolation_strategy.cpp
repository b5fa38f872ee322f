// An IsolationStrategy of your own: each tenant's SQLite database lives at
// tenants/<id>/data.db beside the master, whatever the registry's location
// column says. The history table stays the default one in that database.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>

#include <tenant_migrator/adapters/sqlite.hpp>
#include <tenant_migrator/tenant_migrator.hpp>

namespace tmig = tenant_migrator;

struct DatabaseInTenantFolder {
  // No schemas needed: any DatabaseAdapter will do.
  static constexpr bool needs_schemas = false;

  // Where to connect for tenant t. Throws tmig::error to fail this tenant only.
  template <tmig::DatabaseAdapter A>
  static std::string connection_target(const A& adapter, const tmig::tenant& t, std::string_view master_location) {
    if (t.isolation != tmig::isolation_kind::database)
      throw tmig::error("tenant '" + t.id + "' is not database-isolated");
    return adapter.tenant_database_location(master_location, "tenants/" + t.id + "/data.db");
  }

  // Once connected: point the connection at the tenant (nothing to do for a
  // database of its own) and name its history table, quoted.
  template <tmig::DatabaseConnection C>
  static tmig::tenant_scope enter(C& connection, const tmig::tenant& t) {
    return {connection.quote_identifier(tmig::history_table_name), "folder:" + t.id};
  }
};

static_assert(tmig::check_isolation_strategy<DatabaseInTenantFolder, tmig::SqliteAdapter>());

int main() {
  std::string pattern = (std::filesystem::temp_directory_path() / "isolation_strategy_XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return 1;
  const std::filesystem::path dir = pattern;
  std::filesystem::create_directories(dir / "tenants/acme");
  tmig::SqliteAdapter adapter;
  adapter.create_database((dir / "tenants/acme/data.db").string());
  const tmig::tenant acme = tmig::tenant::database("acme", "unused", "Acme");

  const tmig::migration m = tmig::make_migration("notes", "0001_initial", "CREATE TABLE notes (id INTEGER PRIMARY KEY);");

  tmig::TenantMigrator<DatabaseInTenantFolder, tmig::FreshConnectionPerTenant<tmig::SqliteAdapter>, tmig::NullReporter>
      migrator({}, {}, {.master_location = (dir / "master.db").string()});
  const auto result = migrator.migrate_tenant(acme, tmig::make_migration_set({m}));
  const auto rows = adapter.connect((dir / "tenants/acme/data.db").string())
                        .query("SELECT count(*) FROM tenant_migrator_history", {});

  std::filesystem::remove_all(dir);
  std::cout << "acme: " << tmig::to_string(result.outcome) << ", history rows: " << rows.at(0).at(0).value_or("?")
            << '\n';
  return result.succeeded() ? 0 : 1;
}
