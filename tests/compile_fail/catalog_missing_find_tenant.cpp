// Must not compile: the catalog lists tenants but cannot find one by id, and
// the message must name the missing Catalog member.
#include <tenant_migrator/tenant_migrator.hpp>

#include "fake_policies.hpp"

struct ListOnlyCatalog {
  std::vector<tenant_migrator::tenant> list_tenants();
};

int main() {
  using namespace tenant_migrator;
  TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<compile_fail::Adapter>, NullReporter> migrator;
  ListOnlyCatalog catalog;
  migrator.migrate_all(catalog, migration_set{});
}
