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

namespace detail {
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
inline char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}
// Percent-decodes and lowercases `s` ("Pass%77ord" -> "password").
inline std::string decoded_key(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += lower(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out += lower(s[i]);
    }
  }
  return out;
}
}  // namespace detail

// Masks every password in `s`: a libpq URI's "user:****@" and "password=****"
// query parameter (also percent-encoded: "pass%77ord"), and a key=value
// string's "password=****" (quoted or not, any whitespace around). `s` may be
// a connection string or a message that contains some. Anything else is
// returned unchanged.
inline std::string redact_connection_string(std::string_view s) {
  std::string out(s);
  // user:password@ in every URI of the text.
  for (std::size_t scheme = out.find("://"); scheme != std::string::npos; scheme = out.find("://", scheme + 3)) {
    // As libpq reads a URI: user info is everything up to an '@' met before any '/'
    // ('?', '#' and spaces included), so mask exactly what libpq would take.
    std::size_t authority = scheme + 3;
    std::size_t at = authority;
    while (at < out.size() && out[at] != '@' && out[at] != '/') ++at;
    if (at >= out.size() || out[at] != '@') continue;
    auto colon = out.find(':', authority);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "****");
  }
  // key=value pairs whose key, percent-decoded, is "password".
  std::size_t i = 0;
  while (i < out.size()) {
    // A key starts at the beginning or after a separator.
    bool boundary = i == 0 || detail::is_space(out[i - 1]) || out[i - 1] == '?' || out[i - 1] == '&' ||
                    out[i - 1] == ';' || out[i - 1] == '\'' || out[i - 1] == '"' || out[i - 1] == '(';
    if (!boundary) {
      ++i;
      continue;
    }
    const bool in_query = i > 0 && (out[i - 1] == '?' || out[i - 1] == '&');
    std::size_t key_end = i;
    while (key_end < out.size() && out[key_end] != '=' && !detail::is_space(out[key_end]) && out[key_end] != '&' &&
           out[key_end] != '?')
      ++key_end;
    std::size_t eq = key_end;
    while (eq < out.size() && detail::is_space(out[eq])) ++eq;
    if (key_end == i || eq >= out.size() || out[eq] != '=' || detail::decoded_key({out.data() + i, key_end - i}) != "password") {
      i = key_end > i ? key_end : i + 1;
      continue;
    }
    std::size_t value = eq + 1;
    while (value < out.size() && detail::is_space(out[value])) ++value;
    auto after_mask = value + 4;
    if (out.compare(value, 4, "****") == 0 &&  // masked already (a message redacted twice)
        (after_mask == out.size() || detail::is_space(out[after_mask]) || out[after_mask] == '\'' ||
         out[after_mask] == '"' || out[after_mask] == ':' || out[after_mask] == ',' || out[after_mask] == ')')) {
      i = value + 4;
      continue;
    }
    std::size_t end = value;
    if (end < out.size() && out[end] == '\'') {
      ++end;
      while (end < out.size() && out[end] != '\'') end += (out[end] == '\\' && end + 1 < out.size()) ? 2 : 1;
      if (end < out.size()) ++end;
    } else if (in_query) {
      // A URI query value ends at the next parameter, fragment, space or quote.
      while (end < out.size() && !detail::is_space(out[end]) && out[end] != '&' && out[end] != '#' &&
             out[end] != '\'' && out[end] != '"')
        ++end;
    } else {
      // An unquoted key=value value, as libpq reads it: up to whitespace, with a
      // backslash escaping the next character (a space too); '&' is no separator.
      while (end < out.size() && !detail::is_space(out[end])) end += (out[end] == '\\' && end + 1 < out.size()) ? 2 : 1;
      if (end > out.size()) end = out.size();
    }
    out.replace(value, end - value, "****");
    i = value + 4;
  }
  return out;
}

// A connection string as messages show it: password masked, on one line
// (line breaks and tabs shown as spaces), so every error stays one line.
inline std::string shown_connection_string(std::string_view s) {
  std::string out = redact_connection_string(s);
  for (auto& c : out)
    if (c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f') c = ' ';
  return out;
}

// Parses a --master value. Throws usage_error naming the (redacted) value.
inline master_url parse_master_url(std::string_view url) {
  auto bad = [&](std::string_view why) {
    return usage_error("bad master URL '" + shown_connection_string(url) + "': " + std::string(why));
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
