// Showing locations (database files, names, connection strings) without secrets.
// The core includes no database client library, so it never decides which
// part of a connection string is a secret: only the client library's own
// parser can (PostgresqlAdapter::shown_location, through libpq). What the
// core cannot read, it does not show.
#pragma once

#include <string>
#include <string_view>

#include "errors.hpp"

namespace tenant_migrator {

// How a listing shows a tenant's location: PostgresqlAdapter::shown_location,
// or the core's shown_location below.
using location_display = std::string (*)(std::string_view);

namespace detail {
// Line breaks and tabs as spaces, so a message stays one line.
inline std::string flattened(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f') c = ' ';
  return out;
}
}  // namespace detail

// A location as shown without a client library to read it: a file path or a
// bare database name as it is (flattened to one line); anything that looks like a connection string ("://" or
// "=" in it) may hold a password and is not shown.
inline std::string shown_location(std::string_view location) {
  if (location.find("://") != std::string_view::npos || location.find('=') != std::string_view::npos)
    return "<connection string not shown>";
  return detail::flattened(location);
}

}  // namespace tenant_migrator
