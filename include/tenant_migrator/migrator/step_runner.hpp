// One step of a tenant's plan: a migration applied (or unapplied) in its own
// transaction together with its history row, reported, or rolled back whole.
// Where that cannot hold (a `-- transaction: off` file; DDL where DDL is not
// transactional) and the adapter can split scripts, the migration runs one
// statement at a time with its progress recorded after each (history_store.hpp).
#pragma once

#include <algorithm>
#include <chrono>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "../concepts/capabilities.hpp"
#include "../detail/clock.hpp"
#include "../detail/sha256.hpp"
#include "../errors.hpp"
#include "../detail/transaction.hpp"
#include "../history_store.hpp"
#include "../interrupt.hpp"
#include "../migrations/placeholders.hpp"
#include "../model/plan.hpp"
#include "../model/results.hpp"
#include "../model/script_statement.hpp"
#include "../model/tenant.hpp"
#include "../reporting/events.hpp"
#include "options.hpp"

namespace tenant_migrator::detail {

// A run stopped by a signal: the migration in flight was rolled back (or, run
// statement by statement, stopped before or during a statement).
struct interrupted_error : error {
  using error::error;
};

// "statements 1–2 are applied", for a migration run statement by statement.
inline std::string applied_statements(std::size_t done) {
  if (done == 0) return "no statement of it is applied";
  if (done == 1) return "statement 1 is applied";
  return fmt::format("statements 1\u2013{} are applied", done);
}

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
  // `in_outer_transaction`: the caller holds a transaction around all the
  // tenant's steps (migrator_options::atomic); each step runs inside it and
  // neither commits nor rolls back.
  step_runner(Reporter& reporter, const migrator_options& options, bool in_outer_transaction = false)
      : reporter_(reporter), options_(options), in_outer_transaction_(in_outer_transaction) {}

  // `*missing`: the tenant has no history table yet. The first step creates
  // it, inside its own transaction where it has one (the table and the first
  // migration commit together: one commit fewer per new tenant), else first
  // on its own; then sets *missing to false. Shared by the runners of a plan.
  void create_history_table_first(bool* missing) noexcept { history_table_missing_ = missing; }

  // Runs `step` for `t`; on any failure the transaction is rolled back, the
  // failure reported and rethrown (result.error names the file). `locked`:
  // this run holds the tenant's lock, so no concurrent run can have done the
  // step since the history was read, and the re-check is skipped.
  template <class Connection>
  void apply(Connection& connection, const std::string& history_table, const tenant& t, const plan_step& step,
             tenant_result& result, bool locked) {
    const migration& m = *step.what;
    const bool forwards = step.way == direction::forwards;
    reporter_.on(migration_started{t, m, step.way});
    auto started = std::chrono::steady_clock::now();
    bool by_other_run = false;
    try {
      std::vector<script_statement> statements;
      const bool one_at_a_time = one_statement_at_a_time(connection, t, step, statements);
      const bool in_one_transaction = !one_at_a_time && (m.transactional || options_.fake);
      if (!in_one_transaction && create_missing_history_table(connection, history_table))
        *history_table_missing_ = false;  // committed on its own
      if (one_at_a_time) {
        by_other_run = !run_statements(connection, history_table, step, statements, started, locked);
      } else if (in_one_transaction) {
        in_transaction(connection, [&] {
          create_missing_history_table(connection, history_table);
          if constexpr (claims<Adapter, capability::migration_timeouts>)
            connection.set_local_timeouts(options_.lock_timeout, options_.statement_timeout);
          // Re-checked under the transaction's lock: a concurrent run may have
          // done this step since the history was read.
          if (!locked && done_already(connection, history_table, step)) {
            by_other_run = true;
          } else {
            run_and_record(connection, history_table, t, step, started);
            if (int sig = stop_requested(options_))
              throw interrupted_error(fmt::format("{} was rolled back ({})", m.file(), signal_name(sig)));
          }
        });
        if (history_table_missing_) *history_table_missing_ = false;  // committed with the step
      } else {
        run_and_record(connection, history_table, t, step, started);
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
      // Without statement splitting a script with DDL ran in a transaction
      // its DDL did not honour.
      if (m.transactional && !claims<Adapter, capability::transactional_ddl> &&
          !claims<Adapter, capability::statement_splitting>)
        message += " (this database's DDL is not transactional: statements before the failing one may be applied)";
      reporter_.on(migration_failed{t, m, message, step.way});
      result.error = fmt::format("{}: {}", forwards ? m.file() : m.down_file(), message);
      throw;
    }
    if (!by_other_run) ++result.applied;
    reporter_.on(migration_applied{t, m, elapsed_since(started), step.way, by_other_run, options_.fake});
  }

 private:
  // Whether `step` runs one statement at a time (its statements in
  // `statements`): when it cannot run in one transaction with its history
  // row, because it is `-- transaction: off` or because a statement of it
  // commits implicitly, and the adapter can split it.
  template <class Connection>
  bool one_statement_at_a_time(Connection& connection, const tenant& t, const plan_step& step,
                               std::vector<script_statement>& statements) const {
    if constexpr (claims<Adapter, capability::statement_splitting>) {
      const migration& m = *step.what;
      if (options_.fake || (m.transactional && claims<Adapter, capability::transactional_ddl>)) return false;
      statements = connection.split_script(script_for(m, step.way, t, connection));
      if (m.transactional)
        return std::any_of(statements.begin(), statements.end(),
                           [](const script_statement& s) { return s.commits_implicitly; });
      return true;
    } else {
      (void)connection, (void)t, (void)step, (void)statements;
      return false;
    }
  }

  // Runs `statements` one at a time, skipping those an earlier run did (its
  // progress row), recording progress after each, then the history change.
  // Returns false when a concurrent run had done the step already.
  template <class Connection>
  bool run_statements(Connection& connection, const std::string& history_table, const plan_step& step,
                      const std::vector<script_statement>& statements,
                      std::chrono::steady_clock::time_point started, bool locked) {
    const migration& m = *step.what;
    const std::size_t total = statements.size();
    const std::string direction_name = step.way == direction::forwards ? "up" : "down";
    const std::string file = step.way == direction::forwards ? m.file() : m.down_file();
    if (!locked && done_already(connection, history_table, step)) return false;
    // One statement needs no progress: it is applied or it is not.
    const bool track = total > 1;
    const std::string progress_table = progress_table_of(history_table);
    std::size_t done = 0;
    if (track) {
      ensure_progress_table(connection, progress_table);
      if (auto earlier = read_progress(connection, progress_table, m.key());
          earlier && earlier->direction == direction_name && earlier->statements_done > 0) {
        done = static_cast<std::size_t>(earlier->statements_done);
        if (done > total || earlier->done_checksum != checksum_of_first(statements, done))
          throw error(fmt::format("an earlier run applied its first {} statement(s), and their text has changed "
                                  "since; compare them with the database by hand, then delete the row of {} from {}",
                                  earlier->statements_done, m.key().str(), progress_table));
      }
    }
    for (std::size_t i = done; i < total; ++i) {
      if (int sig = stop_requested(options_))
        throw interrupted_error(fmt::format("{}: stopped before statement {} of {} ({}); {}", file, i + 1, total,
                                            signal_name(sig), applied_statements(i)));
      try {
        if constexpr (claims<Adapter, capability::migration_timeouts> &&
                      !claims<Adapter, capability::transactional_ddl>)
          connection.set_local_timeouts(options_.lock_timeout, options_.statement_timeout);
        execute(connection, statements[i].sql);
      } catch (const std::exception& e) {
        if (int sig = stop_requested(options_))
          throw interrupted_error(fmt::format("{}: statement {} of {} was cancelled ({}); {}", file, i + 1, total,
                                              signal_name(sig), applied_statements(i)));
        if (!track) throw;  // the only statement: its error says it all
        throw error(
            fmt::format("statement {} of {} failed: {}; {}", i + 1, total, e.what(), applied_statements(i)));
      }
      if (track)
        in_transaction(connection, [&] {
          record_progress(connection, progress_table, m.key(),
                          {direction_name, static_cast<int>(i + 1), checksum_of_first(statements, i + 1)});
        });
    }
    // The history change and the progress row's removal: one transaction.
    in_transaction(connection, [&] {
      record(connection, history_table, step, started);
      if (track) clear_progress(connection, progress_table, m.key());
    });
    return true;
  }

  // See create_history_table_first; true when it created the table. Inside a
  // transaction, *missing is cleared once that commits (a rollback takes the
  // table with it).
  template <class Connection>
  bool create_missing_history_table(Connection& connection, const std::string& history_table) {
    if (!history_table_missing_ || !*history_table_missing_) return false;
    ensure_history_table<Adapter>(connection, history_table);
    return true;
  }

  // f() in a transaction of its own, or, inside the caller's transaction,
  // just f(): the caller commits or rolls back.
  template <class Connection, class F>
  void in_transaction(Connection& connection, F&& f) const {
    if (in_outer_transaction_) return f();
    run_in_transaction(connection, std::forward<F>(f));
  }

  // SHA-256 of the first `n` statements' text: what a rerun checks before
  // skipping them.
  static std::string checksum_of_first(const std::vector<script_statement>& statements, std::size_t n) {
    std::string text;
    for (std::size_t i = 0; i < n && i < statements.size(); ++i) text += statements[i].text() + ";\n";
    return sha256_hex(text);
  }

  // Whether the history already shows `step` done: a repeatable migration
  // re-applied by then has its row with the file's current checksum.
  template <class Connection>
  static bool done_already(Connection& connection, const std::string& history_table, const plan_step& step) {
    if (step.reapply) return recorded_checksum(connection, history_table, step.what->key()) == step.what->checksum;
    return is_recorded(connection, history_table, step.what->key()) == (step.way == direction::forwards);
  }

  // The SQL (placeholders replaced: placeholders.hpp), then the history change:
  // one unit inside the caller's transaction.
  template <class Connection>
  void run_and_record(Connection& connection, const std::string& history_table, const tenant& t,
                      const plan_step& step, std::chrono::steady_clock::time_point started) {
    const migration& m = *step.what;
    if (!options_.fake) execute(connection, script_for(m, step.way, t, connection));
    record(connection, history_table, step, started);
  }

  // `sql`, cancellable by a signal where the adapter can cancel.
  template <class Connection>
  static void execute(Connection& connection, const std::string& sql) {
    if constexpr (claims<Adapter, capability::cancellation>) {
      armed_interrupt armed(connection.interrupter());
      connection.execute_script(sql);
    } else {
      connection.execute_script(sql);
    }
  }

  // The history change for `step`: a row added, updated or removed.
  template <class Connection>
  static void record(Connection& connection, const std::string& history_table, const plan_step& step,
                     std::chrono::steady_clock::time_point started) {
    const migration& m = *step.what;
    const bool forwards = step.way == direction::forwards;
    if (step.reapply)
      record_reapplied(connection, history_table, m, iso8601_now(), elapsed_since(started).count());
    else if (forwards)
      record_applied(connection, history_table, m, iso8601_now(), elapsed_since(started).count());
    else
      remove_record(connection, history_table, m.key());
  }

  Reporter& reporter_;
  const migrator_options& options_;
  bool in_outer_transaction_ = false;
  bool* history_table_missing_ = nullptr;
};

}  // namespace tenant_migrator::detail
