#pragma once
// Gaps between successes in a long run of independent Bernoulli(p) trials, for visiting
// only the trials that succeed. Where p is the same for many cells (a firm's belief cells
// that may move towards the code), drawing the gap to the next success costs one draw per
// success instead of one per cell: at p = 0.1 a tenth of the work of per-cell draws.
//
// A gap G (failures before the next success) has P(G = k) = (1 - p)^k p. Gaps below
// kTableSize are found by inverting the distribution against a table of its cumulative
// probabilities in 64-bit fixed point, starting from a guide table indexed by the top
// bits of the uniform word (Chen and Asau 1974), so one gap costs one random word and a
// step or two of search. The tables are small because firms whose managers change their
// pressure every period rebuild them every period.
//
// next() hands out gaps from a buffer filled a batch at a time: drawing a batch in a tight
// loop overlaps the draws, where one draw per use would put each draw's latency on the
// caller's critical path. A gap of kTableSize or more restarts the search
// from kTableSize: by memorylessness the remainder has the same distribution. Small probabilities,
// where the table would mostly restart, use inversion by logarithm instead.

#include <array>
#include <cstdint>

#include "orgsim/core/Random.h"

namespace orgsim {

class GeometricGaps {
 public:
  static constexpr int kTableSize = 64;
  static constexpr int kGuideBits = 10;
  static constexpr int kBatch = 32;

  /// Gaps for success probability `probability` in (0, 1]; probabilities of 1 or more give
  /// gaps of 0 without drawing.
  explicit GeometricGaps(double probability);

  double probability() const { return probability_; }

  /// The next gap of the buffered sequence. Every call must pass the same stream: the
  /// buffer holds gaps already drawn from it.
  std::uint64_t next(RandomStream& stream) {
    if (buffered_ == kBatch) refill(stream);
    return buffer_[static_cast<std::size_t>(buffered_++)];
  }

  /// The number of failures before the next success, drawn from `stream` now.
  std::uint64_t draw(RandomStream& stream) const {
    if (method_ != Method::table) {
      return method_ == Method::always ? 0 : draw_by_logarithm(stream);
    }
    for (std::uint64_t base = 0;; base += kTableSize) {
      const std::uint64_t u = stream.next64();
      if (u >= below_[kTableSize - 1]) continue;  // G >= kTableSize: count on from there
      std::uint64_t k = guide_[u >> (64 - kGuideBits)];
      while (u >= below_[k]) ++k;
      return base + k;
    }
  }

 private:
  std::uint64_t draw_by_logarithm(RandomStream& stream) const;
  // Inline, so that a caller's local stream stays in registers rather than being spilled
  // to memory for an out-of-line call.
  void refill(RandomStream& stream) {
    for (auto& gap : buffer_) gap = draw(stream);
    buffered_ = 0;
  }

  double probability_ = 0.0;
  enum class Method : std::uint8_t { table, logarithm, always };
  Method method_ = Method::table;
  double log_failure_ = 0.0;  // log(1 - p)
  // below_[k] = 2^64 P(G <= k): a uniform 64-bit word below it means G <= k.
  std::array<std::uint64_t, kTableSize> below_{};
  // guide_[b]: the smallest k whose below_[k] exceeds the smallest word with top bits b,
  // i.e. where the search for a word with top bits b may start.
  std::array<std::uint8_t, std::size_t{1} << kGuideBits> guide_{};
  std::array<std::uint64_t, kBatch> buffer_{};
  int buffered_ = kBatch;  // index of the next gap in buffer_; kBatch when it is used up
};

}  // namespace orgsim
