// An ExecutionPolicy of your own: the seed's staggered rollout. Tenants are
// migrated one at a time, in order, with a pause between two of them, so a
// bad migration shows up on the first tenants' dashboards before it reaches
// the rest. The pause is skipped once the run is asked to stop.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <tenant_migrator/sqlite.hpp>

namespace tmig = tenant_migrator;

class StaggeredExecution {
 public:
  explicit StaggeredExecution(std::chrono::milliseconds pause = std::chrono::milliseconds(0)) : pause_(pause) {}

  // Calls process(i) (which returns the tenant's result) for each tenant it
  // starts; returns how many it started.
  template <class Process, class Stop>
  std::size_t execute(std::size_t count, Process&& process, Stop&& stop) {
    std::size_t started = 0;
    for (; started < count && !stop(); ++started) {
      if (started > 0) std::this_thread::sleep_for(pause_);
      process(started);
    }
    return started;
  }

 private:
  std::chrono::milliseconds pause_;
};

static_assert(tmig::ExecutionPolicy<StaggeredExecution>);

int main() {
  std::string pattern = (std::filesystem::temp_directory_path() / "execution_policy_XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return 1;
  const std::filesystem::path dir = pattern;
  std::vector<tmig::tenant> tenants;
  for (const char* id : {"acme", "globex", "initech"}) {
    tmig::SqliteAdapter{}.create_database((dir / (std::string(id) + ".db")).string());
    tenants.push_back(tmig::tenant::database(id, std::string(id) + ".db"));
  }
  const auto set = tmig::make_migration_set({tmig::make_migration("notes", "0001_initial", "CREATE TABLE notes (id INTEGER);")});

  tmig::TenantMigrator<tmig::DatabasePerTenant, tmig::FreshConnectionPerTenant<tmig::SqliteAdapter>, tmig::NullReporter,
                       StaggeredExecution>
      migrator({}, {}, {.master_location = (dir / "master.db").string()},
               StaggeredExecution(std::chrono::milliseconds(10)));
  const auto summary = migrator.run(tenants, set);

  std::filesystem::remove_all(dir);
  std::cout << summary.succeeded() << " of " << tenants.size() << " tenants migrated\n";
  return summary.succeeded() == 3 ? 0 : 1;
}
