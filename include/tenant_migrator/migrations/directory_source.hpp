// Reading a migration set from a folder: <dir>/<app>/<NNNN>_<slug>.sql.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "../detail/utf8.hpp"
#include "../errors.hpp"
#include "make_migration.hpp"
#include "migration_file.hpp"
#include "migration_set.hpp"

namespace tenant_migrator {

namespace detail {
inline bool read_file(const std::filesystem::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return false;
  out = std::move(ss).str();
  return true;
}
}  // namespace detail

// Loads and validates every migration under `dir`. Throws usage_error when the
// folder cannot be read, and migration_set_error listing every bad file.
// Hidden entries (".git") and non-.sql files at the top level (README.md)
// are ignored; inside an app folder every regular file must be a migration.
inline migration_set load_migration_directory(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw usage_error("migrations folder '" + dir.string() + "' does not exist or is not a folder");

  std::vector<migration> migrations;
  std::vector<migration_problem> problems;
  std::map<std::string, std::string> downs;  // "app/name" -> down script

  auto entries = [&](const fs::path& p) {
    std::vector<fs::directory_entry> v;
    std::error_code iter_ec;
    for (fs::directory_iterator it(p, iter_ec), end; !iter_ec && it != end; it.increment(iter_ec)) v.push_back(*it);
    if (iter_ec) throw usage_error("cannot read migrations folder '" + p.string() + "': " + iter_ec.message());
    std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.path().filename() < b.path().filename(); });
    return v;
  };

  for (const auto& app_entry : entries(dir)) {
    std::string app = app_entry.path().filename().string();
    if (app.empty() || app.front() == '.') continue;
    if (!app_entry.is_directory(ec)) {
      if (app_entry.path().extension() == ".sql")
        problems.push_back({app, "migration files belong in an app folder: <app>/NNNN_slug.sql"});
      continue;
    }
    if (auto why = validate_app_label(app); !why.empty()) {
      problems.push_back({app + "/", why});
      continue;
    }
    for (const auto& file : entries(app_entry.path())) {
      std::string filename = file.path().filename().string();
      std::string shown = app + "/" + filename;
      if (filename.empty() || filename.front() == '.') continue;
      if (!file.is_regular_file(ec)) {
        problems.push_back({shown, "not a regular file"});
        continue;
      }
      auto parsed = parse_migration_filename(filename);
      if (!parsed.error.empty()) {
        problems.push_back({shown, parsed.error});
        continue;
      }
      std::string content;
      if (!detail::read_file(file.path(), content)) {
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
