#pragma once
// A firm's employees as one table: a row per position, a column per per-employee quantity,
// stored column by column (structure of arrays) so that the kernels sweep one contiguous
// array per quantity. Rows are only ever added, moved and removed whole: append() adds one
// at the end, move_row() copies one over another (the last position's employee filling a
// freed place), pop_back() drops the last; every column follows. A new column is a member,
// its accessors and one line in each_column().
//
// Beliefs and this period's actions are bit-planes (BitPlanes.h) of `words` words per row:
// row i's words of a plane are [i * words, (i + 1) * words) of that plane's span. The
// kernels take a column's data() once, outside their loops.

#include <cstdint>
#include <span>
#include <vector>

#include "orgsim/model/BitPlanes.h"

namespace orgsim::model {

enum class Role : std::uint8_t { producer, explorer };

class EmployeeTable {
 public:
  /// `rows` rows of all-zero columns (beliefs 0, role producer), `words` words per plane row.
  EmployeeTable(int words, int rows);

  int size() const { return rows_; }
  int words() const { return words_; }

  /// Adds a row at the end, every column zero (role producer), and returns its index.
  int append();
  /// Copies every column of row `from` over row `to`.
  void move_row(int from, int to);
  /// Removes the last row.
  void pop_back();

  // Belief planes: known (the belief is not 0) and positive (it is +1), `words` per row.
  std::span<Word> known() { return known_; }
  std::span<const Word> known() const { return known_; }
  std::span<Word> positive() { return positive_; }
  std::span<const Word> positive() const { return positive_; }
  /// Row `row`'s belief vector.
  BeliefView beliefs(int row) const {
    const auto at = plane_offset(row);
    return {known_.data() + at, positive_.data() + at};
  }
  /// This period's actions, `words` per row: the positive plane (actions are never 0).
  std::span<Word> action_positive() { return action_positive_; }
  std::span<const Word> action_positive() const { return action_positive_; }

  /// a_i, drawn at hire.
  std::span<double> autonomy() { return autonomy_; }
  std::span<const double> autonomy() const { return autonomy_; }
  std::span<Role> role() { return role_; }
  std::span<const Role> role() const { return role_; }

  // Derived from autonomy, role and pressure (Firm refreshes them when any changes).
  /// p_i, the socialisation probability.
  std::span<double> socialisation_probability() { return socialisation_probability_; }
  std::span<const double> socialisation_probability() const { return socialisation_probability_; }
  /// p_i over the firm's envelope, as a RandomStream threshold.
  std::span<std::uint64_t> socialisation_acceptance() { return socialisation_acceptance_; }
  std::span<const std::uint64_t> socialisation_acceptance() const {
    return socialisation_acceptance_;
  }
  /// e_i, the experiment probability (0 for explorers).
  std::span<double> experiment_probability() { return experiment_probability_; }
  std::span<const double> experiment_probability() const { return experiment_probability_; }

  // This period's acting.
  /// P_i = score(action_i).
  std::span<int> performance() { return performance_; }
  std::span<const int> performance() const { return performance_; }
  /// y_i (0 for explorers).
  std::span<double> output() { return output_; }
  std::span<const double> output() const { return output_; }

 private:
  std::size_t plane_offset(int row) const {
    return static_cast<std::size_t>(row) * static_cast<std::size_t>(words_);
  }
  /// Calls f(column, width) for every column, width its elements per row.
  template <class F>
  void each_column(F&& f) {
    f(known_, words_);
    f(positive_, words_);
    f(action_positive_, words_);
    f(autonomy_, 1);
    f(role_, 1);
    f(socialisation_probability_, 1);
    f(socialisation_acceptance_, 1);
    f(experiment_probability_, 1);
    f(performance_, 1);
    f(output_, 1);
  }

  int words_;
  int rows_ = 0;
  std::vector<Word> known_;
  std::vector<Word> positive_;  // set only where known
  std::vector<Word> action_positive_;
  std::vector<double> autonomy_;
  std::vector<Role> role_;
  std::vector<double> socialisation_probability_;
  std::vector<std::uint64_t> socialisation_acceptance_;
  std::vector<double> experiment_probability_;
  std::vector<int> performance_;
  std::vector<double> output_;
};

}  // namespace orgsim::model
