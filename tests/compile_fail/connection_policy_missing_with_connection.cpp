// Must not compile: the connection policy names its adapter but lends no
// connections, and the message must name the missing member.
#include <tenant_migrator/tenant_migrator.hpp>

#include "fake_policies.hpp"

struct AdapterOnlyPolicy {
  using adapter_type = compile_fail::Adapter;
  adapter_type& adapter() { return adapter_; }
  adapter_type adapter_;
};

int main() {
  using namespace tenant_migrator;
  TenantMigrator<DatabasePerTenant, AdapterOnlyPolicy, NullReporter> migrator;
  (void)migrator;
}
