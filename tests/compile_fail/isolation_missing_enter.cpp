// Must not compile: the isolation strategy says where a tenant lives but not
// how to enter it, and the message must name the missing member.
#include <tenant_migrator/tenant_migrator.hpp>

#include "fake_policies.hpp"

struct TargetOnlyIsolation {
  static constexpr bool needs_schemas = false;
  template <class A>
  static std::string connection_target(const A&, const tenant_migrator::tenant& t, std::string_view) {
    return t.location;
  }
};

int main() {
  using namespace tenant_migrator;
  TenantMigrator<TargetOnlyIsolation, FreshConnectionPerTenant<compile_fail::Adapter>, NullReporter> migrator;
  (void)migrator;
}
