// Reading a migrations folder in its own tool's layout, in place: ours
// (<dir>/<app>/NNNN_slug.sql), golang-migrate, Flyway, dbmate, or gobuffalo
// pop. Another tool's folder becomes one app, named after the folder (or
// layout_options::app), its migrations in version order. One header per
// layout in layouts/; the naming rules they share are in grammar.hpp.
//
//   auto found = tenant_migrator::detect_migration_layout("db/migrations");   // found.layout, found.reason
//   auto set = tenant_migrator::load_migrations("db/migrations", {.layout = tenant_migrator::migration_layout::pop,
//                                                                 .dialect = "sqlite3"});
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../errors.hpp"
#include "../model/migration.hpp"
#include "grammar.hpp"
#include "layouts/dbmate.hpp"
#include "layouts/flyway.hpp"
#include "layouts/folder.hpp"
#include "layouts/golang_migrate.hpp"
#include "layouts/pop.hpp"
#include "layouts/tenant_migrator.hpp"

namespace tenant_migrator {

enum class migration_layout { tenant_migrator, golang_migrate, flyway, dbmate, pop, detect };

// "tenant-migrator", "golang-migrate", "flyway", "dbmate", "pop", "detect": the CLI's spelling.
constexpr std::string_view layout_name(migration_layout layout) {
  switch (layout) {
    case migration_layout::tenant_migrator: return "tenant-migrator";
    case migration_layout::golang_migrate: return "golang-migrate";
    case migration_layout::flyway: return "flyway";
    case migration_layout::dbmate: return "dbmate";
    case migration_layout::pop: return "pop";
    case migration_layout::detect: return "detect";
  }
  return "?";
}

// The layout a name (layout_name's spelling) stands for, or nothing.
inline std::optional<migration_layout> parse_migration_layout(std::string_view name) {
  for (auto layout : {migration_layout::tenant_migrator, migration_layout::golang_migrate, migration_layout::flyway,
                      migration_layout::dbmate, migration_layout::pop, migration_layout::detect})
    if (layout_name(layout) == name) return layout;
  return std::nullopt;
}

struct layout_options {
  migration_layout layout = migration_layout::detect;
  // Another tool's folder is one app: this name, or the folder's when empty.
  // Must be empty for our layout, whose apps are its sub-folders.
  std::string app{};
  // pop only: the tenants' dialect ("postgres", "sqlite3", "mysql"; see
  // layouts::pop_dialect_for_scheme). Needed when the folder has a file for a dialect.
  std::string dialect{};
};

struct detected_layout {
  migration_layout layout = migration_layout::tenant_migrator;
  std::string reason;  // one line: which files decided it
};

namespace detail {

// The layout a top-level file's name belongs to, or nothing for a file no
// layout reads (README.md). pop's generic names are golang-migrate's too:
// pop only when a dialect tag or a .fizz file says so.
inline std::optional<migration_layout> layout_of_file(std::string_view name) {
  if (layouts::parse_flyway_filename(name)) return migration_layout::flyway;
  if (auto pop = layouts::parse_pop_filename(name)) {
    bool known_dialect = false;
    for (auto d : layouts::pop_dialects) known_dialect = known_dialect || pop->dialect == d;
    if (known_dialect || layouts::ends_with(name, ".fizz")) return migration_layout::pop;
  }
  if (layouts::parse_golang_migrate_filename(name)) return migration_layout::golang_migrate;
  if (layouts::parse_dbmate_filename(name)) return migration_layout::dbmate;
  return std::nullopt;
}

}  // namespace detail

// Which layout `dir` is in, and why. Throws usage_error when the folder
// cannot be read, and migration_set_error when it mixes layouts (naming a
// file of each). A folder with nothing another tool would read is ours.
inline detected_layout detect_migration_layout(const std::string& dir) {
  auto listing = layouts::list_folder(dir);
  std::map<migration_layout, std::vector<std::string>> files;  // layout -> its files, by name
  for (const auto& file : listing.files)
    if (auto layout = detail::layout_of_file(file.name)) files[*layout].push_back(file.name);
  // pop reads golang-migrate's names as its generic files.
  if (files.count(migration_layout::pop) && files.count(migration_layout::golang_migrate)) {
    auto& generic = files[migration_layout::golang_migrate];
    auto& pop = files[migration_layout::pop];
    pop.insert(pop.end(), generic.begin(), generic.end());
    files.erase(migration_layout::golang_migrate);
  }
  if (!listing.sub_folders.empty())
    for (const auto& sub : listing.sub_folders) files[migration_layout::tenant_migrator].push_back(sub + "/");

  if (files.size() > 1) {
    std::string list;
    for (const auto& [layout, names] : files)
      list += (list.empty() ? "" : ", ") + names.front() + " (" + std::string(layout_name(layout)) + ")";
    throw migration_set_error(
        {{files.begin()->second.front(), "one folder mixes migration layouts: " + list + "; keep one per folder"}});
  }
  if (files.empty())
    return {migration_layout::tenant_migrator,
            "tenant-migrator: no file another tool would read at the top level (apps are sub-folders)"};
  const auto& [layout, names] = *files.begin();
  std::string count = names.size() == 1 ? "1 file" : std::to_string(names.size()) + " files";
  std::string reason = std::string(layout_name(layout)) + ": " + count + " like " + names.front();
  if (layout == migration_layout::tenant_migrator)
    reason = "tenant-migrator: app sub-folders (" + names.front() + (names.size() > 1 ? ", ...)" : ")");
  if (layout == migration_layout::golang_migrate) reason += " (pop reads these names too: choose pop explicitly)";
  return {layout, reason};
}

// Reads and validates the migrations of `dir` in `options.layout` (detected
// when `detect`). Throws usage_error for the folder or the app name, and
// migration_set_error naming every bad file (also a folder that mixes layouts).
inline migration_set load_migrations(const std::string& dir, const layout_options& options = {}) {
  // Detection also refuses a mix when the layout is given.
  auto layout = detect_migration_layout(dir).layout;
  if (options.layout != migration_layout::detect) layout = options.layout;
  if (layout == migration_layout::tenant_migrator) {
    if (!options.app.empty())
      throw usage_error("an app name ('" + options.app +
                        "') is for another tool's layout: in tenant-migrator's, the apps are the sub-folders");
    return layouts::load_tenant_migrator(dir);
  }
  std::string app = options.app;
  if (app.empty()) {
    // "." and "db/migrations/" are named as the folder they are.
    app = detail::last_component(detail::canonical_or_same(dir));
    if (!grammar::valid_app_label(app))
      throw usage_error("the folder's name '" + app + "' is not an app name (" + std::string(grammar::app_label_rule) +
                        "): give one");
  } else if (!grammar::valid_app_label(app)) {
    throw usage_error("app '" + app + "': " + std::string(grammar::app_label_rule));
  }
  switch (layout) {
    case migration_layout::golang_migrate: return layouts::load_golang_migrate(dir, app);
    case migration_layout::flyway: return layouts::load_flyway(dir, app);
    case migration_layout::dbmate: return layouts::load_dbmate(dir, app);
    case migration_layout::pop: return layouts::load_pop(dir, app, options.dialect);
    default: break;
  }
  throw usage_error("no layout to read '" + dir + "' with");
}

}  // namespace tenant_migrator
