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
#include "orgsim/engine/Design.h"
#include "orgsim/engine/Study.h"

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

}  // namespace

int sweep_command(const std::vector<std::string>& args, const std::string& command_line) {
  install_interrupt_handler();
  po::options_description options("options");
  options.add_options()("help,h", "show this help")(
      "vary", po::value<std::vector<std::string>>()->composing(),
      "a factor: KEY=LOW:HIGH:STEP, KEY=LOW:HIGH or KEY=V1,V2,... (repeatable)")(
      "design", po::value<std::string>()->default_value("grid"), "grid | lhs | sobol | saltelli")(
      "samples,n", po::value<long>(), "N for lhs, sobol and saltelli designs");
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

  std::vector<engine::Factor> factors;
  std::set<std::string> keys;
  for (const auto& text : vm["vary"].as<std::vector<std::string>>()) {
    factors.push_back(engine::parse_factor(text));
    if (!keys.insert(factors.back().key).second) {
      throw ConfigError("--vary " + factors.back().key + " is given twice; vary each key once");
    }
  }
  engine::Study::prepare_factors(factors);
  const engine::DesignKind kind = engine::parse_design_kind(vm["design"].as<std::string>());
  if (kind == engine::DesignKind::grid && vm.count("samples")) {
    throw ConfigError(
        "--samples is for lhs, sobol and saltelli designs; a grid's size comes "
        "from its steps and lists");
  }
  const long samples = vm.count("samples") ? vm["samples"].as<long>() : 0;
  engine::Design design =
      engine::make_design(kind, std::move(factors), samples, scenario.params.run.seed);
  const engine::Study study(scenario.settings, std::move(design), run_options.trajectories);

  std::string out;
  if (run_options.out) {
    out = *run_options.out;
  } else {
    out = "results/" + std::filesystem::path(paths[0]).stem().string() + "_sweep.h5";
    std::filesystem::create_directories("results");
  }
  const std::vector<io::StudyInfo> studies = {io::StudyInfo{"", paths[0], &study}};
  const auto file = open_result_file(out, studies, run_options.force, run_options.resume);
  if (current_job().leader())
    std::cerr << "orgsim sweep: " << paths[0] << ", "
              << engine::design_kind_name(study.design().kind) << " design of "
              << study.point_count() << " points x " << study.replications()
              << " replications = " << study.run_count() << " runs, seed " << study.seed() << ", "
              << (current_job().distributed() ? std::to_string(current_job().size) + " ranks x "
                                              : "")
              << run_options.threads << " thread" << (run_options.threads == 1 ? "" : "s")
              << resume_note(file.get(), run_options.resume) << "\n";
  report_expected_size("sweep", studies, run_options);

  const ExecutionReport report = execute_job(file.get(), {&study}, run_options);
  if (!current_job().leader()) return kExitOk;
  if (report.interrupted) {
    return stop_interrupted("sweep", *file);
  }
  // A few distinct reasons for failed runs, so that a bad region of the design shows.
  std::set<std::string> reasons;
  file->for_each_failure([&](std::size_t, const std::string& error) {
    if (reasons.size() < 3) reasons.insert(error);
  });
  const std::size_t failed = file->failed();
  io::Provenance provenance;
  provenance.command_line = command_line;
  provenance.threads = run_options.threads;
  provenance.compress_trajectories = run_options.compress;
  file->finish(provenance);

  std::cout << "orgsim sweep: " << report.ran << " runs in " << format_duration(report.seconds)
            << " (" << std::fixed << std::setprecision(1)
            << (report.seconds > 0 ? static_cast<double>(report.ran) / report.seconds : 0.0)
            << " runs/s, " << std::scientific << std::setprecision(2)
            << (report.seconds > 0 ? report.agent_steps / report.seconds : 0.0)
            << " agent-steps/s), peak memory " << std::fixed << std::setprecision(0)
            << peak_memory_mib() << " MiB" << std::defaultfloat << "\n";
  if (current_job().distributed()) {
    std::cout << "  " << current_job().size << " MPI ranks; rank 0 spent " << std::fixed
              << std::setprecision(2) << report.leader_recording_seconds
              << " s receiving and journaling the other ranks' runs" << std::defaultfloat << "\n";
  }
  if (failed > 0) {
    std::cout << "  " << failed << " of " << study.run_count()
              << " runs failed (design/failed and design/error say which and why), e.g.:\n";
    for (const auto& reason : reasons) std::cout << "    " << reason << "\n";
  }
  std::cout << "results: " << out << "  ('orgsim info " << out << "' describes it)\n";
  return kExitOk;
}

}  // namespace orgsim::cli
