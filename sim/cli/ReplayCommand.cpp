// orgsim replay: reruns one run of a result file from the file's own provenance and checks
// that every per-run dataset of the run is what the rerun would write, bit for bit
// (io::replay_run); here only its arguments and what it prints.

#include <charconv>
#include <iostream>
#include <optional>

#include "Commands.h"
#include "orgsim/core/Error.h"
#include "orgsim/io/Replay.h"

namespace orgsim::cli {
namespace {

constexpr const char* kReplayUsage =
    "usage: orgsim replay FILE.h5 --run K [--scenario NAME]\n\n"
    "Reruns run K of a result file from the provenance stored in it and checks that every\n"
    "dataset of the run (its trajectories, summaries and design row) comes out bit for bit\n"
    "the same, naming the first that does not. --scenario picks the scenario of a\n"
    "comparison (orgsim compare) by name.\n";

// "NAME (firm F, period P: A stored, B rerun)", or "NAME (not in the file)".
std::string described(const io::ReplayDifference& difference) {
  if (difference.missing) return difference.dataset + " (not in the file)";
  std::string where;
  if (difference.firm) {
    where = "firm " + std::to_string(*difference.firm) +
            (difference.period ? ", period " + std::to_string(*difference.period) : "") + ": ";
  }
  return difference.dataset + " (" + where + difference.stored + " stored, " + difference.rerun +
         " rerun)";
}

}  // namespace

int replay_command(const std::vector<std::string>& args) {
  std::string path;
  std::optional<std::string> scenario;
  long run = -1;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      std::cout << kReplayUsage;
      return kExitOk;
    }
    if (args[i] == "--run" && i + 1 < args.size()) {
      const std::string& text = args[++i];
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), run);
      if (error != std::errc() || end != text.data() + text.size() || run < 0) {
        throw ConfigError("--run " + text + " is not a run number; give one of the file's runs");
      }
    } else if (args[i] == "--scenario" && i + 1 < args.size()) {
      scenario = args[++i];
    } else if (!args[i].empty() && args[i][0] != '-' && path.empty()) {
      path = args[i];
    } else {
      throw ConfigError("unexpected argument '" + args[i] +
                        "'; usage: orgsim replay FILE.h5 --run K");
    }
  }
  if (path.empty() || run < 0) {
    throw ConfigError("usage: orgsim replay FILE.h5 --run K [--scenario NAME]");
  }
  const io::ReplayOutcome outcome = io::replay_run(path, static_cast<std::size_t>(run), scenario);

  using Status = io::ReplayOutcome::Status;
  switch (outcome.status) {
    case Status::run_failed:
      std::cout << "run " << run << " failed when it was made (" << outcome.run_error
                << "); there is nothing to compare\n";
      return kExitFailure;
    case Status::study_differs:
      std::cout << "run " << run << " of " << path
                << " does NOT reproduce: its scenario and design, read back, make a different "
                   "study than it records ("
                << outcome.study_difference << ")\n";
      return kExitFailure;
    case Status::differs: {
      const auto& differences = outcome.differences;
      std::cout << "run " << run << " of " << path << " does NOT reproduce: " << differences.size()
                << " of " << outcome.checked << " datasets differ, first "
                << described(differences.front());
      for (std::size_t d = 1; d < differences.size() && d < 6; ++d) {
        std::cout << (d == 1 ? "; also " : ", ") << differences[d].dataset;
      }
      if (differences.size() > 6) std::cout << ", ...";
      std::cout << " (a different orgsim version? this is " << path << "'s "
                << outcome.orgsim_version << ", " << outcome.git_revision << ")\n";
      return kExitFailure;
    }
    case Status::reproduced:
      break;
  }
  std::cout << "run " << run << " of " << path << " reproduced bit for bit: " << outcome.checked
            << " datasets ("
            << (outcome.periods > 0 ? std::to_string(outcome.periods) + " periods x "
                                    : std::string("summaries only, no trajectories, "))
            << outcome.firms << " firms, and the design row), seed " << outcome.seed
            << ", replication " << outcome.replication << "\n";
  return kExitOk;
}

}  // namespace orgsim::cli
