// make_migration: one migration built in code, for a migration source of your
// own (docs/concepts/migration-source.md). It computes what a folder reader
// would (number, checksum) and refuses what a folder would refuse (grammar.hpp).
//
//   auto m = tenant_migrator::make_migration("users", "0001_initial", "CREATE TABLE users (id INTEGER);");
//   auto n = tenant_migrator::make_migration("users", "0002_email", "ALTER TABLE users ADD email TEXT;",
//                                            {.down_sql = "ALTER TABLE users DROP email;",
//                                             .depends = {{"billing", "0001_initial"}}});
//
// Whether the dependencies exist, and the order, are the set's to check:
// pass the migrations to make_migration_set (migration_set.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../detail/sha256.hpp"
#include "../errors.hpp"
#include "../model/migration.hpp"
#include "grammar.hpp"

namespace tenant_migrator {

// What a migration file says besides its SQL: its .down.sql companion and its
// header directives (`-- depends:`, `-- transaction:`).
struct migration_options {
  std::optional<std::string> down_sql{};
  std::vector<migration_key> depends{};
  bool transactional = true;
};

namespace detail {
// What make_migration and the readers of other tools' layouts
// (migrations/layouts/) share once a name has been judged by its own rules:
// the checksum, and a version of one part (Flyway's dotted ones set
// `version` afterwards).
inline migration assemble_migration(std::string_view app, std::string_view name, std::int64_t number, std::string sql,
                                    migration_options options) {
  migration m;
  m.app = std::string(app);
  m.name = std::string(name);
  m.number = number;
  m.version.parts = {static_cast<std::uint64_t>(number)};
  m.checksum = detail::sha256_hex(sql);
  m.sql = std::move(sql);
  m.down_sql = std::move(options.down_sql);
  m.depends = std::move(options.depends);
  m.transactional = options.transactional;
  return m;
}
}  // namespace detail

// Throws usage_error naming the culprit when `app`, `name` or a dependency
// breaks the grammar of migration names.
inline migration make_migration(std::string_view app, std::string_view name, std::string sql,
                                migration_options options = {}) {
  if (!grammar::valid_app_label(app))
    throw usage_error("make_migration: app '" + std::string(app) + "': " + std::string(grammar::app_label_rule));
  if (auto why = grammar::migration_name_error(name); !why.empty())
    throw usage_error("make_migration: name '" + std::string(name) + "' (app '" + std::string(app) +
                      "'): " + std::string(why));
  for (const auto& dep : options.depends)
    if (!grammar::valid_app_label(dep.app) || grammar::migration_number(dep.name) == 0)
      throw usage_error("make_migration: " + std::string(app) + "/" + std::string(name) + ": bad dependency '" +
                        dep.str() + "' (expected app/NNNN_slug)");
  return detail::assemble_migration(app, name, grammar::migration_number(name), std::move(sql), std::move(options));
}

}  // namespace tenant_migrator
