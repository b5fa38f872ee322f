#include "showruns.hpp"

#include <algorithm>
#include <array>
#include <iostream>
#include <vector>

#include <tenant_migrator/json.hpp>
#include <tenant_migrator/output/tenant_list.hpp>

#include "common/ledger.hpp"

namespace manage {

namespace {

// Columns padded to their widest cell, a rule under the titles.
template <std::size_t N>
std::string format_table(const std::array<std::string, N>& titles, const std::vector<std::array<std::string, N>>& rows) {
  std::array<std::size_t, N> width{};
  for (std::size_t c = 0; c < N; ++c) width[c] = titles[c].size();
  for (const auto& r : rows)
    for (std::size_t c = 0; c < N; ++c) width[c] = std::max(width[c], tmig::detail::display_width(r[c]));
  auto line = [&](const auto& cells) {
    std::string out;
    for (std::size_t c = 0; c < N; ++c) {
      out += cells[c];
      if (c + 1 < N) out += std::string(width[c] - tmig::detail::display_width(cells[c]) + 2, ' ');
    }
    return out + "\n";
  };
  std::string out = line(titles);
  for (std::size_t c = 0; c < N; ++c) out += std::string(width[c], '-') + (c + 1 < N ? "  " : "\n");
  for (const auto& r : rows) out += line(r);
  return out;
}

// What became of a run: its outcome, or why it has none. An unfinished run of
// a process of this host that is gone was killed.
std::string shown_state(const tmig::run_record& run) {
  if (run.finished()) return run.outcome;
  if (run.kind == "run" && !worker_alive(run.host + ":" + run.pid)) return "killed";
  return "unfinished";
}

tmig::json run_to_json(const tmig::run_record& run) {
  tmig::json j{{"run", run.id},
               {"kind", run.kind},
               {"started_at", run.started_at},
               {"finished_at", run.finished() ? tmig::json(run.finished_at) : tmig::json(nullptr)},
               {"state", shown_state(run)},
               {"host", run.host},
               {"pid", std::stoll(run.pid.empty() ? "0" : run.pid)},
               {"set_digest", run.set_digest},
               {"options", run.options},
               {"tenants", run.tenants},
               {"migrated", run.migrated},
               {"up_to_date", run.up_to_date},
               {"failed", run.failed},
               {"skipped", run.skipped},
               {"interrupted", run.interrupted},
               {"not_processed", run.not_processed}};
  return j;
}

tmig::json tenant_to_json(const tmig::run_tenant_record& t) {
  return tmig::json{{"tenant", t.tenant_id},
                    {"position", t.position},
                    {"outcome", t.done() ? tmig::json(t.outcome) : tmig::json(nullptr)},
                    {"applied", t.applied},
                    {"error", t.error},
                    {"duration_ms", t.duration_ms},
                    {"worker", t.worker},
                    {"finished_at", t.finished_at.empty() ? tmig::json(nullptr) : tmig::json(t.finished_at)}};
}

void print_json(const tmig::json& j) {
  std::cout << j.dump(2, ' ', false, tmig::json::error_handler_t::replace) << '\n';
}

}  // namespace

void showruns_command::declare(CLI::App& c) {
  source.declare_master(c);
  c.add_option("--format", format, "table (default) or json")->check(CLI::IsMember({"table", "json"}));
  c.add_option("--run", run_id, "One run's tenants and what became of each");
}

int showruns_command::run() {
  return with_master(source.master, [&](auto adapter, const std::string& master) {
    if (!run_id.empty())
      if (auto why = tmig::validate_run_id(run_id); !why.empty()) throw tmig::usage_error("--run: " + why);
    auto ledger = open_ledger(adapter, master);
    std::vector<tmig::run_record> runs;
    try {
      runs = ledger.list_runs();
    } catch (const tmig::database_error&) {
      // No ledger table yet: no migrating run so far.
    }
    if (run_id.empty()) {
      if (format == "json") {
        auto all = tmig::json::array();
        for (const auto& r : runs) all.push_back(run_to_json(r));
        print_json(all);
      } else if (runs.empty()) {
        std::cout << "No runs recorded.\n";
      } else {
        std::vector<std::array<std::string, 7>> rows;
        for (const auto& r : runs)
          rows.push_back({r.id, r.started_at, r.finished() ? r.finished_at : "-", shown_state(r),
                          std::to_string(r.tenants),
                          std::to_string(r.migrated + r.up_to_date) + " ok, " + std::to_string(r.failed) +
                              " failed, " + std::to_string(r.skipped + r.interrupted) + " skipped, " +
                              std::to_string(r.not_processed) + " not processed",
                          r.kind == "queue" ? "queue" : r.host + ":" + r.pid});
        std::cout << format_table<7>({"RUN", "STARTED", "FINISHED", "STATE", "TENANTS", "RESULTS", "BY"}, rows);
      }
      return code(exit_status::ok);
    }
    auto found = std::find_if(runs.begin(), runs.end(), [&](const auto& r) { return r.id == run_id; });
    if (found == runs.end()) throw tmig::usage_error("no run '" + run_id + "' in the run ledger");
    auto tenants = ledger.tenants_of(run_id);
    if (format == "json") {
      auto j = run_to_json(*found);
      j["tenant_results"] = tmig::json::array();
      for (const auto& t : tenants) j["tenant_results"].push_back(tenant_to_json(t));
      print_json(j);
      return code(exit_status::ok);
    }
    std::vector<std::array<std::string, 5>> rows;
    for (const auto& t : tenants)
      rows.push_back({t.tenant_id, t.done() ? t.outcome : "not processed", t.done() ? std::to_string(t.applied) : "-",
                      t.done() ? std::to_string(t.duration_ms) + " ms" : "-",
                      tmig::detail::printable(t.error.empty() ? t.worker : t.worker + "  " + t.error)});
    std::cout << "Run " << found->id << ": " << shown_state(*found) << ", started " << found->started_at << "\n"
              << format_table<5>({"TENANT", "OUTCOME", "APPLIED", "DURATION", "BY / ERROR"}, rows);
    return code(exit_status::ok);
  });
}

std::unique_ptr<command> add_showruns(CLI::App& manage) {
  return make_command<showruns_command>(manage, "showruns", "List the recorded runs, or one run's tenants");
}

}  // namespace manage
