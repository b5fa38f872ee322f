// Migrations compiled into the binary: a constexpr list, checked while the
// program compiles (docs/concepts/migration-source.md).
//
//   inline constexpr tenant_migrator::embedded_migration app_migrations[] = {
//       {"users", "0001_initial", "CREATE TABLE users (id INTEGER PRIMARY KEY);"},
//       {"products", "0001_initial", "CREATE TABLE products (id INTEGER PRIMARY KEY);", "users/0001_initial"},
//   };
//   tenant_migrator::migration_set set = tenant_migrator::make_embedded_migration_set<app_migrations>();
//
// A malformed app, name or depends list (the rules of grammar.hpp, which a
// migrations folder obeys too), the same app/name twice, two migrations with
// one number in an app, an unknown dependency or a dependency cycle is a
// compile-time error: a static_assert says which, and the template arguments
// of the class named in the same message give the entries' positions (0-based).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../errors.hpp"
#include "../model/migration.hpp"
#include "grammar.hpp"
#include "make_migration.hpp"
#include "migration_file.hpp"
#include "migration_set.hpp"

namespace tenant_migrator {

struct embedded_migration {
  std::string_view app;        // "users": [a-z][a-z0-9_]*, as an app folder
  std::string_view name;       // "0001_initial": NNNN_slug, as a file stem
  std::string_view sql;        // the forward script; its SHA-256 is the checksum
  std::string_view depends{};  // "users/0001_initial, billing/0002_x", read as `-- depends:` (grammar.hpp); "" for none
  bool transactional = true;   // false: like `-- transaction: off`
};

namespace detail::embedded {

inline constexpr std::size_t none = static_cast<std::size_t>(-1);

// Position of the entry `ref` ("app/name", ".sql" optional) names, or none
// (also when `ref` is malformed: bad_dependency_at reports those first).
template <class List>
constexpr std::size_t find(const List& list, std::string_view ref) {
  auto parts = grammar::parse_ref(ref);
  if (!parts) return none;
  for (std::size_t i = 0; i < std::size(list); ++i)
    if (list[i].app == parts->app && list[i].name == parts->name) return i;
  return none;
}

constexpr std::int64_t number_of(std::string_view name) { return grammar::migration_number(name); }

// Calls f(j) for each entry j that entry i depends on: its `depends`
// (none for an unknown one) and, as make_migration_set adds it, the previous
// number of its app.
template <class List, class F>
constexpr void for_each_edge(const List& list, std::size_t i, F&& f) {
  grammar::for_each_dependency(list[i].depends, [&](std::string_view ref) { f(find(list, ref)); });
  std::size_t previous = none;
  for (std::size_t j = 0; j < std::size(list); ++j)
    if (list[j].app == list[i].app && number_of(list[j].name) < number_of(list[i].name) &&
        (previous == none || number_of(list[j].name) > number_of(list[previous].name)))
      previous = j;
  if (previous != none) f(previous);
}

struct pair_of_entries {
  std::size_t first = none;
  std::size_t second = none;
};

template <class List>
constexpr std::size_t first_bad_name(const List& list) {
  for (std::size_t i = 0; i < std::size(list); ++i)
    if (!grammar::valid_app_label(list[i].app) || number_of(list[i].name) == 0) return i;
  return none;
}

template <class List>
constexpr pair_of_entries first_duplicate(const List& list) {
  for (std::size_t i = 0; i < std::size(list); ++i)
    for (std::size_t j = i + 1; j < std::size(list); ++j)
      if (list[i].app == list[j].app && list[i].name == list[j].name) return {i, j};
  return {};
}

template <class List>
constexpr pair_of_entries first_shared_number(const List& list) {
  for (std::size_t i = 0; i < std::size(list); ++i)
    for (std::size_t j = i + 1; j < std::size(list); ++j)
      if (list[i].app == list[j].app && number_of(list[i].name) == number_of(list[j].name)) return {i, j};
  return {};
}

// An entry whose `depends` is set but is not a depends list of grammar.hpp
// (a malformed reference, or no reference at all): what `-- depends:` refuses.
template <class List>
constexpr std::size_t first_bad_dependency(const List& list) {
  for (std::size_t i = 0; i < std::size(list); ++i)
    if (!list[i].depends.empty() && !grammar::valid_depends_list(list[i].depends)) return i;
  return none;
}

template <class List>
constexpr std::size_t first_unknown_dependency(const List& list) {
  for (std::size_t i = 0; i < std::size(list); ++i) {
    bool unknown = false;
    grammar::for_each_dependency(list[i].depends,
                                 [&](std::string_view ref) { unknown = unknown || find(list, ref) == none; });
    if (unknown) return i;
  }
  return none;
}

// Depth-first search; returns an entry on a cycle reachable from i, or none.
// state: 0 unvisited, 1 on the current path, 2 done.
template <class List, std::size_t N>
constexpr std::size_t cycle_from(const List& list, std::size_t i, std::array<int, N>& state) {
  if (state[i] == 1) return i;
  if (state[i] == 2) return none;
  state[i] = 1;
  std::size_t found = none;
  for_each_edge(list, i, [&](std::size_t j) {
    if (found == none && j != none) found = cycle_from(list, j, state);
  });
  state[i] = 2;
  return found;
}

template <const auto& List>
constexpr std::size_t first_in_cycle() {
  std::array<int, std::size(List)> state{};
  for (std::size_t i = 0; i < std::size(List); ++i)
    if (auto found = cycle_from(List, i, state); found != none) return found;
  return none;
}

// One class per kind of problem: the compiler prints its template arguments,
// the 0-based positions of the entries at fault, next to the message.
template <std::size_t Entry>
struct bad_app_or_name_at {
  static_assert(Entry == none,
                "embedded migrations: an entry's app is not [a-z][a-z0-9_]* or its name is not NNNN_slug "
                "(four or more digits from 0001, '_', then a-z, 0-9, _; at most 63 characters); "
                "bad_app_or_name_at<I> gives its position");
  static constexpr bool ok = true;
};
template <std::size_t First, std::size_t Second>
struct duplicate_name_at {
  static_assert(First == none, "embedded migrations: two entries have the same app and name; "
                               "duplicate_name_at<I, J> gives their positions");
  static constexpr bool ok = true;
};
template <std::size_t First, std::size_t Second>
struct duplicate_number_at {
  static_assert(First == none, "embedded migrations: two entries of one app have the same number; "
                               "duplicate_number_at<I, J> gives their positions");
  static constexpr bool ok = true;
};
template <std::size_t Entry>
struct bad_dependency_at {
  static_assert(Entry == none,
                "embedded migrations: an entry's `depends` is not a list of app/NNNN_slug separated by commas "
                "or blanks; bad_dependency_at<I> gives the entry's position");
  static constexpr bool ok = true;
};
template <std::size_t Entry>
struct unknown_dependency_at {
  static_assert(Entry == none,
                "embedded migrations: an entry's `depends` names a migration that is not in the list "
                "(expected app/NNNN_slug); unknown_dependency_at<I> gives the entry's position");
  static constexpr bool ok = true;
};
template <std::size_t Entry>
struct dependency_cycle_through {
  static_assert(Entry == none,
                "embedded migrations: dependency cycle (counting each migration's dependency on the previous "
                "number of its app); dependency_cycle_through<I> gives the position of an entry on it");
  static constexpr bool ok = true;
};

}  // namespace detail::embedded

// True, or a compile-time error saying what is wrong with the list. Each
// check runs only when the earlier ones passed, so one mistake gives one message.
template <const auto& Migrations>
constexpr bool check_embedded_migrations() {
  namespace e = detail::embedded;
  constexpr auto bad_name = e::first_bad_name(Migrations);
  static_assert(e::bad_app_or_name_at<bad_name>::ok);
  if constexpr (bad_name == e::none) {
    constexpr auto same_name = e::first_duplicate(Migrations);
    static_assert(e::duplicate_name_at<same_name.first, same_name.second>::ok);
    constexpr auto same_number = e::first_shared_number(Migrations);
    if constexpr (same_name.first == e::none)
      static_assert(e::duplicate_number_at<same_number.first, same_number.second>::ok);
    constexpr auto bad_dependency = e::first_bad_dependency(Migrations);
    static_assert(e::bad_dependency_at<bad_dependency>::ok);
    constexpr auto unknown = e::first_unknown_dependency(Migrations);
    if constexpr (bad_dependency == e::none) static_assert(e::unknown_dependency_at<unknown>::ok);
    if constexpr (same_name.first == e::none && bad_dependency == e::none && unknown == e::none)
      static_assert(e::dependency_cycle_through<e::first_in_cycle<Migrations>()>::ok);
  }
  return true;
}

// The migration set of `list`, checked at run time only: throws
// migration_set_error like a migrations folder with the same content would.
// For a list known at compile time, prefer make_embedded_migration_set.
inline migration_set to_migration_set(std::span<const embedded_migration> list) {
  std::vector<migration> migrations;
  std::vector<migration_problem> problems;
  for (const auto& entry : list) {
    std::string shown = std::string(entry.app) + "/" + std::string(entry.name) + ".sql";
    if (auto why = validate_app_label(entry.app); !why.empty()) {
      problems.push_back({shown, why});
      continue;
    }
    auto parsed = parse_migration_filename(std::string(entry.name) + ".sql");
    if (!parsed.error.empty() || parsed.is_down) {
      problems.push_back({shown, parsed.is_down ? "a down migration cannot be embedded as a forward one" : parsed.error});
      continue;
    }
    migration_options options{.transactional = entry.transactional};
    // Empty `depends` is no directive; anything else is read like `-- depends:`.
    if (!entry.depends.empty())
      for (auto& e : parse_depends_list(entry.depends, options.depends)) problems.push_back({shown, std::move(e)});
    migrations.push_back(make_migration(entry.app, parsed.name, std::string(entry.sql), std::move(options)));
  }
  for (std::size_t i = 0; i < migrations.size(); ++i)
    for (std::size_t j = i + 1; j < migrations.size(); ++j)
      if (migrations[i].key() == migrations[j].key())
        problems.push_back({migrations[j].file(), "appears twice in the embedded list"});
  if (!problems.empty()) throw migration_set_error(std::move(problems));
  return make_migration_set(std::move(migrations));
}

// The migration set of a constexpr list (a C array or std::array of
// embedded_migration with static storage duration), checked at compile time.
template <const auto& Migrations>
migration_set make_embedded_migration_set() {
  static_assert(check_embedded_migrations<Migrations>());
  return to_migration_set(std::span<const embedded_migration>(std::data(Migrations), std::size(Migrations)));
}

}  // namespace tenant_migrator
