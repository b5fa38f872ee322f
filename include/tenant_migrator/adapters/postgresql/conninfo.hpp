// libpq connection strings (URIs and key=value pairs): reading their fields,
// switching the dbname, showing them without secrets. Every reading is
// libpq's own (PQconninfoParse), never a parser of ours: what libpq takes as
// the password is what gets masked, whatever quoting or encoding it came in.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../../errors.hpp"

namespace tenant_migrator::detail::pg {

// libpq's messages end in a newline and may span lines: one line, parts joined by "; ".
inline std::string one_line(std::string_view s) {
  std::string out;
  bool pending_break = false;
  for (char c : s) {
    if (c == '\n' || c == '\r') {
      pending_break = !out.empty();
    } else if (pending_break && (c == ' ' || c == '\t')) {
      continue;
    } else {
      if (pending_break) out += "; ";
      pending_break = false;
      out += c;
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  return out;
}

// A bare database name is a tenant location too; only these are connection strings.
inline bool looks_like_conninfo(std::string_view location) {
  return location.find("://") != std::string_view::npos || location.find('=') != std::string_view::npos;
}

// One field of a parsed connection string. `secret`: libpq marks it so
// (dispchar "*": password, sslpassword, ...), and it is never shown.
struct conninfo_field {
  std::string keyword;
  std::string value;
  bool secret = false;
};

// The fields `conninfo` sets, in libpq's order; nothing when libpq cannot
// parse it, with libpq's reason in `why` (which may quote the string).
inline std::optional<std::vector<conninfo_field>> parse_conninfo(std::string_view conninfo, std::string* why = nullptr) {
  // libpq reads a C string: a NUL would silently cut the text short.
  if (conninfo.find('\0') != std::string_view::npos) {
    if (why) *why = "contains a NUL byte";
    return std::nullopt;
  }
  std::string text(conninfo);
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(text.c_str(), &err);
  if (!options) {
    if (why) *why = err ? one_line(err) : "out of memory";
    if (err) PQfreemem(err);
    return std::nullopt;
  }
  if (err) PQfreemem(err);
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> guard(options, &PQconninfoFree);
  std::vector<conninfo_field> out;
  for (PQconninfoOption* o = options; o->keyword; ++o)
    if (o->val)
      out.push_back({o->keyword, o->val, o->dispchar && std::string_view(o->dispchar).find('*') != std::string_view::npos});
  return out;
}

// `value` as a key=value conninfo value: bare when libpq reads it back
// unchanged, else quoted with ' and \ escaped.
inline std::string conninfo_value(std::string_view value) {
  bool bare = !value.empty();
  for (char c : value)
    if (c == '\'' || c == '\\' || c == '=' || static_cast<unsigned char>(c) <= ' ' || c == 0x7f) bare = false;
  if (bare) return std::string(value);
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

inline constexpr std::string_view unparseable_conninfo = "<unparseable connection string>";

// `conninfo` as messages and listings show it: rebuilt as key=value pairs
// from libpq's reading, every secret field's value replaced by ****, on one
// line. A string libpq cannot parse is not echoed at all: nobody knows which
// part of it is the password.
inline std::string shown_conninfo(std::string_view conninfo) {
  auto fields = parse_conninfo(conninfo);
  if (!fields) return std::string(unparseable_conninfo);
  std::string out;
  for (const auto& f : *fields) {
    if (!out.empty()) out += ' ';
    out += f.keyword + "=" + (f.secret ? std::string("****") : conninfo_value(f.value));
  }
  // Only control characters inside quoted values are left to flatten.
  for (char& c : out)
    if (c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f') c = ' ';
  return out;
}

// Double-quoted fragments of a libpq message (`missing "=" after "..."`),
// which may be any part of the string, the password too: cut out, but for "=".
inline std::string without_quoted_fragments(std::string_view message) {
  std::string out;
  for (std::size_t i = 0; i < message.size(); ++i) {
    std::size_t close = message[i] == '"' ? message.find('"', i + 1) : std::string_view::npos;
    if (close == std::string_view::npos) {
      out += message[i];
      continue;
    }
    std::string_view inside = message.substr(i + 1, close - i - 1);
    out += inside == "=" ? "\"=\"" : "\"...\"";
    i = close;
  }
  return out;
}

// A libpq or server message about `location`, on one line: `location`
// (which libpq may quote whole) replaced by its shown form, and every secret
// value libpq reads in it replaced by ****, wherever it appears. When libpq
// cannot parse `location`, nothing it quotes from it is kept.
inline std::string scrub_message(std::string_view message, std::string_view location) {
  std::string out(message);
  if (location.empty()) return one_line(out);
  auto replace_all = [&out](std::string_view what, std::string_view by) {
    if (what.empty()) return;
    for (std::size_t at = out.find(what); at != std::string::npos; at = out.find(what, at + by.size()))
      out.replace(at, what.size(), by);
  };
  const std::string shown = shown_conninfo(location);
  // Before and after joining lines: a quote of the whole string spans them as it does.
  replace_all(location, shown);
  out = one_line(out);
  replace_all(one_line(location), shown);
  auto fields = parse_conninfo(location);
  if (!fields) return without_quoted_fragments(out);
  // A secret quoted in part, or with escapes: its value and each word of it.
  // Three characters at least: a shorter one would mask unrelated letters too.
  for (const auto& f : *fields) {
    if (!f.secret) continue;
    std::vector<std::string> parts{f.value};
    std::string word;
    for (char c : f.value + " ") {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
        if (!word.empty()) parts.push_back(word);
        word.clear();
      } else {
        word += c;
      }
    }
    for (const auto& part : parts)
      if (part.size() >= 3) replace_all(part, "****");
  }
  return out;
}

// The fields `conninfo` (URI or key=value) sets; throws error naming the
// (shown) string and libpq's reason when libpq cannot parse it.
inline std::vector<conninfo_field> conninfo_fields(std::string_view conninfo) {
  std::string why;
  auto fields = parse_conninfo(conninfo, &why);
  if (!fields)
    throw error("bad PostgreSQL connection string (not shown: libpq cannot parse it): " +
                scrub_message(why, conninfo));
  return std::move(*fields);
}

// The dbname `conninfo` names, or empty.
inline std::string dbname_of(std::string_view conninfo) {
  for (auto& f : conninfo_fields(conninfo))
    if (f.keyword == "dbname") return f.value;
  return {};
}

// `conninfo` (URI or key=value) as key=value pairs with dbname replaced by `dbname`.
inline std::string with_dbname(std::string_view conninfo, std::string_view dbname) {
  std::string out;
  for (auto& f : conninfo_fields(conninfo)) {
    if (f.keyword == "dbname") continue;
    out += f.keyword + "=" + conninfo_value(f.value) + " ";
  }
  return out + "dbname=" + conninfo_value(dbname);
}

// Which server (and role) `conninfo` reaches: its service, host, hostaddr,
// port and user, without the dbname, so every database of one server gives
// the same text. Fields left out come from the same environment for every
// location of a process. A string libpq cannot parse is its own server.
inline std::string server_of(std::string_view conninfo) {
  auto fields = parse_conninfo(conninfo);
  if (!fields) return std::string(conninfo);
  std::string out;
  for (const auto& f : *fields)
    if (f.keyword == "service" || f.keyword == "host" || f.keyword == "hostaddr" || f.keyword == "port" ||
        f.keyword == "user")
      out += f.keyword + "=" + conninfo_value(f.value) + " ";
  return out;
}

}  // namespace tenant_migrator::detail::pg
