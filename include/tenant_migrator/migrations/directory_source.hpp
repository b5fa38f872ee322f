// Reading a migration set from a folder: <dir>/<app>/<NNNN>_<slug>.sql.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "../detail/files.hpp"
#include "../detail/utf8.hpp"
#include "../errors.hpp"
#include "make_migration.hpp"
#include "migration_file.hpp"
#include "migration_set.hpp"

namespace tenant_migrator {

// Loads and validates every migration under `dir`. Throws usage_error when the
// folder cannot be read, and migration_set_error listing every bad file.
// Hidden entries (".git") and non-.sql files at the top level (README.md)
// are ignored; inside an app folder every regular file must be a migration.
inline migration_set load_migration_directory(const std::string& dir) {
  if (!detail::is_directory(dir))
    throw usage_error("migrations folder '" + dir + "' does not exist or is not a folder");

  std::vector<migration> migrations;
  std::vector<migration_problem> problems;
  std::map<std::string, std::string> downs;  // "app/name" -> down script

  auto entries = [&](const std::string& folder) {
    std::vector<detail::dir_entry> v;
    std::string why;
    if (!detail::list_directory(folder, v, why))
      throw usage_error("cannot read migrations folder '" + folder + "': " + why);
    return v;
  };
  auto is_sql_file = [](const std::string& name) {  // "x.sql", not ".sql" (hidden)
    return name.size() > 4 && name.compare(name.size() - 4, 4, ".sql") == 0;
  };

  for (const auto& app_entry : entries(dir)) {
    const std::string& app = app_entry.name;
    if (app.empty() || app.front() == '.') continue;
    if (app_entry.kind != detail::file_kind::directory) {
      if (is_sql_file(app))
        problems.push_back({app, "migration files belong in an app folder: <app>/NNNN_slug.sql"});
      continue;
    }
    if (auto why = validate_app_label(app); !why.empty()) {
      problems.push_back({app + "/", why});
      continue;
    }
    const std::string app_folder = detail::join_path(dir, app);
    for (const auto& file : entries(app_folder)) {
      const std::string& filename = file.name;
      std::string shown = app + "/" + filename;
      if (filename.empty() || filename.front() == '.') continue;
      if (file.kind != detail::file_kind::regular) {
        problems.push_back({shown, "not a regular file"});
        continue;
      }
      auto parsed = parse_migration_filename(filename);
      if (!parsed.error.empty()) {
        problems.push_back({shown, parsed.error});
        continue;
      }
      std::string content;
      if (!detail::read_file(detail::join_path(app_folder, filename), content)) {
        problems.push_back({shown, "cannot read the file"});
        continue;
      }
      if (auto bad = detail::first_invalid_utf8(content); bad != std::string::npos) {
        problems.push_back({shown, "not valid UTF-8 (byte offset " + std::to_string(bad) + ")"});
        continue;
      }
      auto header = parse_migration_header(content);
      for (auto& e : header.errors) problems.push_back({shown, e});
      if (!header.has_sql) {
        problems.push_back({shown, "empty migration: the file holds no SQL"});
        continue;
      }
      if (parsed.is_down) {
        downs[app + "/" + parsed.name] = std::move(content);
        continue;
      }
      migrations.push_back(make_migration(
          app, parsed.name, std::move(content),
          {.depends = std::move(header.depends), .transactional = header.transactional}));
    }
  }
  for (auto& m : migrations) {
    auto it = downs.find(m.key().str());
    if (it != downs.end()) {
      m.down_sql = std::move(it->second);
      downs.erase(it);
    }
  }
  for (auto& [key, _] : downs)
    problems.push_back({key + ".down.sql", "has no forward migration " + key + ".sql"});
  return make_migration_set(std::move(migrations), std::move(problems));
}

}  // namespace tenant_migrator
