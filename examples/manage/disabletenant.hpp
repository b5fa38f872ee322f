// manage disabletenant ID: mark a tenant disabled: runs leave it alone (docs/commands/disabletenant.md).
#pragma once

#include "command.hpp"
#include "common/tenant_status.hpp"

namespace manage {

struct disabletenant_command : command, tenant_status_options {
  int run() override { return change_tenant_status(*this, false); }
};

}  // namespace manage
