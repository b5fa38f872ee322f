// Must not compile: users/0001 -> products/0001 -> users/0002, and users/0002
// depends on users/0001 as the previous number of its app: a cycle.
#include <tenant_migrator/tenant_migrator.hpp>

inline constexpr tenant_migrator::embedded_migration migrations[] = {
    {"users", "0001_initial", "CREATE TABLE users (id INTEGER PRIMARY KEY);", "products/0001_initial"},
    {"users", "0002_add_email", "ALTER TABLE users ADD COLUMN email TEXT;"},
    {"products", "0001_initial", "CREATE TABLE products (id INTEGER PRIMARY KEY);", "users/0002_add_email"},
};

int main() { (void)tenant_migrator::make_embedded_migration_set<migrations>(); }
