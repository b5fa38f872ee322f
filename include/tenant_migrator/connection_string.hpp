// Master URLs (`--master`) and keeping passwords out of every output.
//   sqlite:///abs/path.db   sqlite:relative/path.db
//   postgresql://user:pw@host:5432/db?sslmode=disable   postgres://...
//   host=127.0.0.1 port=5432 dbname=app user=app          (libpq key=value)
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

// Masks the password in a libpq URI ("user:****@", "password=****") or
// key=value string ("password=****"). Anything else is returned unchanged.
inline std::string redact_connection_string(std::string_view s) {
  std::string out(s);
  auto scheme = out.find("://");
  if (scheme != std::string::npos) {
    auto authority_end = out.find_first_of("/?#", scheme + 3);
    auto at = out.rfind('@', authority_end == std::string::npos ? std::string::npos : authority_end);
    if (at != std::string::npos && at > scheme) {
      auto colon = out.find(':', scheme + 3);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "****");
    }
  }
  // password=... in a query string or a key=value string (value quoted or not)
  std::size_t pos = 0;
  while ((pos = out.find("password", pos)) != std::string::npos) {
    std::size_t p = pos + 8;
    bool boundary = pos == 0 || out[pos - 1] == ' ' || out[pos - 1] == '?' || out[pos - 1] == '&' || out[pos - 1] == '\t';
    while (p < out.size() && out[p] == ' ') ++p;
    if (!boundary || p >= out.size() || out[p] != '=') {
      pos += 8;
      continue;
    }
    ++p;
    while (p < out.size() && out[p] == ' ') ++p;
    std::size_t end = p;
    if (end < out.size() && out[end] == '\'') {
      ++end;
      while (end < out.size() && out[end] != '\'') end += (out[end] == '\\' && end + 1 < out.size()) ? 2 : 1;
      if (end < out.size()) ++end;
    } else {
      while (end < out.size() && out[end] != ' ' && out[end] != '&' && out[end] != '#') ++end;
    }
    out.replace(p, end - p, "****");
    pos = p + 4;
  }
  return out;
}

// Parses a --master value. Throws usage_error naming the (redacted) value.
inline master_url parse_master_url(std::string_view url) {
  auto bad = [&](std::string_view why) {
    return usage_error("bad master URL '" + redact_connection_string(url) + "': " + std::string(why));
  };
  if (url.empty()) throw usage_error("no master database: give --master URL or set TENANT_MIGRATOR_MASTER");
  if (url.substr(0, 7) == "sqlite:") {
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
  throw bad("expected sqlite:PATH, postgresql://... or libpq key=value pairs");
}

}  // namespace tenant_migrator
