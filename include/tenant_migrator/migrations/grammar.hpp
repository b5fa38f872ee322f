// The one grammar of migration names, shared by every migration source: the
// folder reader (migration_file.hpp, directory_source.hpp), the compile-time
// checks of embedded lists (embedded.hpp) and make_migration
// (make_migration.hpp). All constexpr, so that an embedded list is judged at
// compile time by exactly the rules a migrations folder is judged by at run
// time (docs/migrations.md, "Names and dependencies").
//
//   app label        [a-z][a-z0-9_]*, at most 63 characters  ("users")
//   migration name   NNNN_slug: four digits from 0001, '_', then a slug of
//                    a-z, 0-9, _; at most 63 characters       ("0001_initial")
//   reference        app/NNNN_slug, ".sql" optional            ("users/0001_initial")
//   depends list     references separated by commas and/or blanks (spaces,
//                    tabs); a run of separators is one separator and
//                    separators at either end are ignored, so "a/0001_x,\tb/0001_y,"
//                    names two migrations. A list that names none is an error.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace tenant_migrator::grammar {

// 63: PostgreSQL's identifier limit, so that an app label or a migration name
// can always be used as (part of) a name on the server.
inline constexpr std::size_t max_length = 63;

inline constexpr std::string_view app_label_rule =
    "app folder name must match [a-z][a-z0-9_]* (at most 63 characters)";
inline constexpr std::string_view migration_name_rule =
    "expected NNNN_slug: four digits, '_', then a slug of a-z, 0-9, _ (at most 63 characters)";
inline constexpr std::string_view migration_number_rule = "numbers start at 0001";

constexpr bool is_slug(std::string_view s) {
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

constexpr bool valid_app_label(std::string_view app) {
  return !app.empty() && app.size() <= max_length && app.front() >= 'a' && app.front() <= 'z' && is_slug(app);
}

// Empty when `name` is NNNN_slug, else which rule it breaks (one of the *_rule above).
constexpr std::string_view migration_name_error(std::string_view name) {
  if (name.size() < 6 || name.size() > max_length || name[4] != '_' || !is_slug(name.substr(5)))
    return migration_name_rule;
  for (std::size_t i = 0; i < 4; ++i)
    if (name[i] < '0' || name[i] > '9') return migration_name_rule;
  if (name.substr(0, 4) == "0000") return migration_number_rule;
  return {};
}

// 1 for "0001_initial"; 0 when `name` is not NNNN_slug.
constexpr int migration_number(std::string_view name) {
  if (!migration_name_error(name).empty()) return 0;
  return (name[0] - '0') * 1000 + (name[1] - '0') * 100 + (name[2] - '0') * 10 + (name[3] - '0');
}

struct ref_parts {
  std::string_view app;
  std::string_view name;
};

// "users/0001_initial" or "users/0001_initial.sql" -> its parts; nullopt when
// the app or the name breaks its rule. No blanks are trimmed: a depends list's
// items come without them (for_each_dependency).
constexpr std::optional<ref_parts> parse_ref(std::string_view ref) {
  if (ref.size() > 4 && ref.substr(ref.size() - 4) == ".sql") ref.remove_suffix(4);
  auto slash = ref.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  ref_parts parts{ref.substr(0, slash), ref.substr(slash + 1)};
  if (!valid_app_label(parts.app) || migration_number(parts.name) == 0) return std::nullopt;
  return parts;
}

constexpr bool is_depends_separator(char c) { return c == ',' || c == ' ' || c == '\t'; }

// Calls f(item) for each item of a depends list, malformed or not (the caller
// reports those parse_ref refuses), and returns how many there were.
template <class F>
constexpr std::size_t for_each_dependency(std::string_view list, F&& f) {
  std::size_t count = 0;
  std::size_t pos = 0;
  while (pos < list.size()) {
    if (is_depends_separator(list[pos])) {
      ++pos;
      continue;
    }
    auto end = pos;
    while (end < list.size() && !is_depends_separator(list[end])) ++end;
    f(list.substr(pos, end - pos));
    ++count;
    pos = end;
  }
  return count;
}

// True when `list` names at least one migration and every item is a well-formed reference.
constexpr bool valid_depends_list(std::string_view list) {
  bool all_valid = true;
  auto count = for_each_dependency(list, [&](std::string_view item) { all_valid = all_valid && parse_ref(item); });
  return count > 0 && all_valid;
}

}  // namespace tenant_migrator::grammar
