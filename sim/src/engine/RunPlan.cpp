#include "orgsim/engine/RunPlan.h"

namespace orgsim::engine {

std::vector<RunPlan> replicate(const model::ModelParams& params) {
  auto shared = std::make_shared<const model::ModelParams>(params);
  std::vector<RunPlan> plans;
  plans.reserve(static_cast<std::size_t>(params.run.replications));
  for (long r = 0; r < params.run.replications; ++r) {
    plans.push_back(RunPlan{shared, params.run.seed, static_cast<std::uint64_t>(r)});
  }
  return plans;
}

}  // namespace orgsim::engine
