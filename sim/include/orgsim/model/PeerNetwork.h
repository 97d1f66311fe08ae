#pragma once
// The peer network of step 5b, leading by example (docs/model.md 7.5b): undirected ties
// between positions, not people, so that a hire inherits the ties of the place it fills.
// Position p belongs to block p / block_size (the last block may be short) and is tied to
// every other position of its block; besides, each position draws Poisson(lambda) ties to
// positions outside its block, uniformly with replacement, duplicates and reciprocal pairs
// merged. The network grows by one position at a time as hiring adds places and loses its
// last position when headcount falls.
//
// The ties are also held as a row-major Eigen sparse matrix of the same structure (each
// row's columns increasing), whose values the caller refreshes every period: with
// A_ik = a_k [P_k > P_i] the example votes are the product E = A X of that matrix and the
// actions X (+1/-1). votes_eigen() computes it with Eigen's sparse-dense product and
// votes_bitplane() from the action bit-planes directly; both sum each row's terms in
// increasing column order, starting from 0, so they agree to the bit.
//
// **Example**
//   PeerNetwork network(50, 10, 1.0, streams.network);   // drawn once per run
//   network.weigh(performance, autonomy);                  // every period
//   if (network.anyone_led()) network.votes_bitplane(actions, words, dimensions);

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <cstdint>
#include <span>
#include <vector>

#include "orgsim/core/Random.h"
#include "orgsim/model/BitPlanes.h"

namespace orgsim::model {

class PeerNetwork {
 public:
  using Matrix = Eigen::SparseMatrix<double, Eigen::RowMajor, int>;
  /// Dense, row-major: one row per position, one column per dimension.
  using DenseRows = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  PeerNetwork() = default;
  /// Draws the network of `positions` positions, position by position in increasing order
  /// (see add_cross_ties for each position's draws). `block_size` >= 1; `cross_rate`
  /// (lambda) in [0, 100].
  PeerNetwork(int positions, int block_size, double cross_rate, RandomStream& stream);

  /// Adds position positions(): tied to the positions of its block that exist, and drawing
  /// its own Poisson(lambda) cross ties among the positions that exist now (itself
  /// included in the count, never as a target).
  void add_position(RandomStream& stream);
  /// Removes the last position and every tie it has.
  void remove_last_position();

  int positions() const { return static_cast<int>(neighbours_.size()); }
  int block_size() const { return block_size_; }
  /// The positions tied to `position`, increasing.
  std::span<const int> neighbours(int position) const {
    return neighbours_[static_cast<std::size_t>(position)];
  }
  /// Ties in all, each counted once.
  long ties() const;

  /// The ties as a row-major sparse matrix: an entry (i, k) and (k, i) per tie, each row's
  /// columns increasing, no diagonal. Its values are weigh()'s.
  const Matrix& matrix() const { return matrix_; }

  /// Refreshes the matrix's values to A_ik = a_k when P_k > P_i (strictly), else 0, and
  /// each row's total weight W_i = sum_k A_ik, summed in increasing k from 0.
  void weigh(std::span<const int> performance, std::span<const double> autonomy);
  /// W_i of the last weigh(), one per position.
  std::span<const double> total_weight() const { return total_weight_; }
  /// True when some W_i > 0 after the last weigh(): else no example leads anyone.
  bool anyone_led() const { return anyone_led_; }

  /// E = A X by Eigen's sparse-dense product (row-major times row-major: each row's
  /// nonzeros accumulated in storage order into the result row, from 0), X the actions
  /// (`words` words per position of `action_positive`, bit set = +1) as a dense +/-1
  /// matrix of `dimensions` columns. Into votes().
  void votes_eigen(const Word* action_positive, int words, int dimensions);
  /// The same E from the bit-planes: for each row, its better peers' signed weights added
  /// in increasing column order, skipping the zero terms (adding 0 changes no sum here).
  /// Rows with W_i = 0 are set to 0 without work.
  void votes_bitplane(const Word* action_positive, int words, int dimensions);
  /// E of the last votes_*(): positions() rows of `dimensions` values, row-major, row i
  /// starting at votes() + i * votes_stride().
  const double* votes() const { return votes_.data(); }
  /// Doubles from one row of votes() to the next: `dimensions` rounded up to a multiple of 4.
  int votes_stride() const { return stride_; }

 private:
  // Position `position`'s block among `count` positions: its first position and its size.
  int block_start(int position) const { return position / block_size_ * block_size_; }
  int block_length(int position, int count) const;
  // Draws Poisson(lambda) from `stream`, then that many targets, each below(count -
  // block length) mapped past `position`'s block, and ties them to `position`.
  void add_cross_ties(int position, int count, RandomStream& stream);
  void tie(int a, int b);
  void rebuild_matrix();  // lays the matrix out afresh from neighbours_
  void fit_votes(int dimensions);

  int block_size_ = 1;
  double cross_rate_ = 0.0;
  std::vector<std::vector<int>> neighbours_;
  Matrix matrix_;
  bool matrix_stale_ = true;
  std::vector<double> total_weight_;
  bool anyone_led_ = false;
  // Scratch, grown with headcount and kept: no allocation in a period that hires nobody.
  std::vector<double> actions_;  // X, positions x dimensions, row-major (votes_eigen)
  std::vector<double> votes_;    // E, positions x stride_, row-major
  int stride_ = 0;
};

}  // namespace orgsim::model
