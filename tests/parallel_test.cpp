// ParallelExecution against real SQLite files: the same results, histories
// and per-tenant output as a sequential run, a connection cap that holds,
// every running statement cancelled on a signal. No timing assertions.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <tenant_migrator/tenant_migrator.hpp>
#include <tenant_migrator/adapters/sqlite.hpp>

#include "support/files.hpp"

using namespace tenant_migrator;
using test_support::temp_dir;
using test_support::write_file;

namespace {

// Database-per-tenant SQLite files; tenant t07 fails on products/0001.
struct fleet {
  temp_dir dir;
  SqliteAdapter adapter;
  std::string master = (dir / "master.db").string();
  std::vector<tenant> tenants;

  explicit fleet(int count) {
    write_file(dir / "migrations/users/0001_initial.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n");
    write_file(dir / "migrations/users/0002_email.sql", "CREATE UNIQUE INDEX users_email ON users (email);\n");
    write_file(dir / "migrations/products/0001_initial.sql",
               "-- depends: users/0001_initial\nCREATE TABLE products (id INTEGER PRIMARY KEY);\n"
               "CREATE TABLE product_tags (product_id INTEGER);\n");
    for (int i = 0; i < count; ++i) {
      std::string id = (i < 10 ? "t0" : "t") + std::to_string(i);
      adapter.create_database((dir / (id + ".db")).string());
      tenants.push_back(tenant{id, id, isolation_kind::database, id + ".db", tenant_status::active, {}});
    }
    adapter.connect((dir / "t07.db").string()).execute_script("CREATE TABLE product_tags (x INTEGER);");
  }
  migration_set migrations() { return load_migration_directory(dir / "migrations"); }
  std::vector<std::string> history(const std::string& id) {
    auto c = adapter.connect((dir / (id + ".db")).string());
    std::vector<std::string> out;
    for (auto& r : c.query("SELECT app || '/' || name FROM tenant_migrator_history ORDER BY app, name", {}))
      out.push_back(*r[0]);
    return out;
  }
};

// Each tenant's block of console output ("Migrating tenant: X" up to its
// blank line), by tenant; fails the test when a block holds another
// tenant's line or a tenant has two blocks.
std::map<std::string, std::string> blocks_by_tenant(const std::string& text) {
  std::map<std::string, std::string> blocks;
  std::istringstream in(text);
  std::string line, current, block;
  while (std::getline(in, line)) {
    if (line.rfind("Migrating tenant: ", 0) == 0) {
      REQUIRE_MESSAGE(current.empty(), "tenant " << line.substr(18) << " starts inside " << current << "'s block");
      current = line.substr(18);
      block = line + '\n';
    } else if (!current.empty()) {
      if (line.find("Tenant '") != std::string::npos || line.find("tenant '") != std::string::npos)
        REQUIRE_MESSAGE(line.find("'" + current + "'") != std::string::npos, "in " << current << "'s block: " << line);
      block += line + '\n';
      if (line.empty()) {
        REQUIRE_MESSAGE(blocks.count(current) == 0, current << " has two blocks");
        blocks[current] = block;
        current.clear();
      }
    }
  }
  return blocks;
}

std::string summary_part(const std::string& text) { return text.substr(text.find("Migration Summary:")); }

template <class Execution>
run_summary run_fleet(fleet& f, std::ostream& out, Execution execution) {
  TenantMigrator<PerTenantIsolation, FreshConnectionPerTenant<SqliteAdapter>, ConsoleReporter, Execution> m(
      FreshConnectionPerTenant<SqliteAdapter>(f.adapter), ConsoleReporter(out, console_style{}), {f.master}, execution);
  return m.run(f.tenants, f.migrations());
}

// Counts the connections its inner policy has open at once.
struct counting_connections {
  using adapter_type = SqliteAdapter;
  struct counts {
    std::atomic<int> open{0}, most{0};
  };
  FreshConnectionPerTenant<SqliteAdapter> inner;
  std::shared_ptr<counts> seen = std::make_shared<counts>();

  adapter_type& adapter() { return inner.adapter(); }
  counting_connections for_worker() const { return {inner.for_worker(), seen}; }
  template <class F>
  decltype(auto) with_connection(const std::string& target, F&& f) {
    return inner.with_connection(target, [&](auto& connection) {
      int now = ++seen->open;
      for (int most = seen->most; now > most && !seen->most.compare_exchange_weak(most, now);) {
      }
      struct leave {
        counts& c;
        ~leave() { --c.open; }
      } left{*seen};
      return f(connection);
    });
  }
};

}  // namespace

TEST_CASE("--parallel 4 over 40 tenants, one failing: the same results, histories and text as one at a time") {
  fleet one(40), four(40);
  std::ostringstream sequential_out, parallel_out;
  auto sequential = run_fleet(one, sequential_out, SequentialExecution{});
  auto parallel = run_fleet(four, parallel_out, ParallelExecution{4});

  REQUIRE(parallel.tenants.size() == sequential.tenants.size());
  for (std::size_t i = 0; i < sequential.tenants.size(); ++i) {
    CHECK(parallel.tenants[i].tenant_id == sequential.tenants[i].tenant_id);  // the run's order
    CHECK(parallel.tenants[i].outcome == sequential.tenants[i].outcome);
    CHECK(parallel.tenants[i].applied == sequential.tenants[i].applied);
    CHECK(parallel.tenants[i].error == sequential.tenants[i].error);
    CHECK(four.history(four.tenants[i].id) == one.history(one.tenants[i].id));
  }
  CHECK(parallel.tenants[7].outcome == tenant_outcome::failed);
  CHECK(parallel.failed() == 1);
  CHECK(parallel.not_processed == 0);
  CHECK(summary_part(parallel_out.str()) == summary_part(sequential_out.str()));
  // Each tenant's block whole and the same as in the sequential run (only the order of blocks may differ).
  auto blocks = blocks_by_tenant(parallel_out.str());
  CHECK(blocks.size() == 40);
  CHECK(blocks == blocks_by_tenant(sequential_out.str()));
}

TEST_CASE("MaxConnectionsPerServer: never more than the cap in use at once, over 8 workers") {
  fleet f(30);
  counting_connections counting{FreshConnectionPerTenant<SqliteAdapter>(f.adapter)};
  auto seen = counting.seen;
  MaxConnectionsPerServer<counting_connections> capped(counting, 2);
  std::ostringstream out;
  TenantMigrator<PerTenantIsolation, MaxConnectionsPerServer<counting_connections>, ConsoleReporter, ParallelExecution>
      m(capped, ConsoleReporter(out, console_style{}), {f.master}, ParallelExecution{8});
  auto summary = m.run(f.tenants, f.migrations());
  CHECK(summary.tenants.size() == 30);
  CHECK(summary.failed() == 1);  // t07
  CHECK(seen->most.load() >= 1);
  CHECK(seen->most.load() <= 2);  // SQLite has no server identity: one server
  CHECK(m.connections().slots().peak() <= 2);
  CHECK(seen->open.load() == 0);
}

TEST_CASE("ParallelExecution: each tenant once, none after stop, an escaping exception rethrown") {
  ParallelExecution parallel{4};
  SUBCASE("every index exactly once") {
    std::vector<std::atomic<int>> calls(100);
    tenant_result r;
    auto started = parallel.execute(
        100, [&](std::size_t i, std::size_t worker) -> const tenant_result& {
          CHECK(worker < 4);
          ++calls[i];
          return r;
        },
        [] { return false; });
    CHECK(started == 100);
    CHECK(std::all_of(calls.begin(), calls.end(), [](auto& c) { return c.load() == 1; }));
  }
  SUBCASE("stop already asked: nothing starts") {
    tenant_result r;
    std::atomic<int> calls{0};
    auto started = parallel.execute(
        10, [&](std::size_t) -> const tenant_result& { ++calls; return r; }, [] { return true; });
    CHECK(started == 0);
    CHECK(calls.load() == 0);
  }
  SUBCASE("stop asked during the run: the tenants started are the first `started`, each once") {
    tenant_result r;
    std::atomic<bool> stop{false};
    std::vector<std::atomic<int>> calls(50);
    auto started = parallel.execute(
        50, [&](std::size_t i) -> const tenant_result& {
          ++calls[i];
          if (i == 5) stop = true;
          return r;
        },
        [&] { return stop.load(); });
    CHECK(started >= 6);
    CHECK(started < 50);
    for (std::size_t i = 0; i < 50; ++i) CHECK(calls[i].load() == (i < started ? 1 : 0));
  }
  SUBCASE("an exception escaping process") {
    tenant_result r;
    CHECK_THROWS_AS(parallel.execute(
                        20, [&](std::size_t i) -> const tenant_result& {
                          if (i == 3) throw std::runtime_error("bug");
                          return r;
                        },
                        [] { return false; }),
                    std::runtime_error);
  }
}

TEST_CASE("ParallelExecution with canaries and a failure budget") {
  tenant_result ok, bad;
  ok.outcome = tenant_outcome::up_to_date;
  bad.outcome = tenant_outcome::failed;
  SUBCASE("a failing canary: no other tenant starts") {
    ParallelExecution parallel{4, 3, 0};
    std::vector<std::atomic<int>> calls(20);
    auto started = parallel.execute(
        20, [&](std::size_t i) -> const tenant_result& { ++calls[i]; return i == 1 ? bad : ok; },
        [] { return false; });
    CHECK(started == 2);
    for (std::size_t i = 0; i < 20; ++i) CHECK(calls[i].load() == (i < 2 ? 1 : 0));
  }
  SUBCASE("canaries that pass: every tenant runs once") {
    ParallelExecution parallel{4, 3, 0};
    std::vector<std::atomic<int>> calls(20);
    auto started = parallel.execute(
        20, [&](std::size_t i, std::size_t) -> const tenant_result& { ++calls[i]; return ok; },
        [] { return false; });
    CHECK(started == 20);
    CHECK(std::all_of(calls.begin(), calls.end(), [](auto& c) { return c.load() == 1; }));
  }
  SUBCASE("--max-failures 2 with every tenant failing: the first `started` ran, at most one per worker past the budget") {
    ParallelExecution parallel{2, 0, 2};
    std::vector<std::atomic<int>> calls(50);
    auto started = parallel.execute(
        50, [&](std::size_t i) -> const tenant_result& { ++calls[i]; return bad; }, [] { return false; });
    CHECK(started >= 2);
    CHECK(started <= 3);
    for (std::size_t i = 0; i < 50; ++i) CHECK(calls[i].load() == (i < started ? 1 : 0));
  }
}

TEST_CASE("interrupt_running_migration cancels every armed statement, and none once disarmed") {
  static std::atomic<int> cancelled{0};
  auto cancel = [](void*) noexcept { ++cancelled; };
  int targets[3];
  cancelled = 0;
  {
    detail::armed_interrupt a({cancel, &targets[0]}), b({cancel, &targets[1]}), c({cancel, &targets[2]});
    interrupt_running_migration();
    CHECK(cancelled.load() == 3);
  }
  interrupt_running_migration();
  CHECK(cancelled.load() == 3);
}
