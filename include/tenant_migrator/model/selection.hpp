// Which tenants a run covers.
#pragma once

#include <string>
#include <vector>

namespace tenant_migrator {

// Which tenants a run covers: all active ones, or only some.
struct tenant_selection {
  std::vector<std::string> only;     // empty: every active tenant
  std::vector<std::string> exclude;
};

}  // namespace tenant_migrator
