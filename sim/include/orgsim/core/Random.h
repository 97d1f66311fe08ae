#pragma once
// Named random streams. Every draw in orgsim comes from a RandomStream named by (seed,
// replication, firm, purpose). The name selects one block of the counter-based generator
// Philox4x64-10 (Random123), keyed by (seed, replication) with the firm and purpose in the
// counter, so two names never share a block; that block's 256 bits seed the stream's own
// xoshiro256++ generator (Blackman and Vigna 2021), which is about ten times cheaper per
// word than a Philox block and passes BigCrush. A stream's draws depend on nothing but its
// name, so results are the same for any number of threads or processes and adding a firm
// or a purpose leaves every other stream as it was. Two streams would have to start within
// a few million words of each other in a period of 2^256 - 1 to overlap: a probability
// below 2^-200 for every run orgsim could ever make.
//
// The distributions are written here rather than taken from <random>, whose distributions
// the C++ standard leaves implementation-defined.

#include <array>
#include <bit>
#include <cstdint>

namespace orgsim {

/// The full name of a stream. `firm` is an opaque 64-bit key chosen by the model (the
/// environment uses its own reserved key); `purpose` says what the draws are for.
struct StreamName {
  std::uint64_t seed = 0;
  std::uint64_t replication = 0;
  std::uint64_t firm = 0;
  std::uint64_t purpose = 0;
};

/// Converts a probability in [0, 1] to the 64-bit fixed-point threshold used by
/// RandomStream::bernoulli_mask: a lane is 1 when its uniform 64-bit draw is below it.
/// Probabilities of 1 (or more) map to the largest threshold and are special-cased there.
inline std::uint64_t probability_threshold(double probability) {
  if (!(probability > 0.0)) return 0;
  if (probability >= 1.0) return ~std::uint64_t{0};  // RandomStream::kAlways
  // probability * 2^64: scaling by a power of two is exact, and strictly below 2^64 here.
  return static_cast<std::uint64_t>(probability * 0x1.0p64);
}

class RandomStream {
 public:
  explicit RandomStream(const StreamName& name);

  /// 64 uniformly random bits: one step of xoshiro256++.
  std::uint64_t next64() {
    const std::uint64_t result = std::rotl(state_[0] + state_[3], 23) + state_[0];
    const std::uint64_t shifted = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= shifted;
    state_[3] = std::rotl(state_[3], 45);
    return result;
  }

  /// A stream started from this state rather than from a name: for checking the generator
  /// against the reference implementation's outputs. The state must not be all zero.
  static RandomStream from_state(const std::array<std::uint64_t, 4>& state);

  /// `count` (1..64) uniformly random bits in the low bits of the result. Draws 64-bit
  /// words only as its reservoir runs dry, so callers needing fewer than 64 bits at a time
  /// (coin flips for m < 64 dimensions) use every bit drawn.
  std::uint64_t bits(int count) {
    if (count > reservoir_bits_) {
      reservoir_ = next64();
      reservoir_bits_ = 64;
    }
    const std::uint64_t value =
        count == 64 ? reservoir_ : reservoir_ & ((std::uint64_t{1} << count) - 1);
    reservoir_ = count == 64 ? 0 : reservoir_ >> count;
    reservoir_bits_ -= count;
    return value;
  }

  /// Uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next64() >> 11) * 0x1.0p-53; }

  /// True with probability p (p <= 0 never, p >= 1 always).
  bool bernoulli(double p) { return uniform() < p; }

  /// Uniform integer in [0, n), n > 0, without bias (Lemire's multiply-and-reject).
  std::uint64_t below(std::uint64_t n);

  /// Poisson(lambda) deviate, 0 <= lambda <= 100, by Knuth's product of uniforms: the
  /// number of uniform() draws before their running product (from 1.0, multiplied in draw
  /// order) is at or below exp(-lambda); always at least one draw, about lambda + 1 in all.
  /// Exact and simple rather than fast, for draws made once per run (the peer network).
  int poisson(double lambda);

  /// Standard normal deviate (Marsaglia's polar method).
  double normal();

  /// Gamma(shape, 1) deviate, shape > 0 (Marsaglia and Tsang 2000).
  double gamma(double shape);

  /// Beta(a, b) deviate from two gamma deviates, a > 0 and b > 0.
  double beta(double a, double b);

  /// A word whose bits inside `lanes` are each 1 independently with the probability whose
  /// threshold is `threshold` (see probability_threshold), and 0 outside `lanes`.
  /// Each lane compares its own 64-bit uniform number with the threshold, drawn one bit at
  /// a time from the most significant end and shared across lanes word by word, so one
  /// call costs about log2(1/p) + log2(popcount(lanes)) + 2 words, not one draw per lane;
  /// when there are fewer lanes than that, each lane draws one word of its own instead.
  std::uint64_t bernoulli_mask(std::uint64_t threshold, std::uint64_t lanes);

  /// Threshold that means "always" (probability 1).
  static constexpr std::uint64_t kAlways = ~std::uint64_t{0};

 private:
  RandomStream() = default;

  std::array<std::uint64_t, 4> state_{};
  std::uint64_t reservoir_ = 0;
  int reservoir_bits_ = 0;
};

}  // namespace orgsim
