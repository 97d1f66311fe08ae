#include "orgsim/io/Replay.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <sstream>
#include <type_traits>
#include <variant>

#include "orgsim/core/Error.h"
#include "orgsim/core/NumberText.h"
#include "orgsim/engine/Design.h"
#include "orgsim/engine/Runner.h"
#include "orgsim/io/ResultReader.h"
#include "orgsim/io/ResultSchema.h"
#include "orgsim/io/RunRecord.h"
#include "orgsim/model/ParameterTable.h"

namespace orgsim::io {
namespace {

// A block of a dataset's values as bytes in its stored type (strings joined with NUL).
struct Values {
  ValueType type = ValueType::float64;
  std::vector<unsigned char> bytes;

  std::size_t width() const { return type == ValueType::int32 ? 4 : 8; }
  // Value k as text (for strings, the k-th NUL-terminated one).
  std::string text(std::size_t k) const {
    if (type == ValueType::text) {
      std::size_t begin = 0;
      for (std::size_t skipped = 0; skipped < k && begin < bytes.size(); ++begin) {
        if (bytes[begin] == 0) ++skipped;
      }
      std::string value;
      for (std::size_t i = begin; i < bytes.size() && bytes[i] != 0; ++i) {
        value += static_cast<char>(bytes[i]);
      }
      return "'" + value + "'";
    }
    if ((k + 1) * width() > bytes.size()) return "(none)";
    const unsigned char* at = bytes.data() + k * width();
    auto read = [at](auto value) {
      std::memcpy(&value, at, sizeof value);
      return value;
    };
    switch (type) {
      case ValueType::int64:
        return std::to_string(read(std::int64_t{0}));
      case ValueType::uint64:
        return std::to_string(read(std::uint64_t{0}));
      case ValueType::int32:
        return std::to_string(read(std::int32_t{0}));
      default:
        return number_text(read(0.0));
    }
  }
};

Values values_of(const std::vector<double>& values) {
  Values result;
  result.bytes.resize(values.size() * sizeof(double));
  if (!values.empty()) std::memcpy(result.bytes.data(), values.data(), result.bytes.size());
  return result;
}

Values values_of(ValueType type, const RunBlock::Column& column) {
  Values result;
  result.type = type;
  std::visit(
      [&](const auto& values) {
        for (const auto& value : values) {
          if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::string>) {
            result.bytes.insert(result.bytes.end(), value.begin(), value.end());
            result.bytes.push_back(0);
          } else {
            const auto* bytes = reinterpret_cast<const unsigned char*>(&value);
            result.bytes.insert(result.bytes.end(), bytes, bytes + sizeof value);
          }
        }
      },
      column);
  return result;
}

// The index of the first value where two blocks differ (bitwise, so NaN equals NaN).
std::size_t first_differing(const Values& a, const Values& b) {
  if (a.type == ValueType::text) {
    std::size_t k = 0;
    for (std::size_t i = 0; i < a.bytes.size() && i < b.bytes.size(); ++i) {
      if (a.bytes[i] != b.bytes[i]) return k;
      if (a.bytes[i] == 0) ++k;
    }
    return k;
  }
  const std::size_t width = a.width();
  for (std::size_t i = 0; i < a.bytes.size() && i < b.bytes.size(); ++i) {
    if (a.bytes[i] != b.bytes[i]) return i / width;
  }
  return std::min(a.bytes.size(), b.bytes.size()) / width;
}

// The first line where two texts differ.
std::string first_difference(const std::string& stored, const std::string& rebuilt) {
  std::istringstream a(stored), b(rebuilt);
  std::string line_a, line_b;
  for (;;) {
    const bool more_a = static_cast<bool>(std::getline(a, line_a));
    const bool more_b = static_cast<bool>(std::getline(b, line_b));
    if (!more_a && !more_b) return "the same";
    if (!more_a) line_a = "(nothing)";
    if (!more_b) line_b = "(nothing)";
    if (line_a != line_b) return "'" + line_a + "' recorded, '" + line_b + "' rebuilt";
  }
}

// The design of a file's `design` attribute (the lines of engine::Design::describe()), made
// again as the sweep made it: the same kind, factors, number of points and seed.
engine::Design design_of(const std::string& described, const std::string& scenario_text,
                         const std::string& path) {
  if (described.empty()) return engine::Design{};
  engine::DesignKind kind = engine::DesignKind::grid;
  std::vector<engine::Factor> factors;
  long points = 0;
  std::istringstream lines(described);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("design = ", 0) == 0) kind = engine::parse_design_kind(line.substr(9));
    if (line.rfind("vary ", 0) == 0) factors.push_back(engine::parse_factor(line.substr(5)));
    if (line.rfind("points = ", 0) == 0) points = std::stol(line.substr(9));
  }
  engine::Study::prepare_factors(factors);
  const long samples = kind == engine::DesignKind::saltelli
                           ? points / (static_cast<long>(factors.size()) + 2)
                           : points;
  const model::ScenarioSettings settings =
      model::settings_from_text(scenario_text, path + " scenario");
  return engine::make_design(kind, std::move(factors), samples, settings.run_spec().seed);
}

// The part of a file's fingerprint that is its study `scenario_name`'s (the fingerprint
// holds "study NAME" and that study's fingerprint for every scenario); the first study's
// when the file is not a comparison. Empty stays empty (a file without one).
std::string study_fingerprint(std::string fingerprint, bool comparison,
                              const std::string& scenario_name) {
  if (fingerprint.empty()) return fingerprint;
  const std::string heading = comparison ? "study " + scenario_name + "\n"
                                         : fingerprint.substr(0, fingerprint.find('\n') + 1);
  const auto from = fingerprint.rfind(heading, 0) == 0 ? 0 : fingerprint.find("\n" + heading);
  const auto begin = from == 0 ? heading.size() : from + 1 + heading.size();
  const auto end = from == std::string::npos ? from : fingerprint.find("\nstudy ", begin);
  return from == std::string::npos
             ? "(no such study)"
             : fingerprint.substr(begin, end == std::string::npos ? end : end + 1 - begin);
}

}  // namespace

ReplayOutcome replay_run(const std::string& path, std::size_t run,
                         const std::optional<std::string>& scenario) {
  const std::string scenario_name = scenario.value_or("");
  const ResultReader reader(path);
  ReplayOutcome outcome;
  outcome.orgsim_version = reader.attribute("orgsim_version");
  outcome.git_revision = reader.attribute("git_revision");

  // Which scenario: the file's only one, or the named one of a comparison.
  const bool comparison = reader.has_dataset("design/scenario_name");
  std::vector<std::uint64_t> leading;
  std::string scenario_text;
  if (comparison) {
    const auto count = reader.shape("design/scenario_name").at(0);
    std::string names;
    for (std::uint64_t s = 0; s < count; ++s) {
      const std::string name = reader.read_string("design/scenario_name", {s});
      names += (names.empty() ? "" : ", ") + name;
      if (name == scenario_name) leading.push_back(s);
    }
    if (leading.empty()) {
      throw ConfigError("'" + path + "' compares scenarios " + names +
                        "; choose one with --scenario NAME");
    }
    scenario_text = reader.attribute("scenario." + scenario_name);
  } else {
    if (!scenario_name.empty()) {
      throw ConfigError("'" + path + "' holds one scenario, not a comparison; replay it without " +
                        "--scenario " + scenario_name);
    }
    scenario_text = reader.attribute("scenario");
  }
  const auto runs = reader.shape("design/run").at(0);
  if (static_cast<std::uint64_t>(run) >= runs) {
    throw ConfigError("--run " + std::to_string(run) + " is out of range: '" + path +
                      "' has runs 0 to " + std::to_string(runs - 1));
  }
  std::vector<std::uint64_t> at = leading;
  at.push_back(static_cast<std::uint64_t>(run));
  if (reader.read_doubles("design/failed", at, std::vector<std::uint64_t>(at.size(), 1))[0] != 0) {
    outcome.status = ReplayOutcome::Status::run_failed;
    outcome.run_error = reader.read_string("design/error", at);
    return outcome;
  }

  // The study, rebuilt from the file's provenance: its resolved scenario, its design and
  // its fingerprint, which it must match.
  model::ScenarioSettings settings = model::settings_from_text(scenario_text, path + " scenario");
  const std::string fingerprint =
      study_fingerprint(reader.attribute("fingerprint"), comparison, scenario_name);
  const engine::Trajectories trajectories = fingerprint.rfind("trajectories = none\n", 0) == 0
                                                ? engine::Trajectories::none
                                                : engine::Trajectories::recorded;
  const engine::Study study(std::move(settings),
                            design_of(reader.attribute("design"), scenario_text, path),
                            trajectories);
  if (!fingerprint.empty() && study.fingerprint() != fingerprint) {
    outcome.status = ReplayOutcome::Status::study_differs;
    outcome.study_difference = first_difference(fingerprint, study.fingerprint());
    return outcome;
  }
  const engine::RunPlan plan = study.plan(run);
  const engine::RunResult result = engine::run(plan);

  // The rerun as the file would store it: through the same record and schema.
  const auto period_count = reader.shape("trajectories/period").at(0);
  const std::size_t firms = result.firm_names.size();
  std::vector<std::int32_t> periods;
  for (double period : reader.read_doubles("trajectories/period", {0}, {period_count})) {
    periods.push_back(static_cast<std::int32_t>(period));
  }
  const ResultSchema schema = result_schema({StudyInfo{scenario_name, "", &study}},
                                            result.firm_names, periods, 0, Provenance{}, "");
  RunBlock block;
  block.start(study, run, 1, 1, period_count, firms);
  block.add(0, RunRecord(RunRecord::encode(result), firms));
  outcome.periods = period_count;
  outcome.firms = firms;
  outcome.seed = plan.seed;
  outcome.replication = plan.replication;

  // Every per-run dataset of the run, compared byte for byte in its stored type.
  for (const auto& group : schema.groups) {
    // A --summaries-only file has no periods: its summaries are what there is to check.
    if (group.periods && period_count == 0) continue;
    // `variable`: value k is firm k % firms (of period k / firms for a trajectory).
    auto compare = [&](const DatasetSchema& dataset, const std::vector<std::uint64_t>& start,
                       const std::vector<std::uint64_t>& count, const Values& expected,
                       bool variable) {
      ReplayDifference difference;
      difference.dataset = group.name + "/" + dataset.name;
      ++outcome.checked;
      if (!reader.has_dataset(difference.dataset)) {
        difference.missing = true;
        outcome.differences.push_back(std::move(difference));
        return;
      }
      const Values stored{dataset.type, reader.read_bytes(difference.dataset, start, count)};
      if (stored.bytes == expected.bytes) return;
      const std::size_t index = first_differing(stored, expected);
      if (variable && firms > 0) {
        difference.firm = index % firms;
        if (group.periods && index / firms < periods.size())
          difference.period = periods[index / firms];
      }
      difference.stored = stored.text(index);
      difference.rerun = expected.text(index);
      outcome.differences.push_back(std::move(difference));
    };
    for (const auto& column : group.columns) {
      std::vector<std::uint64_t> start = at, count(at.size(), 1);
      if (column.source == Source::run) start = {at.back()}, count = {1};
      compare(column, start, count, values_of(column.type, block.column(column)), false);
    }
    for (const auto& variable : group.variables) {
      std::vector<std::uint64_t> start = at, count(at.size(), 1);
      if (group.periods) {
        start.insert(start.end(), {0, 0});
        count.insert(count.end(), {period_count, firms});
      } else {
        start.push_back(0);
        count.push_back(firms);
      }
      const std::vector<double>& rerun = variable.source == Source::trajectory
                                             ? block.trajectory(variable.index)
                                             : block.summary(variable.index);
      compare(variable, start, count, values_of(rerun), true);
    }
  }
  outcome.status = outcome.differences.empty() ? ReplayOutcome::Status::reproduced
                                               : ReplayOutcome::Status::differs;
  return outcome;
}

}  // namespace orgsim::io
