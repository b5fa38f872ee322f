// Must not compile: users/0001_initial appears twice in the embedded list.
#include <tenant_migrator/tenant_migrator.hpp>

inline constexpr tenant_migrator::embedded_migration migrations[] = {
    {"users", "0001_initial", "CREATE TABLE users (id INTEGER PRIMARY KEY);"},
    {"products", "0001_initial", "CREATE TABLE products (id INTEGER PRIMARY KEY);"},
    {"users", "0001_initial", "CREATE TABLE people (id INTEGER PRIMARY KEY);"},
};

int main() { (void)tenant_migrator::make_embedded_migration_set<migrations>(); }
