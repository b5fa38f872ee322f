// A capability of your own adapter: SQLite with a per-tenant lock, for several
// migrator threads in one process. The adapter claims
// capability::per_tenant_lock; the migrator then holds the lock around each
// tenant. Misspell try_lock_tenant and the claim fails to compile, naming it.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <tenant_migrator/sqlite.hpp>

namespace tmig = tenant_migrator;

// Lock keys held in this process, shared by every connection of one adapter.
struct lock_table {
  std::mutex mutex;
  std::map<std::string, bool> held;
  int taken = 0;
};

class LockingConnection {
 public:
  LockingConnection(tmig::SqliteConnection connection, std::shared_ptr<lock_table> locks)
      : connection_(std::move(connection)), locks_(std::move(locks)) {}

  void execute_script(std::string_view sql) { connection_.execute_script(sql); }
  tmig::rows query(std::string_view sql, const std::vector<std::string>& params) {
    return connection_.query(sql, params);
  }
  void begin() { connection_.begin(); }
  void commit() { connection_.commit(); }
  void rollback() { connection_.rollback(); }
  std::string quote_identifier(std::string_view name) const { return connection_.quote_identifier(name); }

  // capability::per_tenant_lock. `key` is the tenant_scope::lock_key of the
  // isolation strategy; false after `wait`: the tenant is skipped.
  bool try_lock_tenant(const std::string& key, std::chrono::milliseconds /*wait*/) {
    std::lock_guard guard(locks_->mutex);
    if (locks_->held[key]) return false;
    locks_->held[key] = true;
    ++locks_->taken;
    return true;
  }
  void unlock_tenant(const std::string& key) {
    std::lock_guard guard(locks_->mutex);
    locks_->held[key] = false;
  }

 private:
  tmig::SqliteConnection connection_;
  std::shared_ptr<lock_table> locks_;
};

class LockingSqliteAdapter {
 public:
  using connection_type = LockingConnection;
  using capabilities = tmig::capability_list<tmig::capability::transactional_ddl, tmig::capability::per_tenant_lock>;

  connection_type connect(std::string_view location) { return {sqlite_.connect(location), locks}; }
  std::string tenant_database_location(std::string_view master, std::string_view tenant) const {
    return sqlite_.tenant_database_location(master, tenant);
  }

  std::shared_ptr<lock_table> locks = std::make_shared<lock_table>();

 private:
  tmig::SqliteAdapter sqlite_;
};

static_assert(tmig::claims<LockingSqliteAdapter, tmig::capability::per_tenant_lock>);
static_assert(!tmig::claims<LockingSqliteAdapter, tmig::capability::schemas>);
static_assert(tmig::check_database_adapter<LockingSqliteAdapter>());  // checks each claim

int main() {
  std::string pattern = (std::filesystem::temp_directory_path() / "capabilities_XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return 1;
  const std::filesystem::path dir = pattern;
  std::vector<tmig::tenant> tenants;
  for (const char* id : {"acme", "globex"}) {
    tmig::SqliteAdapter{}.create_database((dir / (std::string(id) + ".db")).string());
    tenants.push_back(tmig::tenant::database(id, std::string(id) + ".db"));
  }
  const auto set = tmig::make_migration_set({tmig::make_migration("notes", "0001_initial", "CREATE TABLE notes (id INTEGER);")});

  LockingSqliteAdapter adapter;
  auto locks = adapter.locks;
  tmig::TenantMigrator<tmig::DatabasePerTenant, tmig::FreshConnectionPerTenant<LockingSqliteAdapter>, tmig::NullReporter>
      migrator(tmig::FreshConnectionPerTenant<LockingSqliteAdapter>(adapter), {},
               {.master_location = (dir / "master.db").string()});
  const auto summary = migrator.run(tenants, set);

  std::filesystem::remove_all(dir);
  std::cout << "locks taken: " << locks->taken << '\n';
  return summary.all_succeeded() && locks->taken == 2 ? 0 : 1;
}
