// An in-memory adapter for unit tests of the core: it understands only the
// history-table statements the core issues, and "fails" any script that
// contains the word FAIL. Real behaviour is proven against SQLite and PostgreSQL.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <tenant_migrator/tenant_migrator.hpp>

namespace test_support {

struct fake_database {
  bool has_history = false;
  std::vector<std::vector<std::string>> history;  // app, name, checksum, applied_at, duration_ms
  std::vector<std::string> scripts;               // every script run, committed or not
  std::vector<std::string> committed;
};

class FakeConnection {
 public:
  explicit FakeConnection(std::shared_ptr<fake_database> db) : db_(std::move(db)) {}

  void execute_script(std::string_view sql) {
    std::string s(sql);
    if (s.rfind("CREATE TABLE IF NOT EXISTS", 0) == 0) {
      db_->has_history = true;
      return;
    }
    if (s.find("FAIL") != std::string::npos) throw tenant_migrator::database_error("simulated failure");
    pending_.push_back(s);
    db_->scripts.push_back(s);
    if (!in_tx_) db_->committed.push_back(s);
  }
  tenant_migrator::rows query(std::string_view sql, const std::vector<std::string>& params) {
    std::string s(sql);
    tenant_migrator::rows out;
    if (s.rfind("SELECT app, name", 0) == 0) {
      for (auto& h : db_->history) out.push_back({h[0], h[1], h[2], h[3], h[4]});
    } else if (s.rfind("SELECT 1", 0) == 0) {
      for (auto& h : db_->history)
        if (h[0] == params[0] && h[1] == params[1]) out.push_back({std::string("1")});
    } else if (s.rfind("INSERT", 0) == 0) {
      staged_.push_back(params);
      if (!in_tx_) flush();
    }
    return out;
  }
  void begin() { in_tx_ = true; }
  void commit() {
    for (auto& s : pending_) db_->committed.push_back(s);
    flush();
    in_tx_ = false;
    pending_.clear();
  }
  void rollback() {
    staged_.clear();
    pending_.clear();
    in_tx_ = false;
  }
  std::string quote_identifier(std::string_view n) const { return "\"" + std::string(n) + "\""; }

 private:
  void flush() {
    for (auto& p : staged_) db_->history.push_back(p);
    staged_.clear();
  }
  std::shared_ptr<fake_database> db_;
  bool in_tx_ = false;
  std::vector<std::string> pending_;
  std::vector<std::vector<std::string>> staged_;
};

class FakeAdapter {
 public:
  using connection_type = FakeConnection;
  static constexpr bool supports_schemas = false;
  static constexpr bool supports_transactional_ddl = true;

  FakeConnection connect(std::string_view location) {
    auto& db = (*databases)[std::string(location)];
    if (!db) throw tenant_migrator::database_error("no database '" + std::string(location) + "'");
    return FakeConnection(db);
  }
  std::string tenant_database_location(std::string_view, std::string_view tenant) const { return std::string(tenant); }

  std::shared_ptr<std::map<std::string, std::shared_ptr<fake_database>>> databases =
      std::make_shared<std::map<std::string, std::shared_ptr<fake_database>>>();
};

}  // namespace test_support
