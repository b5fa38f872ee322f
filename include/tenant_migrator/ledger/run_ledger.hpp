// RunLedger: every migrating run and each tenant's result in it, in two
// tables of the master database (docs/master-registry.md), written as the run
// goes so that a killed run leaves a true record:
//
//   CREATE TABLE tenant_migrator_runs (
//     run_id      VARCHAR(255) PRIMARY KEY,  -- see validate_run_id
//     kind        TEXT NOT NULL,     -- 'run' | 'queue' (shared by the processes started with --queue)
//     started_at  TEXT NOT NULL,     -- ISO 8601 UTC
//     finished_at TEXT,              -- NULL: unfinished (still running, or killed)
//     host TEXT NOT NULL, pid TEXT NOT NULL,  -- the process that started it
//     set_digest  TEXT NOT NULL,     -- migration_set_digest of the set it ran
//     options     TEXT NOT NULL,     -- what it was asked to do, as given
//     outcome     TEXT)              -- NULL while unfinished; succeeded | failed | interrupted | stopped
//   CREATE TABLE tenant_migrator_run_tenants (
//     run_id VARCHAR(255), tenant_id VARCHAR(255), position INTEGER,  -- the run's order
//     state TEXT NOT NULL,           -- 'pending' | 'claimed' (SQLite queue) | 'done'
//     outcome TEXT, applied INTEGER, error TEXT, duration_ms BIGINT,
//     worker TEXT,                   -- host:pid of the process that did it
//     finished_at TEXT, PRIMARY KEY (run_id, tenant_id))  -- PostgreSQL: WITH (fillfactor = 40)
//
// Generic over the master's connection; it needs nothing but SQL every
// backend speaks. Not in tenant_migrator.hpp: a library user opts in.
#pragma once

#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "../concepts/database_adapter.hpp"
#include "../detail/clock.hpp"
#include "../detail/sha256.hpp"
#include "../detail/text_array.hpp"
#include "../detail/transaction.hpp"
#include "../errors.hpp"
#include "../migrations/migration_set.hpp"
#include "../model/results.hpp"

namespace tenant_migrator {

inline constexpr std::string_view runs_table_name = "tenant_migrator_runs";
inline constexpr std::string_view run_tenants_table_name = "tenant_migrator_run_tenants";

// Why `id` cannot name a run (empty when it can): 1 to 100 characters among
// letters, digits, '.', '_', ':' and '-', starting with a letter or digit.
inline std::string validate_run_id(std::string_view id) {
  if (id.empty() || id.size() > 100) return "run id '" + std::string(id) + "' must have 1 to 100 characters";
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  if (!alnum(id.front())) return "run id '" + std::string(id) + "' must start with a letter or a digit";
  for (char c : id)
    if (!alnum(c) && c != '.' && c != '_' && c != ':' && c != '-')
      return "run id '" + std::string(id) + "' may contain only letters, digits, '.', '_', ':' and '-'";
  return {};
}

// What a run ran: the SHA-256 of each migration's key and checksum, in the
// set's order. Two processes joining one queue must run the same set.
inline std::string migration_set_digest(const migration_set& set) {
  std::string all;
  for (const auto& m : set.ordered()) all += m.key().str() + ' ' + m.checksum + '\n';
  return detail::sha256_hex(all);
}

// How start_run and record_tenants write many rows at once.
enum class batch_write {
  // Rows of VALUES, UPDATE ... WHERE run_id = ? AND tenant_id IN (...): any
  // SQL database.
  update_in_list,
  // PostgreSQL: the ids as one array parameter, unnest(CAST($n AS TEXT[])),
  // and results as INSERT ... SELECT ... ON CONFLICT (run_id, tenant_id) DO
  // UPDATE: each row is found through the primary key, whatever the planner
  // thinks. PostgreSQL's statistics have not seen a new run's id, so it
  // estimates one row for it and plans an IN list as a scan of all the run's
  // rows: 30 ms per batch at 100,000 tenants, 6 s per run.
  insert_on_conflict,
};

struct run_record {
  std::string id, kind, started_at, finished_at, host, pid, set_digest, options, outcome;
  // Tenants by what became of them (run_tenants); not_processed: never done.
  std::size_t tenants = 0, migrated = 0, up_to_date = 0, failed = 0, skipped = 0, interrupted = 0, not_processed = 0;
  bool finished() const noexcept { return !finished_at.empty(); }
};

struct run_tenant_record {
  std::string tenant_id;
  std::size_t position = 0;
  std::string state, outcome, error, worker, finished_at;  // outcome empty: not processed
  std::size_t applied = 0;
  long long duration_ms = 0;
  bool done() const noexcept { return state == "done"; }
  // Done and migrated or up to date; a rerun with --only-failed skips these.
  bool succeeded() const noexcept { return done() && (outcome == "migrated" || outcome == "up_to_date"); }
};

// The outcome a finished run records.
inline std::string run_outcome(const run_summary& s) {
  if (s.signal != 0) return "interrupted";
  if (s.failed() != 0) return "failed";
  if (s.not_processed != 0) return "stopped";
  return "succeeded";
}

template <DatabaseConnection C>
class RunLedger {
 public:
  explicit RunLedger(C connection, batch_write writes = batch_write::update_in_list)
      : connection_(std::move(connection)), writes_(writes) {}

  C& connection() noexcept { return connection_; }

  // How many results LedgerReporter gathers before writing them. A run's
  // up-to-date tenants come in a burst (the fast path reads them all before
  // the first migration): at 10,000, twenty upserts of 500 took PostgreSQL
  // 110 ms, one of 10,000 took 55 ms (the server's log); and each write is
  // a commit.
  static constexpr std::size_t results_per_write = 10000;

  // Creates both tables if missing (every migrating run calls it).
  void ensure_tables() {
    create_table(runs(),
                 " (run_id VARCHAR(255) PRIMARY KEY, kind TEXT NOT NULL, started_at TEXT NOT NULL,"
                 " finished_at TEXT, host TEXT NOT NULL, pid TEXT NOT NULL, set_digest TEXT NOT NULL,"
                 " options TEXT NOT NULL, outcome TEXT)");
    create_table(run_tenants(),
                 " (run_id VARCHAR(255) NOT NULL, tenant_id VARCHAR(255) NOT NULL,"
                 " position INTEGER NOT NULL, state TEXT NOT NULL, outcome TEXT, applied INTEGER,"
                 " error TEXT, duration_ms BIGINT, worker TEXT, finished_at TEXT,"
                 " PRIMARY KEY (run_id, tenant_id))" +
                     // PostgreSQL: room on each page for its rows' results,
                     // so that marking a row done (a new row version) stays
                     // on its page and leaves the primary key alone (a HOT
                     // update). Upserting 10,000 results took 48 ms instead
                     // of 75 in a test by hand.
                     std::string(writes_ == batch_write::insert_on_conflict ? " WITH (fillfactor = 40)" : ""));
  }

  // Records the run and its tenants (pending, in order) in one transaction.
  // Throws database_error when the run id is taken (or the master fails).
  void start_run(const run_record& run, const std::vector<std::string>& tenant_ids) {
    detail::run_in_transaction(connection_, [&] {
      connection_.query("INSERT INTO " + runs() +
                            " (run_id, kind, started_at, host, pid, set_digest, options) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        {run.id, run.kind, run.started_at.empty() ? detail::iso8601_now() : run.started_at, run.host,
                         run.pid, run.set_digest, run.options});
      if (writes_ == batch_write::insert_on_conflict) {
        // PostgreSQL: the ids as one array, 10,000 a statement. A VALUES
        // list of 500 rows took the server 6 ms to parse and plan, three
        // times as long as inserting them.
        constexpr std::size_t batch = 10000;
        for (std::size_t from = 0; from < tenant_ids.size(); from += batch) {
          const auto last = tenant_ids.begin() + static_cast<std::ptrdiff_t>(std::min(from + batch, tenant_ids.size()));
          connection_.query("INSERT INTO " + run_tenants() +
                                " (run_id, tenant_id, position, state) SELECT $1, id, CAST($2 AS INTEGER) + i - 1, 'pending'"
                                " FROM unnest(CAST($3 AS TEXT[])) WITH ORDINALITY AS u (id, i)",
                            {run.id, std::to_string(from),
                             detail::text_array_literal(tenant_ids.begin() + static_cast<std::ptrdiff_t>(from), last)});
        }
        return;
      }
      // Many rows per statement: thousands of tenants in a few round trips.
      // Only the ids are parameters; a position is a number this loop counts.
      constexpr std::size_t batch = 500;
      for (std::size_t from = 0; from < tenant_ids.size(); from += batch) {
        std::string sql = "INSERT INTO " + run_tenants() + " (run_id, tenant_id, position, state) VALUES ";
        std::vector<std::string> params{run.id};
        for (std::size_t i = from; i < tenant_ids.size() && i < from + batch; ++i) {
          params.push_back(tenant_ids[i]);
          sql += fmt::format("{}($1, ${}, {}, 'pending')", i == from ? "" : ", ", params.size(), i);
        }
        connection_.query(sql, params);
      }
    });
  }

  // The tenant's result, by the process `worker` (host:pid).
  void record_tenant(const std::string& run_id, const tenant_result& r, const std::string& worker) {
    record_tenants(run_id, {r}, worker);
  }

  // Many tenants' results in as few statements as can carry them: one per
  // distinct (outcome, applied, error, duration), the tenants listed in it
  // (update_in_list: 500 a statement). For the thousands of up-to-date
  // tenants of a run, whose rows differ only in their id. Every row gets the
  // same finished_at. Results that take more than one statement are written
  // in a transaction of their own, so not inside one of the caller's
  // (record_tenant's single result may be).
  void record_tenants(const std::string& run_id, const std::vector<tenant_result>& results, const std::string& worker) {
    const auto groups = groups_of(results);
    auto write_all = [&] { write_groups(run_id, groups, worker); };
    // Several statements commit once (a batch's durations differ, so it is
    // a few statements; each commit is a disk flush).
    if (groups.size() > 1 || (writes_ == batch_write::update_in_list && results.size() > ids_per_update))
      detail::run_in_transaction(connection_, write_all);
    else
      write_all();
  }

  // Marks the run finished with `outcome`, unless it already is.
  void finish_run(const std::string& run_id, const std::string& outcome) {
    connection_.query("UPDATE " + runs() + " SET finished_at = $1, outcome = $2 WHERE run_id = $3 AND finished_at IS NULL",
                      {detail::iso8601_now(), outcome, run_id});
  }

  // The run's last results (record_tenants) and its end (finish_run), in one
  // transaction: one commit, not two.
  void finish_run(const std::string& run_id, const std::string& outcome, const std::vector<tenant_result>& last_results,
                  const std::string& worker) {
    if (last_results.empty()) return finish_run(run_id, outcome);
    const auto groups = groups_of(last_results);
    detail::run_in_transaction(connection_, [&] {
      write_groups(run_id, groups, worker);
      finish_run(run_id, outcome);
    });
  }

  // Every run, oldest first, with its tenants counted.
  std::vector<run_record> list_runs() { return select_runs("", {}); }

  std::optional<run_record> find_run(const std::string& id) {
    auto found = select_runs(" WHERE run_id = $1", {id});
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }

  // The run started last (ties: the greatest id).
  std::optional<run_record> last_run() {
    auto all = list_runs();
    if (all.empty()) return std::nullopt;
    return std::move(all.back());
  }

  // The run's tenants in its order.
  std::vector<run_tenant_record> tenants_of(const std::string& run_id) {
    auto found = connection_.query(
        "SELECT tenant_id, position, state, outcome, applied, error, duration_ms, worker, finished_at FROM " +
            run_tenants() + " WHERE run_id = $1 ORDER BY position",
        {run_id});
    std::vector<run_tenant_record> out;
    for (auto& r : found) {
      run_tenant_record t;
      t.tenant_id = r.at(0).value_or("");
      t.position = std::stoull(r.at(1).value_or("0"));
      t.state = r.at(2).value_or("");
      t.outcome = r.at(3).value_or("");
      t.applied = std::stoull(r.at(4).value_or("0"));
      t.error = r.at(5).value_or("");
      t.duration_ms = std::stoll(r.at(6).value_or("0"));
      t.worker = r.at(7).value_or("");
      t.finished_at = r.at(8).value_or("");
      out.push_back(std::move(t));
    }
    return out;
  }

  // How many of the run's tenants are not done yet.
  std::size_t open_tenants(const std::string& run_id) {
    auto r = connection_.query("SELECT count(*) FROM " + run_tenants() + " WHERE run_id = $1 AND state <> 'done'", {run_id});
    return std::stoull(r.at(0).at(0).value_or("0"));
  }

  std::string runs() const { return connection_.quote_identifier(runs_table_name); }
  std::string run_tenants() const { return connection_.quote_identifier(run_tenants_table_name); }

 private:
  using result_values = std::tuple<std::string, std::size_t, std::string, long long>;  // outcome, applied, error, ms
  using result_groups = std::map<result_values, std::vector<const tenant_result*>>;

  static result_groups groups_of(const std::vector<tenant_result>& results) {
    result_groups groups;
    for (const auto& r : results)
      groups[{std::string(to_string(r.outcome)), r.applied, r.error, static_cast<long long>(r.duration.count())}]
          .push_back(&r);
    return groups;
  }

  // update_in_list: tenants per UPDATE, a parameter each (SQLite before 3.32
  // allows 999 parameters a statement).
  static constexpr std::size_t ids_per_update = 500;

  // A statement per group (update_in_list: per 500 of a group's tenants),
  // every row with the same finished_at.
  void write_groups(const std::string& run_id, const result_groups& groups, const std::string& worker) {
    const std::string finished_at = detail::iso8601_now();
    for (const auto& [values, group] : groups) {
      if (writes_ == batch_write::insert_on_conflict || group.size() <= ids_per_update) {
        write_group(run_id, values, group, worker, finished_at);
        continue;
      }
      for (std::size_t first = 0; first < group.size(); first += ids_per_update) {
        const auto from = group.begin() + static_cast<std::ptrdiff_t>(first);
        write_group(run_id, values,
                    std::vector<const tenant_result*>(
                        from, from + static_cast<std::ptrdiff_t>(std::min(ids_per_update, group.size() - first))),
                    worker, finished_at);
      }
    }
  }

  // One statement: the tenants of `group` done with `values` (outcome, applied, error, duration).
  void write_group(const std::string& run_id,
                   const result_values& values,
                   const std::vector<const tenant_result*>& group, const std::string& worker,
                   const std::string& finished_at) {
    std::vector<std::string> params{std::get<0>(values), std::to_string(std::get<1>(values)), std::get<2>(values),
                                    std::to_string(std::get<3>(values)), worker, finished_at, run_id};
    auto next = [&](const std::string& value) {
      params.push_back(value);
      return "$" + std::to_string(params.size());
    };
    std::string sql;
    if (writes_ == batch_write::insert_on_conflict) {
      // The ids as one array parameter, as start_run sends them (500 rows
      // of VALUES took PostgreSQL 11 ms to parse with ten values each).
      // Position 0 only if the row were missing, which start_run rules out.
      std::vector<std::string> ids;
      ids.reserve(group.size());
      for (const auto* r : group) ids.push_back(r->tenant_id);
      sql = "INSERT INTO " + run_tenants() +
            " (run_id, tenant_id, position, state, outcome, applied, error, duration_ms, worker, finished_at)"
            " SELECT $7, id, 0, 'done', $1, CAST($2 AS INTEGER), $3, CAST($4 AS BIGINT), $5, $6 FROM unnest(CAST(" +
            next(detail::text_array_literal(ids.begin(), ids.end())) +
            " AS TEXT[])) AS done (id) ON CONFLICT (run_id, tenant_id) DO UPDATE SET state = excluded.state,"
             " outcome = excluded.outcome, applied = excluded.applied, error = excluded.error,"
             " duration_ms = excluded.duration_ms, worker = excluded.worker, finished_at = excluded.finished_at";
    } else {
      sql = "UPDATE " + run_tenants() +
            " SET state = 'done', outcome = $1, applied = $2, error = $3, duration_ms = $4, worker = $5,"
            " finished_at = $6 WHERE run_id = $7 AND tenant_id IN (";
      for (std::size_t i = 0; i < group.size(); ++i) sql += (i == 0 ? "" : ", ") + next(group[i]->tenant_id);
      sql += ")";
    }
    connection_.query(sql, params);
  }

  // CREATE TABLE IF NOT EXISTS, for runs that start at the same moment: on
  // PostgreSQL the second of two concurrent creations fails on the catalog's
  // unique index once the first commits. The table is there all the same, so
  // that error counts only when the table still cannot be read.
  void create_table(const std::string& table, const std::string& columns) {
    try {
      connection_.execute_script("CREATE TABLE IF NOT EXISTS " + table + columns);
    } catch (const database_error&) {
      connection_.query("SELECT 1 FROM " + table + " WHERE 1 = 0", {});  // throws when it is missing
    }
  }

  std::vector<run_record> select_runs(const std::string& where, const std::vector<std::string>& params) {
    auto found = connection_.query("SELECT run_id, kind, started_at, finished_at, host, pid, set_digest, options, outcome FROM " +
                                       runs() + where + " ORDER BY started_at, run_id",
                                   params);
    std::vector<run_record> out;
    std::map<std::string, std::size_t> index;
    for (auto& r : found) {
      run_record run;
      run.id = r.at(0).value_or("");
      run.kind = r.at(1).value_or("");
      run.started_at = r.at(2).value_or("");
      run.finished_at = r.at(3).value_or("");
      run.host = r.at(4).value_or("");
      run.pid = r.at(5).value_or("");
      run.set_digest = r.at(6).value_or("");
      run.options = r.at(7).value_or("");
      run.outcome = r.at(8).value_or("");
      index[run.id] = out.size();
      out.push_back(std::move(run));
    }
    if (out.empty()) return out;
    auto counts = connection_.query("SELECT run_id, state, outcome, count(*) FROM " + run_tenants() +
                                        (where.empty() ? std::string() : where) + " GROUP BY run_id, state, outcome",
                                    params);
    for (auto& c : counts) {
      auto it = index.find(c.at(0).value_or(""));
      if (it == index.end()) continue;
      auto& run = out[it->second];
      std::size_t n = std::stoull(c.at(3).value_or("0"));
      run.tenants += n;
      auto outcome = c.at(2).value_or("");
      if (c.at(1).value_or("") != "done") run.not_processed += n;
      else if (outcome == "migrated") run.migrated += n;
      else if (outcome == "up_to_date") run.up_to_date += n;
      else if (outcome == "skipped") run.skipped += n;
      else if (outcome == "interrupted") run.interrupted += n;
      else run.failed += n;
    }
    return out;
  }

  C connection_;
  batch_write writes_;
};

}  // namespace tenant_migrator
