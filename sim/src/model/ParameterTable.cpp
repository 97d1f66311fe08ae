#include "orgsim/model/ParameterTable.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <type_traits>

#include "orgsim/core/Error.h"
#include "orgsim/core/NumberText.h"

namespace orgsim::model {
namespace {

// Seeds and counts pass through a double on their way in; 2^53 keeps them exact.
constexpr double kLargestExactInteger = 9007199254740992.0;

template <class T>
void store(T& target, double value) {
  static_assert(!std::is_enum_v<T>, "choice keys map names to enumerators with a table");
  target = static_cast<T>(value);
}

template <class T>
double load(const T& source) {
  static_assert(!std::is_enum_v<T>, "choice keys map names to enumerators with a table");
  return static_cast<double>(source);
}

// A choice's enumerator from its position among the names, and back.
template <class E, std::size_t N>
E enumerator_at(const NamedValue<E> (&names)[N], double position) {
  return names[static_cast<std::size_t>(position)].value;
}

template <class E, std::size_t N>
double position_of(const NamedValue<E> (&names)[N], E value) {
  for (std::size_t k = 0; k < N; ++k) {
    if (names[k].value == value) return static_cast<double>(k);
  }
  throw std::logic_error("an enumerator without a name in its table");
}

// Builds a spec from an accessor `field(params) -> T&` that works on const and non-const
// params alike, so that each parameter names its field exactly once. PerGroup keys'
// accessors also work on GroupParams.
template <bool PerGroup, class Field>
ParameterSpec make_spec(std::string key, ValueKind kind, Field field, double min, double max,
                        std::string unit, std::string meaning) {
  ParameterSpec spec;
  spec.key = std::move(key);
  spec.kind = kind;
  spec.min = min;
  spec.max = max;
  spec.unit = std::move(unit);
  spec.meaning = std::move(meaning);
  spec.assign = [field](ModelParams& params, double value) { store(field(params), value); };
  spec.read = [field](const ModelParams& params) { return load(field(params)); };
  if constexpr (PerGroup) {
    spec.per_group = true;
    spec.assign_group = [field](GroupParams& params, double value) { store(field(params), value); };
    spec.read_group = [field](const GroupParams& params) { return load(field(params)); };
  }
  return spec;
}

template <bool PerGroup = false, class Field>
ParameterSpec real(std::string key, Field field, double min, double max, std::string unit,
                   std::string meaning) {
  return make_spec<PerGroup>(std::move(key), ValueKind::real, field, min, max, std::move(unit),
                             std::move(meaning));
}

template <bool PerGroup = false, class Field>
ParameterSpec positive_real(std::string key, Field field, double max, std::string unit,
                            std::string meaning) {
  ParameterSpec spec =
      real<PerGroup>(std::move(key), field, 0.0, max, std::move(unit), std::move(meaning));
  spec.min_exclusive = true;
  return spec;
}

template <bool PerGroup = false, class Field>
ParameterSpec integer(std::string key, Field field, double min, double max, std::string unit,
                      std::string meaning) {
  return make_spec<PerGroup>(std::move(key), ValueKind::integer, field, min, max, std::move(unit),
                             std::move(meaning));
}

template <bool PerGroup = false, class Field, class E, std::size_t N>
ParameterSpec choice(std::string key, Field field, const NamedValue<E> (&names)[N],
                     std::string meaning) {
  ParameterSpec spec;
  spec.key = std::move(key);
  spec.kind = ValueKind::choice;
  spec.min = 0.0;
  spec.max = static_cast<double>(N - 1);
  spec.meaning = std::move(meaning);
  for (const auto& named : names) spec.choices.emplace_back(named.name);
  spec.assign = [field, &names](ModelParams& params, double value) {
    field(params) = enumerator_at(names, value);
  };
  spec.read = [field, &names](const ModelParams& params) {
    return position_of(names, field(params));
  };
  if constexpr (PerGroup) {
    spec.per_group = true;
    spec.assign_group = [field, &names](GroupParams& params, double value) {
      field(params) = enumerator_at(names, value);
    };
    spec.read_group = [field, &names](const GroupParams& params) {
      return position_of(names, field(params));
    };
  }
  return spec;
}

// A key of the run specification: an integer field of RunSpec.
template <class Field>
ParameterSpec run_spec(std::string key, Field field, double min, double max, std::string unit,
                       std::string meaning, std::string fixed_because) {
  ParameterSpec spec;
  spec.key = std::move(key);
  spec.kind = ValueKind::integer;
  spec.min = min;
  spec.max = max;
  spec.unit = std::move(unit);
  spec.meaning = std::move(meaning);
  spec.fixed_because = std::move(fixed_because);
  spec.assign_run = [field](RunSpec& run, double value) { store(field(run), value); };
  spec.read_run = [field](const RunSpec& run) { return load(field(run)); };
  return spec;
}

constexpr const char* kPairingReason =
    "replications and seeds are what pair the design points; use --replications and --seed";

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
  table.push_back(integer<true>(
      "firm.employees", [](auto& p) -> auto& { return p.firm.employees; }, 1, 100000, "employees",
      "n: employees per firm at the start of a run"));
  table.push_back(real<true>(
      "firm.turnover", [](auto& p) -> auto& { return p.firm.turnover; }, 0, 1,
      "probability per employee per period",
      "p3: chance that an employee is replaced by a fresh hire each period"));
  table.push_back(real<true>(
      "firm.socialization", [](auto& p) -> auto& { return p.firm.socialization; }, 0, 1,
      "probability per belief per period",
      "p1: March's socialisation rate; a belief that differs from a non-zero code moves one step "
      "towards it with probability min(1, p1*(1-autonomy)*(0.5+pressure))"));
  table.push_back(real<true>(
      "firm.code_learning", [](auto& p) -> auto& { return p.firm.code_learning; }, 0, 1,
      "probability per superior-group vote",
      "p2: March's code-learning rate; the code adopts the superior group's majority on a "
      "dimension with probability 1-(1-p2)^k, k the majority's margin"));
  table.push_back(choice<true>(
      "firm.autonomy.dist", [](auto& p) -> auto& { return p.firm.autonomy.distribution; },
      kAutonomyDistributionNames,
      "how autonomy in [0,1] is drawn at hire: fixed = autonomy.mean for everyone; beta with "
      "autonomy.mean and autonomy.concentration; two_point = autonomy.high with probability "
      "autonomy.share_high, else autonomy.low"));
  table.push_back(real<true>(
      "firm.autonomy.mean", [](auto& p) -> auto& { return p.firm.autonomy.mean; }, 0, 1,
      "autonomy (0 = follows orders, 1 = fully autonomous)",
      "fixed: every employee's autonomy; beta: the distribution's mean (strictly inside (0,1))"));
  table.push_back(positive_real<true>(
      "firm.autonomy.concentration", [](auto& p) -> auto& { return p.firm.autonomy.concentration; },
      1e6, "dimensionless",
      "beta: concentration c; the shape parameters are mean*c and (1-mean)*c"));
  table.push_back(real<true>(
      "firm.autonomy.low", [](auto& p) -> auto& { return p.firm.autonomy.low; }, 0, 1, "autonomy",
      "two_point: the low autonomy value"));
  table.push_back(real<true>(
      "firm.autonomy.high", [](auto& p) -> auto& { return p.firm.autonomy.high; }, 0, 1, "autonomy",
      "two_point: the high autonomy value"));
  table.push_back(real<true>(
      "firm.autonomy.share_high", [](auto& p) -> auto& { return p.firm.autonomy.share_high; }, 0, 1,
      "share of hires", "two_point: probability that a hire gets the high value"));
  table.push_back(integer<true>(
      "firm.span_of_control", [](auto& p) -> auto& { return p.firm.span_of_control; }, 1, 100000,
      "employees per manager",
      "production employees per team; teams are fixed by position, one manager each"));
  table.push_back(real<true>(
      "firm.coordination_cost", [](auto& p) -> auto& { return p.firm.coordination_cost; }, 0, 10,
      "output per unit of deviation",
      "gamma: a producer's output falls by gamma * D_i, D_i the share of dimensions where it "
      "acts against a non-zero code"));
  table.push_back(real<true>(
      "firm.experiment_rate", [](auto& p) -> auto& { return p.firm.experiment_rate; }, 0, 1,
      "experiments per producer per period at autonomy 1, no pressure",
      "epsilon: a producer experiments with probability autonomy * epsilon * (1 - pressure), "
      "and loses that share of its output"));
  table.push_back(real<true>(
      "firm.experiment_accuracy", [](auto& p) -> auto& { return p.firm.experiment_accuracy; }, 0, 1,
      "probability per experiment",
      "q: an experiment sees the true value of one random dimension with probability q, else "
      "the wrong one, and the belief becomes what it saw"));
  table.push_back(integer<true>(
      "firm.explore_probes", [](auto& p) -> auto& { return p.firm.explore_probes; }, 0, 1024,
      "experiments per explorer per period", "experiments each exploration employee runs"));
  table.push_back(real<true>(
      "firm.peer_learning", [](auto& p) -> auto& { return p.firm.peer_learning; }, 0, 1,
      "probability per candidate belief per period at unanimous better peers",
      "p5: leading by example (step 5b); where the autonomy-weighted example E of an "
      "employee's better-performing peers in the network has a sign the belief does not "
      "hold, the belief moves one step towards it with probability p5*|E|/W, W the better "
      "peers' total autonomy; 0 = off, and then no network is built"));
  table.push_back(real<true>(
      "firm.peer.cross_rate", [](auto& p) -> auto& { return p.firm.peer.cross_rate; }, 0, 100,
      "ties per position",
      "lambda: besides its team block (span_of_control positions), each position of the peer "
      "network draws Poisson(lambda) ties to positions outside its block, uniformly with "
      "replacement; ties are undirected, duplicates merged (used only when peer_learning > 0)"));
  // Managers.
  table.push_back(choice<true>(
      "manager.policy", [](auto& p) -> auto& { return p.manager.policy; }, kManagerPolicyNames,
      "how managers set their team's pressure: hill_climb = every kpi_window periods move "
      "by manager.step in the direction that last raised the team's mean output, reversing "
      "when it fell (a myopic short-range view); fixed = manager.pressure throughout"));
  table.push_back(real<true>(
      "manager.pressure", [](auto& p) -> auto& { return p.manager.pressure; }, 0, 1,
      "pressure (0 = none, 1 = full)",
      "team pressure to conform (fixed policy; the hill-climber's start); 0.5 leaves "
      "socialisation at p1*(1-autonomy)"));
  table.push_back(integer<true>(
      "manager.kpi_window", [](auto& p) -> auto& { return p.manager.kpi_window; }, 1, 100000,
      "periods", "periods of team output a manager compares with the window before"));
  table.push_back(real<true>(
      "manager.step", [](auto& p) -> auto& { return p.manager.step; }, 0, 1, "pressure",
      "change of pressure per review (hill_climb)"));
  table.push_back(choice<true>(
      "manager.on_tie", [](auto& p) -> auto& { return p.manager.on_tie; }, kTieRuleNames,
      "hill_climb: what a review does when the window's mean output per producer ties the "
      "previous window's (differs by at most 1e-12 * max(1, |previous|)): hold = the "
      "pressure stays and the direction is kept for the next move; keep = one more step in "
      "the last direction (revision 1's rule). The first review moves in the manager's "
      "initial direction under both"));
  // Leaders.
  table.push_back(choice<true>(
      "leader.policy", [](auto& p) -> auto& { return p.leader.policy; }, kLeaderPolicyNames,
      "how the leader sets the exploration share x_f every leader.cycle periods: fixed = "
      "leader.explore_share; value = step up while the value of the innovation trend over "
      "the horizon exceeds the output explorers cost (it follows the trend of innovation, "
      "not its level); relative = step up while trailing the best rival's innovation by "
      "more than the comfort margin, down while leading by more, else back towards "
      "explore_share; python: a Python function passed to orgsim.run / orgsim.Simulation "
      "(see docs/python.md); the command line refuses it"));
  table.push_back(real<true>(
      "leader.explore_share", [](auto& p) -> auto& { return p.leader.explore_share; }, 0, 1,
      "share of headcount",
      "x_f at the start: fixed keeps it, relative returns to it, value starts from it"));
  table.push_back(real<true>(
      "leader.step", [](auto& p) -> auto& { return p.leader.step; }, 0, 1, "share of headcount",
      "change of x_f per cycle (value, relative)"));
  table.push_back(integer<true>(
      "leader.horizon", [](auto& p) -> auto& { return p.leader.horizon; }, 0, 1000000, "periods",
      "H: how long the value policy expects an innovation gain to pay"));
  table.push_back(real<true>(
      "leader.max_share", [](auto& p) -> auto& { return p.leader.max_share; }, 0, 1,
      "share of headcount", "the most of its headcount a leader puts into exploration"));
  table.push_back(integer<true>(
      "leader.cycle", [](auto& p) -> auto& { return p.leader.cycle; }, 1, 1000000, "periods",
      "periods between the leader's decisions (and the board's reviews)"));
  table.push_back(real<true>(
      "leader.comfort_margin", [](auto& p) -> auto& { return p.leader.comfort_margin; }, 0, 1,
      "innovation level", "relative: innovation gap to the best rival tolerated either way"));
  table.push_back(integer<true>(
      "leader.memory", [](auto& p) -> auto& { return p.leader.memory; }, 1, 100, "cycles",
      "value: the leader reads the innovation trend over the last c = min(memory, cycles "
      "since it took over) cycles: V = (I now - I c cycles ago) / c * H * Y now - mean "
      "exploration cost per cycle over those c cycles"));
  table.push_back(real<true>(
      "leader.min_share", [](auto& p) -> auto& { return p.leader.min_share; }, 0, 1,
      "share of headcount",
      "the least of its headcount a leader puts into exploration: every policy, the start "
      "and the board's new leader keep x_f at or above it, and above 0 at least one "
      "employee explores (at most leader.max_share)"));
  // Market.
  table.push_back(real(
      "market.sensitivity", [](auto& p) -> auto& { return p.market.sensitivity; }, 0, 100,
      "per unit of innovation level",
      "beta: customers' weight on innovation; attractiveness = output per head * "
      "exp(beta * innovation)"));
  table.push_back(real(
      "market.resource_feedback", [](auto& p) -> auto& { return p.market.resource_feedback; }, 0, 1,
      "share of the headcount gap per period",
      "rho: each period a firm accrues rho * (share * industry headcount - headcount) and "
      "hires (or lays off) one employee each time that passes +1 (or -1); 0 = fixed headcounts"));
  table.push_back(integer(
      "market.min_headcount", [](auto& p) -> auto& { return p.market.min_headcount; }, 1, 100000,
      "employees", "lay-offs never take a firm below this headcount"));
  // Board.
  table.push_back(integer(
      "board.patience", [](auto& p) -> auto& { return p.board.patience; }, 0, 1000000,
      "leader cycles",
      "P: the board replaces a leader whose firm ranked last in market share for P "
      "consecutive leader cycles (0 = never); the new leader keeps the policy and restarts "
      "from an exploration share drawn uniformly in [leader.min_share, leader.max_share]"));
  // Summaries.
  table.push_back(positive_real(
      "summary.late_share", [](auto& p) -> auto& { return p.summary.late_share; }, 1,
      "share of the periods run",
      "the late window of the summaries late_*: the last max(1, round-half-up(late_share * T)) "
      "of the T periods run, every period counted whatever output.every records"));
  // Run.
  table.push_back(choice(
      "run.stop", [](auto& p) -> auto& { return p.run.stop; }, kStopRuleNames,
      "periods = run run.periods periods; equilibrium = stop when no belief or the code can "
      "change any more (one firm, no turnover, no turbulence), as March (1991) did"));
  table.push_back(integer(
      "run.periods", [](auto& p) -> auto& { return p.run.periods; }, 1, 1000000, "periods",
      "length of a run when run.stop = periods"));
  table.push_back(integer(
      "run.max_periods", [](auto& p) -> auto& { return p.run.max_periods; }, 1, 10000000, "periods",
      "run.stop = equilibrium: stop here even if equilibrium was not reached"));
  table.push_back(run_spec(
      "run.replications", [](auto& r) -> auto& { return r.replications; }, 1, 10000000, "runs",
      "independent replications, each with its own random streams (--replications)",
      kPairingReason));
  table.push_back(run_spec(
      "run.seed", [](auto& r) -> auto& { return r.seed; }, 0, kLargestExactInteger, "integer",
      "master seed; every random stream derives from it (--seed)", kPairingReason));
  // Output.
  table.push_back(run_spec(
      "output.every", [](auto& r) -> auto& { return r.every; }, 1, 1000000, "periods",
      "record the trajectories every this many periods", "every run must record the same periods"));
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

bool valid_group_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
  });
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

std::string ParameterSpec::format(double value) const {
  if (kind == ValueKind::choice) return choices.at(static_cast<std::size_t>(value));
  if (kind == ValueKind::integer) return std::to_string(static_cast<long long>(value));
  return number_text(value);
}

double ParameterSpec::parse(std::string_view text, std::string_view where) const {
  const std::string shown = key + " = " + std::string(text);
  double value = 0.0;
  if (kind == ValueKind::choice) {
    const auto found = std::find(choices.begin(), choices.end(), text);
    if (found == choices.end()) {
      fail(where, shown + " is not one of " + range_text() + "; use one of those");
    }
    return static_cast<double>(found - choices.begin());
  }
  if (kind == ValueKind::integer) {
    long long parsed = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
      fail(where, shown + " is not an integer; use a whole number in " + range_text());
    }
    value = static_cast<double>(parsed);
  } else {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
        !std::isfinite(value)) {
      fail(where, shown + " is not a number; use a number in " + range_text());
    }
  }
  const bool below = min_exclusive ? value <= min : value < min;
  if (below || value > max) {
    fail(where, shown + " is out of range " + range_text() +
                    (unit.empty() ? "" : " (" + unit + ")") + "; use a value in " + range_text());
  }
  return value;
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

namespace {

[[noreturn]] void unknown_key(std::string_view key, std::string_view where,
                              std::string_view context) {
  const std::string suggestion = closest_parameter(key);
  fail(where, "unknown key '" + std::string(key) + "'" + std::string(context) +
                  (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?") +
                  " ('orgsim params' lists every key)");
}

}  // namespace

void assign_parameter(ModelParams& params, RunSpec& run, std::string_view key,
                      std::string_view text, std::string_view where) {
  const ParameterSpec* spec = find_parameter(key);
  if (spec == nullptr) unknown_key(key, where, "");
  const double value = spec->parse(text, where);
  if (spec->is_run_spec()) {
    spec->assign_run(run, value);
  } else {
    spec->assign(params, value);
  }
}

void assign_parameter(ModelParams& params, std::string_view key, std::string_view text,
                      std::string_view where) {
  const ParameterSpec* spec = find_parameter(key);
  if (spec != nullptr && spec->is_run_spec()) {
    fail(where, std::string(key) +
                    " says how a scenario is run, not what it models: it is "
                    "not a model parameter");
  }
  RunSpec ignored;
  assign_parameter(params, ignored, key, text, where);
}

ScenarioSettings::Group& ScenarioSettings::group(const std::string& name) {
  for (auto& existing : groups_) {
    if (existing.name == name) return existing;
  }
  return groups_.emplace_back(Group{name, std::nullopt, "", {}});
}

void ScenarioSettings::set(std::string_view key, std::string_view text, std::string_view where) {
  constexpr std::string_view kGroupPrefix = "group.";
  if (key.substr(0, kGroupPrefix.size()) != kGroupPrefix) {
    assign_parameter(params_, run_, key, text, where);
    return;
  }
  const std::string_view rest = key.substr(kGroupPrefix.size());
  const auto dot = rest.find('.');
  const std::string name(rest.substr(0, dot));
  if (!valid_group_name(name)) {
    fail(where, "group name '" + name + "' in '" + std::string(key) +
                    "' must be letters, digits, '_' or '-'; write group.NAME.KEY, for "
                    "example group.rivals.count");
  }
  if (dot == std::string_view::npos) {
    fail(where, "'" + std::string(key) + "' names no setting; write group." + name +
                    ".count or group." + name + ".firm.employees and the like");
  }
  const std::string_view setting = rest.substr(dot + 1);
  if (setting == "count") {
    Group& entry = group(name);
    entry.count_text = std::string(text);
    entry.count_where = std::string(where);
    return;
  }
  const ParameterSpec* spec = find_parameter(setting);
  if (spec == nullptr) unknown_key(setting, where, " in group '" + name + "'");
  if (!spec->per_group) {
    fail(where, std::string(setting) + " cannot be set per group ('" + std::string(key) +
                    "'): only firm.*, manager.* and leader.* keys can; set it without the "
                    "group." +
                    name + ". prefix");
  }
  spec->parse(text, where);  // report a bad value where it was written
  // The group is recorded only now that the setting is valid: a rejected one leaves no group
  // without count or settings behind.
  Group& entry = group(name);
  entry.settings.push_back(Setting{std::string(setting), std::string(text), std::string(where)});
}

ModelParams ScenarioSettings::resolve() const {
  ModelParams params = params_;
  params.groups.clear();
  for (const auto& entry : groups_) {
    if (!entry.count_text) {
      fail(entry.settings.front().where,
           "group '" + entry.name + "' has settings but no count; declare it with group." +
               entry.name + ".count = N (under [group." + entry.name + "]: count = N)");
    }
    FirmGroup group;
    group.name = entry.name;
    constexpr double kMaxFirmsPerGroup = 1000;
    ParameterSpec count_spec;
    count_spec.key = "group." + entry.name + ".count";
    count_spec.kind = ValueKind::integer;
    count_spec.min = 1;
    count_spec.max = kMaxFirmsPerGroup;
    count_spec.unit = "firms";
    group.count = static_cast<int>(count_spec.parse(*entry.count_text, entry.count_where));
    group.params = static_cast<const GroupParams&>(params);
    for (const auto& setting : entry.settings) {
      const ParameterSpec* spec = find_parameter(setting.key);
      spec->assign_group(group.params, spec->parse(setting.text, setting.where));
    }
    params.groups.push_back(std::move(group));
  }
  return params;
}

namespace {

void validate_group(const GroupParams& group, const std::string& prefix) {
  const auto& autonomy = group.firm.autonomy;
  if (autonomy.distribution == AutonomyDistribution::beta &&
      (autonomy.mean <= 0.0 || autonomy.mean >= 1.0)) {
    throw ConfigError(prefix + "firm.autonomy.mean = " + number_text(autonomy.mean) +
                      " is not strictly between 0 and 1, which firm.autonomy.dist = beta needs; "
                      "use fixed autonomy for 0 or 1");
  }
  if (autonomy.distribution == AutonomyDistribution::two_point && autonomy.low > autonomy.high) {
    throw ConfigError(prefix + "firm.autonomy.low = " + number_text(autonomy.low) +
                      " is above firm.autonomy.high = " + number_text(autonomy.high) +
                      "; swap them");
  }
  if (group.leader.explore_share > group.leader.max_share) {
    throw ConfigError(prefix + "leader.explore_share = " + number_text(group.leader.explore_share) +
                      " is above leader.max_share = " + number_text(group.leader.max_share) +
                      "; lower the share or raise the maximum");
  }
  if (group.leader.min_share > group.leader.max_share) {
    throw ConfigError(prefix + "leader.min_share = " + number_text(group.leader.min_share) +
                      " is above leader.max_share = " + number_text(group.leader.max_share) +
                      "; lower the floor or raise the maximum");
  }
  if (group.firm.employees < 1) {
    throw ConfigError(prefix + "firm.employees must be at least 1");
  }
}

}  // namespace

void validate(const ModelParams& params) {
  const auto groups = firm_groups(params);
  validate_group(params, "");
  for (const auto& group : groups) validate_group(group.params, "group " + group.name + ": ");
  for (const auto& group : groups) {
    if (group.params.firm.employees < params.market.min_headcount &&
        params.market.resource_feedback > 0.0) {
      throw ConfigError(
          "group " + group.name +
          ": firm.employees = " + std::to_string(group.params.firm.employees) +
          " is below market.min_headcount = " + std::to_string(params.market.min_headcount) +
          "; raise the headcount or lower the floor");
    }
  }
  if (params.run.stop == StopRule::equilibrium) {
    if (params.env.turbulence > 0.0 || groups.front().params.firm.turnover > 0.0) {
      throw ConfigError(
          "run.stop = equilibrium needs env.turbulence = 0 and firm.turnover = 0 (got " +
          number_text(params.env.turbulence) + " and " +
          number_text(groups.front().params.firm.turnover) +
          "): with either, beliefs never settle; use run.stop = periods");
    }
    if (firm_count(params) != 1) {
      throw ConfigError("run.stop = equilibrium needs a single firm (got " +
                        std::to_string(firm_count(params)) +
                        "): a race has no equilibrium; use run.stop = periods");
    }
    const GroupParams& only = groups.front().params;
    if (only.firm.experiment_rate > 0.0 || only.leader.explore_share > 0.0 ||
        only.leader.policy != LeaderPolicy::fixed) {
      throw ConfigError(
          "run.stop = equilibrium needs firm.experiment_rate = 0 and a fixed leader with "
          "leader.explore_share = 0: experiments keep changing beliefs; use run.stop = periods");
    }
    if (only.firm.peer_learning > 0.0) {
      // The settled test knows nothing of example: colleagues' coin flips on dimensions
      // the code has no view on keep moving beliefs that could later beat the code.
      throw ConfigError("run.stop = equilibrium needs firm.peer_learning = 0 (got " +
                        number_text(only.firm.peer_learning) +
                        "): following better peers' actions keeps changing beliefs; use "
                        "run.stop = periods");
    }
  }
}

void validate(const ModelParams& params, const RunSpec& run) {
  validate(params);
  const int horizon =
      params.run.stop == StopRule::periods ? params.run.periods : params.run.max_periods;
  if (run.every > horizon) {
    throw ConfigError(
        "output.every = " + std::to_string(run.every) + " is longer than the run (" +
        std::to_string(horizon) +
        " periods), so nothing would be recorded; use a smaller output.every (--every K), or "
        "--summaries-only to record no trajectories");
  }
}

std::string resolved_scenario_text(const ModelParams& params, const RunSpec& run) {
  std::ostringstream text;
  for (const auto& spec : parameter_table()) {
    text << spec.key << " = " << spec.format(spec.value_in(params, run)) << "\n";
  }
  for (const auto& group : params.groups) {
    text << "group." << group.name << ".count = " << group.count << "\n";
    for (const auto& spec : parameter_table()) {
      if (!spec.per_group) continue;
      const double value = spec.read_group(group.params);
      if (spec.format(value) != spec.format(spec.read(params))) {
        text << "group." << group.name << "." << spec.key << " = " << spec.format(value) << "\n";
      }
    }
  }
  return text.str();
}

ModelParams march_reduction(double socialization, double code_learning) {
  ModelParams params;
  params.env.dimensions = 30;
  params.env.turbulence = 0.0;
  params.firm.employees = 50;
  params.firm.turnover = 0.0;
  params.firm.socialization = socialization;
  params.firm.code_learning = code_learning;
  params.firm.autonomy.distribution = AutonomyDistribution::fixed;
  params.firm.autonomy.mean = 0.0;
  params.firm.experiment_rate = 0.0;
  params.firm.coordination_cost = 0.0;
  params.manager.policy = ManagerPolicy::fixed;
  params.manager.pressure = 0.5;
  params.leader.policy = LeaderPolicy::fixed;
  params.leader.explore_share = 0.0;
  params.run.stop = StopRule::equilibrium;
  return params;
}

std::vector<FirmGroup> firm_groups(const ModelParams& params) {
  if (!params.groups.empty()) return params.groups;
  return {FirmGroup{"focal", 1, static_cast<const GroupParams&>(params)}};
}

ScenarioSettings settings_from_text(const std::string& text, const std::string& where) {
  ScenarioSettings settings;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto equals = line.find('=');
    if (equals == std::string::npos) {
      fail(where + ":" + std::to_string(number), "expected 'key = value', got '" + line + "'");
    }
    auto trim = [](std::string value) {
      const auto begin = value.find_first_not_of(" \t\r");
      const auto end = value.find_last_not_of(" \t\r");
      return begin == std::string::npos ? std::string() : value.substr(begin, end - begin + 1);
    };
    settings.set(trim(line.substr(0, equals)), trim(line.substr(equals + 1)),
                 where + ":" + std::to_string(number));
  }
  return settings;
}

std::vector<std::string> firm_names(const ModelParams& params) {
  std::vector<std::string> names;
  for (const auto& group : firm_groups(params)) {
    for (int k = 0; k < group.count; ++k) {
      names.push_back(group.count == 1 ? group.name : group.name + "-" + std::to_string(k + 1));
    }
  }
  return names;
}

int firm_count(const ModelParams& params) {
  int count = 0;
  for (const auto& group : firm_groups(params)) count += group.count;
  return count;
}

}  // namespace orgsim::model
