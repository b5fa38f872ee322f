// A migration source of your own: the migration files come from memory (a
// resource bundle, an archive, a network fetch) instead of a folder. The
// source parses names and headers with the library's own functions and lets
// make_migration_set validate and order the set.
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <tenant_migrator/tenant_migrator.hpp>

namespace tmig = tenant_migrator;

// "app/NNNN_slug.sql" -> file content, as a folder would hold them.
tmig::migration_set load_bundle(const std::map<std::string, std::string>& files) {
  std::vector<tmig::migration> migrations;
  std::vector<tmig::migration_problem> problems;
  for (const auto& [path, content] : files) {
    const auto slash = path.find('/');
    const auto parsed = tmig::parse_migration_filename(path.substr(slash + 1));
    if (slash == std::string::npos || !tmig::validate_app_label(path.substr(0, slash)).empty() ||
        !parsed.error.empty()) {
      problems.push_back({path, "not <app>/NNNN_slug.sql"});
      continue;
    }
    const auto header = tmig::parse_migration_header(content);  // -- depends:, -- transaction:
    for (const auto& e : header.errors) problems.push_back({path, e});
    // Number and checksum computed as a folder of the same files would record them.
    migrations.push_back(tmig::make_migration(path.substr(0, slash), parsed.name, content,
                                              {.depends = header.depends, .transactional = header.transactional}));
  }
  // Throws migration_set_error listing every problem; else the set in application order.
  return tmig::make_migration_set(std::move(migrations), std::move(problems));
}

int main() {
  const std::map<std::string, std::string> bundle = {
      {"users/0001_initial.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"},
      {"users/0002_add_email.sql", "ALTER TABLE users ADD COLUMN email TEXT;\n"},
      {"billing/0001_initial.sql", "-- depends: users/0002_add_email\nCREATE TABLE invoices (id INTEGER);\n"},
  };
  const auto set = load_bundle(bundle);
  for (const auto& m : set.ordered()) std::cout << m.file() << '\n';

  try {
    load_bundle({{"users/0001_initial.sql", "-- depends: billing/0001_initial\nSELECT 1;\n"}});
    return 1;
  } catch (const tmig::migration_set_error& e) {
    std::cout << "rejected: " << e.problems().at(0).message << '\n';
  }
  return set.ordered().back().key().str() == "billing/0001_initial" ? 0 : 1;
}
