#include "orgsim/engine/Runner.h"

#include <catch2/catch.hpp>
#include <cstring>

#include "orgsim/model/Summary.h"

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

namespace {

using Q = model::Quantity;

// The late-window summaries computed directly from the trajectory of a run recorded every
// period: the last late_window_periods() periods, added up in period order.
void check_late_window(const engine::RunResult& every_period, double late_share) {
  const auto periods = static_cast<int>(every_period.periods.size());
  for (int k = 0; k < periods; ++k) REQUIRE(every_period.periods[k] == k + 1);
  REQUIRE(every_period.summaries.size() > 0);
  REQUIRE(every_period.summaries[0].periods_run == periods);
  const int window = model::late_window_periods(late_share, periods);
  REQUIRE(window >= 1);
  for (std::size_t f = 0; f < every_period.summaries.size(); ++f) {
    INFO("firm " << f << ", window of " << window << " of " << periods << " periods");
    double lead = 0.0, innovation_lead = 0.0, innovation = 0.0, output_per_head = 0.0;
    long in_lead = 0, in_innovation_lead = 0;
    for (int k = periods - window; k < periods; ++k) {
      const model::Observation& at = every_period.at(static_cast<std::size_t>(k), f);
      lead += at[Q::lead];
      innovation_lead += at[Q::innovation_lead];
      innovation += at[Q::innovation];
      output_per_head += at[Q::output_per_head];
      in_lead += at[Q::lead] > 0.0;
      in_innovation_lead += at[Q::innovation_lead] > 0.0;
    }
    const model::FirmSummary& summary = every_period.summaries[f];
    // The whole-run means: every period, in period order.
    double whole_lead = 0.0, whole_innovation_lead = 0.0, whole_innovation = 0.0,
           whole_output = 0.0;
    for (int k = 0; k < periods; ++k) {
      const model::Observation& at = every_period.at(static_cast<std::size_t>(k), f);
      whole_lead += at[Q::lead];
      whole_innovation_lead += at[Q::innovation_lead];
      whole_innovation += at[Q::innovation];
      whole_output += at[Q::output_per_head];
    }
    CHECK(summary.mean_lead == whole_lead / periods);
    CHECK(summary.mean_innovation_lead == whole_innovation_lead / periods);
    CHECK(summary.mean_innovation == whole_innovation / periods);
    CHECK(summary.mean_output_per_head == whole_output / periods);
    CHECK(summary.late_mean_lead == lead / window);
    CHECK(summary.late_mean_innovation_lead == innovation_lead / window);
    CHECK(summary.late_mean_innovation == innovation / window);
    CHECK(summary.late_mean_output_per_head == output_per_head / window);
    CHECK(summary.late_share_periods_lead == static_cast<double>(in_lead) / window);
    CHECK(summary.late_share_periods_innovation_lead ==
          static_cast<double>(in_innovation_lead) / window);
  }
}

// Every summary of every firm, to the bit.
void check_same_summaries(const engine::RunResult& a, const engine::RunResult& b) {
  REQUIRE(a.summaries.size() == b.summaries.size());
  for (std::size_t f = 0; f < a.summaries.size(); ++f) {
    for (const auto& info : model::summary_info()) {
      INFO("firm " << f << ": " << info.name);
      const double x = info.of(a.summaries[f]);
      const double y = info.of(b.summaries[f]);
      CHECK(std::memcmp(&x, &y, sizeof x) == 0);
    }
  }
}

// Three firms racing under turbulence, with headcounts that follow market share.
model::ModelParams race(int periods, double late_share) {
  model::ModelParams params;
  params.run.periods = periods;
  params.summary.late_share = late_share;
  params.env.turbulence = 0.05;
  params.market.resource_feedback = 0.2;
  params.firm.employees = 20;
  model::GroupParams explorer = params;
  explorer.leader.explore_share = 0.2;
  params.groups = {{"focal", 1, params}, {"rivals", 2, explorer}};
  return params;
}

}  // namespace

TEST_CASE("the late window is the last max(1, round-half-up(late_share * T)) periods",
          "[runner][late]") {
  CHECK(model::late_window_periods(0.25, 200) == 50);
  CHECK(model::late_window_periods(0.25, 10) == 3);  // 2.5 rounds up
  CHECK(model::late_window_periods(0.25, 2) == 1);   // 0.5 rounds up
  CHECK(model::late_window_periods(0.1, 3) == 1);    // never fewer than one period
  CHECK(model::late_window_periods(1.0, 7) == 7);
  CHECK(model::late_window_periods(0.25, 37) == 9);
  CHECK(model::late_window_periods(0.25, 0) == 0);
}

TEST_CASE("the late-window summaries are those of every period, whatever output.every records",
          "[runner][late]") {
  for (const double late_share : {0.25, 0.3, 1.0, 0.001}) {
    INFO("summary.late_share = " << late_share);
    const auto shared = std::make_shared<const model::ModelParams>(race(37, late_share));
    const auto every_period = engine::run(engine::RunPlan{shared, 5, 1});
    check_late_window(every_period, late_share);
    // Every 7th period recorded, or none: the same summaries, to the bit.
    const auto every_7th =
        engine::run(engine::RunPlan{shared, 5, 1, engine::Trajectories::recorded, 7});
    CHECK(every_7th.periods == std::vector<int>{7, 14, 21, 28, 35});
    check_same_summaries(every_period, every_7th);
    check_same_summaries(every_period,
                         engine::run(engine::RunPlan{shared, 5, 1, engine::Trajectories::none}));
    if (late_share == 1.0) {
      for (const auto& summary : every_period.summaries) {
        CHECK(summary.late_share_periods_lead == summary.share_periods_lead);
        CHECK(summary.late_share_periods_innovation_lead == summary.share_periods_innovation_lead);
      }
    }
    if (late_share == 0.001) {  // one period: the final state
      for (const auto& summary : every_period.summaries) {
        CHECK(summary.late_mean_lead == summary.final[Q::lead]);
        CHECK(summary.late_mean_innovation == summary.final[Q::innovation]);
        CHECK(summary.late_mean_output_per_head == summary.final[Q::output_per_head]);
      }
    }
  }
  // The race is one: someone leads in the late window.
  const auto result = engine::run(
      engine::RunPlan{std::make_shared<const model::ModelParams>(race(37, 0.25)), 5, 1});
  double leading = 0.0;
  for (const auto& summary : result.summaries) leading += summary.late_share_periods_lead;
  CHECK(leading > 0.0);
}

TEST_CASE("an equilibrium-stopped run's late window is over the periods it ran", "[runner][late]") {
  for (const int max_periods : {5000, 40}) {
    INFO("run.max_periods = " << max_periods);
    model::ModelParams params = model::march_reduction(0.1, 0.1);
    params.run.max_periods = max_periods;
    params.summary.late_share = 0.3;
    const auto shared = std::make_shared<const model::ModelParams>(params);
    const auto every_period = engine::run(engine::RunPlan{shared, 11, 3});
    const double periods = every_period.summaries[0].periods_run;
    if (max_periods == 40) {
      CHECK(periods == 40);  // stopped by the guard
    } else {
      CHECK(periods > 40);
      CHECK(periods < max_periods);  // settled
    }
    check_late_window(every_period, params.summary.late_share);
    check_same_summaries(every_period, engine::run(engine::RunPlan{
                                           shared, 11, 3, engine::Trajectories::recorded, 7}));
    check_same_summaries(every_period,
                         engine::run(engine::RunPlan{shared, 11, 3, engine::Trajectories::none}));
  }
}
