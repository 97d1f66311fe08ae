#include "orgsim/core/BitSelect.h"

#include <catch2/catch.hpp>
#include <vector>

#include "orgsim/core/Random.h"

using orgsim::nth_set_bit;

namespace {

// The positions of the set bits of `word`, lowest first, one bit at a time.
std::vector<int> set_bits(std::uint64_t word) {
  std::vector<int> positions;
  for (int bit = 0; bit < 64; ++bit) {
    if ((word >> bit) & 1) positions.push_back(bit);
  }
  return positions;
}

}  // namespace

TEST_CASE("nth_set_bit finds every set bit of words of every density", "[bits]") {
  orgsim::RandomStream stream(orgsim::StreamName{31, 0, 0, 0});
  std::vector<std::uint64_t> words = {1, 0x8000000000000000ull, ~0ull, 0xff00ff00ff00ff00ull,
                                      0x0000000100000000ull};
  for (int t = 0; t < 2000; ++t) {
    // Sparse, even and dense words.
    const std::uint64_t a = stream.next64();
    const std::uint64_t b = stream.next64();
    words.push_back(a & b);
    words.push_back(a);
    words.push_back(a | b);
  }
  for (std::uint64_t word : words) {
    const std::vector<int> expected = set_bits(word);
    for (std::size_t k = 0; k < expected.size(); ++k) {
      REQUIRE(nth_set_bit(word, static_cast<int>(k)) == expected[k]);
    }
  }
}
