// The exceptions the library throws. Exit statuses are the CLI's (examples/manage).
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace tenant_migrator {

// Base of everything the library throws on purpose. what() is one line for users.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Wrong input from the user or the environment, found before anything ran.
class usage_error : public error {
 public:
  using error::error;
};

// A selected tenant id that the registry does not have, or has disabled, or
// a pattern that matches no tenant.
class tenant_selection_error : public usage_error {
 public:
  enum class reason { unknown, disabled, no_match };
  tenant_selection_error(std::string tenant_id, reason why)
      : usage_error(why == reason::unknown    ? "Tenant '" + tenant_id + "' does not exist"
                    : why == reason::disabled ? "Tenant '" + tenant_id + "' is disabled"
                                              : "No tenant matches '" + tenant_id + "'"),
        tenant_id_(std::move(tenant_id)),
        why_(why) {}
  const std::string& tenant_id() const noexcept { return tenant_id_; }
  reason why() const noexcept { return why_; }

 private:
  std::string tenant_id_;
  reason why_;
};

// One problem found in a migration set, with the file that causes it.
struct migration_problem {
  std::string file;     // path relative to the migrations folder ("users/0002_x.sql"), or an app folder
  std::string message;  // what is wrong, one line
};

// The migration set is invalid; no SQL has run. Carries every problem found.
class migration_set_error : public usage_error {
 public:
  explicit migration_set_error(std::vector<migration_problem> problems)
      : usage_error(summarize(problems)), problems_(std::move(problems)) {}
  const std::vector<migration_problem>& problems() const noexcept { return problems_; }

 private:
  static std::string summarize(const std::vector<migration_problem>& ps) {
    std::string s = "invalid migration set";
    for (const auto& p : ps) s += "\n" + p.file + ": " + p.message;
    return s;
  }
  std::vector<migration_problem> problems_;
};

// A database refused something. sqlstate is empty where the database has none (SQLite).
class database_error : public error {
 public:
  explicit database_error(const std::string& message, std::string sqlstate = {}, int line = 0)
      : error(message), sqlstate_(std::move(sqlstate)), line_(line) {}
  const std::string& sqlstate() const noexcept { return sqlstate_; }
  // 1-based line in the script that failed, 0 when unknown.
  int line() const noexcept { return line_; }

 private:
  std::string sqlstate_;
  int line_;
};

}  // namespace tenant_migrator
