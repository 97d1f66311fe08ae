#pragma once
// Designs of experiments for `orgsim sweep`: which scenario keys vary and the values they
// take at each design point. A factor is written KEY=SPEC:
//
//   env.turbulence=0:0.05:0.01   a range with a step (grid designs)
//   env.turbulence=0:0.05        a range (lhs, sobol and saltelli designs, --samples N)
//   leader.policy=value,relative a list of numbers or names (grid designs)
//
// A grid is the Cartesian product of its factors' values, the last factor varying fastest.
// LHS stratifies each factor's range into N equal strata with one point in each, from its
// own random stream; Sobol takes the first N points after 0 of Sobol's sequence with Joe
// and Kuo's (2008) direction numbers; Saltelli builds the N (k + 2) points that first-order
// and total Sobol indices need (matrices A and B from a 2k-dimensional Sobol sequence,
// then A with column i taken from B, for each i).
//
// Values are kept as the text they will be set with, so that a point applies to a
// scenario exactly as `--set KEY=VALUE` would. A grid's LOW + i * STEP is computed in
// decimal from the text of LOW, HIGH and STEP (core/Decimal.h), so 0.1:0.9:0.2 gives the
// doubles of 0.1, 0.3, 0.5, 0.7 and 0.9 as typed, not 0.30000000000000004.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace orgsim::engine {

enum class DesignKind { grid, lhs, sobol, saltelli };

struct Factor {
  std::string key;
  enum class Form { range_step, range, list } form = Form::list;
  double low = 0.0;
  double high = 0.0;
  double step = 0.0;
  /// LOW, HIGH and STEP as typed, for exact grid values (empty: number_text of the double).
  std::string low_text, high_text, step_text;
  std::vector<std::string> values;  ///< the list form's values
  bool integer = false;             ///< sampled values are rounded to whole numbers

  /// "KEY=SPEC" as written.
  std::string text() const;
};

/// Parses "KEY=SPEC"; throws ConfigError naming the problem.
Factor parse_factor(const std::string& assignment);

struct Design {
  DesignKind kind = DesignKind::grid;
  std::vector<Factor> factors;
  /// points[p][f]: the value of factor f at point p, as text.
  std::vector<std::vector<std::string>> points;
  /// Saltelli only: the block of each point (0 = A, 1 = B, 2 + i = A with column i from B)
  /// and its row within the block.
  std::vector<int> saltelli_block;
  std::vector<int> saltelli_row;

  /// One line per factor and the kind, for provenance and resume checks.
  std::string describe() const;
};

/// The most points a design may have. Each point is kept as text for the whole sweep, so the
/// limit is checked (by design_size) before any point is built.
inline constexpr std::size_t kMaxDesignPoints = 100'000'000;

/// The number of points make_design would build, counted without building them. Throws
/// ConfigError when the factors do not suit the kind (a list in an LHS design, a range
/// without a step in a grid, more factors than the Sobol table has), `samples` is not
/// positive for a sampled design, or there would be more than kMaxDesignPoints points.
std::size_t design_size(DesignKind kind, const std::vector<Factor>& factors, long samples);

/// Builds a design (checked by design_size first). `samples` is N for lhs, sobol and saltelli
/// (ignored for grid); `seed` names the LHS stream. Throws ConfigError when factors do not suit the
/// kind (a list in an LHS design, a range without a step in a grid, more factors than the Sobol
/// table has).
Design make_design(DesignKind kind, std::vector<Factor> factors, long samples, std::uint64_t seed);

/// The first `count` points of the `dimensions`-dimensional Sobol sequence (the first is
/// all zeros), dimensions <= kMaxSobolDimensions.
std::vector<std::vector<double>> sobol_points(int dimensions, std::size_t count);

inline constexpr int kMaxSobolDimensions = 32;

/// `count` Latin hypercube points in [0, 1)^dimensions from the named stream.
std::vector<std::vector<double>> latin_hypercube(int dimensions, std::size_t count,
                                                 std::uint64_t seed);

DesignKind parse_design_kind(const std::string& name);
const char* design_kind_name(DesignKind kind);

}  // namespace orgsim::engine
