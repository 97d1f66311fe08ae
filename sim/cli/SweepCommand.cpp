// orgsim sweep: a scenario over a design of points, with replications at each. Runs are
// written to disk as they finish, so memory stays flat and an interrupted sweep (even one
// killed outright) continues with --resume. Replication r uses the same seed at every
// point, so differences between points are paired.

#include <boost/program_options.hpp>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <set>

#include "Commands.h"
#include "Job.h"
#include "RunSupport.h"
#include "orgsim/core/Error.h"
#include "orgsim/engine/Campaign.h"
#include "orgsim/engine/Design.h"
#include "orgsim/engine/Study.h"
#include "orgsim/engine/Summary.h"
#include "orgsim/io/ResultSink.h"
#include "orgsim/model/ParameterTable.h"

namespace po = boost::program_options;

namespace orgsim::cli {
namespace {

constexpr const char* kSweepUsage =
    "usage: orgsim sweep SCENARIO.cfg --vary KEY=SPEC [--vary ...] [--design grid|lhs|sobol|"
    "saltelli]\n"
    "                    [--samples N] [--replications R] [--seed S] [--threads T]\n"
    "                    [--out FILE.h5] [--force | --resume] [--status FILE] [--quiet]\n"
    "                    [--every K | --summaries-only]\n"
    "\n"
    "Runs R replications of the scenario at every point of a design and writes one HDF5\n"
    "file. SPEC is LOW:HIGH:STEP or V1,V2,... for a grid (the default), LOW:HIGH for lhs,\n"
    "sobol and saltelli (with --samples N; saltelli makes N (k + 2) points for Sobol\n"
    "indices). Any scenario key can vary, group.NAME.KEY ones too. Replication r uses the\n"
    "same seed at every point: differences between points are paired. Runs go to disk as\n"
    "they finish; after an interruption, the same command with --resume continues.\n"
    "Every period of every run is recorded unless --every K or --summaries-only: a sweep of\n"
    "thousands of runs whose analysis needs only the summaries wants --summaries-only.\n";

constexpr std::size_t kHeadPoints = 10;
constexpr std::size_t kTailPoints = 5;

void print_sweep_summary(const engine::PointSummary& summary, const engine::Study& study) {
  if (summary.focal.empty()) return;  // every run failed: nothing to estimate
  const bool rivals = model::firm_count(study.base()) > 1;
  const bool trajectories = study.trajectories() == engine::Trajectories::recorded;
  std::cout << "  focal firm '" << summary.focal
            << "' per design point, mean and 95% interval over " << study.replications()
            << " replications"
            << (study.point_count() > kHeadPoints + kTailPoints
                    ? " (the first " + std::to_string(kHeadPoints) + " and last " +
                          std::to_string(kTailPoints) + " of " +
                          std::to_string(study.point_count()) + " points)"
                    : "")
            << (trajectories || !rivals ? "" : "; mean lead not recorded (--summaries-only)")
            << ":\n"
            << point_table(summary, study.design(), study.point_count(),
                           engine::headline_measures(), false, rivals, trajectories);
}

}  // namespace

int sweep_command(const std::vector<std::string>& args, const std::string& command_line) {
  install_interrupt_handler();
  po::options_description options("options");
  options.add_options()("help,h", "show this help");
  add_design_options(options);
  add_run_options(options);
  const po::variables_map vm = parse_run_arguments(args, options);
  if (vm.count("help")) {
    std::cout << kSweepUsage << "\n" << options;
    return kExitOk;
  }
  const auto paths = vm.count("scenario") ? vm["scenario"].as<std::vector<std::string>>()
                                          : std::vector<std::string>{};
  if (paths.size() != 1) {
    throw ConfigError("expected one scenario, got " + std::to_string(paths.size()) +
                      "; usage: orgsim sweep SCENARIO.cfg --vary KEY=SPEC");
  }
  if (!vm.count("vary")) {
    throw ConfigError(
        "nothing to vary; add --vary KEY=SPEC, for example --vary "
        "env.turbulence=0:0.05:0.01 (or use orgsim run)");
  }
  const RunOptions run_options = read_run_options(vm);
  const io::Scenario scenario = load_with_options(paths[0], run_options);

  engine::Design design = read_design(vm, scenario.run.seed);
  const engine::Study study(scenario.settings, std::move(design), run_options.trajectories);
  // A Python function cannot reach the command line: refuse before any file is made.
  study.require_leader_rule(nullptr);

  std::string out;
  if (run_options.out) {
    out = *run_options.out;
  } else {
    out = "results/" + std::filesystem::path(paths[0]).stem().string() + "_sweep.h5";
    std::filesystem::create_directories("results");
  }
  const std::vector<io::StudyInfo> studies = {io::StudyInfo{"", paths[0], &study}};
  const auto file = open_result_file(out, studies, run_options.force, run_options.resume);
  if (current_job().coordinator())
    std::cerr << "orgsim sweep: " << paths[0] << ", "
              << engine::design_kind_name(study.design().kind) << " design of "
              << study.point_count() << " points x " << study.replications()
              << " replications = " << study.run_count() << " runs, seed " << study.seed() << ", "
              << (current_job().distributed() ? std::to_string(current_job().size) + " ranks x "
                                              : "")
              << run_options.threads << " thread" << (run_options.threads == 1 ? "" : "s")
              << resume_note(file.get(), run_options.resume) << "\n";
  report_expected_size("sweep", studies, run_options);

  const engine::Campaign campaign({&study});
  const engine::CampaignReport report = execute_job(file.get(), campaign, run_options);
  if (!current_job().coordinator()) return kExitOk;
  if (report.interrupted) {
    return stop_interrupted("sweep", *file);
  }
  const io::ResultSink sink(*file);
  // The focal firm per design point, head and tail; before finish(), which removes the
  // journal it is read from.
  const engine::PointSummary summary = engine::summarise_points(
      campaign, sink, engine::headline_measures(),
      engine::head_and_tail(study.point_count(), kHeadPoints, kTailPoints));
  // A few distinct reasons for failed runs, so that a bad region of the design shows.
  std::set<std::string> reasons;
  sink.for_each_failure([&](std::size_t, const std::string& error) {
    if (reasons.size() < 3) reasons.insert(error);
  });
  const std::size_t failed = file->failed();
  io::Provenance provenance;
  provenance.command_line = command_line;
  provenance.threads = run_options.threads;
  provenance.compress_trajectories = run_options.compress;
  file->finish(provenance);

  std::cout << speed_line("sweep", "runs", report, true, true) << "\n";
  if (current_job().distributed()) {
    std::cout << "  " << current_job().size << " MPI ranks; rank 0 spent " << std::fixed
              << std::setprecision(2) << report.coordinator_recording_seconds
              << " s receiving and journaling the other ranks' runs" << std::defaultfloat << "\n";
  }
  if (failed > 0) {
    std::cout << "  " << failed << " of " << study.run_count()
              << " runs failed (design/failed and design/error say which and why), e.g.:\n";
    for (const auto& reason : reasons) std::cout << "    " << reason << "\n";
  }
  print_sweep_summary(summary, study);
  std::cout << "results: " << out << "  ('orgsim info " << out << "' describes it)\n";
  return kExitOk;
}

}  // namespace orgsim::cli
