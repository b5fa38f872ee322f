// Migrations and an ordered, validated set of them.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
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

// A migration's version, compared numerically part by part: 2 < 10,
// 1.1 < 1.2 < 2 (Flyway's dotted versions), 20240115093000 (a timestamp) is
// one part. A missing part counts as 0, so 1 and 1.0 are the same version
// (as in Flyway): two files with them conflict.
struct migration_version {
  std::vector<std::uint64_t> parts;  // {1} for 0001, {1, 1} for Flyway's 1.1; empty for none (a repeatable)

  friend std::strong_ordering operator<=>(const migration_version& a, const migration_version& b) {
    for (std::size_t i = 0; i < a.parts.size() || i < b.parts.size(); ++i) {
      std::uint64_t x = i < a.parts.size() ? a.parts[i] : 0, y = i < b.parts.size() ? b.parts[i] : 0;
      if (x != y) return x <=> y;
    }
    return std::strong_ordering::equal;
  }
  friend bool operator==(const migration_version& a, const migration_version& b) {
    return (a <=> b) == std::strong_ordering::equal;
  }
  // "1.1", "20240115093000".
  std::string str() const {
    std::string out;
    for (auto p : parts) out += (out.empty() ? "" : ".") + std::to_string(p);
    return out;
  }
};

struct migration {
  std::string app;           // folder name: "users"
  std::string name;          // file stem: "0001_initial" (another tool's layout: "V1.1__add_email", ...)
  std::int64_t number = 0;   // the version's first part: 1 for 0001, 20240115093000 for a timestamp
  migration_version version;  // the order within the app (make_migration_set); {number} but for Flyway's 1.1
  std::string sql;           // the forward script, as read
  std::optional<std::string> down_sql;  // from 0001_initial.down.sql, if present
  std::vector<migration_key> depends;   // explicit `-- depends:` plus the previous number in the app
  bool transactional = true;            // false with `-- transaction: off`
  // `-- placeholders: on` in the forward / the down script: ${tenant_id} and
  // the like are replaced before it runs (migrations/placeholders.hpp).
  // Set by make_migration_set from the scripts' headers.
  bool placeholders = false;
  bool down_placeholders = false;
  // Flyway's R__ migrations: no version, applied after the versioned ones,
  // and applied again whenever the checksum changes (planner.hpp).
  bool repeatable = false;
  std::string checksum;                 // SHA-256 of `sql`, hex
  // The files as named in their folder, when not <name>.sql / <name>.down.sql
  // (other tools' layouts: "20240115093000_x.up.sql"); messages name these.
  std::string filename{};
  std::string down_filename{};

  migration_key key() const { return {app, name}; }
  // How users see it in output: "users/0001_initial.sql".
  std::string file() const { return app + "/" + (filename.empty() ? name + ".sql" : filename); }
  std::string down_file() const { return app + "/" + (down_filename.empty() ? name + ".down.sql" : down_filename); }
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
