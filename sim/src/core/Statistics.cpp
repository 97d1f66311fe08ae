#include "orgsim/core/Statistics.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

namespace orgsim {

double student_t_975(long degrees_of_freedom) {
  // Exact table for small samples, where the normal approximation would understate the
  // interval; beyond 30 the Cornish-Fisher expansion is accurate to 1e-4.
  static constexpr std::array<double, 30> kTable = {
      12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
      2.2010,  2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
      2.0796,  2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
  if (degrees_of_freedom < 1) return std::numeric_limits<double>::quiet_NaN();
  if (degrees_of_freedom <= 30) return kTable[static_cast<std::size_t>(degrees_of_freedom - 1)];
  const double z = 1.959963984540054;
  const double n = static_cast<double>(degrees_of_freedom);
  const double z3 = z * z * z;
  const double z5 = z3 * z * z;
  return z + (z3 + z) / (4.0 * n) + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * n * n);
}

MeanInterval mean_interval(std::span<const double> values) {
  MeanInterval result;
  double sum = 0.0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    sum += v;
    ++result.count;
  }
  if (result.count == 0) {
    result.mean = std::numeric_limits<double>::quiet_NaN();
    result.half_width = std::numeric_limits<double>::quiet_NaN();
    return result;
  }
  result.mean = sum / static_cast<double>(result.count);
  if (result.count < 2) {
    result.half_width = std::numeric_limits<double>::quiet_NaN();
    return result;
  }
  double squares = 0.0;
  for (double v : values) {
    if (!std::isnan(v)) squares += (v - result.mean) * (v - result.mean);
  }
  const double n = static_cast<double>(result.count);
  const double standard_error = std::sqrt(squares / (n - 1.0) / n);
  result.half_width = student_t_975(result.count - 1) * standard_error;
  return result;
}

MeanInterval paired_difference(std::span<const double> a, std::span<const double> b) {
  const std::size_t pairs = std::min(a.size(), b.size());
  std::vector<double> difference(pairs);
  for (std::size_t r = 0; r < pairs; ++r) difference[r] = b[r] - a[r];  // NaN if either is
  return mean_interval(difference);
}

void RunningMean::add(double value) {
  if (std::isnan(value)) return;
  ++count_;
  const double delta = value - mean_;
  mean_ += delta / static_cast<double>(count_);
  squares_ += delta * (value - mean_);
}

MeanInterval RunningMean::estimate() const {
  MeanInterval result;
  result.count = count_;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  result.mean = count_ > 0 ? mean_ : nan;
  if (count_ < 2) {
    result.half_width = nan;
    return result;
  }
  const double n = static_cast<double>(count_);
  result.half_width = student_t_975(count_ - 1) * std::sqrt(squares_ / (n - 1.0) / n);
  return result;
}

}  // namespace orgsim
