// A Reporter of your own: collects the tenants that did not succeed, with
// the reason, for an alert sent after the run. It derives from NullReporter
// to ignore the events it does not need.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <tenant_migrator/adapters/sqlite.hpp>
#include <tenant_migrator/tenant_migrator.hpp>

namespace tmig = tenant_migrator;

class FailureCollector : public tmig::NullReporter {
 public:
  using NullReporter::on;  // every other event: ignored

  // Must not throw, must not block for long: it runs between migrations.
  void on(const tmig::tenant_finished& e) {
    if (!e.result.succeeded()) failures_.emplace_back(e.result.tenant_id, e.result.error);
  }

  const std::vector<std::pair<std::string, std::string>>& failures() const noexcept { return failures_; }

 private:
  std::vector<std::pair<std::string, std::string>> failures_;
};

static_assert(tmig::check_reporter<FailureCollector>());

int main() {
  std::string pattern = (std::filesystem::temp_directory_path() / "reporter_XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return 1;
  const std::filesystem::path dir = pattern;
  tmig::SqliteAdapter adapter;
  std::vector<tmig::tenant> tenants;
  for (const char* id : {"acme", "globex"}) {
    adapter.create_database((dir / (std::string(id) + ".db")).string());
    tenants.push_back(tmig::tenant::database(id, std::string(id) + ".db", id));
  }
  adapter.connect((dir / "globex.db").string()).execute_script("CREATE TABLE notes (legacy INTEGER);");

  const tmig::migration m = tmig::make_migration("notes", "0001_initial", "CREATE TABLE notes (id INTEGER PRIMARY KEY);");

  tmig::TenantMigrator<tmig::DatabasePerTenant, tmig::FreshConnectionPerTenant<tmig::SqliteAdapter>, FailureCollector>
      migrator({}, {}, {.master_location = (dir / "master.db").string()});
  migrator.run(tenants, tmig::make_migration_set({m}));

  std::filesystem::remove_all(dir);
  for (const auto& [tenant, why] : migrator.reporter().failures()) std::cout << tenant << ": " << why << '\n';
  const auto& failures = migrator.reporter().failures();
  return failures.size() == 1 && failures[0].first == "globex" ? 0 : 1;
}
