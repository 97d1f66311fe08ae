#include "orgsim/model/PeerNetwork.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <set>
#include <utility>
#include <vector>

#include "orgsim/model/Streams.h"

using namespace orgsim;
using namespace orgsim::model;

namespace {

RandomStream network_stream(std::uint64_t replication = 0) {
  return make_stream(17, replication, firm_key("test", 0), StreamPurpose::network);
}

using Ties = std::set<std::pair<int, int>>;  // (lower, higher)

Ties ties_of(const PeerNetwork& network) {
  Ties ties;
  for (int p = 0; p < network.positions(); ++p) {
    for (int k : network.neighbours(p)) ties.insert({std::min(p, k), std::max(p, k)});
  }
  return ties;
}

// The draws docs/model.md specifies for position `p` among `count` positions in blocks of
// `s`: Poisson(lambda) by product of uniforms, then below(count - block length) per tie,
// mapped past the block. Written out independently of PeerNetwork.
void expected_cross_ties(int p, int count, int s, double lambda, RandomStream& stream, Ties& ties) {
  const double limit = std::exp(-lambda);
  int draws = 0;
  double product = stream.uniform();
  while (product > limit) {
    ++draws;
    product *= stream.uniform();
  }
  const int start = p / s * s;
  const int length = std::min(s, count - start);
  if (count == length) return;
  for (int t = 0; t < draws; ++t) {
    int target = static_cast<int>(stream.below(static_cast<std::uint64_t>(count - length)));
    if (target >= start) target += length;
    ties.insert({std::min(p, target), std::max(p, target)});
  }
}

Ties block_ties(int count, int s) {
  Ties ties;
  for (int p = 0; p < count; ++p) {
    for (int q = p / s * s; q < p; ++q) ties.insert({q, p});
  }
  return ties;
}

}  // namespace

TEST_CASE("the network is its blocks plus the cross ties drawn in the documented order", "[peer]") {
  // 23 positions in blocks of 5: the last block, 20..22, is short.
  const int count = 23, s = 5;
  const double lambda = GENERATE(0.0, 1.0, 3.0);
  RandomStream stream = network_stream();
  RandomStream twin = stream;
  PeerNetwork network(count, s, lambda, stream);
  Ties expected = block_ties(count, s);
  for (int p = 0; p < count; ++p) expected_cross_ties(p, count, s, lambda, twin, expected);
  CHECK(ties_of(network) == expected);
  CHECK(network.ties() == static_cast<long>(expected.size()));
  CHECK(stream.next64() == twin.next64());  // no draw more or less
  for (int p = 0; p < count; ++p) {
    const auto list = network.neighbours(p);
    CHECK(std::is_sorted(list.begin(), list.end()));
    CHECK(std::adjacent_find(list.begin(), list.end()) == list.end());  // merged duplicates
    CHECK(std::find(list.begin(), list.end(), p) == list.end());
  }
  // The matrix, laid out at the first weigh(), has the same structure: an entry both ways
  // per tie, each row's columns increasing.
  network.weigh(std::vector<int>(count, 0), std::vector<double>(count, 0.0));
  const auto& matrix = network.matrix();
  REQUIRE(matrix.rows() == count);
  for (int p = 0; p < count; ++p) {
    std::vector<int> columns;
    for (PeerNetwork::Matrix::InnerIterator it(matrix, p); it; ++it) {
      columns.push_back(static_cast<int>(it.col()));
    }
    const auto list = network.neighbours(p);
    CHECK(columns == std::vector<int>(list.begin(), list.end()));
  }
}

TEST_CASE("one block draws its Poisson counts but no targets", "[peer]") {
  RandomStream stream = network_stream(1);
  RandomStream twin = stream;
  const PeerNetwork network(7, 10, 5.0, stream);
  CHECK(ties_of(network) == block_ties(7, 10));
  for (int p = 0; p < 7; ++p) twin.poisson(5.0);
  CHECK(stream.next64() == twin.next64());
}

TEST_CASE("cross degrees follow Poisson(2 lambda): own draws and others' ties to it", "[peer]") {
  // A position's cross ties are its own Poisson(lambda) draws plus the draws of others that
  // land on it, about Poisson(lambda) too; duplicates (probability ~ lambda / N per pair)
  // are negligible at N = 20000. Tolerances: 5 standard errors of the mean, sqrt(2 lambda /
  // N), and of the sample variance, sqrt(2 lambda (1 + 4 lambda) / N) (Poisson moments).
  const double lambda = GENERATE(0.5, 1.0, 3.0);
  const int count = 20000, s = 10;
  RandomStream stream = network_stream(2);
  const PeerNetwork network(count, s, lambda, stream);
  double sum = 0, squares = 0;
  for (int p = 0; p < count; ++p) {
    int cross = 0;
    for (int k : network.neighbours(p)) cross += k / s != p / s;
    sum += cross;
    squares += static_cast<double>(cross) * cross;
  }
  const double mean = sum / count;
  const double variance = squares / count - mean * mean;
  const double mu = 2 * lambda;
  INFO("lambda " << lambda << ": mean " << mean << ", variance " << variance);
  CHECK(std::abs(mean - mu) < 5 * std::sqrt(mu / count));
  CHECK(std::abs(variance - mu) < 5 * std::sqrt(mu * (1 + 2 * mu) / count));
}

TEST_CASE(
    "a new position gets its block's ties and cross ties among those that exist; "
    "removing the last position removes its ties",
    "[peer]") {
  const int s = 5;
  const double lambda = 2.0;
  RandomStream stream = network_stream(3);
  PeerNetwork network(12, s, lambda, stream);
  const Ties before = ties_of(network);
  for (int added = 12; added < 17; ++added) {
    RandomStream twin = stream;
    const Ties previous = ties_of(network);
    network.add_position(stream);
    REQUIRE(network.positions() == added + 1);
    Ties expected = previous;
    for (int q = added / s * s; q < added; ++q) expected.insert({q, added});
    expected_cross_ties(added, added + 1, s, lambda, twin, expected);
    CHECK(ties_of(network) == expected);
    CHECK(stream.next64() == twin.next64());
  }
  for (int removed = 16; removed >= 12; --removed) {
    network.remove_last_position();
    REQUIRE(network.positions() == removed);
    for (int p = 0; p < removed; ++p) {
      const auto list = network.neighbours(p);
      CHECK(std::find(list.begin(), list.end(), removed) == list.end());
    }
  }
  // Each added position only brought ties of its own: removing them restores the network.
  CHECK(ties_of(network) == before);
}

TEST_CASE("weights are the autonomy of strictly better peers, and W their sum", "[peer]") {
  RandomStream stream = network_stream(4);
  PeerNetwork network(4, 4, 0.0, stream);  // one block: everyone tied to everyone
  const std::vector<int> performance = {10, 4, 10, -2};
  const std::vector<double> autonomy = {0.5, 0.25, 0.0, 1.0};
  network.weigh(performance, autonomy);
  const auto& matrix = network.matrix();
  REQUIRE(matrix.rows() == 4);
  REQUIRE(matrix.nonZeros() == 12);
  std::vector<std::vector<double>> dense(4, std::vector<double>(4, -1.0));
  for (int i = 0; i < 4; ++i) {
    int previous = -1;
    for (PeerNetwork::Matrix::InnerIterator it(matrix, i); it; ++it) {
      CHECK(it.col() > previous);  // storage order is increasing column
      previous = static_cast<int>(it.col());
      dense[static_cast<std::size_t>(i)][static_cast<std::size_t>(it.col())] = it.value();
    }
  }
  // Position 0 ties position 2 on performance: neither leads the other.
  CHECK(dense[0] == std::vector<double>{-1, 0, 0, 0});
  CHECK(dense[1] == std::vector<double>{0.5, -1, 0.0, 0});
  CHECK(dense[2] == std::vector<double>{0, 0, -1, 0});
  CHECK(dense[3] == std::vector<double>{0.5, 0.25, 0.0, -1});
  CHECK(network.total_weight()[0] == 0.0);
  CHECK(network.total_weight()[1] == 0.5);
  CHECK(network.total_weight()[3] == 0.75);
  CHECK(network.anyone_led());
  network.weigh(performance, std::vector<double>(4, 0.0));
  CHECK(!network.anyone_led());
}

TEST_CASE("Eigen and bit-plane votes agree to the bit with the spec's sum", "[peer]") {
  // The oracle is the rule itself: E_ij = sum over better peers k, in increasing k, of
  // a_k * action_kj, from 0.
  const int dimensions = GENERATE(1, 3, 30, 64, 65, 130);
  const int count = GENERATE(1, 9, 57);
  const double lambda = GENERATE(0.0, 1.5);
  const int words = words_for(dimensions);
  RandomStream stream = network_stream(static_cast<std::uint64_t>(dimensions * 1000 + count));
  PeerNetwork network(count, 6, lambda, stream);
  std::vector<int> performance(static_cast<std::size_t>(count));
  std::vector<double> autonomy(static_cast<std::size_t>(count));
  std::vector<Word> actions(static_cast<std::size_t>(count * words));
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < count; ++i) {
      const auto at = static_cast<std::size_t>(i);
      performance[at] = static_cast<int>(stream.below(7));  // many ties
      // A quarter follow orders; the rest with autonomy of many binary digits.
      autonomy[at] = stream.below(4) == 0 ? 0.0 : stream.uniform();
      for (int w = 0; w < words; ++w) {
        actions[at * static_cast<std::size_t>(words) + static_cast<std::size_t>(w)] =
            stream.next64() & valid_mask(dimensions, w);
      }
    }
    network.weigh(performance, autonomy);
    network.votes_eigen(actions.data(), words, dimensions);
    const int stride = network.votes_stride();
    const std::vector<double> by_eigen(network.votes(),
                                       network.votes() + static_cast<std::size_t>(count * stride));
    network.votes_bitplane(actions.data(), words, dimensions);
    for (int i = 0; i < count; ++i) {
      for (int j = 0; j < dimensions; ++j) {
        double rule = 0.0;
        for (int k : network.neighbours(i)) {
          if (performance[static_cast<std::size_t>(k)] <= performance[static_cast<std::size_t>(i)])
            continue;
          const bool plus = (actions[static_cast<std::size_t>(k * words + j / 64)] >> (j % 64)) & 1;
          rule += autonomy[static_cast<std::size_t>(k)] * (plus ? 1.0 : -1.0);
        }
        const auto at = static_cast<std::size_t>(i * stride + j);
        INFO("position " << i << ", dimension " << j);
        REQUIRE(std::memcmp(&by_eigen[at], &rule, sizeof rule) == 0);
        REQUIRE(std::memcmp(network.votes() + at, &rule, sizeof rule) == 0);
      }
    }
  }
}
