// RunQueue and QueueExecution: any number of processes, on any number of
// hosts, share one run's tenants through the run ledger's tables in the
// master (docs/scale-out.md). The master is the coordinator:
//
// - claim_mode::skip_locked (PostgreSQL, MariaDB 10.6+): a claim is the
//   tenant's row locked with SELECT ... FOR UPDATE SKIP LOCKED in a
//   transaction held open on the queue's own master connection while the
//   tenant is migrated; the result is written and committed in that same
//   transaction. A worker that dies (even kill -9) loses its connection, the
//   server rolls the claim back and the tenant is pending again.
// - claim_mode::exclusive (SQLite, one host): a claim is the row set to
//   'claimed' with the worker's host:pid, under BEGIN IMMEDIATE (begin() of
//   the SQLite adapter). A tenant claimed by a worker that `alive` says is
//   gone is claimed again once no pending tenant is left.
//
// Each tenant is done exactly once: a claimed tenant is never offered to
// another live worker, and one interrupted by a signal goes back to pending.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "../errors.hpp"
#include "run_ledger.hpp"

namespace tenant_migrator {

enum class claim_mode { skip_locked, exclusive };

// What joining a queue found.
struct queue_join {
  bool created = false;              // this process created the run
  bool finished = false;             // nothing left to do
  std::vector<std::string> tenant_ids;  // the run's tenants, in its order
};

template <DatabaseConnection C>
class RunQueue {
 public:
  // `alive(worker)`: false when the process named host:pid is known to be gone
  // (claim_mode::exclusive only; without it claims are never taken over).
  RunQueue(RunLedger<C> ledger, std::string run_id, std::string worker, claim_mode mode,
           std::function<bool(const std::string&)> alive = {})
      : ledger_(std::move(ledger)),
        run_id_(std::move(run_id)),
        worker_(std::move(worker)),
        mode_(mode),
        alive_(std::move(alive)) {}

  const std::string& run_id() const noexcept { return run_id_; }

  // Creates the run with `tenant_ids` (kind 'queue'), or joins it when another
  // process did. Throws usage_error when the id names a run that is not a
  // queue, or one started with another migration set.
  queue_join join(run_record run, const std::vector<std::string>& tenant_ids) {
    ledger_.ensure_tables();
    run.id = run_id_;
    run.kind = "queue";
    queue_join j;
    try {
      ledger_.start_run(run, tenant_ids);
      j.created = true;
    } catch (const database_error&) {
      // Taken: created by another process (its INSERT committed first), or a
      // real failure, which the lookup below reports by throwing again.
      if (!ledger_.find_run(run_id_)) throw;
    }
    auto found = ledger_.find_run(run_id_);
    if (!found) throw database_error("run '" + run_id_ + "' vanished from " + std::string(runs_table_name));
    if (found->kind != "queue")
      throw usage_error("run '" + run_id_ + "' is a recorded run, not a queue: give --queue another id");
    if (found->set_digest != run.set_digest)
      throw usage_error("queue '" + run_id_ + "' was started with another migration set (digest " +
                        found->set_digest.substr(0, 12) + ", this one " + run.set_digest.substr(0, 12) +
                        "): run every worker with the same migrations");
    for (auto& t : ledger_.tenants_of(run_id_)) j.tenant_ids.push_back(std::move(t.tenant_id));
    j.finished = found->finished() || ledger_.open_tenants(run_id_) == 0;
    if (j.finished) finish_run();
    return j;
  }

  // The position of the next tenant this worker owns, or nothing when no
  // tenant is left to claim.
  std::optional<std::size_t> claim() {
    ledger_.connection().begin();
    try {
      auto found = ledger_.connection().query(
          "SELECT position, tenant_id FROM " + ledger_.run_tenants() +
              " WHERE run_id = $1 AND state = 'pending' ORDER BY position LIMIT 1" +
              (mode_ == claim_mode::skip_locked ? " FOR UPDATE SKIP LOCKED" : ""),
          {run_id_});
      if (found.empty() && mode_ == claim_mode::exclusive && alive_) found = orphaned();
      if (found.empty()) {
        ledger_.connection().commit();
        return std::nullopt;
      }
      held_ = found.front().at(1).value_or("");
      if (mode_ == claim_mode::exclusive) {
        ledger_.connection().query("UPDATE " + ledger_.run_tenants() +
                                       " SET state = 'claimed', worker = $1 WHERE run_id = $2 AND tenant_id = $3",
                                   {worker_, run_id_, *held_});
        ledger_.connection().commit();
      }
      return std::stoull(found.front().at(0).value_or("0"));
    } catch (...) {
      held_.reset();
      rollback_quietly();
      throw;
    }
  }

  // Records the claimed tenant's result; an interrupted tenant goes back to
  // pending for another worker.
  void finish(const tenant_result& r) {
    if (!held_) return;
    if (r.outcome == tenant_outcome::interrupted) return release();
    if (mode_ == claim_mode::skip_locked) {
      try {
        ledger_.record_tenant(run_id_, r, worker_);
        ledger_.connection().commit();
      } catch (...) {
        held_.reset();
        rollback_quietly();
        throw;
      }
    } else {
      ledger_.record_tenant(run_id_, r, worker_);
    }
    held_.reset();
  }

  // Gives the claimed tenant back, undone.
  void release() {
    if (!held_) return;
    if (mode_ == claim_mode::skip_locked) {
      rollback_quietly();
    } else {
      try {
        ledger_.connection().query("UPDATE " + ledger_.run_tenants() +
                                       " SET state = 'pending', worker = NULL WHERE run_id = $1 AND tenant_id = $2",
                                   {run_id_, *held_});
      } catch (...) {
        // The worker is exiting anyway; alive() will let another take it over.
      }
    }
    held_.reset();
  }

  std::size_t open_tenants() { return ledger_.open_tenants(run_id_); }

  // Marks the run finished when no tenant is open (the last worker does).
  void finish_run() {
    if (ledger_.open_tenants(run_id_) != 0) return;
    auto run = ledger_.find_run(run_id_);
    if (!run || run->finished()) return;
    ledger_.finish_run(run_id_, run->failed + run->skipped + run->interrupted != 0 ? "failed" : "succeeded");
  }

 private:
  // A tenant claimed by a worker that is gone, as the claim query's columns.
  rows orphaned() {
    auto claimed = ledger_.connection().query("SELECT position, tenant_id, worker FROM " + ledger_.run_tenants() +
                                                  " WHERE run_id = $1 AND state = 'claimed' ORDER BY position",
                                              {run_id_});
    for (auto& r : claimed)
      if (!alive_(r.at(2).value_or(""))) return {r};
    return {};
  }

  void rollback_quietly() noexcept {
    try {
      ledger_.connection().rollback();
    } catch (...) {
    }
  }

  RunLedger<C> ledger_;
  std::string run_id_, worker_;
  claim_mode mode_;
  std::function<bool(const std::string&)> alive_;
  std::optional<std::string> held_;  // the tenant this worker has claimed
};

// The ExecutionPolicy of a queue worker: migrates the tenants `queue` hands
// out until none is left or the run is asked to stop. Tenants done by other
// workers are not this process's "not processed"; the ones still open when
// it stopped early are.
template <class Queue>
struct QueueExecution {
  Queue* queue;

  template <class Process, class Stop>
  std::size_t execute(std::size_t count, Process&& process, Stop&& stop) {
    bool drained = false;
    while (!stop()) {
      auto i = queue->claim();
      if (!i) {
        drained = true;
        break;
      }
      if (*i >= count) {
        queue->release();
        throw error("queue '" + queue->run_id() + "' handed out position " + std::to_string(*i) + " of " +
                    std::to_string(count) + " tenants");
      }
      try {
        queue->finish(process(*i));
      } catch (...) {
        queue->release();
        throw;
      }
    }
    queue->finish_run();
    if (drained) return count;
    auto open = queue->open_tenants();
    return open > count ? 0 : count - open;
  }
};

}  // namespace tenant_migrator
