// Master URLs (`--master`) and showing locations without secrets.
//   sqlite:///abs/path.db   sqlite:relative/path.db
//   postgresql://user:pw@host:5432/db?sslmode=disable   postgres://...
//   host=127.0.0.1 port=5432 dbname=app user=app          (libpq key=value)
// The core includes no database client library, so it never decides which
// part of a connection string is a secret: only the client library's own
// parser can (PostgresqlAdapter::shown_location, through libpq). What the
// core cannot read, it does not show.
#pragma once

#include <string>
#include <string_view>

#include "errors.hpp"

namespace tenant_migrator {

enum class backend_kind { sqlite, postgresql };

struct master_url {
  backend_kind backend = backend_kind::sqlite;
  std::string location;  // SQLite: a file path; PostgreSQL: the libpq conninfo as given
};

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

// Parses a --master value. Throws usage_error naming the culprit: a SQLite
// URL in full (a path holds no password), anything else by its scheme only.
inline master_url parse_master_url(std::string_view url) {
  if (url.empty()) throw usage_error("no master database URL given");
  if (url.substr(0, 7) == "sqlite:") {
    auto bad = [&](std::string_view why) {
      return usage_error("bad master URL '" + detail::flattened(url) + "': " + std::string(why));
    };
    auto rest = url.substr(7);
    if (rest.substr(0, 3) == "///") rest.remove_prefix(2);  // keep the leading '/'
    else if (rest.substr(0, 2) == "//")
      throw bad("use sqlite:///absolute/path.db or sqlite:relative/path.db");
    if (rest.empty() || rest == "/") throw bad("no file path after 'sqlite:'");
    return {backend_kind::sqlite, std::string(rest)};
  }
  if (url.substr(0, 13) == "postgresql://" || url.substr(0, 11) == "postgres://")
    return {backend_kind::postgresql, std::string(url)};
  if (url.find('=') != std::string_view::npos && url.find("://") == std::string_view::npos)
    return {backend_kind::postgresql, std::string(url)};
  // The rest of the URL may hold a password, and no parser here knows where:
  // only the scheme is named, when it is a plain word.
  std::string_view scheme = url.substr(0, url.find(':'));
  bool plain = !scheme.empty() && scheme.size() < url.size() && scheme.size() <= 32;
  for (char c : scheme)
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
                      c == '-' || c == '.');
  throw usage_error(std::string("bad master URL") +
                    (plain ? " (scheme '" + std::string(scheme) + "')" : std::string(" (not shown)")) +
                    ": expected sqlite:PATH, postgresql://... or libpq key=value pairs");
}

}  // namespace tenant_migrator
