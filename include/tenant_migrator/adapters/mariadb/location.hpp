// MariaDB locations (part of adapters/mariadb.hpp):
//
//   mariadb://user:password@host:port/database?socket=/path/to/sock
//   mysql://...                                  (the same thing)
//
// Every part is optional but the scheme: no user is the client library's
// default, no host is localhost (its socket), no port 3306, no database none.
// User, password, database and socket are percent-decoded ("p%40ss" is
// "p@ss"); a literal '@', '/', '?' or '%' in them must be percent-encoded.
// Parsed strictly here rather than by the client library, which has no URL
// syntax: anything else is an error naming the (masked) location.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "../../connection_string.hpp"
#include "../../errors.hpp"

namespace tenant_migrator {

struct mariadb_location {
  std::string user;
  std::string password;
  bool has_password = false;
  std::string host;          // empty: localhost
  unsigned port = 0;         // 0: the default (3306)
  std::string database;      // empty: none
  std::string socket;        // empty: none
  std::size_t path_begin = 0;   // in the original text: where "/database" starts
  std::size_t path_end = 0;     // ... and ends ('?' or the end)
};

namespace detail::mariadb {

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline bool has_scheme(std::string_view s) {
  return s.substr(0, 10) == "mariadb://" || s.substr(0, 8) == "mysql://";
}

// `s` percent-decoded; throws (naming `what`, never the value: it may be a password) on a bad escape.
inline std::string percent_decoded(std::string_view s, std::string_view what, std::string_view shown) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    int hi = i + 2 < s.size() ? detail::mariadb::hex_value(s[i + 1]) : -1;
    int lo = i + 2 < s.size() ? detail::mariadb::hex_value(s[i + 2]) : -1;
    if (hi < 0 || lo < 0)
      throw error("bad MariaDB location '" + std::string(shown) + "': bad percent-escape in the " + std::string(what));
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  // The client library takes C strings: a NUL would cut the value short, silently.
  if (out.find('\0') != std::string::npos)
    throw error("bad MariaDB location '" + std::string(shown) + "': a NUL byte in the " + std::string(what));
  return out;
}

}  // namespace detail::mariadb

// `location` for messages: the password masked (also in a location that does
// not parse), on one line. The span from the first ':' after "://" to the last
// '@' is masked, so a password holding a literal '@', '/' or '?' is hidden too
// (at worst a little more than the password is).
inline std::string mariadb_shown_location(std::string_view location) {
  std::string out(location);
  if (auto scheme = out.find("://"); scheme != std::string::npos) {
    auto colon = out.find(':', scheme + 3);
    auto at = out.rfind('@');
    if (colon != std::string::npos && at != std::string::npos && colon < at && at > scheme + 3)
      out.replace(colon + 1, at - colon - 1, "****");
  }
  // Query parameters: only socket= is shown; any other value (a password=
  // someone added, say) is masked.
  if (auto query = out.find('?'); query != std::string::npos) {
    std::string shown_query;
    std::size_t start = query + 1;
    while (start <= out.size()) {
      std::size_t end = out.find('&', start);
      if (end == std::string::npos) end = out.size();
      std::string param = out.substr(start, end - start);
      auto eq = param.find('=');
      if (eq != std::string::npos && param.substr(0, eq) != "socket") param = param.substr(0, eq + 1) + "****";
      shown_query += (shown_query.empty() ? "" : "&") + param;
      start = end + 1;
    }
    out = out.substr(0, query + 1) + shown_query;
  }
  return detail::flattened(out);  // one line
}

// Parses a mariadb:// or mysql:// location. Throws tenant_migrator::error.
inline mariadb_location parse_mariadb_location(std::string_view location) {
  const std::string shown = mariadb_shown_location(location);
  auto bad = [&](const std::string& why) { return error("bad MariaDB location '" + shown + "': " + why); };
  if (!detail::mariadb::has_scheme(location)) throw bad("expected mariadb://user:password@host:port/database");
  mariadb_location out;
  const std::size_t authority = location.find("://") + 3;
  std::size_t authority_end = location.find_first_of("/?", authority);
  if (authority_end == std::string_view::npos) authority_end = location.size();
  // An '@' past the host means a '/' or '?' in the user or password ended the host part early.
  if (location.find('@', authority_end) != std::string_view::npos)
    throw bad("an '@' after the host: write '@', '/' and '?' in the user, password or socket as %40, %2F, %3F");
  std::string_view hostport = location.substr(authority, authority_end - authority);
  if (auto at = hostport.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = hostport.substr(0, at);
    hostport = hostport.substr(at + 1);
    if (userinfo.find('@') != std::string_view::npos) throw bad("an '@' in the user or password must be written %40");
    auto colon = userinfo.find(':');
    out.user = detail::mariadb::percent_decoded(userinfo.substr(0, colon), "user", shown);
    if (colon != std::string_view::npos) {
      out.password = detail::mariadb::percent_decoded(userinfo.substr(colon + 1), "password", shown);
      out.has_password = true;
    }
    if (out.user.empty()) throw bad("empty user before '@'");
  }
  std::string_view port_text;
  if (!hostport.empty() && hostport.front() == '[') {  // [::1]:3306
    auto close = hostport.find(']');
    if (close == std::string_view::npos) throw bad("unclosed '[' in the host");
    out.host = std::string(hostport.substr(1, close - 1));
    std::string_view rest = hostport.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') throw bad("unexpected text after ']'");
    if (!rest.empty()) port_text = rest.substr(1);
    if (!rest.empty() && port_text.empty()) throw bad("empty port after ':'");
  } else {
    auto colon = hostport.find(':');
    out.host = std::string(hostport.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = hostport.substr(colon + 1);
      if (port_text.empty()) throw bad("empty port after ':'");
    }
    for (char c : out.host) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                c == '_';
      if (!ok) throw bad("the host may contain only letters, digits, '.', '-' and '_'");
    }
  }
  if (!port_text.empty()) {
    unsigned long port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9' || port > 65535) throw bad("the port must be a number from 1 to 65535");
      port = port * 10 + static_cast<unsigned>(c - '0');
    }
    if (port == 0 || port > 65535) throw bad("the port must be a number from 1 to 65535");
    out.port = static_cast<unsigned>(port);
  }
  out.path_begin = authority_end;
  std::size_t query = location.find('?', authority_end);
  out.path_end = query == std::string_view::npos ? location.size() : query;
  std::string_view path = location.substr(authority_end, out.path_end - authority_end);
  if (!path.empty()) {
    path.remove_prefix(1);  // the '/'
    if (path.find('/') != std::string_view::npos) throw bad("a '/' in the database name must be written %2F");
    out.database = detail::mariadb::percent_decoded(path, "database name", shown);
  }
  if (query != std::string_view::npos) {
    std::string_view rest = location.substr(query + 1);
    while (!rest.empty()) {
      auto amp = rest.find('&');
      std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      auto eq = pair.find('=');
      std::string key(pair.substr(0, eq));
      if (key != "socket") {
        // Named only when the masked location shows it too: it might be part of a password.
        bool visible = shown.find("?" + key) != std::string::npos || shown.find("&" + key) != std::string::npos;
        throw bad(visible ? "unknown parameter '" + key + "' (known: socket)" : "unknown parameter (known: socket)");
      }
      if (eq == std::string_view::npos || eq + 1 == pair.size()) throw bad("socket= needs a path");
      out.socket = detail::mariadb::percent_decoded(pair.substr(eq + 1), "socket", shown);
    }
  }
  return out;
}

}  // namespace tenant_migrator
