#include "orgsim/engine/Trace.h"

#include <algorithm>
#include <stdexcept>

#include "orgsim/engine/Runner.h"
#include "orgsim/model/Simulation.h"

namespace orgsim::engine {
namespace {

const model::ModelParams& checked_params(const RunPlan& plan) {
  if (!plan.params) throw std::invalid_argument("trace of a run plan without parameters");
  if (plan.every < 1) throw std::invalid_argument("trace recording every < 1 periods");
  return *plan.params;
}

void check_cancel(const std::atomic<bool>* cancel) {
  if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) throw Interrupted();
}

}  // namespace

TraceShape measure_trace(const RunPlan& plan, const std::atomic<bool>* cancel) {
  const model::ModelParams& params = checked_params(plan);
  model::Simulation simulation(params, plan.seed, plan.replication);
  TraceShape shape;
  shape.firm_names = simulation.firm_names();
  shape.firms = shape.firm_names.size();
  shape.dimensions = static_cast<std::size_t>(params.env.dimensions);
  while (!simulation.finished()) {
    check_cancel(cancel);
    simulation.advance();
    if (simulation.period() % plan.every != 0) continue;
    ++shape.periods;
    for (const auto& firm : simulation.firms()) {
      shape.employees = std::max(shape.employees, static_cast<std::size_t>(firm.headcount()));
    }
  }
  return shape;
}

std::uint64_t trace_bytes(const TraceShape& shape) {
  const std::uint64_t periods = shape.periods;
  const std::uint64_t firms = shape.firms;
  const std::uint64_t slots = periods * firms * shape.employees;
  return slots * (shape.dimensions + kEmployeeBytes) +
         periods * firms * (shape.dimensions + kFirmBytes) + periods * (shape.dimensions + 4);
}

int trace(const RunPlan& plan, TraceSink& sink, const std::atomic<bool>* cancel) {
  const model::ModelParams& params = checked_params(plan);
  model::Simulation simulation(params, plan.seed, plan.replication);
  std::vector<model::EmployeeState> firms(simulation.firms().size());
  std::vector<model::Observation> observed;
  std::vector<std::int8_t> reality;
  std::size_t index = 0;
  while (!simulation.finished()) {
    check_cancel(cancel);
    simulation.advance();
    if (simulation.period() % plan.every != 0) continue;
    for (std::size_t f = 0; f < firms.size(); ++f) {
      model::snapshot(simulation.firms()[f], firms[f]);
    }
    observed.clear();
    simulation.observe(observed);
    reality = model::reality_values(simulation.reality());
    sink.record(TracePeriod{simulation.period(), index++, reality, firms, observed});
  }
  return simulation.period();
}

}  // namespace orgsim::engine
