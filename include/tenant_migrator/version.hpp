// The library's one version number; CMake reads it from here.
#pragma once

#define TENANT_MIGRATOR_VERSION_MAJOR 0
#define TENANT_MIGRATOR_VERSION_MINOR 1
#define TENANT_MIGRATOR_VERSION_PATCH 0
#define TENANT_MIGRATOR_VERSION_STRING "0.1.0"

namespace tenant_migrator {
inline constexpr const char* version_string = TENANT_MIGRATOR_VERSION_STRING;
}  // namespace tenant_migrator
