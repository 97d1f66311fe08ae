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
  // MODEL.md section 3, in its order.
  CHECK(quantity_info()[static_cast<std::size_t>(Quantity::innovation)].name == "innovation");
  CHECK(quantity_info()[static_cast<std::size_t>(Quantity::leader_changes)].name ==
        "leader_changes");
}

TEST_CASE("observations index by quantity", "[observation]") {
  Observation observation;
  observation[Quantity::rank] = 2.0;
  CHECK(observation.values[static_cast<std::size_t>(Quantity::rank)] == 2.0);
}
