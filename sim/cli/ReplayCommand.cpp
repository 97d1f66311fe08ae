// orgsim replay: reruns one run of a result file from the file's own provenance (its
// resolved scenario and design, rebuilt and checked against its fingerprint) and checks
// that every per-run dataset of the run (trajectories, summaries and the design row) is
// what the rerun, stored through the same record and schema, would write, bit for bit.

#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <iostream>
#include <sstream>
#include <type_traits>
#include <variant>

#include "Commands.h"
#include "orgsim/core/Error.h"
#include "orgsim/core/NumberText.h"
#include "orgsim/engine/Design.h"
#include "orgsim/engine/Runner.h"
#include "orgsim/io/ResultReader.h"
#include "orgsim/io/ResultSchema.h"
#include "orgsim/io/RunRecord.h"
#include "orgsim/model/ParameterTable.h"

namespace orgsim::cli {
namespace {

constexpr const char* kReplayUsage =
    "usage: orgsim replay FILE.h5 --run K [--scenario NAME]\n\n"
    "Reruns run K of a result file from the provenance stored in it and checks that every\n"
    "dataset of the run (its trajectories, summaries and design row) comes out bit for bit\n"
    "the same, naming the first that does not. --scenario picks the scenario of a\n"
    "comparison (orgsim compare) by name.\n";

// A block of a dataset's values as bytes in its stored type (strings joined with NUL).
struct Values {
  io::ValueType type = io::ValueType::float64;
  std::vector<unsigned char> bytes;

  std::size_t width() const { return type == io::ValueType::int32 ? 4 : 8; }
  // Value k as text (for strings, the k-th NUL-terminated one).
  std::string text(std::size_t k) const {
    if (type == io::ValueType::text) {
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
      case io::ValueType::int64:
        return std::to_string(read(std::int64_t{0}));
      case io::ValueType::uint64:
        return std::to_string(read(std::uint64_t{0}));
      case io::ValueType::int32:
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

Values values_of(io::ValueType type, const io::RunBlock::Column& column) {
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
  if (a.type == io::ValueType::text) {
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

}  // namespace

int replay_command(const std::vector<std::string>& args) {
  std::string path;
  std::string scenario_name;
  long run = -1;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      std::cout << kReplayUsage;
      return kExitOk;
    }
    if (args[i] == "--run" && i + 1 < args.size()) {
      const std::string& text = args[++i];
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), run);
      if (error != std::errc() || end != text.data() + text.size() || run < 0) {
        throw ConfigError("--run " + text + " is not a run number; give one of the file's runs");
      }
    } else if (args[i] == "--scenario" && i + 1 < args.size()) {
      scenario_name = args[++i];
    } else if (!args[i].empty() && args[i][0] != '-' && path.empty()) {
      path = args[i];
    } else {
      throw ConfigError("unexpected argument '" + args[i] +
                        "'; usage: orgsim replay FILE.h5 --run K");
    }
  }
  if (path.empty() || run < 0) {
    throw ConfigError("usage: orgsim replay FILE.h5 --run K [--scenario NAME]");
  }
  const io::ResultReader reader(path);

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
    std::cout << "run " << run << " failed when it was made ("
              << reader.read_string("design/error", at) << "); there is nothing to compare\n";
    return kExitFailure;
  }

  // The study, rebuilt from the file's provenance: its resolved scenario, its design and
  // its fingerprint, which it must match.
  model::ScenarioSettings settings = model::settings_from_text(scenario_text, path + " scenario");
  // The fingerprint holds "study NAME" and that study's fingerprint for every scenario.
  std::string fingerprint = reader.attribute("fingerprint");
  if (!fingerprint.empty()) {
    const std::string heading = comparison ? "study " + scenario_name + "\n"
                                           : fingerprint.substr(0, fingerprint.find('\n') + 1);
    const auto from = fingerprint.rfind(heading, 0) == 0 ? 0 : fingerprint.find("\n" + heading);
    const auto begin = from == 0 ? heading.size() : from + 1 + heading.size();
    const auto end = from == std::string::npos ? from : fingerprint.find("\nstudy ", begin);
    fingerprint = from == std::string::npos
                      ? "(no such study)"
                      : fingerprint.substr(begin, end == std::string::npos ? end : end + 1 - begin);
  }
  const engine::Trajectories trajectories = fingerprint.rfind("trajectories = none\n", 0) == 0
                                                ? engine::Trajectories::none
                                                : engine::Trajectories::recorded;
  const engine::Study study(std::move(settings),
                            design_of(reader.attribute("design"), scenario_text, path),
                            trajectories);
  if (!fingerprint.empty() && study.fingerprint() != fingerprint) {
    std::cout << "run " << run << " of " << path
              << " does NOT reproduce: its scenario and design, read back, make a different "
                 "study than it records ("
              << first_difference(fingerprint, study.fingerprint()) << ")\n";
    return kExitFailure;
  }
  const engine::RunPlan plan = study.plan(static_cast<std::size_t>(run));
  const engine::RunResult result = engine::run(plan);

  // The rerun as the file would store it: through the same record and schema.
  const auto period_count = reader.shape("trajectories/period").at(0);
  const std::size_t firms = result.firm_names.size();
  std::vector<std::int32_t> periods;
  for (double period : reader.read_doubles("trajectories/period", {0}, {period_count})) {
    periods.push_back(static_cast<std::int32_t>(period));
  }
  const io::ResultSchema schema =
      io::result_schema({io::StudyInfo{scenario_name, "", &study}}, result.firm_names, periods, 0,
                        io::Provenance{}, "");
  io::RunBlock block;
  block.start(study, static_cast<std::size_t>(run), 1, 1, period_count, firms);
  block.add(0, io::RunRecord(io::RunRecord::encode(result), firms));

  // Every per-run dataset of the run, compared byte for byte in its stored type.
  std::vector<std::string> differences;
  std::string first;
  std::size_t checked = 0;
  for (const auto& group : schema.groups) {
    // A --summaries-only file has no periods: its summaries are what there is to check.
    if (group.periods && period_count == 0) continue;
    auto compare = [&](const io::DatasetSchema& dataset, std::vector<std::uint64_t> start,
                       std::vector<std::uint64_t> count, const Values& expected,
                       const std::function<std::string(std::size_t)>& where) {
      const std::string name = group.name + "/" + dataset.name;
      ++checked;
      if (!reader.has_dataset(name)) {
        differences.push_back(name);
        if (first.empty()) first = name + " (not in the file)";
        return;
      }
      const Values stored{dataset.type, reader.read_bytes(name, start, count)};
      if (stored.bytes == expected.bytes) return;
      differences.push_back(name);
      if (!first.empty()) return;
      const std::size_t index = first_differing(stored, expected);
      first = name + " (" + where(index) + stored.text(index) + " stored, " + expected.text(index) +
              " rerun)";
    };
    for (const auto& column : group.columns) {
      std::vector<std::uint64_t> start = at, count(at.size(), 1);
      if (column.source == io::Source::run) start = {at.back()}, count = {1};
      compare(column, start, count, values_of(column.type, block.column(column)),
              [](std::size_t) { return std::string(); });
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
      const std::vector<double>& rerun = variable.source == io::Source::trajectory
                                             ? block.trajectory(variable.index)
                                             : block.summary(variable.index);
      compare(variable, start, count, values_of(rerun), [&](std::size_t k) {
        return "firm " + std::to_string(k % firms) +
               (group.periods ? ", period " + std::to_string(periods[k / firms]) : "") + ": ";
      });
    }
  }
  if (!differences.empty()) {
    std::cout << "run " << run << " of " << path << " does NOT reproduce: " << differences.size()
              << " of " << checked << " datasets differ, first " << first;
    for (std::size_t d = 1; d < differences.size() && d < 6; ++d) {
      std::cout << (d == 1 ? "; also " : ", ") << differences[d];
    }
    if (differences.size() > 6) std::cout << ", ...";
    std::cout << " (a different orgsim version? this is " << path << "'s "
              << reader.attribute("orgsim_version") << ", " << reader.attribute("git_revision")
              << ")\n";
    return kExitFailure;
  }
  std::cout << "run " << run << " of " << path << " reproduced bit for bit: " << checked
            << " datasets ("
            << (period_count > 0 ? std::to_string(period_count) + " periods x "
                                 : std::string("summaries only, no trajectories, "))
            << firms << " firms, and the design row), seed " << plan.seed << ", replication "
            << plan.replication << "\n";
  return kExitOk;
}

}  // namespace orgsim::cli
