// TenantMigrator: bring every tenant of a multi-tenant system up to date with
// its database migrations. The umbrella header of the core: no database
// client and no JSON library. Add an adapter (tenant_migrator/adapters/sqlite.hpp,
// .../postgresql.hpp) and, for JSON output, tenant_migrator/reporting/json_reporter.hpp.
#pragma once

#include "version.hpp"
#include "errors.hpp"
#include "tenant.hpp"
#include "migration.hpp"
#include "migrations/migration_file.hpp"
#include "migrations/migration_set.hpp"
#include "migrations/directory_source.hpp"
#include "migrations/new_migration.hpp"
#include "concepts/database_adapter.hpp"
#include "concepts/catalog.hpp"
#include "concepts/reporter.hpp"
#include "history.hpp"
#include "plan.hpp"
#include "catalog/sql_catalog.hpp"
#include "policies/isolation.hpp"
#include "policies/connection.hpp"
#include "reporting/events.hpp"
#include "reporting/console_reporter.hpp"
#include "reporting/log_reporter.hpp"
#include "reporting/combined_reporter.hpp"
#include "connection_string.hpp"
#include "interrupt.hpp"
#include "migrator.hpp"
#include "provisioning.hpp"
#include "output/tenant_list.hpp"
