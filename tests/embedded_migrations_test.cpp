// Migrations compiled into the binary (migrations/embedded.hpp): the
// compile-time checks, evaluated here without failing the build, and the set
// they turn into. tests/compile_fail/embedded_*.cpp prove that a bad list
// does not compile.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <tenant_migrator/tenant_migrator.hpp>

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

TEST_CASE("compile-time checks find each kind of mistake, with its position") {
  static_assert(embedded::number_of("0001_initial") == 1);
  static_assert(embedded::number_of("0123_a_b") == 123);
  static_assert(embedded::number_of("0000_zero") == 0);
  static_assert(embedded::number_of("1_initial") == 0);
  static_assert(embedded::number_of("0001-initial") == 0);
  static_assert(embedded::number_of("0001_Initial") == 0);

  static constexpr embedded_migration bad_app[] = {{"users", "0001_a", ""}, {"Users", "0001_a", ""}};
  static_assert(embedded::first_bad_name(bad_app) == 1);
  static constexpr embedded_migration same_name[] = {{"u", "0001_a", ""}, {"v", "0001_a", ""}, {"u", "0001_a", ""}};
  static_assert(embedded::first_duplicate(same_name).first == 0 && embedded::first_duplicate(same_name).second == 2);
  static constexpr embedded_migration same_number[] = {{"u", "0001_a", ""}, {"u", "0001_b", ""}};
  static_assert(embedded::first_shared_number(same_number).second == 1);
  static constexpr embedded_migration unknown[] = {{"u", "0001_a", ""}, {"v", "0001_a", "", "u/0001_a, w/0001_a"}};
  static_assert(embedded::first_unknown_dependency(unknown) == 1);

  static_assert(embedded::first_in_cycle<with_cycle>() != embedded::none);
  static_assert(embedded::first_in_cycle<self_dependent>() == 0);
  static_assert(embedded::first_in_cycle<without_cycle>() == embedded::none);
  static_assert(embedded::first_in_cycle<shop>() == embedded::none);
  CHECK(true);
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
