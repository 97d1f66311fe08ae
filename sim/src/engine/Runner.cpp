#include "orgsim/engine/Runner.h"

#include <stdexcept>

#include "orgsim/model/Simulation.h"

namespace orgsim::engine {

RuleFailed::RuleFailed(std::exception_ptr original) : original_(std::move(original)) {
  try {
    std::rethrow_exception(original_);
  } catch (const std::exception& error) {
    message_ = error.what();
  } catch (...) {
  }
  if (message_.empty()) message_ = "the leader rule failed";
}

RunResult run(const RunPlan& plan, const std::atomic<bool>* cancel,
              const model::LeaderRule* leader_rule) {
  if (!plan.params) throw std::invalid_argument("run plan without parameters");
  if (plan.every < 1) throw std::invalid_argument("run plan recording every < 1 periods");
  const model::ModelParams& params = *plan.params;
  // The rule's exceptions become RuleFailed on their way out of it, so that nothing the
  // model throws by itself can be mistaken for one (and Interrupted stays Interrupted).
  model::LeaderRule guarded;
  if (leader_rule != nullptr) {
    guarded = [leader_rule](const model::LeaderView& view) {
      try {
        return (*leader_rule)(view);
      } catch (const Interrupted&) {
        throw;
      } catch (...) {
        throw RuleFailed(std::current_exception());
      }
    };
  }
  model::Simulation simulation(params, plan.seed, plan.replication,
                               leader_rule != nullptr ? &guarded : nullptr);
  RunResult result;
  result.firm_names = simulation.firm_names();
  const bool record = plan.trajectories == Trajectories::recorded;
  try {
    while (!simulation.finished()) {
      if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) throw Interrupted();
      simulation.advance();
      for (const auto& firm : simulation.firms()) result.agent_steps += firm.headcount();
      if (record && simulation.period() % plan.every == 0) {
        result.periods.push_back(simulation.period());
        simulation.observe(result.trajectory);
      }
    }
  } catch (const model::RuleError&) {
    throw RuleFailed(std::current_exception());  // the rule returned no number
  }
  result.summaries = simulation.summarise();
  return result;
}

}  // namespace orgsim::engine
