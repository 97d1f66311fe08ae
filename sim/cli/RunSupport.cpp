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
#include <memory>
#include <sstream>

#include "orgsim/core/Error.h"
#include "orgsim/core/NumberText.h"
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

void install_interrupt_handler() {
  std::signal(SIGINT, request_interrupt);
  std::signal(SIGTERM, request_interrupt);
}

void add_design_options(po::options_description& options) {
  options.add_options()("vary", po::value<std::vector<std::string>>()->composing(),
                        "a factor: KEY=LOW:HIGH:STEP, KEY=LOW:HIGH or KEY=V1,V2,... (repeatable)")(
      "design", po::value<std::string>()->default_value("grid"), "grid | lhs | sobol | saltelli")(
      "samples,n", po::value<long>(), "N for lhs, sobol and saltelli designs");
}

engine::Design read_design(const po::variables_map& vm, std::uint64_t seed) {
  return engine::make_study_design(
      vm.count("vary") ? vm["vary"].as<std::vector<std::string>>() : std::vector<std::string>{},
      vm["design"].as<std::string>(),
      vm.count("samples") ? std::optional<long>(vm["samples"].as<long>()) : std::nullopt, seed);
}

std::function<void(const engine::CampaignProgress&)> progress_observer(const RunOptions& options) {
  using State = engine::CampaignProgress::State;
  auto last_status = std::make_shared<std::chrono::steady_clock::time_point>(
      std::chrono::steady_clock::now() - std::chrono::seconds(10));
  return [options, last_status](const engine::CampaignProgress& progress) {
    const std::size_t done = progress.already + progress.runs.done;
    const std::size_t failed = progress.already_failed + progress.runs.failed;
    if (progress.state == State::running) {
      if (!options.quiet) show_progress(progress.runs);
      // The journal's writer flushes it to the disk about once a second by itself.
      const auto now = std::chrono::steady_clock::now();
      if (options.status && now - *last_status > std::chrono::seconds(1)) {
        write_status(*options.status, "running", done, failed, progress.total, progress.rate());
        *last_status = now;
      }
      return;
    }
    if (!options.status) return;
    const char* state = progress.state == State::starting      ? "starting"
                        : progress.state == State::interrupted ? "interrupted"
                                                               : "finished";
    write_status(*options.status, state, done, failed, progress.total, progress.rate());
  };
}

std::string size_line(const std::string& command, const io::ResultSize& size, bool compressed) {
  const char* about = size.periods_at_most ? "up to " : "about ";
  std::string line = "orgsim " + command + ": " + thousands_text(size.runs) + " runs x ";
  const std::string firms = thousands_text(size.firms) + " firm" + (size.firms == 1 ? "" : "s");
  // The summaries and design columns are always deflated, the trajectories unless
  // --no-compression: only then is the figure close to the file's size.
  if (size.periods == 0) {
    return line + firms + ", summaries only: " + about + byte_text(size.total()) +
           " before compression";
  }
  line += std::string(size.periods_at_most ? "up to " : "") + thousands_text(size.periods) +
          " recorded period" + (size.periods == 1 ? "" : "s") + " x " + firms + ": " + about +
          byte_text(size.total()) +
          (compressed
               ? " before compression (trajectories " + byte_text(size.trajectory_bytes) + ")"
               : " (trajectories " + byte_text(size.trajectory_bytes) + ", stored uncompressed)");
  return line + "; --every K or --summaries-only make it smaller";
}

void report_expected_size(const std::string& command, const std::vector<io::StudyInfo>& studies,
                          const RunOptions& options) {
  if (options.quiet || !current_job().coordinator()) return;
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

std::string speed_line(const std::string& command, const std::string& runs,
                       const engine::CampaignReport& report, bool runs_per_second, bool memory) {
  std::ostringstream text;
  text << "orgsim " << command << ": " << report.ran << " " << runs << " in "
       << format_duration(report.seconds) << " (";
  if (runs_per_second) {
    text << std::fixed << std::setprecision(1)
         << (report.seconds > 0 ? static_cast<double>(report.ran) / report.seconds : 0.0)
         << " runs/s, ";
  }
  text << std::scientific << std::setprecision(2)
       << (report.seconds > 0 ? report.agent_steps / report.seconds : 0.0) << " agent-steps/s)";
  if (memory) {
    text << ", peak memory " << std::fixed << std::setprecision(0) << peak_memory_mib() << " MiB";
  }
  return text.str();
}

std::string group_table(const engine::GroupSummary& summary) {
  const auto& measures = engine::group_measures();
  std::ostringstream text;
  text << "  final state (late_*: over the late window) over " << summary.runs
       << " replications (mean and 95% interval; a group's firms averaged):\n";
  text << "  " << std::left << std::setw(14) << "group" << std::setw(26) << "quantity" << std::right
       << std::setw(10) << "mean"
       << "   95% interval\n";
  for (std::size_t g = 0; g < summary.groups.size(); ++g) {
    for (std::size_t m = 0; m < measures.size(); ++m) {
      if (measures[m].needs_rivals && !summary.rivals) continue;
      const MeanInterval& estimate = summary.estimates[g][m];
      text << "  " << std::left << std::setw(14) << summary.groups[g] << std::setw(26)
           << measures[m].label << std::right << std::fixed << std::setprecision(4) << std::setw(10)
           << estimate.mean;
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

std::string estimate_text(const MeanInterval& estimate, bool signed_values) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(4);
  if (signed_values) text << std::showpos;
  text << estimate.mean << " [" << estimate.mean - estimate.half_width << ", "
       << estimate.mean + estimate.half_width << "]";
  return text.str();
}

std::string point_table(const engine::PointSummary& summary, const engine::Design& design,
                        std::size_t point_count, const std::vector<engine::Measure>& measures,
                        bool differences, bool rivals, bool trajectories) {
  std::vector<std::size_t> shown;
  for (std::size_t m = 0; m < measures.size(); ++m) {
    if (measures[m].needs_rivals && !rivals) continue;
    if (measures[m].needs_trajectories && !trajectories) continue;
    shown.push_back(m);
  }
  // Each design column as wide as its key or its widest value shown.
  std::vector<std::size_t> widths;
  for (std::size_t f = 0; f < design.factors.size(); ++f) {
    std::size_t width = design.factors[f].key.size();
    for (const auto& estimates : summary.points) {
      width = std::max(width, design.points[estimates.point][f].size());
    }
    widths.push_back(width + 2);
  }
  constexpr int kCell = 30;
  std::ostringstream text;
  text << "  " << std::left << std::setw(8) << "point";
  for (std::size_t f = 0; f < design.factors.size(); ++f) {
    text << std::setw(static_cast<int>(widths[f])) << design.factors[f].key;
  }
  for (std::size_t k = 0; k < shown.size(); ++k) {
    text << std::setw(k + 1 < shown.size() ? kCell : 0) << measures[shown[k]].label;
  }
  text << "\n";
  std::size_t previous = 0;
  for (std::size_t k = 0; k < summary.points.size(); ++k) {
    const auto& estimates = summary.points[k];
    if (k > 0 && estimates.point > previous + 1) {
      text << "  ... " << estimates.point - previous - 1 << " more points ...\n";
    }
    previous = estimates.point;
    text << "  " << std::left << std::setw(8) << estimates.point;
    for (std::size_t f = 0; f < design.factors.size(); ++f) {
      text << std::setw(static_cast<int>(widths[f])) << design.points[estimates.point][f];
    }
    const auto& row = differences ? estimates.differences.at(0) : estimates.levels.at(0);
    for (std::size_t c = 0; c < shown.size(); ++c) {
      text << std::setw(c + 1 < shown.size() ? kCell : 0)
           << estimate_text(row[shown[c]], differences);
    }
    text << "\n";
  }
  if (!summary.points.empty() && previous + 1 < point_count) {
    text << "  ... " << point_count - previous - 1 << " more points ...\n";
  }
  return text.str();
}

}  // namespace orgsim::cli
