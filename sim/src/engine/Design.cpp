#include "orgsim/engine/Design.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <numeric>
#include <optional>
#include <sstream>

#include "orgsim/core/Decimal.h"
#include "orgsim/core/Error.h"
#include "orgsim/core/NumberText.h"
#include "orgsim/core/Random.h"

namespace orgsim::engine {
namespace {

// Joe and Kuo (2008), new-joe-kuo-6.21201, dimensions 2 to 32: degree s, coefficients a,
// and initial direction numbers m_1 .. m_s. Dimension 1 is van der Corput's.
struct DirectionSeed {
  int degree;
  unsigned coefficients;
  std::array<unsigned, 7> initial;
};
constexpr std::array<DirectionSeed, kMaxSobolDimensions - 1> kJoeKuo = {{
    {1, 0, {1}},
    {2, 1, {1, 3}},
    {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},
    {4, 1, {1, 1, 3, 3}},
    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}},
    {5, 4, {1, 1, 5, 5, 5}},
    {5, 7, {1, 1, 7, 11, 19}},
    {5, 11, {1, 1, 5, 1, 1}},
    {5, 13, {1, 1, 1, 3, 11}},
    {5, 14, {1, 3, 5, 5, 31}},
    {6, 1, {1, 3, 3, 9, 7, 49}},
    {6, 13, {1, 1, 1, 15, 21, 21}},
    {6, 16, {1, 3, 1, 13, 27, 49}},
    {6, 19, {1, 1, 1, 15, 7, 5}},
    {6, 22, {1, 3, 1, 15, 13, 25}},
    {6, 25, {1, 1, 5, 5, 19, 61}},
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},
    {7, 4, {1, 3, 7, 13, 13, 15, 69}},
    {7, 7, {1, 1, 3, 13, 7, 35, 63}},
    {7, 8, {1, 3, 5, 9, 1, 25, 53}},
    {7, 14, {1, 3, 1, 13, 9, 35, 107}},
    {7, 19, {1, 3, 1, 5, 27, 61, 31}},
    {7, 21, {1, 1, 5, 11, 19, 41, 61}},
    {7, 28, {1, 3, 5, 3, 3, 13, 69}},
    {7, 31, {1, 1, 7, 13, 1, 19, 1}},
    {7, 32, {1, 3, 7, 5, 13, 19, 59}},
    {7, 37, {1, 1, 3, 9, 25, 29, 41}},
    {7, 41, {1, 3, 5, 13, 23, 1, 55}},
    {7, 42, {1, 3, 7, 3, 13, 59, 17}},
}};

constexpr int kBits = 32;

// Direction numbers v_k * 2^32 for k = 1..32 of one dimension (0-based).
std::array<std::uint32_t, kBits> directions(int dimension) {
  std::array<std::uint32_t, kBits> v{};
  if (dimension == 0) {
    for (int k = 0; k < kBits; ++k) v[static_cast<std::size_t>(k)] = 1u << (kBits - 1 - k);
    return v;
  }
  const DirectionSeed& seed = kJoeKuo[static_cast<std::size_t>(dimension - 1)];
  const int s = seed.degree;
  std::array<std::uint32_t, kBits> m{};
  for (int k = 0; k < s; ++k)
    m[static_cast<std::size_t>(k)] = seed.initial[static_cast<std::size_t>(k)];
  for (int k = s; k < kBits; ++k) {
    // m_k = 2 a_1 m_{k-1} ^ 4 a_2 m_{k-2} ^ ... ^ 2^s m_{k-s} ^ m_{k-s}
    std::uint32_t value =
        m[static_cast<std::size_t>(k - s)] ^ (m[static_cast<std::size_t>(k - s)] << s);
    for (int j = 1; j < s; ++j) {
      if ((seed.coefficients >> (s - 1 - j)) & 1u) {
        value ^= m[static_cast<std::size_t>(k - j)] << j;
      }
    }
    m[static_cast<std::size_t>(k)] = value;
  }
  for (int k = 0; k < kBits; ++k) {
    v[static_cast<std::size_t>(k)] = m[static_cast<std::size_t>(k)] << (kBits - 1 - k);
  }
  return v;
}

double parse_number(const std::string& text, const std::string& assignment) {
  double value = 0.0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    throw ConfigError("--vary " + assignment + ": '" + text +
                      "' is not a number; write KEY=LOW:HIGH:STEP, KEY=LOW:HIGH or "
                      "KEY=V1,V2,...");
  }
  return value;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream stream(text);
  while (std::getline(stream, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

// An already rounded value as an integer key's text. One beyond long long's range (from a
// range such as env.dimensions=0:1e300) is written as the number it is, for the key's range
// check to reject by its value: converting it would be undefined behaviour.
std::string integer_text(double rounded) {
  if (std::fabs(rounded) < 0x1p63) return std::to_string(static_cast<long long>(rounded));
  return number_text(rounded);
}

// A unit-interval sample mapped onto a factor's range, as text.
std::string scaled(const Factor& factor, double unit) {
  const double value = factor.low + unit * (factor.high - factor.low);
  if (factor.integer) return integer_text(std::floor(value + 0.5));
  return number_text(value);
}

// A LOW:HIGH:STEP factor's values in decimal: value i is (low + i * step) * 10^exponent,
// for i below levels, all in exact integers.
struct ExactSteps {
  std::int64_t low = 0;
  std::int64_t step = 0;
  int exponent = 0;
  std::size_t levels = 0;
};

std::string typed_or_shortest(const std::string& typed, double value) {
  return typed.empty() ? number_text(value) : typed;
}

// nullopt where the decimal scale is beyond 64-bit integers (1e300:1e300:1, 0:1:1e-300, more
// than 18 significant digits): there doubles are as good as anything, and the counts that
// such spans give are refused by the 1e8-point limit anyway.
std::optional<ExactSteps> exact_steps(const Factor& factor) {
  const auto low = parse_decimal(typed_or_shortest(factor.low_text, factor.low));
  const auto high = parse_decimal(typed_or_shortest(factor.high_text, factor.high));
  const auto step = parse_decimal(typed_or_shortest(factor.step_text, factor.step));
  if (!low || !high || !step) return std::nullopt;
  ExactSteps exact;
  const auto scaled = at_common_scale({*low, *high, *step}, exact.exponent);
  if (!scaled) return std::nullopt;
  exact.low = (*scaled)[0];
  exact.step = (*scaled)[2];
  std::int64_t span = 0;
  // A span below 0 (a HIGH below LOW that rounds to the same double) is left to doubles.
  if (__builtin_sub_overflow((*scaled)[1], exact.low, &span) || span < 0 || exact.step <= 0) {
    return std::nullopt;
  }
  const auto steps = static_cast<std::uint64_t>(span / exact.step);
  exact.levels =
      steps < kMaxDesignPoints ? static_cast<std::size_t>(steps) + 1 : kMaxDesignPoints + 1;
  return exact;
}

// The values of a LOW:HIGH:STEP factor, both ends included, counted rather than generated:
// more than kMaxDesignPoints (the count of 0:1:1e-300, or of a span that overflows to
// infinity) comes back as kMaxDesignPoints + 1, to be refused before anything is built.
std::size_t level_count(const Factor& factor) {
  if (const auto exact = exact_steps(factor)) return exact->levels;
  const double steps = std::floor((factor.high - factor.low) / factor.step);
  if (!(steps < static_cast<double>(kMaxDesignPoints))) return kMaxDesignPoints + 1;
  return static_cast<std::size_t>(steps) + 1;
}

// Value i of a LOW:HIGH:STEP factor (i below level_count), as the double its decimal reads as.
double level_value(const Factor& factor, const std::optional<ExactSteps>& exact, std::size_t i) {
  if (!exact) return factor.low + static_cast<double>(i) * factor.step;
  // low + i * step lies between low and high, so it cannot overflow.
  return decimal_to_double(exact->low + static_cast<std::int64_t>(i) * exact->step,
                           exact->exponent);
}

}  // namespace

std::string Factor::text() const {
  std::string spec;
  switch (form) {
    case Form::range_step:
      spec = number_text(low) + ":" + number_text(high) + ":" + number_text(step);
      break;
    case Form::range:
      spec = number_text(low) + ":" + number_text(high);
      break;
    case Form::list:
      for (const auto& value : values) spec += (spec.empty() ? "" : ",") + value;
      break;
  }
  return key + "=" + spec;
}

Factor parse_factor(const std::string& assignment) {
  const auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == assignment.size()) {
    throw ConfigError("--vary " + assignment +
                      ": expected KEY=SPEC, for example --vary env.turbulence=0:0.05:0.01");
  }
  Factor factor;
  factor.key = assignment.substr(0, equals);
  const std::string spec = assignment.substr(equals + 1);
  if (spec.find(':') != std::string::npos) {
    const auto parts = split(spec, ':');
    if (parts.size() != 2 && parts.size() != 3) {
      throw ConfigError("--vary " + assignment + ": a range is LOW:HIGH or LOW:HIGH:STEP, got " +
                        std::to_string(parts.size()) + " parts");
    }
    factor.low = parse_number(parts[0], assignment);
    factor.high = parse_number(parts[1], assignment);
    factor.low_text = parts[0];
    factor.high_text = parts[1];
    if (factor.high < factor.low) {
      throw ConfigError("--vary " + assignment + ": the range's high end " + parts[1] +
                        " is below its low end " + parts[0] + "; swap them");
    }
    if (parts.size() == 3) {
      factor.form = Factor::Form::range_step;
      factor.step = parse_number(parts[2], assignment);
      factor.step_text = parts[2];
      if (!(factor.step > 0.0)) {
        throw ConfigError("--vary " + assignment + ": the step " + parts[2] + " must be positive");
      }
    } else {
      factor.form = Factor::Form::range;
    }
  } else {
    factor.form = Factor::Form::list;
    factor.values = split(spec, ',');
    for (auto& value : factor.values) {
      if (value.empty()) {
        throw ConfigError("--vary " + assignment +
                          ": an empty value in the list; write "
                          "KEY=V1,V2,...");
      }
    }
  }
  return factor;
}

std::string Design::describe() const {
  std::string text = std::string("design = ") + design_kind_name(kind) + "\n";
  for (const auto& factor : factors) text += "vary " + factor.text() + "\n";
  text += "points = " + std::to_string(points.size()) + "\n";
  return text;
}

std::vector<std::vector<double>> sobol_points(int dimensions, std::size_t count) {
  if (dimensions < 1 || dimensions > kMaxSobolDimensions) {
    throw ConfigError("a Sobol sequence of " + std::to_string(dimensions) +
                      " dimensions is not available (1 to " + std::to_string(kMaxSobolDimensions) +
                      ")");
  }
  std::vector<std::array<std::uint32_t, kBits>> v;
  for (int d = 0; d < dimensions; ++d) v.push_back(directions(d));
  std::vector<std::vector<double>> points(
      count, std::vector<double>(static_cast<std::size_t>(dimensions)));
  std::vector<std::uint32_t> x(static_cast<std::size_t>(dimensions), 0);
  for (std::size_t n = 0; n < count; ++n) {
    for (int d = 0; d < dimensions; ++d) {
      points[n][static_cast<std::size_t>(d)] =
          static_cast<double>(x[static_cast<std::size_t>(d)]) * 0x1.0p-32;
    }
    // Gray-code order (Antonov and Saleev): flip the direction of n's lowest zero bit.
    const int c = std::countr_one(n);
    if (c >= kBits) break;
    for (int d = 0; d < dimensions; ++d) {
      x[static_cast<std::size_t>(d)] ^= v[static_cast<std::size_t>(d)][static_cast<std::size_t>(c)];
    }
  }
  return points;
}

std::vector<std::vector<double>> latin_hypercube(int dimensions, std::size_t count,
                                                 std::uint64_t seed) {
  // A stream of its own: (seed, replication 0, the design's key, purpose 1).
  constexpr std::uint64_t kDesignKey = ~std::uint64_t{0} - 1;
  RandomStream stream(StreamName{seed, 0, kDesignKey, 1});
  std::vector<std::vector<double>> points(
      count, std::vector<double>(static_cast<std::size_t>(dimensions)));
  std::vector<std::size_t> strata(count);
  for (int d = 0; d < dimensions; ++d) {
    std::iota(strata.begin(), strata.end(), std::size_t{0});
    // Fisher-Yates with our own bounded draws, so the design is the same everywhere.
    for (std::size_t i = count; i > 1; --i) {
      std::swap(strata[i - 1], strata[stream.below(i)]);
    }
    for (std::size_t n = 0; n < count; ++n) {
      points[n][static_cast<std::size_t>(d)] =
          (static_cast<double>(strata[n]) + stream.uniform()) / static_cast<double>(count);
    }
  }
  return points;
}

std::size_t design_size(DesignKind kind, const std::vector<Factor>& factors, long samples) {
  if (kind == DesignKind::grid) {
    std::size_t total = 1;
    for (const auto& factor : factors) {
      if (factor.form == Factor::Form::range) {
        throw ConfigError("--vary " + factor.text() +
                          ": a grid needs a step (LOW:HIGH:STEP) or a list of values");
      }
      const std::size_t levels =
          factor.form == Factor::Form::list ? factor.values.size() : level_count(factor);
      // Compared before multiplying, which could wrap around to a small, accepted total.
      if (levels > kMaxDesignPoints / total) {
        throw ConfigError("--vary " + factor.text() +
                          ": the grid would have more than 1e8 points; coarsen the steps or "
                          "use --design lhs");
      }
      total *= levels;
    }
    return total;
  }
  for (const auto& factor : factors) {
    if (factor.form == Factor::Form::list) {
      throw ConfigError("--vary " + factor.text() + ": a " + design_kind_name(kind) +
                        " design samples ranges; write KEY=LOW:HIGH");
    }
  }
  if (samples < 1) {
    throw ConfigError(std::string("--design ") + design_kind_name(kind) +
                      " needs --samples N with N >= 1");
  }
  const auto k = factors.size();
  if (k == 0) throw ConfigError("nothing to vary: add --vary KEY=LOW:HIGH");
  if (kind == DesignKind::sobol && k > static_cast<std::size_t>(kMaxSobolDimensions)) {
    throw ConfigError("a Sobol design takes at most " + std::to_string(kMaxSobolDimensions) +
                      " factors, got " + std::to_string(k));
  }
  if (kind == DesignKind::saltelli && 2 * k > static_cast<std::size_t>(kMaxSobolDimensions)) {
    throw ConfigError("a Saltelli design takes at most " + std::to_string(kMaxSobolDimensions / 2) +
                      " factors, got " + std::to_string(k));
  }
  const std::size_t per_sample = kind == DesignKind::saltelli ? k + 2 : 1;
  if (static_cast<unsigned long>(samples) > kMaxDesignPoints / per_sample) {
    throw ConfigError("--samples " + std::to_string(samples) + " gives a " +
                      design_kind_name(kind) + " design of more than 1e8 points; use fewer");
  }
  return static_cast<std::size_t>(samples) * per_sample;
}

Design make_design(DesignKind kind, std::vector<Factor> factors, long samples, std::uint64_t seed) {
  const std::size_t size = design_size(kind, factors, samples);
  Design design;
  design.kind = kind;
  design.factors = std::move(factors);
  const auto k = static_cast<int>(design.factors.size());
  if (kind == DesignKind::grid) {
    std::vector<std::vector<std::string>> levels;
    for (const auto& factor : design.factors) {
      if (factor.form == Factor::Form::list) {
        levels.push_back(factor.values);
        continue;
      }
      std::vector<std::string> values;
      const std::size_t count = level_count(factor);
      const auto exact = exact_steps(factor);
      for (std::size_t i = 0; i < count; ++i) {
        const double value = level_value(factor, exact, i);
        values.push_back(factor.integer ? integer_text(std::round(value)) : number_text(value));
      }
      levels.push_back(values);
    }
    design.points.assign(size, std::vector<std::string>(levels.size()));
    for (std::size_t p = 0; p < size; ++p) {
      std::size_t rest = p;
      for (std::size_t f = levels.size(); f-- > 0;) {
        design.points[p][f] = levels[f][rest % levels[f].size()];
        rest /= levels[f].size();
      }
    }
    return design;
  }

  const auto n = static_cast<std::size_t>(samples);
  auto append = [&](const std::vector<double>& unit) {
    std::vector<std::string> point;
    for (int f = 0; f < k; ++f) {
      point.push_back(
          scaled(design.factors[static_cast<std::size_t>(f)], unit[static_cast<std::size_t>(f)]));
    }
    design.points.push_back(std::move(point));
  };
  if (kind == DesignKind::lhs) {
    for (const auto& unit : latin_hypercube(k, n, seed)) append(unit);
  } else if (kind == DesignKind::sobol) {
    const auto points = sobol_points(k, n + 1);  // skip the first point, all zeros
    for (std::size_t p = 1; p <= n; ++p) append(points[p]);
  } else {
    const auto base = sobol_points(2 * k, n + 1);
    // Blocks A, B, then AB_i: A with column i from B (Saltelli 2002, 2010).
    for (int block = 0; block < k + 2; ++block) {
      for (std::size_t row = 0; row < n; ++row) {
        const auto& point = base[row + 1];
        std::vector<double> unit(static_cast<std::size_t>(k));
        for (int f = 0; f < k; ++f) {
          const double a = point[static_cast<std::size_t>(f)];
          const double b = point[static_cast<std::size_t>(k + f)];
          unit[static_cast<std::size_t>(f)] = block == 0   ? a
                                              : block == 1 ? b
                                                           : (f == block - 2 ? b : a);
        }
        append(unit);
        design.saltelli_block.push_back(block);
        design.saltelli_row.push_back(static_cast<int>(row));
      }
    }
  }
  return design;
}

DesignKind parse_design_kind(const std::string& name) {
  if (name == "grid") return DesignKind::grid;
  if (name == "lhs") return DesignKind::lhs;
  if (name == "sobol") return DesignKind::sobol;
  if (name == "saltelli") return DesignKind::saltelli;
  throw ConfigError("--design " + name + " is not one of grid | lhs | sobol | saltelli");
}

const char* design_kind_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::grid:
      return "grid";
    case DesignKind::lhs:
      return "lhs";
    case DesignKind::sobol:
      return "sobol";
    case DesignKind::saltelli:
      return "saltelli";
  }
  return "?";
}

}  // namespace orgsim::engine
