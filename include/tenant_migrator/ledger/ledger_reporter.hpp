// LedgerReporter: writes each tenant's result to the run ledger as soon as
// the tenant is finished, and the run's outcome at its end, over its own
// master connection (combine it with the output reporter:
// reporting/combined_reporter.hpp). A run killed midway leaves its finished
// tenants recorded and the run unfinished.
//
// Like every reporter it never throws: the first failure to write is handed
// to `on_error` (once) and the ledger is not written again in this run; the
// migrations themselves go on.
#pragma once

#include <exception>
#include <functional>
#include <string>
#include <utility>

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
    write([&] { ledger_.record_tenant(run_id_, e.result, worker_); });
  }
  void on(const run_finished& e) {
    write([&] { ledger_.finish_run(run_id_, run_outcome(e.summary)); });
  }

 private:
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
};

}  // namespace tenant_migrator
