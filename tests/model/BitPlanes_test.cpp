#include "orgsim/model/BitPlanes.h"

#include <catch2/catch.hpp>
#include <vector>

#include "orgsim/core/Random.h"

using namespace orgsim::model;

namespace {

// Encodes values in {-1, 0, +1} as the two planes.
struct Planes {
  std::vector<Word> known, positive;
  explicit Planes(const std::vector<int>& values)
      : known(static_cast<std::size_t>(words_for(static_cast<int>(values.size()))), 0),
        positive(known.size(), 0) {
    for (std::size_t j = 0; j < values.size(); ++j) {
      if (values[j] != 0) known[j / 64] |= Word{1} << (j % 64);
      if (values[j] > 0) positive[j / 64] |= Word{1} << (j % 64);
    }
  }
  BeliefView view() const { return {known.data(), positive.data()}; }
};

}  // namespace

TEST_CASE("valid_mask covers exactly the existing dimensions", "[bitplanes]") {
  CHECK(words_for(1) == 1);
  CHECK(words_for(64) == 1);
  CHECK(words_for(65) == 2);
  CHECK(words_for(1024) == 16);
  CHECK(valid_mask(30, 0) == (Word{1} << 30) - 1);
  CHECK(valid_mask(64, 0) == ~Word{0});
  CHECK(valid_mask(70, 1) == 0x3f);
}

TEST_CASE("score, correct_count and unknown_count agree with the definitions", "[bitplanes]") {
  const int m = GENERATE(1, 30, 64, 100, 1024);
  orgsim::RandomStream stream(orgsim::StreamName{3, static_cast<std::uint64_t>(m), 0, 0});
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<int> belief(static_cast<std::size_t>(m)), truth(static_cast<std::size_t>(m));
    int expected_score = 0, expected_correct = 0, expected_unknown = 0;
    for (int j = 0; j < m; ++j) {
      belief[static_cast<std::size_t>(j)] = static_cast<int>(stream.below(3)) - 1;
      truth[static_cast<std::size_t>(j)] = stream.below(2) ? 1 : -1;
      expected_score += belief[static_cast<std::size_t>(j)] * truth[static_cast<std::size_t>(j)];
      expected_correct += belief[static_cast<std::size_t>(j)] == truth[static_cast<std::size_t>(j)];
      expected_unknown += belief[static_cast<std::size_t>(j)] == 0;
    }
    const Planes b(belief), r(truth);
    CHECK(score(b.view(), r.positive.data(), words_for(m)) == expected_score);
    CHECK(correct_count(b.view(), r.positive.data(), words_for(m)) == expected_correct);
    CHECK(unknown_count(b.view(), m) == expected_unknown);
  }
}
