// A minimal DatabaseAdapter for the compile-failure tests: declared only,
// never defined, since these sources are only ever compiled with -fsyntax-only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tenant_migrator/tenant_migrator.hpp>

namespace compile_fail {

struct Connection {
  void execute_script(std::string_view);
  tenant_migrator::rows query(std::string_view, const std::vector<std::string>&);
  void begin();
  void commit();
  void rollback();
  std::string quote_identifier(std::string_view) const;
};

struct Adapter {
  using connection_type = Connection;
  using capabilities = tenant_migrator::capability_list<tenant_migrator::capability::transactional_ddl>;
  Connection connect(std::string_view);
  std::string tenant_database_location(std::string_view, std::string_view) const;
};

}  // namespace compile_fail
