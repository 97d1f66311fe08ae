#include "orgsim/model/Reality.h"

namespace orgsim::model {

Reality::Reality(int dimensions, RandomStream& stream)
    : dimensions_(dimensions), positive_(static_cast<std::size_t>(words_for(dimensions))) {
  for (int w = 0; w < words(); ++w) {
    positive_[static_cast<std::size_t>(w)] = stream.next64() & valid_mask(dimensions_, w);
  }
}

Reality::Reality(int dimensions, std::vector<Word> positive)
    : dimensions_(dimensions), positive_(std::move(positive)) {
  positive_.resize(static_cast<std::size_t>(words_for(dimensions)));
  for (int w = 0; w < words(); ++w) {
    positive_[static_cast<std::size_t>(w)] &= valid_mask(dimensions_, w);
  }
}

void Reality::turbulence(RandomStream& stream, std::uint64_t flip_threshold) {
  for (int w = 0; w < words(); ++w) {
    positive_[static_cast<std::size_t>(w)] ^=
        stream.bernoulli_mask(flip_threshold, valid_mask(dimensions_, w));
  }
}

}  // namespace orgsim::model
