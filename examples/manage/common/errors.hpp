// Library errors -> manage's messages and exit statuses (docs/exit-codes.md).
#pragma once

#include <exception>
#include <iostream>
#include <string>
#include <string_view>

#include <tenant_migrator/connection_string.hpp>
#include <tenant_migrator/errors.hpp>
#ifdef TENANT_MIGRATOR_MANAGE_WITH_POSTGRESQL
#include <tenant_migrator/adapters/postgresql.hpp>
#endif

#include "exit_status.hpp"

namespace manage {

namespace tmig = tenant_migrator;

// The master URL of the running command (set by with_master), so that an
// error message quoting it can be cleaned of its secrets.
inline std::string& current_master() {
  static std::string url;
  return url;
}

// An error for stderr, on one line. The library's messages show locations
// masked already; one that quotes a PostgreSQL master URL as given is
// cleaned of it by libpq's own reading of it.
inline std::string shown_error(std::string_view what) {
#ifdef TENANT_MIGRATOR_MANAGE_WITH_POSTGRESQL
  const std::string& master = current_master();
  if (master.rfind("sqlite:", 0) != 0 && (master.find("://") != std::string::npos || master.find('=') != std::string::npos))
    return tmig::PostgresqlAdapter::scrub_message(what, master);
#endif
  return tmig::detail::flattened(what);
}

// Why `id` is not migrated, and the command that changes it.
inline std::string disabled_message(const std::string& id) {
  return "Tenant '" + id + "' is disabled (enable it with: manage enabletenant " + id + ")";
}

// Runs f, the part of a command that changes things. A failure of the master
// or a server there (anything but a usage_error) becomes cannot_go_on (exit 3),
// its message prefixed with `what`.
template <class F>
auto after_start(const std::string& what, F&& f) {
  try {
    return f();
  } catch (const tmig::usage_error&) {
    throw;
  } catch (const std::exception& e) {
    throw cannot_go_on(what + ": " + e.what());
  }
}

// The library's message, with the command that changes it where there is one.
inline std::string with_hint(const std::exception& e) {
  if (auto* selection = dynamic_cast<const tmig::tenant_selection_error*>(&e);
      selection && selection->why() == tmig::tenant_selection_error::reason::disabled)
    return disabled_message(selection->tenant_id());
  return e.what();
}

// Prints the error on standard error as "error: <one line>" (an invalid
// migration set: one line per problem) and returns its exit status.
inline int report_error(const std::exception& e) {
  auto shown = [](const std::string& m) { return shown_error(m); };
  if (auto* set = dynamic_cast<const tmig::migration_set_error*>(&e)) {
    for (const auto& p : set->problems()) std::cerr << "error: " << p.file << ": " << p.message << '\n';
    return code(exit_status::usage);
  }
  std::cerr << "error: " << shown(with_hint(e)) << '\n';
  if (dynamic_cast<const cannot_go_on*>(&e)) return code(exit_status::cannot_go_on);
  // usage_error, and anything before a command changed something (master
  // missing or unreachable, ...): nothing was done.
  return code(exit_status::usage);
}

}  // namespace manage
