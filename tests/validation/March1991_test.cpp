// Validation: with its extensions off, orgsim is March's (1991) mutual-learning model and
// must reproduce his Figure 1. Targets are MODEL.md section 4's table (equilibrium code
// score, n = 50, m = 30), read to about +-0.005 from an independent recreation with
// 100,000 runs per point. At 1000 replications a cell's standard error is about 0.003, so
// the 0.015 tolerance is that reading error plus about three and a half standard errors.
// Run alone with: ctest -L validation

#include <catch2/catch.hpp>
#include <cmath>
#include <iostream>

#include "../StudyOf.h"
#include "orgsim/core/Statistics.h"
#include "orgsim/engine/Executor.h"
#include "orgsim/model/ParameterTable.h"

using namespace orgsim;
using orgsim::testing::all_runs;

TEST_CASE("March (1991) Figure 1: equilibrium code score over p1 x p2", "[validation]") {
  auto [p2, p1, target] = GENERATE(table<double, double, double>({
      {0.1, 0.1, 0.865},
      {0.1, 0.3, 0.803},
      {0.1, 0.5, 0.800},
      {0.1, 0.7, 0.806},
      {0.1, 0.9, 0.812},
      {0.5, 0.1, 0.955},
      {0.5, 0.3, 0.869},
      {0.5, 0.5, 0.810},
      {0.5, 0.7, 0.767},
      {0.5, 0.9, 0.740},
      {0.9, 0.1, 0.973},
      {0.9, 0.3, 0.907},
      {0.9, 0.5, 0.840},
      {0.9, 0.7, 0.780},
      {0.9, 0.9, 0.728},
  }));
  model::ModelParams params = model::march_reduction(p1, p2);
  // Only the final state matters here: record the last period at most.
  const engine::Study study =
      testing::study_of(params, model::RunSpec{1000, 1991, params.run.max_periods});

  std::vector<double> final_scores(study.run_count());
  std::vector<double> periods(final_scores.size());
  engine::ExecutorOptions options;
  options.threads = engine::default_thread_count();
  engine::execute(
      all_runs(study), [&](std::size_t run) { return study.plan(run); }, options,
      [&](std::size_t index, engine::RunResult&& result) {
        final_scores[index] = result.summaries[0].final[model::Quantity::code_score];
        periods[index] = result.summaries[0].periods_run;
      },
      [](std::size_t index, const std::string& error) { FAIL("run " << index << ": " << error); });
  const MeanInterval estimate = mean_interval(final_scores);
  const MeanInterval length = mean_interval(periods);
  std::cout << "March Figure 1  p1 = " << p1 << "  p2 = " << p2 << "  code score " << estimate.mean
            << " +- " << estimate.half_width << "  target " << target << "  difference "
            << estimate.mean - target << "  mean periods " << length.mean << "\n";
  INFO("p1 = " << p1 << ", p2 = " << p2 << ": " << estimate.mean << " vs " << target);
  CHECK(std::abs(estimate.mean - target) <= 0.015);
  // No run may hit the guard: every one must have reached March's equilibrium.
  for (double p : periods) REQUIRE(p < params.run.max_periods);
}
