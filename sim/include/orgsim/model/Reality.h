#pragma once
// The true state of technology and market, r in {-1,+1}^m, shared by every firm of a run.
// Uniform at the start; with turbulence p4 each dimension flips with probability p4 each
// period.

#include <vector>

#include "orgsim/core/Random.h"
#include "orgsim/model/BitPlanes.h"

namespace orgsim::model {

class Reality {
 public:
  /// A uniformly random reality of `dimensions` dimensions drawn from `stream`.
  Reality(int dimensions, RandomStream& stream);

  /// A given reality (tests): `positive` holds the +1 plane.
  Reality(int dimensions, std::vector<Word> positive);

  /// Flips each dimension with the probability whose threshold is `flip_threshold`.
  void turbulence(RandomStream& stream, std::uint64_t flip_threshold);

  int dimensions() const { return dimensions_; }
  int words() const { return words_for(dimensions_); }
  const Word* positive() const { return positive_.data(); }

 private:
  int dimensions_;
  std::vector<Word> positive_;
};

}  // namespace orgsim::model
