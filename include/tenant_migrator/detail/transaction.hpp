// f() in a transaction of its own: the shape every multi-statement write
// shares (a migration step, the run ledger's batches).
#pragma once

namespace tenant_migrator::detail {

// f() between connection.begin() and commit(); rolled back when it throws.
template <class Connection, class F>
void run_in_transaction(Connection& connection, F&& f) {
  connection.begin();
  try {
    f();
    connection.commit();
  } catch (...) {
    try {
      connection.rollback();
    } catch (...) {
      // The connection is gone; the server rolls back on its own.
    }
    throw;
  }
}

}  // namespace tenant_migrator::detail
