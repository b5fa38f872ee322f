// Query results as the migrator sees them: text values, NULL as nullopt.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tenant_migrator {

// One result row: a value per column, nullopt for SQL NULL.
using row = std::vector<std::optional<std::string>>;
using rows = std::vector<row>;

}  // namespace tenant_migrator
