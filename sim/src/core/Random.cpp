#include "orgsim/core/Random.h"

#include <Random123/philox.h>

#include <bit>
#include <cmath>
#include <limits>

namespace orgsim {
namespace {

// 128-bit products for Lemire's method; __extension__ marks the GCC/Clang type as intended.
__extension__ using Uint128 = unsigned __int128;

}  // namespace

RandomStream::RandomStream(const StreamName& name) {
  const r123::Philox4x64::key_type key = {{name.seed, name.replication}};
  const r123::Philox4x64::ctr_type counter = {{0, name.firm, name.purpose, 0}};
  const r123::Philox4x64::ctr_type block = r123::Philox4x64()(counter, key);
  for (std::size_t k = 0; k < state_.size(); ++k) state_[k] = block.v[k];
  // xoshiro's one forbidden state; Philox gives it with probability 2^-256.
  if (state_ == std::array<std::uint64_t, 4>{}) state_[0] = 1;
}

RandomStream RandomStream::from_state(const std::array<std::uint64_t, 4>& state) {
  RandomStream stream;
  stream.state_ = state;
  return stream;
}

std::uint64_t RandomStream::below(std::uint64_t n) {
  // Lemire (2019), "Fast random integer generation in an interval".
  Uint128 product = static_cast<Uint128>(next64()) * n;
  auto low = static_cast<std::uint64_t>(product);
  if (low < n) {
    const std::uint64_t rejection_limit = (0 - n) % n;
    while (low < rejection_limit) {
      product = static_cast<Uint128>(next64()) * n;
      low = static_cast<std::uint64_t>(product);
    }
  }
  return static_cast<std::uint64_t>(product >> 64);
}

int RandomStream::poisson(double lambda) {
  // Knuth (TAOCP vol. 2, 3.4.1): count the uniforms until their product falls to
  // exp(-lambda). The bound keeps exp(-lambda) far above the smallest double.
  const double limit = std::exp(-lambda);
  int count = 0;
  for (double product = uniform(); product > limit; product *= uniform()) ++count;
  return count;
}

double RandomStream::normal() {
  for (;;) {
    const double u = 2.0 * uniform() - 1.0;
    const double v = 2.0 * uniform() - 1.0;
    const double radius2 = u * u + v * v;
    if (radius2 > 0.0 && radius2 < 1.0) return u * std::sqrt(-2.0 * std::log(radius2) / radius2);
  }
}

double RandomStream::gamma(double shape) {
  if (shape < 1.0) {
    // Boost a shape below 1 to shape + 1 and rescale (Marsaglia and Tsang, section 6).
    const double u = uniform();
    return gamma(shape + 1.0) *
           std::pow(u > 0.0 ? u : std::numeric_limits<double>::min(), 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x = 0.0;
    double v = 0.0;
    do {
      x = normal();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = uniform();
    if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
    if (u > 0.0 && std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
  }
}

double RandomStream::beta(double a, double b) {
  const double x = gamma(a);
  const double y = gamma(b);
  return x / (x + y);
}

std::uint64_t RandomStream::bernoulli_mask(std::uint64_t threshold, std::uint64_t lanes) {
  if (lanes == 0 || threshold == 0) return 0;
  if (threshold == kAlways) return lanes;
  // Few lanes: one 64-bit uniform per lane is fewer words than the bit-serial comparison,
  // which needs at least the threshold's leading zero bits plus about two more.
  const int lane_count = std::popcount(lanes);
  if (lane_count <= std::countl_zero(threshold) + 2) {
    std::uint64_t result = 0;
    for (std::uint64_t remaining = lanes; remaining != 0; remaining &= remaining - 1) {
      if (next64() < threshold) result |= remaining & (~remaining + 1);
    }
    return result;
  }
  // Lane j is 1 iff its uniform U_j < threshold. Compare bit by bit from the top: where the
  // threshold bit is 1, a lane drawing 0 is decided "below" and a lane drawing 1 stays
  // undecided; where it is 0, a lane drawing 1 is decided "above". Below the threshold's
  // lowest set bit every undecided lane can only end up "not below", so stop there.
  // Each round needs random bits only up to the highest lane, so narrow lane sets (m < 64)
  // take several rounds from one 64-bit word.
  const int lowest_set_bit = std::countr_zero(threshold);
  const int width = std::bit_width(lanes);
  std::uint64_t result = 0;
  std::uint64_t undecided = lanes;
  for (int bit = 63; bit >= lowest_set_bit && undecided != 0; --bit) {
    const std::uint64_t draw = bits(width);
    if ((threshold >> bit) & 1u) {
      result |= undecided & ~draw;
      undecided &= draw;
    } else {
      undecided &= ~draw;
    }
  }
  return result;
}

}  // namespace orgsim
