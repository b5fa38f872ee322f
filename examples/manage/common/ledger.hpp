// The run ledger in manage: migratealltenants records its runs
// (--only-failed reads them back), --queue shares one run between processes,
// showruns lists them (docs/scale-out.md).
#pragma once

#include <csignal>
#include <cerrno>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <iostream>
#include <set>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include <tenant_migrator/ledger/ledger_reporter.hpp>
#include <tenant_migrator/ledger/run_queue.hpp>
#ifdef TENANT_MIGRATOR_MANAGE_WITH_POSTGRESQL
#include <tenant_migrator/adapters/postgresql.hpp>
#endif

#include "parallel.hpp"
#include "rollout.hpp"
#include "run.hpp"

namespace manage {

// This process as a ledger names it: host:pid.
inline std::string this_host() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}
inline std::string this_worker() { return this_host() + ":" + std::to_string(::getpid()); }

// A generated run id: UTC start time, host and pid, e.g. 20261201T130500Z-web1-4242
// (the host cut to what validate_run_id accepts).
inline std::string new_run_id() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  std::string host;
  for (char c : this_host().substr(0, 40))
    host += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ? c : '-';
  return std::string(stamp) + "-" + host + "-" + std::to_string(::getpid());
}

// Whether the worker host:pid may still run: a process of this host that no
// longer exists is gone; one of another host is assumed alive.
inline bool worker_alive(const std::string& worker) {
  auto colon = worker.rfind(':');
  if (colon == std::string::npos || worker.substr(0, colon) != this_host()) return true;
  long pid = std::strtol(worker.c_str() + colon + 1, nullptr, 10);
  if (pid <= 0) return true;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

// A new run of this process, kind "run" or "queue".
inline tmig::run_record new_run(std::string id, std::string kind, const tmig::migration_set& set, std::string options) {
  tmig::run_record run;
  run.id = std::move(id);
  run.kind = std::move(kind);
  run.host = this_host();
  run.pid = std::to_string(::getpid());
  run.set_digest = tmig::migration_set_digest(set);
  run.options = std::move(options);
  return run;
}

// How the ledger writes batches of results on each master: see tmig::batch_write.
template <class Adapter>
inline constexpr auto ledger_batch_write = tmig::batch_write::update_in_list;
#ifdef TENANT_MIGRATOR_MANAGE_WITH_POSTGRESQL
template <>
inline constexpr auto ledger_batch_write<tmig::PostgresqlAdapter> = tmig::batch_write::insert_on_conflict;
#endif

// The master's ledger over a connection of its own.
template <class Adapter>
auto open_ledger(Adapter& adapter, const std::string& master) {
  return tmig::RunLedger(adapter.connect(master), ledger_batch_write<Adapter>);
}

// The ledger of a command that only reads it; usage_error when no run was ever recorded.
template <class Adapter>
auto read_ledger(Adapter& adapter, const std::string& master) {
  auto ledger = open_ledger(adapter, master);
  try {
    ledger.connection().query("SELECT count(*) FROM " + ledger.runs(), {});
  } catch (const tmig::database_error&) {
    throw tmig::usage_error("no run recorded in the master (table " + std::string(tmig::runs_table_name) +
                            " is missing): migratealltenants records its runs");
  }
  return ledger;
}

// The run `id`, or the last one when `id` is empty; usage_error when there is none.
template <class Ledger>
tmig::run_record recorded_run(Ledger& ledger, const std::string& id) {
  auto run = id.empty() ? ledger.last_run() : ledger.find_run(id);
  if (!run) throw tmig::usage_error(id.empty() ? "no run recorded in the master yet" : "no run '" + id + "' in the run ledger");
  return *run;
}

// --only-failed [RUN]: the selected tenants that failed, were skipped or were
// not processed in RUN (the last run when empty), in the selection's order.
template <class Adapter>
std::vector<tmig::tenant> rerun_selection(Adapter& adapter, const std::string& master,
                                          std::vector<tmig::tenant> tenants, const std::string& run_id) {
  if (!run_id.empty())
    if (auto why = tmig::validate_run_id(run_id); !why.empty()) throw tmig::usage_error("--only-failed: " + why);
  auto ledger = read_ledger(adapter, master);
  auto run = recorded_run(ledger, run_id);
  std::set<std::string> again;
  for (const auto& t : ledger.tenants_of(run.id))
    if (!t.succeeded()) again.insert(t.tenant_id);
  std::erase_if(tenants, [&](const tmig::tenant& t) { return !again.contains(t.id); });
  std::cerr << "Rerunning " << tenants.size() << " tenant(s) not done in run " << run.id << ".\n";
  return tenants;
}

// What the run was asked to do, as the ledger records it (no secrets: the
// master is not part of it).
struct ledger_request {
  std::string queue;    // --queue RUN_ID; empty: a run of its own
  std::string options;  // recorded as given
};

template <class Policy, class Adapter, class Catalog>
int run_recorded_queue(Policy policy, Adapter& adapter, Catalog& catalog, const std::vector<tmig::tenant>& selected,
                       const run_request& r, const ledger_request& l);


// Runs `tenants` like run_tenants and records the run in the ledger as it
// goes; with l.queue, joins that queue and migrates the tenants it claims.
// A ledger that cannot be written is warned about and the run goes on
// without it (a queue cannot: it needs the ledger).
template <class Policy, class Adapter, class Catalog>
int run_recorded(Policy policy, Adapter& adapter, Catalog& catalog, const std::vector<tmig::tenant>& tenants,
                 const run_request& r, const ledger_request& l, const parallel_options& parallel,
                 const rollout_options& rollout) {
  if (!l.queue.empty()) return run_recorded_queue(std::move(policy), adapter, catalog, tenants, r, l);
  auto run = new_run(new_run_id(), "run", r.set, l.options);
  std::optional<decltype(open_ledger(adapter, r.master))> ledger;
  try {
    ledger.emplace(open_ledger(adapter, r.master));
    ledger->ensure_tables();
    std::vector<std::string> ids;
    for (const auto& t : tenants) ids.push_back(t.id);
    ledger->start_run(run, ids);
  } catch (const std::exception& e) {
    warn(std::string("this run is not recorded in the run ledger: ") + e.what());
    return exit_of(run_with_workers(std::move(policy), catalog, tenants, r, parallel, rollout));
  }
  auto on_error = [](const std::string& why) { warn("the run ledger could not be written: " + why); };
  return exit_of(run_with_workers(std::move(policy), catalog, tenants, r, parallel, rollout,
                                  tmig::LedgerReporter(std::move(*ledger), run.id, this_worker(), on_error)));
}

template <class Policy, class Adapter, class Catalog>
int run_recorded_queue(Policy policy, Adapter& adapter, Catalog& catalog, const std::vector<tmig::tenant>& selected,
                       const run_request& r, const ledger_request& l) {
  if (auto why = tmig::validate_run_id(l.queue); !why.empty()) throw tmig::usage_error("--queue: " + why);
  // SQLite has no row locks: claims are rows marked under BEGIN IMMEDIATE.
  auto mode = std::is_same_v<Adapter, tmig::SqliteAdapter> ? tmig::claim_mode::exclusive : tmig::claim_mode::skip_locked;
  tmig::RunQueue queue(open_ledger(adapter, r.master), l.queue, this_worker(), mode, &worker_alive);
  auto run = new_run(l.queue, "queue", r.set, l.options);
  std::vector<std::string> ids;
  for (const auto& t : selected) ids.push_back(t.id);
  auto joined = after_start("the queue could not be joined", [&] { return queue.join(run, ids); });
  auto say = [&](const std::string& what) { (r.output.format == "text" ? std::cout : std::cerr) << what << '\n'; };
  if (joined.finished) {
    say("Queue " + l.queue + " is finished: nothing to do.");
    return code(exit_status::ok);
  }
  if (!joined.created) say("Joining queue " + l.queue + " (" + std::to_string(joined.tenant_ids.size()) + " tenants).");
  // The queue's tenants in its order (a joining process's own selection does
  // not count); one no longer in the registry fails alone.
  std::unordered_map<std::string, tmig::tenant> registry;
  for (auto& t : catalog.list_tenants()) registry.emplace(t.id, std::move(t));
  std::vector<tmig::tenant> tenants;
  for (const auto& id : joined.tenant_ids) {
    auto it = registry.find(id);
    if (it != registry.end()) {
      tenants.push_back(it->second);
    } else {
      tenants.push_back(tmig::tenant{});
      tenants.back().id = id;
      tenants.back().isolation = tmig::isolation_kind::schema;  // no location: fails with a message
    }
  }
  return exit_of(run_tenants(std::move(policy), catalog, tenants, r, tmig::NullReporter{},
                             tmig::QueueExecution<decltype(queue)>{&queue}));
}

}  // namespace manage
