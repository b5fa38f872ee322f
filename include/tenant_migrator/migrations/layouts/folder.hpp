// What the readers of other tools' layouts share: the folder's files, read
// with the checks every migration file gets (readable, valid UTF-8), and the
// migration they make. The naming rules themselves are in grammar.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../../detail/files.hpp"
#include "../../detail/utf8.hpp"
#include "../../errors.hpp"
#include "../../model/migration.hpp"
#include "../directory_source.hpp"
#include "../make_migration.hpp"
#include "../migration_file.hpp"

namespace tenant_migrator::layouts {

struct folder_file {
  std::string name;  // "20240115093000_create_users.up.sql"
  std::string path;  // the folder's path joined with the name
};

// The folder's entries, by name; hidden ones (".git") skipped.
struct folder_listing {
  std::vector<folder_file> files;        // regular files (and links to them)
  std::vector<std::string> sub_folders;  // names
};

inline folder_listing list_folder(const std::string& dir) {
  if (!detail::is_directory(dir))
    throw usage_error("migrations folder '" + dir + "' does not exist or is not a folder");
  std::vector<detail::dir_entry> entries;  // sorted by name
  std::string why;
  if (!detail::list_directory(dir, entries, why))
    throw usage_error("cannot read migrations folder '" + dir + "': " + why);
  folder_listing out;
  for (auto& entry : entries) {
    if (entry.name.empty() || entry.name.front() == '.') continue;
    if (entry.kind == detail::file_kind::directory)
      out.sub_folders.push_back(std::move(entry.name));
    else
      out.files.push_back({entry.name, detail::join_path(dir, entry.name)});
  }
  return out;
}

// A file name of golang-migrate, dbmate or pop, taken apart.
struct versioned_filename {
  std::int64_t version = 0;
  std::string name;     // "{version}_{title}": the migration's name
  bool is_down = false;
  std::string dialect;  // pop only: "postgres" in 1_x.postgres.up.sql; empty for every dialect
};

inline bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The file's content, or nothing with a problem naming it (`shown`: "app/file").
inline std::optional<std::string> read_migration_file(const folder_file& file, const std::string& shown,
                                                      std::vector<migration_problem>& problems) {
  if (detail::kind_of(file.path) != detail::file_kind::regular) {
    problems.push_back({shown, "not a regular file"});
    return std::nullopt;
  }
  std::string content;
  if (!detail::read_file(file.path, content)) {
    problems.push_back({shown, "cannot read the file"});
    return std::nullopt;
  }
  if (auto bad = detail::first_invalid_utf8(content); bad != std::string::npos) {
    problems.push_back({shown, "not valid UTF-8 (byte offset " + std::to_string(bad) + ")"});
    return std::nullopt;
  }
  return content;
}

// Blank lines and `--` comments only: what our layout calls an empty migration.
inline bool holds_sql(std::string_view content) { return parse_migration_header(content).has_sql; }

// read_migration_file, and an empty migration is a problem too (as in our layout).
inline std::optional<std::string> read_sql_file(const folder_file& file, const std::string& shown,
                                                std::vector<migration_problem>& problems) {
  auto content = read_migration_file(file, shown, problems);
  if (content && !holds_sql(*content)) {
    problems.push_back({shown, "empty migration: the file holds no SQL"});
    return std::nullopt;
  }
  return content;
}

// A migration of another tool's layout: named by its tool's rules (already
// checked), versioned by `version`, shown as `filename` in messages.
inline migration layout_migration(const std::string& app, std::string name, const migration_version& version,
                                  std::string sql, std::string filename) {
  std::int64_t number = version.parts.empty() ? 0 : static_cast<std::int64_t>(version.parts.front());
  auto m = detail::assemble_migration(app, name, number, std::move(sql), {});
  m.version = version;
  m.filename = std::move(filename);
  return m;
}

// A sub-folder of another tool's layout is not read: said, not skipped.
inline void refuse_sub_folders(const folder_listing& listing, const std::string& app, std::string_view layout,
                               std::vector<migration_problem>& problems) {
  for (const auto& sub : listing.sub_folders)
    problems.push_back({app + "/" + sub + "/", "sub-folders are not read in the " + std::string(layout) +
                                                   " layout: its migrations go at the top of the folder"});
}

}  // namespace tenant_migrator::layouts
