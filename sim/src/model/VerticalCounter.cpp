#include "orgsim/model/VerticalCounter.h"

#include <algorithm>

namespace orgsim::model {

VerticalCounter::VerticalCounter(int words, int max_count)
    : words_(words),
      // One slice more than max_count needs, so the ripple carry never runs off the end.
      slice_count_(std::bit_width(static_cast<unsigned>(std::max(max_count, 1))) + 1),
      slices_(static_cast<std::size_t>(slice_count_ * words), 0) {}

void VerticalCounter::clear() { std::fill(slices_.begin(), slices_.end(), Word{0}); }

int VerticalCounter::count(int dimension) const {
  const int w = dimension / 64;
  const int bit = dimension % 64;
  int total = 0;
  for (int s = 0; s < slice_count_; ++s) {
    total |= static_cast<int>((slices_[static_cast<std::size_t>(s * words_ + w)] >> bit) & 1u)
             << s;
  }
  return total;
}

}  // namespace orgsim::model
