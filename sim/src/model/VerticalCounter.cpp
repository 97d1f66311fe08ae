#include "orgsim/model/VerticalCounter.h"

#include <algorithm>
#include <cassert>

namespace orgsim::model {

VerticalCounter::VerticalCounter(int words, int max_count)
    : words_(words),
      // One slice more than max_count needs, so the ripple carry never runs off the end.
      slice_count_(std::bit_width(static_cast<unsigned>(std::max(max_count, 1))) + 1),
      slices_(static_cast<std::size_t>(slice_count_ * words), 0) {}

void VerticalCounter::clear() {
  std::fill(slices_.begin(), slices_.end(), Word{0});
}

int VerticalCounter::count(int dimension) const {
  const Word* slices = word_slices(dimension / 64);
  const int bit = dimension % 64;
  int total = 0;
  for (int s = 0; s < slice_count_; ++s) {
    total |= static_cast<int>((slices[s] >> bit) & 1u) << s;
  }
  return total;
}

void VerticalCounter::compare(int w, int value, Word& above, Word& equal) const {
  // From the most significant slice down: a dimension still equal so far becomes "above"
  // where its bit is 1 and the value's is 0, "below" in the opposite case.
  const Word* slices = word_slices(w);
  above = 0;
  equal = ~Word{0};
  if (value >> slice_count_ != 0) {  // more than any count here can reach
    equal = 0;
    return;
  }
  for (int s = slice_count_ - 1; s >= 0; --s) {
    const Word value_bit = ((value >> s) & 1) != 0 ? ~Word{0} : Word{0};
    above |= equal & slices[s] & ~value_bit;
    equal &= ~(slices[s] ^ value_bit);
  }
}

long VerticalCounter::sum_of_smaller_unless_tied(const VerticalCounter& a,
                                                 const VerticalCounter& b) {
  assert(a.words_ == b.words_ && a.slice_count_ == b.slice_count_);
  long total = 0;
  for (int w = 0; w < a.words_; ++w) {
    const Word* x = a.word_slices(w);
    const Word* y = b.word_slices(w);
    Word x_smaller = 0;
    Word equal = ~Word{0};
    for (int s = a.slice_count_ - 1; s >= 0; --s) {
      x_smaller |= equal & ~x[s] & y[s];
      equal &= ~(x[s] ^ y[s]);
    }
    for (int s = 0; s < a.slice_count_; ++s) {
      const Word smaller = ((x_smaller & x[s]) | (~x_smaller & y[s])) & ~equal;
      total += static_cast<long>(std::popcount(smaller)) << s;
    }
  }
  return total;
}

}  // namespace orgsim::model
