// An in-memory adapter for unit tests of the core. It is faithful to what it
// fakes, for the statements the core sends: the history table's SQL
// (history_store.hpp: create, read, exists, recorded, recorded checksum, insert,
// delete, update of a checksum or of a re-applied row),
// transactions that roll back everything (history and scripts alike), and
// parameters checked against the placeholders. Any other statement throws
// std::logic_error, so a core change that sends new SQL fails here instead of
// being silently ignored. Scripts are not parsed: one containing the word FAIL
// fails; one containing SIGNAL calls fake_database::on_signal_script (a signal
// arriving while a migration runs). Real behaviour is proven against SQLite
// and PostgreSQL.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <tenant_migrator/tenant_migrator.hpp>

namespace test_support {

struct fake_database {
  bool has_history = false;
  std::vector<std::vector<std::string>> history;  // app, name, checksum, applied_at, duration_ms
  std::vector<std::string> scripts;               // every script run and kept (rolled back ones removed)
  std::vector<std::string> attempted;             // every script ever started, kept or not
  std::function<void()> on_signal_script;         // called by a script containing SIGNAL
};

class FakeConnection {
 public:
  explicit FakeConnection(std::shared_ptr<fake_database> db) : db_(std::move(db)) {}

  void execute_script(std::string_view sql) {
    std::string s(sql);
    if (s.rfind("CREATE TABLE IF NOT EXISTS ", 0) == 0) {
      db_->has_history = true;
      return;
    }
    db_->attempted.push_back(s);
    if (s.find("SIGNAL") != std::string::npos && db_->on_signal_script) db_->on_signal_script();
    if (s.find("FAIL") != std::string::npos) throw tenant_migrator::database_error("simulated failure");
    db_->scripts.push_back(s);
  }

  tenant_migrator::rows query(std::string_view sql, const std::vector<std::string>& params) {
    std::string s(sql);
    expect_params(s, params);
    tenant_migrator::rows out;
    auto matches = [&](const std::vector<std::string>& h) { return h[0] == params[0] && h[1] == params[1]; };
    if (starts(s, "SELECT 1 FROM ") && ends(s, " WHERE 1 = 0")) {
      need_history(s);
    } else if (starts(s, "SELECT app, name, checksum, applied_at, duration_ms FROM ")) {
      need_history(s);
      auto sorted = db_->history;
      std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        return std::tie(a[3], a[0], a[1]) < std::tie(b[3], b[0], b[1]);
      });
      for (auto& h : sorted) out.push_back({h[0], h[1], h[2], h[3], h[4]});
    } else if (starts(s, "SELECT 1 FROM ") && ends(s, " WHERE app = $1 AND name = $2")) {
      need_history(s);
      for (auto& h : db_->history)
        if (matches(h)) out.push_back({std::string("1")});
    } else if (starts(s, "SELECT checksum FROM ") && ends(s, " WHERE app = $1 AND name = $2")) {
      need_history(s);
      for (auto& h : db_->history)
        if (matches(h)) out.push_back({h[2]});
    } else if (starts(s, "INSERT INTO ")) {
      need_history(s);
      for (auto& h : db_->history)
        if (matches(h)) throw tenant_migrator::database_error("duplicate key: " + params[0] + "/" + params[1]);
      db_->history.push_back(params);
    } else if (starts(s, "DELETE FROM ") && ends(s, " WHERE app = $1 AND name = $2")) {
      need_history(s);
      std::erase_if(db_->history, matches);
    } else if (starts(s, "UPDATE ") &&
               ends(s, " SET checksum = $1, applied_at = $2, duration_ms = $3 WHERE app = $4 AND name = $5")) {
      need_history(s);
      for (auto& h : db_->history)
        if (h[0] == params[3] && h[1] == params[4]) h = {params[3], params[4], params[0], params[1], params[2]};
    } else if (starts(s, "UPDATE ") && ends(s, " SET checksum = $1 WHERE app = $2 AND name = $3")) {
      need_history(s);
      for (auto& h : db_->history)
        if (h[0] == params[1] && h[1] == params[2]) h[2] = params[0];
    } else {
      throw std::logic_error("fake adapter: statement not understood: " + s);
    }
    return out;
  }

  void begin() {
    if (snapshot_) throw std::logic_error("fake adapter: begin inside a transaction");
    snapshot_ = *db_;
  }
  void commit() {
    if (!snapshot_) throw std::logic_error("fake adapter: commit without begin");
    snapshot_.reset();
  }
  void rollback() {
    if (!snapshot_) return;  // as the real adapters: nothing open, nothing to do
    auto attempted = db_->attempted;
    auto hook = db_->on_signal_script;
    *db_ = *snapshot_;
    db_->attempted = std::move(attempted);
    db_->on_signal_script = std::move(hook);
    snapshot_.reset();
  }
  std::string quote_identifier(std::string_view n) const { return "\"" + std::string(n) + "\""; }

 private:
  static bool starts(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }
  static bool ends(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
  }
  // Each $n of the statement needs its parameter, and no parameter goes unused.
  static void expect_params(const std::string& s, const std::vector<std::string>& params) {
    std::size_t highest = 0;
    for (std::size_t i = 0; i + 1 < s.size(); ++i)
      if (s[i] == '$' && s[i + 1] >= '1' && s[i + 1] <= '9') highest = std::max<std::size_t>(highest, s[i + 1] - '0');
    if (highest != params.size())
      throw std::logic_error("fake adapter: " + std::to_string(params.size()) + " parameters for: " + s);
  }
  void need_history(const std::string& s) const {
    if (!db_->has_history) throw tenant_migrator::database_error("no such table (history) in: " + s);
  }

  std::shared_ptr<fake_database> db_;
  std::optional<fake_database> snapshot_;
};

class FakeAdapter {
 public:
  using connection_type = FakeConnection;
  using capabilities = tenant_migrator::capability_list<tenant_migrator::capability::transactional_ddl>;

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
