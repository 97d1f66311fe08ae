// orgsim run: runs a scenario's replications on a pool of threads and writes one HDF5
// result file, then prints a short summary of the final state.

#include <unistd.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "Commands.h"
#include "orgsim/core/Error.h"
#include "orgsim/core/Statistics.h"
#include "orgsim/engine/Executor.h"
#include "orgsim/io/ResultFile.h"
#include "orgsim/io/Scenario.h"
#include "orgsim/model/ParameterTable.h"

namespace po = boost::program_options;

namespace orgsim::cli {
namespace {

// Set by SIGINT/SIGTERM; the executor stops between periods and nothing is written.
std::atomic<bool> interrupt_requested{false};

extern "C" void request_interrupt(int) {
  interrupt_requested.store(true);
}

std::string format_duration(double seconds) {
  std::ostringstream text;
  text << std::fixed
       << std::setprecision(seconds < 1    ? 2
                            : seconds < 10 ? 1
                                           : 0)
       << seconds << " s";
  return text.str();
}

void print_progress(const engine::Progress& progress) {
  const double elapsed = std::chrono::duration<double>(progress.elapsed).count();
  const double rate = elapsed > 0 ? static_cast<double>(progress.done) / elapsed : 0.0;
  const double remaining =
      rate > 0 ? static_cast<double>(progress.total - progress.done) / rate : 0.0;
  constexpr int kWidth = 30;
  const int filled =
      static_cast<int>(kWidth * progress.done / std::max<std::size_t>(progress.total, 1));
  std::fprintf(stderr, "\r  [%s%s] %zu/%zu runs  %.1f runs/s  ETA %s   ",
               std::string(static_cast<std::size_t>(filled), '#').c_str(),
               std::string(static_cast<std::size_t>(kWidth - filled), '.').c_str(), progress.done,
               progress.total, rate, format_duration(remaining).c_str());
  if (progress.done == progress.total) std::fprintf(stderr, "\n");
  std::fflush(stderr);
}

void print_summary(const std::vector<engine::RunResult>& runs) {
  const auto& names = runs.front().firm_names;
  std::cout << "  final state over " << runs.size() << " replications (mean and 95% interval):\n";
  std::cout << "  " << std::left << std::setw(18) << "firm" << std::setw(18) << "quantity"
            << std::right << std::setw(10) << "mean"
            << "   95% interval\n";
  struct Row {
    std::string label;
    double (*pick)(const model::FirmSummary&);
  };
  const std::vector<Row> rows = {
      {"code_score",
       [](const model::FirmSummary& s) { return s.final[model::Quantity::code_score]; }},
      {"innovation",
       [](const model::FirmSummary& s) { return s.final[model::Quantity::innovation]; }},
      {"mean_knowledge",
       [](const model::FirmSummary& s) { return s.final[model::Quantity::mean_knowledge]; }},
      {"output_per_head",
       [](const model::FirmSummary& s) { return s.final[model::Quantity::output_per_head]; }},
      {"diversity",
       [](const model::FirmSummary& s) { return s.final[model::Quantity::diversity]; }},
      {"periods_run", [](const model::FirmSummary& s) { return s.periods_run; }},
  };
  for (std::size_t f = 0; f < names.size(); ++f) {
    for (const auto& row : rows) {
      std::vector<double> values;
      values.reserve(runs.size());
      for (const auto& run : runs) values.push_back(row.pick(run.summaries[f]));
      const MeanInterval estimate = mean_interval(values);
      std::cout << "  " << std::left << std::setw(18) << names[f] << std::setw(18) << row.label
                << std::right << std::fixed << std::setprecision(4) << std::setw(10)
                << estimate.mean;
      if (std::isnan(estimate.half_width)) {
        std::cout << "   (one replication: no interval)\n";
      } else {
        std::cout << "   [" << estimate.mean - estimate.half_width << ", "
                  << estimate.mean + estimate.half_width << "]\n";
      }
    }
  }
}

// Where stderr is a log rather than a terminal: one line every ten seconds at most.
void log_progress(const engine::Progress& progress) {
  static double last_logged = 0.0;
  const double elapsed = std::chrono::duration<double>(progress.elapsed).count();
  if (elapsed - last_logged < 10.0 || progress.done == progress.total) return;
  last_logged = elapsed;
  const double rate = static_cast<double>(progress.done) / elapsed;
  std::fprintf(stderr, "  %zu/%zu runs, %.1f runs/s, ETA %s\n", progress.done, progress.total, rate,
               format_duration(static_cast<double>(progress.total - progress.done) / rate).c_str());
}

constexpr const char* kRunUsage =
    "usage: orgsim run SCENARIO.cfg [--set KEY=VALUE ...] [--replications R] [--seed S]\n"
    "                  [--threads T] [--out FILE.h5] [--force] [--quiet]\n"
    "\n"
    "Runs R replications of the scenario (each with its own random streams derived from the\n"
    "seed and the replication number, so results do not depend on --threads) and writes one\n"
    "HDF5 file. 'orgsim params' lists the scenario keys.\n";

}  // namespace

int run_command(const std::vector<std::string>& args, const std::string& command_line) {
  // From the start, so that an interrupt at any moment removes the temporary file.
  std::signal(SIGINT, request_interrupt);
  std::signal(SIGTERM, request_interrupt);
  po::options_description options("options");
  options.add_options()("help,h", "show this help")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override a scenario key: KEY=VALUE (repeatable)")("replications,r", po::value<std::string>(),
                                                         "replications (run.replications)")(
      "seed", po::value<std::string>(), "master seed (run.seed)")(
      "threads,j", po::value<int>(), "worker threads (default: all hardware threads)")(
      "out,o", po::value<std::string>(), "result file (default: results/<scenario>.h5)")(
      "force", "overwrite an existing result file")("quiet,q", "no progress bar");
  po::options_description hidden;
  hidden.add_options()("scenario", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("scenario", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << kRunUsage << "\n" << options;
    return kExitOk;
  }
  if (!vm.count("scenario")) {
    throw ConfigError(
        "no scenario given; usage: orgsim run SCENARIO.cfg (for example "
        "scenarios/default.cfg)");
  }
  const auto scenarios = vm["scenario"].as<std::vector<std::string>>();
  if (scenarios.size() > 1) {
    throw ConfigError("one scenario per run, got " + std::to_string(scenarios.size()) + " ('" +
                      scenarios[1] + "' is extra); pass overrides with --set KEY=VALUE");
  }
  const std::string scenario_path = scenarios.front();
  const auto overrides =
      vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
  io::Scenario scenario = io::load_scenario(scenario_path, overrides);
  if (vm.count("replications")) {
    model::assign_parameter(scenario.params, "run.replications",
                            vm["replications"].as<std::string>(), "--replications");
  }
  if (vm.count("seed")) {
    model::assign_parameter(scenario.params, "run.seed", vm["seed"].as<std::string>(), "--seed");
  }
  int threads = engine::default_thread_count();
  if (vm.count("threads")) {
    threads = vm["threads"].as<int>();
    if (threads < 1 || threads > 1024) {
      throw ConfigError("--threads " + std::to_string(threads) +
                        " is out of range [1, 1024]; use a positive number of threads");
    }
  }

  std::string out;
  if (vm.count("out")) {
    out = vm["out"].as<std::string>();
  } else {
    out = "results/" + std::filesystem::path(scenario_path).stem().string() + ".h5";
    std::filesystem::create_directories("results");
  }
  io::ResultFile file(out, vm.count("force") > 0);

  const auto& params = scenario.params;
  const auto plans = engine::replicate(params);
  std::cerr << "orgsim run: " << scenario_path << ", " << plans.size() << " replications, "
            << (params.run.stop == model::StopRule::periods
                    ? std::to_string(params.run.periods) + " periods"
                    : "to equilibrium (at most " + std::to_string(params.run.max_periods) +
                          " periods)")
            << ", seed " << params.run.seed << ", " << threads << " thread"
            << (threads == 1 ? "" : "s") << "\n";

  engine::ExecutorOptions executor;
  executor.threads = threads;
  executor.cancel = &interrupt_requested;
  if (!vm.count("quiet")) executor.progress = isatty(STDERR_FILENO) ? print_progress : log_progress;

  std::vector<engine::RunResult> runs(plans.size());
  double agent_steps = 0.0;
  const auto start = std::chrono::steady_clock::now();
  try {
    engine::execute(plans, executor, [&](std::size_t index, engine::RunResult&& result) {
      agent_steps += result.agent_steps;
      runs[index] = std::move(result);
    });
  } catch (const engine::Interrupted&) {
    std::cerr << "\norgsim run: interrupted; no result written (" << out << " untouched)\n";
    return kExitInterrupted;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  io::Provenance provenance;
  provenance.command_line = command_line;
  provenance.scenario_file = scenario_path;
  provenance.scenario_text = model::resolved_scenario_text(params);
  provenance.master_seed = params.run.seed;
  provenance.threads = threads;
  file.write(plans, runs, provenance);
  file.commit();

  std::cout << "orgsim run: " << plans.size() << " replications in " << format_duration(seconds)
            << " (" << std::scientific << std::setprecision(2)
            << (seconds > 0 ? agent_steps / seconds : 0.0) << " agent-steps/s)\n"
            << std::defaultfloat;
  print_summary(runs);
  std::cout << "results: " << out << "  ('orgsim info " << out << "' describes it)\n";
  return kExitOk;
}

}  // namespace orgsim::cli
