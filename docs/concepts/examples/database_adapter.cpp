// A DatabaseAdapter of your own: SQLite, with every migration script written
// to a log first. It implements each member of the concept by forwarding to
// the shipped SqliteAdapter, so it shows the whole interface in one place.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <tenant_migrator/adapters/sqlite.hpp>
#include <tenant_migrator/tenant_migrator.hpp>

namespace tmig = tenant_migrator;

class LoggingConnection {
 public:
  LoggingConnection(tmig::SqliteConnection connection, std::vector<std::string>* log)
      : connection_(std::move(connection)), log_(log) {}

  // Several statements; throws tmig::database_error with the database's message.
  void execute_script(std::string_view sql) {
    log_->push_back(std::string(sql));
    connection_.execute_script(sql);
  }
  // One statement, $1, $2, ... bound as text; SQL NULL comes back as nullopt.
  tmig::rows query(std::string_view sql, const std::vector<std::string>& params) {
    return connection_.query(sql, params);
  }
  void begin() { connection_.begin(); }
  void commit() { connection_.commit(); }
  void rollback() { connection_.rollback(); }
  std::string quote_identifier(std::string_view name) const { return connection_.quote_identifier(name); }

 private:
  tmig::SqliteConnection connection_;
  std::vector<std::string>* log_;
};

class LoggingSqliteAdapter {
 public:
  using connection_type = LoggingConnection;
  using capabilities = tenant_migrator::capability_list<tenant_migrator::capability::transactional_ddl>;

  explicit LoggingSqliteAdapter(std::vector<std::string>* log) : log_(log) {}

  connection_type connect(std::string_view location) { return {sqlite_.connect(location), log_}; }
  std::string tenant_database_location(std::string_view master, std::string_view tenant) const {
    return sqlite_.tenant_database_location(master, tenant);
  }

 private:
  tmig::SqliteAdapter sqlite_;
  std::vector<std::string>* log_;
};

// One static_assert per requirement: a missing member is named in the error.
static_assert(tmig::check_database_adapter<LoggingSqliteAdapter>());

int main() {
  std::string pattern = (std::filesystem::temp_directory_path() / "database_adapter_XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return 1;
  const std::filesystem::path dir = pattern;
  const tmig::tenant acme = tmig::tenant::database("acme", "acme.db", "Acme");
  tmig::SqliteAdapter{}.create_database((dir / "acme.db").string());

  std::vector<std::string> log;
  const tmig::migration m = tmig::make_migration("notes", "0001_initial", "CREATE TABLE notes (id INTEGER PRIMARY KEY);");
  const auto set = tmig::make_migration_set({m});

  tmig::TenantMigrator<tmig::DatabasePerTenant, tmig::FreshConnectionPerTenant<LoggingSqliteAdapter>, tmig::NullReporter>
      migrator(tmig::FreshConnectionPerTenant<LoggingSqliteAdapter>(LoggingSqliteAdapter(&log)), {},
               {.master_location = (dir / "master.db").string()});
  const auto result = migrator.migrate_tenant(acme, set);

  std::filesystem::remove_all(dir);
  std::cout << "scripts run: " << log.size() << ", last: " << log.back() << '\n';
  return result.succeeded() && log.back() == m.sql ? 0 : 1;
}
