#pragma once
// Belief vectors in {-1, 0, +1}^m stored as two bit-planes of ceil(m/64) words each:
// `known` (the value is not 0) and `positive` (the value is +1; only ever set where known).
// Reality, in {-1, +1}^m, needs only the positive plane. Scores, knowledge and comparisons
// become a few popcounts per 64 dimensions, which is what keeps the hot loop fast.

#include <bit>
#include <cstdint>
#include <span>

namespace orgsim::model {

using Word = std::uint64_t;

constexpr int words_for(int dimensions) {
  return (dimensions + 63) / 64;
}

/// Mask of the dimensions that exist in word `w` of a vector of `dimensions`.
constexpr Word valid_mask(int dimensions, int w) {
  const int bits = dimensions - 64 * w;
  return bits >= 64 ? ~Word{0} : (Word{1} << bits) - 1;
}

/// A read-only view of a belief vector's two planes.
struct BeliefView {
  const Word* known;
  const Word* positive;
};

/// score(v) = sum_j v_j r_j, a 0 counting 0.
inline int score(BeliefView belief, const Word* reality_positive, int words) {
  int agree = 0;
  int disagree = 0;
  for (int w = 0; w < words; ++w) {
    const Word differs = belief.positive[w] ^ reality_positive[w];
    agree += std::popcount(belief.known[w] & ~differs);
    disagree += std::popcount(belief.known[w] & differs);
  }
  return agree - disagree;
}

/// Number of dimensions where v_j = r_j (the numerator of K(v)).
inline int correct_count(BeliefView belief, const Word* reality_positive, int words) {
  int agree = 0;
  for (int w = 0; w < words; ++w) {
    agree += std::popcount(belief.known[w] & ~(belief.positive[w] ^ reality_positive[w]));
  }
  return agree;
}

/// Number of dimensions where the belief is 0.
inline int unknown_count(BeliefView belief, int dimensions) {
  const int words = words_for(dimensions);
  int known = 0;
  for (int w = 0; w < words; ++w) known += std::popcount(belief.known[w]);
  return dimensions - known;
}

}  // namespace orgsim::model
