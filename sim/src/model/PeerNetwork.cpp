// Eigen must not start threads of its own inside the engine's: the product is per firm.
#define EIGEN_DONT_PARALLELIZE

#include "orgsim/model/PeerNetwork.h"

#include <algorithm>
#include <array>
#include <bit>

namespace orgsim::model {

namespace {
std::size_t index(int value) {
  return static_cast<std::size_t>(value);
}

constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;

// For each 4-bit group of actions (bit t set: dimension t's action is +1), the sign bits
// that turn a weight into its signed terms: +weight where the action is +1, -weight where
// it is -1.
constexpr std::array<std::array<std::uint64_t, 4>, 16> make_signs() {
  std::array<std::array<std::uint64_t, 4>, 16> signs{};
  for (std::size_t nibble = 0; nibble < 16; ++nibble) {
    for (std::size_t t = 0; t < 4; ++t) signs[nibble][t] = (nibble >> t) & 1 ? 0 : kSignBit;
  }
  return signs;
}
constexpr auto kSigns = make_signs();
}  // namespace

PeerNetwork::PeerNetwork(int positions, int block_size, double cross_rate, RandomStream& stream)
    : block_size_(block_size), cross_rate_(cross_rate), neighbours_(index(positions)) {
  for (int p = 0; p < positions; ++p) {
    const int start = block_start(p);
    const int end = start + block_length(p, positions);
    for (int q = start; q < end; ++q) {
      if (q != p) neighbours_[index(p)].push_back(q);
    }
  }
  for (int p = 0; p < positions; ++p) add_cross_ties(p, positions, stream);
}

int PeerNetwork::block_length(int position, int count) const {
  return std::min(block_size_, count - block_start(position));
}

void PeerNetwork::add_cross_ties(int position, int count, RandomStream& stream) {
  const int ties = stream.poisson(cross_rate_);
  const int start = block_start(position);
  const int length = block_length(position, count);
  const int outside = count - length;
  if (outside == 0) return;  // one block: nobody to tie to, and no target drawn
  for (int t = 0; t < ties; ++t) {
    // Uniform over the positions outside the block: those before it keep their number,
    // those after it are shifted past it.
    auto target = static_cast<int>(stream.below(static_cast<std::uint64_t>(outside)));
    if (target >= start) target += length;
    tie(position, target);
  }
}

void PeerNetwork::tie(int a, int b) {
  auto insert = [this](int from, int to) {
    std::vector<int>& list = neighbours_[index(from)];
    const auto at = std::lower_bound(list.begin(), list.end(), to);
    if (at == list.end() || *at != to) list.insert(at, to);
  };
  insert(a, b);
  insert(b, a);
  matrix_stale_ = true;
}

void PeerNetwork::add_position(RandomStream& stream) {
  const int position = positions();
  neighbours_.emplace_back();
  const int count = position + 1;
  for (int q = block_start(position); q < position; ++q) tie(position, q);
  add_cross_ties(position, count, stream);
  matrix_stale_ = true;
}

void PeerNetwork::remove_last_position() {
  const int last = positions() - 1;
  // The last position is the highest number in every list that holds it.
  for (int k : neighbours_[index(last)]) neighbours_[index(k)].pop_back();
  neighbours_.pop_back();
  matrix_stale_ = true;
}

long PeerNetwork::ties() const {
  long entries = 0;
  for (const auto& list : neighbours_) entries += static_cast<long>(list.size());
  return entries / 2;
}

void PeerNetwork::rebuild_matrix() {
  const int n = positions();
  matrix_.resize(n, n);
  matrix_.reserve(2 * ties());
  for (int i = 0; i < n; ++i) {
    matrix_.startVec(i);
    for (int k : neighbours_[index(i)]) matrix_.insertBack(i, k) = 0.0;
  }
  matrix_.finalize();
  total_weight_.resize(index(n));
  matrix_stale_ = false;
}

void PeerNetwork::weigh(std::span<const int> performance, std::span<const double> autonomy) {
  if (matrix_stale_) rebuild_matrix();
  const int n = positions();
  const int* outer = matrix_.outerIndexPtr();
  const int* inner = matrix_.innerIndexPtr();
  double* values = matrix_.valuePtr();
  const int* score = performance.data();
  const double* a = autonomy.data();
  bool led = false;
  for (int i = 0; i < n; ++i) {
    const int own = score[i];
    double total = 0.0;
    for (int e = outer[i]; e < outer[i + 1]; ++e) {
      const int k = inner[e];
      // Without a branch: whether a peer is better is a coin toss for the predictor.
      // a_k >= 0, so a_k * 0 is +0 and a_k * 1 is a_k, exactly.
      const double weight = a[k] * static_cast<double>(score[k] > own);
      values[e] = weight;
      total += weight;
    }
    total_weight_[index(i)] = total;
    led |= total > 0.0;
  }
  anyone_led_ = led;
}

void PeerNetwork::fit_votes(int dimensions) {
  stride_ = (dimensions + 3) / 4 * 4;
  const std::size_t cells = index(positions()) * index(stride_);
  if (votes_.size() < cells) votes_.resize(cells);
}

void PeerNetwork::votes_eigen(const Word* action_positive, int words, int dimensions) {
  const int n = positions();
  fit_votes(dimensions);
  const std::size_t cells = index(n) * index(dimensions);
  if (actions_.size() < cells) actions_.resize(cells);
  for (int k = 0; k < n; ++k) {
    double* row = actions_.data() + index(k) * index(dimensions);
    const Word* bits = action_positive + index(k) * index(words);
    for (int j = 0; j < dimensions; ++j) row[j] = (bits[j / 64] >> (j % 64)) & 1 ? 1.0 : -1.0;
  }
  const Eigen::Map<const DenseRows> actions(actions_.data(), n, dimensions);
  Eigen::Map<DenseRows, 0, Eigen::OuterStride<>> votes(votes_.data(), n, dimensions,
                                                       Eigen::OuterStride<>(stride_));
  // Row-major sparse times row-major dense: Eigen 3.4 (SparseDenseProduct.h,
  // sparse_time_dense_product_impl<..., RowMajor, false>::processRow) zeroes the result,
  // then adds value * rhs.row(column) for each stored entry of the row in storage order.
  votes.noalias() = matrix_ * actions;
}

void PeerNetwork::votes_bitplane(const Word* action_positive, int words, int dimensions) {
  const int n = positions();
  fit_votes(dimensions);
  const int* outer = matrix_.outerIndexPtr();
  const int* inner = matrix_.innerIndexPtr();
  const double* values = matrix_.valuePtr();
  const int stride = stride_;
  for (int i = 0; i < n; ++i) {
    double* row = votes_.data() + index(i) * index(stride);
    std::fill(row, row + stride, 0.0);
    if (!(total_weight_[index(i)] > 0.0)) continue;
    for (int e = outer[i]; e < outer[i + 1]; ++e) {
      const double weight = values[e];
      if (weight == 0.0) continue;
      const Word* bits = action_positive + index(inner[e]) * index(words);
      const auto magnitude = std::bit_cast<std::uint64_t>(weight);
      // Four dimensions at a time (a group never straddles a word; the row is padded to a
      // multiple of four, and the padding's sums are never read).
      for (int j = 0; j < stride; j += 4) {
        const auto& signs = kSigns[(bits[j / 64] >> (j % 64)) & 15];
        for (int t = 0; t < 4; ++t) {
          row[j + t] += std::bit_cast<double>(magnitude ^ signs[index(t)]);
        }
      }
    }
  }
}

}  // namespace orgsim::model
