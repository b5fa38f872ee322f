// One statement of a migration script, as an adapter that claims
// capability::statement_splitting cuts a script (split_script).
#pragma once

#include <string>

namespace tenant_migrator {

struct script_statement {
  // The statement as written, preceded by one newline per line before it in
  // the file, so that an error's line number is the file's.
  std::string sql;
  int line = 1;  // the file line the statement starts on
  // True when running it commits the open transaction (DDL on MariaDB /
  // MySQL). A script none of whose statements does runs in one transaction
  // with its history row even where DDL is not transactional.
  bool commits_implicitly = false;

  // The statement without the leading newlines.
  std::string text() const {
    auto first = sql.find_first_not_of('\n');
    return first == std::string::npos ? std::string() : sql.substr(first);
  }
};

}  // namespace tenant_migrator
