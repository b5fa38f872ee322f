// Must not compile: the adapter claims a per-tenant lock, but its connection
// misspells try_lock_tenant. Without the claim being checked, the migrator
// would silently run without the lock; the message must name the member.
#include <chrono>
#include <string>

#include <tenant_migrator/tenant_migrator.hpp>

struct Connection {
  void execute_script(std::string_view);
  tenant_migrator::rows query(std::string_view, const std::vector<std::string>&);
  void begin();
  void commit();
  void rollback();
  std::string quote_identifier(std::string_view) const;
  bool try_lock_tennant(const std::string&, std::chrono::milliseconds);  // sic
  void unlock_tenant(const std::string&);
};
struct Adapter {
  using connection_type = Connection;
  using capabilities = tenant_migrator::capability_list<tenant_migrator::capability::transactional_ddl,
                                                        tenant_migrator::capability::per_tenant_lock>;
  Connection connect(std::string_view);
  std::string tenant_database_location(std::string_view, std::string_view) const;
};

int main() {
  using namespace tenant_migrator;
  TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<Adapter>, NullReporter> migrator;
  (void)migrator;
}
