// Must not compile: the adapter's connection lacks execute_script, and the
// message must name that requirement on the user's path: naming the adapter
// in a migrator, not calling the check by hand.
#include <tenant_migrator/tenant_migrator.hpp>

struct Connection {
  void begin();
  void commit();
  void rollback();
  tenant_migrator::rows query(std::string_view, const std::vector<std::string>&);
  std::string quote_identifier(std::string_view) const;
};
struct Adapter {
  using connection_type = Connection;
  using capabilities = tenant_migrator::capability_list<tenant_migrator::capability::transactional_ddl>;
  Connection connect(std::string_view);
  std::string tenant_database_location(std::string_view, std::string_view) const;
};

int main() {
  using namespace tenant_migrator;
  TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<Adapter>, NullReporter> migrator;
  (void)migrator;
}
