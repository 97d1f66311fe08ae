#include "orgsim/engine/Design.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <numeric>
#include <sstream>

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

// More points than a grid may have, and so more values than one factor may have.
constexpr double kMaxGridPoints = 1e8;

// A unit-interval sample mapped onto a factor's range, as text.
std::string scaled(const Factor& factor, double unit) {
  const double value = factor.low + unit * (factor.high - factor.low);
  const double rounded = std::floor(value + 0.5);
  // Cast only what a long long holds (casting more is undefined behaviour); a value beyond
  // that is written as it is, for the key's own range check to refuse with its message.
  if (factor.integer && std::abs(rounded) < 0x1.0p62) {
    return std::to_string(static_cast<long long>(rounded));
  }
  return number_text(factor.integer ? rounded : value);
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
    if (factor.high < factor.low) {
      throw ConfigError("--vary " + assignment + ": the range's high end " + parts[1] +
                        " is below its low end " + parts[0] + "; swap them");
    }
    if (parts.size() == 3) {
      factor.form = Factor::Form::range_step;
      factor.step = parse_number(parts[2], assignment);
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

Design make_design(DesignKind kind, std::vector<Factor> factors, long samples, std::uint64_t seed) {
  Design design;
  design.kind = kind;
  design.factors = std::move(factors);
  const auto k = static_cast<int>(design.factors.size());
  if (kind == DesignKind::grid) {
    std::vector<std::vector<std::string>> levels;
    for (const auto& factor : design.factors) {
      if (factor.form == Factor::Form::range) {
        throw ConfigError("--vary " + factor.text() +
                          ": a grid needs a step (LOW:HIGH:STEP) or a list of values");
      }
      if (factor.form == Factor::Form::list) {
        levels.push_back(factor.values);
        continue;
      }
      std::vector<std::string> values;
      // Steps counted, not accumulated, so 0:0.05:0.01 gives exactly six values. The count
      // is checked while still a double: casting one beyond long's range is undefined
      // behaviour, and making that many values would fill the memory before the check on
      // the grid's size below.
      const double step_count = std::floor((factor.high - factor.low) / factor.step + 1e-9);
      if (!(step_count < kMaxGridPoints)) {
        throw ConfigError("--vary " + factor.text() + ": " + number_text(step_count + 1) +
                          " values, more than 1e8; coarsen the step or use --design lhs");
      }
      const auto steps = static_cast<long>(step_count);
      for (long i = 0; i <= steps; ++i) {
        const double value = factor.low + static_cast<double>(i) * factor.step;
        values.push_back(factor.integer
                             ? std::to_string(static_cast<long long>(std::llround(value)))
                             : number_text(value));
      }
      levels.push_back(values);
    }
    // Multiplied as doubles, which cannot wrap: four factors of 2^16 values have 2^64
    // points, which a 64-bit product makes 0.
    double points = 1.0;
    for (const auto& level : levels) points *= static_cast<double>(level.size());
    if (points > kMaxGridPoints) {
      throw ConfigError("the grid has " + number_text(points) +
                        " points, more than 1e8; coarsen the steps or use --design lhs");
    }
    const auto total = static_cast<std::size_t>(points);
    design.points.assign(total, std::vector<std::string>(levels.size()));
    for (std::size_t p = 0; p < total; ++p) {
      std::size_t rest = p;
      for (std::size_t f = levels.size(); f-- > 0;) {
        design.points[p][f] = levels[f][rest % levels[f].size()];
        rest /= levels[f].size();
      }
    }
    return design;
  }

  for (const auto& factor : design.factors) {
    if (factor.form == Factor::Form::list) {
      throw ConfigError("--vary " + factor.text() + ": a " + design_kind_name(kind) +
                        " design samples ranges; write KEY=LOW:HIGH");
    }
  }
  if (samples < 1) {
    throw ConfigError(std::string("--design ") + design_kind_name(kind) +
                      " needs --samples N with N >= 1");
  }
  if (k == 0) throw ConfigError("nothing to vary: add --vary KEY=LOW:HIGH");
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
    if (k > kMaxSobolDimensions) {
      throw ConfigError("a Sobol design takes at most " + std::to_string(kMaxSobolDimensions) +
                        " factors, got " + std::to_string(k));
    }
    const auto points = sobol_points(k, n + 1);  // skip the first point, all zeros
    for (std::size_t p = 1; p <= n; ++p) append(points[p]);
  } else {
    if (2 * k > kMaxSobolDimensions) {
      throw ConfigError("a Saltelli design takes at most " +
                        std::to_string(kMaxSobolDimensions / 2) + " factors, got " +
                        std::to_string(k));
    }
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
