// makemigration: a new, empty migration file with the next number of its app.
#pragma once

#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "../detail/files.hpp"
#include "../errors.hpp"
#include "grammar.hpp"
#include "migration_file.hpp"

namespace tenant_migrator {

// Writes <dir>/<app>/<next NNNN>_<slug>.sql and returns its path. The file
// holds a header comment (and, for an app's later migrations, a commented
// `-- depends:` hint); the SQL is the user's to write. Never overwrites.
inline std::string write_new_migration(const std::string& dir, const std::string& app, const std::string& slug) {
  if (auto why = validate_app_label(app); !why.empty()) throw usage_error("app '" + app + "': " + why);
  if (slug.empty() || slug.size() > 58 || !grammar::is_slug(slug))
    throw usage_error("slug '" + slug + "': use 1-58 of a-z, 0-9 and _");
  if (!detail::is_directory(dir))
    throw usage_error("migrations folder '" + dir + "' does not exist or is not a folder");
  const std::string app_folder = detail::join_path(dir, app);
  std::int64_t last = 0;
  std::vector<detail::dir_entry> entries;
  std::string unreadable;  // then the file's creation fails and says so
  if (detail::is_directory(app_folder) && detail::list_directory(app_folder, entries, unreadable))
    for (const auto& entry : entries) {
      auto parsed = parse_migration_filename(entry.name);
      if (parsed.error.empty()) last = std::max(last, parsed.number);
    }
  // No ceiling at 9999: 0001..9999, then 10000 (the grammar takes 4 to 18 digits).
  if (grammar::version_number(std::to_string(last + 1)) == std::nullopt)
    throw usage_error("app '" + app + "': no number follows " + std::to_string(last));
  char number[24];
  std::snprintf(number, sizeof number, "%04lld", static_cast<long long>(last + 1));
  std::string name = std::string(number) + "_" + slug;
  // A longer number leaves less room for the slug in a name's 63 characters.
  if (auto why = grammar::migration_name_error(name); !why.empty())
    throw usage_error("'" + name + "': " + std::string(why));
  const std::string path = detail::join_path(app_folder, name + ".sql");
  ::mkdir(app_folder.c_str(), 0777);  // if this fails, so does the file's creation, which says so
  const std::string content = "-- " + app + "/" + name +
                              "\n-- Optional directives go on comment lines before the SQL, e.g. \"-- depends: "
                              "users/0001_initial\".\n\n";
  switch (detail::create_new_file(path, content)) {
    case detail::create_result::created: return path;
    case detail::create_result::exists: throw usage_error("'" + path + "' already exists");
    case detail::create_result::failed: break;
  }
  throw usage_error("cannot write '" + path + "'");
}

}  // namespace tenant_migrator
