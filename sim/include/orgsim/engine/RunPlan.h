#pragma once
// What one run is: the parameters, the master seed, the replication number and what to
// record. A study makes the run plans of its runs; every random stream of a run derives from (seed,
// replication), so a plan reproduces its run exactly wherever and whenever it is executed.

#include <cstdint>
#include <memory>

#include "orgsim/model/Params.h"

namespace orgsim::engine {

/// Whether a run keeps its per-period trajectory (every output.every periods) or only the
/// summaries at its end. The summaries do not depend on it: they are computed from every
/// period either way.
enum class Trajectories { recorded, none };

struct RunPlan {
  std::shared_ptr<const model::ModelParams> params;
  std::uint64_t seed = 0;
  std::uint64_t replication = 0;
  Trajectories trajectories = Trajectories::recorded;
  /// The trajectory is recorded every this many periods (the run specification's
  /// output.every).
  int every = 1;
};

}  // namespace orgsim::engine
