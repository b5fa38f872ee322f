// Must not compile: ordered() of the temporary set returned by
// make_embedded_migration_set is a reference into a vector destroyed at the
// end of the full expression, so the loop below would read freed memory (a
// newcomer's program aborted with std::bad_alloc). migration_set deletes its
// reference accessors on rvalues: keep the set in a variable first.
#include <tenant_migrator/tenant_migrator.hpp>

inline constexpr tenant_migrator::embedded_migration migrations[] = {
    {"users", "0001_initial", "CREATE TABLE users (id INTEGER PRIMARY KEY);"},
};

int main() {
  int count = 0;
  for (const auto& m : tenant_migrator::make_embedded_migration_set<migrations>().ordered()) count += m.number;
  return count;
}
