#pragma once
// What `orgsim run`, `compare` and `sweep` share: their common options, interrupt
// handling, execution into a result file with progress and status reports, and the
// summary tables they print.

#include <atomic>
#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <vector>

#include "orgsim/engine/Executor.h"
#include "orgsim/engine/Study.h"
#include "orgsim/io/ResultFile.h"
#include "orgsim/io/ResultSize.h"
#include "orgsim/io/Scenario.h"

namespace orgsim::cli {

/// Options every running command takes.
struct RunOptions {
  std::vector<std::string> overrides;  ///< --set KEY=VALUE
  std::optional<std::string> replications;
  std::optional<std::string> seed;
  int threads = 1;
  std::optional<std::string> out;
  bool force = false;
  bool resume = false;
  bool quiet = false;
  bool compress = true;               ///< false with --no-compression
  std::optional<std::string> status;  ///< --status FILE
  std::optional<std::string> every;   ///< --every K, output.every's shorthand
  /// --summaries-only: no per-period trajectories, only each run's summaries and design.
  engine::Trajectories trajectories = engine::Trajectories::recorded;
};

/// ", resuming with N runs done" (or that there was nothing to resume) for --resume, for
/// the line a command prints as it starts; empty otherwise or without a file (MPI workers).
std::string resume_note(const io::ResultFile* file, bool resume);

/// Adds --set, --replications, --seed, --threads, --out, --force, --resume, --status,
/// --quiet, --no-compression, --every and --summaries-only.
void add_run_options(boost::program_options::options_description& options);

/// Parses `args` against `options` (which should hold --help and the run options), the
/// positional arguments going to "scenario".
boost::program_options::variables_map parse_run_arguments(
    const std::vector<std::string>& args,
    const boost::program_options::options_description& options);

/// Reads them back (ConfigError for a bad --threads).
RunOptions read_run_options(const boost::program_options::variables_map& vm);

/// Loads a scenario with --set, --replications, --seed and --every applied.
io::Scenario load_with_options(const std::string& path, const RunOptions& options);

/// From now on SIGINT and SIGTERM ask running work to stop.
void install_interrupt_handler();

struct ExecutionReport {
  bool interrupted = false;
  double seconds = 0.0;
  double agent_steps = 0.0;
  std::size_t ran = 0;     ///< runs executed by this command (not those resumed)
  std::size_t failed = 0;  ///< failed among them
  /// Under MPI: rank 0's time spent receiving and journaling other ranks' results.
  double leader_recording_seconds = 0.0;
};

/// The plan of a result file's run `run` when `studies` each have `runs_per_study` runs:
/// study run / runs_per_study, its run run % runs_per_study.
engine::RunPlan plan_of(const std::vector<const engine::Study*>& studies,
                        std::size_t runs_per_study, std::size_t run);

/// Runs every run `file` still lacks, study s's run r being file run s * runs + r, and
/// records each as it finishes. Shows progress on stderr (unless quiet) and appends JSON
/// lines to the status file when there is one.
ExecutionReport execute_into(io::ResultFile& file, const std::vector<const engine::Study*>& studies,
                             const RunOptions& options);

/// The line a command prints as it starts about the file it will write: "orgsim sweep:
/// 3,900 runs x 200 recorded periods x 5 firms: about 470 MB before compression
/// (trajectories 468 MB); --every K or --summaries-only make it smaller".
std::string size_line(const std::string& command, const io::ResultSize& size, bool compressed);

/// Prints size_line() for `studies` on stderr, unless --quiet (or on an MPI worker).
void report_expected_size(const std::string& command, const std::vector<io::StudyInfo>& studies,
                          const RunOptions& options);

/// Set once SIGINT or SIGTERM arrives.
const std::atomic<bool>& interrupt_flag();

/// Shows `progress` on stderr: a bar on a terminal, a line every 10 s elsewhere.
void show_progress(const engine::Progress& progress);

/// Appends one JSON line of progress to the status file at `path`.
void write_status(const std::string& path, const char* state, std::size_t done, std::size_t failed,
                  std::size_t total, double rate);

/// The interrupted message: what was kept and how to continue.
void report_interrupted(const std::string& command, const io::ResultFile& file);

/// "0.42 s", "3.1 s", "95 s".
std::string format_duration(double seconds);

/// Peak resident memory of this process so far, in MiB.
double peak_memory_mib();

/// Per firm group (firms averaged within their group): the final state's mean and 95%
/// interval over the recorded runs of `file`, as printable text.
std::string group_summary(const io::ResultFile& file, const model::ModelParams& params);

}  // namespace orgsim::cli
