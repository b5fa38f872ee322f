// Quoting an SQL identifier the standard way (SQLite and PostgreSQL alike):
// wrap it in double quotes and double any double quote inside.
#pragma once

#include <string>
#include <string_view>

namespace tenant_migrator::detail {

inline std::string quote_sql_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace tenant_migrator::detail
