#include "orgsim/engine/Design.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>

#include "orgsim/core/Error.h"

using namespace orgsim;
using namespace orgsim::engine;
using Catch::Matchers::Contains;

TEST_CASE("factor specs parse into their three forms", "[design]") {
  const Factor step = parse_factor("env.turbulence=0:0.05:0.01");
  CHECK(step.key == "env.turbulence");
  CHECK(step.form == Factor::Form::range_step);
  CHECK(step.high == 0.05);
  const Factor range = parse_factor("firm.coordination_cost=0:0.6");
  CHECK(range.form == Factor::Form::range);
  const Factor list = parse_factor("leader.policy=fixed,value,relative");
  CHECK(list.form == Factor::Form::list);
  CHECK(list.values == std::vector<std::string>{"fixed", "value", "relative"});
  CHECK_THROWS_WITH(parse_factor("env.turbulence"), Contains("expected KEY=SPEC"));
  CHECK_THROWS_WITH(parse_factor("x=0:a"), Contains("'a' is not a number"));
  CHECK_THROWS_WITH(parse_factor("x=1:0"), Contains("below its low end"));
  CHECK_THROWS_WITH(parse_factor("x=0:1:0"), Contains("must be positive"));
  CHECK_THROWS_WITH(parse_factor("x=a,,b"), Contains("an empty value"));
}

TEST_CASE("a grid is the Cartesian product, the last factor fastest", "[design]") {
  const Design design = make_design(
      DesignKind::grid,
      {parse_factor("env.turbulence=0:0.05:0.01"), parse_factor("leader.policy=fixed,value")}, 0,
      1);
  REQUIRE(design.points.size() == 12);  // 6 steps (both ends included) x 2
  CHECK(design.points[0] == std::vector<std::string>{"0", "fixed"});
  CHECK(design.points[1] == std::vector<std::string>{"0", "value"});
  CHECK(design.points[2] == std::vector<std::string>{"0.01", "fixed"});
  CHECK(design.points[11] == std::vector<std::string>{"0.05", "value"});
  CHECK_THROWS_WITH(make_design(DesignKind::grid, {parse_factor("x=0:1")}, 0, 1),
                    Contains("a grid needs a step"));
}

TEST_CASE("a Latin hypercube puts one point in each stratum of every factor", "[design]") {
  const std::size_t n = 50;
  const auto points = latin_hypercube(3, n, 7);
  for (int d = 0; d < 3; ++d) {
    std::set<std::size_t> strata;
    for (const auto& point : points) {
      const double x = point[static_cast<std::size_t>(d)];
      REQUIRE(x >= 0.0);
      REQUIRE(x < 1.0);
      strata.insert(static_cast<std::size_t>(x * n));
    }
    CHECK(strata.size() == n);
  }
  CHECK(latin_hypercube(3, n, 7) == points);  // a function of its seed
  CHECK(latin_hypercube(3, n, 8) != points);
}

TEST_CASE("Sobol's sequence matches its published first points", "[design]") {
  // Unscrambled Sobol points with Joe and Kuo's direction numbers, as tabulated by SciPy's
  // qmc.Sobol(d=2, scramble=False).random(8) documentation.
  const auto points = sobol_points(2, 8);
  const std::vector<std::vector<double>> published = {
      {0, 0},         {0.5, 0.5},     {0.75, 0.25},   {0.25, 0.75},
      {0.375, 0.375}, {0.875, 0.875}, {0.625, 0.125}, {0.125, 0.625}};
  CHECK(points == published);
  // Every dimension is a (0, m, 1)-net in base 2: the first 2^k points put one in each of
  // the 2^k equal intervals.
  const auto many = sobol_points(kMaxSobolDimensions, 64);
  for (int d = 0; d < kMaxSobolDimensions; ++d) {
    std::set<int> cells;
    for (const auto& point : many)
      cells.insert(static_cast<int>(point[static_cast<std::size_t>(d)] * 64));
    CHECK(cells.size() == 64);
  }
  CHECK_THROWS_AS(sobol_points(33, 4), ConfigError);
}

TEST_CASE("a Saltelli design has N (k + 2) points in blocks A, B and A with B's column i",
          "[design]") {
  const Design design =
      make_design(DesignKind::saltelli,
                  {parse_factor("a=0:1"), parse_factor("b=10:20"), parse_factor("c=-1:1")}, 16, 1);
  REQUIRE(design.points.size() == 16 * 5);
  auto value = [&](int block, int row, int factor) {
    const std::size_t p = static_cast<std::size_t>(block * 16 + row);
    REQUIRE(design.saltelli_block[p] == block);
    REQUIRE(design.saltelli_row[p] == row);
    return std::stod(design.points[p][static_cast<std::size_t>(factor)]);
  };
  for (int row = 0; row < 16; ++row) {
    for (int i = 0; i < 3; ++i) {
      for (int f = 0; f < 3; ++f) {
        // AB_i takes column i from B and the others from A.
        CHECK(value(2 + i, row, f) == (f == i ? value(1, row, f) : value(0, row, f)));
      }
    }
    CHECK(value(0, row, 1) >= 10.0);
    CHECK(value(0, row, 1) <= 20.0);
  }
}

TEST_CASE("sampled designs need ranges and sizes; integer factors are rounded", "[design]") {
  CHECK_THROWS_WITH(make_design(DesignKind::lhs, {parse_factor("a=1,2")}, 4, 1),
                    Contains("samples ranges"));
  CHECK_THROWS_WITH(make_design(DesignKind::sobol, {parse_factor("a=0:1")}, 0, 1),
                    Contains("needs --samples N"));
  Factor employees = parse_factor("firm.employees=10:100");
  employees.integer = true;
  const Design design = make_design(DesignKind::lhs, {employees}, 20, 3);
  for (const auto& point : design.points) {
    CHECK(point[0].find('.') == std::string::npos);
  }
}

// Found by the --vary fuzz target (fuzz/corpus/vary/regression_*): the grid's values were
// generated before its size was checked, and a span over the step that overflowed a long
// was undefined behaviour.
TEST_CASE("a design's size is checked before any point is built", "[design]") {
  CHECK(design_size(DesignKind::grid,
                    {parse_factor("env.turbulence=0:0.05:0.01"), parse_factor("leader.policy=a,b")},
                    0) == 12);
  CHECK(design_size(DesignKind::saltelli, {parse_factor("a=0:1"), parse_factor("b=0:1")}, 16) ==
        64);
  // 1e9 values, and a span that is infinite in steps: refused at once, not after filling
  // memory (or, for the second, after converting infinity to an integer).
  CHECK_THROWS_WITH(make_design(DesignKind::grid, {parse_factor("env.turbulence=0:1:1e-9")}, 0, 1),
                    Contains("more than 1e8 points"));
  CHECK_THROWS_WITH(
      make_design(DesignKind::grid, {parse_factor("env.turbulence=0:1e308:1e-308")}, 0, 1),
      Contains("more than 1e8 points"));
  // Three factors of 1e7 levels each: 1e21 points, whose product must not wrap around.
  std::vector<Factor> wide;
  for (const char* key : {"a", "b", "c"}) {
    wide.push_back(parse_factor(std::string(key) + "=0:1:1e-7"));
  }
  CHECK_THROWS_WITH(design_size(DesignKind::grid, wide, 0), Contains("more than 1e8 points"));
  CHECK_THROWS_WITH(make_design(DesignKind::lhs, {parse_factor("a=0:1")}, 200'000'000'000, 1),
                    Contains("--samples 200000000000 gives a lhs design of more than 1e8"));
  CHECK_THROWS_WITH(design_size(DesignKind::saltelli, {parse_factor("a=0:1")}, 40'000'000),
                    Contains("more than 1e8"));
  // Found again by UBSan (float-cast-overflow) in the sanitized build: a span beyond any
  // step count, and four factors of 2^16 values, 2^64 points that a 64-bit product wraps
  // to 0.
  CHECK_THROWS_WITH(make_design(DesignKind::grid, {parse_factor("x=-1e308:1e308:1")}, 0, 1),
                    Contains("more than 1e8"));
  const Factor wide_factor = parse_factor("x=0:65535:1");
  CHECK_THROWS_WITH(
      make_design(DesignKind::grid, {wide_factor, wide_factor, wide_factor, wide_factor}, 0, 1),
      Contains("more than 1e8"));
}

TEST_CASE("integer factors beyond any integer are written as numbers, for the range check",
          "[design]") {
  Factor dimensions = parse_factor("env.dimensions=0:1e300");
  dimensions.integer = true;
  const Design sampled = make_design(DesignKind::lhs, {dimensions}, 4, 1);
  for (const auto& point : sampled.points) {
    CHECK(std::stod(point[0]) >= 0.0);  // not a wrapped-around negative
  }
  Factor stepped = parse_factor("env.dimensions=1e300:1e300:1");
  stepped.integer = true;
  CHECK(make_design(DesignKind::grid, {stepped}, 0, 1).points[0][0] == "1e+300");
  stepped = parse_factor("env.dimensions=10:12:1");
  stepped.integer = true;
  CHECK(make_design(DesignKind::grid, {stepped}, 0, 1).points ==
        std::vector<std::vector<std::string>>{{"10"}, {"11"}, {"12"}});
}

namespace {

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// The values of a one-factor grid, as text.
std::vector<std::string> grid_values(const std::string& assignment, bool integer = false) {
  Factor factor = parse_factor(assignment);
  factor.integer = integer;
  std::vector<std::string> values;
  for (const auto& point : make_design(DesignKind::grid, {factor}, 0, 1).points) {
    values.push_back(point[0]);
  }
  return values;
}

}  // namespace

TEST_CASE("grid values are the doubles of their decimals as a person types them", "[design]") {
  struct Case {
    const char* assignment;
    std::vector<const char*> typed;
  };
  for (const Case& c : {
           Case{"firm.socialization=0.1:0.9:0.2", {"0.1", "0.3", "0.5", "0.7", "0.9"}},
           Case{"env.turbulence=0:0.05:0.01", {"0", "0.01", "0.02", "0.03", "0.04", "0.05"}},
           Case{"env.turbulence=1e-3:5e-3:1e-3", {"0.001", "0.002", "0.003", "0.004", "0.005"}},
           Case{"x=-0.3:0.3:0.1", {"-0.3", "-0.2", "-0.1", "0", "0.1", "0.2", "0.3"}},
           Case{"x=-1.5:-0.5:0.25", {"-1.5", "-1.25", "-1", "-0.75", "-0.5"}},
           Case{"x=0.7:1.3:0.3", {"0.7", "1", "1.3"}},
       }) {
    INFO(c.assignment);
    const auto values = grid_values(c.assignment);
    REQUIRE(values.size() == c.typed.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      INFO(values[i] << " against " << c.typed[i]);
      CHECK(same_bits(std::strtod(values[i].c_str(), nullptr), std::strtod(c.typed[i], nullptr)));
    }
  }
  // The doubles LOW + i * STEP would have given, which a join on 0.3 or 0.7 misses.
  const auto socialization = grid_values("firm.socialization=0.1:0.9:0.2");
  CHECK(socialization[1] == "0.3");
  CHECK(socialization[3] == "0.7");
}

TEST_CASE("a grid's levels are counted exactly, without a tolerance", "[design]") {
  // 0.99999999995 / 0.1 is 9.9999999995 steps: ten levels, 0 to 0.9, none beyond HIGH (a
  // tolerance of 1e-9 steps made an eleventh, 1.0).
  const auto values = grid_values("x=0:0.99999999995:0.1");
  REQUIRE(values.size() == 10);
  CHECK(values.back() == "0.9");
  CHECK(grid_values("x=0:0.3:0.1").size() == 4);  // 0.3 / 0.1 is 2.9999999999999996 in doubles
  CHECK(grid_values("x=0.5:0.5:0.1") == std::vector<std::string>{"0.5"});
  CHECK(design_size(DesignKind::grid, {parse_factor("x=0:1:1e-7")}, 0) == 10'000'001);
}

TEST_CASE("integer keys' grid values are whole numbers from the exact decimals", "[design]") {
  CHECK(grid_values("firm.employees=10:30:10", true) == std::vector<std::string>{"10", "20", "30"});
  // 12.5 and 17.5 round away from zero, as std::round does.
  CHECK(grid_values("firm.employees=10:20:2.5", true) ==
        std::vector<std::string>{"10", "13", "15", "18", "20"});
  CHECK(grid_values("leader.cycle=1e1:3e1:1e1", true) ==
        std::vector<std::string>{"10", "20", "30"});
}

TEST_CASE("list values are kept as written", "[design]") {
  const Design design =
      make_design(DesignKind::grid, {parse_factor("firm.socialization=0.30,1e-1,0.7")}, 0, 1);
  REQUIRE(design.points.size() == 3);
  CHECK(design.points[0][0] == "0.30");
  CHECK(design.points[1][0] == "1e-1");
  CHECK(design.points[2][0] == "0.7");
}
