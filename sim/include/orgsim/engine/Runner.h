#pragma once
// Executes one run plan on the calling thread and returns what it recorded.

#include <atomic>
#include <exception>
#include <string>
#include <vector>

#include "orgsim/engine/RunPlan.h"
#include "orgsim/model/LeaderRule.h"
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

/// Thrown by run() when the leader rule (leader.policy = python, model/LeaderRule.h) failed:
/// it threw (anything but Interrupted, which passes through as it is), or it returned no
/// number (a model::RuleError). Not a failed run: the fault is the caller's function, not
/// the model, and it would fail every run alike. The executor stops the batch and rethrows
/// it; run_campaign rethrows original(), the exception as the rule (or the model) threw it,
/// so a binding sees its own exception type again.
class RuleFailed : public std::exception {
 public:
  explicit RuleFailed(std::exception_ptr original);
  /// The original exception's message ("the leader rule failed" when it has none).
  const char* what() const noexcept override { return message_.c_str(); }
  const std::exception_ptr& original() const { return original_; }
  [[noreturn]] void rethrow_original() const { std::rethrow_exception(original_); }

 private:
  std::exception_ptr original_;
  std::string message_;
};

/// Runs `plan` to its stop rule, recording its trajectory unless plan.trajectories is none. Checks
/// `cancel` (when given) every period and throws Interrupted once it is set. `leader_rule`
/// decides for the firms with leader.policy = python (not copied: it must outlive the call);
/// when it fails, run() throws RuleFailed. Without one, a plan with that policy is a
/// ConfigError (model::kLeaderRuleMissing).
RunResult run(const RunPlan& plan, const std::atomic<bool>* cancel = nullptr,
              const model::LeaderRule* leader_rule = nullptr);

}  // namespace orgsim::engine
