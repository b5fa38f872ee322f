// The one place where TenantMigrator touches a JSON library. Everything that
// reads or writes JSON goes through `tenant_migrator::json`, so nlohmann/json
// could be swapped for another library by changing this header alone.
// Not included by tenant_migrator.hpp: parsing nlohmann/json costs seconds
// per translation unit, and the core does not need it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace tenant_migrator {

// Keys keep the order they were written in, so output is stable and readable.
using json = nlohmann::ordered_json;

// One line, UTF-8; invalid UTF-8 is replaced rather than thrown on.
inline std::string to_json_line(const json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace tenant_migrator
