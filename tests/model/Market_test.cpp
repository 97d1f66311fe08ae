#include "orgsim/model/Market.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "orgsim/model/Simulation.h"

using namespace orgsim::model;

TEST_CASE("market shares follow q_f = (Y_f/n_f) exp(beta I_f) and sum to 1", "[market]") {
  const std::vector<FirmStanding> firms = {{0.6, 0.8}, {0.7, 0.7}, {0.5, 0.9}};
  const double beta = 10.0;
  const auto positions = clear_market(firms, beta);
  double total_q = 0.0;
  for (const auto& firm : firms) total_q += firm.output_per_head * std::exp(beta * firm.innovation);
  double sum = 0.0;
  for (std::size_t f = 0; f < firms.size(); ++f) {
    const double q = firms[f].output_per_head * std::exp(beta * firms[f].innovation);
    CHECK(positions[f].share == Approx(q / total_q));
    sum += positions[f].share;
  }
  CHECK(sum == Approx(1.0));
  // 0.5 e^9 > 0.6 e^8 > 0.7 e^7: the third firm leads, the second trails.
  CHECK(positions[2].rank == 1);
  CHECK(positions[0].rank == 2);
  CHECK(positions[1].rank == 3);
  CHECK(positions[2].lead == Approx(positions[2].share - positions[0].share));
  CHECK(positions[1].lead == Approx(positions[1].share - positions[2].share));
  CHECK(positions[2].innovation_lead == Approx(0.1));
  CHECK(positions[0].innovation_lead == Approx(-0.1));
}

TEST_CASE("size alone wins nothing: shares use output per head", "[market]") {
  // Two firms equal per head and in innovation split the market whatever their size.
  const auto positions = clear_market({{0.5, 0.6}, {0.5, 0.6}}, 10.0);
  CHECK(positions[0].share == Approx(0.5));
  CHECK(positions[0].lead == Approx(0.0));
  CHECK(positions[0].rank == 1);
  CHECK(positions[1].rank == 1);
  // The period loop prices each firm by Y_f / n_f: a firm ten times its rival's size
  // would take about ten elevenths of the market if total output were priced.
  ModelParams params;
  params.run.periods = 20;
  params.env.turbulence = 0.02;
  FirmGroup big{"big", 1, params};
  big.params.firm.employees = 100;
  FirmGroup small{"small", 1, params};
  small.params.firm.employees = 10;
  params.groups = {big, small};
  Simulation simulation(params, 3, 0);
  while (!simulation.finished()) {
    simulation.advance();
    const auto observations = simulation.observe();
    REQUIRE(observations[0][Quantity::headcount] == 100);
    REQUIRE(observations[1][Quantity::headcount] == 10);
    double q[2];
    for (std::size_t f = 0; f < 2; ++f) {
      const Observation& o = observations[f];
      q[f] = o[Quantity::output] / o[Quantity::headcount] *
             std::exp(params.market.sensitivity * o[Quantity::innovation]);
    }
    for (std::size_t f = 0; f < 2; ++f) {
      REQUIRE(observations[f][Quantity::market_share] ==
              Approx(q[f] / (q[0] + q[1])).epsilon(1e-12));
    }
  }
}

TEST_CASE("beta = 0 prices output per head alone, negative output attracts nobody", "[market]") {
  const auto plain = clear_market({{0.2, 0.0}, {0.6, 1.0}}, 0.0);
  CHECK(plain[0].share == Approx(0.25));
  const auto negative = clear_market({{-0.1, 0.9}, {0.3, 0.1}}, 10.0);
  CHECK(negative[0].share == 0.0);
  CHECK(negative[1].share == 1.0);
  const auto nobody = clear_market({{-0.1, 0.9}, {-0.3, 0.1}}, 10.0);
  CHECK(nobody[0].share == Approx(0.5));
}

TEST_CASE("a lone firm has the whole market and no lead", "[market]") {
  const auto positions = clear_market({{0.4, 0.5}}, 10.0);
  CHECK(positions[0].share == 1.0);
  CHECK(positions[0].lead == 0.0);
  CHECK(positions[0].innovation_lead == 0.0);
  CHECK(positions[0].rank == 1);
}
