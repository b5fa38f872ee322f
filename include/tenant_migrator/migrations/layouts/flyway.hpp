// Flyway's SQL layout, read in place: one folder, one app.
//
//   V1__create_users.sql         versioned: applied once, in version order
//   V1.1__add_email.sql          versions are numbers separated by '.' or '_',
//   V2__add_index.sql            compared part by part (1.1 < 1.10 < 2; 1 = 1.0)
//   U1.1__add_email.sql          undo of version 1.1 (optional)
//   R__refresh_views.sql         repeatable: applied after the versioned ones,
//                                and again whenever the file changes
//
// The migration's name (in the history table) is the file name without
// ".sql": "V1.1__add_email", "R__refresh_views". Flyway's other prefixes and
// separators are not configurable here, nor its recursive scan of sub-folders.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../grammar.hpp"
#include "../migration_set.hpp"
#include "folder.hpp"

namespace tenant_migrator::layouts {

enum class flyway_kind { versioned, undo, repeatable };

struct flyway_filename {
  flyway_kind kind = flyway_kind::versioned;
  migration_version version;  // empty for a repeatable one
  std::string name;           // "V1.1__add_email"
};

inline constexpr std::string_view flyway_name_rule =
    "expected V{version}__{description}.sql, U{version}__{description}.sql or R__{description}.sql "
    "(version: numbers of 1 to 18 digits separated by '.' or '_')";

// "V1.1__add_email.sql" -> {versioned, {1, 1}, "V1.1__add_email"}; nothing when not such a name.
inline std::optional<flyway_filename> parse_flyway_filename(std::string_view filename) {
  if (!ends_with(filename, ".sql") || filename.empty()) return std::nullopt;
  filename.remove_suffix(4);
  flyway_filename r;
  r.name = std::string(filename);
  switch (filename.front()) {
    case 'V': r.kind = flyway_kind::versioned; break;
    case 'U': r.kind = flyway_kind::undo; break;
    case 'R': r.kind = flyway_kind::repeatable; break;
    default: return std::nullopt;
  }
  auto separator = filename.find("__");
  if (separator == std::string_view::npos || !grammar::valid_description(filename.substr(separator + 2)))
    return std::nullopt;
  auto version = filename.substr(1, separator - 1);
  if (r.kind == flyway_kind::repeatable) return version.empty() ? std::optional(r) : std::nullopt;
  if (!grammar::for_each_version_part(version, [&](std::int64_t part) {
        r.version.parts.push_back(static_cast<std::uint64_t>(part));
      }))
    return std::nullopt;
  return r;
}

// Throws migration_set_error naming every bad file.
inline migration_set load_flyway(const std::string& dir, const std::string& app) {
  auto listing = list_folder(dir);
  std::vector<migration_problem> problems;
  refuse_sub_folders(listing, app, "flyway", problems);
  std::vector<migration> migrations;
  std::map<migration_version, std::pair<std::string, std::string>> undos;  // version -> file name, script
  for (const auto& file : listing.files) {
    if (!ends_with(file.name, ".sql")) continue;  // README.md, Flyway's .sql.conf files
    std::string shown = app + "/" + file.name;
    auto parsed = parse_flyway_filename(file.name);
    if (!parsed) {
      problems.push_back({shown, "badly named Flyway file: " + std::string(flyway_name_rule)});
      continue;
    }
    auto content = read_sql_file(file, shown, problems);
    if (!content) continue;
    if (parsed->kind == flyway_kind::undo) {
      if (!undos.emplace(parsed->version, std::pair{file.name, std::move(*content)}).second)
        problems.push_back({shown, "a second undo file for version " + parsed->version.str() + " (" +
                                       undos[parsed->version].first + ")"});
      continue;
    }
    auto m = layout_migration(app, parsed->name, parsed->version, std::move(*content), file.name);
    m.repeatable = parsed->kind == flyway_kind::repeatable;
    // Where its undo would be: messages name it when it is missing.
    if (!m.repeatable) m.down_filename = "U" + parsed->name.substr(1) + ".sql";
    migrations.push_back(std::move(m));
  }
  for (auto& m : migrations)
    if (auto it = undos.find(m.version); !m.repeatable && it != undos.end()) {
      m.down_filename = it->second.first;
      m.down_sql = std::move(it->second.second);
      undos.erase(it);
    }
  for (auto& [version, undo] : undos)
    problems.push_back({app + "/" + undo.first, "has no versioned migration V" + version.str()});
  return make_migration_set(std::move(migrations), std::move(problems));
}

}  // namespace tenant_migrator::layouts
