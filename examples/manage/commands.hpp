// The manage subcommands, written once for any DatabaseAdapter on the
// library's public API. main.cpp parses the command line and picks the adapter.
#pragma once

#include <atomic>
#include <csignal>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/output/tenant_list_json.hpp>
#include <tenant_migrator/reporting/json_reporter.hpp>
#include <tenant_migrator/reporting/progress_reporter.hpp>

namespace manage {

namespace tmig = tenant_migrator;

inline std::atomic<int> stop_signal{0};

// Everything the command line said; each command reads what it needs.
struct options {
  std::string master;
  std::string migrations;
  std::string format;  // per command: text|log|json, table|json|csv, text|json
  bool no_color = false;
  bool no_progress = false;
  // tenant selection and targets
  std::string tenant_id;
  std::vector<std::string> only, exclude;
  std::string app_label, migration_name;
  bool plan = false, fake = false, repair = false, pending = false;
  // timeouts and connections (milliseconds; 0 = none)
  long long lock_wait_ms = 5000, lock_timeout_ms = 0, statement_timeout_ms = 0;
  std::string connection = "fresh";
  // showtenants filters
  std::string isolation_filter, status_filter;
  // createtenant / deletetenant
  std::string name, isolation, location;
  bool no_migrate = false, drop_data = false, yes = false;
  // makemigration
  std::string slug;
};

inline int exit_code(const tmig::run_summary& s) {
  if (s.signal == SIGINT) return static_cast<int>(tmig::exit_status::interrupted);
  if (s.signal == SIGTERM) return static_cast<int>(tmig::exit_status::terminated);
  return s.all_succeeded() ? 0 : 1;
}

inline const std::string& migrations_folder(const options& o) {
  if (o.migrations.empty())
    throw tmig::usage_error("no migrations folder: give --migrations DIR or set TENANT_MIGRATOR_MIGRATIONS");
  return o.migrations;
}

inline tmig::migration_set load_set(const options& o) { return tmig::load_migration_directory(migrations_folder(o)); }

inline tmig::migration_target target_of(const options& o) {
  tmig::migration_target t;
  if (!o.app_label.empty()) t.app = o.app_label;
  if (!o.migration_name.empty()) t.name = o.migration_name;
  return t;
}

// "✓"/"✗" on a terminal, "OK"/"FAILED" elsewhere.
inline std::string mark(const options& o, bool ok) {
  bool fancy = tmig::console_style::detect(stdout, o.no_color).fancy;
  return fancy ? (ok ? "\x1b[32m✓\x1b[0m" : "\x1b[31m✗\x1b[0m") : (ok ? "OK" : "FAILED");
}

// Calls f with the reporter --format asks for.
template <class F>
int with_reporter(const options& o, F&& f) {
  if (o.format == "json") return f(tmig::JsonReporter{});
  if (o.format == "log") return f(tmig::LogReporter{});
  return f(tmig::ConsoleReporter{std::cout, tmig::console_style::detect(stdout, o.no_color)});
}

inline tmig::migrator_options migrator_options_of(const options& o, const std::string& master_location) {
  tmig::migrator_options m;
  m.master_location = master_location;
  m.stop_signal = &stop_signal;
  m.lock_wait = std::chrono::milliseconds(o.lock_wait_ms);
  m.lock_timeout = std::chrono::milliseconds(o.lock_timeout_ms);
  m.statement_timeout = std::chrono::milliseconds(o.statement_timeout_ms);
  m.fake = o.fake;
  return m;
}

inline void print_plan(const tmig::tenant_plan& plan) {
  std::cout << "Planned operations for tenant '" << plan.tenant_id << "':\n";
  if (!plan.error.empty())
    std::cout << "  Cannot plan: " << plan.error << '\n';
  else if (plan.steps.empty())
    std::cout << "  No planned operations.\n";
  for (const auto& step : plan.steps)
    std::cout << (step.way == tmig::direction::forwards ? "  Apply " : "  Unapply ") << step.what->file() << '\n';
}

template <class Adapter>
class commands {
 public:
  using fresh = tmig::FreshConnectionPerTenant<Adapter>;
  template <class Policy, class Reporter>
  using migrator = tmig::TenantMigrator<tmig::PerTenantIsolation, Policy, Reporter>;

  commands(Adapter adapter, std::string master_location, options o)
      : adapter_(std::move(adapter)), master_(std::move(master_location)), o_(std::move(o)) {}

  int migratealltenants() {
    auto set = load_set(o_);
    auto target = target_of(o_);
    tmig::validate_target(set, target);
    auto catalog = open_catalog();
    auto tenants = migrator<fresh, tmig::NullReporter>::select_tenants(catalog, {o_.only, o_.exclude});
    if (o_.plan) {
      int status = 0;
      migrator<fresh, tmig::NullReporter> m(fresh(adapter_), {}, migrator_options_of(o_, master_));
      for (std::size_t i = 0; i < tenants.size(); ++i) {
        auto plan = m.plan_tenant(tenants[i], set, target);
        if (i) std::cout << '\n';
        print_plan(plan);
        if (!plan.error.empty()) status = 1;
      }
      if (tenants.empty()) std::cout << "No tenants to plan.\n";
      return status;
    }
    warn_fake();
    // A live line on stderr while stdout goes to a file or pipe (otherwise
    // the run would look silent on the terminal); never when stderr is not one.
    const bool progress = !o_.no_progress && ::isatty(STDERR_FILENO) == 1 && ::isatty(STDOUT_FILENO) != 1;
    auto go = [&](auto policy) {
      return with_reporter(o_, [&](auto output) {
        auto reporter = tmig::combine_reporters(std::move(output), tmig::ProgressReporter(std::cerr, progress));
        migrator<decltype(policy), decltype(reporter)> m(std::move(policy), std::move(reporter),
                                                          migrator_options_of(o_, master_));
        auto summary = m.run(tenants, set, target);
        m.mark_complete(catalog, tenants, summary);
        return exit_code(summary);
      });
    };
    if (o_.connection == "reuse") return go(tmig::ReuseConnectionPerServer<Adapter>(adapter_));
    return go(fresh(adapter_));
  }

  int migratetenant() {
    auto set = load_set(o_);
    auto target = target_of(o_);
    tmig::validate_target(set, target);
    auto catalog = open_catalog();
    auto t = existing_tenant(catalog);
    if (o_.repair) {
      migrator<fresh, tmig::NullReporter> m(fresh(adapter_), {}, migrator_options_of(o_, master_));
      auto repaired = m.repair_tenant(t, set);
      if (repaired.empty()) std::cout << "Nothing to repair: every recorded checksum matches its file.\n";
      for (const auto& key : repaired)
        std::cout << mark(o_, true) << " Accepted the current checksum of " << key.str() << ".sql\n";
      return 0;
    }
    if (o_.plan) {
      migrator<fresh, tmig::NullReporter> m(fresh(adapter_), {}, migrator_options_of(o_, master_));
      auto plan = m.plan_tenant(t, set, target);
      print_plan(plan);
      return plan.error.empty() ? 0 : 1;
    }
    warn_fake();
    return with_reporter(o_, [&](auto reporter) {
      migrator<fresh, decltype(reporter)> m(fresh(adapter_), std::move(reporter), migrator_options_of(o_, master_));
      tmig::run_summary summary;
      summary.tenants.push_back(m.migrate_tenant(t, set, target));
      summary.signal = stop_signal.load();
      m.mark_complete(catalog, {t}, summary);
      if (!summary.tenants.front().succeeded() && o_.format != "json" && o_.format != "log" &&
          summary.tenants.front().outcome == tmig::tenant_outcome::failed)
        std::cout << "Fix the cause, then rerun: manage migratetenant --tenant-id=" << t.id << '\n';
      return exit_code(summary);
    });
  }

  int showtenants() {
    auto catalog = open_catalog();
    std::vector<tmig::tenant> shown;
    for (auto& t : catalog.list_tenants()) {
      if (!o_.isolation_filter.empty() && tmig::to_string(t.isolation) != o_.isolation_filter) continue;
      if (!o_.status_filter.empty() && tmig::to_string(t.status) != o_.status_filter) continue;
      shown.push_back(std::move(t));
    }
#ifdef TENANT_MIGRATOR_MANAGE_WITH_POSTGRESQL
    const tmig::location_display show = &tmig::PostgresqlAdapter::shown_location;  // masks what libpq reads as secret
#else
    const tmig::location_display show = &tmig::shown_location;
#endif
    if (o_.format == "json")
      std::cout << tmig::tenants_to_json(shown, show).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    else if (o_.format == "csv")
      std::cout << tmig::format_tenant_csv(shown, show);
    else
      std::cout << tmig::format_tenant_table(shown, show);
    return 0;
  }

  int showmigrations() {
    auto set = load_set(o_);
    if (!o_.app_label.empty()) tmig::validate_target(set, target_of(o_));
    auto catalog = open_catalog();
    std::vector<tmig::tenant> tenants;
    if (!o_.tenant_id.empty())
      tenants.push_back(existing_tenant(catalog, /*allow_disabled=*/true));
    else
      tenants = migrator<fresh, tmig::NullReporter>::select_tenants(catalog);
    migrator<fresh, tmig::NullReporter> m(fresh(adapter_), {}, migrator_options_of(o_, master_));
    bool any_pending = false, any_error = false;
    tmig::json all = tmig::json::array();
    for (std::size_t i = 0; i < tenants.size(); ++i) {
      auto state = m.inspect_tenant(tenants[i], set);
      if (!o_.app_label.empty())
        std::erase_if(state.migrations, [&](const tmig::migration_state& ms) { return ms.key.app != o_.app_label; });
      any_pending |= state.pending() > 0;
      any_error |= !state.error.empty();
      if (o_.format == "json") {
        all.push_back(tmig::tenant_state_to_json(state));
      } else if (o_.pending) {
        if (!state.error.empty())
          std::cout << state.tenant_id << ": error: " << state.error << '\n';
        else if (state.pending() == 0)
          std::cout << state.tenant_id << ": up to date\n";
        else
          std::cout << state.tenant_id << ": " << state.pending() << " pending\n";
      } else {
        print_state(state);
      }
    }
    if (o_.format == "json") std::cout << all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    else if (tenants.empty()) std::cout << "No tenants found.\n";
    if (o_.pending) return any_pending || any_error ? 1 : 0;
    return any_error ? 1 : 0;
  }

  int createtenant() {
    if constexpr (!tmig::ProvisioningAdapter<Adapter>) {
      throw tmig::usage_error("this adapter cannot create databases");
    } else {
      tmig::tenant t;
      t.id = ask(o_.tenant_id, "--tenant-id", "Tenant ID (a-z, 0-9, -): ");
      if (auto why = tmig::validate_tenant_id(t.id); !why.empty()) throw tmig::usage_error(why);
      t.name = ask(o_.name, "--name", "Tenant name: ");
      auto iso = ask(o_.isolation, "--isolation", "Isolation (database/schema): ");
      auto parsed = tmig::parse_isolation(iso);
      if (!parsed) throw tmig::usage_error("--isolation must be database or schema, not '" + iso + "'");
      t.isolation = *parsed;
      t.location = o_.location;
      t.status = o_.no_migrate ? tmig::tenant_status::active : tmig::tenant_status::incomplete;
      std::optional<tmig::migration_set> set;
      if (!o_.no_migrate) set = load_set(o_);  // a bad set stops us before anything is created
      auto catalog = open_catalog(/*create=*/true);
      tmig::check_new_tenant<Adapter>(catalog, t);
      try {
        tmig::provision_tenant(adapter_, catalog, catalog.connection(), t, master_,
                               [&](const std::string& line) { std::cout << mark(o_, true) << ' ' << line << '\n'; });
      } catch (const tmig::usage_error&) {
        throw;
      } catch (const std::exception& e) {
        std::cout << mark(o_, false) << " Tenant '" << t.id << "' not created: " << e.what() << '\n';
        return 1;
      }
      if (o_.no_migrate) {
        std::cout << "Migrations not run (--no-migrate): run manage migratetenant --tenant-id=" << t.id << '\n';
        return 0;
      }
      tmig::ConsoleReporter reporter(std::cout, tmig::console_style::detect(stdout, o_.no_color));
      migrator<fresh, tmig::ConsoleReporter> m(fresh(adapter_), reporter, migrator_options_of(o_, master_));
      auto result = m.migrate_tenant(t, *set);
      if (result.succeeded()) {
        catalog.set_status(t.id, tmig::tenant_status::active);
        std::cout << mark(o_, true) << " Migrations completed\n";
        return 0;
      }
      std::cout << "Tenant '" << t.id << "' is registered and provisioned but marked incomplete. "
                << "Fix the cause, then run: manage migratetenant --tenant-id=" << t.id << '\n';
      return 1;
    }
  }

  int deletetenant() {
    if constexpr (!tmig::ProvisioningAdapter<Adapter>) {
      throw tmig::usage_error("this adapter cannot drop databases");
    } else {
      auto catalog = open_catalog();
      auto t = existing_tenant(catalog, /*allow_disabled=*/true);
      std::string what = "the registry row of tenant '" + t.id + "'" +
                         (o_.drop_data ? " and drop " + lower_first(tmig::describe_storage(t)) +
                                             " with all its data"
                                       : " (its data stays; add --drop-data to drop it)");
      if (!o_.yes) throw tmig::usage_error("refusing without --yes: this would remove " + what);
      tmig::delete_tenant(adapter_, catalog, catalog.connection(), t, master_, o_.drop_data);
      std::cout << mark(o_, true) << " Tenant '" << t.id << "' deleted\n";
      if (o_.drop_data) std::cout << mark(o_, true) << ' ' << tmig::describe_storage(t) << " dropped\n";
      return 0;
    }
  }

 private:
  static std::string lower_first(std::string s) {
    if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
    return s;
  }

  void warn_fake() const {
    if (o_.fake) std::cout << "Warning: --fake changes migration history without running any SQL.\n";
  }

  // A flag's value, or asked for on a terminal; off a terminal a missing flag is a usage error.
  std::string ask(const std::string& given, const char* flag, const char* prompt) const {
    if (!given.empty()) return given;
    if (::isatty(STDIN_FILENO) != 1) throw tmig::usage_error(std::string("missing ") + flag);
    std::cout << prompt << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer) || answer.empty()) throw tmig::usage_error(std::string("missing ") + flag);
    return answer;
  }

  void print_state(const tmig::tenant_state& state) const {
    std::cout << state.tenant_id << ":\n";
    if (!state.error.empty()) {
      std::cout << "  error: " << state.error << '\n';
      return;
    }
    std::map<std::string, std::vector<const tmig::migration_state*>> by_app;
    for (const auto& m : state.migrations) by_app[m.key.app].push_back(&m);
    for (auto& [app, list] : by_app) {
      std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->key.name < b->key.name; });
      std::cout << "  " << app << '\n';
      for (const auto* m : list) {
        std::cout << "   [" << (m->applied ? 'X' : ' ') << "] " << m->key.name;
        if (!m->in_set) std::cout << "  (recorded, but not in the migration set)";
        if (!m->checksum_ok) std::cout << "  (file changed after it was applied)";
        std::cout << '\n';
      }
    }
  }

  auto open_catalog(bool create = false) {
    if constexpr (requires { adapter_.connect_or_create(master_); }) {
      if (create) {
        tmig::SqlCatalog catalog(adapter_.connect_or_create(master_));
        catalog.ensure_table();
        return catalog;
      }
    }
    tmig::SqlCatalog catalog(adapter_.connect(master_));
    if (create) catalog.ensure_table();
    return catalog;
  }

  template <class Catalog>
  tmig::tenant existing_tenant(Catalog& catalog, bool allow_disabled = false) const {
    if (o_.tenant_id.empty()) throw tmig::usage_error("missing --tenant-id");
    auto t = catalog.find_tenant(o_.tenant_id);
    if (!t)
      throw tmig::usage_error("Tenant '" + o_.tenant_id + "' does not exist. Create it with: manage createtenant --tenant-id=" +
                              o_.tenant_id + " ...");
    if (t->status == tmig::tenant_status::disabled && !allow_disabled)
      throw tmig::usage_error("Tenant '" + o_.tenant_id + "' is disabled: set its status to 'active' to migrate it");
    return *t;
  }

  Adapter adapter_;
  std::string master_;
  options o_;
};

}  // namespace manage
