#include "RunSupport.h"

#include "Job.h"

#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "orgsim/core/Error.h"
#include "orgsim/core/Statistics.h"
#include "orgsim/engine/Executor.h"
#include "orgsim/model/ParameterTable.h"
#include "orgsim/model/Summary.h"

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
  std::fprintf(
      stderr, "\r  [%s%s] %zu/%zu runs%s  %.1f runs/s  ETA %s   ",
      std::string(static_cast<std::size_t>(filled), '#').c_str(),
      std::string(static_cast<std::size_t>(kWidth - filled), '.').c_str(), progress.done,
      progress.total,
      progress.failed > 0 ? (" (" + std::to_string(progress.failed) + " failed)").c_str() : "",
      rate, format_duration(remaining).c_str());
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
  std::fprintf(stderr, "  %zu/%zu runs (%zu failed), %.1f runs/s, ETA %s\n", progress.done,
               progress.total, progress.failed, rate,
               format_duration(static_cast<double>(progress.total - progress.done) / rate).c_str());
}

}  // namespace

const std::atomic<bool>& interrupt_flag() {
  return interrupt_requested;
}

void show_progress(const engine::Progress& progress) {
  if (isatty(STDERR_FILENO)) {
    print_progress_bar(progress);
  } else {
    log_progress(progress);
  }
}

// One JSON line of progress for a cluster job or a notebook to poll.
void write_status(const std::string& path, const char* state, std::size_t done, std::size_t failed,
                  std::size_t total, double rate) {
  std::ofstream status(path, std::ios::app);
  if (!status) throw IoError("cannot write the status file '" + path + "'; check --status");
  const double eta = rate > 0 ? static_cast<double>(total - done) / rate : -1.0;
  status << "{\"time_utc\": \"" << io::utc_timestamp() << "\", \"state\": \"" << state
         << "\", \"done\": " << done << ", \"failed\": " << failed << ", \"total\": " << total
         << ", \"runs_per_second\": " << std::fixed << std::setprecision(3) << rate
         << ", \"eta_seconds\": " << std::setprecision(1) << eta << "}\n";
}

void add_run_options(po::options_description& options) {
  options.add_options()("set", po::value<std::vector<std::string>>()->composing(),
                        "override a scenario key: KEY=VALUE (repeatable)")(
      "replications,r", po::value<std::string>(), "replications (run.replications)")(
      "seed", po::value<std::string>(), "master seed (run.seed)")(
      "threads,j", po::value<int>(),
      "worker threads per process (default: the hardware threads, shared among the MPI "
      "ranks on a machine)")("out,o", po::value<std::string>(),
                             "result file (default: under results/)")(
      "force", "overwrite an existing result (or an interrupted one's journal)")(
      "resume", "continue an interrupted command from FILE.h5.partial")(
      "status", po::value<std::string>(), "append JSON lines of progress to this file")(
      "quiet,q", "no progress display")(
      "no-compression",
      "store the trajectories uncompressed: several times faster to write, several times larger")(
      "every", po::value<std::string>(),
      "record the trajectories every K periods (output.every): a file about K times smaller")(
      "summaries-only",
      "record no per-period trajectories, only each run's summaries and design: for sweeps "
      "of thousands of runs whose analysis needs only the summaries");
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
  options.threads = default_threads_per_process();
  if (vm.count("threads")) {
    options.threads = vm["threads"].as<int>();
    if (options.threads < 1 || options.threads > 1024) {
      throw ConfigError("--threads " + std::to_string(options.threads) +
                        " is out of range [1, 1024]; use a positive number of threads");
    }
  }
  if (vm.count("out")) options.out = vm["out"].as<std::string>();
  if (vm.count("status")) options.status = vm["status"].as<std::string>();
  options.force = vm.count("force") > 0;
  options.resume = vm.count("resume") > 0;
  options.quiet = vm.count("quiet") > 0;
  options.compress = vm.count("no-compression") == 0;
  if (vm.count("every")) options.every = vm["every"].as<std::string>();
  if (vm.count("summaries-only")) options.trajectories = engine::Trajectories::none;
  if (options.force && options.resume) {
    throw ConfigError("--force starts over and --resume continues; give one of them");
  }
  if (options.every && options.trajectories == engine::Trajectories::none) {
    throw ConfigError("--every " + *options.every +
                      " thins the trajectories that --summaries-only does not record; give one "
                      "of them");
  }
  return options;
}

io::Scenario load_with_options(const std::string& path, const RunOptions& options) {
  io::Scenario scenario = io::load_scenario(path, options.overrides);
  if (options.replications) {
    io::override_scenario(scenario, "run.replications", *options.replications, "--replications");
  }
  if (options.seed) io::override_scenario(scenario, "run.seed", *options.seed, "--seed");
  if (options.every) io::override_scenario(scenario, "output.every", *options.every, "--every");
  return scenario;
}

engine::RunPlan plan_of(const std::vector<const engine::Study*>& studies,
                        std::size_t runs_per_study, std::size_t run) {
  return studies[run / runs_per_study]->plan(run % runs_per_study);
}

void install_interrupt_handler() {
  std::signal(SIGINT, request_interrupt);
  std::signal(SIGTERM, request_interrupt);
}

ExecutionReport execute_into(io::ResultFile& file, const std::vector<const engine::Study*>& studies,
                             const RunOptions& options) {
  ExecutionReport report;
  const engine::RunSequence pending = file.pending_runs();
  const std::size_t already = file.run_count() - pending.count;
  const std::size_t already_failed = file.failed();
  const std::size_t per_study = file.runs_per_study();
  auto last_status = std::chrono::steady_clock::now() - std::chrono::seconds(10);
  double rate = 0.0;

  engine::ExecutorOptions executor;
  executor.threads = options.threads;
  executor.cancel = &interrupt_requested;
  auto show = options.quiet ? nullptr : show_progress;
  executor.progress = [&](const engine::Progress& progress) {
    const double elapsed = std::chrono::duration<double>(progress.elapsed).count();
    rate = elapsed > 0 ? static_cast<double>(progress.done) / elapsed : 0.0;
    if (show != nullptr) show(progress);
    // The journal's writer flushes it to the disk about once a second by itself.
    const auto now = std::chrono::steady_clock::now();
    if (options.status && now - last_status > std::chrono::seconds(1)) {
      write_status(*options.status, "running", already + progress.done,
                   already_failed + progress.failed, file.run_count(), rate);
      last_status = now;
    }
  };
  if (options.status) {
    write_status(*options.status, "starting", already, already_failed, file.run_count(), 0.0);
  }
  const auto start = std::chrono::steady_clock::now();
  try {
    engine::execute(
        pending, [&](std::size_t run) { return plan_of(studies, per_study, run); }, executor,
        [&](std::size_t run, engine::RunResult&& result) {
          report.agent_steps += result.agent_steps;
          ++report.ran;
          file.record(run, std::move(result));
        },
        [&](std::size_t run, const std::string& error) {
          ++report.ran;
          ++report.failed;
          file.record_failure(run, error);
        });
  } catch (const engine::Interrupted&) {
    report.interrupted = true;
  }
  file.checkpoint();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (options.status) {
    write_status(*options.status, report.interrupted ? "interrupted" : "finished", file.recorded(),
                 file.failed(), file.run_count(), rate);
  }
  return report;
}

namespace {

// 3900 as "3,900".
std::string with_thousands(std::uint64_t value) {
  std::string digits = std::to_string(value);
  for (auto at = static_cast<std::ptrdiff_t>(digits.size()) - 3; at > 0; at -= 3) {
    digits.insert(static_cast<std::size_t>(at), ",");
  }
  return digits;
}

// Decimal units, two significant figures at least: "36 kB", "5.3 MB", "470 MB", "1.2 GB".
std::string byte_text(std::uint64_t bytes) {
  static const char* const kUnits[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1000.0 && unit + 1 < std::size(kUnits)) {
    value /= 1000.0;
    ++unit;
  }
  std::ostringstream text;
  text << std::fixed << std::setprecision(unit == 0 || value >= 10.0 ? 0 : 1) << value << " "
       << kUnits[unit];
  return text.str();
}

}  // namespace

std::string size_line(const std::string& command, const io::ResultSize& size, bool compressed) {
  const char* about = size.periods_at_most ? "up to " : "about ";
  std::string line = "orgsim " + command + ": " + with_thousands(size.runs) + " runs x ";
  const std::string firms = with_thousands(size.firms) + " firm" + (size.firms == 1 ? "" : "s");
  // The summaries and design columns are always deflated, the trajectories unless
  // --no-compression: only then is the figure close to the file's size.
  if (size.periods == 0) {
    return line + firms + ", summaries only: " + about + byte_text(size.total()) +
           " before compression";
  }
  line += std::string(size.periods_at_most ? "up to " : "") + with_thousands(size.periods) +
          " recorded period" + (size.periods == 1 ? "" : "s") + " x " + firms + ": " + about +
          byte_text(size.total()) +
          (compressed
               ? " before compression (trajectories " + byte_text(size.trajectory_bytes) + ")"
               : " (trajectories " + byte_text(size.trajectory_bytes) + ", stored uncompressed)");
  return line + "; --every K or --summaries-only make it smaller";
}

void report_expected_size(const std::string& command, const std::vector<io::StudyInfo>& studies,
                          const RunOptions& options) {
  if (options.quiet || !current_job().leader()) return;
  std::cerr << size_line(command, io::estimate_result_size(studies), options.compress) << "\n";
}

std::string resume_note(const io::ResultFile* file, bool resume) {
  if (!resume || file == nullptr) return "";
  if (file->started_afresh()) return ", nothing to resume (no journal, no result): starting";
  return ", resuming with " + std::to_string(file->recorded()) + " runs done";
}

void report_interrupted(const std::string& command, const io::ResultFile& file) {
  std::cerr << "\norgsim " << command << ": interrupted; " << file.recorded() << " of "
            << file.run_count() << " runs are kept in " << file.journal_path()
            << "; rerun the same command with --resume to finish (" << file.path()
            << " is not written yet)\n";
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

double peak_memory_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

std::string group_summary(const io::ResultFile& file, const model::ModelParams& params) {
  struct Row {
    const char* summary;  // a model::summary_info() name, printed without "final_"
    bool rivals_only;     // meaningless with a single firm
  };
  static const std::vector<Row> rows = {
      {"final_code_score", false},     {"final_innovation", false},
      {"final_mean_knowledge", false}, {"final_output_per_head", false},
      {"final_market_share", true},    {"final_lead", true},
      {"share_periods_lead", true},    {"final_mean_pressure", false},
      {"final_explore_share", false},  {"final_diversity", false},
      {"final_headcount", true},       {"final_leader_changes", true},
      {"periods_run", false},
  };
  std::vector<const model::SummaryInfo*> infos;
  for (const Row& row : rows) infos.push_back(model::find_summary(row.summary));
  auto label_of = [](const Row& row) {
    const std::string_view name = row.summary;
    return std::string(name.rfind("final_", 0) == 0 ? name.substr(6) : name);
  };
  const auto groups = model::firm_groups(params);
  const bool rivals = model::firm_count(params) > 1;
  std::vector<std::vector<RunningMean>> means(groups.size(), std::vector<RunningMean>(rows.size()));
  file.for_each_result([&](std::size_t, const engine::RunResult& run) {
    std::size_t first_firm = 0;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      for (std::size_t row = 0; row < rows.size(); ++row) {
        double sum = 0.0;
        for (int k = 0; k < groups[g].count; ++k) {
          sum += infos[row]->of(run.summaries[first_firm + static_cast<std::size_t>(k)]);
        }
        means[g][row].add(sum / groups[g].count);
      }
      first_firm += static_cast<std::size_t>(groups[g].count);
    }
  });
  std::ostringstream text;
  text << "  final state over " << file.recorded() - file.failed()
       << " replications (mean and 95% interval; a group's firms averaged):\n";
  text << "  " << std::left << std::setw(14) << "group" << std::setw(20) << "quantity" << std::right
       << std::setw(10) << "mean"
       << "   95% interval\n";
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (std::size_t row = 0; row < rows.size(); ++row) {
      if (rows[row].rivals_only && !rivals) continue;
      const MeanInterval estimate = means[g][row].estimate();
      text << "  " << std::left << std::setw(14) << groups[g].name << std::setw(20)
           << label_of(rows[row]) << std::right << std::fixed << std::setprecision(4)
           << std::setw(10) << estimate.mean;
      if (std::isnan(estimate.half_width)) {
        text << "   (fewer than two runs: no interval)\n";
      } else {
        text << "   [" << estimate.mean - estimate.half_width << ", "
             << estimate.mean + estimate.half_width << "]\n";
      }
    }
  }
  return text.str();
}

}  // namespace orgsim::cli
