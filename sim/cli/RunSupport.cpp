#include "RunSupport.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "orgsim/core/Error.h"
#include "orgsim/core/Statistics.h"
#include "orgsim/engine/Executor.h"
#include "orgsim/model/ParameterTable.h"

namespace po = boost::program_options;

namespace orgsim::cli {
namespace {

// Set by SIGINT/SIGTERM; the executor stops between periods and nothing is written.
std::atomic<bool> interrupt_requested{false};

extern "C" void request_interrupt(int) {
  interrupt_requested.store(true);
}

void print_progress_bar(const engine::Progress& progress) {
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

}  // namespace

void add_run_options(po::options_description& options) {
  options.add_options()("set", po::value<std::vector<std::string>>()->composing(),
                        "override a scenario key: KEY=VALUE (repeatable)")(
      "replications,r", po::value<std::string>(), "replications (run.replications)")(
      "seed", po::value<std::string>(), "master seed (run.seed)")(
      "threads,j", po::value<int>(), "worker threads (default: all hardware threads)")(
      "out,o", po::value<std::string>(), "result file (default: under results/)")(
      "force", "overwrite an existing result file")("quiet,q", "no progress display");
}

po::variables_map parse_run_arguments(const std::vector<std::string>& args,
                                      const po::options_description& options) {
  po::options_description hidden;
  hidden.add_options()("scenario", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("scenario", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
  po::notify(vm);
  return vm;
}

RunOptions read_run_options(const po::variables_map& vm) {
  RunOptions options;
  if (vm.count("set")) options.overrides = vm["set"].as<std::vector<std::string>>();
  if (vm.count("replications")) options.replications = vm["replications"].as<std::string>();
  if (vm.count("seed")) options.seed = vm["seed"].as<std::string>();
  options.threads = engine::default_thread_count();
  if (vm.count("threads")) {
    options.threads = vm["threads"].as<int>();
    if (options.threads < 1 || options.threads > 1024) {
      throw ConfigError("--threads " + std::to_string(options.threads) +
                        " is out of range [1, 1024]; use a positive number of threads");
    }
  }
  if (vm.count("out")) options.out = vm["out"].as<std::string>();
  options.force = vm.count("force") > 0;
  options.quiet = vm.count("quiet") > 0;
  return options;
}

void apply_run_options(model::ModelParams& params, const RunOptions& options) {
  if (options.replications) {
    model::assign_parameter(params, "run.replications", *options.replications, "--replications");
  }
  if (options.seed) model::assign_parameter(params, "run.seed", *options.seed, "--seed");
}

void install_interrupt_handler() {
  std::signal(SIGINT, request_interrupt);
  std::signal(SIGTERM, request_interrupt);
}

bool execute_with_progress(const std::vector<engine::RunPlan>& plans, int threads, bool quiet,
                           std::vector<engine::RunResult>& results, double& agent_steps,
                           double& seconds) {
  engine::ExecutorOptions executor;
  executor.threads = threads;
  executor.cancel = &interrupt_requested;
  if (!quiet) executor.progress = isatty(STDERR_FILENO) ? print_progress_bar : log_progress;
  results.assign(plans.size(), {});
  agent_steps = 0.0;
  const auto start = std::chrono::steady_clock::now();
  try {
    engine::execute(plans, executor, [&](std::size_t index, engine::RunResult&& result) {
      agent_steps += result.agent_steps;
      results[index] = std::move(result);
    });
  } catch (const engine::Interrupted&) {
    return false;
  }
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return true;
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

void print_group_summary(const std::vector<engine::RunResult>& runs,
                         const model::ModelParams& params) {
  struct Row {
    const char* label;
    double (*pick)(const model::FirmSummary&);
    bool rivals_only;  // meaningless with a single firm
  };
  using Q = model::Quantity;
  static const std::vector<Row> rows = {
      {"code_score", [](const model::FirmSummary& s) { return s.final[Q::code_score]; }, false},
      {"innovation", [](const model::FirmSummary& s) { return s.final[Q::innovation]; }, false},
      {"mean_knowledge", [](const model::FirmSummary& s) { return s.final[Q::mean_knowledge]; },
       false},
      {"output_per_head", [](const model::FirmSummary& s) { return s.final[Q::output_per_head]; },
       false},
      {"market_share", [](const model::FirmSummary& s) { return s.final[Q::market_share]; }, true},
      {"lead", [](const model::FirmSummary& s) { return s.final[Q::lead]; }, true},
      {"share_periods_lead", [](const model::FirmSummary& s) { return s.share_periods_lead; },
       true},
      {"mean_pressure", [](const model::FirmSummary& s) { return s.final[Q::mean_pressure]; },
       false},
      {"explore_share", [](const model::FirmSummary& s) { return s.final[Q::explore_share]; },
       false},
      {"diversity", [](const model::FirmSummary& s) { return s.final[Q::diversity]; }, false},
      {"headcount", [](const model::FirmSummary& s) { return s.final[Q::headcount]; }, true},
      {"leader_changes", [](const model::FirmSummary& s) { return s.final[Q::leader_changes]; },
       true},
      {"periods_run", [](const model::FirmSummary& s) { return s.periods_run; }, false},
  };
  const auto groups = model::firm_groups(params);
  const bool rivals = model::firm_count(params) > 1;
  std::cout << "  final state over " << runs.size()
            << " replications (mean and 95% interval; a group's firms averaged):\n";
  std::cout << "  " << std::left << std::setw(14) << "group" << std::setw(20) << "quantity"
            << std::right << std::setw(10) << "mean"
            << "   95% interval\n";
  std::size_t first_firm = 0;
  for (const auto& group : groups) {
    for (const auto& row : rows) {
      if (row.rivals_only && !rivals) continue;
      std::vector<double> values;
      values.reserve(runs.size());
      for (const auto& run : runs) {
        double sum = 0.0;
        for (int k = 0; k < group.count; ++k) {
          sum += row.pick(run.summaries[first_firm + static_cast<std::size_t>(k)]);
        }
        values.push_back(sum / group.count);
      }
      const MeanInterval estimate = mean_interval(values);
      std::cout << "  " << std::left << std::setw(14) << group.name << std::setw(20) << row.label
                << std::right << std::fixed << std::setprecision(4) << std::setw(10)
                << estimate.mean;
      if (std::isnan(estimate.half_width)) {
        std::cout << "   (one replication: no interval)\n";
      } else {
        std::cout << "   [" << estimate.mean - estimate.half_width << ", "
                  << estimate.mean + estimate.half_width << "]\n";
      }
    }
    first_firm += static_cast<std::size_t>(group.count);
  }
  std::cout << std::defaultfloat;
}

}  // namespace orgsim::cli
