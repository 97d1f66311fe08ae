#pragma once
// A study of typed parameters alone (no design), for tests that build their parameters in
// code rather than from scenario text: as a command makes it, from the resolved text.

#include <cstddef>
#include <vector>

#include "orgsim/engine/Study.h"
#include "orgsim/model/ParameterTable.h"

namespace orgsim::testing {

inline engine::Study study_of(const model::ModelParams& params, const model::RunSpec& run,
                              engine::Trajectories trajectories = engine::Trajectories::recorded) {
  return engine::Study(
      model::settings_from_text(model::resolved_scenario_text(params, run), "test"),
      engine::Design{}, trajectories);
}

/// Every run of `study`: 0 .. run_count() - 1.
inline std::vector<std::size_t> all_runs(const engine::Study& study) {
  std::vector<std::size_t> runs(study.run_count());
  for (std::size_t run = 0; run < runs.size(); ++run) runs[run] = run;
  return runs;
}

}  // namespace orgsim::testing
