#include "orgsim/model/Observation.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using namespace orgsim::model;

TEST_CASE("every recorded quantity has a unique name, a unit and a meaning", "[observation]") {
  std::set<std::string> names;
  for (const auto& info : quantity_info()) {
    CHECK(!info.name.empty());
    CHECK(!info.unit.empty());
    CHECK(!info.meaning.empty());
    names.insert(std::string(info.name));
  }
  CHECK(names.size() == kQuantityCount);
}

TEST_CASE("every quantity sits at its enumerator with its name and unit (MODEL.md section 3)",
          "[observation]") {
  // Every entry, so that two swapped entries (mislabelled datasets) fail.
  struct Expected {
    Quantity quantity;
    const char* name;
    const char* unit;
  };
  const Expected expected[] = {
      {Quantity::innovation, "innovation", "share of dimensions"},
      {Quantity::code_score, "code_score", "net score per dimension"},
      {Quantity::mean_knowledge, "mean_knowledge", "share of dimensions"},
      {Quantity::output, "output", "output units"},
      {Quantity::output_per_head, "output_per_head", "output units per employee"},
      {Quantity::market_share, "market_share", "share of customers"},
      {Quantity::lead, "lead", "share of customers"},
      {Quantity::innovation_lead, "innovation_lead", "share of dimensions"},
      {Quantity::rank, "rank", "rank"},
      {Quantity::explore_share, "explore_share", "share of headcount"},
      {Quantity::mean_pressure, "mean_pressure", "pressure"},
      {Quantity::mean_autonomy, "mean_autonomy", "autonomy"},
      {Quantity::diversity, "diversity", "share of belief cells"},
      {Quantity::headcount, "headcount", "employees"},
      {Quantity::leader_changes, "leader_changes", "changes"},
      {Quantity::peer_adoptions, "peer_adoptions", "beliefs per employee per period"},
  };
  REQUIRE(std::size(expected) == kQuantityCount);
  for (std::size_t k = 0; k < kQuantityCount; ++k) {
    INFO("entry " << k << ": " << expected[k].name);
    CHECK(static_cast<std::size_t>(expected[k].quantity) == k);
    CHECK(quantity_info()[k].name == expected[k].name);
    CHECK(quantity_info()[k].unit == expected[k].unit);
  }
}

TEST_CASE("observations index by quantity", "[observation]") {
  Observation observation;
  observation[Quantity::rank] = 2.0;
  CHECK(observation.values[static_cast<std::size_t>(Quantity::rank)] == 2.0);
}
