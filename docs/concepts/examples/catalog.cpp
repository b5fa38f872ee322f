// A Catalog of your own: the tenants come from the application's
// configuration instead of the default registry table in a master database.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <tenant_migrator/adapters/sqlite.hpp>
#include <tenant_migrator/tenant_migrator.hpp>

namespace tmig = tenant_migrator;

class ConfiguredCatalog {
 public:
  explicit ConfiguredCatalog(std::vector<tmig::tenant> tenants) : tenants_(std::move(tenants)) {
    std::sort(tenants_.begin(), tenants_.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  }

  // Every tenant, whatever its status, ordered by id.
  std::vector<tmig::tenant> list_tenants() { return tenants_; }

  // The tenant with this id, or nullopt.
  std::optional<tmig::tenant> find_tenant(const std::string& id) {
    for (const auto& t : tenants_)
      if (t.id == id) return t;
    return std::nullopt;
  }

 private:
  std::vector<tmig::tenant> tenants_;
};

static_assert(tmig::check_catalog<ConfiguredCatalog>());
// Read-only: incomplete tenants are not marked active after a successful run.
static_assert(!tmig::WritableCatalog<ConfiguredCatalog>);

int main() {
  std::string pattern = (std::filesystem::temp_directory_path() / "catalog_XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return 1;
  const std::filesystem::path dir = pattern;

  tmig::SqliteAdapter adapter;
  std::vector<tmig::tenant> configured;
  for (const char* id : {"globex", "acme", "initech"}) {
    const auto location = (dir / (std::string(id) + ".db")).string();  // absolute: no master to be relative to
    adapter.create_database(location);
    configured.push_back(tmig::tenant::database(id, location, id));
  }
  configured.back().status = tmig::tenant_status::disabled;  // initech: left alone
  ConfiguredCatalog catalog(configured);

  const tmig::migration m = tmig::make_migration("notes", "0001_initial", "CREATE TABLE notes (id INTEGER PRIMARY KEY);");

  tmig::TenantMigrator<tmig::DatabasePerTenant, tmig::FreshConnectionPerTenant<tmig::SqliteAdapter>, tmig::NullReporter>
      migrator;
  const auto summary = migrator.migrate_all(catalog, tmig::make_migration_set({m}));

  std::filesystem::remove_all(dir);
  for (const auto& r : summary.tenants) std::cout << r.tenant_id << ": " << tmig::to_string(r.outcome) << '\n';
  return summary.all_succeeded() && summary.tenants.size() == 2 && catalog.find_tenant("acme") ? 0 : 1;
}
