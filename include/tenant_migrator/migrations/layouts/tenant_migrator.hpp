// Our own layout: <dir>/<app>/NNNN_slug.sql, one sub-folder per app
// (directory_source.hpp reads it; docs/migrations.md). Here so that every
// layout load_migrations (layouts.hpp) knows has its header in this folder.
#pragma once


#include "../directory_source.hpp"

namespace tenant_migrator::layouts {

inline migration_set load_tenant_migrator(const std::string& dir) { return load_migration_directory(dir); }

}  // namespace tenant_migrator::layouts
