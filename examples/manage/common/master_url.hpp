// --master values: which adapter a master URL calls for. The list of
// backends is the CLI's: the library knows none of them by name.
//   sqlite:///abs/path.db   sqlite:relative/path.db
//   postgresql://user:pw@host:5432/db?sslmode=disable   postgres://...
//   host=127.0.0.1 port=5432 dbname=app user=app          (libpq key=value)
//   mariadb://user:pw@host:3306/db   mysql://...
#pragma once

#include <string>
#include <string_view>

#include <tenant_migrator/connection_string.hpp>
#include <tenant_migrator/errors.hpp>

namespace manage {

enum class backend_kind { sqlite, postgresql, mariadb };

struct master_url {
  backend_kind backend = backend_kind::sqlite;
  std::string location;  // SQLite: a file path; otherwise the URL or conninfo as given
};

// Parses a --master value. Throws usage_error naming the culprit: a SQLite
// URL in full (a path holds no password), anything else by its scheme only.
inline master_url parse_master_url(std::string_view url) {
  namespace tmig = tenant_migrator;
  if (url.empty()) throw tmig::usage_error("no master database URL given");
  if (url.substr(0, 7) == "sqlite:") {
    auto bad = [&](std::string_view why) {
      return tmig::usage_error("bad master URL '" + tmig::detail::flattened(url) + "': " + std::string(why));
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
  if (url.substr(0, 10) == "mariadb://" || url.substr(0, 8) == "mysql://") return {backend_kind::mariadb, std::string(url)};
  if (url.find('=') != std::string_view::npos && url.find("://") == std::string_view::npos)
    return {backend_kind::postgresql, std::string(url)};
  // The rest of the URL may hold a password, and no parser here knows where:
  // only the scheme is named, when it is a plain word.
  std::string_view scheme = url.substr(0, url.find(':'));
  bool plain = !scheme.empty() && scheme.size() < url.size() && scheme.size() <= 32;
  for (char c : scheme)
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
                      c == '-' || c == '.');
  throw tmig::usage_error(std::string("bad master URL") +
                          (plain ? " (scheme '" + std::string(scheme) + "')" : std::string(" (not shown)")) +
                          ": expected sqlite:PATH, postgresql://..., libpq key=value pairs or mariadb://...");
}

}  // namespace manage
