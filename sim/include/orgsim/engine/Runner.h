#pragma once
// Executes one run plan on the calling thread and returns what it recorded.

#include <atomic>
#include <string>
#include <vector>

#include "orgsim/engine/RunPlan.h"
#include "orgsim/model/Observation.h"

namespace orgsim::engine {

struct RunResult {
  /// Periods at which the trajectory was recorded (output.every, 2 * every, ...).
  std::vector<int> periods;
  /// Firm f at periods[k] is trajectory[k * firm_names.size() + f] (see at()).
  std::vector<model::Observation> trajectory;
  /// One per firm.
  std::vector<model::FirmSummary> summaries;
  std::vector<std::string> firm_names;
  /// Employee-periods simulated (the unit of the speed figures).
  double agent_steps = 0.0;

  /// Firm `firm` at the `k`-th recorded period.
  const model::Observation& at(std::size_t k, std::size_t firm) const {
    return trajectory[k * firm_names.size() + firm];
  }
};

/// Thrown when a run or a batch of runs stops because it was asked to.
class Interrupted : public std::exception {
 public:
  const char* what() const noexcept override { return "interrupted"; }
};

/// Runs `plan` to its stop rule, recording its trajectory unless plan.trajectories is none. Checks
/// `cancel` (when given) every period and throws Interrupted once it is set.
RunResult run(const RunPlan& plan, const std::atomic<bool>* cancel = nullptr);

}  // namespace orgsim::engine
