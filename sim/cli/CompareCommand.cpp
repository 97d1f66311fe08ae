// orgsim compare: two scenarios of the same industry with the same seeds, so that run r of
// each is replication r with identical random streams for every firm whose settings agree.
// Prints the focal firm's paired differences and writes one HDF5 file with a scenario
// dimension.

#include <boost/program_options.hpp>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "Commands.h"
#include "RunSupport.h"
#include "orgsim/core/Error.h"
#include "orgsim/core/Statistics.h"
#include "orgsim/engine/RunPlan.h"
#include "orgsim/io/ResultFile.h"
#include "orgsim/io/Scenario.h"
#include "orgsim/model/ParameterTable.h"

namespace po = boost::program_options;

namespace orgsim::cli {
namespace {

constexpr const char* kCompareUsage =
    "usage: orgsim compare A.cfg B.cfg [--set KEY=VALUE ...] [--replications R] [--seed S]\n"
    "                      [--threads T] [--out FILE.h5] [--force] [--quiet]\n"
    "\n"
    "Runs both scenarios with the same seed and replication numbers (A's run.replications\n"
    "and run.seed unless given), so every firm draws the same random numbers in both and\n"
    "differences are paired. --set applies to both. Prints the first firm's (the focal\n"
    "firm's) final state in each and the paired difference B - A with 95% intervals, and\n"
    "writes one HDF5 file with a scenario dimension (default results/A_vs_B.h5).\n";

// "0.7163 [0.7013, 0.7314]"; signed ("+0.0177 [-0.0027, +0.0381]") for differences.
std::string cell(const MeanInterval& estimate, bool signed_values) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(4);
  if (signed_values) text << std::showpos;
  text << estimate.mean << " [" << estimate.mean - estimate.half_width << ", "
       << estimate.mean + estimate.half_width << "]";
  return text.str();
}

// The focal firm's lead averaged over the recorded periods of a run.
double mean_lead(const engine::RunResult& run) {
  double sum = 0.0;
  for (std::size_t k = 0; k < run.periods.size(); ++k) sum += run.at(k, 0)[model::Quantity::lead];
  return run.periods.empty() ? 0.0 : sum / static_cast<double>(run.periods.size());
}

void print_comparison(const std::string& focal, const std::string& name_a,
                      const std::string& name_b, const std::vector<engine::RunResult>& a,
                      const std::vector<engine::RunResult>& b) {
  using Q = model::Quantity;
  struct Row {
    const char* label;
    double (*pick)(const engine::RunResult&);
  };
  static const std::vector<Row> rows = {
      {"final innovation",
       [](const engine::RunResult& r) { return r.summaries[0].final[Q::innovation]; }},
      {"final output per head",
       [](const engine::RunResult& r) { return r.summaries[0].final[Q::output_per_head]; }},
      {"final market share",
       [](const engine::RunResult& r) { return r.summaries[0].final[Q::market_share]; }},
      {"final lead", [](const engine::RunResult& r) { return r.summaries[0].final[Q::lead]; }},
      {"mean lead over the run", mean_lead},
      {"share of periods in lead",
       [](const engine::RunResult& r) { return r.summaries[0].share_periods_lead; }},
      {"final mean pressure",
       [](const engine::RunResult& r) { return r.summaries[0].final[Q::mean_pressure]; }},
      {"final explore share",
       [](const engine::RunResult& r) { return r.summaries[0].final[Q::explore_share]; }},
  };
  std::cout << "  focal firm '" << focal << "', mean and 95% interval over " << a.size()
            << " paired replications:\n";
  std::cout << "  " << std::left << std::setw(26) << "quantity" << std::setw(28) << name_a
            << std::setw(28) << name_b << "difference (B - A)\n";
  for (const auto& row : rows) {
    std::vector<double> va, vb, difference;
    for (std::size_t r = 0; r < a.size(); ++r) {
      va.push_back(row.pick(a[r]));
      vb.push_back(row.pick(b[r]));
      difference.push_back(vb.back() - va.back());
    }
    std::cout << "  " << std::left << std::setw(26) << row.label << std::setw(28)
              << cell(mean_interval(va), false) << std::setw(28) << cell(mean_interval(vb), false)
              << cell(mean_interval(difference), true) << "\n";
  }
}

}  // namespace

int compare_command(const std::vector<std::string>& args, const std::string& command_line) {
  install_interrupt_handler();
  po::options_description options("options");
  options.add_options()("help,h", "show this help");
  add_run_options(options);
  const po::variables_map vm = parse_run_arguments(args, options);
  if (vm.count("help")) {
    std::cout << kCompareUsage << "\n" << options;
    return kExitOk;
  }
  const auto paths = vm.count("scenario") ? vm["scenario"].as<std::vector<std::string>>()
                                          : std::vector<std::string>{};
  if (paths.size() != 2) {
    throw ConfigError("expected two scenarios, got " + std::to_string(paths.size()) +
                      "; usage: orgsim compare A.cfg B.cfg (for example "
                      "scenarios/following_orders.cfg scenarios/empowered.cfg)");
  }
  const RunOptions run_options = read_run_options(vm);
  io::Scenario a = io::load_scenario(paths[0], run_options.overrides);
  io::Scenario b = io::load_scenario(paths[1], run_options.overrides);
  apply_run_options(a.params, run_options);
  // Pair the runs: B takes A's replications and seed.
  b.params.run.replications = a.params.run.replications;
  b.params.run.seed = a.params.run.seed;
  if (model::firm_names(a.params) != model::firm_names(b.params)) {
    throw ConfigError("'" + paths[0] + "' and '" + paths[1] +
                      "' declare different firms; compare needs the same industry (the same "
                      "groups and counts) in both");
  }
  std::string name_a = std::filesystem::path(paths[0]).stem().string();
  std::string name_b = std::filesystem::path(paths[1]).stem().string();
  if (name_a == name_b) {
    name_a += "-A";
    name_b += "-B";
  }

  std::string out;
  if (run_options.out) {
    out = *run_options.out;
  } else {
    out = "results/" + name_a + "_vs_" + name_b + ".h5";
    std::filesystem::create_directories("results");
  }
  io::ResultFile file(out, run_options.force);

  const auto plans_a = engine::replicate(a.params);
  const auto plans_b = engine::replicate(b.params);
  std::vector<engine::RunPlan> plans = plans_a;
  plans.insert(plans.end(), plans_b.begin(), plans_b.end());
  std::cerr << "orgsim compare: " << name_a << " vs " << name_b << ", "
            << model::firm_count(a.params) << " firms, " << plans_a.size()
            << " paired replications, seed " << a.params.run.seed << ", " << run_options.threads
            << " thread" << (run_options.threads == 1 ? "" : "s") << "\n";

  std::vector<engine::RunResult> runs;
  double agent_steps = 0.0;
  double seconds = 0.0;
  if (!execute_with_progress(plans, run_options.threads, run_options.quiet, runs, agent_steps,
                             seconds)) {
    std::cerr << "\norgsim compare: interrupted; no result written (" << out << " untouched)\n";
    return kExitInterrupted;
  }
  const auto middle = runs.begin() + static_cast<std::ptrdiff_t>(plans_a.size());
  const std::vector<engine::RunResult> runs_a(std::make_move_iterator(runs.begin()),
                                              std::make_move_iterator(middle));
  const std::vector<engine::RunResult> runs_b(std::make_move_iterator(middle),
                                              std::make_move_iterator(runs.end()));

  io::Provenance provenance;
  provenance.command_line = command_line;
  provenance.master_seed = a.params.run.seed;
  provenance.threads = run_options.threads;
  file.write({io::StudyResults{name_a, paths[0], model::resolved_scenario_text(a.params), &plans_a,
                               &runs_a},
              io::StudyResults{name_b, paths[1], model::resolved_scenario_text(b.params), &plans_b,
                               &runs_b}},
             provenance);
  file.commit();

  std::cout << "orgsim compare: " << plans.size() << " runs in " << format_duration(seconds) << " ("
            << std::scientific << std::setprecision(2)
            << (seconds > 0 ? agent_steps / seconds : 0.0) << " agent-steps/s)\n"
            << std::defaultfloat;
  print_comparison(runs_a.front().firm_names.front(), name_a, name_b, runs_a, runs_b);
  std::cout << "results: " << out << "  ('orgsim info " << out << "' describes it)\n";
  return kExitOk;
}

}  // namespace orgsim::cli
