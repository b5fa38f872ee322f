// LedgerReporter: writes each tenant's result to the run ledger as soon as
// the tenant is finished, and the run's outcome at its end, over its own
// master connection (combine it with the output reporter:
// reporting/combined_reporter.hpp). A run killed midway leaves its finished
// tenants recorded and the run unfinished.
//
// Up-to-date tenants are the exception: a run over 10,000 of them would
// spend more on their ledger rows than on reading their histories, so they
// are written in batches: once a batch holds 500, when one finishes a second
// or more after the batch's first, when a migration starts (it may take
// long), just before any other tenant's result, and at the run's end. A run
// killed midway may leave its last batch pending in the ledger;
// `--only-failed` then runs them again, which changes nothing.
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

  LedgerReporter(RunLedger<C> ledger, std::string run_id, std::string worker,
                 std::function<void(const std::string&)> on_error = {})
      : ledger_(std::move(ledger)), run_id_(std::move(run_id)), worker_(std::move(worker)), on_error_(std::move(on_error)) {}

  void on(const tenant_finished& e) {
    if (e.result.outcome == tenant_outcome::up_to_date) {
      if (up_to_date_.empty()) first_buffered_ = std::chrono::steady_clock::now();
      up_to_date_.push_back(e.result);
      if (up_to_date_.size() >= max_buffered || std::chrono::steady_clock::now() - first_buffered_ >= max_delay)
        flush();
      return;
    }
    flush();
    write([&] { ledger_.record_tenant(run_id_, e.result, worker_); });
  }
  void on(const migration_started&) { flush(); }
  void on(const run_finished& e) {
    flush();
    write([&] { ledger_.finish_run(run_id_, run_outcome(e.summary)); });
  }

 private:
  static constexpr std::size_t max_buffered = 500;
  static constexpr std::chrono::seconds max_delay{1};

  void flush() {
    if (up_to_date_.empty()) return;
    write([&] { ledger_.record_tenants(run_id_, up_to_date_, worker_); });
    up_to_date_.clear();
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
  bool failed_ = false;
  std::vector<tenant_result> up_to_date_;
  std::chrono::steady_clock::time_point first_buffered_{};
};

}  // namespace tenant_migrator
