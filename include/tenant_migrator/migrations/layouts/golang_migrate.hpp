// golang-migrate's layout, read in place: one folder, one app.
//
//   20240115093000_create_users.up.sql     the forward script
//   20240115093000_create_users.down.sql   its reverse (optional)
//
// {version}_{title}: the version is 1 to 18 digits (a counter or a
// timestamp), the title grammar.hpp's description rule. The migration's name
// (in the history table) is "{version}_{title}".
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

inline constexpr std::string_view golang_migrate_name_rule =
    "expected {version}_{title}.up.sql or {version}_{title}.down.sql (version: 1 to 18 digits)";

// "1_create_users.up.sql" -> {1, "1_create_users", up}; nothing when not such a name.
inline std::optional<versioned_filename> parse_golang_migrate_filename(std::string_view filename) {
  versioned_filename r;
  if (ends_with(filename, ".up.sql")) {
    filename.remove_suffix(7);
  } else if (ends_with(filename, ".down.sql")) {
    filename.remove_suffix(9);
    r.is_down = true;
  } else {
    return std::nullopt;
  }
  auto version = grammar::versioned_name(filename);
  if (!version) return std::nullopt;
  r.version = *version;
  r.name = std::string(filename);
  return r;
}

// The folder's migrations, each up file with the down file of its version.
// Throws migration_set_error naming every bad file.
inline migration_set load_golang_migrate(const std::string& dir, const std::string& app) {
  auto listing = list_folder(dir);
  std::vector<migration_problem> problems;
  refuse_sub_folders(listing, app, "golang-migrate", problems);
  std::vector<migration> ups;
  std::map<std::int64_t, std::pair<std::string, std::string>> downs;  // version -> file name, script
  for (const auto& file : listing.files) {
    if (!ends_with(file.name, ".sql")) continue;  // README.md and the like
    std::string shown = app + "/" + file.name;
    auto parsed = parse_golang_migrate_filename(file.name);
    if (!parsed) {
      problems.push_back({shown, "badly named golang-migrate file: " + std::string(golang_migrate_name_rule)});
      continue;
    }
    auto content = read_sql_file(file, shown, problems);
    if (!content) continue;
    if (parsed->is_down) {
      if (!downs.emplace(parsed->version, std::pair{file.name, std::move(*content)}).second)
        problems.push_back({shown, "a second down file for version " + std::to_string(parsed->version) + " (" +
                                       downs[parsed->version].first + ")"});
      continue;
    }
    ups.push_back(layout_migration(app, parsed->name, {{static_cast<std::uint64_t>(parsed->version)}},
                                   std::move(*content), file.name));
  }
  for (auto& m : ups)
    if (auto it = downs.find(m.number); it != downs.end()) {
      m.down_filename = it->second.first;
      m.down_sql = std::move(it->second.second);
      downs.erase(it);
    }
  for (auto& [version, down] : downs)
    problems.push_back({app + "/" + down.first, "has no up migration of version " + std::to_string(version)});
  return make_migration_set(std::move(ups), std::move(problems));
}

}  // namespace tenant_migrator::layouts
