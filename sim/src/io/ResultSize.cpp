#include "orgsim/io/ResultSize.h"

#include <algorithm>
#include <charconv>

#include "orgsim/io/Hdf5.h"
#include "orgsim/model/ParameterTable.h"
#include "orgsim/model/Summary.h"

namespace orgsim::io {
namespace {

// What HDF5 stores besides the values, measured on orgsim's files: an object header with
// the units, long_name, coordinates and dimension-list attributes per variable, and the
// groups, scales and root attributes: about 2.5 KB per variable.
constexpr std::uint64_t kBytesPerVariable = 2500;
// A variable-length string element: its 16-byte reference and its heap object.
constexpr std::uint64_t kBytesPerString = 40;

// The part of "group.NAME.KEY" after the group, or the key itself.
std::string plain_key(const std::string& key) {
  if (key.rfind("group.", 0) != 0) return key;
  const auto dot = key.find('.', 6);
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

// The largest value a factor takes in the design, when it is a whole number.
void widen_to_factor(const engine::Study& study, const std::string& key, int& value) {
  const auto& design = study.design();
  for (std::size_t f = 0; f < design.factors.size(); ++f) {
    if (design.factors[f].key != key) continue;
    for (const auto& point : design.points) {
      int parsed = 0;
      const std::string& text = point[f];
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
      if (error == std::errc() && end == text.data() + text.size()) value = std::max(value, parsed);
    }
  }
}

// The stop rules a study's runs use: the base's, or those a factor lists.
void stop_rules(const engine::Study& study, bool& periods, bool& equilibrium) {
  const auto& design = study.design();
  periods = study.base().run.stop == model::StopRule::periods;
  equilibrium = !periods;
  for (std::size_t f = 0; f < design.factors.size(); ++f) {
    if (design.factors[f].key != "run.stop") continue;
    periods = equilibrium = false;
    for (const auto& point : design.points) {
      periods = periods || point[f] == "periods";
      equilibrium = equilibrium || point[f] == "equilibrium";
    }
  }
}

}  // namespace

std::size_t recorded_periods(const engine::Study& study, bool& at_most) {
  at_most = false;
  if (study.trajectories() == engine::Trajectories::none) return 0;
  const model::ModelParams& base = study.base();
  bool stops_at_periods = false;
  bool stops_at_equilibrium = false;
  stop_rules(study, stops_at_periods, stops_at_equilibrium);
  int horizon = 0;
  if (stops_at_periods) {
    int periods = base.run.periods;
    widen_to_factor(study, "run.periods", periods);
    horizon = std::max(horizon, periods);
  }
  if (stops_at_equilibrium) {
    int max_periods = base.run.max_periods;
    widen_to_factor(study, "run.max_periods", max_periods);
    horizon = std::max(horizon, max_periods);
    at_most = true;
  }
  // Recorded at output.every, 2 * output.every, ... up to the horizon.
  return static_cast<std::size_t>(horizon / std::max(study.run_spec().every, 1));
}

ResultSize estimate_result_size(const std::vector<StudyInfo>& studies) {
  ResultSize size;
  if (studies.empty()) return size;
  const engine::Study& first = *studies.front().study;
  const std::uint64_t scenarios = studies.size();
  const std::uint64_t runs = first.run_count();
  size.runs = static_cast<std::size_t>(scenarios * runs);
  size.firms = model::firm_count(first.base());
  for (const auto& study : studies) {
    bool at_most = false;
    size.periods = std::max(size.periods, recorded_periods(*study.study, at_most));
    size.periods_at_most = size.periods_at_most || at_most;
  }
  const std::uint64_t firms = size.firms;
  const std::uint64_t periods = size.periods;

  // Trajectories: chunks of whole runs, the last one written whole too.
  const auto chunk = hdf5::chunk_shape({runs, periods, firms}, sizeof(double));
  const std::uint64_t chunk_runs = std::max<std::uint64_t>(chunk[0], 1);
  const std::uint64_t stored_runs =
      periods > 0 ? (runs + chunk_runs - 1) / chunk_runs * chunk_runs : 0;
  size.trajectory_bytes =
      model::kQuantityCount * scenarios * stored_runs * periods * firms * sizeof(double);
  size.summary_bytes = model::kSummaryCount * scenarios * runs * firms * sizeof(double);

  // The per-run columns: run and replication in all three groups, each varied key too;
  // point, seed, failed and error (and Saltelli's block and row) in /design alone.
  const auto& design = first.design();
  std::uint64_t factor_bytes = 0;
  for (const auto& factor : design.factors) {
    const model::ParameterSpec* spec = model::find_parameter(plain_key(factor.key));
    const bool names = spec != nullptr && spec->kind == model::ValueKind::choice;
    factor_bytes += names ? kBytesPerString : sizeof(double);
  }
  const std::uint64_t every_group = sizeof(std::int64_t) + sizeof(std::int64_t) + factor_bytes;
  const std::uint64_t design_only = sizeof(std::int64_t) + sizeof(std::uint64_t) +
                                    sizeof(std::int32_t) + kBytesPerString +
                                    (design.saltelli_block.empty() ? 0 : 2 * sizeof(std::int32_t));
  size.design_bytes = scenarios * runs * (3 * every_group + design_only);

  // Variables: every quantity, summary and column, with firm and firm_name in two groups,
  // period in one, scenario and scenario_name in three for a comparison.
  const std::uint64_t variables = model::kQuantityCount + model::kSummaryCount + 3 * 2 + 5 + 5 +
                                  3 * design.factors.size() + (scenarios > 1 ? 6 : 0) +
                                  (design.saltelli_block.empty() ? 0 : 2);
  // Root attributes: each scenario's resolved text, in the attribute and the fingerprint,
  // and the fingerprint's line per design point.
  std::uint64_t text = 0;
  for (const auto& study : studies) {
    text += 2 * study.study->scenario_text().size();
  }
  text += design.points.size() * (8 + 12 * design.factors.size());
  size.metadata_bytes = variables * kBytesPerVariable + text;
  return size;
}

}  // namespace orgsim::io
