#include "orgsim/model/ParameterTable.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <type_traits>

#include "orgsim/core/Error.h"

namespace orgsim::model {
namespace {

// Seeds and counts pass through a double on their way in; 2^53 keeps them exact.
constexpr double kLargestExactInteger = 9007199254740992.0;

std::string number_text(double value) {
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

// Builds a spec from an accessor `field(params) -> T&` that works on const and non-const
// ModelParams alike, so that each parameter names its field exactly once.
template <class Field>
ParameterSpec make_spec(std::string key, ValueKind kind, Field field, double min, double max,
                        std::string unit, std::string meaning) {
  ParameterSpec spec;
  spec.key = std::move(key);
  spec.kind = kind;
  spec.min = min;
  spec.max = max;
  spec.unit = std::move(unit);
  spec.meaning = std::move(meaning);
  spec.assign = [field](ModelParams& params, double value) {
    auto& target = field(params);
    using T = std::remove_reference_t<decltype(target)>;
    if constexpr (std::is_enum_v<T>) {
      target = static_cast<T>(static_cast<int>(value));
    } else {
      target = static_cast<T>(value);
    }
  };
  spec.read = [field](const ModelParams& params) {
    const auto& source = field(params);
    using T = std::remove_cvref_t<decltype(source)>;
    if constexpr (std::is_enum_v<T>) {
      return static_cast<double>(static_cast<int>(source));
    } else {
      return static_cast<double>(source);
    }
  };
  return spec;
}

template <class Field>
ParameterSpec real(std::string key, Field field, double min, double max, std::string unit,
                   std::string meaning) {
  return make_spec(std::move(key), ValueKind::real, field, min, max, std::move(unit),
                   std::move(meaning));
}

template <class Field>
ParameterSpec positive_real(std::string key, Field field, double max, std::string unit,
                            std::string meaning) {
  ParameterSpec spec = real(std::move(key), field, 0.0, max, std::move(unit), std::move(meaning));
  spec.min_exclusive = true;
  return spec;
}

template <class Field>
ParameterSpec integer(std::string key, Field field, double min, double max, std::string unit,
                      std::string meaning) {
  return make_spec(std::move(key), ValueKind::integer, field, min, max, std::move(unit),
                   std::move(meaning));
}

template <class Field>
ParameterSpec choice(std::string key, Field field, std::vector<std::string> choices,
                     std::string meaning) {
  const double last = static_cast<double>(choices.size() - 1);
  ParameterSpec spec =
      make_spec(std::move(key), ValueKind::choice, field, 0.0, last, "", std::move(meaning));
  spec.choices = std::move(choices);
  return spec;
}

std::vector<ParameterSpec> build_table() {
  std::vector<ParameterSpec> table;
  // Environment.
  table.push_back(integer(
      "env.dimensions", [](auto& p) -> auto& { return p.env.dimensions; }, 1, 1024, "dimensions",
      "m: number of dimensions of reality and of every belief vector"));
  table.push_back(real(
      "env.turbulence", [](auto& p) -> auto& { return p.env.turbulence; }, 0, 1,
      "probability per dimension per period",
      "p4: chance that each dimension of reality flips sign each period"));
  // Firm.
  table.push_back(integer(
      "firm.employees", [](auto& p) -> auto& { return p.firm.employees; }, 1, 100000, "employees",
      "n: employees per firm at the start of a run"));
  table.push_back(real(
      "firm.turnover", [](auto& p) -> auto& { return p.firm.turnover; }, 0, 1,
      "probability per employee per period",
      "p3: chance that an employee is replaced by a fresh hire each period"));
  table.push_back(real(
      "firm.socialization", [](auto& p) -> auto& { return p.firm.socialization; }, 0, 1,
      "probability per belief per period",
      "p1: March's socialisation rate; a belief that differs from a non-zero code moves one step "
      "towards it with probability min(1, p1*(1-autonomy)*(0.5+pressure))"));
  table.push_back(real(
      "firm.code_learning", [](auto& p) -> auto& { return p.firm.code_learning; }, 0, 1,
      "probability per superior-group vote",
      "p2: March's code-learning rate; the code adopts the superior group's majority on a "
      "dimension with probability 1-(1-p2)^k, k the majority's margin"));
  table.push_back(choice(
      "firm.autonomy.dist", [](auto& p) -> auto& { return p.firm.autonomy.distribution; },
      {"fixed", "beta", "two_point"},
      "how autonomy in [0,1] is drawn at hire: fixed = autonomy.mean for everyone; beta with "
      "autonomy.mean and autonomy.concentration; two_point = autonomy.high with probability "
      "autonomy.share_high, else autonomy.low"));
  table.push_back(real(
      "firm.autonomy.mean", [](auto& p) -> auto& { return p.firm.autonomy.mean; }, 0, 1,
      "autonomy (0 = follows orders, 1 = fully autonomous)",
      "fixed: every employee's autonomy; beta: the distribution's mean (strictly inside (0,1))"));
  table.push_back(positive_real(
      "firm.autonomy.concentration", [](auto& p) -> auto& { return p.firm.autonomy.concentration; },
      1e6, "dimensionless",
      "beta: concentration c; the shape parameters are mean*c and (1-mean)*c"));
  table.push_back(real(
      "firm.autonomy.low", [](auto& p) -> auto& { return p.firm.autonomy.low; }, 0, 1, "autonomy",
      "two_point: the low autonomy value"));
  table.push_back(real(
      "firm.autonomy.high", [](auto& p) -> auto& { return p.firm.autonomy.high; }, 0, 1, "autonomy",
      "two_point: the high autonomy value"));
  table.push_back(real(
      "firm.autonomy.share_high", [](auto& p) -> auto& { return p.firm.autonomy.share_high; }, 0, 1,
      "share of hires", "two_point: probability that a hire gets the high value"));
  // Managers.
  table.push_back(choice(
      "manager.policy", [](auto& p) -> auto& { return p.manager.policy; }, {"fixed"},
      "how managers set their team's pressure: fixed = manager.pressure throughout"));
  table.push_back(real(
      "manager.pressure", [](auto& p) -> auto& { return p.manager.pressure; }, 0, 1,
      "pressure (0 = none, 1 = full)",
      "team pressure to conform; 0.5 leaves socialisation at p1*(1-autonomy)"));
  // Market.
  table.push_back(real(
      "market.sensitivity", [](auto& p) -> auto& { return p.market.sensitivity; }, 0, 100,
      "per unit of innovation level",
      "beta: customers' weight on innovation; attractiveness = output per head * "
      "exp(beta * innovation)"));
  // Run.
  table.push_back(choice(
      "run.stop", [](auto& p) -> auto& { return p.run.stop; }, {"periods", "equilibrium"},
      "periods = run run.periods periods; equilibrium = stop when no belief or the code can "
      "change any more (one firm, no turnover, no turbulence), as March (1991) did"));
  table.push_back(integer(
      "run.periods", [](auto& p) -> auto& { return p.run.periods; }, 1, 1000000, "periods",
      "length of a run when run.stop = periods"));
  table.push_back(integer(
      "run.max_periods", [](auto& p) -> auto& { return p.run.max_periods; }, 1, 10000000, "periods",
      "run.stop = equilibrium: stop here even if equilibrium was not reached"));
  table.push_back(integer(
      "run.replications", [](auto& p) -> auto& { return p.run.replications; }, 1, 10000000, "runs",
      "independent replications, each with its own random streams (--replications)"));
  table.push_back(integer(
      "run.seed", [](auto& p) -> auto& { return p.run.seed; }, 0, kLargestExactInteger, "integer",
      "master seed; every random stream derives from it (--seed)"));
  // Output.
  table.push_back(integer(
      "output.every", [](auto& p) -> auto& { return p.output.every; }, 1, 1000000, "periods",
      "record the trajectories every this many periods"));
  return table;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1u : 0u)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string_view last_component(std::string_view key) {
  const auto dot = key.rfind('.');
  return dot == std::string_view::npos ? key : key.substr(dot + 1);
}

[[noreturn]] void fail(std::string_view where, const std::string& message) {
  throw ConfigError(std::string(where) + ": " + message);
}

}  // namespace

std::string ParameterSpec::range_text() const {
  if (kind == ValueKind::choice) {
    std::string text;
    for (const auto& name : choices) {
      if (!text.empty()) text.append(" | ");
      text.append(name);
    }
    return text;
  }
  auto bound = [this](double value) {
    return kind == ValueKind::integer ? std::to_string(static_cast<long long>(value))
                                      : number_text(value);
  };
  std::string text(min_exclusive ? "(" : "[");
  text.append(bound(min)).append(", ").append(bound(max)).append("]");
  return text;
}

std::string ParameterSpec::value_text(const ModelParams& params) const {
  const double value = read(params);
  if (kind == ValueKind::choice) return choices.at(static_cast<std::size_t>(value));
  if (kind == ValueKind::integer) {
    return std::to_string(static_cast<long long>(value));
  }
  return number_text(value);
}

const std::vector<ParameterSpec>& parameter_table() {
  static const std::vector<ParameterSpec> table = build_table();
  return table;
}

const ParameterSpec* find_parameter(std::string_view key) {
  for (const auto& spec : parameter_table()) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

std::string closest_parameter(std::string_view key) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, key.size() / 4) + 1;
  for (const auto& spec : parameter_table()) {
    const std::size_t distance = edit_distance(key, spec.key);
    if (distance < best_distance) {
      best_distance = distance;
      best = spec.key;
    }
  }
  if (!best.empty()) return best;
  // A key written without its section ("socialization") or in the wrong one.
  for (const auto& spec : parameter_table()) {
    if (last_component(spec.key) == last_component(key)) return spec.key;
  }
  return best;
}

void assign_parameter(ModelParams& params, std::string_view key, std::string_view text,
                      std::string_view where) {
  const ParameterSpec* spec = find_parameter(key);
  if (spec == nullptr) {
    const std::string suggestion = closest_parameter(key);
    fail(where, "unknown key '" + std::string(key) + "'" +
                    (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?") +
                    " ('orgsim params' lists every key)");
  }
  const std::string shown = std::string(key) + " = " + std::string(text);
  double value = 0.0;
  if (spec->kind == ValueKind::choice) {
    const auto found = std::find(spec->choices.begin(), spec->choices.end(), text);
    if (found == spec->choices.end()) {
      fail(where, shown + " is not one of " + spec->range_text() + "; use one of those");
    }
    value = static_cast<double>(found - spec->choices.begin());
  } else if (spec->kind == ValueKind::integer) {
    long long parsed = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
      fail(where, shown + " is not an integer; use a whole number in " + spec->range_text());
    }
    value = static_cast<double>(parsed);
  } else {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
        !std::isfinite(value)) {
      fail(where, shown + " is not a number; use a number in " + spec->range_text());
    }
  }
  const bool below = spec->min_exclusive ? value <= spec->min : value < spec->min;
  if (below || value > spec->max) {
    fail(where, shown + " is out of range " + spec->range_text() +
                    (spec->unit.empty() ? "" : " (" + spec->unit + ")") + "; use a value in " +
                    spec->range_text());
  }
  spec->assign(params, value);
}

void validate(const ModelParams& params) {
  const auto& autonomy = params.firm.autonomy;
  if (autonomy.distribution == AutonomyDistribution::beta &&
      (autonomy.mean <= 0.0 || autonomy.mean >= 1.0)) {
    throw ConfigError("firm.autonomy.mean = " + number_text(autonomy.mean) +
                      " is not strictly between 0 and 1, which firm.autonomy.dist = beta needs; "
                      "use fixed autonomy for 0 or 1");
  }
  if (autonomy.distribution == AutonomyDistribution::two_point && autonomy.low > autonomy.high) {
    throw ConfigError("firm.autonomy.low = " + number_text(autonomy.low) +
                      " is above firm.autonomy.high = " + number_text(autonomy.high) +
                      "; swap them");
  }
  if (params.run.stop == StopRule::equilibrium &&
      (params.env.turbulence > 0.0 || params.firm.turnover > 0.0)) {
    throw ConfigError(
        "run.stop = equilibrium needs env.turbulence = 0 and firm.turnover = 0 (got " +
        number_text(params.env.turbulence) + " and " + number_text(params.firm.turnover) +
        "): with either, beliefs never settle; use run.stop = periods");
  }
  const int horizon =
      params.run.stop == StopRule::periods ? params.run.periods : params.run.max_periods;
  if (params.output.every > horizon) {
    throw ConfigError("output.every = " + std::to_string(params.output.every) +
                      " is longer than the run (" + std::to_string(horizon) +
                      " periods), so nothing would be recorded; use a smaller output.every");
  }
}

std::string resolved_scenario_text(const ModelParams& params) {
  std::ostringstream text;
  for (const auto& spec : parameter_table()) {
    text << spec.key << " = " << spec.value_text(params) << "\n";
  }
  return text.str();
}

}  // namespace orgsim::model
