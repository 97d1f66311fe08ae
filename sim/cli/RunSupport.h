#pragma once
// What `orgsim run` and `orgsim compare` share: their common options, interrupt handling,
// execution with a progress display, and the summary tables they print.

#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <vector>

#include "orgsim/engine/Runner.h"
#include "orgsim/model/Params.h"

namespace orgsim::cli {

/// Options both commands take.
struct RunOptions {
  std::vector<std::string> overrides;  ///< --set KEY=VALUE
  std::optional<std::string> replications;
  std::optional<std::string> seed;
  int threads = 1;
  std::optional<std::string> out;
  bool force = false;
  bool quiet = false;
};

/// Adds --set, --replications, --seed, --threads, --out, --force and --quiet.
void add_run_options(boost::program_options::options_description& options);

/// Parses `args` against `options` (which should hold --help and the run options), the
/// positional arguments going to "scenario".
boost::program_options::variables_map parse_run_arguments(
    const std::vector<std::string>& args,
    const boost::program_options::options_description& options);

/// Reads them back (ConfigError for a bad --threads).
RunOptions read_run_options(const boost::program_options::variables_map& vm);

/// Applies --replications and --seed to `params` (ConfigError when out of range).
void apply_run_options(model::ModelParams& params, const RunOptions& options);

/// From now on SIGINT and SIGTERM ask running work to stop.
void install_interrupt_handler();

/// Runs `plans` on `threads` threads with a progress display on stderr (unless quiet).
/// Returns false when interrupted; `agent_steps` and `seconds` report the work done.
bool execute_with_progress(const std::vector<engine::RunPlan>& plans, int threads, bool quiet,
                           std::vector<engine::RunResult>& results, double& agent_steps,
                           double& seconds);

/// "0.42 s", "3.1 s", "95 s".
std::string format_duration(double seconds);

/// Per firm group (firms averaged within their group): the final state's mean and 95%
/// interval over replications.
void print_group_summary(const std::vector<engine::RunResult>& runs,
                         const model::ModelParams& params);

}  // namespace orgsim::cli
