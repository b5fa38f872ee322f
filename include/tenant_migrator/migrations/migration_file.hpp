// Parsing one migration file: its name and its header directives.
// Pure functions over strings, so they can be fuzzed (tests/fuzz).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../model/migration.hpp"
#include "grammar.hpp"

namespace tenant_migrator {

namespace detail {
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}
}  // namespace detail

// Empty when `app` is a valid app label ([a-z][a-z0-9_]*, at most 63), else why not.
inline std::string validate_app_label(std::string_view app) {
  return grammar::valid_app_label(app) ? std::string() : std::string(grammar::app_label_rule);
}

struct migration_filename {
  std::int64_t number = 0;
  std::string name;   // "0001_initial"
  bool is_down = false;
  std::string error;  // non-empty when the name is not a migration file name
};

// "0001_initial.sql" -> {1, "0001_initial"}; "0001_initial.down.sql" -> is_down.
// The stem is a migration name of grammar.hpp: NNNN_slug, at most 63 characters.
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
  if (auto why = grammar::migration_name_error(stem); !why.empty()) {
    // A file name is shown with its extension, so the rule is worded for one.
    r.error = "badly named migration file: " + std::string(why == grammar::migration_number_rule ? why : expected);
    return r;
  }
  r.number = grammar::migration_number(stem);
  r.name = std::string(stem);
  return r;
}

// "products/0001_initial" (".sql" optional, blanks around it ignored) -> key;
// nullopt if malformed.
inline std::optional<migration_key> parse_migration_ref(std::string_view ref) {
  auto parts = grammar::parse_ref(detail::trim(ref));
  if (!parts) return std::nullopt;
  return migration_key{std::string(parts->app), std::string(parts->name)};
}

// The problems of a depends list (`-- depends:` or an embedded entry's
// `depends`) as one-line messages, its well-formed references appended to `out`.
inline std::vector<std::string> parse_depends_list(std::string_view list, std::vector<migration_key>& out) {
  std::vector<std::string> errors;
  auto count = grammar::for_each_dependency(list, [&](std::string_view item) {
    // grammar::parse_ref, not parse_migration_ref: that one trims '\r' too,
    // which the compile-time checks of an embedded list would not.
    if (auto ref = grammar::parse_ref(item))
      out.push_back({std::string(ref->app), std::string(ref->name)});
    else
      errors.push_back("bad dependency '" + std::string(item) + "' (expected app/NNNN_slug)");
  });
  if (count == 0) errors.push_back("'-- depends:' names no migration");
  return errors;
}

struct migration_header {
  std::vector<migration_key> depends;
  bool transactional = true;
  bool placeholders = false;        // `-- placeholders: on` (migrations/placeholders.hpp)
  std::vector<std::string> errors;  // one line each
  bool has_sql = false;             // false when the file holds only comments and blanks
};

// Reads the directives in the leading comment block of a migration:
//   -- depends: products/0001_initial, billing/0002_x   (any number of lines; list rule in grammar.hpp)
//   -- transaction: off                                  (on | off; default on)
//   -- placeholders: on                                  (on | off; default off; placeholders.hpp)
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
      for (auto& e : parse_depends_list(value, h.depends)) h.errors.push_back(std::move(e));
    } else if (key == "transaction") {
      if (value == "off")
        h.transactional = false;
      else if (value == "on")
        h.transactional = true;
      else
        h.errors.push_back("bad value '" + std::string(value) + "' for '-- transaction:' (expected on or off)");
    } else if (key == "placeholders") {
      if (value == "on" || value == "off")
        h.placeholders = value == "on";
      else
        h.errors.push_back("bad value '" + std::string(value) + "' for '-- placeholders:' (expected on or off)");
    }
  }
  return h;
}

}  // namespace tenant_migrator
