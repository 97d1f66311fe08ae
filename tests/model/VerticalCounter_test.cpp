#include "orgsim/model/VerticalCounter.h"

#include <catch2/catch.hpp>
#include <vector>

#include "orgsim/core/Random.h"

using namespace orgsim::model;

TEST_CASE("vertical counts equal per-dimension counts of set bits", "[counter]") {
  const int m = GENERATE(30, 64, 200);
  const int vectors = GENERATE(1, 7, 50, 255, 256, 5000);
  const int words = words_for(m);
  orgsim::RandomStream stream(
      orgsim::StreamName{4, static_cast<std::uint64_t>(m), static_cast<std::uint64_t>(vectors), 0});
  VerticalCounter counter(words, vectors);
  std::vector<int> expected(static_cast<std::size_t>(m), 0);
  std::vector<Word> bits(static_cast<std::size_t>(words));
  for (int v = 0; v < vectors; ++v) {
    for (int w = 0; w < words; ++w) {
      bits[static_cast<std::size_t>(w)] = stream.next64() & valid_mask(m, w);
    }
    for (int j = 0; j < m; ++j) {
      expected[static_cast<std::size_t>(j)] +=
          (bits[static_cast<std::size_t>(j / 64)] >> (j % 64)) & 1;
    }
    counter.add(bits.data());
  }
  for (int j = 0; j < m; ++j) REQUIRE(counter.count(j) == expected[static_cast<std::size_t>(j)]);

  counter.clear();
  for (int j = 0; j < m; ++j) REQUIRE(counter.count(j) == 0);
}

TEST_CASE("a counter sized for n counts all-ones vectors up to n", "[counter]") {
  VerticalCounter counter(1, 3);
  const Word all = ~Word{0};
  for (int i = 0; i < 3; ++i) counter.add(&all);
  CHECK(counter.count(0) == 3);
  CHECK(counter.count(63) == 3);
}
