#include "orgsim/model/Leader.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

using namespace orgsim::model;

namespace {

constexpr double kNoRival = std::numeric_limits<double>::quiet_NaN();

LeaderParams policy(LeaderPolicy which, double baseline = 0.2) {
  LeaderParams params;
  params.policy = which;
  params.explore_share = baseline;
  params.step = 0.05;
  params.max_share = 0.5;
  params.comfort_margin = 0.05;
  params.horizon = 50;
  return params;
}

}  // namespace

TEST_CASE(
    "a relative leader explores more while trailing, less while comfortably ahead, and "
    "returns towards its baseline in between",
    "[leader]") {
  Leader leader(policy(LeaderPolicy::relative, 0.2), 0.0);
  leader.decide(0.5, 10, 0.7);  // trailing by 0.2
  CHECK(leader.explore_share() == Approx(0.25));
  leader.decide(0.5, 10, 0.7);
  CHECK(leader.explore_share() == Approx(0.30));
  leader.decide(0.72, 10, 0.7);  // within the margin: one step back towards 0.2
  CHECK(leader.explore_share() == Approx(0.25));
  leader.decide(0.72, 10, 0.7);
  CHECK(leader.explore_share() == Approx(0.20));
  leader.decide(0.72, 10, 0.7);  // at the baseline it stays
  CHECK(leader.explore_share() == Approx(0.20));
  leader.decide(0.9, 10, 0.7);  // ahead by 0.2
  CHECK(leader.explore_share() == Approx(0.15));
  leader.decide(0.9, 10, 0.7);
  CHECK(leader.explore_share() == Approx(0.10));
  leader.decide(0.7, 10, 0.7);  // tied: back up towards 0.2
  CHECK(leader.explore_share() == Approx(0.15));
}

TEST_CASE("a relative leader without rivals never moves", "[leader]") {
  Leader leader(policy(LeaderPolicy::relative, 0.1), 0.0);
  for (int cycle = 0; cycle < 5; ++cycle) leader.decide(0.3 * cycle, 10, kNoRival);
  CHECK(leader.explore_share() == Approx(0.1));
}

TEST_CASE("every policy keeps the share in [0, max_share]", "[leader]") {
  Leader relative(policy(LeaderPolicy::relative, 0.45), 0.0);
  for (int cycle = 0; cycle < 10; ++cycle) relative.decide(0.0, 10, 1.0);
  CHECK(relative.explore_share() == Approx(0.5));
  Leader value(policy(LeaderPolicy::value, 0.0), 0.0);
  value.decide(0.0, 10, kNoRival);  // no gain, no cost: V = 0, no move
  CHECK(value.explore_share() == 0.0);
  value.record(5, 1.0);
  value.decide(0.0, 10, kNoRival);  // V < 0 at 0: stays at the floor
  CHECK(value.explore_share() == 0.0);
}

TEST_CASE("a value leader weighs the innovation trend over the horizon against the cost",
          "[leader]") {
  Leader leader(policy(LeaderPolicy::value, 0.1), 0.5);
  // Gain 0.1 * 50 periods * output 20 = 100, against 10 periods * 5 explorers * 1.0 = 50.
  for (int period = 0; period < 10; ++period) leader.record(5, 1.0);
  leader.decide(0.6, 20, kNoRival);
  CHECK(leader.last_value() == Approx(50.0));
  CHECK(leader.explore_share() == Approx(0.15));
  // No further gain: only the cost remains, and the leader steps down.
  for (int period = 0; period < 10; ++period) leader.record(5, 1.0);
  leader.decide(0.6, 20, kNoRival);
  CHECK(leader.last_value() == Approx(-50.0));
  CHECK(leader.explore_share() == Approx(0.10));
}

TEST_CASE("a fixed leader keeps its share, a replaced leader restarts where the board says",
          "[leader]") {
  Leader leader(policy(LeaderPolicy::fixed, 0.3), 0.0);
  leader.decide(0.9, 10, 0.1);
  CHECK(leader.explore_share() == Approx(0.3));
  leader.replace(0.45, 0.9);
  CHECK(leader.explore_share() == Approx(0.45));
  leader.replace(0.9, 0.9);  // clipped to max_share
  CHECK(leader.explore_share() == Approx(0.5));
}
