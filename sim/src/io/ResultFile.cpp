#include "orgsim/io/ResultFile.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <limits>

#include "orgsim/Version.h"
#include "orgsim/core/Error.h"
#include "orgsim/io/Hdf5.h"
#include "orgsim/model/ParameterTable.h"

namespace orgsim::io {
namespace fs = std::filesystem;
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kSummaryCount = model::kQuantityCount + 4;

void describe(hid_t dataset, std::string_view units, std::string_view meaning) {
  hdf5::set_attribute(dataset, "units", std::string(units));
  hdf5::set_attribute(dataset, "long_name", std::string(meaning));
}

struct SummaryInfo {
  std::string name;
  std::string units;
  std::string meaning;
};

// The per-run summaries in the order the journal stores them.
std::vector<SummaryInfo> summary_infos() {
  std::vector<SummaryInfo> infos;
  for (const auto& info : model::quantity_info()) {
    infos.push_back({"final_" + std::string(info.name), std::string(info.unit),
                     "at the end of the run: " + std::string(info.meaning)});
  }
  infos.push_back({"share_periods_lead", "share of periods",
                   "share of periods with a market-share lead over the best rival (lead > 0)"});
  infos.push_back({"share_periods_innovation_lead", "share of periods",
                   "share of periods with an innovation lead over the best rival"});
  infos.push_back(
      {"first_period_lead", "period", "first period with a market-share lead; NaN if never"});
  infos.push_back({"periods_run", "periods", "periods the run lasted"});
  return infos;
}

void summary_values(const model::FirmSummary& summary, double* out) {
  std::copy(summary.final.values.begin(), summary.final.values.end(), out);
  out[model::kQuantityCount] = summary.share_periods_lead;
  out[model::kQuantityCount + 1] = summary.share_periods_innovation_lead;
  out[model::kQuantityCount + 2] = summary.first_period_lead;
  out[model::kQuantityCount + 3] = summary.periods_run;
}

std::string fingerprint_of(const std::vector<StudyInfo>& studies) {
  std::string text;
  for (const auto& study : studies) {
    text += "study " + study.name + "\n" + study.study->fingerprint();
  }
  return text;
}

// Checks the target and opens (or continues) its journal.
RunJournal open_journal(const std::string& path, const std::vector<StudyInfo>& studies,
                        std::size_t firm_count, bool overwrite, bool resume) {
  const fs::path target(path);
  if (fs::is_directory(target)) {
    throw IoError("output '" + path + "' is a directory; give a file name such as " + path +
                  "/result.h5");
  }
  const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(directory)) {
    throw IoError("cannot write '" + path + "': directory '" + directory.string() +
                  "' does not exist; create it or choose another --out");
  }
  if (access(directory.c_str(), W_OK) != 0) {
    throw IoError("cannot write '" + path + "': directory '" + directory.string() +
                  "' is not writable (" + std::strerror(errno) + "); choose another --out");
  }
  const std::string journal = journal_path_for(path);
  const std::string fingerprint = fingerprint_of(studies);
  if (resume) {
    if (!fs::exists(journal)) {
      throw IoError("nothing to resume: '" + journal + "' does not exist" +
                    (fs::exists(target) ? " ('" + path + "' is already complete)" : "") +
                    "; run without --resume");
    }
    return RunJournal::resume(journal, fingerprint, firm_count);
  }
  if (fs::exists(target) && !overwrite) {
    throw IoError("output '" + path +
                  "' already exists; pass --force to overwrite it or --out to choose another file");
  }
  if (fs::exists(journal) && !overwrite) {
    throw IoError("'" + journal +
                  "' holds the runs of an interrupted command; pass --resume "
                  "to continue it or --force to start over");
  }
  RunJournal created = RunJournal::create(journal, fingerprint, firm_count);
  // A bad place to write should fail now, not after hours of runs.
  return created;
}

}  // namespace

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::string journal_path_for(const std::string& path) {
  return path + ".partial";
}

ResultFile::ResultFile(std::string path, std::vector<StudyInfo> studies, bool overwrite,
                       bool resume)
    : path_(std::move(path)),
      studies_(std::move(studies)),
      firm_names_(model::firm_names(studies_.at(0).study->base())),
      runs_per_study_(studies_.at(0).study->run_count()),
      journal_(open_journal(path_, studies_, firm_names_.size(), overwrite, resume)) {
  hdf5::silence_errors();
  for (const auto& study : studies_) {
    if (study.study->run_count() != runs_per_study_ ||
        model::firm_names(study.study->base()) != firm_names_) {
      throw IoError("scenarios '" + studies_.front().name + "' and '" + study.name +
                    "' differ in their firms or runs; a comparison needs the same industry");
    }
  }
}

ResultFile::~ResultFile() = default;

std::vector<std::int64_t> ResultFile::index_by_run() const {
  std::vector<std::int64_t> index(run_count(), -1);
  const auto& entries = journal_.entries();
  for (std::size_t e = 0; e < entries.size(); ++e) {
    if (entries[e].run < index.size()) index[entries[e].run] = static_cast<std::int64_t>(e);
  }
  return index;
}

std::vector<std::size_t> ResultFile::pending() const {
  const auto index = index_by_run();
  std::vector<std::size_t> runs;
  for (std::size_t run = 0; run < index.size(); ++run) {
    if (index[run] < 0) runs.push_back(run);
  }
  return runs;
}

std::size_t ResultFile::failed() const {
  return static_cast<std::size_t>(std::count_if(journal_.entries().begin(),
                                                journal_.entries().end(),
                                                [](const auto& entry) { return entry.failed; }));
}

void ResultFile::record(std::size_t run, const engine::RunResult& result) {
  journal_.append(run, result);
}

void ResultFile::record_failure(std::size_t run, const std::string& error) {
  journal_.append_failure(run, error);
}

void ResultFile::for_each_result(
    const std::function<void(std::size_t, const engine::RunResult&)>& visit) const {
  const auto index = index_by_run();
  for (std::size_t run = 0; run < index.size(); ++run) {
    if (index[run] < 0) continue;
    const auto& entry = journal_.entries()[static_cast<std::size_t>(index[run])];
    if (entry.failed) continue;
    engine::RunResult result = journal_.read_result(entry);
    result.firm_names = firm_names_;
    visit(run, result);
  }
}

void ResultFile::for_each_failure(
    const std::function<void(std::size_t, const std::string&)>& visit) const {
  const auto index = index_by_run();
  for (std::size_t run = 0; run < index.size(); ++run) {
    if (index[run] < 0) continue;
    const auto& entry = journal_.entries()[static_cast<std::size_t>(index[run])];
    if (entry.failed) visit(run, journal_.read_failure(entry));
  }
}

void ResultFile::finish(const Provenance& provenance) {
  journal_.sync();
  const std::string temporary = path_ + ".tmp-" + std::to_string(getpid());
  try {
    assemble(temporary, provenance);
  } catch (...) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw;
  }
  std::error_code error;
  fs::rename(temporary, path_, error);
  if (error) {
    fs::remove(temporary, error);
    throw IoError("cannot rename '" + temporary + "' to '" + path_ + "': " + error.message());
  }
  fs::remove(journal_.path(), error);
}

void ResultFile::assemble(const std::string& target, const Provenance& provenance) const {
  hdf5::Handle file(H5Fcreate(target.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  if (!file.valid()) throw IoError("cannot create '" + target + "'; check the disk and --out");
  const hid_t root = file.get();
  const bool comparison = studies_.size() > 1;
  const std::size_t study_count = studies_.size();
  const std::size_t runs = runs_per_study_;
  const std::size_t firm_count = firm_names_.size();
  const engine::Study& first = *studies_.front().study;
  const engine::Design& design = first.design();
  const auto index = index_by_run();
  const auto& entries = journal_.entries();

  // The period axis: the longest recorded run's.
  std::vector<std::int32_t> periods;
  {
    std::int64_t longest = -1;
    std::uint32_t longest_length = 0;
    for (std::size_t e = 0; e < entries.size(); ++e) {
      if (!entries[e].failed && entries[e].length > longest_length) {
        longest_length = entries[e].length;
        longest = static_cast<std::int64_t>(e);
      }
    }
    if (longest >= 0) {
      const auto result = journal_.read_result(entries[static_cast<std::size_t>(longest)]);
      periods.assign(result.periods.begin(), result.periods.end());
    }
  }
  const std::size_t period_count = periods.size();

  // Root attributes: provenance.
  std::size_t failed_runs = 0;
  for (const auto& entry : entries) failed_runs += entry.failed ? 1 : 0;
  hdf5::set_attribute(root, "orgsim_format", std::string(kResultFormat));
  hdf5::set_attribute(root, "orgsim_format_version", kResultFormatVersion);
  hdf5::set_attribute(root, "orgsim_version", std::string(kOrgsimVersion));
  hdf5::set_attribute(root, "git_revision", std::string(kGitRevision));
  hdf5::set_attribute(root, "command_line", provenance.command_line);
  for (const auto& study : studies_) {
    const std::string suffix = comparison ? "." + study.name : "";
    hdf5::set_attribute(root, "scenario_file" + suffix, study.scenario_file);
    hdf5::set_attribute(root, "scenario" + suffix,
                        model::resolved_scenario_text(study.study->base()));
  }
  if (!design.factors.empty()) hdf5::set_attribute(root, "design", design.describe());
  hdf5::set_attribute(root, "master_seed", first.seed());
  hdf5::set_attribute(root, "replications", static_cast<std::int64_t>(first.replications()));
  hdf5::set_attribute(root, "runs", static_cast<std::int64_t>(run_count()));
  hdf5::set_attribute(root, "failed_runs", static_cast<std::int64_t>(failed_runs));
  hdf5::set_attribute(root, "common_random_numbers",
                      std::string("run r is replication r mod replications with the same seed at "
                                  "every design point and in every scenario: every firm's random "
                                  "streams are the same, so differences are paired"));
  hdf5::set_attribute(root, "threads", static_cast<std::int64_t>(provenance.threads));
  hdf5::set_attribute(root, "created_utc", utc_timestamp());
  hdf5::set_attribute(root, "title", std::string("orgsim result"));

  // The per-run columns of the design, shared by every study of a comparison.
  std::vector<std::int64_t> point(study_count * runs), replication(study_count * runs);
  std::vector<std::uint64_t> seed(study_count * runs);
  std::vector<std::int32_t> failed(study_count * runs, 0);
  std::vector<std::string> error(study_count * runs);
  for (std::size_t s = 0; s < study_count; ++s) {
    for (std::size_t r = 0; r < runs; ++r) {
      const auto& study = *studies_[s].study;
      point[s * runs + r] = static_cast<std::int64_t>(study.point_of(r));
      replication[s * runs + r] = static_cast<std::int64_t>(study.replication_of(r));
      seed[s * runs + r] = study.seed();
    }
  }
  for (std::size_t run = 0; run < index.size(); ++run) {
    if (index[run] >= 0 && entries[static_cast<std::size_t>(index[run])].failed) {
      failed[run] = 1;
      error[run] = journal_.read_failure(entries[static_cast<std::size_t>(index[run])]);
    } else if (index[run] < 0) {
      failed[run] = 1;
      error[run] = "not run";
    }
  }

  struct Scales {
    hdf5::Handle scenario, scenario_name, run, firm, firm_name, period;
  };
  std::string coordinates =
      comparison ? "scenario_name firm_name replication" : "firm_name replication";
  for (const auto& factor : design.factors) coordinates += " " + factor.key;

  auto leading = [&](const Scales& scales) {
    std::pair<std::vector<hsize_t>, std::vector<const hdf5::Handle*>> result;
    if (comparison) {
      result.first.push_back(study_count);
      result.second.push_back(&scales.scenario);
    }
    result.first.push_back(runs);
    result.second.push_back(&scales.run);
    return result;
  };
  auto write_run_scales = [&](hid_t group, Scales& scales) {
    if (comparison) {
      std::vector<std::int32_t> numbers(study_count);
      std::vector<std::string> names;
      for (std::size_t s = 0; s < study_count; ++s) {
        numbers[s] = static_cast<std::int32_t>(s);
        names.push_back(studies_[s].name);
      }
      scales.scenario = hdf5::write_coordinate(group, "scenario", numbers);
      describe(scales.scenario.get(), "1", "scenario number");
      scales.scenario_name = hdf5::write_strings(group, "scenario_name", names, scales.scenario);
      describe(scales.scenario_name.get(), "", "scenario name");
    }
    std::vector<std::int64_t> numbers(runs);
    for (std::size_t r = 0; r < runs; ++r) numbers[r] = static_cast<std::int64_t>(r);
    scales.run = hdf5::write_coordinate(group, "run", numbers);
    describe(scales.run.get(), "1", "run number: design point * replications + replication");
  };
  auto write_firm_scales = [&](hid_t group, Scales& scales) {
    std::vector<std::int32_t> numbers(firm_count);
    for (std::size_t f = 0; f < firm_count; ++f) numbers[f] = static_cast<std::int32_t>(f);
    scales.firm = hdf5::write_coordinate(group, "firm", numbers);
    describe(scales.firm.get(), "1", "firm number");
    scales.firm_name = hdf5::write_strings(group, "firm_name", firm_names_, scales.firm);
    describe(scales.firm_name.get(), "", "firm name (group of the scenario, and number)");
  };
  // Replication and the varied keys, per run: the design's columns, and coordinates of the
  // trajectories and summaries.
  auto write_run_columns = [&](hid_t group, const Scales& scales, bool everything) {
    auto [shape, dims] = leading(scales);
    hdf5::Handle column =
        hdf5::write_variable(group, "replication", shape, dims, replication.data());
    describe(column.get(), "1", "replication number: with the seed, names every random stream");
    for (std::size_t f = 0; f < design.factors.size(); ++f) {
      const auto& factor = design.factors[f];
      std::string plain = factor.key;
      if (plain.rfind("group.", 0) == 0) plain = plain.substr(plain.find('.', 6) + 1);
      const model::ParameterSpec* spec = model::find_parameter(plain);
      if (spec != nullptr && spec->kind == model::ValueKind::choice) {
        std::vector<std::string> values(study_count * runs);
        for (std::size_t r = 0; r < study_count * runs; ++r) {
          values[r] = design.points[point[r]][f];
        }
        hdf5::Handle dataset = hdf5::write_strings(group, factor.key, shape, dims, values);
        describe(dataset.get(), "", "varied: " + factor.text());
      } else {
        std::vector<double> values(study_count * runs);
        for (std::size_t r = 0; r < study_count * runs; ++r) {
          const std::string& text = design.points[static_cast<std::size_t>(point[r])][f];
          std::from_chars(text.data(), text.data() + text.size(), values[r]);
        }
        hdf5::Handle dataset = hdf5::write_variable(group, factor.key, shape, dims, values.data());
        describe(dataset.get(), spec != nullptr ? spec->unit : "", "varied: " + factor.text());
      }
    }
    if (!everything) return;
    hdf5::Handle point_set = hdf5::write_variable(group, "point", shape, dims, point.data());
    describe(point_set.get(), "1", "design point number");
    hdf5::Handle seed_set = hdf5::write_variable(group, "seed", shape, dims, seed.data());
    describe(seed_set.get(), "1", "master seed of the run");
    hdf5::Handle failed_set = hdf5::write_variable(group, "failed", shape, dims, failed.data());
    describe(failed_set.get(), "1", "1 if the run failed (its values are NaN), else 0");
    hdf5::Handle error_set = hdf5::write_strings(group, "error", shape, dims, error);
    describe(error_set.get(), "", "why the run failed; empty if it did not");
    if (!design.saltelli_block.empty()) {
      std::vector<std::int32_t> block(study_count * runs), row(study_count * runs);
      for (std::size_t r = 0; r < study_count * runs; ++r) {
        block[r] = design.saltelli_block[static_cast<std::size_t>(point[r])];
        row[r] = design.saltelli_row[static_cast<std::size_t>(point[r])];
      }
      hdf5::Handle block_set =
          hdf5::write_variable(group, "saltelli_block", shape, dims, block.data());
      describe(block_set.get(), "1",
               "Saltelli matrix: 0 = A, 1 = B, 2 + i = A with column i from B");
      hdf5::Handle row_set = hdf5::write_variable(group, "saltelli_row", shape, dims, row.data());
      describe(row_set.get(), "1", "row of the Saltelli matrix");
    }
  };

  hdf5::Handle trajectories = hdf5::create_group(root, "trajectories");
  hdf5::Handle summaries = hdf5::create_group(root, "summaries");
  hdf5::Handle design_group = hdf5::create_group(root, "design");
  Scales trajectory_scales, summary_scales, design_scales;
  write_run_scales(trajectories.get(), trajectory_scales);
  write_firm_scales(trajectories.get(), trajectory_scales);
  trajectory_scales.period = hdf5::write_coordinate(trajectories.get(), "period", periods);
  describe(trajectory_scales.period.get(), "periods", "period at which the state was recorded");
  write_run_scales(summaries.get(), summary_scales);
  write_firm_scales(summaries.get(), summary_scales);
  write_run_scales(design_group.get(), design_scales);
  write_run_columns(trajectories.get(), trajectory_scales, false);
  write_run_columns(summaries.get(), summary_scales, false);
  write_run_columns(design_group.get(), design_scales, true);

  // The data, created empty (NaN) and filled block by block in run order, so that memory
  // holds one block of runs whatever the number of runs.
  std::vector<hdf5::Handle> trajectory_sets;
  {
    auto [shape, dims] = leading(trajectory_scales);
    shape.insert(shape.end(), {period_count, firm_count});
    dims.insert(dims.end(), {&trajectory_scales.period, &trajectory_scales.firm});
    for (const auto& info : model::quantity_info()) {
      trajectory_sets.push_back(
          hdf5::create_variable<double>(trajectories.get(), std::string(info.name), shape, dims));
      describe(trajectory_sets.back().get(), info.unit, info.meaning);
      hdf5::set_attribute(trajectory_sets.back().get(), "coordinates", coordinates);
    }
  }
  std::vector<hdf5::Handle> summary_sets;
  {
    auto [shape, dims] = leading(summary_scales);
    shape.push_back(firm_count);
    dims.push_back(&summary_scales.firm);
    for (const auto& info : summary_infos()) {
      summary_sets.push_back(
          hdf5::create_variable<double>(summaries.get(), info.name, shape, dims));
      describe(summary_sets.back().get(), info.units, info.meaning);
      hdf5::set_attribute(summary_sets.back().get(), "coordinates", coordinates);
    }
  }
  const std::size_t per_run = std::max<std::size_t>(period_count * firm_count, 1);
  const std::size_t block = std::clamp<std::size_t>((256 * 1024 / 8) / per_run, 1, 4096);
  std::vector<std::vector<double>> trajectory_block(model::kQuantityCount);
  std::vector<std::vector<double>> summary_block(kSummaryCount);
  std::vector<double> summary_row(kSummaryCount);
  for (std::size_t s = 0; s < study_count; ++s) {
    for (std::size_t begin = 0; begin < runs; begin += block) {
      const std::size_t count = std::min(block, runs - begin);
      for (auto& values : trajectory_block) values.assign(count * period_count * firm_count, kNaN);
      for (auto& values : summary_block) values.assign(count * firm_count, kNaN);
      for (std::size_t k = 0; k < count; ++k) {
        const std::int64_t at = index[s * runs + begin + k];
        if (at < 0 || entries[static_cast<std::size_t>(at)].failed) continue;
        const auto result = journal_.read_result(entries[static_cast<std::size_t>(at)]);
        for (std::size_t t = 0; t < result.periods.size() && t < period_count; ++t) {
          for (std::size_t f = 0; f < firm_count; ++f) {
            const auto& observation = result.trajectory[t * firm_count + f];
            for (std::size_t q = 0; q < model::kQuantityCount; ++q) {
              trajectory_block[q][(k * period_count + t) * firm_count + f] = observation.values[q];
            }
          }
        }
        for (std::size_t f = 0; f < firm_count; ++f) {
          summary_values(result.summaries[f], summary_row.data());
          for (std::size_t v = 0; v < kSummaryCount; ++v) {
            summary_block[v][k * firm_count + f] = summary_row[v];
          }
        }
      }
      std::vector<hsize_t> start, extent;
      if (comparison) {
        start.push_back(s);
        extent.push_back(1);
      }
      start.push_back(begin);
      extent.push_back(count);
      if (period_count > 0) {
        std::vector<hsize_t> trajectory_start = start, trajectory_extent = extent;
        trajectory_start.insert(trajectory_start.end(), {0, 0});
        trajectory_extent.insert(trajectory_extent.end(), {period_count, firm_count});
        for (std::size_t q = 0; q < model::kQuantityCount; ++q) {
          hdf5::write_slab(trajectory_sets[q], trajectory_start, trajectory_extent,
                           trajectory_block[q].data());
        }
      }
      start.push_back(0);
      extent.push_back(firm_count);
      for (std::size_t v = 0; v < kSummaryCount; ++v) {
        hdf5::write_slab(summary_sets[v], start, extent, summary_block[v].data());
      }
    }
  }
  hdf5::check(H5Fflush(root, H5F_SCOPE_GLOBAL), "flushing " + target);
}

}  // namespace orgsim::io
