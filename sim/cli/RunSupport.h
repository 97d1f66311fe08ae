#pragma once
// What `orgsim run`, `compare` and `sweep` share: their common options, interrupt
// handling, progress and status reports, and the printing of the summaries the engine
// computes (engine/Summary.h). The campaign itself is the engine's (engine/Campaign.h).

#include <atomic>
#include <boost/program_options.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "orgsim/core/Statistics.h"
#include "orgsim/engine/Campaign.h"
#include "orgsim/engine/Executor.h"
#include "orgsim/engine/Study.h"
#include "orgsim/engine/Summary.h"
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

/// Adds --vary, --design and --samples (sweep, and compare over a design).
void add_design_options(boost::program_options::options_description& options);

/// The design --vary, --design and --samples describe, its LHS stream named by `seed`; an
/// empty design (no factors, one point) without --vary. ConfigError for a key given twice,
/// a key that cannot vary, --samples with a grid, and what make_design refuses.
engine::Design read_design(const boost::program_options::variables_map& vm, std::uint64_t seed);

/// What the campaign tells as it goes, shown on stderr (unless --quiet) and appended to
/// the --status file: "starting", "running" (about once a second), "interrupted" or
/// "finished".
std::function<void(const engine::CampaignProgress&)> progress_observer(const RunOptions& options);

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

/// The line a command prints when its runs are done: "orgsim sweep: 120 runs in 1.4 s
/// (85.7 runs/s, 1.2e+07 agent-steps/s)" and, with `memory`, the peak memory.
std::string speed_line(const std::string& command, const std::string& runs,
                       const engine::CampaignReport& report, bool runs_per_second, bool memory);

/// Per firm group: the final state's mean and 95% interval over the runs, as text.
std::string group_table(const engine::GroupSummary& summary);

/// "0.7163 [0.7013, 0.7314]"; signed ("+0.0177 [-0.0027, +0.0381]") for differences.
std::string estimate_text(const MeanInterval& estimate, bool signed_values);

/// The focal firm's measures per design point, one row each, with the design's values:
/// `levels` (study 0's means and intervals) or the paired differences study 1 - study 0.
/// `point_count` is the design's, for the "... N more points ..." line between head and
/// tail. Measures that need rivals are left out when `rivals` is false, and those that
/// need trajectories when `trajectories` is false.
std::string point_table(const engine::PointSummary& summary, const engine::Design& design,
                        std::size_t point_count, const std::vector<engine::Measure>& measures,
                        bool differences, bool rivals, bool trajectories);

}  // namespace orgsim::cli
