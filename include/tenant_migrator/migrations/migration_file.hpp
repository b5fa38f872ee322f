// Parsing one migration file: its name and its header directives.
// Pure functions over strings, so they can be fuzzed (tests/fuzz).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../model/migration.hpp"

namespace tenant_migrator {

namespace detail {
inline bool is_lower_alnum_underscore(std::string_view s) {
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}
}  // namespace detail

// Empty when `app` is a valid app label ([a-z][a-z0-9_]*, at most 63), else why not.
inline std::string validate_app_label(std::string_view app) {
  if (app.empty() || app.size() > 63 || !(app.front() >= 'a' && app.front() <= 'z') ||
      !detail::is_lower_alnum_underscore(app))
    return "app folder name must match [a-z][a-z0-9_]* (at most 63 characters)";
  return {};
}

struct migration_filename {
  int number = 0;
  std::string name;   // "0001_initial"
  bool is_down = false;
  std::string error;  // non-empty when the name is not a migration file name
};

// "0001_initial.sql" -> {1, "0001_initial"}; "0001_initial.down.sql" -> is_down.
// Exactly four digits, '_', then a slug of [a-z0-9_]; at most 63 characters before ".sql".
inline migration_filename parse_migration_filename(std::string_view filename) {
  migration_filename r;
  constexpr std::string_view expected = "expected NNNN_slug.sql or NNNN_slug.down.sql (slug: a-z, 0-9, _)";
  std::string_view stem = filename;
  if (stem.size() > 9 && stem.substr(stem.size() - 9) == ".down.sql") {
    r.is_down = true;
    stem.remove_suffix(9);
  } else if (stem.size() > 4 && stem.substr(stem.size() - 4) == ".sql") {
    stem.remove_suffix(4);
  } else {
    r.error = std::string("not a migration file name: ") + std::string(expected);
    return r;
  }
  if (stem.size() < 6 || stem.size() > 63 || stem[4] != '_') {
    r.error = std::string("badly named migration file: ") + std::string(expected);
    return r;
  }
  for (std::size_t i = 0; i < 4; ++i)
    if (stem[i] < '0' || stem[i] > '9') {
      r.error = std::string("badly named migration file: ") + std::string(expected);
      return r;
    }
  if (!detail::is_lower_alnum_underscore(stem.substr(5))) {
    r.error = std::string("badly named migration file: ") + std::string(expected);
    return r;
  }
  r.number = (stem[0] - '0') * 1000 + (stem[1] - '0') * 100 + (stem[2] - '0') * 10 + (stem[3] - '0');
  if (r.number == 0) {
    r.error = "badly named migration file: numbers start at 0001";
    return r;
  }
  r.name = std::string(stem);
  return r;
}

// "products/0001_initial" (".sql" optional) -> key; nullopt if malformed.
inline std::optional<migration_key> parse_migration_ref(std::string_view ref) {
  ref = detail::trim(ref);
  if (ref.size() > 4 && ref.substr(ref.size() - 4) == ".sql") ref.remove_suffix(4);
  auto slash = ref.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto app = ref.substr(0, slash);
  auto name = ref.substr(slash + 1);
  if (!validate_app_label(app).empty()) return std::nullopt;
  auto parsed = parse_migration_filename(std::string(name) + ".sql");
  if (!parsed.error.empty() || parsed.is_down) return std::nullopt;
  return migration_key{std::string(app), std::string(name)};
}

struct migration_header {
  std::vector<migration_key> depends;
  bool transactional = true;
  std::vector<std::string> errors;  // one line each
  bool has_sql = false;             // false when the file holds only comments and blanks
};

// Reads the directives in the leading comment block of a migration:
//   -- depends: products/0001_initial, billing/0002_x   (any number of lines)
//   -- transaction: off                                  (on | off; default on)
// Other comments are ignored. Directives after the first SQL line are not read.
inline migration_header parse_migration_header(std::string_view content) {
  migration_header h;
  std::size_t pos = 0;
  while (pos < content.size()) {
    auto eol = content.find('\n', pos);
    auto line = detail::trim(content.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos));
    pos = eol == std::string_view::npos ? content.size() : eol + 1;
    if (line.empty()) continue;
    if (line.substr(0, 2) != "--") {
      h.has_sql = true;
      break;
    }
    auto body = detail::trim(line.substr(2));
    auto colon = body.find(':');
    if (colon == std::string_view::npos) continue;
    auto key = detail::trim(body.substr(0, colon));
    auto value = detail::trim(body.substr(colon + 1));
    if (key == "depends") {
      std::size_t p = 0;
      while (p <= value.size()) {
        auto sep = value.find_first_of(", ", p);
        auto item = detail::trim(value.substr(p, sep == std::string_view::npos ? std::string_view::npos : sep - p));
        if (!item.empty()) {
          if (auto ref = parse_migration_ref(item))
            h.depends.push_back(*ref);
          else
            h.errors.push_back("bad dependency '" + std::string(item) + "' (expected app/NNNN_slug)");
        }
        if (sep == std::string_view::npos) break;
        p = sep + 1;
      }
      if (value.empty()) h.errors.push_back("'-- depends:' names no migration");
    } else if (key == "transaction") {
      if (value == "off")
        h.transactional = false;
      else if (value == "on")
        h.transactional = true;
      else
        h.errors.push_back("bad value '" + std::string(value) + "' for '-- transaction:' (expected on or off)");
    }
  }
  return h;
}

}  // namespace tenant_migrator
