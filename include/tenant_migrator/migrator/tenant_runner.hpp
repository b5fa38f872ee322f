// One tenant: migrate it, plan it, read its state, or repair its checksums.
// Each opens the tenant through tenant_access.hpp; migrating applies each
// planned step through step_runner.hpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <exception>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "../concepts/capabilities.hpp"
#include "../concepts/isolation_strategy.hpp"
#include "../errors.hpp"
#include "../history_store.hpp"
#include "../migrations/placeholders.hpp"
#include "../model/migration.hpp"
#include "../model/plan.hpp"
#include "../model/results.hpp"
#include "../model/tenant.hpp"
#include "../planner.hpp"
#include "../reporting/events.hpp"
#include "options.hpp"
#include "step_runner.hpp"
#include "tenant_access.hpp"

namespace tenant_migrator::detail {

template <class Isolation, class Connections, class Reporter>
class tenant_runner {
  using adapter_type = typename Connections::adapter_type;

 public:
  tenant_runner(Connections& connections, Reporter& reporter, const migrator_options& options)
      : connections_(connections), reporter_(reporter), options_(options) {}

  // Checks `t`'s history against the set, then applies each planned step.
  // Never throws for the tenant's own problems: they are in the result (and reported).
  tenant_result migrate(const tenant& t, const migration_set& set, const migration_target& target, std::size_t index,
                        std::size_t total) {
    auto started = std::chrono::steady_clock::now();
    tenant_result result;
    result.tenant_id = t.id;
    reporter_.on(tenant_started{t, index, total});
    try {
      open(t, [&](auto& connection, const tenant_scope& scope) {
        with_tenant_lock<adapter_type>(connection, scope.lock_key, options_.lock_wait, [&](bool locked) {
          auto apply = [&] { apply_plan(connection, scope, t, set, target, result, locked); };
          if (options_.atomic)
            in_one_transaction(connection, result, apply);
          else
            apply();
        });
      });
      result.outcome = result.applied > 0 ? tenant_outcome::migrated : tenant_outcome::up_to_date;
    } catch (const tenant_lock_busy&) {
      result.outcome = tenant_outcome::skipped;
      result.error = "locked by another run";
    } catch (const interrupted_error& e) {
      result.outcome = tenant_outcome::interrupted;
      result.error = e.what();
    } catch (const std::exception& e) {
      result.outcome = tenant_outcome::failed;
      if (result.error.empty()) result.error = e.what();
    }
    result.duration = elapsed_since(started);
    reporter_.on(tenant_finished{t, result, index, total});
    return result;
  }

  // A tenant whose history, read in a batch, shows nothing to do: reported
  // like any up-to-date tenant, without connecting to it.
  tenant_result report_up_to_date(const tenant& t, std::size_t index, std::size_t total) {
    tenant_result result;
    result.tenant_id = t.id;
    result.outcome = tenant_outcome::up_to_date;
    reporter_.on(tenant_started{t, index, total});
    reporter_.on(tenant_finished{t, result, index, total});
    return result;
  }

  tenant_plan plan(const tenant& t, const migration_set& set, const migration_target& target) {
    tenant_plan plan{t.id, {}, {}};
    try {
      open(t, [&](auto& connection, const tenant_scope& scope) {
        plan.steps = plan_from(set, read_history_if_any<adapter_type>(connection, scope.history_table), target);
      });
    } catch (const std::exception& e) {
      plan.error = e.what();
    }
    return plan;
  }

  // The plan for a tenant whose history is known (read in a batch, or just
  // now); with migrator_options::baseline and no history yet, a baseline plan.
  std::vector<plan_step> plan_from(const migration_set& set, const std::vector<applied_migration>& history,
                                   const migration_target& target) const {
    if (auto problem = verify_history(set, history); !problem.empty()) throw error(problem);
    auto plan = options_.baseline && history.empty()
                    ? make_baseline_plan(set, *options_.baseline, target, !options_.fake)
                    : make_plan(set, history, target, !options_.fake);
    if (options_.atomic) check_atomic(plan);
    return plan;
  }

  tenant_state inspect(const tenant& t, const migration_set& set) {
    tenant_state state{t.id, {}, {}};
    try {
      open(t, [&](auto& connection, const tenant_scope& scope) {
        state = state_from(t, set, read_history_if_any<adapter_type>(connection, scope.history_table));
      });
    } catch (const std::exception& e) {
      state.error = e.what();
    }
    return state;
  }

  // Applied and pending migrations of `t`, from its history.
  static tenant_state state_from(const tenant& t, const migration_set& set,
                                 const std::vector<applied_migration>& history) {
    tenant_state state{t.id, {}, {}};
    std::map<migration_key, const applied_migration*> recorded;
    for (const auto& a : history) recorded[a.key] = &a;
    for (const auto& m : set.ordered()) {
      migration_state ms;
      ms.key = m.key();
      ms.source_file = m.file();
      if (auto it = recorded.find(m.key()); it != recorded.end()) {
        ms.applied = true;
        ms.applied_at = it->second->applied_at;
        // A changed repeatable migration is due again, not a changed file.
        ms.due_again = m.repeatable && it->second->checksum != m.checksum;
        ms.checksum_ok = m.repeatable || it->second->checksum == m.checksum;
      }
      state.migrations.push_back(std::move(ms));
    }
    for (const auto& a : history)
      if (!set.find(a.key)) state.migrations.push_back({a.key, true, a.applied_at, false, true, false, {}});
    return state;
  }

  // Throws error on failure, also when another run holds the tenant's lock.
  std::vector<migration_key> repair(const tenant& t, const migration_set& set) {
    std::vector<migration_key> repaired;
    try {
      repair_locked(t, set, repaired);
    } catch (const tenant_lock_busy&) {
      throw error(fmt::format("tenant '{}' is locked by another run", t.id));
    }
    return repaired;
  }

 private:
  // The tenant's history read, its plan made, then each step applied. A
  // tenant without a history table gets one: where DDL is transactional, in
  // the first step's transaction (a new tenant's first commit also creates
  // it), else before its plan is made.
  template <class Connection>
  void apply_plan(Connection& connection, const tenant_scope& scope, const tenant& t, const migration_set& set,
                  const migration_target& target, tenant_result& result, bool locked) {
    bool history_table_missing = false;
    if (claims<adapter_type, capability::transactional_ddl> && !options_.atomic)
      history_table_missing = !history_table_exists<adapter_type>(connection, scope.history_table);
    else
      ensure_history_table<adapter_type>(connection, scope.history_table);  // atomic: in its one transaction; or now
    auto plan = plan_from(
        set, history_table_missing ? std::vector<applied_migration>{} : read_history(connection, scope.history_table),
        target);
    if (history_table_missing && plan.empty()) {  // nothing to commit it with
      ensure_history_table<adapter_type>(connection, scope.history_table);
      history_table_missing = false;
    }
    if (!options_.fake) check_placeholder_values(plan, t, connection);  // before any step runs
    step_runner<adapter_type, Reporter> steps(reporter_, options_, options_.atomic);
    // Baseline steps are recorded as --fake ones are: reported as migration_applied with fake set.
    migrator_options record_only = options_;
    record_only.fake = true;
    step_runner<adapter_type, Reporter> baseline_steps(reporter_, record_only, options_.atomic);
    steps.create_history_table_first(&history_table_missing);
    baseline_steps.create_history_table_first(&history_table_missing);
    for (const auto& step : plan) {
      if (stop_requested(options_)) throw interrupted_error("stopped before " + step.what->file());
      (step.baseline ? baseline_steps : steps).apply(connection, scope.history_table, t, step, result, locked);
    }
  }

  // migrator_options::atomic: f() (the whole tenant, history table included)
  // in one transaction. On failure everything is rolled back, so nothing
  // counts as applied, and the error says so.
  template <class Connection, class F>
  static void in_one_transaction(Connection& connection, tenant_result& result, F&& f) {
    try {
      run_in_transaction(connection, std::forward<F>(f));
    } catch (...) {
      if (result.applied > 0 && !result.error.empty())
        result.error += fmt::format(" (atomic: the {} migration(s) applied before it were rolled back too)",
                                    result.applied);
      result.applied = 0;
      throw;
    }
  }

  // Where migrator_options::atomic cannot hold, refused before anything runs.
  static void check_atomic(const std::vector<plan_step>& plan) {
    if constexpr (!claims<adapter_type, capability::transactional_ddl>) {
      if (!plan.empty())
        throw error("atomic: this database's DDL is not transactional, so one transaction cannot undo a failed "
                    "migration's DDL");
    }
    for (const auto& step : plan) {
      const migration& m = *step.what;
      if (step.baseline || m.transactional) continue;
      throw error(fmt::format("atomic: {} is `-- transaction: off`, so it cannot run inside the tenant's one "
                              "transaction",
                              step.way == direction::forwards ? m.file() : m.down_file()));
    }
  }

  void repair_locked(const tenant& t, const migration_set& set, std::vector<migration_key>& repaired) {
    open(t, [&](auto& connection, const tenant_scope& scope) {
      with_tenant_lock<adapter_type>(connection, scope.lock_key, options_.lock_wait, [&](bool locked) {
        std::vector<std::pair<migration_key, std::string>> changed;  // key, the file's checksum
        auto find_changed = [&] {
          for (const auto& a : read_history_if_any<adapter_type>(connection, scope.history_table)) {
            const migration* m = set.find(a.key);
            if (m && m->checksum != a.checksum) changed.emplace_back(a.key, m->checksum);
          }
        };
        auto accept = [&] {
          for (const auto& [key, checksum] : changed) update_checksum(connection, scope.history_table, key, checksum);
        };
        if (locked) {
          // The lock keeps other runs out, so the history is read before the
          // transaction: on PostgreSQL the probe for a missing history table
          // is a failed statement, which would abort it.
          find_changed();
          if (changed.empty()) return;
          run_in_transaction(connection, accept);
        } else {
          // No lock (SQLite): the transaction is what keeps other runs out.
          run_in_transaction(connection, [&] {
            find_changed();
            accept();
          });
        }
        for (const auto& [key, checksum] : changed) repaired.push_back(key);
      });
    });
  }

  template <class F>
  void open(const tenant& t, F&& f) {
    with_tenant<Isolation>(connections_, t, options_.master_location, std::forward<F>(f));
  }

  Connections& connections_;
  Reporter& reporter_;
  const migrator_options& options_;
};

}  // namespace tenant_migrator::detail
