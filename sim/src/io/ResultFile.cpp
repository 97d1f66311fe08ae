#include "orgsim/io/ResultFile.h"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <limits>

#include "orgsim/Version.h"
#include "orgsim/core/Error.h"

namespace orgsim::io {
namespace fs = std::filesystem;
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void describe(hid_t dataset, std::string_view units, std::string_view meaning) {
  hdf5::set_attribute(dataset, "units", std::string(units));
  hdf5::set_attribute(dataset, "long_name", std::string(meaning));
}

struct Scales {
  hdf5::Handle scenario;
  hdf5::Handle scenario_name;
  hdf5::Handle run;
  hdf5::Handle firm;
  hdf5::Handle firm_name;
};

}  // namespace

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

ResultFile::ResultFile(std::string path, bool overwrite) : path_(std::move(path)) {
  hdf5::silence_errors();
  const fs::path target(path_);
  if (fs::is_directory(target)) {
    throw IoError("output '" + path_ + "' is a directory; give a file name such as " + path_ +
                  "/result.h5");
  }
  if (fs::exists(target) && !overwrite) {
    throw IoError("output '" + path_ +
                  "' already exists; pass --force to overwrite it or --out to choose another file");
  }
  const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(directory)) {
    throw IoError("cannot write '" + path_ + "': directory '" + directory.string() +
                  "' does not exist; create it or choose another --out");
  }
  if (access(directory.c_str(), W_OK) != 0) {
    throw IoError("cannot write '" + path_ + "': directory '" + directory.string() +
                  "' is not writable (" + std::strerror(errno) + "); choose another --out");
  }
  temporary_path_ = path_ + ".tmp-" + std::to_string(getpid());
  file_ = hdf5::Handle(H5Fcreate(temporary_path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  if (!file_.valid()) {
    throw IoError("cannot create '" + temporary_path_ + "'; check the disk and --out");
  }
}

ResultFile::~ResultFile() {
  if (!committed_) {
    file_.reset();
    std::error_code ignored;
    fs::remove(temporary_path_, ignored);
  }
}

void ResultFile::write(const StudyResults& study, const Provenance& provenance) {
  write_studies({study}, provenance, /*scenario_dimension=*/false);
}

void ResultFile::write(const std::vector<StudyResults>& studies, const Provenance& provenance) {
  write_studies(studies, provenance, /*scenario_dimension=*/true);
}

void ResultFile::write_studies(const std::vector<StudyResults>& studies,
                               const Provenance& provenance, bool scenario_dimension) {
  if (studies.empty()) throw IoError("nothing to write to '" + path_ + "'");
  const hid_t root = file_.get();
  const auto& first_runs = *studies.front().runs;
  const std::size_t run_count = first_runs.size();
  const std::vector<std::string> firm_names =
      first_runs.empty() ? std::vector<std::string>{} : first_runs.front().firm_names;
  const std::size_t firm_count = firm_names.size();
  for (const auto& study : studies) {
    if (study.runs->size() != run_count ||
        (!study.runs->empty() && study.runs->front().firm_names != firm_names)) {
      throw IoError("scenarios '" + studies.front().name + "' and '" + study.name +
                    "' differ in their firms or runs; a comparison needs the same industry");
    }
  }
  const std::size_t study_count = studies.size();

  hdf5::set_attribute(root, "orgsim_format", std::string(kResultFormat));
  hdf5::set_attribute(root, "orgsim_format_version", kResultFormatVersion);
  hdf5::set_attribute(root, "orgsim_version", std::string(kOrgsimVersion));
  hdf5::set_attribute(root, "git_revision", std::string(kGitRevision));
  hdf5::set_attribute(root, "command_line", provenance.command_line);
  if (scenario_dimension) {
    for (const auto& study : studies) {
      hdf5::set_attribute(root, "scenario_file." + study.name, study.scenario_file);
      hdf5::set_attribute(root, "scenario." + study.name, study.scenario_text);
    }
  } else {
    hdf5::set_attribute(root, "scenario_file", studies.front().scenario_file);
    hdf5::set_attribute(root, "scenario", studies.front().scenario_text);
  }
  hdf5::set_attribute(root, "master_seed", provenance.master_seed);
  hdf5::set_attribute(root, "replications", static_cast<std::int64_t>(run_count));
  hdf5::set_attribute(root, "threads", static_cast<std::int64_t>(provenance.threads));
  hdf5::set_attribute(root, "created_utc", utc_timestamp());
  hdf5::set_attribute(root, "title", std::string("orgsim result"));

  // Dimension scales every group repeats: (scenario,) run and firm.
  std::vector<std::string> study_names;
  for (const auto& study : studies) study_names.push_back(study.name);
  auto write_common_scales = [&](hid_t group, Scales& scales) {
    if (scenario_dimension) {
      std::vector<std::int32_t> index(study_count);
      for (std::size_t s = 0; s < study_count; ++s) index[s] = static_cast<std::int32_t>(s);
      scales.scenario = hdf5::write_coordinate(group, "scenario", index);
      describe(scales.scenario.get(), "1", "scenario number");
      scales.scenario_name =
          hdf5::write_strings(group, "scenario_name", study_names, scales.scenario);
      describe(scales.scenario_name.get(), "", "scenario name");
    }
    std::vector<std::int64_t> run_index(run_count);
    for (std::size_t r = 0; r < run_count; ++r) run_index[r] = static_cast<std::int64_t>(r);
    scales.run = hdf5::write_coordinate(group, "run", run_index);
    describe(scales.run.get(), "1", "run number");
  };
  auto write_firm_scales = [&](hid_t group, Scales& scales) {
    std::vector<std::int32_t> firm_index(firm_count);
    for (std::size_t f = 0; f < firm_count; ++f) firm_index[f] = static_cast<std::int32_t>(f);
    scales.firm = hdf5::write_coordinate(group, "firm", firm_index);
    describe(scales.firm.get(), "1", "firm number");
    scales.firm_name = hdf5::write_strings(group, "firm_name", firm_names, scales.firm);
    describe(scales.firm_name.get(), "", "firm name (group of the scenario, and number)");
  };
  // The leading dimensions of every variable: (scenario, run) or (run).
  auto leading = [&](const Scales& scales) {
    std::pair<std::vector<hsize_t>, std::vector<const hdf5::Handle*>> result;
    if (scenario_dimension) {
      result.first.push_back(study_count);
      result.second.push_back(&scales.scenario);
    }
    result.first.push_back(run_count);
    result.second.push_back(&scales.run);
    return result;
  };
  const std::string coordinates = scenario_dimension ? "scenario_name firm_name" : "firm_name";

  // Trajectories: the longest run sets the period axis; shorter runs are NaN after their end.
  const std::vector<engine::RunResult>* longest_study = studies.front().runs;
  std::size_t longest = 0;
  for (const auto& study : studies) {
    for (std::size_t r = 0; r < run_count; ++r) {
      if ((*study.runs)[r].periods.size() > (*longest_study)[longest].periods.size()) {
        longest_study = study.runs;
        longest = r;
      }
    }
  }
  std::vector<std::int32_t> periods;
  if (run_count > 0) {
    const auto& source = (*longest_study)[longest].periods;
    periods.assign(source.begin(), source.end());
  }
  const std::size_t period_count = periods.size();
  {
    hdf5::Handle group = hdf5::create_group(root, "trajectories");
    Scales scales;
    write_common_scales(group.get(), scales);
    write_firm_scales(group.get(), scales);
    hdf5::Handle period_scale = hdf5::write_coordinate(group.get(), "period", periods);
    describe(period_scale.get(), "periods", "period at which the state was recorded");
    auto [shape, dims] = leading(scales);
    shape.insert(shape.end(), {period_count, firm_count});
    dims.insert(dims.end(), {&period_scale, &scales.firm});
    const std::size_t per_run = period_count * firm_count;
    std::vector<double> values(study_count * run_count * per_run);
    for (std::size_t q = 0; q < model::kQuantityCount; ++q) {
      std::fill(values.begin(), values.end(), kNaN);
      for (std::size_t s = 0; s < study_count; ++s) {
        for (std::size_t r = 0; r < run_count; ++r) {
          const auto& run = (*studies[s].runs)[r];
          double* out = &values[(s * run_count + r) * per_run];
          for (std::size_t t = 0; t < run.periods.size(); ++t) {
            for (std::size_t f = 0; f < firm_count; ++f) {
              out[t * firm_count + f] = run.at(t, f).values[q];
            }
          }
        }
      }
      const auto& info = model::quantity_info()[q];
      hdf5::Handle dataset =
          hdf5::write_variable(group.get(), std::string(info.name), shape, dims, values.data());
      describe(dataset.get(), info.unit, info.meaning);
      hdf5::set_attribute(dataset.get(), "coordinates", coordinates);
    }
  }

  {
    hdf5::Handle group = hdf5::create_group(root, "summaries");
    Scales scales;
    write_common_scales(group.get(), scales);
    write_firm_scales(group.get(), scales);
    auto [shape, dims] = leading(scales);
    shape.push_back(firm_count);
    dims.push_back(&scales.firm);
    std::vector<double> values(study_count * run_count * firm_count);
    auto write_summary = [&](const std::string& name, std::string_view units,
                             std::string_view meaning, auto&& pick) {
      for (std::size_t s = 0; s < study_count; ++s) {
        for (std::size_t r = 0; r < run_count; ++r) {
          for (std::size_t f = 0; f < firm_count; ++f) {
            values[(s * run_count + r) * firm_count + f] = pick((*studies[s].runs)[r].summaries[f]);
          }
        }
      }
      hdf5::Handle dataset = hdf5::write_variable(group.get(), name, shape, dims, values.data());
      describe(dataset.get(), units, meaning);
      hdf5::set_attribute(dataset.get(), "coordinates", coordinates);
    };
    for (std::size_t q = 0; q < model::kQuantityCount; ++q) {
      const auto& info = model::quantity_info()[q];
      write_summary("final_" + std::string(info.name), info.unit,
                    "at the end of the run: " + std::string(info.meaning),
                    [q](const model::FirmSummary& summary) { return summary.final.values[q]; });
    }
    write_summary("share_periods_lead", "share of periods",
                  "share of periods with a market-share lead over the best rival (lead > 0)",
                  [](const model::FirmSummary& summary) { return summary.share_periods_lead; });
    write_summary(
        "share_periods_innovation_lead", "share of periods",
        "share of periods with an innovation lead over the best rival",
        [](const model::FirmSummary& summary) { return summary.share_periods_innovation_lead; });
    write_summary("first_period_lead", "period",
                  "first period with a market-share lead; NaN if never",
                  [](const model::FirmSummary& summary) { return summary.first_period_lead; });
    write_summary("periods_run", "periods", "periods the run lasted",
                  [](const model::FirmSummary& summary) { return summary.periods_run; });
  }

  {
    hdf5::Handle group = hdf5::create_group(root, "design");
    Scales scales;
    write_common_scales(group.get(), scales);
    auto [shape, dims] = leading(scales);
    std::vector<std::int64_t> replication(study_count * run_count);
    std::vector<std::uint64_t> seed(study_count * run_count);
    for (std::size_t s = 0; s < study_count; ++s) {
      for (std::size_t r = 0; r < run_count; ++r) {
        replication[s * run_count + r] =
            static_cast<std::int64_t>((*studies[s].plans)[r].replication);
        seed[s * run_count + r] = (*studies[s].plans)[r].seed;
      }
    }
    hdf5::Handle replication_set =
        hdf5::write_variable(group.get(), "replication", shape, dims, replication.data());
    describe(replication_set.get(), "1",
             "replication number: with the seed, names every random stream of the run");
    hdf5::Handle seed_set = hdf5::write_variable(group.get(), "seed", shape, dims, seed.data());
    describe(seed_set.get(), "1", "master seed of the run");
  }
}

void ResultFile::commit() {
  hdf5::check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), "flushing " + temporary_path_);
  file_.reset();
  std::error_code error;
  fs::rename(temporary_path_, path_, error);
  if (error) {
    throw IoError("cannot rename '" + temporary_path_ + "' to '" + path_ + "': " + error.message());
  }
  committed_ = true;
}

}  // namespace orgsim::io
