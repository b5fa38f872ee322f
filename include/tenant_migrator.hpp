// TenantMigrator's umbrella header (the core). Same as <tenant_migrator/tenant_migrator.hpp>.
#pragma once

#include "tenant_migrator/tenant_migrator.hpp"
