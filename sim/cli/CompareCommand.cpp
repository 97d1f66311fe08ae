// orgsim compare: two scenarios of the same industry with the same seeds, so that run r of
// each is replication r with identical random streams for every firm whose settings agree.
// Prints the focal firm's paired differences and writes one HDF5 file with a scenario
// dimension.

#include <boost/program_options.hpp>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "Commands.h"
#include "Job.h"
#include "RunSupport.h"
#include "orgsim/core/Error.h"
#include "orgsim/core/Statistics.h"
#include "orgsim/engine/Study.h"
#include "orgsim/io/ResultFile.h"
#include "orgsim/io/Scenario.h"
#include "orgsim/model/ParameterTable.h"

namespace po = boost::program_options;

namespace orgsim::cli {
namespace {

constexpr const char* kCompareUsage =
    "usage: orgsim compare A.cfg B.cfg [--set KEY=VALUE ...] [--replications R] [--seed S]\n"
    "                      [--threads T] [--out FILE.h5] [--force] [--quiet]\n"
    "                      [--every K | --summaries-only]\n"
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

void print_comparison(const io::ResultFile& file, const std::string& name_a,
                      const std::string& name_b, bool trajectories_recorded) {
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
  // Each study's row values per run (NaN where a run failed), to pair them.
  const std::size_t runs = file.runs_per_study();
  std::vector<std::vector<double>> values(2 * rows.size(), std::vector<double>(runs, std::nan("")));
  std::string focal;
  file.for_each_result([&](std::size_t run, const engine::RunResult& result) {
    focal = result.firm_names.front();
    const std::size_t study = run / runs;
    for (std::size_t row = 0; row < rows.size(); ++row) {
      values[study * rows.size() + row][run % runs] = rows[row].pick(result);
    }
  });
  std::cout << "  focal firm '" << focal << "', mean and 95% interval over " << runs
            << " paired replications:\n";
  std::cout << "  " << std::left << std::setw(26) << "quantity" << std::setw(28) << name_a
            << std::setw(28) << name_b << "difference (B - A)\n";
  for (std::size_t row = 0; row < rows.size(); ++row) {
    if (rows[row].pick == mean_lead && !trajectories_recorded) {
      // Not a zero: without the trajectories there is nothing to average.
      std::cout << "  " << std::left << std::setw(26) << rows[row].label
                << "not recorded (--summaries-only keeps no trajectories)\n";
      continue;
    }
    const auto& a = values[row];
    const auto& b = values[rows.size() + row];
    std::vector<double> difference(runs);
    for (std::size_t r = 0; r < runs; ++r) difference[r] = b[r] - a[r];
    std::cout << "  " << std::left << std::setw(26) << rows[row].label << std::setw(28)
              << cell(mean_interval(a), false) << std::setw(28) << cell(mean_interval(b), false)
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
  RunOptions run_options = read_run_options(vm);
  io::Scenario a = load_with_options(paths[0], run_options);
  // Pair the runs: B takes A's replications and seed.
  RunOptions b_options = run_options;
  b_options.replications = std::to_string(a.params.run.replications);
  b_options.seed = std::to_string(a.params.run.seed);
  io::Scenario b = load_with_options(paths[1], b_options);
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
  const engine::Study study_a(a.settings, engine::Design{}, run_options.trajectories);
  const engine::Study study_b(b.settings, engine::Design{}, run_options.trajectories);

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
  if (current_job().leader())
    std::cerr << "orgsim compare: " << name_a << " vs " << name_b << ", "
              << model::firm_count(a.params) << " firms, " << study_a.run_count()
              << " paired replications, seed " << a.params.run.seed << ", " << run_options.threads
              << " thread" << (run_options.threads == 1 ? "" : "s") << "\n";
  report_expected_size("compare", studies, run_options);

  const ExecutionReport report = execute_job(file.get(), {&study_a, &study_b}, run_options);
  if (!current_job().leader()) return kExitOk;
  if (report.interrupted) {
    return stop_interrupted("compare", *file);
  }
  std::cout << "orgsim compare: " << report.ran << " runs in " << format_duration(report.seconds)
            << " (" << std::scientific << std::setprecision(2)
            << (report.seconds > 0 ? report.agent_steps / report.seconds : 0.0)
            << " agent-steps/s)\n"
            << std::defaultfloat;
  print_comparison(*file, name_a, name_b,
                   run_options.trajectories == engine::Trajectories::recorded);
  io::Provenance provenance;
  provenance.command_line = command_line;
  provenance.threads = run_options.threads;
  provenance.compress_trajectories = run_options.compress;
  file->finish(provenance);
  std::cout << "results: " << out << "  ('orgsim info " << out << "' describes it)\n";
  return kExitOk;
}

}  // namespace orgsim::cli
