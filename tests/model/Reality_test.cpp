#include "orgsim/model/Reality.h"

#include <bit>
#include <catch2/catch.hpp>
#include <cmath>

using namespace orgsim;
using namespace orgsim::model;

TEST_CASE("reality starts uniform and inside its dimensions", "[reality]") {
  RandomStream stream(StreamName{1, 0, 0, 0});
  long positives = 0;
  const int runs = 2000;
  for (int r = 0; r < runs; ++r) {
    Reality reality(30, stream);
    REQUIRE((reality.positive()[0] & ~valid_mask(30, 0)) == 0);
    positives += std::popcount(reality.positive()[0]);
  }
  // Binomial(60000, 1/2): sd 122.
  CHECK(std::abs(positives - 30000) < 5 * 122);
}

TEST_CASE("turbulence flips each dimension with probability p4", "[reality]") {
  const double p4 = GENERATE(0.01, 0.05, 0.3);
  RandomStream init(StreamName{2, 0, 0, 0});
  RandomStream flips(StreamName{2, 0, 0, 1});
  Reality reality(1024, init);
  const int periods = 200;
  long flipped = 0;
  for (int t = 0; t < periods; ++t) {
    std::vector<Word> before(reality.positive(), reality.positive() + reality.words());
    reality.turbulence(flips, probability_threshold(p4));
    for (int w = 0; w < reality.words(); ++w) {
      flipped += std::popcount(before[static_cast<std::size_t>(w)] ^ reality.positive()[w]);
    }
  }
  const double cells = 1024.0 * periods;
  CHECK(std::abs(flipped - cells * p4) < 5 * std::sqrt(cells * p4 * (1 - p4)));
}
