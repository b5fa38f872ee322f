// LedgerReporter: writes each tenant's result to the run ledger, and the
// run's outcome at its end, over its own master connection (combine it with
// the output reporter: reporting/combined_reporter.hpp). A run killed midway
// leaves its finished tenants recorded and the run unfinished.
//
// A failed, skipped or interrupted tenant is written at once. Migrated and
// up-to-date tenants are written in batches, because a ledger row is a
// commit on the master (a disk flush), which costs as much as a fast
// tenant's whole migration: a batch is written once it holds 10,000
// (RunLedger::results_per_write), when a tenant finishes or a migration
// starts a second or more after the batch's first, just before any other
// tenant's result, and with the run's end. While
// the run's migrations are slow (one took a second or more), a batch is also
// written whenever a migration starts, so that no result waits behind a long
// one. A run killed midway may leave its last batch pending in the ledger;
// `--only-failed` then runs those tenants again, which finds them up to date.
//
// Like every reporter it never throws: the first failure to write is handed
// to `on_error` (once) and the ledger is not written again in this run; the
// migrations themselves go on.
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "../concepts/reporter.hpp"
#include "run_ledger.hpp"

namespace tenant_migrator {

template <DatabaseConnection C>
class LedgerReporter : public NullReporter {
 public:
  using NullReporter::on;

  // `max_delay`: how long a batch may wait (and how long a migration may take
  // before the run's migrations count as slow).
  LedgerReporter(RunLedger<C> ledger, std::string run_id, std::string worker,
                 std::function<void(const std::string&)> on_error = {},
                 std::chrono::milliseconds max_delay = std::chrono::seconds{1})
      : ledger_(std::move(ledger)),
        run_id_(std::move(run_id)),
        worker_(std::move(worker)),
        on_error_(std::move(on_error)),
        max_delay_(max_delay) {}

  void on(const tenant_finished& e) {
    const auto outcome = e.result.outcome;
    if (outcome == tenant_outcome::up_to_date || outcome == tenant_outcome::migrated) {
      if (batch_.empty()) first_batched_ = std::chrono::steady_clock::now();
      batch_.push_back(e.result);
      if (batch_.size() >= RunLedger<C>::results_per_write || batch_is_old()) flush();
      return;
    }
    flush();
    write([&] { ledger_.record_tenant(run_id_, e.result, worker_); });
  }
  void on(const migration_started&) {
    if (slow_migrations_ || batch_is_old()) flush();
  }
  void on(const migration_applied& e) {
    if (e.duration >= max_delay_) slow_migrations_ = true;
  }
  void on(const run_finished& e) {
    write([&] { ledger_.finish_run(run_id_, run_outcome(e.summary), batch_, worker_); });
    batch_.clear();
  }

 private:
  bool batch_is_old() const {
    return !batch_.empty() && std::chrono::steady_clock::now() - first_batched_ >= max_delay_;
  }

  void flush() {
    if (batch_.empty()) return;
    write([&] { ledger_.record_tenants(run_id_, batch_, worker_); });
    batch_.clear();
  }

  template <class F>
  void write(F&& f) noexcept {
    if (failed_) return;
    try {
      f();
    } catch (const std::exception& e) {
      failed_ = true;
      if (on_error_) on_error_(e.what());
    } catch (...) {
      failed_ = true;
      if (on_error_) on_error_("unknown error");
    }
  }

  RunLedger<C> ledger_;
  std::string run_id_, worker_;
  std::function<void(const std::string&)> on_error_;
  std::chrono::milliseconds max_delay_;
  bool failed_ = false;
  bool slow_migrations_ = false;  // one of this run's migrations took max_delay_ or more
  std::vector<tenant_result> batch_;  // migrated and up-to-date tenants not yet written
  std::chrono::steady_clock::time_point first_batched_{};
};

}  // namespace tenant_migrator
