// makemigration: a new, empty migration file with the next number of its app.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "../errors.hpp"
#include "grammar.hpp"
#include "migration_file.hpp"

namespace tenant_migrator {

// Writes <dir>/<app>/<next NNNN>_<slug>.sql and returns its path. The file
// holds a header comment (and, for an app's later migrations, a commented
// `-- depends:` hint); the SQL is the user's to write. Never overwrites.
inline std::filesystem::path write_new_migration(const std::filesystem::path& dir, const std::string& app,
                                                 const std::string& slug) {
  namespace fs = std::filesystem;
  if (auto why = validate_app_label(app); !why.empty()) throw usage_error("app '" + app + "': " + why);
  if (slug.empty() || slug.size() > 58 || !grammar::is_slug(slug))
    throw usage_error("slug '" + slug + "': use 1-58 of a-z, 0-9 and _");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw usage_error("migrations folder '" + dir.string() + "' does not exist or is not a folder");
  std::int64_t last = 0;
  if (fs::is_directory(dir / app, ec))
    for (const auto& entry : fs::directory_iterator(dir / app, ec)) {
      auto parsed = parse_migration_filename(entry.path().filename().string());
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
  fs::path path = dir / app / (name + ".sql");
  if (fs::exists(path, ec)) throw usage_error("'" + path.string() + "' already exists");
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::app);  // app: never truncates
  out << "-- " << app << "/" << number << "_" << slug << "\n"
      << "-- Optional directives go on comment lines before the SQL, e.g. \"-- depends: users/0001_initial\".\n"
      << "\n";
  if (!out) throw usage_error("cannot write '" + path.string() + "'");
  return path;
}

}  // namespace tenant_migrator
