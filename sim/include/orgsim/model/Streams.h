#pragma once
// The model's names for its random streams. A firm's streams are keyed by its group and
// its index within the group, never by its position among all firms, so that adding
// rivals leaves a firm's draws unchanged (common random numbers). The purpose codes are
// part of the results' definition: append new ones, never renumber.

#include <cstdint>
#include <string_view>

#include "orgsim/core/Random.h"

namespace orgsim::model {

enum class StreamPurpose : std::uint64_t {
  reality = 1,     ///< reality at the start of a run
  turbulence = 2,  ///< flips of reality
  hire = 3,        ///< beliefs and autonomy of each hire
  turnover = 4,    ///< who leaves
  act = 5,         ///< coin flips for actions on dimensions without a belief
  socialise = 6,   ///< socialisation towards the code
  code_learning = 7,
  experiment = 8,  ///< who experiments, on which dimension, and what they see
  manager = 9,     ///< hill-climbing managers' first directions
  board = 10,      ///< a new leader's exploration share
  network = 11,    ///< the peer network's cross-team ties (step 5b)
  peer = 12,       ///< which candidate beliefs follow their better peers' example (step 5b)
};

/// Key of the environment's streams (reality), shared by every firm of a run.
inline constexpr std::uint64_t kEnvironmentKey = ~std::uint64_t{0};

/// Key of firm number `index` (0-based) of group `group`: FNV-1a of the group's name in
/// the high 32 bits, the index in the low 32.
constexpr std::uint64_t firm_key(std::string_view group, std::uint32_t index) {
  std::uint32_t hash = 2166136261u;
  for (char c : group) {
    hash ^= static_cast<std::uint8_t>(c);
    hash *= 16777619u;
  }
  return (static_cast<std::uint64_t>(hash) << 32) | index;
}

inline RandomStream make_stream(std::uint64_t seed, std::uint64_t replication,
                                std::uint64_t owner_key, StreamPurpose purpose) {
  return RandomStream(
      StreamName{seed, replication, owner_key, static_cast<std::uint64_t>(purpose)});
}

}  // namespace orgsim::model
