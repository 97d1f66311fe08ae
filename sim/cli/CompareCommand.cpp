// orgsim compare: two scenarios of the same industry with the same seeds, so that run r of
// each is replication r with identical random streams for every firm whose settings agree.
// Prints the focal firm's paired differences and writes one HDF5 file with a scenario
// dimension; over a design (--vary), per design point, into a file with the scenario
// dimension first and the design's columns.

#include <algorithm>
#include <boost/program_options.hpp>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "Commands.h"
#include "Job.h"
#include "RunSupport.h"
#include "orgsim/core/Error.h"
#include "orgsim/core/Statistics.h"
#include "orgsim/engine/Campaign.h"
#include "orgsim/engine/Study.h"
#include "orgsim/engine/Summary.h"
#include "orgsim/io/ResultFile.h"
#include "orgsim/io/ResultSink.h"
#include "orgsim/io/Scenario.h"
#include "orgsim/model/ParameterTable.h"
#include "orgsim/model/Summary.h"

namespace po = boost::program_options;

namespace orgsim::cli {
namespace {

constexpr const char* kCompareUsage =
    "usage: orgsim compare A.cfg B.cfg [--set KEY=VALUE ...] [--replications R] [--seed S]\n"
    "                      [--vary KEY=SPEC ... [--design grid|lhs|sobol|saltelli]\n"
    "                      [--samples N]] [--threads T] [--out FILE.h5]\n"
    "                      [--force | --resume] [--quiet] [--every K | --summaries-only]\n"
    "\n"
    "Runs both scenarios with the same seed and replication numbers (A's run.replications\n"
    "and run.seed unless given), so every firm draws the same random numbers in both and\n"
    "differences are paired. --set applies to both. Prints the first firm's (the focal\n"
    "firm's) final state in each and the paired difference B - A with 95% intervals, and\n"
    "writes one HDF5 file with a scenario dimension (default results/A_vs_B.h5).\n"
    "With --vary (as in orgsim sweep) both run over the same design: run r of each is the\n"
    "same design point and replication with the same seed, the file has the scenario\n"
    "dimension first and the design's columns, and the paired differences B - A are\n"
    "printed per design point (the first 10 and last 5 when there are more).\n";

constexpr std::size_t kHeadPoints = 10;
constexpr std::size_t kTailPoints = 5;

// The late window's periods, as the mean lead's row names them: "periods A-B" when both
// scenarios run the same fixed number of periods with the same summary.late_share, else
// what it is in each run.
std::string late_window_text(const model::ModelParams& a, const model::ModelParams& b) {
  const bool fixed = a.run.stop == model::StopRule::periods &&
                     b.run.stop == model::StopRule::periods && a.run.periods == b.run.periods &&
                     a.summary.late_share == b.summary.late_share;
  if (!fixed) return "the last summary.late_share of each run's periods";
  const int periods = a.run.periods;
  const int first = periods - model::late_window_periods(a.summary.late_share, periods) + 1;
  return "periods " + std::to_string(first) + "-" + std::to_string(periods);
}

void print_comparison(const engine::Campaign& campaign, const engine::RunSink& sink,
                      const std::string& name_a, const std::string& name_b,
                      bool trajectories_recorded, const std::string& late_window) {
  const auto& measures = engine::comparison_measures();
  const engine::PointSummary summary = engine::summarise_points(campaign, sink, measures, {0});
  const engine::PointEstimates& estimates = summary.points.front();
  std::vector<std::string> labels;
  std::size_t width = std::string_view("quantity").size();
  bool window_named = false;
  for (const auto& measure : measures) {
    std::string label = measure.label;
    // The first late-window row says which periods the window is.
    if (measure.late_window && !window_named) {
      label += " (" + late_window + ")";
      window_named = true;
    }
    width = std::max(width, label.size());
    labels.push_back(std::move(label));
  }
  const int column = static_cast<int>(width + 2);
  std::cout << "  focal firm '" << summary.focal << "', mean and 95% interval over "
            << campaign.runs_per_study() << " paired replications:\n";
  std::cout << "  " << std::left << std::setw(column) << "quantity" << std::setw(28) << name_a
            << std::setw(28) << name_b << "difference (B - A)\n";
  for (std::size_t m = 0; m < measures.size(); ++m) {
    if (measures[m].needs_trajectories && !trajectories_recorded) {
      // Not a zero: without the trajectories there is nothing to average.
      std::cout << "  " << std::left << std::setw(column) << labels[m]
                << "not recorded (--summaries-only keeps no trajectories)\n";
      continue;
    }
    std::cout << "  " << std::left << std::setw(column) << labels[m] << std::setw(28)
              << estimate_text(estimates.levels[0][m], false) << std::setw(28)
              << estimate_text(estimates.levels[1][m], false)
              << estimate_text(estimates.differences[0][m], true) << "\n";
  }
}

// Over a design: the focal firm's headline paired differences per point.
void print_design_comparison(const engine::Campaign& campaign, const engine::RunSink& sink,
                             const std::string& name_a, const std::string& name_b,
                             bool trajectories_recorded) {
  const engine::Study& study = campaign.study(0);
  const engine::PointSummary summary = engine::summarise_points(
      campaign, sink, engine::headline_measures(),
      engine::head_and_tail(study.point_count(), kHeadPoints, kTailPoints));
  if (summary.focal.empty()) return;  // every run failed
  std::cout << "  focal firm '" << summary.focal << "', " << name_b << " - " << name_a
            << " per design point, paired over " << study.replications()
            << " replications (mean and 95% interval)"
            << (study.point_count() > kHeadPoints + kTailPoints
                    ? ", the first " + std::to_string(kHeadPoints) + " and last " +
                          std::to_string(kTailPoints) + " of " +
                          std::to_string(study.point_count()) + " points"
                    : "")
            << (trajectories_recorded || model::firm_count(study.base()) == 1
                    ? ""
                    : "; mean lead not recorded (--summaries-only)")
            << ":\n"
            << point_table(summary, study.design(), study.point_count(),
                           engine::headline_measures(), true, model::firm_count(study.base()) > 1,
                           trajectories_recorded);
}

}  // namespace

int compare_command(const std::vector<std::string>& args, const std::string& command_line) {
  install_interrupt_handler();
  po::options_description options("options");
  options.add_options()("help,h", "show this help");
  add_design_options(options);
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
  RunOptions run_options = read_run_options(vm);
  io::Scenario a = load_with_options(paths[0], run_options);
  io::Scenario b = load_with_options(paths[1], run_options);
  io::pair_scenarios(a, b);
  const auto [name_a, name_b] =
      io::comparison_names(std::filesystem::path(paths[0]).stem().string(),
                           std::filesystem::path(paths[1]).stem().string());
  // One design for both (its LHS stream named by A's seed, which B shares), so that run r
  // of each is the same point and replication.
  const engine::Design design = read_design(vm, a.run.seed);
  const bool over_design = !design.factors.empty();
  const engine::Study study_a(a.settings, design, run_options.trajectories);
  const engine::Study study_b(b.settings, design, run_options.trajectories);
  const engine::Campaign campaign({&study_a, &study_b});
  // A Python function cannot reach the command line: refuse before any file is made.
  study_a.require_leader_rule(nullptr);
  study_b.require_leader_rule(nullptr);

  std::string out;
  if (run_options.out) {
    out = *run_options.out;
  } else {
    out = "results/" + name_a + "_vs_" + name_b + ".h5";
    std::filesystem::create_directories("results");
  }
  const std::vector<io::StudyInfo> studies = {io::StudyInfo{name_a, paths[0], &study_a},
                                              io::StudyInfo{name_b, paths[1], &study_b}};
  const auto file = open_result_file(out, studies, run_options.force, run_options.resume);
  if (current_job().coordinator()) {
    std::cerr << "orgsim compare: " << name_a << " vs " << name_b << ", "
              << model::firm_count(a.params) << " firms, ";
    if (over_design) {
      std::cerr << engine::design_kind_name(design.kind) << " design of " << study_a.point_count()
                << " points x " << study_a.replications()
                << " paired replications = " << study_a.run_count() << " runs per scenario";
    } else {
      std::cerr << study_a.run_count() << " paired replications";
    }
    std::cerr << ", seed " << a.run.seed << ", " << run_options.threads << " thread"
              << (run_options.threads == 1 ? "" : "s")
              << resume_note(file.get(), run_options.resume) << "\n";
  }
  report_expected_size("compare", studies, run_options);

  const engine::CampaignReport report = execute_job(file.get(), campaign, run_options);
  if (!current_job().coordinator()) return kExitOk;
  if (report.interrupted) {
    return stop_interrupted("compare", *file);
  }
  std::cout << speed_line("compare", "runs", report, false, false) << "\n";
  const io::ResultSink sink(*file);
  const bool recorded = run_options.trajectories == engine::Trajectories::recorded;
  if (over_design) {
    print_design_comparison(campaign, sink, name_a, name_b, recorded);
  } else {
    print_comparison(campaign, sink, name_a, name_b, recorded,
                     late_window_text(a.params, b.params));
  }
  if (const std::size_t failed = file->failed(); failed > 0) {
    std::cout << "  " << failed << " of " << campaign.run_count()
              << " runs failed (design/failed and design/error say which and why)\n";
  }
  io::Provenance provenance;
  provenance.command_line = command_line;
  provenance.threads = run_options.threads;
  provenance.compress_trajectories = run_options.compress;
  file->finish(provenance);
  std::cout << "results: " << out << "  ('orgsim info " << out << "' describes it)\n";
  return kExitOk;
}

}  // namespace orgsim::cli
