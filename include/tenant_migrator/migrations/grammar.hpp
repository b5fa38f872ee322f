// The one grammar of migration names, shared by every migration source: the
// folder reader (migration_file.hpp, directory_source.hpp), the compile-time
// checks of embedded lists (embedded.hpp) and make_migration
// (make_migration.hpp). All constexpr, so that an embedded list is judged at
// compile time by exactly the rules a migrations folder is judged by at run
// time (docs/migrations.md, "Names and dependencies").
//
//   app label        [a-z][a-z0-9_]*, at most 63 characters  ("users")
//   migration name   NNNN_slug: four or more digits (at most 18) from 0001,
//                    '_', then a slug of a-z, 0-9, _; at most 63 characters
//                    ("0001_initial", "20240115093000_add_email")
//   reference        app/NNNN_slug, ".sql" optional            ("users/0001_initial")
//   depends list     references separated by commas and/or blanks (spaces,
//                    tabs); a run of separators is one separator and
//                    separators at either end are ignored, so "a/0001_x,\tb/0001_y,"
//                    names two migrations. A list that names none is an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tenant_migrator::grammar {

// 63: PostgreSQL's identifier limit, so that an app label or a migration name
// can always be used as (part of) a name on the server.
inline constexpr std::size_t max_length = 63;

inline constexpr std::string_view app_label_rule =
    "app folder name must match [a-z][a-z0-9_]* (at most 63 characters)";
inline constexpr std::string_view migration_name_rule =
    "expected NNNN_slug: four or more digits, '_', then a slug of a-z, 0-9, _ (at most 63 characters)";
inline constexpr std::string_view migration_number_rule = "numbers start at 0001";

constexpr bool is_slug(std::string_view s) {
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

constexpr bool valid_app_label(std::string_view app) {
  return !app.empty() && app.size() <= max_length && app.front() >= 'a' && app.front() <= 'z' && is_slug(app);
}

// 18: the most digits a version (or a part of a dotted one) may have, so that
// it fits a 64-bit integer (a timestamp like 20240115093000 has 14).
inline constexpr std::size_t max_version_digits = 18;

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// How many digits `s` starts with.
constexpr std::size_t leading_digits(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && is_digit(s[n])) ++n;
  return n;
}

// The value of a run of 1 to max_version_digits digits; nullopt otherwise.
constexpr std::optional<std::int64_t> version_number(std::string_view digits) {
  if (digits.empty() || digits.size() > max_version_digits || leading_digits(digits) != digits.size())
    return std::nullopt;
  std::int64_t n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

// Empty when `name` is NNNN_slug, else which rule it breaks (one of the *_rule above).
constexpr std::string_view migration_name_error(std::string_view name) {
  auto digits = leading_digits(name);
  if (name.size() > max_length || digits < 4 || digits > max_version_digits || digits + 1 >= name.size() ||
      name[digits] != '_' || !is_slug(name.substr(digits + 1)))
    return migration_name_rule;
  if (version_number(name.substr(0, digits)) == 0) return migration_number_rule;
  return {};
}

// 1 for "0001_initial", 20240115093000 for "20240115093000_x"; 0 when `name` is not NNNN_slug.
constexpr std::int64_t migration_number(std::string_view name) {
  if (!migration_name_error(name).empty()) return 0;
  return *version_number(name.substr(0, leading_digits(name)));
}

// Other tools' layouts (migrations/layouts/): what follows the version in a
// file name ("create_users" in golang-migrate's 1_create_users.up.sql, "Add
// users" in Flyway's V1__Add users.sql). Those tools take nearly anything;
// here it must be non-empty and free of control characters and '/', so that
// a message naming the file stays on one line.
inline constexpr std::string_view description_rule =
    "the part after the version must be non-empty, without control characters or '/'";
constexpr bool valid_description(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '/') return false;
  return true;
}

// The version of "{version}_{description}" (golang-migrate's, dbmate's and
// pop's names without their extensions: "20240115093000_create_users"), or
// nullopt when `stem` is not one.
constexpr std::optional<std::int64_t> versioned_name(std::string_view stem) {
  auto digits = leading_digits(stem);
  auto version = version_number(stem.substr(0, digits));
  if (!version || digits >= stem.size() || stem[digits] != '_' || !valid_description(stem.substr(digits + 1)))
    return std::nullopt;
  return version;
}

// Flyway's versions: parts of digits separated by '.' or '_' ("1", "1.1",
// "2_0_3"), each of at most max_version_digits digits. Calls f(part) for each
// and returns false (having called f for some) when `s` is not such a version.
template <class F>
constexpr bool for_each_version_part(std::string_view s, F&& f) {
  if (s.empty()) return false;
  std::size_t pos = 0;
  while (true) {
    auto n = leading_digits(s.substr(pos));
    auto part = version_number(s.substr(pos, n));
    if (!part) return false;
    f(*part);
    pos += n;
    if (pos == s.size()) return true;
    if (s[pos] != '.' && s[pos] != '_') return false;
    ++pos;
  }
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
