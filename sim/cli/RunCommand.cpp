// orgsim run: runs a scenario's replications on a pool of threads and writes one HDF5
// result file, then prints a short summary of the final state.

#include <boost/program_options.hpp>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "Commands.h"
#include "Job.h"
#include "RunSupport.h"
#include "orgsim/core/Error.h"
#include "orgsim/engine/Campaign.h"
#include "orgsim/engine/Study.h"
#include "orgsim/engine/Summary.h"
#include "orgsim/io/ResultFile.h"
#include "orgsim/io/ResultSink.h"
#include "orgsim/io/Scenario.h"
#include "orgsim/model/ParameterTable.h"

namespace po = boost::program_options;

namespace orgsim::cli {
namespace {

constexpr const char* kRunUsage =
    "usage: orgsim run SCENARIO.cfg [--set KEY=VALUE ...] [--replications R] [--seed S]\n"
    "                  [--threads T] [--out FILE.h5] [--force] [--quiet]\n"
    "                  [--every K | --summaries-only]\n"
    "\n"
    "Runs R replications of the scenario (each with its own random streams derived from the\n"
    "seed and the replication number, so results do not depend on --threads) and writes one\n"
    "HDF5 file, by default results/<scenario>.h5. 'orgsim params' lists the scenario keys.\n"
    "It says first how big the file will be: every period is recorded unless --every K\n"
    "(every K-th) or --summaries-only (none: each run's summaries only).\n";

}  // namespace

int run_command(const std::vector<std::string>& args, const std::string& command_line) {
  // From the start, so that an interrupt at any moment keeps what finished for --resume.
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
  const io::Scenario scenario = load_with_options(scenario_path, run_options);
  const engine::Study study(scenario.settings, engine::Design{}, run_options.trajectories);
  // A Python function cannot reach the command line: refuse before any file is made.
  study.require_leader_rule(nullptr);

  std::string out;
  if (run_options.out) {
    out = *run_options.out;
  } else {
    out = "results/" + std::filesystem::path(scenario_path).stem().string() + ".h5";
    std::filesystem::create_directories("results");
  }
  const std::vector<io::StudyInfo> studies = {io::StudyInfo{"", scenario_path, &study}};
  const auto file = open_result_file(out, studies, run_options.force, run_options.resume);

  const auto& params = scenario.params;
  const int threads = run_options.threads;
  if (current_job().coordinator())
    std::cerr << "orgsim run: " << scenario_path << ", " << model::firm_count(params) << " firm"
              << (model::firm_count(params) == 1 ? "" : "s") << ", " << study.run_count()
              << " replications, "
              << (params.run.stop == model::StopRule::periods
                      ? std::to_string(params.run.periods) + " periods"
                      : "to equilibrium (at most " + std::to_string(params.run.max_periods) +
                            " periods)")
              << ", seed " << scenario.run.seed << ", " << threads << " thread"
              << (threads == 1 ? "" : "s") << resume_note(file.get(), run_options.resume) << "\n";
  report_expected_size("run", studies, run_options);

  const engine::CampaignReport report =
      execute_job(file.get(), engine::Campaign({&study}), run_options);
  if (!current_job().coordinator()) return kExitOk;
  if (report.interrupted) {
    return stop_interrupted("run", *file);
  }
  const std::string summary = group_table(engine::summarise_groups(io::ResultSink(*file), params));
  const std::size_t failed = file->failed();
  io::Provenance provenance;
  provenance.command_line = command_line;
  provenance.threads = threads;
  provenance.compress_trajectories = run_options.compress;
  file->finish(provenance);

  std::cout << speed_line("run", "replications", report, false, false)
            << (failed > 0 ? ", " + std::to_string(failed) + " failed (see design/error)" : "")
            << "\n"
            << summary;
  std::cout << "results: " << out << "  ('orgsim info " << out << "' describes it)\n";
  return kExitOk;
}

}  // namespace orgsim::cli
