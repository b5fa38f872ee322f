// In-process micro benchmarks (Google Benchmark): the CPU work of a run that
// does not depend on the database. Run: build/benchmarks/micro_benchmarks
// (docs/benchmarks.md records one run).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <tenant_migrator/detail/sha256.hpp>
#include <tenant_migrator/migrations/directory_source.hpp>
#include <tenant_migrator/planner.hpp>

namespace tmig = tenant_migrator;
namespace fs = std::filesystem;

namespace {

// A migrations folder of `apps` apps with `per_app` migrations each, made once
// per process under the temporary directory and removed at exit.
class migration_folder {
 public:
  migration_folder(int apps, int per_app) {
    std::string pattern = (fs::temp_directory_path() / "tm-micro-XXXXXX").string();
    root_ = fs::path(mkdtemp(pattern.data()));
    for (int a = 0; a < apps; ++a) {
      fs::path app = root_ / ("app" + std::to_string(a));
      fs::create_directories(app);
      for (int i = 1; i <= per_app; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "%04d", i);
        std::ofstream(app / (std::string(name) + "_step.sql"))
            << "CREATE TABLE app" << a << "_t" << i << " (id INTEGER PRIMARY KEY, label TEXT NOT NULL);\n"
            << "CREATE INDEX app" << a << "_t" << i << "_label ON app" << a << "_t" << i << " (label);\n";
      }
    }
  }
  ~migration_folder() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  const fs::path& path() const { return root_; }

 private:
  fs::path root_;
};

// The history of a tenant that has applied every migration of `set`.
std::vector<tmig::applied_migration> full_history(const tmig::migration_set& set) {
  std::vector<tmig::applied_migration> history;
  for (const auto& m : set.ordered()) history.push_back({m.key(), m.checksum, "2026-01-01T00:00:00Z", 1});
  return history;
}

// Verifying and planning every tenant of a run where nothing is pending (what
// the fast path does per tenant once the histories are read): range(0)
// tenants, each with the same 6-migration set applied.
void plan_up_to_date_tenants(benchmark::State& state) {
  static migration_folder folder(2, 3);
  auto set = tmig::load_migration_directory(folder.path());
  std::vector<std::vector<tmig::applied_migration>> histories(static_cast<std::size_t>(state.range(0)),
                                                              full_history(set));
  for (auto _ : state) {
    std::size_t up_to_date = 0;
    for (const auto& history : histories)
      up_to_date += tmig::verify_history(set, history).empty() && tmig::make_plan(set, history).empty();
    if (up_to_date != histories.size()) state.SkipWithError("a tenant was not up to date");
    benchmark::DoNotOptimize(up_to_date);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
  state.counters["tenants"] = static_cast<double>(state.range(0));
}
BENCHMARK(plan_up_to_date_tenants)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);

// The same for tenants with nothing applied yet: every migration planned.
void plan_new_tenants(benchmark::State& state) {
  static migration_folder folder(2, 3);
  auto set = tmig::load_migration_directory(folder.path());
  const std::vector<tmig::applied_migration> empty;
  for (auto _ : state) {
    std::size_t steps = 0;
    for (std::int64_t i = 0; i < state.range(0); ++i) {
      if (!tmig::verify_history(set, empty).empty()) state.SkipWithError("an empty history did not verify");
      steps += tmig::make_plan(set, empty).size();
    }
    benchmark::DoNotOptimize(steps);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(plan_new_tenants)->Arg(100000)->Unit(benchmark::kMillisecond);

// SHA-256 of a migration file's text (every file is hashed when the set loads).
void checksum(benchmark::State& state) {
  std::string data(static_cast<std::size_t>(state.range(0)), 'x');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>('a' + i % 26);
  for (auto _ : state) benchmark::DoNotOptimize(tmig::detail::sha256_hex(data));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(checksum)->Arg(256)->Arg(64 << 10)->Arg(1 << 20);

// Loading and validating a migration folder of range(0) files (10 apps).
void load_migration_set(benchmark::State& state) {
  const int per_app = static_cast<int>(state.range(0) / 10);
  migration_folder folder(10, per_app);
  for (auto _ : state) {
    auto set = tmig::load_migration_directory(folder.path());
    if (set.size() != static_cast<std::size_t>(10 * per_app)) state.SkipWithError("not every file was loaded");
    benchmark::DoNotOptimize(set);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(load_migration_set)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
