// Validating migrations and putting them in their one application order.
#pragma once

#include <algorithm>
#include <map>
#include <queue>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "../errors.hpp"
#include "../model/migration.hpp"
#include "placeholders.hpp"

namespace tenant_migrator {

namespace detail {

// Finds one cycle among `nodes` (all of which lie on or behind a cycle) and
// prints it as "a/0002_x -> b/0001_y -> a/0002_x".
inline std::string describe_cycle(const std::vector<migration>& all, const std::vector<std::size_t>& nodes,
                                  const std::map<migration_key, std::size_t>& index) {
  std::set<std::size_t> remaining(nodes.begin(), nodes.end());
  std::vector<std::size_t> path;
  std::map<std::size_t, std::size_t> seen_at;
  std::size_t current = nodes.front();
  while (!seen_at.count(current)) {
    seen_at[current] = path.size();
    path.push_back(current);
    for (const auto& dep : all[current].depends) {
      auto it = index.find(dep);
      if (it != index.end() && remaining.count(it->second)) {
        current = it->second;
        break;
      }
    }
  }
  std::string out;
  for (std::size_t i = seen_at[current]; i < path.size(); ++i) out += all[path[i]].key().str() + " -> ";
  return out + all[current].key().str();
}

}  // namespace detail

// Validates `migrations` and orders them. Throws migration_set_error listing
// every problem (with `problems` found earlier, e.g. while reading files):
// duplicate versions or two leaves in an app, unknown dependencies, cycles.
// Each migration's implicit dependency on the previous version of its app is
// added here, and its `-- placeholders: on` read (unknown placeholders are
// problems too: placeholders.hpp). Repeatable migrations go last, by app and name.
inline migration_set make_migration_set(std::vector<migration> migrations,
                                        std::vector<migration_problem> problems = {}) {
  for (auto& m : migrations) read_placeholders(m, problems);
  // Repeatable migrations (Flyway's R__) have no version: they take no part
  // in the chain of an app's versions, and come after every versioned one.
  std::vector<migration> repeatables;
  for (auto it = migrations.begin(); it != migrations.end();)
    if (it->repeatable) {
      repeatables.push_back(std::move(*it));
      it = migrations.erase(it);
    } else {
      ++it;
    }
  std::sort(repeatables.begin(), repeatables.end(),
            [](const migration& a, const migration& b) { return a.key() < b.key(); });

  // Per app, by version; the same version twice is a conflict (two leaves).
  std::map<std::string, std::map<migration_version, std::vector<std::size_t>>> by_app;
  for (std::size_t i = 0; i < migrations.size(); ++i)
    by_app[migrations[i].app][migrations[i].version].push_back(i);
  bool conflicts = false;
  for (auto& [app, numbers] : by_app)
    for (auto& [number, idx] : numbers)
      if (idx.size() > 1) {
        conflicts = true;
        std::vector<std::string> names;
        for (auto i : idx) names.push_back(migrations[i].name);
        std::sort(names.begin(), names.end());
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        const auto& last = *std::max_element(idx.begin(), idx.end(), [&](auto a, auto b) {
          return migrations[a].name < migrations[b].name;
        });
        problems.push_back({migrations[last].file(), "Conflicting migrations in app '" + app + "': " + list});
      }
  if (conflicts) throw migration_set_error(std::move(problems));

  // Implicit dependency on the previous migration of the same app.
  for (auto& [app, numbers] : by_app) {
    const migration* previous = nullptr;
    for (auto& [number, idx] : numbers) {
      auto& m = migrations[idx.front()];
      if (previous) {
        auto key = previous->key();
        if (std::find(m.depends.begin(), m.depends.end(), key) == m.depends.end())
          m.depends.insert(m.depends.begin(), key);
      }
      previous = &m;
    }
  }

  std::map<migration_key, std::size_t> index;
  for (std::size_t i = 0; i < migrations.size(); ++i) index.emplace(migrations[i].key(), i);
  for (const auto& m : migrations)
    for (const auto& dep : m.depends)
      if (!index.count(dep))
        problems.push_back({m.file(), "depends on " + dep.str() + ", which does not exist"});
  if (!problems.empty()) throw migration_set_error(std::move(problems));

  // Kahn's algorithm; among ready migrations the smallest (app, version) goes first.
  std::vector<std::size_t> missing_deps(migrations.size());
  std::vector<std::vector<std::size_t>> dependents(migrations.size());
  for (std::size_t i = 0; i < migrations.size(); ++i)
    for (const auto& dep : migrations[i].depends) {
      ++missing_deps[i];
      dependents[index.at(dep)].push_back(i);
    }
  auto later = [&](std::size_t a, std::size_t b) {
    return std::tie(migrations[a].app, migrations[a].version) > std::tie(migrations[b].app, migrations[b].version);
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> ready(later);
  for (std::size_t i = 0; i < migrations.size(); ++i)
    if (missing_deps[i] == 0) ready.push(i);
  std::vector<std::size_t> order;
  while (!ready.empty()) {
    auto i = ready.top();
    ready.pop();
    order.push_back(i);
    for (auto d : dependents[i])
      if (--missing_deps[d] == 0) ready.push(d);
  }
  if (order.size() != migrations.size()) {
    std::vector<std::size_t> stuck;
    for (std::size_t i = 0; i < migrations.size(); ++i)
      if (missing_deps[i] > 0) stuck.push_back(i);
    std::sort(stuck.begin(), stuck.end(), [&](auto a, auto b) { return later(b, a); });
    problems.push_back({migrations[stuck.front()].file(),
                        "dependency cycle: " + detail::describe_cycle(migrations, stuck, index)});
    throw migration_set_error(std::move(problems));
  }
  std::vector<migration> ordered;
  ordered.reserve(order.size() + repeatables.size());
  for (auto i : order) ordered.push_back(std::move(migrations[i]));
  for (auto& r : repeatables) ordered.push_back(std::move(r));
  return migration_set(std::move(ordered));
}

}  // namespace tenant_migrator
