// orgsim trace: one run of a scenario, every recorded period's employees (beliefs, code,
// roles, teams, pressure, performance) and the firms' observations, into one HDF5 file
// that xarray opens (io/TraceFile.h). Replication R is the very run that replication R of
// `orgsim run` with the same scenario, --set and --seed makes.

#include <boost/program_options.hpp>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <iostream>

#include "Commands.h"
#include "Job.h"
#include "RunSupport.h"
#include "orgsim/core/Error.h"
#include "orgsim/engine/Study.h"
#include "orgsim/engine/Trace.h"
#include "orgsim/io/Scenario.h"
#include "orgsim/io/TraceFile.h"

namespace po = boost::program_options;

namespace orgsim::cli {
namespace {

constexpr const char* kTraceUsage =
    "usage: orgsim trace SCENARIO.cfg --replication R [--every K] [--set KEY=VALUE ...]\n"
    "                    [--seed S] [--out FILE.h5] [--force] [--max-size MB] [--quiet]\n"
    "\n"
    "Runs replication R of the scenario (the same run as replication R of 'orgsim run' with\n"
    "the same scenario, --set and --seed; R from 0 to run.replications - 1) and writes every\n"
    "recorded period's employees into one HDF5 file, by default\n"
    "results/<scenario>-trace-r<R>.h5: beliefs (period, firm, employee, dimension), code,\n"
    "reality, performance, output, autonomy, role, team and pressure per employee, headcount\n"
    "and the result files' quantities per firm. Open it with\n"
    "xarray.open_dataset(FILE, engine=\"h5netcdf\"). A first pass of the run finds the\n"
    "largest headcount; a trace over --max-size MB (default: 1 GiB) is refused before it is\n"
    "written.\n";

long parse_whole(const std::string& option, const std::string& text, const std::string& hint) {
  long value = -1;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) {
    throw ConfigError(option + " " + text + " is not a whole number >= 0; " + hint);
  }
  return value;
}

std::uint64_t parse_limit(const std::string& text) {
  double megabytes = 0.0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), megabytes);
  if (error != std::errc() || end != text.data() + text.size() || !(megabytes > 0.0) ||
      !std::isfinite(megabytes) || megabytes > 1e12) {
    throw ConfigError("--max-size " + text +
                      " is not a size in MB; give a positive number of megabytes (10^6 bytes), "
                      "for example --max-size 4000");
  }
  return static_cast<std::uint64_t>(megabytes * 1e6);
}

}  // namespace

int trace_command(const std::vector<std::string>& args, const std::string& command_line) {
  // From the start: an interrupt while measuring or writing leaves no file.
  install_interrupt_handler();
  po::options_description options("options");
  options.add_options()("help,h", "show this help")(
      "replication", po::value<std::string>(),
      "the replication to trace, 0 to run.replications - 1 (required)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override a scenario key: KEY=VALUE (repeatable)")("seed", po::value<std::string>(),
                                                         "master seed (run.seed)")(
      "every", po::value<std::string>(), "record every K periods (output.every)")(
      "out,o", po::value<std::string>(), "trace file (default: under results/)")(
      "force", "overwrite an existing file")(
      "max-size", po::value<std::string>(),
      "largest trace to write, in MB of 10^6 bytes (default: 1 GiB, 1074 MB)")("quiet,q",
                                                                               "no start line");
  const po::variables_map vm = parse_run_arguments(args, options);
  if (vm.count("help")) {
    std::cout << kTraceUsage << "\n" << options;
    return kExitOk;
  }
  if (!vm.count("scenario")) {
    throw ConfigError(
        "no scenario given; usage: orgsim trace SCENARIO.cfg --replication R (for example "
        "scenarios/march1991.cfg --replication 0)");
  }
  const auto scenarios = vm["scenario"].as<std::vector<std::string>>();
  if (scenarios.size() > 1) {
    throw ConfigError("one scenario per trace, got " + std::to_string(scenarios.size()) + " ('" +
                      scenarios[1] + "' is extra)");
  }
  if (!vm.count("replication")) {
    throw ConfigError(
        "no replication given; pass --replication R, R from 0 to run.replications - 1 (the "
        "run of replication R of 'orgsim run')");
  }
  // Under MPI the trace is one run: rank 0 makes it, the others have nothing to do.
  if (!current_job().coordinator()) return kExitOk;
  const std::string scenario_path = scenarios.front();
  RunOptions run_options;
  if (vm.count("set")) run_options.overrides = vm["set"].as<std::vector<std::string>>();
  if (vm.count("seed")) run_options.seed = vm["seed"].as<std::string>();
  if (vm.count("every")) run_options.every = vm["every"].as<std::string>();
  const bool force = vm.count("force") > 0;
  const bool quiet = vm.count("quiet") > 0;
  const std::uint64_t limit =
      vm.count("max-size") ? parse_limit(vm["max-size"].as<std::string>()) : io::kDefaultTraceLimit;
  const std::string replication_text = vm["replication"].as<std::string>();
  const long replication = parse_whole("--replication", replication_text,
                                       "give one of the scenario's replications, from 0");

  const io::Scenario scenario = load_with_options(scenario_path, run_options);
  const engine::Study study(scenario.settings, engine::Design{});
  if (replication >= study.replications()) {
    throw ConfigError(
        "--replication " + replication_text + " is out of range [0, " +
        std::to_string(study.replications()) + "): the scenario has run.replications = " +
        std::to_string(study.replications()) + "; give a smaller one or raise it with " +
        "--set run.replications=" + std::to_string(replication + 1));
  }
  const engine::RunPlan plan = study.plan(static_cast<std::size_t>(replication));
  const std::string stem = std::filesystem::path(scenario_path).stem().string();
  std::string out;
  if (vm.count("out")) {
    out = vm["out"].as<std::string>();
  } else {
    out = "results/" + stem + "-trace-r" + std::to_string(replication) + ".h5";
  }
  if (std::filesystem::exists(out) && !force) {
    throw ConfigError("'" + out +
                      "' already exists; pass --force to overwrite it or --out to choose another "
                      "file");
  }

  const std::string what = "replication " + std::to_string(replication) + " of " + stem;
  try {
    const engine::TraceShape shape = engine::measure_trace(plan, &interrupt_flag());
    io::check_trace_size(shape, limit, what);
    if (!quiet) {
      std::cerr << "orgsim trace: " << scenario_path << ", replication " << replication << ", seed "
                << plan.seed << ", recorded every " << plan.every << " period"
                << (plan.every == 1 ? "" : "s") << ": " << io::trace_size_text(shape)
                << " before compression\n";
    }
    if (!vm.count("out")) std::filesystem::create_directories("results");
    io::TraceFile file(out, shape, io::trace_provenance(study, plan, command_line, scenario_path),
                       force);
    const int periods = engine::trace(plan, file, &interrupt_flag());
    file.publish(periods);
  } catch (const engine::Interrupted&) {
    std::cerr << "\norgsim trace: interrupted; nothing written (" << out
              << " is not there); rerun the command to make the trace\n";
    return kExitInterrupted;
  }
  std::cout << "trace: " << out << "  (xarray.open_dataset(\"" << out
            << "\", engine=\"h5netcdf\") opens it)\n";
  return kExitOk;
}

}  // namespace orgsim::cli
