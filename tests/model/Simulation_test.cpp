#include "orgsim/model/Simulation.h"

#include <catch2/catch.hpp>

using namespace orgsim::model;

namespace {

ModelParams march(double p1, double p2) {
  ModelParams params;
  params.firm.socialization = p1;
  params.firm.code_learning = p2;
  params.run.stop = StopRule::equilibrium;
  return params;
}

std::vector<double> code_scores(const ModelParams& params, std::uint64_t seed,
                                std::uint64_t replication) {
  Simulation simulation(params, seed, replication);
  std::vector<double> scores;
  while (!simulation.finished()) {
    simulation.advance();
    scores.push_back(simulation.observe()[0][Quantity::code_score]);
  }
  return scores;
}

}  // namespace

TEST_CASE("a run is a function of (params, seed, replication)", "[simulation]") {
  const ModelParams params = march(0.5, 0.5);
  CHECK(code_scores(params, 1, 0) == code_scores(params, 1, 0));
  CHECK(code_scores(params, 1, 0) != code_scores(params, 2, 0));
  CHECK(code_scores(params, 1, 0) != code_scores(params, 1, 1));
}

TEST_CASE("an equilibrium run stops once the firm is settled and not before", "[simulation]") {
  const ModelParams params = march(0.9, 0.9);
  Simulation simulation(params, 3, 0);
  while (!simulation.finished()) {
    REQUIRE_FALSE(simulation.firms()[0].settled(simulation.reality()));
    simulation.advance();
  }
  CHECK(simulation.firms()[0].settled(simulation.reality()));
  CHECK(simulation.period() < params.run.max_periods);
}

TEST_CASE("beliefs wider than one machine word learn and settle like narrow ones", "[simulation]") {
  // Multi-word vectors with a partial last word must still reach March's equilibrium.
  // (The equilibrium score itself falls with m: the superior group is chosen on the whole
  // score, so each dimension's vote carries less signal. Firm_test checks one period
  // exactly against a direct implementation at these widths.)
  ModelParams params = march(0.9, 0.9);
  params.env.dimensions = GENERATE(65, 130, 1024);
  Simulation simulation(params, 5, 0);
  while (!simulation.finished()) simulation.advance();
  CHECK(simulation.period() < params.run.max_periods);
  CHECK(simulation.firms()[0].settled(simulation.reality()));
}

TEST_CASE("max_periods guards an equilibrium run", "[simulation]") {
  ModelParams params = march(0.1, 0.1);
  params.run.max_periods = 3;
  Simulation simulation(params, 3, 0);
  while (!simulation.finished()) simulation.advance();
  CHECK(simulation.period() == 3);
}

TEST_CASE("a fixed-horizon run lasts run.periods", "[simulation]") {
  ModelParams params;
  params.run.periods = 17;
  params.env.turbulence = 0.1;
  params.firm.turnover = 0.1;
  Simulation simulation(params, 1, 0);
  while (!simulation.finished()) simulation.advance();
  CHECK(simulation.period() == 17);
  CHECK(simulation.summarise()[0].periods_run == 17);
}

TEST_CASE("a single firm holds the whole market and leads nobody", "[simulation]") {
  ModelParams params;
  params.run.periods = 5;
  Simulation simulation(params, 1, 0);
  while (!simulation.finished()) simulation.advance();
  const auto observation = simulation.observe()[0];
  CHECK(observation[Quantity::market_share] == 1.0);
  CHECK(observation[Quantity::lead] == 0.0);
  CHECK(observation[Quantity::innovation_lead] == 0.0);
  CHECK(observation[Quantity::rank] == 1.0);
  const auto summary = simulation.summarise()[0];
  CHECK(summary.share_periods_lead == 0.0);
  CHECK(std::isnan(summary.first_period_lead));
}

TEST_CASE("turbulence erodes a settled code's accuracy", "[simulation]") {
  // March (1991), Figure 6's premise: without turnover, a changing world makes the code
  // stale. Compare mean innovation after 400 periods with and without turbulence.
  auto mean_innovation = [](double turbulence) {
    ModelParams params;
    params.run.periods = 400;
    params.env.turbulence = turbulence;
    double sum = 0;
    for (std::uint64_t r = 0; r < 40; ++r) {
      Simulation simulation(params, 9, r);
      while (!simulation.finished()) simulation.advance();
      sum += simulation.observe()[0][Quantity::innovation];
    }
    return sum / 40;
  };
  CHECK(mean_innovation(0.02) < mean_innovation(0.0) - 0.1);
}
