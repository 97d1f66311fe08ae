#pragma once
// Counts, for every dimension at once, how many of a set of bit vectors have that
// dimension's bit set. The count is kept bit-sliced (slice s holds bit s of every
// dimension's count), so adding a vector is a ripple-carry add over a few words instead of
// one increment per set bit. Used for the superior group's votes and for diversity.

#include <vector>

#include "orgsim/model/BitPlanes.h"

namespace orgsim::model {

class VerticalCounter {
 public:
  /// Ready to count up to `max_count` vectors of `words` words each.
  VerticalCounter(int words, int max_count);

  void clear();

  /// Adds one vector: every dimension whose bit is set in `bits` counts one more.
  void add(const Word* bits) {
    for (int w = 0; w < words_; ++w) {
      Word carry = bits[w];
      for (int s = 0; carry != 0; ++s) {
        Word& slice = slices_[static_cast<std::size_t>(s * words_ + w)];
        const Word next = slice & carry;
        slice ^= carry;
        carry = next;
      }
    }
  }

  /// The count for dimension `j`.
  int count(int dimension) const;

 private:
  int words_;
  int slice_count_;
  std::vector<Word> slices_;  // slice s, word w at s * words_ + w
};

}  // namespace orgsim::model
