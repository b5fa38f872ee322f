// gobuffalo pop's SQL migrations (fizz's SQL form), read in place: one
// folder, one app.
//
//   20240115093000_create_users.up.sql            for every dialect
//   20240115093000_create_users.down.sql
//   20240115093000_create_users.sqlite3.up.sql    for SQLite only: wins over the generic file of its version
//
// The dialect is the adapter's (layout_options::dialect: "postgres",
// "sqlite3", "mysql", ...); files for other dialects are not read. A chosen
// file that holds no SQL (blank, or comments only) is skipped, as pop skips
// it: an empty up file leaves its version out of the set, an empty down file
// leaves the migration without a down script. .fizz files are refused: only
// SQL is run. The migration's name is "{version}_{name}", the same whichever
// dialect's file is read.
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

inline constexpr std::string_view pop_name_rule =
    "expected {version}_{name}[.{dialect}].up.sql or .down.sql (version: 1 to 18 digits; name without '.'; "
    "dialect: a-z, 0-9)";

// The dialect tags pop knows; detection takes a file carrying one for pop's.
inline constexpr std::string_view pop_dialects[] = {"postgres", "cockroach", "mysql", "mariadb", "sqlite3"};

// pop's dialect for a master URL's scheme ("sqlite" -> "sqlite3", "postgresql" -> "postgres"), or "" when none fits.
inline std::string pop_dialect_for_scheme(std::string_view scheme) {
  if (scheme == "sqlite" || scheme == "sqlite3") return "sqlite3";
  if (scheme == "postgresql" || scheme == "postgres") return "postgres";
  if (scheme == "mysql" || scheme == "mariadb") return "mysql";
  return {};
}

// "1_x.sqlite3.up.sql" -> {1, "1_x", up, "sqlite3"}; "1_x.up.fizz" too (its
// extension is the caller's to check); nothing when not such a name.
inline std::optional<versioned_filename> parse_pop_filename(std::string_view filename) {
  versioned_filename r;
  std::string_view stem = filename;
  if (ends_with(stem, ".sql"))
    stem.remove_suffix(4);
  else if (ends_with(stem, ".fizz"))
    stem.remove_suffix(5);
  else
    return std::nullopt;
  if (ends_with(stem, ".up")) {
    stem.remove_suffix(3);
  } else if (ends_with(stem, ".down")) {
    stem.remove_suffix(5);
    r.is_down = true;
  } else {
    return std::nullopt;
  }
  if (auto dot = stem.find('.'); dot != std::string_view::npos) {
    r.dialect = std::string(stem.substr(dot + 1));
    stem = stem.substr(0, dot);
    if (r.dialect.empty()) return std::nullopt;
    for (char c : r.dialect)
      if (!((c >= 'a' && c <= 'z') || grammar::is_digit(c))) return std::nullopt;
  }
  auto version = grammar::versioned_name(stem);
  if (!version) return std::nullopt;
  r.version = *version;
  r.name = std::string(stem);
  return r;
}

// Throws migration_set_error naming every bad file.
inline migration_set load_pop(const std::string& dir, const std::string& app, const std::string& dialect) {
  auto listing = list_folder(dir);
  std::vector<migration_problem> problems;
  refuse_sub_folders(listing, app, "pop", problems);
  // Per version and direction: the generic file and this dialect's file.
  struct candidates {
    std::vector<const folder_file*> generic, own;
  };
  std::map<std::int64_t, candidates> ups, downs;
  std::map<const folder_file*, versioned_filename> names;
  for (const auto& file : listing.files) {
    bool fizz = ends_with(file.name, ".fizz");
    if (!fizz && !ends_with(file.name, ".sql")) continue;  // README.md and the like
    std::string shown = app + "/" + file.name;
    auto parsed = parse_pop_filename(file.name);
    if (!parsed) {
      problems.push_back({shown, "badly named pop file: " + std::string(pop_name_rule)});
      continue;
    }
    if (fizz) {
      problems.push_back({shown, "fizz migrations are not read, only SQL ones: write it as " + parsed->name +
                                     (parsed->is_down ? ".down.sql" : ".up.sql")});
      continue;
    }
    if (!parsed->dialect.empty() && dialect.empty()) {
      problems.push_back({shown, "a file for dialect '" + parsed->dialect +
                                     "': say which dialect the tenants use (layout_options::dialect)"});
      continue;
    }
    if (!parsed->dialect.empty() && parsed->dialect != dialect) continue;  // another dialect's
    auto& slot = (parsed->is_down ? downs : ups)[parsed->version];
    (parsed->dialect.empty() ? slot.generic : slot.own).push_back(&file);
    names[&file] = std::move(*parsed);
  }
  // The file that counts for a version: this dialect's, else the generic one; nothing when empty.
  auto choose = [&](const candidates& c, std::optional<std::string>& content) -> const folder_file* {
    const auto& files = c.own.empty() ? c.generic : c.own;
    if (files.size() > 1) {
      problems.push_back({app + "/" + files[1]->name, "the same version as " + files[0]->name});
      return nullptr;
    }
    content = read_migration_file(*files[0], app + "/" + files[0]->name, problems);
    return content && holds_sql(*content) ? files[0] : nullptr;
  };
  std::vector<migration> migrations;
  for (auto& [version, up] : ups) {
    std::optional<std::string> sql;
    const folder_file* file = choose(up, sql);
    if (!file) continue;
    auto m = layout_migration(app, names[file].name, {{static_cast<std::uint64_t>(version)}}, std::move(*sql),
                              file->name);
    if (auto down = downs.find(version); down != downs.end()) {
      std::optional<std::string> down_sql;
      if (const folder_file* down_file = choose(down->second, down_sql)) {
        m.down_filename = down_file->name;
        m.down_sql = std::move(down_sql);
      }
    }
    migrations.push_back(std::move(m));
  }
  for (auto& [version, down] : downs)
    if (!ups.count(version)) {
      const auto* file = down.own.empty() ? down.generic.front() : down.own.front();
      problems.push_back({app + "/" + file->name, "has no up migration of version " + std::to_string(version)});
    }
  return make_migration_set(std::move(migrations), std::move(problems));
}

}  // namespace tenant_migrator::layouts
