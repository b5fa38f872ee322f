// Migrations compiled into the binary (migrations/embedded.hpp): the
// compile-time checks, evaluated here without failing the build, and the set
// they turn into. tests/compile_fail/embedded_*.cpp prove that a bad list
// does not compile.
#include <doctest/doctest.h>

#include <array>
#include <span>
#include <string_view>
#include <iterator>
#include <string>
#include <vector>

#include <tenant_migrator/tenant_migrator.hpp>

#include "support/files.hpp"

using namespace tenant_migrator;
namespace embedded = tenant_migrator::detail::embedded;

namespace {

inline constexpr embedded_migration shop[] = {
    {"users", "0001_initial", "CREATE TABLE users (id INTEGER PRIMARY KEY);"},
    {"users", "0002_add_email", "ALTER TABLE users ADD COLUMN email TEXT;"},
    {"products", "0001_initial", "CREATE TABLE products (id INTEGER PRIMARY KEY);", "users/0001_initial"},
    {"products", "0002_owner", "ALTER TABLE products ADD COLUMN owner INTEGER;", "users/0002_add_email.sql", false},
};
static_assert(check_embedded_migrations<shop>());

inline constexpr embedded_migration with_cycle[] = {
    {"a", "0001_x", "", "b/0001_y"},
    {"b", "0001_y", "", "a/0002_z"},
    {"a", "0002_z", ""},
};
inline constexpr embedded_migration without_cycle[] = {
    {"a", "0001_x", ""},
    {"b", "0001_y", "", "a/0002_z"},
    {"a", "0002_z", ""},
};
inline constexpr embedded_migration self_dependent[] = {{"a", "0001_x", "", "a/0001_x"}};

std::vector<std::string> order_of(const migration_set& set) {
  std::vector<std::string> out;
  for (const auto& m : set.ordered()) out.push_back(m.key().str());
  return out;
}

std::string problems_of(std::span<const embedded_migration> list) {
  try {
    to_migration_set(list);
  } catch (const migration_set_error& e) {
    return e.what();
  }
  return {};
}

}  // namespace

// Each kind of mistake next to a list that makes it, and the position(s) the
// check gives. The same constexpr functions are asserted at compile time
// (what check_embedded_migrations relies on) and checked again at run time,
// where a wrong position is reported by doctest with the list it came from.
inline constexpr embedded_migration bad_app[] = {{"users", "0001_a", ""}, {"Users", "0001_a", ""}};
inline constexpr embedded_migration bad_name[] = {{"users", "0001_a", ""}, {"users", "0000_b", ""}};
inline constexpr embedded_migration same_name[] = {{"u", "0001_a", ""}, {"v", "0001_a", ""}, {"u", "0001_a", ""}};
inline constexpr embedded_migration same_number[] = {{"u", "0001_a", ""}, {"u", "0001_b", ""}};
inline constexpr embedded_migration bad_dependency[] = {{"u", "0001_a", ""}, {"v", "0001_a", "", "u/0001_a; u/0002_b"}};
inline constexpr embedded_migration unknown[] = {{"u", "0001_a", ""}, {"v", "0001_a", "", "u/0001_a, w/0001_a"}};

static_assert(embedded::first_bad_name(bad_app) == 1);
static_assert(embedded::first_bad_name(bad_name) == 1);
static_assert(embedded::first_duplicate(same_name).first == 0 && embedded::first_duplicate(same_name).second == 2);
static_assert(embedded::first_shared_number(same_number).first == 0 &&
              embedded::first_shared_number(same_number).second == 1);
static_assert(embedded::first_bad_dependency(bad_dependency) == 1);
static_assert(embedded::first_bad_dependency(unknown) == embedded::none);
static_assert(embedded::first_unknown_dependency(unknown) == 1);
static_assert(embedded::first_in_cycle<with_cycle>() != embedded::none);
static_assert(embedded::first_in_cycle<self_dependent>() == 0);
static_assert(embedded::first_in_cycle<without_cycle>() == embedded::none);
// A correct list passes every check.
static_assert(embedded::first_bad_name(shop) == embedded::none && embedded::first_duplicate(shop).first == embedded::none &&
              embedded::first_shared_number(shop).first == embedded::none &&
              embedded::first_bad_dependency(shop) == embedded::none &&
              embedded::first_unknown_dependency(shop) == embedded::none &&
              embedded::first_in_cycle<shop>() == embedded::none);

TEST_CASE("compile-time checks find each kind of mistake, with its position") {
  // Copies that are not constants: the checks evaluated by the running program.
  auto copy = [](const auto& list) { return std::vector<embedded_migration>(std::begin(list), std::end(list)); };
  CHECK(embedded::first_bad_name(copy(bad_app)) == 1);
  CHECK(embedded::first_bad_name(copy(bad_name)) == 1);
  CHECK(embedded::first_bad_name(copy(shop)) == embedded::none);
  auto duplicate = embedded::first_duplicate(copy(same_name));
  CHECK(duplicate.first == 0);
  CHECK(duplicate.second == 2);
  CHECK(embedded::first_duplicate(copy(shop)).first == embedded::none);
  auto shared = embedded::first_shared_number(copy(same_number));
  CHECK(shared.first == 0);
  CHECK(shared.second == 1);
  CHECK(embedded::first_shared_number(copy(shop)).first == embedded::none);
  CHECK(embedded::first_bad_dependency(copy(bad_dependency)) == 1);
  CHECK(embedded::first_bad_dependency(copy(shop)) == embedded::none);
  CHECK(embedded::first_unknown_dependency(copy(unknown)) == 1);
  CHECK(embedded::first_unknown_dependency(copy(shop)) == embedded::none);
  // first_in_cycle<List>() sizes its state from a constant list; the search it runs, at run time:
  auto in_cycle = [](const std::vector<embedded_migration>& list) {
    std::array<int, 8> state{};
    for (std::size_t i = 0; i < list.size(); ++i)
      if (auto found = embedded::cycle_from(list, i, state); found != embedded::none) return found;
    return embedded::none;
  };
  CHECK(in_cycle(copy(with_cycle)) != embedded::none);
  CHECK(in_cycle(copy(self_dependent)) == 0);
  CHECK(in_cycle(copy(without_cycle)) == embedded::none);
  CHECK(in_cycle(copy(shop)) == embedded::none);
}

TEST_CASE("an embedded list becomes a migration set like a folder would") {
  auto set = make_embedded_migration_set<shop>();
  CHECK(order_of(set) ==
        std::vector<std::string>{"users/0001_initial", "products/0001_initial", "users/0002_add_email",
                                 "products/0002_owner"});
  const migration* owner = set.find({"products", "0002_owner"});
  REQUIRE(owner);
  CHECK(owner->number == 2);
  CHECK_FALSE(owner->transactional);
  CHECK(owner->checksum == detail::sha256_hex("ALTER TABLE products ADD COLUMN owner INTEGER;"));
  // Explicit dependency (".sql" accepted) plus the app's previous number.
  CHECK(owner->depends ==
        std::vector<migration_key>{{"products", "0001_initial"}, {"users", "0002_add_email"}});
  CHECK(set.find({"users", "0001_initial"})->transactional);
}

TEST_CASE("a list known only at run time is checked when it is converted") {
  std::vector<embedded_migration> list = {{"users", "0001_initial", "A"}, {"users", "0001_initial", "B"}};
  CHECK(problems_of(list).find("users/0001_initial.sql: appears twice in the embedded list") != std::string::npos);

  list = {{"users", "1_initial", "A"}};
  CHECK(problems_of(list).find("badly named migration file") != std::string::npos);

  list = {{"users", "0001_initial", "A", "nonsense"}};
  CHECK(problems_of(list).find("bad dependency 'nonsense'") != std::string::npos);

  list = {{"users", "0001_initial", "A", "billing/0001_initial"}};
  CHECK(problems_of(list).find("depends on billing/0001_initial, which does not exist") != std::string::npos);

  list = {{"a", "0001_x", "", "b/0001_y"}, {"b", "0001_y", "", "a/0002_z"}, {"a", "0002_z", ""}};
  CHECK(problems_of(list).find("dependency cycle") != std::string::npos);
}

// --- One grammar for both sources (migrations/grammar.hpp) ---
// Each input below goes through a migrations folder (load_migration_directory)
// and through an embedded list, at compile time (the checks of
// check_embedded_migrations) and at run time (to_migration_set): all three must
// accept it or all three refuse it.

namespace {

struct grammar_case {
  std::string_view text;
  bool accepted;
};

// `-- depends:` values, and embedded `depends` strings. Users "u/0001_a" and
// "b/0001_b" exist in every list they are tried in.
inline constexpr grammar_case depends_cases[] = {
    {"u/0001_a", true},
    {"u/0001_a.sql", true},
    {"u/0001_a, b/0001_b", true},
    {"u/0001_a,b/0001_b", true},
    {"u/0001_a b/0001_b", true},
    {"u/0001_a\tb/0001_b", true},  // a tab separates, as a space does
    {"u/0001_a,\tb/0001_b", true},
    {"u/0001_a, b/0001_b,", true},  // a trailing comma is a separator at the end
    {", u/0001_a", true},
    {"u/0001_a,, b/0001_b", true},  // a run of separators is one
    {",", false},                   // names no migration
    {" , \t", false},
    {"u/0001_a; b/0001_b", false},  // ';' is no separator
    {"u/0001_a|b/0001_b", false},
    {"u-0001_a", false},
    {"u/1_a", false},
    {"u/0000_a", false},
    {"U/0001_a", false},
    {"u/0001_a.down.sql", false},
    {"u/0001_a/x", false},
    {"u/0001_a\r, b/0001_b", false},  // only a line's ends lose their '\r'
};

// Migration names (an embedded entry's name; a file's stem).
inline constexpr grammar_case name_cases[] = {
    {"0001_initial", true},
    {"0123_a_b", true},
    {"9999_x", true},
    {"10000_x", true},
    {"20240115093000_add_email", true},
    {"999999999999999999_x", true},    // 18 digits
    {"1000000000000000000_x", false},  // 19
    {"00000_zero", false},
    {"0001_a234567890123456789012345678901234567890123456789012345678", true},   // 63
    {"0001_a2345678901234567890123456789012345678901234567890123456789", false},  // 64
    {"0000_zero", false},
    {"1_initial", false},
    {"0001-initial", false},
    {"0001_Initial", false},
    {"0001_", false},
    {"000a_x", false},
    {"0001_x.down", false},
    {"0001_x y", false},
};

// App labels (an embedded entry's app; a folder's name).
inline constexpr grammar_case app_cases[] = {
    {"users", true},
    {"a", true},
    {"billing_2", true},
    {"a23456789012345678901234567890123456789012345678901234567890123", true},    // 63
    {"a234567890123456789012345678901234567890123456789012345678901234", false},  // 64
    {"Users", false},
    {"2users", false},
    {"_users", false},
    {"user-s", false},
    {"user s", false},
};

// What the compile-time checks say of a list made of `entries`, as
// check_embedded_migrations runs them (it stops at the first kind that fails).
template <std::size_t N>
constexpr bool embedded_checks_accept(const std::array<embedded_migration, N>& list) {
  return embedded::first_bad_name(list) == embedded::none && embedded::first_bad_dependency(list) == embedded::none &&
         embedded::first_unknown_dependency(list) == embedded::none;
}
constexpr std::array<embedded_migration, 3> with_depends(std::string_view depends) {
  return {{{"u", "0001_a", ""}, {"b", "0001_b", ""}, {"c", "0001_c", "", depends}}};
}
constexpr std::array<embedded_migration, 1> with_name(std::string_view name) { return {{{"u", name, ""}}}; }
constexpr std::array<embedded_migration, 1> with_app(std::string_view app) { return {{{app, "0001_a", ""}}}; }

// Position of the first case the compile-time checks judge otherwise than
// expected, or none: a failing static_assert shows it in its expression.
template <std::size_t N, class Make>
constexpr std::size_t first_disagreement(const grammar_case (&cases)[N], Make make) {
  for (std::size_t i = 0; i < N; ++i)
    if (embedded_checks_accept(make(cases[i].text)) != cases[i].accepted) return i;
  return embedded::none;
}
static_assert(first_disagreement(depends_cases, with_depends) == embedded::none);
static_assert(first_disagreement(name_cases, with_name) == embedded::none);
static_assert(first_disagreement(app_cases, with_app) == embedded::none);
static_assert(grammar::migration_number("0001_initial") == 1);
static_assert(grammar::migration_number("0123_a_b") == 123);
static_assert(grammar::migration_number("0000_zero") == 0);
// No ceiling at 9999: more digits, timestamps too; at most 18 (a 64-bit number).
static_assert(grammar::migration_number("10000_next") == 10000);
static_assert(grammar::migration_number("20240115093000_add_email") == 20240115093000);
static_assert(grammar::migration_number("999999999999999999_x") == 999999999999999999);
static_assert(grammar::migration_number("1000000000000000000_x") == 0);
static_assert(grammar::migration_number("00000_zero") == 0);

// The problems a migrations folder holding `list` has, one per line ("" when it loads).
std::string folder_problems(std::span<const embedded_migration> list) {
  test_support::temp_dir dir;
  for (const auto& entry : list) {
    std::string header = entry.depends.empty() ? "" : "-- depends: " + std::string(entry.depends) + "\n";
    test_support::write_file(dir.path() / std::string(entry.app) / (std::string(entry.name) + ".sql"),
                             header + "SELECT 1;\n");
  }
  try {
    load_migration_directory(dir.path());
  } catch (const migration_set_error& e) {
    return e.what();
  }
  return {};
}

template <std::size_t N, class Make>
void check_both_sources(const grammar_case (&cases)[N], Make make) {
  for (const auto& c : cases) {
    auto list = make(c.text);
    INFO("input: '", std::string(c.text), "'");
    auto in_folder = folder_problems(list);
    auto embedded_at_run_time = problems_of(list);
    CHECK_MESSAGE(in_folder.empty() == c.accepted, in_folder);
    CHECK_MESSAGE(embedded_at_run_time.empty() == c.accepted, embedded_at_run_time);
    CHECK(embedded_checks_accept(list) == c.accepted);
  }
}

}  // namespace

TEST_CASE("a depends list is read alike in a file and in an embedded list") {
  check_both_sources(depends_cases, with_depends);
  // A tab used to be refused in a file and accepted in an embedded list.
  std::vector<migration_key> keys;
  CHECK(parse_depends_list("u/0001_a\tb/0001_b,", keys).empty());
  CHECK(keys == std::vector<migration_key>{{"u", "0001_a"}, {"b", "0001_b"}});
  // The culprit is named, in both.
  CHECK(folder_problems(with_depends("u/0001_a; b/0001_b")).find("bad dependency 'u/0001_a;'") != std::string::npos);
  CHECK(problems_of(with_depends("u/0001_a; b/0001_b")).find("bad dependency 'u/0001_a;'") != std::string::npos);
  CHECK(problems_of(with_depends(" , ")).find("c/0001_c.sql: '-- depends:' names no migration") != std::string::npos);
  // A file with CRLF line ends: the '\r' ending a directive's line is not part of its last item.
  test_support::temp_dir dir;
  test_support::write_file(dir / "u/0001_a.sql", "SELECT 1;\r\n");
  test_support::write_file(dir / "c/0001_c.sql", "-- depends: u/0001_a\r\n-- transaction: off\r\nSELECT 1;\r\n");
  const auto set = load_migration_directory(dir.path());
  REQUIRE(set.find({"c", "0001_c"}));
  CHECK(set.find({"c", "0001_c"})->depends == std::vector<migration_key>{{"u", "0001_a"}});
  CHECK_FALSE(set.find({"c", "0001_c"})->transactional);
}

TEST_CASE("migration names are judged alike in a folder and in an embedded list") {
  check_both_sources(name_cases, with_name);
}

TEST_CASE("app labels are judged alike in a folder and in an embedded list") {
  check_both_sources(app_cases, with_app);
}

// --- make_migration (migrations/make_migration.hpp) ---

namespace {

// The message of the usage_error `f` throws, or "" when it throws none.
template <class F>
std::string usage_error_of(F f) {
  try {
    f();
  } catch (const usage_error& e) {
    return e.what();
  }
  return {};
}

}  // namespace

TEST_CASE("make_migration computes number and checksum as a folder would") {
  test_support::temp_dir dir;
  test_support::write_file(dir / "users/0012_add_phone.sql", "ALTER TABLE users ADD phone TEXT;\n");
  const auto from_folder = load_migration_directory(dir.path());
  const migration* read = from_folder.find({"users", "0012_add_phone"});
  REQUIRE(read);

  auto made = make_migration("users", "0012_add_phone", "ALTER TABLE users ADD phone TEXT;\n");
  CHECK(made.key() == read->key());
  CHECK(made.number == 12);
  CHECK(made.checksum == read->checksum);
  CHECK(made.checksum == detail::sha256_hex("ALTER TABLE users ADD phone TEXT;\n"));
  CHECK(made.sql == read->sql);
  CHECK(made.transactional);
  CHECK_FALSE(made.down_sql);
  CHECK(made.depends.empty());

  auto with_options = make_migration("users", "0002_email", "ALTER TABLE users ADD email TEXT;",
                                     {.down_sql = "ALTER TABLE users DROP email;",
                                      .depends = {{"billing", "0001_initial"}},
                                      .transactional = false});
  CHECK(with_options.number == 2);
  CHECK(with_options.down_sql == std::optional<std::string>("ALTER TABLE users DROP email;"));
  CHECK(with_options.depends == std::vector<migration_key>{{"billing", "0001_initial"}});
  CHECK_FALSE(with_options.transactional);
  CHECK(with_options.checksum == detail::sha256_hex("ALTER TABLE users ADD email TEXT;"));

  // Made migrations go through make_migration_set like any others.
  auto set = make_migration_set({make_migration("users", "0001_initial", "A"), with_options,
                                 make_migration("billing", "0001_initial", "B")});
  CHECK(set.position({"billing", "0001_initial"}) < set.position({"users", "0002_email"}));
}

TEST_CASE("make_migration refuses what a folder refuses, naming the culprit") {
  CHECK(usage_error_of([] { make_migration("Users", "0001_initial", "A"); }) ==
        "make_migration: app 'Users': app folder name must match [a-z][a-z0-9_]* (at most 63 characters)");
  CHECK(usage_error_of([] { make_migration("users", "1_initial", "A"); }) ==
        "make_migration: name '1_initial' (app 'users'): expected NNNN_slug: four or more digits, '_', then a slug of "
        "a-z, 0-9, _ (at most 63 characters)");
  CHECK(usage_error_of([] { make_migration("users", "0000_initial", "A"); }) ==
        "make_migration: name '0000_initial' (app 'users'): numbers start at 0001");
  CHECK(usage_error_of([] { make_migration("users", "0001_initial.sql", "A"); }).find("name '0001_initial.sql'") !=
        std::string::npos);
  CHECK(usage_error_of([] { make_migration("users", "0002_x", "A", {.depends = {{"users", "1_initial"}}}); }) ==
        "make_migration: users/0002_x: bad dependency 'users/1_initial' (expected app/NNNN_slug)");
  // The same inputs as the grammar tables above: accepted exactly when a folder accepts them.
  for (const auto& c : name_cases) {
    INFO("name: '", std::string(c.text), "'");
    CHECK(usage_error_of([&] { make_migration("u", c.text, ""); }).empty() == c.accepted);
  }
  for (const auto& c : app_cases) {
    INFO("app: '", std::string(c.text), "'");
    CHECK(usage_error_of([&] { make_migration(c.text, "0001_a", ""); }).empty() == c.accepted);
  }
}
