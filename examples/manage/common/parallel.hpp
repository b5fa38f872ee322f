// --parallel N and --max-connections-per-server M (migratealltenants):
// N workers in one process, at most M connections in use to any one server
// (docs/commands/migratealltenants.md, docs/scale-out.md).
#pragma once

#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <tenant_migrator/tenant_migrator.hpp>

#include "cli.hpp"
#include "rollout.hpp"
#include "run.hpp"

namespace manage {

namespace tmig = tenant_migrator;

// A whole number in [1, most], or nothing.
inline std::optional<std::size_t> parse_count(const std::string& text, std::size_t most) {
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 1 || value > most) return std::nullopt;
  return value;
}

struct parallel_options {
  // Every worker's running statement must be cancellable on Ctrl-C: one interrupt slot each.
  static constexpr std::size_t most_workers = 64;
  static_assert(most_workers <= tmig::max_armed_interrupts);
  static constexpr std::size_t most_connections = 1000;

  std::string parallel = "1", max_per_server = "4";

  void declare(CLI::App& c) {
    c.add_option("--parallel", parallel, "Migrate N tenants at once (1 to 64; 1: one at a time, in order)")
        ->check(count_check(most_workers))
        ->default_str("1");
    c.add_option("--max-connections-per-server", max_per_server,
                 "With --parallel: at most M connections in use to any one server (the master's two are more)")
        ->check(count_check(most_connections))
        ->default_str("4");
  }

  std::size_t workers() const { return *parse_count(parallel, most_workers); }
  std::size_t connections_per_server() const { return *parse_count(max_per_server, most_connections); }

  // --connection reuse keeps each worker's connection open between tenants,
  // so N workers hold N connections to a server: refused above the cap.
  void check_with(const std::string& connection, const rollout_options& rollout) const {
    if (workers() > 1 && rollout.pauses())
      throw tmig::usage_error("--pause waits between two tenants, one at a time: it cannot go with --parallel " +
                              parallel);
    if (connection == "reuse" && workers() > connections_per_server())
      throw tmig::usage_error("--connection reuse keeps one connection per worker open: --parallel " + parallel +
                              " needs --max-connections-per-server " + parallel + " or more (it is " +
                              max_per_server + ")");
  }

 private:
  // CLI11 puts the option's name before the message.
  static CLI::Validator count_check(std::size_t most) {
    return CLI::Validator(
        [most](std::string& value) -> std::string {
          if (parse_count(value, most)) return {};
          return "bad value '" + value + "' (a whole number from 1 to " + std::to_string(most) + ")";
        },
        "N");
  }
};

// Migrates `tenants` as run_tenants does: with --parallel 1 exactly so (one
// at a time, in order; RolloutExecution for --canary, --max-failures,
// --pause); with more, ParallelExecution's workers (canaries first, the
// failure budget shared), each connection in use counted against the
// per-server cap. Says on stderr why a rollout stopped early.
// `extra` also receives the run's events (the run ledger).
template <class Policy, class Catalog, class Extra = tmig::NullReporter>
tmig::run_summary run_with_workers(Policy policy, Catalog& catalog, const std::vector<tmig::tenant>& tenants,
                                   const run_request& r, const parallel_options& parallel,
                                   const rollout_options& rollout, Extra extra = {}) {
  tmig::run_summary summary;
  if (parallel.workers() > 1) {
    tmig::MaxConnectionsPerServer<Policy> capped(std::move(policy), parallel.connections_per_server());
    summary = run_tenants(std::move(capped), catalog, tenants, r, std::move(extra),
                          tmig::ParallelExecution{parallel.workers(), rollout.canaries(), rollout.max_failures});
  } else if (rollout.staged()) {
    summary = run_tenants(std::move(policy), catalog, tenants, r, std::move(extra), rollout.execution());
  } else {
    summary = run_tenants(std::move(policy), catalog, tenants, r, std::move(extra));
  }
  rollout.explain_stop(summary);
  return summary;
}

}  // namespace manage
