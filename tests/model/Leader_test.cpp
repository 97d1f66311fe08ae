#include "orgsim/model/Leader.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

using namespace orgsim::model;

namespace {

constexpr double kNoRival = std::numeric_limits<double>::quiet_NaN();

LeaderParams policy(LeaderPolicy which, double baseline = 0.2, int memory = 1, double floor = 0.0) {
  LeaderParams params;
  params.policy = which;
  params.explore_share = baseline;
  params.step = 0.05;
  params.max_share = 0.5;
  params.comfort_margin = 0.05;
  params.horizon = 50;
  params.memory = memory;
  params.min_share = floor;
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

TEST_CASE("every policy keeps the share in [0, max_share] with the default floor 0", "[leader]") {
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

TEST_CASE("with memory 1 the value is exactly revision 1's (I - I_prev) H Y - C", "[leader]") {
  Leader leader(policy(LeaderPolicy::value, 0.1), 0.0);
  const double innovations[] = {0.1, 0.37, 0.37, 0.2, 0.61};
  double previous = 0.0;
  for (double innovation : innovations) {
    leader.record(3, 0.7);
    leader.record(3, 0.3);
    const double cost = 3 * 0.7 + 3 * 0.3;
    leader.decide(innovation, 17.0, kNoRival);
    CHECK(leader.last_value() == (innovation - previous) * 50 * 17.0 - cost);  // to the bit
    previous = innovation;
  }
}

TEST_CASE("memory 3 reads the trend over three cycles, fewer before three have passed",
          "[leader]") {
  Leader leader(policy(LeaderPolicy::value, 0.1, 3), 0.0);
  // Cycle costs 10, 20, 30, 40; innovation 0 at the start, then 0.1, 0.3, 0.3, 0.2.
  leader.record(10, 1.0);
  leader.decide(0.1, 2.0, kNoRival);  // c = 1: (0.1 - 0) * 50 * 2 - 10 = 0
  CHECK(leader.last_value() == Approx(0.0).margin(1e-12));
  leader.record(20, 1.0);
  leader.decide(0.3, 2.0, kNoRival);  // c = 2: (0.3 - 0) / 2 * 100 - (10 + 20) / 2 = 0
  CHECK(leader.last_value() == Approx(0.0).margin(1e-12));
  leader.record(30, 1.0);
  leader.decide(0.3, 4.0, kNoRival);  // c = 3: (0.3 - 0) / 3 * 200 - 60 / 3 = 0
  CHECK(leader.last_value() == Approx(0.0).margin(1e-12));
  leader.record(40, 1.0);
  leader.decide(0.2, 6.0, kNoRival);  // c = 3, from cycle 1: (0.2 - 0.1) / 3 * 300 - 90 / 3
  CHECK(leader.last_value() == Approx(10.0 - 30.0));
  leader.record(3, 1.0);
  leader.decide(0.9, 3.0, kNoRival);  // from cycle 2: (0.9 - 0.3) / 3 * 150 - 73 / 3
  CHECK(leader.last_value() == Approx(30.0 - 73.0 / 3));
}

TEST_CASE("a new leader restarts the memory's count", "[leader]") {
  Leader leader(policy(LeaderPolicy::value, 0.1, 3), 0.0);
  for (double innovation : {0.1, 0.2, 0.3}) {
    leader.record(1, 1.0);
    leader.decide(innovation, 1.0, kNoRival);
  }
  leader.replace(0.2, 0.5);  // the new leader's reference point: I = 0.5 now
  CHECK(leader.last_value() == 0.0);
  leader.record(4, 1.0);
  leader.decide(0.6, 2.0, kNoRival);  // c = 1, not 3: (0.6 - 0.5) * 50 * 2 - 4
  CHECK(leader.last_value() == Approx(10.0 - 4.0));
  leader.record(6, 1.0);
  leader.decide(0.6, 2.0, kNoRival);  // c = 2: (0.6 - 0.5) / 2 * 100 - (4 + 6) / 2
  CHECK(leader.last_value() == Approx(5.0 - 5.0).margin(1e-12));
}

TEST_CASE("no policy, start or replacement takes the share below min_share", "[leader]") {
  const double floor = 0.15;
  // The start: max(explore_share, min_share).
  CHECK(Leader(policy(LeaderPolicy::fixed, 0.0, 1, floor), 0.0).explore_share() == floor);
  CHECK(Leader(policy(LeaderPolicy::fixed, 0.3, 1, floor), 0.0).explore_share() == 0.3);
  // fixed below the floor stays at the floor.
  Leader fixed(policy(LeaderPolicy::fixed, 0.05, 1, floor), 0.0);
  fixed.decide(0.2, 10, 0.9);
  CHECK(fixed.explore_share() == floor);
  // value: costs and no gain step it down, to the floor and no further.
  Leader value(policy(LeaderPolicy::value, 0.3, 1, floor), 0.0);
  for (int cycle = 0; cycle < 10; ++cycle) {
    value.record(5, 1.0);
    value.decide(0.0, 10, kNoRival);
    CHECK(value.explore_share() >= floor);
  }
  CHECK(value.explore_share() == floor);
  // relative: far ahead of the rival steps it down, to the floor and no further; its
  // baseline below the floor is the floor.
  Leader relative(policy(LeaderPolicy::relative, 0.0, 1, floor), 0.0);
  relative.decide(0.5, 10, 0.9);  // trailing: up
  CHECK(relative.explore_share() == Approx(0.2));
  for (int cycle = 0; cycle < 10; ++cycle) {
    relative.decide(0.9, 10, 0.1);
    CHECK(relative.explore_share() >= floor);
  }
  CHECK(relative.explore_share() == floor);
  relative.decide(0.5, 10, 0.5);  // comfortable: back towards max(0, floor) = floor
  CHECK(relative.explore_share() == floor);
  // A replacement below the floor is raised to it.
  relative.replace(0.0, 0.5);
  CHECK(relative.explore_share() == floor);
}
