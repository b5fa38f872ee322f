// manage enabletenant ID: mark a disabled tenant active again (docs/commands/enabletenant.md).
#pragma once

#include "command.hpp"
#include "common/tenant_status.hpp"

namespace manage {

struct enabletenant_command : command, tenant_status_options {
  int run() override { return change_tenant_status(*this, true); }
};

}  // namespace manage
