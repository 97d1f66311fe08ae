#include "orgsim/core/Random.h"

#include <Random123/philox.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <vector>

using orgsim::probability_threshold;
using orgsim::RandomStream;
using orgsim::StreamName;

TEST_CASE("Philox4x64-10 matches Random123's known-answer vector", "[random]") {
  // kat_vectors of Random123 1.14: philox4x64 with 10 rounds, counter and key all zero.
  r123::Philox4x64 generator;
  const r123::Philox4x64::ctr_type counter = {{0, 0, 0, 0}};
  const r123::Philox4x64::key_type key = {{0, 0}};
  const auto block = generator(counter, key);
  CHECK(block.v[0] == 0x16554d9eca36314cull);
  CHECK(block.v[1] == 0xdb20fe9d672d0fdcull);
  CHECK(block.v[2] == 0xd7e772cee186176bull);
  CHECK(block.v[3] == 0x7e68b68aec7ba23bull);
}

TEST_CASE("the generator matches xoshiro256++ 1.0's reference outputs", "[random]") {
  // The reference C implementation (prng.di.unimi.it) from the state {0, 0, 0, 1}.
  RandomStream stream = RandomStream::from_state({0, 0, 0, 1});
  const std::vector<std::uint64_t> expected = {
      0x0000000000800000ull, 0x0000000000800011ull, 0x0002200000800011ull, 0x0002200044000020ull,
      0x00022000448008A1ull, 0x01102100802208A0ull, 0x0114002284200880ull, 0x0402896644A64095ull,
      0x8A14A0A244ACC891ull, 0x8C88BA4680B20495ull};
  for (std::uint64_t word : expected) CHECK(stream.next64() == word);
}

TEST_CASE("a stream is a function of its name alone", "[random]") {
  RandomStream a(StreamName{42, 3, 7, 1});
  RandomStream b(StreamName{42, 3, 7, 1});
  for (int i = 0; i < 100; ++i) REQUIRE(a.next64() == b.next64());
}

TEST_CASE("streams with any differing name component differ", "[random]") {
  const std::vector<StreamName> names = {
      {1, 0, 0, 0}, {2, 0, 0, 0}, {1, 1, 0, 0}, {1, 0, 1, 0}, {1, 0, 0, 1}};
  std::set<std::uint64_t> first_words;
  for (const auto& name : names) {
    RandomStream stream(name);
    first_words.insert(stream.next64());
  }
  CHECK(first_words.size() == names.size());
}

TEST_CASE("uniform draws have the mean and variance of U(0,1)", "[random]") {
  RandomStream stream(StreamName{1, 0, 0, 0});
  const int n = 200000;
  double sum = 0, squares = 0;
  for (int i = 0; i < n; ++i) {
    const double u = stream.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum += u;
    squares += u * u;
  }
  const double mean = sum / n;
  // Standard error of the mean is sqrt(1/12/n) = 6.5e-4; allow 5 of them.
  CHECK(std::abs(mean - 0.5) < 5 * std::sqrt(1.0 / 12 / n));
  CHECK(std::abs(squares / n - mean * mean - 1.0 / 12) < 2e-3);
}

TEST_CASE("below(n) is uniform over 0..n-1", "[random]") {
  RandomStream stream(StreamName{5, 0, 0, 0});
  const int n = 300000;
  std::vector<int> counts(3, 0);
  for (int i = 0; i < n; ++i) ++counts.at(stream.below(3));
  // Each count is Binomial(n, 1/3): sd = sqrt(n * 2/9) = 258; allow 5 sd.
  for (int count : counts) CHECK(std::abs(count - n / 3) < 5 * 258);
}

TEST_CASE("bernoulli_mask sets each lane with the threshold's probability", "[random]") {
  const double p = GENERATE(0.01, 0.1, 0.37, 0.5, 0.9);
  RandomStream stream(StreamName{9, 1, 2, 3});
  const std::uint64_t lanes = 0x3fffffffull;  // 30 lanes
  const int trials = 20000;
  long ones = 0;
  for (int t = 0; t < trials; ++t) {
    const std::uint64_t mask = stream.bernoulli_mask(probability_threshold(p), lanes);
    REQUIRE((mask & ~lanes) == 0);
    ones += __builtin_popcountll(mask);
  }
  const double cells = 30.0 * trials;
  const double sd = std::sqrt(cells * p * (1 - p));
  CHECK(std::abs(ones - cells * p) < 5 * sd);
}

TEST_CASE("bernoulli_mask handles the edge probabilities exactly", "[random]") {
  RandomStream stream(StreamName{9, 1, 2, 4});
  CHECK(stream.bernoulli_mask(probability_threshold(0.0), ~0ull) == 0);
  CHECK(stream.bernoulli_mask(probability_threshold(1.0), 0xf0ull) == 0xf0ull);
  CHECK(stream.bernoulli_mask(probability_threshold(0.5), 0) == 0);
}

TEST_CASE("beta deviates have the distribution's mean and variance", "[random]") {
  RandomStream stream(StreamName{11, 0, 0, 0});
  const double a = 6.5, b = 3.5;  // mean 0.65, concentration 10: the empowered preset
  const int n = 100000;
  double sum = 0, squares = 0;
  for (int i = 0; i < n; ++i) {
    const double x = stream.beta(a, b);
    REQUIRE(x > 0.0);
    REQUIRE(x < 1.0);
    sum += x;
    squares += x * x;
  }
  const double mean = sum / n;
  const double variance = squares / n - mean * mean;
  const double expected_variance = a * b / ((a + b) * (a + b) * (a + b + 1));  // 0.0207
  CHECK(std::abs(mean - 0.65) < 5 * std::sqrt(expected_variance / n));
  CHECK(std::abs(variance - expected_variance) < 0.002);
}

TEST_CASE("gamma deviates below shape 1 have the right mean", "[random]") {
  RandomStream stream(StreamName{12, 0, 0, 0});
  const int n = 100000;
  double sum = 0;
  for (int i = 0; i < n; ++i) sum += stream.gamma(0.5);
  // Gamma(0.5, 1): mean 0.5, variance 0.5.
  CHECK(std::abs(sum / n - 0.5) < 5 * std::sqrt(0.5 / n));
}

TEST_CASE("poisson deviates have the distribution's mean and variance", "[random]") {
  const double lambda = GENERATE(0.5, 1.0, 4.0, 30.0, 100.0);
  RandomStream stream(StreamName{13, 0, 0, 0});
  const int n = 100000;
  double sum = 0, squares = 0;
  for (int i = 0; i < n; ++i) {
    const int k = stream.poisson(lambda);
    REQUIRE(k >= 0);
    sum += k;
    squares += static_cast<double>(k) * k;
  }
  const double mean = sum / n;
  const double variance = squares / n - mean * mean;
  // Poisson: mean = variance = lambda. The mean's standard error is sqrt(lambda / n); the
  // sample variance's is sqrt((mu4 - lambda^2) / n) with mu4 = lambda (1 + 3 lambda), that
  // is sqrt(lambda (1 + 2 lambda) / n). Allow 5 of each.
  INFO("lambda " << lambda);
  CHECK(std::abs(mean - lambda) < 5 * std::sqrt(lambda / n));
  CHECK(std::abs(variance - lambda) < 5 * std::sqrt(lambda * (1 + 2 * lambda) / n));
}

TEST_CASE("poisson(0) is 0 after exactly one uniform draw", "[random]") {
  RandomStream stream(StreamName{14, 0, 0, 0});
  RandomStream twin = stream;
  for (int i = 0; i < 100; ++i) {
    CHECK(stream.poisson(0.0) == 0);
    twin.uniform();
  }
  CHECK(stream.next64() == twin.next64());
}
