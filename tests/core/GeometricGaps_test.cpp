#include "orgsim/core/GeometricGaps.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "orgsim/core/Error.h"

using orgsim::GeometricGaps;
using orgsim::RandomStream;
using orgsim::StreamName;

namespace {

// Pearson's chi-square statistic of `draws` gaps against P(G = k) = (1 - p)^k p, with
// the gaps of `last` or more pooled in one class.
double chi_square(const GeometricGaps& gaps, RandomStream& stream, int draws, int last) {
  const double p = gaps.probability();
  std::vector<long> observed(static_cast<std::size_t>(last + 1), 0);
  for (int t = 0; t < draws; ++t) {
    const std::uint64_t gap = gaps.draw(stream);
    ++observed[static_cast<std::size_t>(std::min<std::uint64_t>(gap, last))];
  }
  double statistic = 0.0;
  for (int k = 0; k <= last; ++k) {
    const double probability =
        k < last ? std::pow(1 - p, k) * p : std::pow(1 - p, last);  // pooled tail
    const double expected = probability * draws;
    const double difference = observed[static_cast<std::size_t>(k)] - expected;
    statistic += difference * difference / expected;
  }
  return statistic;
}

}  // namespace

TEST_CASE("geometric gaps follow (1 - p)^k p, in the table and by logarithm", "[random]") {
  // 0.001 takes the logarithm path; the rest the table. Classes: gaps 0..39 and 40+ for

  // would be too thin, so the first 40 gaps of 0.01 and 0.001 are still well populated
  // with 400,000 draws (at least 0.001 * 0.96 * 4e5 = 384 per class).
  const double p = GENERATE(0.001, 0.01, 0.1, 0.37, 0.9);
  RandomStream stream(StreamName{21, 0, 0, 0});
  const GeometricGaps gaps(p);
  const int last = p >= 0.37 ? 10 : 40;  // pooled class keeps >= 5 expected draws
  const double statistic = chi_square(gaps, stream, 400000, last);
  // 99.9% quantiles of chi-square: 10 degrees of freedom 29.59, 40 degrees 73.40.
  CHECK(statistic < (last == 10 ? 29.59 : 73.40));
}

TEST_CASE("geometric gaps have mean (1 - p) / p, far into the tail", "[random]") {
  // p = 0.004 sits just above the switch to logarithms, where many draws restart past
  // the table; p = 0.002 just below it.
  const double p = GENERATE(0.002, 0.004, 0.05);
  RandomStream stream(StreamName{22, 0, 0, 0});
  const GeometricGaps gaps(p);
  const int draws = 200000;
  double sum = 0.0;
  for (int t = 0; t < draws; ++t) sum += static_cast<double>(gaps.draw(stream));
  const double mean = (1 - p) / p;
  const double sd = std::sqrt(1 - p) / p;  // of one gap
  CHECK(std::abs(sum / draws - mean) < 5 * sd / std::sqrt(draws));
}

TEST_CASE("a gap at probability 1 is 0, and 0 is refused", "[random]") {
  RandomStream stream(StreamName{23, 0, 0, 0});
  const GeometricGaps always(1.0);
  for (int t = 0; t < 100; ++t) REQUIRE(always.draw(stream) == 0);
  CHECK_THROWS_AS(GeometricGaps(0.0), orgsim::Error);
}
