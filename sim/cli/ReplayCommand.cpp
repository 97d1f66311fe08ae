// orgsim replay: reruns one run of a result file from the file's own provenance (its
// resolved scenario, design values, seed and replication) and checks that it reproduces
// the stored trajectories and summaries bit for bit.

#include <charconv>
#include <cmath>
#include <cstring>
#include <iostream>
#include <sstream>

#include "Commands.h"
#include "orgsim/core/Error.h"
#include "orgsim/core/NumberText.h"
#include "orgsim/engine/Design.h"
#include "orgsim/engine/Runner.h"
#include "orgsim/io/ResultReader.h"
#include "orgsim/model/ParameterTable.h"

namespace orgsim::cli {
namespace {

constexpr const char* kReplayUsage =
    "usage: orgsim replay FILE.h5 --run K [--scenario NAME]\n\n"
    "Reruns run K of a result file from the provenance stored in it and checks that every\n"
    "trajectory and summary comes out bit for bit the same. --scenario picks the scenario\n"
    "of a comparison (orgsim compare) by name.\n";

// Bitwise equality, so that NaN (a run that had ended) equals NaN.
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
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

  // The run's parameters: the resolved scenario, then the run's design values.
  model::ScenarioSettings settings = model::settings_from_text(scenario_text, path + " scenario");
  std::istringstream design(reader.attribute("design"));
  for (std::string line; std::getline(design, line);) {
    if (line.rfind("vary ", 0) != 0) continue;
    const engine::Factor factor = engine::parse_factor(line.substr(5));
    const std::string column = "design/" + factor.key;
    std::string value;
    if (reader.shape(column).empty()) continue;
    const auto datasets = reader.datasets();
    bool is_string = false;
    for (const auto& info : datasets) {
      if (info.path == column) is_string = info.type == "string";
    }
    value = is_string ? reader.read_string(column, at)
                      : number_text(reader.read_doubles(
                            column, at, std::vector<std::uint64_t>(at.size(), 1))[0]);
    settings.set(factor.key, value, "run " + std::to_string(run) + " of " + path);
  }
  model::ModelParams params = settings.resolve();
  model::validate(params, settings.run_spec());
  const engine::RunPlan plan{std::make_shared<const model::ModelParams>(params),
                             reader.read_unsigned("design/seed", at),
                             reader.read_unsigned("design/replication", at),
                             engine::Trajectories::recorded, settings.run_spec().every};
  const engine::RunResult result = engine::run(plan);

  // Compare every stored variable of the run with the rerun.
  const auto period_count = reader.shape("trajectories/period").at(0);
  const std::size_t firms = result.firm_names.size();
  std::vector<std::string> differences;
  std::size_t checked = 0;
  // A --summaries-only file has no periods: its summaries are what there is to check.
  for (std::size_t q = 0; q < model::kQuantityCount && period_count > 0; ++q) {
    const std::string name(model::quantity_info()[q].name);
    std::vector<std::uint64_t> start = at, count(at.size(), 1);
    start.insert(start.end(), {0, 0});
    count.insert(count.end(), {period_count, firms});
    const auto stored = reader.read_doubles("trajectories/" + name, start, count);
    std::vector<double> rerun(period_count * firms, std::nan(""));
    for (std::size_t t = 0; t < result.periods.size() && t < period_count; ++t) {
      for (std::size_t f = 0; f < firms; ++f) rerun[t * firms + f] = result.at(t, f).values[q];
    }
    if (!same_bits(stored, rerun)) differences.push_back("trajectories/" + name);
    ++checked;
  }
  for (std::size_t q = 0; q < model::kQuantityCount; ++q) {
    const std::string name = "final_" + std::string(model::quantity_info()[q].name);
    std::vector<std::uint64_t> start = at, count(at.size(), 1);
    start.push_back(0);
    count.push_back(firms);
    const auto stored = reader.read_doubles("summaries/" + name, start, count);
    std::vector<double> rerun;
    for (const auto& summary : result.summaries) rerun.push_back(summary.final.values[q]);
    if (!same_bits(stored, rerun)) differences.push_back("summaries/" + name);
    ++checked;
  }
  if (!differences.empty()) {
    std::cout << "run " << run << " of " << path << " does NOT reproduce: " << differences.size()
              << " of " << checked << " variables differ, first " << differences.front()
              << " (a different orgsim version? this is " << path << "'s "
              << reader.attribute("orgsim_version") << ", " << reader.attribute("git_revision")
              << ")\n";
    return kExitFailure;
  }
  std::cout << "run " << run << " of " << path << " reproduced bit for bit: " << checked
            << " variables ("
            << (period_count > 0 ? std::to_string(period_count) + " periods x "
                                 : std::string("summaries only, no trajectories, "))
            << firms << " firms), seed " << plan.seed << ", replication " << plan.replication
            << "\n";
  return kExitOk;
}

}  // namespace orgsim::cli
