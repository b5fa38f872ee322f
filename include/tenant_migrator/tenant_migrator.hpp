// TenantMigrator: bring every tenant of a multi-tenant system up to date with
// its database migrations. The umbrella header of the core: no database
// client and no JSON library. Add an adapter (tenant_migrator/adapters/sqlite.hpp,
// .../postgresql.hpp) and, for JSON output, tenant_migrator/reporting/json_reporter.hpp.
// Other tools' migration folders (golang-migrate, Flyway, dbmate, pop) are
// read by tenant_migrator/migrations/layouts.hpp, kept out of the umbrella
// because its parse is a tenth of the umbrella's (docs/benchmarks.md).
#pragma once

#include "version.hpp"
#include "errors.hpp"
#include "model/tenant.hpp"
#include "model/migration.hpp"
#include "model/history_record.hpp"
#include "model/plan.hpp"
#include "model/results.hpp"
#include "model/selection.hpp"
#include "migrations/grammar.hpp"
#include "migrations/make_migration.hpp"
#include "migrations/migration_file.hpp"
#include "migrations/migration_set.hpp"
#include "migrations/directory_source.hpp"
#include "migrations/new_migration.hpp"
#include "migrations/embedded.hpp"
#include "concepts/capabilities.hpp"
#include "concepts/database_adapter.hpp"
#include "concepts/catalog.hpp"
#include "concepts/reporter.hpp"
#include "concepts/isolation_strategy.hpp"
#include "concepts/connection_policy.hpp"
#include "history_store.hpp"
#include "planner.hpp"
#include "catalog/sql_catalog.hpp"
#include "catalog/selection.hpp"
#include "policies/isolation.hpp"
#include "policies/connection.hpp"
#include "policies/connection_cap.hpp"
#include "reporting/events.hpp"
#include "reporting/console_reporter.hpp"
#include "reporting/log_reporter.hpp"
#include "reporting/combined_reporter.hpp"
#include "reporting/progress_reporter.hpp"
#include "connection_string.hpp"
#include "interrupt.hpp"
#include "migrator/execution.hpp"
#include "migrator.hpp"
#include "provisioning.hpp"
#include "output/tenant_list.hpp"
