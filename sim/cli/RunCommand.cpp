// orgsim run: runs a scenario's replications on a pool of threads and writes one HDF5
// result file, then prints a short summary of the final state.

#include <boost/program_options.hpp>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "Commands.h"
#include "RunSupport.h"
#include "orgsim/core/Error.h"
#include "orgsim/engine/RunPlan.h"
#include "orgsim/io/ResultFile.h"
#include "orgsim/io/Scenario.h"
#include "orgsim/model/ParameterTable.h"

namespace po = boost::program_options;

namespace orgsim::cli {
namespace {

constexpr const char* kRunUsage =
    "usage: orgsim run SCENARIO.cfg [--set KEY=VALUE ...] [--replications R] [--seed S]\n"
    "                  [--threads T] [--out FILE.h5] [--force] [--quiet]\n"
    "\n"
    "Runs R replications of the scenario (each with its own random streams derived from the\n"
    "seed and the replication number, so results do not depend on --threads) and writes one\n"
    "HDF5 file, by default results/<scenario>.h5. 'orgsim params' lists the scenario keys.\n";

}  // namespace

int run_command(const std::vector<std::string>& args, const std::string& command_line) {
  // From the start, so that an interrupt at any moment removes the temporary file.
  install_interrupt_handler();
  po::options_description options("options");
  options.add_options()("help,h", "show this help");
  add_run_options(options);
  const po::variables_map vm = parse_run_arguments(args, options);
  if (vm.count("help")) {
    std::cout << kRunUsage << "\n" << options;
    return kExitOk;
  }
  if (!vm.count("scenario")) {
    throw ConfigError(
        "no scenario given; usage: orgsim run SCENARIO.cfg (for example "
        "scenarios/march1991.cfg)");
  }
  const auto scenarios = vm["scenario"].as<std::vector<std::string>>();
  if (scenarios.size() > 1) {
    throw ConfigError("one scenario per run, got " + std::to_string(scenarios.size()) + " ('" +
                      scenarios[1] + "' is extra); to compare scenarios use orgsim compare A B");
  }
  const std::string scenario_path = scenarios.front();
  const RunOptions run_options = read_run_options(vm);
  io::Scenario scenario = io::load_scenario(scenario_path, run_options.overrides);
  apply_run_options(scenario.params, run_options);

  std::string out;
  if (run_options.out) {
    out = *run_options.out;
  } else {
    out = "results/" + std::filesystem::path(scenario_path).stem().string() + ".h5";
    std::filesystem::create_directories("results");
  }
  io::ResultFile file(out, run_options.force);

  const auto& params = scenario.params;
  const auto plans = engine::replicate(params);
  const int threads = run_options.threads;
  std::cerr << "orgsim run: " << scenario_path << ", " << model::firm_count(params) << " firm"
            << (model::firm_count(params) == 1 ? "" : "s") << ", " << plans.size()
            << " replications, "
            << (params.run.stop == model::StopRule::periods
                    ? std::to_string(params.run.periods) + " periods"
                    : "to equilibrium (at most " + std::to_string(params.run.max_periods) +
                          " periods)")
            << ", seed " << params.run.seed << ", " << threads << " thread"
            << (threads == 1 ? "" : "s") << "\n";

  std::vector<engine::RunResult> runs;
  double agent_steps = 0.0;
  double seconds = 0.0;
  if (!execute_with_progress(plans, threads, run_options.quiet, runs, agent_steps, seconds)) {
    std::cerr << "\norgsim run: interrupted; no result written (" << out << " untouched)\n";
    return kExitInterrupted;
  }

  io::Provenance provenance;
  provenance.command_line = command_line;
  provenance.master_seed = params.run.seed;
  provenance.threads = threads;
  file.write(
      io::StudyResults{"", scenario_path, model::resolved_scenario_text(params), &plans, &runs},
      provenance);
  file.commit();

  std::cout << "orgsim run: " << plans.size() << " replications in " << format_duration(seconds)
            << " (" << std::scientific << std::setprecision(2)
            << (seconds > 0 ? agent_steps / seconds : 0.0) << " agent-steps/s)\n"
            << std::defaultfloat;
  print_group_summary(runs, params);
  std::cout << "results: " << out << "  ('orgsim info " << out << "' describes it)\n";
  return kExitOk;
}

}  // namespace orgsim::cli
