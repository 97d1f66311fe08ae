#pragma once
// Summary statistics across replications: the mean and a 95% confidence interval from
// Student's t distribution, ignoring NaN entries (runs in which a quantity is undefined),
// and paired differences (replication r of one scenario or design point against
// replication r of another: common random numbers).

#include <span>

namespace orgsim {

struct MeanInterval {
  double mean = 0.0;
  double half_width = 0.0;  ///< 95% interval is mean +- half_width; NaN with fewer than 2 values
  long count = 0;           ///< number of non-NaN values used
};

/// Two-sided 97.5% quantile of Student's t with `degrees_of_freedom` >= 1.
double student_t_975(long degrees_of_freedom);

MeanInterval mean_interval(std::span<const double> values);

/// The paired difference b - a: the mean and interval of b[r] - a[r] over the pairs in
/// which both are defined (a pair with a NaN is left out). `a` and `b` have equal sizes.
MeanInterval paired_difference(std::span<const double> a, std::span<const double> b);

/// The same, one value at a time (Welford's algorithm), for results that are never all in
/// memory at once.
class RunningMean {
 public:
  void add(double value);
  MeanInterval estimate() const;

 private:
  long count_ = 0;
  double mean_ = 0.0;
  double squares_ = 0.0;  // sum of squared deviations from the running mean
};

}  // namespace orgsim
