// migratealltenants' selection and rollout options (docs/scale-out.md):
// --tenants-from, --order, --shard choose and order the tenants; --canary,
// --max-failures, --pause make the run a RolloutExecution; --atomic puts
// each tenant's pending migrations in one transaction.
#pragma once

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli.hpp"
#include "master.hpp"

namespace manage {

// "K/N" as a shard, or nullopt when it is not one with 0 <= K < N.
inline std::optional<tmig::shard> parse_shard(const std::string& text) {
  auto slash = text.find('/');
  auto number = [](const std::string& s) -> std::optional<std::size_t> {
    if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    return static_cast<std::size_t>(std::stoul(s));
  };
  if (slash == std::string::npos) return std::nullopt;
  auto k = number(text.substr(0, slash)), n = number(text.substr(slash + 1));
  if (!k || !n || *n == 0 || *k >= *n) return std::nullopt;
  return tmig::shard{*k, *n};
}

// Whether `text` is a whole number (a --canary count rather than tenant ids).
inline bool is_count(const std::string& text) {
  return !text.empty() && text.size() <= 9 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The tenant ids of a --tenants-from file (`-`: standard input): one id a
// line, surrounding spaces ignored, blank lines and lines starting with '#'
// skipped. A line that is not a valid tenant id is a usage error naming the
// file and line; so is an id the registry does not have or has disabled.
template <class Catalog>
std::vector<std::string> read_tenant_ids(const std::string& file, Catalog& catalog) {
  std::ifstream opened;
  if (file != "-") {
    opened.open(file);
    if (!opened) throw tmig::usage_error("--tenants-from: cannot read '" + file + "'");
  }
  std::istream& in = file == "-" ? std::cin : opened;
  const std::string shown = file == "-" ? "<stdin>" : file;
  std::unordered_map<std::string, tmig::tenant_status> known;  // a long file against a large registry
  for (auto& t : catalog.list_tenants()) known.emplace(std::move(t.id), t.status);
  std::vector<std::string> ids;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    auto first = line.find_first_not_of(" \t\r"), last = line.find_last_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    std::string id = line.substr(first, last - first + 1);
    auto where = shown + ":" + std::to_string(number) + ": ";
    if (auto problem = tmig::validate_tenant_id(id); !problem.empty()) throw tmig::usage_error(where + problem);
    auto it = known.find(id);
    if (it == known.end()) throw tmig::usage_error(where + "tenant '" + id + "' does not exist");
    if (it->second == tmig::tenant_status::disabled) throw tmig::usage_error(where + disabled_message(id));
    ids.push_back(std::move(id));
  }
  if (ids.empty()) throw tmig::usage_error("--tenants-from " + shown + ": no tenant id in it");
  return ids;
}

// --atomic (migratealltenants, migratetenant).
inline CLI::Option* add_atomic_flag(CLI::App& c, bool& atomic) {
  return c.add_flag("--atomic", atomic,
                    "All of a tenant's pending migrations in one transaction: it is fully migrated or left as it was "
                    "(not with -- transaction: off files, nor on MariaDB)");
}

// --atomic where the adapter cannot hold it: refused before anything runs (exit 2).
template <class Adapter>
void check_atomic_possible(bool atomic) {
  if (atomic && !tmig::claims<Adapter, tmig::capability::transactional_ddl>)
    throw tmig::usage_error(
        "--atomic: this database's DDL is not transactional (MariaDB commits each DDL statement), so a tenant's "
        "migrations cannot share one transaction");
}

struct rollout_options {
  std::string tenants_from;  // a file, or "-"
  std::string order = "id";
  std::string shard;         // "K/N"
  std::string canary;        // a count, or tenant ids / globs
  std::size_t max_failures = 0;
  std::string pause = "0";
  bool atomic = false;

  void declare(CLI::App& c) {
    c.add_option("--tenants-from", tenants_from,
                 "Only the tenants listed in FILE, one id a line ('-': standard input; blank and # lines skipped)")
        ->type_name("FILE");
    c.add_option("--order", order, "Tenant order: id (default) or created (registry creation time, then id)")
        ->check(CLI::IsMember({"id", "created"}))
        ->default_str("id");
    c.add_option("--shard", shard, "K/N: only shard K (0-based) of N, by a stable hash of the tenant id")
        ->check(CLI::Validator(
            [](std::string& v) -> std::string {
              if (parse_shard(v)) return {};
              return "bad shard '" + v + "' (K/N with whole numbers, 0 <= K < N)";
            },
            "K/N"));
    c.add_option("--canary", canary,
                 "N, or a comma list of tenant ids or globs: those tenants first; if one fails, no other starts")
        ->check(CLI::Validator(
            [](std::string& v) -> std::string {
              if (is_count(v) ? std::stoul(v) > 0 : !v.empty()) return {};
              return "bad canary '" + v + "' (a count of at least 1, or tenant ids)";
            },
            "N|ID,..."));
    c.add_option("--max-failures", max_failures, "Start no new tenant once N tenants have failed")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30));
    c.add_option("--pause", pause, "Wait this long between two tenants")->check(duration_check())->default_str("0");
    add_atomic_flag(c, atomic);
  }

  // Whether the run needs RolloutExecution rather than SequentialExecution.
  bool staged() const { return !canary.empty() || max_failures > 0 || pauses(); }
  bool pauses() const { return *parse_duration(pause) > std::chrono::milliseconds(0); }
  // How many tenants at the front of tenants()' order are canaries.
  std::size_t canaries() const { return canaries_; }

  // The selection --tenant/--exclude (ids or globs), --tenants-from and --shard ask for.
  template <class Catalog>
  tmig::tenant_selection selection(Catalog& catalog, const std::vector<std::string>& only,
                                   const std::vector<std::string>& exclude) const {
    tmig::tenant_selection s{only, exclude};
    if (!tenants_from.empty()) {
      auto listed = read_tenant_ids(tenants_from, catalog);
      s.only.insert(s.only.end(), listed.begin(), listed.end());
    }
    if (!shard.empty()) s.part = parse_shard(shard);
    return s;
  }

  // The run's tenants in order, canaries first; `canaries` set to how many.
  template <class Catalog>
  std::vector<tmig::tenant> tenants(Catalog& catalog, const std::vector<std::string>& only,
                                    const std::vector<std::string>& exclude) {
    auto chosen = tmig::select_tenants(catalog, selection(catalog, only, exclude));
    if (order == "created") tmig::order_by_creation(chosen);
    if (is_count(canary)) {
      canaries_ = std::min<std::size_t>(std::stoul(canary), chosen.size());
    } else if (!canary.empty()) {
      auto names = CLI::detail::split(canary, ',');
      for (const auto& name : names)
        if (std::none_of(chosen.begin(), chosen.end(),
                         [&](const tmig::tenant& t) { return tmig::detail::glob_match(name, t.id); }))
          throw tmig::usage_error("--canary '" + name + "': no tenant of this run matches it (see --tenant, "
                                  "--exclude, --shard)");
      tmig::put_first(chosen, names);
      canaries_ = static_cast<std::size_t>(std::count_if(chosen.begin(), chosen.end(), [&](const tmig::tenant& t) {
        return std::any_of(names.begin(), names.end(), [&](const auto& n) { return tmig::detail::glob_match(n, t.id); });
      }));
    }
    return chosen;
  }

  tmig::RolloutExecution execution() const {
    return tmig::RolloutExecution{canaries_, max_failures, *parse_duration(pause)};
  }

  // Why a run stopped early with no signal, for standard error: a canary
  // failed, or --max-failures was reached.
  void explain_stop(const tmig::run_summary& s) const {
    if (s.not_processed == 0 || s.signal != 0) return;
    bool canary_failed = std::any_of(s.tenants.begin(), s.tenants.begin() + std::min(canaries_, s.tenants.size()),
                                     [](const tmig::tenant_result& r) { return !r.succeeded(); });
    std::cerr << "Rollout stopped: "
              << (canary_failed ? "a canary failed" : std::to_string(s.failed()) + " tenants failed (--max-failures)")
              << "; " << s.not_processed << " tenant(s) not processed\n";
  }

 private:
  std::size_t canaries_ = 0;
};

}  // namespace manage
