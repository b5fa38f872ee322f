// Must not compile: the adapter's connection lacks execute_script, and the
// message must name that requirement.
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
  static constexpr bool supports_schemas = false;
  static constexpr bool supports_transactional_ddl = true;
  Connection connect(std::string_view);
  std::string tenant_database_location(std::string_view, std::string_view) const;
};

static_assert(tenant_migrator::check_database_adapter<Adapter>());
int main() {}
