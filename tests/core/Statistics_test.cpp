#include "orgsim/core/Statistics.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

using orgsim::mean_interval;
using orgsim::paired_difference;
using orgsim::student_t_975;

TEST_CASE("Student t quantiles match the tables", "[statistics]") {
  CHECK(student_t_975(1) == Approx(12.7062).epsilon(1e-4));
  CHECK(student_t_975(9) == Approx(2.2622).epsilon(1e-4));
  CHECK(student_t_975(30) == Approx(2.0423).epsilon(1e-4));
  CHECK(student_t_975(60) == Approx(2.0003).epsilon(2e-4));
  CHECK(student_t_975(120) == Approx(1.9799).epsilon(2e-4));
  CHECK(student_t_975(100000) == Approx(1.96).epsilon(1e-3));
}

TEST_CASE("mean and 95% interval of a hand-computed sample", "[statistics]") {
  // 1..5: mean 3, sd sqrt(2.5), se sqrt(0.5), t(4) = 2.7764.
  const std::vector<double> values = {1, 2, 3, 4, 5};
  const auto estimate = mean_interval(values);
  CHECK(estimate.mean == Approx(3.0));
  CHECK(estimate.count == 5);
  CHECK(estimate.half_width == Approx(2.7764 * std::sqrt(0.5)).epsilon(1e-4));
}

TEST_CASE("NaN entries are left out, too few values give no interval", "[statistics]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> values = {nan, 2.0, nan};
  const auto estimate = mean_interval(values);
  CHECK(estimate.mean == 2.0);
  CHECK(estimate.count == 1);
  CHECK(std::isnan(estimate.half_width));
  CHECK(std::isnan(mean_interval(std::vector<double>{}).mean));
}

TEST_CASE("a paired difference is the interval of b - a pair by pair, pairs with NaN left out",
          "[statistics]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> a = {1, 2, 3, nan, 5};
  const std::vector<double> b = {2, 4, 5, 7, nan};
  const auto difference = paired_difference(a, b);
  const auto expected = mean_interval(std::vector<double>{1, 2, 2});
  CHECK(difference.count == 3);
  CHECK(difference.mean == expected.mean);
  CHECK(difference.half_width == expected.half_width);
  // Pairing removes what both share: a common shift has no variance.
  const auto shifted =
      paired_difference(std::vector<double>{1, 5, 9}, std::vector<double>{2, 6, 10});
  CHECK(shifted.mean == 1.0);
  CHECK(shifted.half_width == 0.0);
}
