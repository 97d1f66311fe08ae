// orgsim: the command-line entry point. Dispatches to a subcommand and turns every error
// into one line on stderr and a non-zero exit status.

#include <boost/program_options/errors.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "Commands.h"
#include "Job.h"
#include "orgsim/Version.h"
#include "orgsim/core/Error.h"
#include "orgsim/io/Hdf5.h"
#include "orgsim/io/ResultFile.h"

namespace {

constexpr const char* kUsage =
    "orgsim: agent-based simulation of organisations racing to innovate\n"
    "\n"
    "usage: orgsim COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO.cfg                 replications of a scenario, one HDF5 result file\n"
    "  compare A.cfg B.cfg              two scenarios with paired seeds: the focal firm's\n"
    "                                   differences, one file with a scenario dimension\n"
    "  sweep SCENARIO.cfg --vary K=SPEC a design of points (grid, lhs, sobol, saltelli)\n"
    "  trace SCENARIO.cfg --replication R\n"
    "                                   one run's employees period by period (beliefs,\n"
    "                                   roles, teams, pressure), one HDF5 file for xarray\n"
    "  replay FILE.h5 --run K           rerun one run from its file, check it bit for bit\n"
    "  params                           every scenario key: default, range, unit, meaning\n"
    "  info FILE.h5                     what a result file holds and how it was made\n"
    "  bench                            agent-steps per second, one thread\n"
    "\n"
    "run, compare and sweep also run under MPI (mpirun -np N orgsim sweep ...), and\n"
    "in-process from Python: import orgsim (docs/python.md).\n"
    "\n"
    "'orgsim COMMAND --help' describes a command's options.\n";

std::string quote(const std::string& argument) {
  if (!argument.empty() && argument.find_first_of(" \t\"'\\$`") == std::string::npos) {
    return argument;
  }
  std::string quoted = "'";
  for (char c : argument) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

namespace {

int dispatch(const std::vector<std::string>& args) {
  using namespace orgsim::cli;
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "--version") {
    std::cout << "orgsim " << orgsim::kOrgsimVersion << " (" << orgsim::kGitRevision << ")\n";
    return kExitOk;
  }
  std::string command_line = "orgsim";
  for (const auto& argument : args) command_line += " " + quote(argument);

  const std::string command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  // Under MPI every rank meets the same errors; rank 0 alone reports them.
  const bool speak = current_job().coordinator();
  try {
    if (command == "run") return run_command(rest, command_line);
    if (command == "compare") return compare_command(rest, command_line);
    if (command == "sweep") return sweep_command(rest, command_line);
    if (command == "trace") return trace_command(rest, command_line);
    if (command == "replay") return replay_command(rest);
    if (command == "params") return params_command(rest);
    if (command == "info") return info_command(rest);
    if (command == "bench") return bench_command(rest);
    if (speak)
      std::cerr << "orgsim: unknown command '" << command
                << "'; use one of run, compare, sweep, trace, replay, params, info, bench (orgsim "
                   "--help)\n";
    return kExitUsage;
  } catch (const orgsim::ConfigError& error) {
    if (speak) std::cerr << "orgsim " << command << ": " << error.what() << "\n";
    return kExitUsage;
  } catch (const boost::program_options::error& error) {
    if (speak) {
      std::cerr << "orgsim " << command << ": " << error.what() << "; see 'orgsim " << command
                << " --help'\n";
    }
    return kExitUsage;
  } catch (const orgsim::io::AlreadyComplete& complete) {
    if (speak) {
      std::cerr << "orgsim " << command << ": '" << complete.path
                << "' is already complete (same scenario and design); nothing to resume\n";
    }
    return kExitOk;
  } catch (const JobStopped&) {
    return kExitFailure;  // rank 0 said why
  } catch (const std::exception& error) {
    if (speak) std::cerr << "orgsim " << command << ": " << error.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace

int main(int argc, char** argv) {
  orgsim::io::hdf5::leave_files_to_the_program();
  orgsim::cli::start_job(argc, argv);
  const int status = dispatch(std::vector<std::string>(argv + 1, argv + argc));
  orgsim::cli::finish_job();
  return status;
}
