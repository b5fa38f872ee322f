// A reporter of your own beside a shipped one: AuditCsvReporter writes one CSV
// row per migration for an audit trail while ConsoleReporter prints the usual
// output; combine_reporters hands every event to both, in order.
//
// It runs over three SQLite tenants created in a temporary folder. One of
// them, globex, already has a `users` table, so its first migration fails:
// the console says so, the audit file records it, and the run goes on.
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <tenant_migrator/adapters/sqlite.hpp>
#include <tenant_migrator/tenant_migrator.hpp>

namespace tmig = tenant_migrator;

// time,tenant,migration,outcome,error: one row per migration applied or
// failed, and one per tenant that had nothing to apply.
class AuditCsvReporter : public tmig::NullReporter {
 public:
  using NullReporter::on;  // the events not handled below are ignored

  explicit AuditCsvReporter(std::ostream& out) : out_(&out) {}

  void on(const tmig::run_started&) { *out_ << "time,tenant,migration,outcome,error\n"; }
  void on(const tmig::migration_applied& e) {
    row(e.who.id, e.what.file(), e.by_other_run ? "applied_by_other_run" : "applied", "");
  }
  void on(const tmig::migration_failed& e) { row(e.who.id, e.what.file(), "failed", e.error); }
  void on(const tmig::tenant_finished& e) {
    if (e.result.outcome == tmig::tenant_outcome::up_to_date) row(e.who.id, "", "up_to_date", "");
  }

 private:
  // RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
  static std::string field(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
    std::string quoted = "\"";
    for (char c : value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
  }
  void row(std::string_view tenant, std::string_view migration, std::string_view outcome, std::string_view error) {
    *out_ << fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr))) << ',' << field(tenant) << ','
          << field(migration) << ',' << outcome << ',' << field(error) << '\n'
          << std::flush;  // an audit row must survive a crash of the run
  }

  std::ostream* out_;
};

namespace {

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::filesystem::path make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "custom_reporter_XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary folder");
  return pattern;
}

}  // namespace

int main() {
  const auto dir = make_temp_dir();
  write_file(dir / "migrations/users/0001_initial.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n");
  write_file(dir / "migrations/users/0002_add_email.sql", "ALTER TABLE users ADD COLUMN email TEXT;\n");

  tmig::SqliteAdapter adapter;
  const auto master = (dir / "master.db").string();
  tmig::SqlCatalog catalog(adapter.connect_or_create(master));
  catalog.ensure_table();
  for (const char* id : {"acme", "globex", "initech"}) {
    tmig::tenant t = tmig::tenant::database(id, std::string(id) + ".db", id);
    catalog.add_tenant(t);
    adapter.create_database(adapter.tenant_database_location(master, t.location));
  }
  adapter.connect((dir / "globex.db").string()).execute_script("CREATE TABLE users (legacy INTEGER);");

  std::ofstream audit(dir / "audit.csv");
  auto reporter = tmig::combine_reporters(tmig::ConsoleReporter(std::cout, tmig::console_style{}), AuditCsvReporter(audit));
  tmig::TenantMigrator<tmig::DatabasePerTenant, tmig::FreshConnectionPerTenant<tmig::SqliteAdapter>, decltype(reporter)>
      migrator({}, std::move(reporter), {.master_location = master});
  auto summary = migrator.migrate_all(catalog, tmig::load_migration_directory(dir / "migrations"));
  audit.close();

  std::ifstream written(dir / "audit.csv");
  std::cout << "\naudit.csv:\n" << written.rdbuf();
  std::filesystem::remove_all(dir);
  return summary.all_succeeded() ? 0 : 1;
}
