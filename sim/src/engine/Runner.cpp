#include "orgsim/engine/Runner.h"

#include <stdexcept>

#include "orgsim/model/Simulation.h"

namespace orgsim::engine {

RunResult run(const RunPlan& plan, const std::atomic<bool>* cancel) {
  if (!plan.params) throw std::invalid_argument("run plan without parameters");
  if (plan.every < 1) throw std::invalid_argument("run plan recording every < 1 periods");
  const model::ModelParams& params = *plan.params;
  model::Simulation simulation(params, plan.seed, plan.replication);
  RunResult result;
  result.firm_names = simulation.firm_names();
  const bool record = plan.trajectories == Trajectories::recorded;
  while (!simulation.finished()) {
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) throw Interrupted();
    simulation.advance();
    for (const auto& firm : simulation.firms()) result.agent_steps += firm.headcount();
    if (record && simulation.period() % plan.every == 0) {
      result.periods.push_back(simulation.period());
      simulation.observe(result.trajectory);
    }
  }
  result.summaries = simulation.summarise();
  return result;
}

}  // namespace orgsim::engine
