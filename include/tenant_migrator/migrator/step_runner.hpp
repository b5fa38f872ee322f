// One step of a tenant's plan: a migration applied (or unapplied) in its own
// transaction together with its history row, reported, or rolled back whole.
#pragma once

#include <chrono>
#include <exception>
#include <string>

#include <fmt/format.h>

#include "../concepts/capabilities.hpp"
#include "../detail/clock.hpp"
#include "../errors.hpp"
#include "../history_store.hpp"
#include "../interrupt.hpp"
#include "../migrations/placeholders.hpp"
#include "../model/plan.hpp"
#include "../model/results.hpp"
#include "../model/tenant.hpp"
#include "../reporting/events.hpp"
#include "options.hpp"

namespace tenant_migrator::detail {

// A run stopped by a signal: the migration in flight was rolled back.
struct interrupted_error : error {
  using error::error;
};

inline std::string signal_name(int sig) {
  return sig == 2 ? "SIGINT" : sig == 15 ? "SIGTERM" : fmt::format("signal {}", sig);
}

inline std::chrono::milliseconds elapsed_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

inline int stop_requested(const migrator_options& options) noexcept {
  return options.stop_signal ? options.stop_signal->load() : 0;
}

template <class Adapter, class Reporter>
class step_runner {
 public:
  step_runner(Reporter& reporter, const migrator_options& options) : reporter_(reporter), options_(options) {}

  // Runs `step` for `t`; on any failure the transaction is rolled back, the
  // failure reported and rethrown (result.error names the file). `locked`:
  // this run holds the tenant's lock, so no concurrent run can have done the
  // step since the history was read, and the re-check is skipped.
  template <class Connection>
  void apply(Connection& connection, const std::string& history_table, const tenant& t, const plan_step& step,
             tenant_result& result, bool locked) {
    const migration& m = *step.what;
    const bool forwards = step.way == direction::forwards;
    tenant_ = &t;  // for the placeholders of run_and_record
    reporter_.on(migration_started{t, m, step.way});
    auto started = std::chrono::steady_clock::now();
    bool by_other_run = false;
    try {
      if (m.transactional || options_.fake) {
        connection.begin();
        try {
          if constexpr (claims<Adapter, capability::migration_timeouts>)
            connection.set_local_timeouts(options_.lock_timeout, options_.statement_timeout);
          // Re-checked under the transaction's lock: a concurrent run may have
          // done this step since the history was read.
          if (!locked && done_already(connection, history_table, step)) {
            by_other_run = true;
          } else {
            run_and_record(connection, history_table, step, started);
            if (int sig = stop_requested(options_))
              throw interrupted_error(fmt::format("{} was rolled back ({})", m.file(), signal_name(sig)));
          }
          connection.commit();
        } catch (...) {
          try {
            connection.rollback();
          } catch (...) {
            // The connection is gone; the server rolls back on its own.
          }
          throw;
        }
      } else {
        run_and_record(connection, history_table, step, started);
      }
    } catch (const interrupted_error& e) {
      reporter_.on(migration_failed{t, m, e.what(), step.way});
      throw;
    } catch (const std::exception& e) {
      if (int sig = stop_requested(options_)) {
        // Cancelled by interrupt_running_migration(): rolled back above.
        interrupted_error interrupted(fmt::format("{} was rolled back ({})", m.file(), signal_name(sig)));
        reporter_.on(migration_failed{t, m, interrupted.what(), step.way});
        throw interrupted;
      }
      std::string message = e.what();
      if (m.transactional && !claims<Adapter, capability::transactional_ddl>)
        message += " (this database's DDL is not transactional: statements before the failing one may be applied)";
      reporter_.on(migration_failed{t, m, message, step.way});
      result.error = fmt::format("{}: {}", forwards ? m.file() : m.down_file(), message);
      throw;
    }
    if (!by_other_run) ++result.applied;
    reporter_.on(migration_applied{t, m, elapsed_since(started), step.way, by_other_run, options_.fake});
  }

 private:
  // Whether the history already shows `step` done: a repeatable migration
  // re-applied by then has its row with the file's current checksum.
  template <class Connection>
  static bool done_already(Connection& connection, const std::string& history_table, const plan_step& step) {
    if (step.reapply) return recorded_checksum(connection, history_table, step.what->key()) == step.what->checksum;
    return is_recorded(connection, history_table, step.what->key()) == (step.way == direction::forwards);
  }

  // The SQL, then the history change: one unit inside the caller's transaction.
  template <class Connection>
  void run_and_record(Connection& connection, const std::string& history_table, const plan_step& step,
                      std::chrono::steady_clock::time_point started) {
    const migration& m = *step.what;
    const bool forwards = step.way == direction::forwards;
    if (!options_.fake) {
      const std::string sql = script_for(m, step.way, *tenant_, connection);  // placeholders.hpp
      if constexpr (claims<Adapter, capability::cancellation>) {
        armed_interrupt armed(connection.interrupter());
        connection.execute_script(sql);
      } else {
        connection.execute_script(sql);
      }
    }
    if (step.reapply)
      record_reapplied(connection, history_table, m, iso8601_now(), elapsed_since(started).count());
    else if (forwards)
      record_applied(connection, history_table, m, iso8601_now(), elapsed_since(started).count());
    else
      remove_record(connection, history_table, m.key());
  }

  Reporter& reporter_;
  const migrator_options& options_;
  const tenant* tenant_ = nullptr;
};

}  // namespace tenant_migrator::detail
