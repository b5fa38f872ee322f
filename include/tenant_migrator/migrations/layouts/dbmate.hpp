// dbmate's layout, read in place: one folder, one app, one file per version
// holding both directions.
//
//   20240115093000_create_users.sql:
//     -- migrate:up
//     CREATE TABLE users (id INTEGER PRIMARY KEY);
//     -- migrate:down
//     DROP TABLE users;
//
// `-- migrate:up transaction:false` runs the migration (both directions)
// outside a transaction, like our `-- transaction: off`. The checksum is of
// the up section, so editing the down section of an applied migration is not
// a change. The migration's name is the file name without ".sql".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../grammar.hpp"
#include "../migration_file.hpp"
#include "../migration_set.hpp"
#include "folder.hpp"

namespace tenant_migrator::layouts {

inline constexpr std::string_view dbmate_name_rule = "expected {version}_{name}.sql (version: 1 to 18 digits)";

// "20240115093000_create_users.sql" -> {20240115093000, "20240115093000_create_users"}.
// Also takes golang-migrate's .up.sql names, which detection tells apart first.
inline std::optional<versioned_filename> parse_dbmate_filename(std::string_view filename) {
  if (!ends_with(filename, ".sql")) return std::nullopt;
  filename.remove_suffix(4);
  auto version = grammar::versioned_name(filename);
  if (!version) return std::nullopt;
  return versioned_filename{*version, std::string(filename), false, {}};
}

struct dbmate_sections {
  std::string up;
  std::optional<std::string> down;  // absent without `-- migrate:down`, or when it holds no SQL
  bool transactional = true;
  std::vector<std::string> errors;  // one line each
};

namespace detail {
// "transaction:false" and the like after a `-- migrate:up` / `-- migrate:down` marker.
inline void read_dbmate_options(std::string_view options, std::string_view marker, bool& transactional,
                                std::vector<std::string>& errors) {
  grammar::for_each_dependency(options, [&](std::string_view option) {  // blank-separated, as a depends list
    if (option == "transaction:false")
      transactional = false;
    else if (option != "transaction:true")
      errors.push_back("unknown option '" + std::string(option) + "' on '" + std::string(marker) +
                       "' (expected transaction:false or transaction:true)");
  });
}
}  // namespace detail

// Splits a dbmate file at its `-- migrate:up` and `-- migrate:down` lines.
inline dbmate_sections parse_dbmate_file(std::string_view content) {
  dbmate_sections r;
  enum { before, up, down } where = before;
  bool down_transactional = true;
  bool seen_down = false;
  std::string down_text;
  std::size_t pos = 0;
  // The first problem stops the reading: one message per file, not one per line after it.
  while (pos < content.size() && r.errors.empty()) {
    auto eol = content.find('\n', pos);
    auto end = eol == std::string_view::npos ? content.size() : eol + 1;
    auto raw = content.substr(pos, end - pos);
    auto line = tenant_migrator::detail::trim(raw.substr(0, raw.find('\n')));
    pos = end;
    auto marker = [&](std::string_view name) {
      if (line.substr(0, 2) != "--") return false;
      auto body = tenant_migrator::detail::trim(line.substr(2));
      if (body.substr(0, name.size()) != name || (body.size() > name.size() && body[name.size()] != ' ' &&
                                                  body[name.size()] != '\t'))
        return false;
      line = body.substr(name.size());  // the options
      return true;
    };
    if (marker("migrate:up")) {
      if (where != before) {
        r.errors.push_back(where == up ? "a second '-- migrate:up'" : "'-- migrate:up' after '-- migrate:down'");
        continue;
      }
      detail::read_dbmate_options(line, "-- migrate:up", r.transactional, r.errors);
      where = up;
    } else if (marker("migrate:down")) {
      if (where != up) {
        r.errors.push_back(where == before ? "'-- migrate:down' before '-- migrate:up'" : "a second '-- migrate:down'");
        continue;
      }
      detail::read_dbmate_options(line, "-- migrate:down", down_transactional, r.errors);
      where = down;
      seen_down = true;
    } else if (where == before) {
      if (!line.empty() && line.substr(0, 2) != "--") r.errors.push_back("SQL before '-- migrate:up'");
    } else {
      (where == up ? r.up : down_text) += raw;
    }
  }
  if (!r.errors.empty()) return r;
  if (where == before) r.errors.push_back("no '-- migrate:up' line");
  // One flag runs both directions (migration::transactional).
  if (!down_transactional && r.transactional)
    r.errors.push_back("'transaction:false' on '-- migrate:down' only: put it on '-- migrate:up', for both");
  if (seen_down && holds_sql(down_text)) r.down = std::move(down_text);
  return r;
}

// Throws migration_set_error naming every bad file.
inline migration_set load_dbmate(const std::string& dir, const std::string& app) {
  auto listing = list_folder(dir);
  std::vector<migration_problem> problems;
  refuse_sub_folders(listing, app, "dbmate", problems);
  std::vector<migration> migrations;
  for (const auto& file : listing.files) {
    if (!ends_with(file.name, ".sql")) continue;  // README.md, schema dumps of other extensions
    std::string shown = app + "/" + file.name;
    auto parsed = parse_dbmate_filename(file.name);
    if (!parsed) {
      problems.push_back({shown, "badly named dbmate file: " + std::string(dbmate_name_rule)});
      continue;
    }
    auto content = read_migration_file(file, shown, problems);
    if (!content) continue;
    auto sections = parse_dbmate_file(*content);
    for (auto& e : sections.errors) problems.push_back({shown, std::move(e)});
    if (!sections.errors.empty()) continue;
    if (!holds_sql(sections.up)) {
      problems.push_back({shown, "empty migration: the '-- migrate:up' section holds no SQL"});
      continue;
    }
    auto m = layout_migration(app, parsed->name, {{static_cast<std::uint64_t>(parsed->version)}},
                              std::move(sections.up), file.name);
    m.transactional = sections.transactional;
    m.down_sql = std::move(sections.down);
    m.down_filename = file.name + " (migrate:down)";
    migrations.push_back(std::move(m));
  }
  return make_migration_set(std::move(migrations), std::move(problems));
}

}  // namespace tenant_migrator::layouts
