#include "orgsim/engine/Runner.h"

#include <catch2/catch.hpp>
#include <cstring>

using namespace orgsim;

TEST_CASE("a run records every plan.every (output.every) periods and counts agent-steps",
          "[runner]") {
  model::ModelParams params;
  params.run.periods = 10;
  params.firm.employees = 7;
  const auto result = engine::run(engine::RunPlan{
      std::make_shared<const model::ModelParams>(params), 1, 0, engine::Trajectories::recorded, 3});
  CHECK(result.periods == std::vector<int>{3, 6, 9});
  REQUIRE(result.periods.size() == 3);
  CHECK(result.trajectory.size() == 3);  // one firm
  CHECK(&result.at(2, 0) == &result.trajectory[2]);
  CHECK(result.firm_names == std::vector<std::string>{"focal"});
  CHECK(result.agent_steps == 70);
  REQUIRE(result.summaries.size() == 1);
  CHECK(result.summaries[0].periods_run == 10);
}

TEST_CASE("a run without trajectories keeps the same summaries and no periods", "[runner]") {
  model::ModelParams params;
  params.run.periods = 12;
  params.env.turbulence = 0.05;
  const auto shared = std::make_shared<const model::ModelParams>(params);
  const auto recorded = engine::run(engine::RunPlan{shared, 4, 2});
  const auto summaries_only =
      engine::run(engine::RunPlan{shared, 4, 2, engine::Trajectories::none});
  CHECK(recorded.periods.size() == 12);
  CHECK(summaries_only.periods.empty());
  CHECK(summaries_only.trajectory.empty());
  REQUIRE(summaries_only.summaries.size() == recorded.summaries.size());
  const auto& a = recorded.summaries[0];
  const auto& b = summaries_only.summaries[0];
  CHECK(std::memcmp(&a.final, &b.final, sizeof a.final) == 0);
  CHECK(a.share_periods_lead == b.share_periods_lead);
  CHECK(a.periods_run == b.periods_run);
  CHECK(summaries_only.agent_steps == recorded.agent_steps);
}

TEST_CASE("a run stops with Interrupted once cancelled", "[runner]") {
  model::ModelParams params;
  std::atomic<bool> cancel{true};
  CHECK_THROWS_AS(
      engine::run(engine::RunPlan{std::make_shared<const model::ModelParams>(params), 1, 0},
                  &cancel),
      engine::Interrupted);
}

TEST_CASE("a plan without parameters is refused", "[runner]") {
  CHECK_THROWS_AS(engine::run(engine::RunPlan{}), std::invalid_argument);
}
