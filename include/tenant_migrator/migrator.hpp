// TenantMigrator: brings tenants up to date with a migration set, one tenant
// at a time, each migration in its own transaction with its history row.
//
//   TenantMigrator<IsolationStrategy, ConnectionPolicy, Reporter>
//
// The ConnectionPolicy names the DatabaseAdapter (FreshConnectionPerTenant<SqliteAdapter>).
// A failing tenant never stops the run; the summary and exit status say what happened.
#pragma once

#include <algorithm>
#include <atomic>
#include <map>
#include <chrono>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "concepts/catalog.hpp"
#include "concepts/connection_policy.hpp"
#include "concepts/database_adapter.hpp"
#include "concepts/isolation_strategy.hpp"
#include "concepts/reporter.hpp"
#include "detail/clock.hpp"
#include "errors.hpp"
#include "history.hpp"
#include "interrupt.hpp"
#include "migration.hpp"
#include "plan.hpp"
#include "policies/connection.hpp"
#include "policies/isolation.hpp"
#include "reporting/console_reporter.hpp"
#include "reporting/events.hpp"
#include "tenant.hpp"

namespace tenant_migrator {

struct migrator_options {
  // The master's location: database-per-tenant locations are resolved against it
  // (SQLite: relative paths are relative to the master file's folder).
  std::string master_location;
  // When it becomes non-zero (a signal handler stores SIGINT/SIGTERM), the
  // migration in flight is rolled back and no further tenant is started.
  const std::atomic<int>* stop_signal = nullptr;
  // How long to wait for a tenant locked by another run before skipping it
  // (adapters with a per-tenant lock only).
  std::chrono::milliseconds lock_wait{5000};
  // Per-migration limits, for adapters that support them (PostgreSQL's
  // SET LOCAL lock_timeout / statement_timeout). Zero: no limit.
  std::chrono::milliseconds lock_timeout{0};
  std::chrono::milliseconds statement_timeout{0};
  // Record (or remove) history rows without running any SQL (--fake).
  bool fake = false;
};

// One migration as a tenant's history sees it (showmigrations).
struct migration_state {
  migration_key key;
  bool applied = false;
  std::string applied_at;    // empty when not applied
  bool in_set = true;        // false: recorded, but the set no longer has it
  bool checksum_ok = true;   // false: the file changed after it was applied
  std::string file() const { return key.str() + ".sql"; }
};

struct tenant_state {
  std::string tenant_id;
  std::vector<migration_state> migrations;  // set order, then recorded ones missing from the set
  std::string error;                        // the tenant could not be read

  std::size_t pending() const noexcept {
    std::size_t n = 0;
    for (const auto& m : migrations) n += m.in_set && !m.applied;
    return n;
  }
};

// What a run would do to one tenant (--plan).
struct tenant_plan {
  std::string tenant_id;
  std::vector<plan_step> steps;
  std::string error;  // the tenant cannot be planned: its history, its lock, a refused step
};

// Which tenants a run covers: all active ones, or only some.
struct tenant_selection {
  std::vector<std::string> only;     // empty: every active tenant
  std::vector<std::string> exclude;
};

namespace detail {
struct interrupted_error : error {
  using error::error;
};
struct tenant_lock_busy {};
inline std::string signal_name(int sig) {
  return sig == 2 ? "SIGINT" : sig == 15 ? "SIGTERM" : "signal " + std::to_string(sig);
}

// Checks TenantMigrator's three policies in an order where each check can rely
// on the previous ones, so that the first message names what is missing.
template <class Isolation, class Connections, class R>
constexpr bool check_migrator_policies() {
  check_connection_policy<Connections>();
  if constexpr (ConnectionPolicy<Connections>) check_isolation_strategy<Isolation, typename Connections::adapter_type>();
  check_reporter<R>();
  return true;
}

}  // namespace detail

template <class IsolationStrategy, class ConnectionPolicy, class R = ConsoleReporter>
class TenantMigrator {
  // Before any member uses a policy, so that a missing member is reported by name.
  static_assert(detail::check_migrator_policies<IsolationStrategy, ConnectionPolicy, R>());

 public:
  using adapter_type = typename ConnectionPolicy::adapter_type;
  using isolation_strategy = IsolationStrategy;
  using connection_policy = ConnectionPolicy;
  using reporter_type = R;

  explicit TenantMigrator(ConnectionPolicy connections = ConnectionPolicy{}, R reporter = R{},
                          migrator_options options = {})
      : connections_(std::move(connections)), reporter_(std::move(reporter)), options_(std::move(options)) {}

  R& reporter() noexcept { return reporter_; }
  ConnectionPolicy& connections() noexcept { return connections_; }
  const migrator_options& options() const noexcept { return options_; }

  // The tenants a run over `catalog` covers, by id. Throws usage_error for an
  // id in selection.only that the catalog does not have.
  // Catalog functions take any C and check it inside, so that the message
  // names the missing member instead of listing unviable candidates.
  template <class C>
  static std::vector<tenant> select_tenants(C& catalog, const tenant_selection& selection = {}) {
    static_assert(check_catalog<C>());
    auto all = catalog.list_tenants();
    std::sort(all.begin(), all.end(), [](const tenant& a, const tenant& b) { return a.id < b.id; });
    for (const auto& id : selection.only) {
      auto it = std::find_if(all.begin(), all.end(), [&](const tenant& t) { return t.id == id; });
      if (it == all.end()) throw usage_error("Tenant '" + id + "' does not exist");
      if (it->status == tenant_status::disabled)
        throw usage_error("Tenant '" + id + "' is disabled: set its status to 'active' to migrate it");
    }
    std::vector<tenant> out;
    for (auto& t : all) {
      if (t.status == tenant_status::disabled) continue;
      if (!selection.only.empty() &&
          std::find(selection.only.begin(), selection.only.end(), t.id) == selection.only.end())
        continue;
      if (std::find(selection.exclude.begin(), selection.exclude.end(), t.id) != selection.exclude.end()) continue;
      out.push_back(std::move(t));
    }
    return out;
  }

  // Migrates every selected active (or incomplete) tenant of `catalog`. An
  // incomplete tenant that succeeds is marked active, if the catalog is writable.
  template <class C>
  run_summary migrate_all(C& catalog, const migration_set& set, const tenant_selection& selection = {},
                          const migration_target& target = {}) {
    static_assert(check_catalog<C>());
    auto tenants = select_tenants(catalog, selection);
    auto summary = run(tenants, set, target);
    mark_complete(catalog, tenants, summary);
    return summary;
  }

  // After a run: tenants created incomplete that now succeeded become active.
  template <class C>
  static void mark_complete(C& catalog, const std::vector<tenant>& tenants, const run_summary& summary) {
    static_assert(check_catalog<C>());
    if constexpr (WritableCatalog<C>) {
      for (const auto& r : summary.tenants) {
        if (!r.succeeded()) continue;
        for (const auto& t : tenants)
          if (t.id == r.tenant_id && t.status == tenant_status::incomplete) catalog.set_status(t.id, tenant_status::active);
      }
    }
  }

  // What migrating `t` to `target` would do, without changing anything.
  tenant_plan plan_tenant(const tenant& t, const migration_set& set, const migration_target& target = {}) {
    tenant_plan plan{t.id, {}, {}};
    try {
      with_tenant(t, [&](auto& connection, const tenant_scope& scope) {
        auto history = read_history_if_any(connection, scope.history_table);
        if (auto problem = verify_history(set, history); !problem.empty()) throw error(problem);
        plan.steps = make_plan(set, history, target, !options_.fake);
      });
    } catch (const std::exception& e) {
      plan.error = e.what();
    }
    return plan;
  }

  // Applied and pending migrations of `t`, read-only (showmigrations).
  tenant_state inspect_tenant(const tenant& t, const migration_set& set) {
    tenant_state state{t.id, {}, {}};
    try {
      with_tenant(t, [&](auto& connection, const tenant_scope& scope) {
        auto history = read_history_if_any(connection, scope.history_table);
        std::map<migration_key, const applied_migration*> recorded;
        for (const auto& a : history) recorded[a.key] = &a;
        for (const auto& m : set.ordered()) {
          migration_state ms;
          ms.key = m.key();
          if (auto it = recorded.find(m.key()); it != recorded.end()) {
            ms.applied = true;
            ms.applied_at = it->second->applied_at;
            ms.checksum_ok = it->second->checksum == m.checksum;
          }
          state.migrations.push_back(std::move(ms));
        }
        for (const auto& a : history)
          if (!set.find(a.key)) state.migrations.push_back({a.key, true, a.applied_at, false, true});
      });
    } catch (const std::exception& e) {
      state.error = e.what();
    }
    return state;
  }

  // Accepts the current files' checksums for `t`'s applied migrations, after
  // an operator has checked that the changes are harmless (--repair). Returns
  // the migrations whose recorded checksum changed. Throws on failure.
  std::vector<migration_key> repair_tenant(const tenant& t, const migration_set& set) {
    std::vector<migration_key> repaired;
    with_tenant(t, [&](auto& connection, const tenant_scope& scope) {
      with_tenant_lock(connection, scope, [&](bool) {
        connection.begin();
        try {
          for (const auto& a : read_history_if_any(connection, scope.history_table)) {
            const migration* m = set.find(a.key);
            if (!m || m->checksum == a.checksum) continue;
            connection.query("UPDATE " + scope.history_table + " SET checksum = $1 WHERE app = $2 AND name = $3",
                             {m->checksum, a.key.app, a.key.name});
            repaired.push_back(a.key);
          }
          connection.commit();
        } catch (...) {
          connection.rollback();
          throw;
        }
      });
    });
    return repaired;
  }

  // Migrates `tenants` in the given order, reporting a whole run.
  run_summary run(const std::vector<tenant>& tenants, const migration_set& set, const migration_target& target = {}) {
    auto started = std::chrono::steady_clock::now();
    run_summary summary;
    reporter_.on(run_started{tenants.size(), set.size()});
    auto known = prefetch_schema_histories(tenants);
    for (std::size_t i = 0; i < tenants.size(); ++i) {
      if (stop_requested()) {
        summary.not_processed = tenants.size() - i;
        break;
      }
      auto it = known.find(tenants[i].id);
      if (it != known.end() && is_up_to_date(set, it->second, target))
        summary.tenants.push_back(report_up_to_date(tenants[i], i, tenants.size()));
      else
        summary.tenants.push_back(migrate_tenant(tenants[i], set, target, i, tenants.size()));
    }
    summary.signal = stop_requested();
    summary.duration = elapsed_since(started);
    reporter_.on(run_finished{summary});
    return summary;
  }

  // Migrates one tenant: checks its history against the set, then applies
  // each planned migration in its own transaction. Never throws for a
  // tenant's own problems: they are in the result (and reported).
  tenant_result migrate_tenant(const tenant& t, const migration_set& set, const migration_target& target = {},
                               std::size_t index = 0, std::size_t total = 1) {
    auto started = std::chrono::steady_clock::now();
    tenant_result result;
    result.tenant_id = t.id;
    reporter_.on(tenant_started{t, index, total});
    try {
      with_tenant(t, [&](auto& connection, const tenant_scope& scope) {
        with_tenant_lock(connection, scope, [&](bool locked) {
          ensure_history_table(connection, scope.history_table);
          auto history = read_history(connection, scope.history_table);
          if (auto problem = verify_history(set, history); !problem.empty()) throw error(problem);
          for (const auto& step : make_plan(set, history, target, !options_.fake)) {
            if (stop_requested()) throw detail::interrupted_error("stopped before " + step.what->file());
            apply_step(connection, scope, t, step, result, locked);
          }
        });
      });
      result.outcome = result.applied > 0 ? tenant_outcome::migrated : tenant_outcome::up_to_date;
    } catch (const detail::tenant_lock_busy&) {
      result.outcome = tenant_outcome::skipped;
      result.error = "locked by another run";
    } catch (const detail::interrupted_error& e) {
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

 private:
  int stop_requested() const noexcept { return options_.stop_signal ? options_.stop_signal->load() : 0; }

  static std::chrono::milliseconds elapsed_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  }

  // The fast path: the histories of schema tenants that share a server, read
  // with one connection and two queries per server. Tenants found up to date
  // are reported without connecting to them; any other tenant takes the
  // normal path (lock, re-read, apply). Best effort: if reading fails, every
  // tenant takes the normal path, which reports the real problem.
  std::map<std::string, std::vector<applied_migration>> prefetch_schema_histories(const std::vector<tenant>& tenants) {
    std::map<std::string, std::vector<applied_migration>> by_tenant;
    if constexpr (SchemaCapableAdapter<adapter_type> && !std::is_same_v<IsolationStrategy, DatabasePerTenant>) {
      std::map<std::string, std::vector<const tenant*>> by_server;
      for (const auto& t : tenants) {
        if (t.isolation != isolation_kind::schema || !validate_tenant_id(t.id).empty()) continue;
        try {
          by_server[IsolationStrategy::connection_target(connections_.adapter(), t, options_.master_location)]
              .push_back(&t);
        } catch (const std::exception&) {
          // Reported by the normal path.
        }
      }
      for (auto& entry : by_server) {
        const std::string& server = entry.first;
        const std::vector<const tenant*>& group = entry.second;  // a plain name: lambdas may capture it
        if (group.size() < 2) continue;
        try {
          connections_.with_connection(server, [&](auto& connection) {
            std::vector<std::string> schemas;
            for (const auto* t : group) schemas.push_back(t->location);
            auto histories = read_schema_histories(connection, schemas);
            for (const auto* t : group)
              if (auto it = histories.find(t->location); it != histories.end()) by_tenant[t->id] = std::move(it->second);
          });
        } catch (const std::exception&) {
          // Best effort, see above.
        }
      }
    }
    return by_tenant;
  }

  static bool is_up_to_date(const migration_set& set, const std::vector<applied_migration>& history,
                            const migration_target& target) {
    try {
      return verify_history(set, history).empty() && make_plan(set, history, target).empty();
    } catch (const std::exception&) {
      return false;
    }
  }

  tenant_result report_up_to_date(const tenant& t, std::size_t index, std::size_t total) {
    tenant_result result;
    result.tenant_id = t.id;
    result.outcome = tenant_outcome::up_to_date;
    reporter_.on(tenant_started{t, index, total});
    reporter_.on(tenant_finished{t, result, index, total});
    return result;
  }

  // Connects to `t`'s database or schema and calls f(connection, scope).
  template <class F>
  void with_tenant(const tenant& t, F&& f) {
    if (auto why = validate_tenant_id(t.id); !why.empty()) throw error(why);
    auto target_location = IsolationStrategy::connection_target(connections_.adapter(), t, options_.master_location);
    connections_.with_connection(target_location, [&](auto& connection) {
      auto scope = IsolationStrategy::enter(connection, t);
      f(connection, scope);
    });
  }

  // The history, or nothing when the tenant has no history table yet (read-only paths).
  template <class Connection>
  static std::vector<applied_migration> read_history_if_any(Connection& connection, const std::string& table) {
    try {
      connection.query("SELECT 1 FROM " + table + " WHERE 1 = 0", {});
    } catch (const database_error&) {
      return {};
    }
    return read_history(connection, table);
  }

  // Holds the adapter's per-tenant lock (if it has one) around `body`, which
  // learns whether it holds one: body(bool locked).
  template <class Connection, class Body>
  void with_tenant_lock(Connection& connection, const tenant_scope& scope, Body&& body) {
    if constexpr (requires { connection.try_lock_tenant(scope.lock_key, options_.lock_wait); }) {
      if (!connection.try_lock_tenant(scope.lock_key, options_.lock_wait)) throw detail::tenant_lock_busy{};
      struct unlock_at_exit {
        Connection& c;
        const std::string& key;
        ~unlock_at_exit() {
          try {
            c.unlock_tenant(key);
          } catch (...) {
            // The lock is session-scoped: closing the connection frees it.
          }
        }
      } unlock{connection, scope.lock_key};
      body(true);
    } else {
      body(false);
    }
  }

  // Runs one step in a transaction with its history change; on any failure
  // the transaction is rolled back, the failure reported, and rethrown.
  template <class Connection>
  // `locked`: this run holds the tenant's lock, so no concurrent run can have
  // done the step since the history was read, and the re-check is skipped.
  void apply_step(Connection& connection, const tenant_scope& scope, const tenant& t, const plan_step& step,
                  tenant_result& result, bool locked) {
    const migration& m = *step.what;
    const bool forwards = step.way == direction::forwards;
    reporter_.on(migration_started{t, m, step.way});
    auto started = std::chrono::steady_clock::now();
    // The SQL, then the history change, as one unit.
    auto run_and_record = [&] {
      if (!options_.fake) {
        if constexpr (requires { connection.interrupter(); }) {
          detail::armed_interrupt armed(connection.interrupter());
          connection.execute_script(forwards ? m.sql : *m.down_sql);
        } else {
          connection.execute_script(forwards ? m.sql : *m.down_sql);
        }
      }
      if (forwards)
        record_applied(connection, scope.history_table, m, detail::iso8601_now(), elapsed_since(started).count());
      else
        remove_record(connection, scope.history_table, m.key());
    };
    bool by_other_run = false;
    try {
      if (m.transactional || options_.fake) {
        connection.begin();
        try {
          if constexpr (requires { connection.set_local_timeouts(options_.lock_timeout, options_.statement_timeout); })
            connection.set_local_timeouts(options_.lock_timeout, options_.statement_timeout);
          // Re-checked under the transaction's lock: a concurrent run may have
          // done this step since the history was read.
          if (!locked && is_recorded(connection, scope.history_table, m.key()) == forwards) {
            by_other_run = true;
          } else {
            run_and_record();
            if (int sig = stop_requested())
              throw detail::interrupted_error(m.file() + " was rolled back (" + detail::signal_name(sig) + ")");
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
        run_and_record();
      }
    } catch (const std::exception& e) {
      if (int sig = stop_requested(); sig && !dynamic_cast<const detail::interrupted_error*>(&e)) {
        // Cancelled by interrupt_running_migration(): rolled back above.
        detail::interrupted_error interrupted(m.file() + " was rolled back (" + detail::signal_name(sig) + ")");
        reporter_.on(migration_failed{t, m, interrupted.what(), step.way});
        throw interrupted;
      }
      reporter_.on(migration_failed{t, m, e.what(), step.way});
      if (dynamic_cast<const detail::interrupted_error*>(&e)) throw;
      result.error = (forwards ? m.file() : m.down_file()) + ": " + e.what();
      throw;
    }
    if (!by_other_run) ++result.applied;
    reporter_.on(migration_applied{t, m, elapsed_since(started), step.way, by_other_run, options_.fake});
  }

  ConnectionPolicy connections_;
  R reporter_;
  migrator_options options_;
};

}  // namespace tenant_migrator
