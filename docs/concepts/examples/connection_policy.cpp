// A ConnectionPolicy of your own: a fresh connection per tenant, like
// FreshConnectionPerTenant, that also counts the connections it opened (for
// a metrics endpoint, say).
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <utility>

#include <tenant_migrator/adapters/sqlite.hpp>
#include <tenant_migrator/tenant_migrator.hpp>

namespace tmig = tenant_migrator;

template <tmig::DatabaseAdapter A>
class CountingConnections {
 public:
  using adapter_type = A;

  adapter_type& adapter() noexcept { return adapter_; }

  // Calls f(connection) with a connection to `target` and returns what f
  // returns. The connection is closed when f returns or throws.
  template <class F>
  decltype(auto) with_connection(const std::string& target, F&& f) {
    auto connection = adapter_.connect(target);
    ++opened_;
    return std::forward<F>(f)(connection);
  }

  std::size_t opened() const noexcept { return opened_; }

 private:
  A adapter_{};
  std::size_t opened_ = 0;
};

static_assert(tmig::check_connection_policy<CountingConnections<tmig::SqliteAdapter>>());

int main() {
  std::string pattern = (std::filesystem::temp_directory_path() / "connection_policy_XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return 1;
  const std::filesystem::path dir = pattern;
  tmig::SqliteAdapter adapter;
  std::vector<tmig::tenant> tenants;
  for (const char* id : {"acme", "globex"}) {
    adapter.create_database((dir / (std::string(id) + ".db")).string());
    tenants.push_back(tmig::tenant::database(id, std::string(id) + ".db", id));
  }

  const tmig::migration m = tmig::make_migration("notes", "0001_initial", "CREATE TABLE notes (id INTEGER PRIMARY KEY);");

  tmig::TenantMigrator<tmig::DatabasePerTenant, CountingConnections<tmig::SqliteAdapter>, tmig::NullReporter> migrator(
      {}, {}, {.master_location = (dir / "master.db").string()});
  const auto summary = migrator.run(tenants, tmig::make_migration_set({m}));

  std::filesystem::remove_all(dir);
  std::cout << "tenants: " << summary.tenants.size() << ", connections opened: " << migrator.connections().opened()
            << '\n';
  return summary.all_succeeded() && migrator.connections().opened() == 2 ? 0 : 1;
}
