#include "orgsim/core/GeometricGaps.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "orgsim/core/Error.h"

namespace orgsim {

GeometricGaps::GeometricGaps(double probability) : probability_(probability) {
  if (!(probability > 0.0)) {
    throw Error("geometric gaps need a success probability above 0, not " +
                std::to_string(probability));
  }
  if (probability >= 1.0) {
    method_ = Method::always;
    return;
  }
  const double failure = 1.0 - probability;
  log_failure_ = std::log1p(-probability);
  double none_yet = 1.0;  // (1 - p)^(k + 1): no success in trials 0..k
  for (std::size_t k = 0; k < below_.size(); ++k) {
    none_yet *= failure;
    const double cumulative = 1.0 - none_yet;
    // cumulative * 2^64 is exact in binary floating point; 1.0 itself would not fit.
    below_[k] = cumulative >= 1.0 ? std::numeric_limits<std::uint64_t>::max()
                                  : static_cast<std::uint64_t>(cumulative * 0x1.0p64);
  }
  // Below about p = 0.011 the table covers less than half of the distribution and most
  // draws would restart; a logarithm per success is cheap there, successes being rare.
  if (none_yet > 0.5) {
    method_ = Method::logarithm;
    return;
  }
  std::size_t k = 0;
  for (std::size_t top = 0; top < guide_.size(); ++top) {
    const std::uint64_t smallest_word = static_cast<std::uint64_t>(top) << (64 - kGuideBits);
    while (k + 1 < below_.size() && below_[k] <= smallest_word) ++k;
    guide_[top] = static_cast<std::uint8_t>(k);
  }
}

std::uint64_t GeometricGaps::draw_by_logarithm(RandomStream& stream) const {
  // G = floor(log(U) / log(1 - p)) with U uniform on (0, 1].
  const double u = static_cast<double>((stream.next64() >> 11) + 1) * 0x1.0p-53;
  const double gap = std::floor(std::log(u) / log_failure_);
  constexpr double kLargest = 0x1.0p62;  // far beyond any firm's cells; keeps the cast defined
  return static_cast<std::uint64_t>(std::min(gap, kLargest));
}

}  // namespace orgsim
