// An isolation strategy of your own: every tenant in one shared SQLite
// database, each with its own table-name prefix ("acme_orders",
// "globex_orders") and its own history table ("acme_tenant_migrator_history").
// README.md explains the design.
//
// Three pieces, each a concept the library checks at compile time:
//   PrefixedSqliteConnection / PrefixedSqliteAdapter  a DatabaseAdapter: SQLite,
//       plus `{prefix}` in migration SQL replaced by the current tenant's prefix
//   TablePrefixPerTenant                              an IsolationStrategy: the
//       shared file as connection target, the prefix set on entering a tenant
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <tenant_migrator/adapters/sqlite.hpp>
#include <tenant_migrator/tenant_migrator.hpp>

namespace tmig = tenant_migrator;

// A SQLite connection that writes `{prefix}` in migration scripts as the
// prefix of the tenant it was last pointed at.
class PrefixedSqliteConnection {
 public:
  explicit PrefixedSqliteConnection(tmig::SqliteConnection connection) : connection_(std::move(connection)) {}

  void use_table_prefix(std::string prefix) { prefix_ = std::move(prefix); }

  void execute_script(std::string_view sql) {
    std::string script(sql);
    for (auto at = script.find(placeholder); at != std::string::npos; at = script.find(placeholder, at + prefix_.size()))
      script.replace(at, placeholder.size(), prefix_);
    connection_.execute_script(script);
  }
  // The library's own statements (history reads and writes) name their
  // tables already: passed through unchanged.
  tmig::rows query(std::string_view sql, const std::vector<std::string>& params) {
    return connection_.query(sql, params);
  }
  void begin() { connection_.begin(); }
  void commit() { connection_.commit(); }
  void rollback() { connection_.rollback(); }
  std::string quote_identifier(std::string_view name) const { return connection_.quote_identifier(name); }

 private:
  static constexpr std::string_view placeholder = "{prefix}";
  tmig::SqliteConnection connection_;
  std::string prefix_;
};

class PrefixedSqliteAdapter {
 public:
  using connection_type = PrefixedSqliteConnection;
  using capabilities = tenant_migrator::capability_list<tenant_migrator::capability::transactional_ddl>;

  connection_type connect(std::string_view location) { return connection_type(sqlite_.connect(location)); }
  std::string tenant_database_location(std::string_view master, std::string_view tenant) const {
    return sqlite_.tenant_database_location(master, tenant);
  }

 private:
  tmig::SqliteAdapter sqlite_;
};

// Every tenant's location names the one shared database file; the tenant id,
// '-' written '_', is its table prefix.
struct TablePrefixPerTenant {
  static constexpr bool needs_schemas = false;

  static std::string prefix_of(const tmig::tenant& t) {
    if (t.id.empty() || t.id.front() < 'a' || t.id.front() > 'z')
      throw tmig::error("tenant '" + t.id + "': a table prefix must start with a letter");
    std::string prefix = t.id;
    for (char& c : prefix)
      if (c == '-') c = '_';
    return prefix + "_";
  }

  template <tmig::DatabaseAdapter A>
  static std::string connection_target(const A& adapter, const tmig::tenant& t, std::string_view master_location) {
    return adapter.tenant_database_location(master_location, t.location);
  }

  static tmig::tenant_scope enter(PrefixedSqliteConnection& connection, const tmig::tenant& t) {
    const auto prefix = prefix_of(t);
    connection.use_table_prefix(prefix);
    return {connection.quote_identifier(prefix + std::string(tmig::history_table_name)), "prefix:" + t.id};
  }
};

static_assert(tmig::DatabaseAdapter<PrefixedSqliteAdapter>);
static_assert(tmig::IsolationStrategy<TablePrefixPerTenant, PrefixedSqliteAdapter>);

namespace {

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::filesystem::path make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "custom_isolation_XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary folder");
  return pattern;
}

}  // namespace

int main() {
  const auto dir = make_temp_dir();
  // Migrations name their tables with {prefix}: one set of files for every tenant.
  write_file(dir / "migrations/shop/0001_initial.sql",
             "CREATE TABLE {prefix}orders (id INTEGER PRIMARY KEY, total_cents INTEGER NOT NULL);\n");
  write_file(dir / "migrations/shop/0002_customers.sql",
             "CREATE TABLE {prefix}customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
             "ALTER TABLE {prefix}orders ADD COLUMN customer_id INTEGER REFERENCES {prefix}customers (id);\n");

  tmig::SqliteAdapter sqlite;
  const auto master = (dir / "master.db").string();
  tmig::SqlCatalog catalog(sqlite.connect_or_create(master));
  catalog.ensure_table();
  sqlite.create_database((dir / "shared.db").string());
  for (const char* id : {"acme", "big-co", "globex"})
    catalog.add_tenant(tmig::tenant::database(id, "shared.db", id));

  const auto migrations = tmig::load_migration_directory(dir / "migrations");
  using Migrator = tmig::TenantMigrator<TablePrefixPerTenant, tmig::FreshConnectionPerTenant<PrefixedSqliteAdapter>,
                                        tmig::ConsoleReporter>;
  Migrator migrator({}, tmig::ConsoleReporter(std::cout, tmig::console_style{}), {.master_location = master});
  auto summary = migrator.migrate_all(catalog, migrations);

  std::cout << "\nTables in shared.db:\n";
  for (const auto& row : sqlite.connect((dir / "shared.db").string())
                             .query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", {}))
    std::cout << "  " << row.at(0).value_or("") << '\n';

  std::filesystem::remove_all(dir);
  return summary.all_succeeded() ? 0 : 1;
}
