// Must not compile: the reporter handles every event but migration_failed,
// and the message must name that Reporter requirement.
#include <tenant_migrator/tenant_migrator.hpp>

#include "fake_policies.hpp"

struct ForgetfulReporter {
  void on(const tenant_migrator::run_started&) {}
  void on(const tenant_migrator::tenant_started&) {}
  void on(const tenant_migrator::migration_started&) {}
  void on(const tenant_migrator::migration_applied&) {}
  void on(const tenant_migrator::tenant_finished&) {}
  void on(const tenant_migrator::run_finished&) {}
};

int main() {
  using namespace tenant_migrator;
  TenantMigrator<DatabasePerTenant, FreshConnectionPerTenant<compile_fail::Adapter>, ForgetfulReporter> migrator;
  (void)migrator;
}
