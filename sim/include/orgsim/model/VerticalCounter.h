#pragma once
// Counts, for every dimension at once, how many of a set of bit vectors have that
// dimension's bit set. The count is kept bit-sliced (slice s holds bit s of every
// dimension's count), so adding a vector is a ripple-carry add over a few words instead of
// one increment per set bit, and comparing counts is a handful of word operations for 64
// dimensions at a time. Used for the superior group's votes and for diversity.

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
    for (int w = 0; w < words_; ++w) add_at(w, 0, bits[w]);
  }

  /// Adds `count` vectors at once, word `w` of vector `i` being `word_of(i, w)`. Sixteen
  /// vectors at a time go through a carry-save adder tree (Harley and Seal) before touching
  /// the counter, about five word operations per vector instead of a ripple carry each.
  template <class WordOf>
  void add_many(int count, WordOf&& word_of) {
    for (int w = 0; w < words_; ++w) {
      Word ones = 0, twos = 0, fours = 0, eights = 0;
      int i = 0;
      for (; i + 16 <= count; i += 16) {
        Word twos_a, twos_b, fours_a, fours_b, eights_a, eights_b, sixteens;
        carry_save(twos_a, ones, word_of(i, w), word_of(i + 1, w));
        carry_save(twos_b, ones, word_of(i + 2, w), word_of(i + 3, w));
        carry_save(fours_a, twos, twos_a, twos_b);
        carry_save(twos_a, ones, word_of(i + 4, w), word_of(i + 5, w));
        carry_save(twos_b, ones, word_of(i + 6, w), word_of(i + 7, w));
        carry_save(fours_b, twos, twos_a, twos_b);
        carry_save(eights_a, fours, fours_a, fours_b);
        carry_save(twos_a, ones, word_of(i + 8, w), word_of(i + 9, w));
        carry_save(twos_b, ones, word_of(i + 10, w), word_of(i + 11, w));
        carry_save(fours_a, twos, twos_a, twos_b);
        carry_save(twos_a, ones, word_of(i + 12, w), word_of(i + 13, w));
        carry_save(twos_b, ones, word_of(i + 14, w), word_of(i + 15, w));
        carry_save(fours_b, twos, twos_a, twos_b);
        carry_save(eights_b, fours, fours_a, fours_b);
        carry_save(sixteens, eights, eights_a, eights_b);
        add_at(w, 4, sixteens);
      }
      for (; i < count; ++i) add_at(w, 0, word_of(i, w));
      add_at(w, 0, ones);
      add_at(w, 1, twos);
      add_at(w, 2, fours);
      add_at(w, 3, eights);
    }
  }

  /// The count for dimension `j`.
  int count(int dimension) const;

  /// For word `w`: the dimensions whose count is above `value` (`above`) and equal to it
  /// (`equal`).
  void compare(int w, int value, Word& above, Word& equal) const;

  /// Sum over dimensions of min(a_j, b_j), leaving out dimensions where a_j = b_j.
  /// Both counters must have the same shape.
  static long sum_of_smaller_unless_tied(const VerticalCounter& a, const VerticalCounter& b);

 private:
  // Adds `bits` * 2^slice to word w's counts by ripple carry.
  void add_at(int w, int slice, Word bits) {
    Word* slice_word = slices_.data() + static_cast<std::size_t>(w * slice_count_ + slice);
    for (Word carry = bits; carry != 0; ++slice_word) {
      const Word next = *slice_word & carry;
      *slice_word ^= carry;
      carry = next;
    }
  }

  // Full adder on words: (high, low) = a + b + low, bit by bit.
  static void carry_save(Word& high, Word& low, Word a, Word b) {
    const Word partial = low ^ a;
    high = (low & a) | (partial & b);
    low = partial ^ b;
  }

  const Word* word_slices(int w) const {
    return slices_.data() + static_cast<std::size_t>(w * slice_count_);
  }

  int words_;
  int slice_count_;
  std::vector<Word> slices_;  // word w, slice s at w * slice_count_ + s
};

}  // namespace orgsim::model
