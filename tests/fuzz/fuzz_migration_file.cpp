// Fuzz target: the migration-file parser (include/tenant_migrator/migrations/migration_file.hpp).
// The input is tried as a file name, as a migration reference and as a file's content.
// Properties:
//   - parse_migration_filename accepts exactly NNNN_slug.sql / NNNN_slug.down.sql: an accepted
//     name has a number of 4 to 18 digits from 1 (no ceiling at 9999), a 6..63 byte stem, and is
//     its own canonical spelling;
//   - parse_migration_ref's result is a valid key that parses back to itself;
//   - parse_migration_header's dependencies are valid keys, its errors one line each;
//   - other tools' file names (migrations/layouts/): an accepted name is rebuilt from its
//     parts, and a dbmate file's sections give one-line errors.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <tenant_migrator/migrations/layouts.hpp>
#include <tenant_migrator/migrations/migration_file.hpp>

#include "fuzz_check.hpp"

namespace tmig = tenant_migrator;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  auto f = tmig::parse_migration_filename(in);
  if (f.error.empty()) {
    FUZZ_CHECK(f.number >= 1 && f.number <= 999'999'999'999'999'999, fuzz_show(in));
    FUZZ_CHECK(f.name.size() >= 6 && f.name.size() <= 63, fuzz_show(in));
    FUZZ_CHECK(std::string(in) == f.name + (f.is_down ? ".down.sql" : ".sql"), fuzz_show(in));
    auto again = tmig::parse_migration_filename(f.name + (f.is_down ? ".down.sql" : ".sql"));
    FUZZ_CHECK(again.error.empty() && again.name == f.name && again.number == f.number && again.is_down == f.is_down,
               fuzz_show(in));
  } else {
    FUZZ_CHECK(f.name.empty() && f.error.find('\n') == std::string::npos, fuzz_show(in));
  }

  if (auto ref = tmig::parse_migration_ref(in)) {
    FUZZ_CHECK(tmig::validate_app_label(ref->app).empty(), fuzz_show(in));
    auto parsed = tmig::parse_migration_filename(ref->name + ".sql");
    FUZZ_CHECK(parsed.error.empty() && !parsed.is_down, fuzz_show(in));
    auto back = tmig::parse_migration_ref(ref->str());
    FUZZ_CHECK(back && *back == *ref, fuzz_show(in));
    auto with_sql = tmig::parse_migration_ref(ref->str() + ".sql");
    FUZZ_CHECK(with_sql && *with_sql == *ref, fuzz_show(in));
  }

  auto h = tmig::parse_migration_header(in);
  for (const auto& d : h.depends) {
    auto back = tmig::parse_migration_ref(d.str());
    FUZZ_CHECK(back && *back == d, fuzz_show(in));
  }
  for (const auto& e : h.errors) FUZZ_CHECK(!e.empty() && e.find('\n') == std::string::npos, fuzz_show(e));

  namespace layouts = tmig::layouts;
  if (auto g = layouts::parse_golang_migrate_filename(in))
    FUZZ_CHECK(std::string(in) == g->name + (g->is_down ? ".down.sql" : ".up.sql") && g->version >= 0, fuzz_show(in));
  if (auto f = layouts::parse_flyway_filename(in))
    FUZZ_CHECK(std::string(in) == f->name + ".sql" && f->version.parts.empty() == (f->kind == layouts::flyway_kind::repeatable),
               fuzz_show(in));
  if (auto d = layouts::parse_dbmate_filename(in)) FUZZ_CHECK(std::string(in) == d->name + ".sql", fuzz_show(in));
  if (auto p = layouts::parse_pop_filename(in)) {
    std::string rebuilt = p->name + (p->dialect.empty() ? "" : "." + p->dialect) + (p->is_down ? ".down" : ".up");
    FUZZ_CHECK(std::string(in) == rebuilt + ".sql" || std::string(in) == rebuilt + ".fizz", fuzz_show(in));
  }
  for (const auto& e : layouts::parse_dbmate_file(in).errors)
    FUZZ_CHECK(!e.empty() && e.find('\n') == std::string::npos, fuzz_show(e));
  return 0;
}
