// PostgresqlAdapter: PostgreSQL through libpq. Schema-per-tenant and
// database-per-tenant (docs/postgresql.md). Link PostgreSQL::PostgreSQL
// (CMake target tenant_migrator::postgresql). Include this header; the ones
// under postgresql/ each hold one part:
//   postgresql/conninfo.hpp           connection strings: fields, dbname switching, masking
//   postgresql/statement_scanner.hpp  statement starts and line numbers of a script
//   postgresql/provisioning.hpp       CREATE/DROP SCHEMA and DATABASE
//   postgresql/connection.hpp         PostgresqlConnection
//   postgresql/adapter.hpp            PostgresqlAdapter
//
// Locations are libpq connection strings, a URI (postgresql://user@host:5432/db)
// or key=value pairs (host=... dbname=...). A database tenant's location is a
// database name on the master's server or a connection string of its own.
// No message ever shows a password: messages show a location as libpq reads
// it, secrets masked (PostgresqlAdapter::shown_location).
#pragma once

#include "postgresql/adapter.hpp"
#include "postgresql/conninfo.hpp"
#include "postgresql/connection.hpp"
#include "postgresql/provisioning.hpp"
#include "postgresql/statement_scanner.hpp"

namespace tenant_migrator {

static_assert(DatabaseAdapter<PostgresqlAdapter>);
static_assert(SchemaCapableAdapter<PostgresqlAdapter>);
static_assert(ProvisioningAdapter<PostgresqlAdapter>);
static_assert(check_capabilities<PostgresqlAdapter>());

}  // namespace tenant_migrator
