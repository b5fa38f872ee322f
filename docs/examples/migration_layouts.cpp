// Another tool's migrations folder, read where it lies: the layout detected
// (or given), the folder one app, the migrations in version order.
// Usage: migration_layouts MIGRATIONS_DIR [DIALECT]  (DIALECT: pop's, e.g. sqlite3)
#include <iostream>

#include <tenant_migrator/migrations/layouts.hpp>
#include <tenant_migrator/tenant_migrator.hpp>

namespace tmig = tenant_migrator;

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  try {
    auto found = tmig::detect_migration_layout(argv[1]);
    std::cout << "layout " << found.reason << "\n";
    auto set = tmig::load_migrations(argv[1], {.layout = found.layout, .dialect = argc > 2 ? argv[2] : ""});
    for (const auto& m : set.ordered())
      std::cout << m.file() << (m.repeatable ? " (repeatable)" : "") << (m.down_sql ? " [down]" : "") << "\n";
  } catch (const tmig::migration_set_error& e) {
    for (const auto& p : e.problems()) std::cerr << p.file << ": " << p.message << "\n";
    return 2;
  }
  return 0;
}
