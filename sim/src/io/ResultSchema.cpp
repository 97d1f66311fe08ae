#include "orgsim/io/ResultSchema.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

#include "orgsim/Version.h"
#include "orgsim/model/ParameterTable.h"
#include "orgsim/model/Summary.h"

namespace orgsim::io {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The part of "group.NAME.KEY" after the group, or the key itself.
std::string plain_key(const std::string& key) {
  if (key.rfind("group.", 0) != 0) return key;
  const auto dot = key.find('.', 6);
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

// An integer key's value, when it is one: the key reads nothing else.
std::optional<std::int64_t> whole_number(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A real key's value as the double its text reads as (strtod's); NaN for text that is not
// a number, whose point's runs fail.
double real_number(const std::string& text) {
  double value = kNaN;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return kNaN;
  return value;
}

// How a varied key's /design column stores its values: names as strings, an integer key's
// values as int64 (so that .sel(firm.employees=20) matches), the rest as float64. An
// integer key is stored as float64 when one of its values is not a whole number in int64's
// range (a list value such as 12.5, or 1e+300 from an absurd range): those points' runs
// fail, and float64 can still say which value they had.
ValueType factor_type(const engine::Design& design, std::size_t f) {
  const model::ParameterSpec* spec = model::find_parameter(plain_key(design.factors[f].key));
  if (spec == nullptr || spec->kind == model::ValueKind::real) return ValueType::float64;
  if (spec->kind == model::ValueKind::choice) return ValueType::text;
  for (const auto& point : design.points) {
    if (!whole_number(point[f])) return ValueType::float64;
  }
  return ValueType::int64;
}

// The run coordinate, replication and the varied keys: in every group; with `everything`,
// the design's other columns too.
std::vector<DatasetSchema> run_columns(const engine::Design& design, bool everything) {
  std::vector<DatasetSchema> columns;
  columns.push_back({"run", ValueType::int64, Source::run, 0, "1",
                     "run number: design point * replications + replication"});
  columns.push_back({"replication", ValueType::int64, Source::replication, 0, "1",
                     "replication number: with the seed, names every random stream"});
  for (std::size_t f = 0; f < design.factors.size(); ++f) {
    const auto& factor = design.factors[f];
    const ValueType type = factor_type(design, f);
    const model::ParameterSpec* spec = model::find_parameter(plain_key(factor.key));
    columns.push_back({factor.key, type, Source::factor, f,
                       type == ValueType::text || spec == nullptr ? "" : std::string(spec->unit),
                       "varied: " + factor.text()});
  }
  if (!everything) return columns;
  columns.push_back({"point", ValueType::int64, Source::point, 0, "1", "design point number"});
  columns.push_back({"seed", ValueType::uint64, Source::seed, 0, "1", "master seed of the run"});
  columns.push_back({"failed", ValueType::int32, Source::failed, 0, "1",
                     "1 if the run failed (its values are NaN), else 0"});
  columns.push_back(
      {"error", ValueType::text, Source::error, 0, "", "why the run failed; empty if it did not"});
  if (!design.saltelli_block.empty()) {
    columns.push_back({"saltelli_block", ValueType::int32, Source::saltelli_block, 0, "1",
                       "Saltelli matrix: 0 = A, 1 = B, 2 + i = A with column i from B"});
    columns.push_back({"saltelli_row", ValueType::int32, Source::saltelli_row, 0, "1",
                       "row of the Saltelli matrix"});
  }
  return columns;
}

}  // namespace

std::string fingerprint_of(const std::vector<StudyInfo>& studies) {
  std::string text;
  for (const auto& study : studies) {
    text += "study " + study.name + "\n" + study.study->fingerprint();
  }
  return text;
}

ResultSchema result_schema(const std::vector<StudyInfo>& studies,
                           const std::vector<std::string>& firm_names,
                           std::vector<std::int32_t> periods, std::size_t failed_runs,
                           const Provenance& provenance, const std::string& created_utc) {
  ResultSchema schema;
  const engine::Study& first = *studies.front().study;
  const engine::Design& design = first.design();
  for (const auto& study : studies) schema.scenario_names.push_back(study.name);
  schema.firm_names = firm_names;
  schema.periods = std::move(periods);
  schema.runs = first.run_count();
  const bool comparison = schema.comparison();

  // Root attributes: provenance.
  auto& attributes = schema.attributes;
  attributes.emplace_back("orgsim_format", std::string(kResultFormat));
  attributes.emplace_back("orgsim_format_version", kResultFormatVersion);
  attributes.emplace_back("orgsim_version", std::string(kOrgsimVersion));
  attributes.emplace_back("git_revision", std::string(kGitRevision));
  attributes.emplace_back("command_line", provenance.command_line);
  for (const auto& study : studies) {
    const std::string suffix = comparison ? "." + study.name : "";
    attributes.emplace_back("scenario_file" + suffix, study.scenario_file);
    attributes.emplace_back("scenario" + suffix, study.study->scenario_text());
  }
  if (!design.factors.empty()) attributes.emplace_back("design", design.describe());
  attributes.emplace_back("master_seed", first.seed());
  attributes.emplace_back("replications", static_cast<std::int64_t>(first.replications()));
  attributes.emplace_back("runs", static_cast<std::int64_t>(schema.runs * studies.size()));
  attributes.emplace_back("failed_runs", static_cast<std::int64_t>(failed_runs));
  attributes.emplace_back("common_random_numbers",
                          std::string("run r is replication r mod replications with the same "
                                      "seed at every design point and in every scenario: every "
                                      "firm's random streams are the same, so differences are "
                                      "paired"));
  attributes.emplace_back("threads", static_cast<std::int64_t>(provenance.threads));
  attributes.emplace_back("created_utc", created_utc);
  attributes.emplace_back("title", std::string("orgsim result"));
  // What --resume compares to tell this command's finished result from another's.
  attributes.emplace_back("fingerprint", fingerprint_of(studies));

  schema.coordinates = comparison ? "scenario_name firm_name replication" : "firm_name replication";
  for (const auto& factor : design.factors) schema.coordinates += " " + factor.key;
  schema.scenario = {"scenario", "1", "scenario number"};
  schema.scenario_name = {"scenario_name", "", "scenario name"};
  schema.firm = {"firm", "1", "firm number"};
  schema.firm_name = {"firm_name", "", "firm name (group of the scenario, and number)"};
  schema.period = {"period", "periods", "period at which the state was recorded"};

  GroupSchema trajectories{"trajectories", "", true, true, run_columns(design, false), {}};
  if (first.trajectories() == engine::Trajectories::none) {
    // The group keeps its variables, with a period dimension of length 0, so that code
    // reading any result opens this one too.
    trajectories.comment =
        "no periods recorded (--summaries-only): each run's final state is in /summaries";
  }
  for (std::size_t q = 0; q < model::kQuantityCount; ++q) {
    const auto& info = model::quantity_info()[q];
    trajectories.variables.push_back({std::string(info.name), ValueType::float64,
                                      Source::trajectory, q, std::string(info.unit),
                                      std::string(info.meaning)});
  }
  GroupSchema summaries{"summaries", "", true, false, run_columns(design, false), {}};
  for (std::size_t v = 0; v < model::kSummaryCount; ++v) {
    const auto& info = model::summary_info()[v];
    summaries.variables.push_back(
        {info.name, ValueType::float64, Source::summary, v, info.unit, info.meaning});
  }
  GroupSchema design_group{"design", "", false, false, run_columns(design, true), {}};
  schema.groups = {std::move(trajectories), std::move(summaries), std::move(design_group)};
  return schema;
}

void RunBlock::start(const engine::Study& study, std::size_t begin, std::size_t count,
                     std::size_t capacity, std::size_t periods, std::size_t firms) {
  study_ = &study;
  begin_ = begin;
  count_ = count;
  periods_ = periods;
  firms_ = firms;
  trajectories_.resize(model::kQuantityCount);
  summaries_.resize(model::kSummaryCount);
  // A whole chunk, even the last: a stored chunk always has the chunk's shape.
  for (auto& values : trajectories_) values.assign(capacity * periods * firms, kNaN);
  for (auto& values : summaries_) values.assign(count * firms, kNaN);
  point_.resize(count);
  for (std::size_t k = 0; k < count; ++k) {
    point_[k] = static_cast<std::int64_t>(study.point_of(begin + k));
  }
  failed_.assign(count, 0);
  error_.assign(count, std::string());
}

void RunBlock::add(std::size_t k, const RunRecord& record) {
  const std::size_t periods = std::min(record.periods(), periods_);
  for (std::size_t t = 0; t < periods; ++t) {
    for (std::size_t f = 0; f < firms_; ++f) {
      const std::size_t at = (k * periods_ + t) * firms_ + f;
      for (std::size_t q = 0; q < model::kQuantityCount; ++q) {
        trajectories_[q][at] = record.trajectory(t, f, q);
      }
    }
  }
  for (std::size_t f = 0; f < firms_; ++f) {
    for (std::size_t v = 0; v < model::kSummaryCount; ++v) {
      summaries_[v][k * firms_ + f] = record.summary(f, v);
    }
  }
}

void RunBlock::fail(std::size_t k, std::string error) {
  failed_[k] = 1;
  error_[k] = std::move(error);
}

RunBlock::Column RunBlock::column(const DatasetSchema& dataset) const {
  const engine::Design& design = study_->design();
  auto per_run = [&](auto value_of) {
    std::vector<decltype(value_of(std::size_t{0}))> values(count_);
    for (std::size_t k = 0; k < count_; ++k) values[k] = value_of(k);
    return Column(std::move(values));
  };
  auto point = [&](std::size_t k) { return static_cast<std::size_t>(point_[k]); };
  switch (dataset.source) {
    case Source::run:
      return per_run([&](std::size_t k) { return static_cast<std::int64_t>(begin_ + k); });
    case Source::replication:
      return per_run([&](std::size_t k) {
        return static_cast<std::int64_t>(study_->replication_of(begin_ + k));
      });
    case Source::point:
      return point_;
    case Source::seed:
      return std::vector<std::uint64_t>(count_, study_->seed());
    case Source::failed:
      return failed_;
    case Source::error:
      return error_;
    case Source::saltelli_block:
      return per_run([&](std::size_t k) {
        return static_cast<std::int32_t>(design.saltelli_block[point(k)]);
      });
    case Source::saltelli_row:
      return per_run(
          [&](std::size_t k) { return static_cast<std::int32_t>(design.saltelli_row[point(k)]); });
    case Source::factor: {
      auto value_of = [&](std::size_t k) -> const std::string& {
        return design.points[point(k)][dataset.index];
      };
      if (dataset.type == ValueType::text) {
        return per_run([&](std::size_t k) { return value_of(k); });
      }
      if (dataset.type == ValueType::int64) {
        return per_run([&](std::size_t k) { return *whole_number(value_of(k)); });
      }
      return per_run([&](std::size_t k) { return real_number(value_of(k)); });
    }
    case Source::trajectory:
    case Source::summary:
      break;
  }
  return std::vector<double>();
}

}  // namespace orgsim::io
