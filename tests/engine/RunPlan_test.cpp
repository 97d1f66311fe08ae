#include "orgsim/engine/RunPlan.h"

#include <catch2/catch.hpp>

using namespace orgsim;

TEST_CASE("replicate makes one plan per replication, sharing params and seed", "[runplan]") {
  model::ModelParams params;
  params.run.replications = 4;
  params.run.seed = 99;
  const auto plans = engine::replicate(params);
  REQUIRE(plans.size() == 4);
  for (std::size_t r = 0; r < plans.size(); ++r) {
    CHECK(plans[r].replication == r);
    CHECK(plans[r].seed == 99);
    CHECK(plans[r].params == plans[0].params);
  }
}
