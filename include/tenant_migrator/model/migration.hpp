// Migrations and an ordered, validated set of them.
#pragma once

#include <compare>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tenant_migrator {

// Names one migration: app "users", name "0001_initial".
struct migration_key {
  std::string app;
  std::string name;

  std::string str() const { return app + "/" + name; }
  friend auto operator<=>(const migration_key&, const migration_key&) = default;
  friend bool operator==(const migration_key&, const migration_key&) = default;
};

struct migration {
  std::string app;           // folder name: "users"
  std::string name;          // file stem: "0001_initial"
  int number = 0;            // 1 for 0001
  std::string sql;           // the forward script, as read
  std::optional<std::string> down_sql;  // from 0001_initial.down.sql, if present
  std::vector<migration_key> depends;   // explicit `-- depends:` plus the previous number in the app
  bool transactional = true;            // false with `-- transaction: off`
  std::string checksum;                 // SHA-256 of `sql`, hex

  migration_key key() const { return {app, name}; }
  // How users see it in output: "users/0001_initial.sql".
  std::string file() const { return app + "/" + name + ".sql"; }
  std::string down_file() const { return app + "/" + name + ".down.sql"; }
};

// A validated migration set in application order: dependencies first, then
// app name, then number. The same order for every tenant. Build one with
// make_migration_set() (migrations/migration_set.hpp).
class migration_set {
 public:
  migration_set() = default;
  explicit migration_set(std::vector<migration> ordered) : ordered_(std::move(ordered)) {
    for (std::size_t i = 0; i < ordered_.size(); ++i) index_.emplace(ordered_[i].key(), i);
  }

  // Not on a temporary set: the reference would dangle (make_...().ordered()).
  const std::vector<migration>& ordered() const& noexcept { return ordered_; }
  const std::vector<migration>& ordered() const&& = delete;
  std::size_t size() const noexcept { return ordered_.size(); }
  bool empty() const noexcept { return ordered_.empty(); }

  const migration* find(const migration_key& key) const&& = delete;
  const migration* find(const migration_key& key) const& {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &ordered_[it->second];
  }
  // Position in application order, or size() when absent.
  std::size_t position(const migration_key& key) const {
    auto it = index_.find(key);
    return it == index_.end() ? ordered_.size() : it->second;
  }
  bool has_app(const std::string& app) const {
    for (const auto& m : ordered_)
      if (m.app == app) return true;
    return false;
  }

 private:
  std::vector<migration> ordered_;
  std::map<migration_key, std::size_t> index_;
};

}  // namespace tenant_migrator
