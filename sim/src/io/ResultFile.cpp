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
#include <memory>
#include <optional>

#include "orgsim/Version.h"
#include "orgsim/core/Error.h"
#include "orgsim/io/DurableFile.h"
#include "orgsim/io/Hdf5.h"
#include "orgsim/io/ResultReader.h"
#include "orgsim/io/RunIndex.h"
#include "orgsim/model/ParameterTable.h"

namespace orgsim::io {
namespace fs = std::filesystem;
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kSummaryCount = kSummariesPerFirm;
// Finished runs waiting for the journal's writer at most: enough to ride out a slow write,
// few enough that memory stays small (a March run is 12 KB).
constexpr std::size_t kQueuedRecords = 64;
// Chunks of the per-run columns (summaries, design): 32 KiB, 4096 runs of an 8-byte value.
// Assembly holds one chunk of each, about fifty of them, so a chunk's size is what memory
// grows by with the number of runs until a sweep has that many.
constexpr std::size_t kRunColumnChunkBytes = 32 * 1024;

// create_variable with chunks of kRunColumnChunkBytes.
template <class T>
hdf5::Handle create_run_column(hid_t group, const std::string& name,
                               const std::vector<hsize_t>& shape,
                               const std::vector<const hdf5::Handle*>& scales) {
  return hdf5::create_variable<T>(group, name, shape, scales,
                                  hdf5::chunk_shape(shape, sizeof(T), kRunColumnChunkBytes));
}

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

// Run k of a block from its journal payload (see encode_result): its trajectory into the
// per-quantity chunks of `period_count` periods per run, its summaries into row k of the
// per-summary columns. Parsed in place: no RunResult per run.
void read_run(const std::vector<unsigned char>& payload, std::size_t k, std::size_t period_count,
              std::size_t firm_count, std::vector<std::vector<double>>& trajectory_block,
              std::vector<std::vector<double>>& summary_block) {
  constexpr std::size_t kObservationBytes = sizeof(double) * model::kQuantityCount;
  std::uint32_t recorded = 0;
  if (payload.size() >= sizeof recorded) std::memcpy(&recorded, payload.data(), sizeof recorded);
  const std::size_t trajectory_at = sizeof recorded + recorded * sizeof(std::int32_t);
  const std::size_t summaries_at = trajectory_at + recorded * firm_count * kObservationBytes;
  if (payload.size() < sizeof recorded ||
      payload.size() !=
          summaries_at + firm_count * kSummaryCount * sizeof(double) + sizeof(double)) {
    throw IoError("journal record of the wrong size for its contents");
  }
  const unsigned char* bytes = payload.data();
  const std::size_t periods = std::min<std::size_t>(recorded, period_count);
  for (std::size_t t = 0; t < periods; ++t) {
    for (std::size_t f = 0; f < firm_count; ++f) {
      const unsigned char* observation =
          bytes + trajectory_at + (t * firm_count + f) * kObservationBytes;
      const std::size_t at = (k * period_count + t) * firm_count + f;
      for (std::size_t q = 0; q < model::kQuantityCount; ++q) {
        std::memcpy(&trajectory_block[q][at], observation + q * sizeof(double), sizeof(double));
      }
    }
  }
  for (std::size_t f = 0; f < firm_count; ++f) {
    const unsigned char* summary = bytes + summaries_at + f * kSummaryCount * sizeof(double);
    for (std::size_t v = 0; v < kSummaryCount; ++v) {
      std::memcpy(&summary_block[v][k * firm_count + f], summary + v * sizeof(double),
                  sizeof(double));
    }
  }
}

// The part of "group.NAME.KEY" after the group, or the key itself.
std::string plain_key(const std::string& key) {
  if (key.rfind("group.", 0) != 0) return key;
  const auto dot = key.find('.', 6);
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

// How a varied key's /design column stores its values: names as strings, an integer key's
// values as int64 (so that .sel(firm.employees=20) matches), the rest as float64.
enum class ColumnType { text, whole, real };

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

// An integer key is stored as int64 unless one of its values is not a whole number in
// int64's range (a list value such as 12.5, or 1e+300 from an absurd range): those points'
// runs fail, and float64 can still say which value they had.
ColumnType column_type(const engine::Design& design, std::size_t f) {
  const model::ParameterSpec* spec = model::find_parameter(plain_key(design.factors[f].key));
  if (spec == nullptr || spec->kind == model::ValueKind::real) return ColumnType::real;
  if (spec->kind == model::ValueKind::choice) return ColumnType::text;
  for (const auto& point : design.points) {
    if (!whole_number(point[f])) return ColumnType::real;
  }
  return ColumnType::whole;
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
                        std::size_t firm_count, bool overwrite, bool resume, bool& started_afresh) {
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
  const std::string journal = journal_path_for(path);
  if (access(directory.c_str(), W_OK) != 0) {
    const std::string reason = std::strerror(errno);
    if (resume && fs::exists(journal)) {
      throw IoError("cannot resume '" + path + "': directory '" + directory.string() +
                    "' is not writable (" + reason + "); the runs so far stay in '" + journal +
                    "': make the directory writable and rerun with --resume");
    }
    throw IoError("cannot write '" + path + "': directory '" + directory.string() +
                  "' is not writable (" + reason + "); choose another --out");
  }
  const std::string fingerprint = fingerprint_of(studies);
  // What a command killed while writing either file left behind.
  remove_stale_temporaries(path);
  remove_stale_temporaries(journal);
  if (resume) {
    if (fs::exists(journal)) return RunJournal::resume(journal, fingerprint, firm_count);
    if (fs::exists(target)) {
      // Killed after the result was in place: done, if it is this command's result.
      std::string stored;
      try {
        stored = ResultReader(path).attribute("fingerprint");
      } catch (const Error&) {
        stored.clear();
      }
      if (stored == fingerprint) throw AlreadyComplete{path};
      throw IoError("nothing to resume: '" + path +
                    "' exists but holds the results of a different scenario or design (or is "
                    "not an orgsim result); pass --force to overwrite it or choose another --out");
    }
    // Killed before its first run reached the disk: nothing to continue, so start.
    started_afresh = true;
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
      journal_(
          open_journal(path_, studies_, firm_names_.size(), overwrite, resume, started_afresh_)),
      last_sync_(std::chrono::steady_clock::now()),
      writer_(kQueuedRecords) {
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

std::size_t ResultFile::recorded() const {
  writer_.drain();
  return journal_.size();
}

std::size_t ResultFile::failed() const {
  writer_.drain();
  return journal_.failures();
}

std::vector<std::size_t> ResultFile::pending() const {
  writer_.drain();
  std::vector<std::size_t> runs;
  for (std::size_t run = 0; run < run_count(); ++run) {
    if (!journal_.contains(run)) runs.push_back(run);
  }
  return runs;
}

engine::RunSequence ResultFile::pending_runs() const {
  writer_.drain();
  // A snapshot of the runs to do, a bit each: the journal changes as they are recorded.
  auto to_do = std::make_shared<std::vector<std::uint64_t>>((run_count() + 63) / 64, 0);
  std::size_t count = 0;
  for (std::size_t run = 0; run < run_count(); ++run) {
    if (journal_.contains(run)) continue;
    (*to_do)[run / 64] |= std::uint64_t{1} << (run % 64);
    ++count;
  }
  auto cursor = std::make_shared<std::size_t>(0);
  return engine::RunSequence{count, [to_do, cursor] {
                               while ((((*to_do)[*cursor / 64] >> (*cursor % 64)) & 1) == 0) {
                                 ++*cursor;
                               }
                               return (*cursor)++;
                             }};
}

void ResultFile::record(std::size_t run, engine::RunResult&& result) {
  // Encoded here, into a buffer the writer hands back: the result's memory is freed by the
  // thread that allocated it and reused for its next run. (Freed on the writer's thread,
  // it went to that thread's allocator cache, and each run started on cold memory.)
  std::vector<unsigned char> payload;
  {
    std::lock_guard lock(spare_mutex_);
    if (!spare_payloads_.empty()) {
      payload = std::move(spare_payloads_.back());
      spare_payloads_.pop_back();
    }
  }
  encode_result(result, payload);
  record_encoded(run, std::move(payload));
}

void ResultFile::record(std::size_t run, const engine::RunResult& result) {
  record(run, engine::RunResult(result));
}

void ResultFile::record_encoded(std::size_t run, std::vector<unsigned char>&& payload) {
  auto shared = std::make_shared<std::vector<unsigned char>>(std::move(payload));
  writer_.submit([this, run, shared] {
    journal_.append_encoded(run, *shared);
    sync_now_and_then();
    std::lock_guard lock(spare_mutex_);
    if (spare_payloads_.size() < kQueuedRecords) spare_payloads_.push_back(std::move(*shared));
  });
}

void ResultFile::record_failure(std::size_t run, const std::string& error) {
  writer_.submit([this, run, error] {
    journal_.append_failure(run, error);
    sync_now_and_then();
  });
}

void ResultFile::sync_now_and_then() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_sync_ < std::chrono::seconds(1)) return;
  journal_.sync();
  last_sync_ = now;
}

void ResultFile::checkpoint() {
  writer_.drain();
  journal_.sync();
}

void ResultFile::for_each_result(
    const std::function<void(std::size_t, const engine::RunResult&)>& visit) const {
  writer_.drain();
  if (journal_.size() == journal_.failures()) return;
  RunIndex index(journal_, run_count());
  for (std::size_t run = 0; run < run_count(); ++run) {
    const auto entry = index.find(run);
    if (!entry || entry->failed) continue;
    engine::RunResult result = journal_.read_result(*entry);
    result.firm_names = firm_names_;
    visit(run, result);
  }
}

void ResultFile::for_each_failure(
    const std::function<void(std::size_t, const std::string&)>& visit) const {
  writer_.drain();
  if (journal_.failures() == 0) return;
  RunIndex index(journal_, run_count());
  for (std::size_t run = 0; run < run_count(); ++run) {
    const auto entry = index.find(run);
    if (entry && entry->failed) visit(run, journal_.read_failure(*entry));
  }
}

void ResultFile::finish(const Provenance& provenance) {
  checkpoint();
  try {
    write_then_publish(path_,
                       [&](const std::string& temporary) { assemble(temporary, provenance); });
  } catch (const Error& error) {
    throw IoError("cannot write '" + path_ + "': " + error.what() + "; all " +
                  std::to_string(journal_.size()) + " runs are kept in '" + journal_.path() +
                  "': make room and rerun the same command with --resume");
  }
  // Only now: until the result is on the disk under its name, the journal is the copy.
  std::error_code error;
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

  // The period axis: the longest recorded run's.
  std::vector<std::int32_t> periods;
  if (const auto longest = journal_.longest_success()) {
    const auto result = journal_.read_result(*longest);
    periods.assign(result.periods.begin(), result.periods.end());
  }
  const std::size_t period_count = periods.size();

  // Root attributes: provenance.
  hdf5::set_attribute(root, "orgsim_format", std::string(kResultFormat));
  hdf5::set_attribute(root, "orgsim_format_version", kResultFormatVersion);
  hdf5::set_attribute(root, "orgsim_version", std::string(kOrgsimVersion));
  hdf5::set_attribute(root, "git_revision", std::string(kGitRevision));
  hdf5::set_attribute(root, "command_line", provenance.command_line);
  for (const auto& study : studies_) {
    const std::string suffix = comparison ? "." + study.name : "";
    hdf5::set_attribute(root, "scenario_file" + suffix, study.scenario_file);
    hdf5::set_attribute(root, "scenario" + suffix, study.study->scenario_text());
  }
  if (!design.factors.empty()) hdf5::set_attribute(root, "design", design.describe());
  hdf5::set_attribute(root, "master_seed", first.seed());
  hdf5::set_attribute(root, "replications", static_cast<std::int64_t>(first.replications()));
  hdf5::set_attribute(root, "runs", static_cast<std::int64_t>(run_count()));
  hdf5::set_attribute(root, "failed_runs", static_cast<std::int64_t>(journal_.failures()));
  hdf5::set_attribute(root, "common_random_numbers",
                      std::string("run r is replication r mod replications with the same seed at "
                                  "every design point and in every scenario: every firm's random "
                                  "streams are the same, so differences are paired"));
  hdf5::set_attribute(root, "threads", static_cast<std::int64_t>(provenance.threads));
  hdf5::set_attribute(root, "created_utc", utc_timestamp());
  hdf5::set_attribute(root, "title", std::string("orgsim result"));
  // What --resume compares to tell this command's finished result from another's.
  hdf5::set_attribute(root, "fingerprint", fingerprint_of(studies_));

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
    // Filled block by block with the runs' data below.
    scales.run = hdf5::create_coordinate<std::int64_t>(group, "run", runs);
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

  // The per-run columns: replication and the varied keys in every group (the design's
  // columns, and coordinates of the trajectories and summaries), the rest in /design only.
  // Created empty here and written block by block with the runs, so that memory holds one
  // block of them whatever the number of runs.
  struct RunColumns {
    const hdf5::Handle* run = nullptr;  // the group's run coordinate
    hdf5::Handle replication, point, seed, failed, error, saltelli_block, saltelli_row;
    std::vector<hdf5::Handle> factors;
  };
  std::vector<ColumnType> factor_types;
  for (std::size_t f = 0; f < design.factors.size(); ++f) {
    factor_types.push_back(column_type(design, f));
  }
  auto create_run_columns = [&](hid_t group, const Scales& scales, bool everything) {
    RunColumns columns;
    auto [shape, dims] = leading(scales);
    columns.replication = create_run_column<std::int64_t>(group, "replication", shape, dims);
    describe(columns.replication.get(), "1",
             "replication number: with the seed, names every random stream");
    for (std::size_t f = 0; f < design.factors.size(); ++f) {
      const auto& factor = design.factors[f];
      if (factor_types[f] == ColumnType::text) {
        columns.factors.push_back(hdf5::create_strings(group, factor.key, shape, dims));
        describe(columns.factors.back().get(), "", "varied: " + factor.text());
      } else {
        const model::ParameterSpec* spec = model::find_parameter(plain_key(factor.key));
        columns.factors.push_back(
            factor_types[f] == ColumnType::whole
                ? create_run_column<std::int64_t>(group, factor.key, shape, dims)
                : create_run_column<double>(group, factor.key, shape, dims));
        describe(columns.factors.back().get(), spec != nullptr ? spec->unit : "",
                 "varied: " + factor.text());
      }
    }
    if (!everything) return columns;
    columns.point = create_run_column<std::int64_t>(group, "point", shape, dims);
    describe(columns.point.get(), "1", "design point number");
    columns.seed = create_run_column<std::uint64_t>(group, "seed", shape, dims);
    describe(columns.seed.get(), "1", "master seed of the run");
    columns.failed = create_run_column<std::int32_t>(group, "failed", shape, dims);
    describe(columns.failed.get(), "1", "1 if the run failed (its values are NaN), else 0");
    columns.error = hdf5::create_strings(group, "error", shape, dims);
    describe(columns.error.get(), "", "why the run failed; empty if it did not");
    if (!design.saltelli_block.empty()) {
      columns.saltelli_block =
          create_run_column<std::int32_t>(group, "saltelli_block", shape, dims);
      describe(columns.saltelli_block.get(), "1",
               "Saltelli matrix: 0 = A, 1 = B, 2 + i = A with column i from B");
      columns.saltelli_row = create_run_column<std::int32_t>(group, "saltelli_row", shape, dims);
      describe(columns.saltelli_row.get(), "1", "row of the Saltelli matrix");
    }
    return columns;
  };

  hdf5::Handle trajectories = hdf5::create_group(root, "trajectories");
  if (first.trajectories() == engine::Trajectories::none) {
    // The group keeps its variables, with a period dimension of length 0, so that code
    // reading any result opens this one too.
    hdf5::set_attribute(trajectories.get(), "comment",
                        std::string("no periods recorded (--summaries-only): each run's final "
                                    "state is in /summaries"));
  }
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
  std::vector<RunColumns> column_groups;
  column_groups.push_back(create_run_columns(trajectories.get(), trajectory_scales, false));
  column_groups.back().run = &trajectory_scales.run;
  column_groups.push_back(create_run_columns(summaries.get(), summary_scales, false));
  column_groups.back().run = &summary_scales.run;
  column_groups.push_back(create_run_columns(design_group.get(), design_scales, true));
  column_groups.back().run = &design_scales.run;

  // The trajectories: chunks of whole runs (one scenario's), each compressed here, several
  // at once, and stored as it is (HDF5 would compress them one at a time).
  std::vector<hsize_t> trajectory_shape = {runs, period_count, firm_count};
  std::vector<hsize_t> trajectory_chunk = hdf5::chunk_shape(trajectory_shape, sizeof(double));
  if (comparison) {
    trajectory_shape.insert(trajectory_shape.begin(), study_count);
    trajectory_chunk.insert(trajectory_chunk.begin(), 1);
  }
  // Runs per block: a trajectory chunk's, or without trajectories a run column chunk's.
  const std::size_t block = period_count * firm_count > 0
                                ? static_cast<std::size_t>(trajectory_chunk[comparison ? 1 : 0])
                                : kRunColumnChunkBytes / sizeof(double);
  std::vector<hdf5::Handle> trajectory_sets;
  {
    auto [shape, dims] = leading(trajectory_scales);
    dims.insert(dims.end(), {&trajectory_scales.period, &trajectory_scales.firm});
    for (const auto& info : model::quantity_info()) {
      trajectory_sets.push_back(hdf5::create_variable<double>(
          trajectories.get(), std::string(info.name), trajectory_shape, dims, trajectory_chunk,
          provenance.compress_trajectories));
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
      summary_sets.push_back(create_run_column<double>(summaries.get(), info.name, shape, dims));
      describe(summary_sets.back().get(), info.units, info.meaning);
      hdf5::set_attribute(summary_sets.back().get(), "coordinates", coordinates);
    }
  }

  // The runs, block by block in run order, read back through an index kept on disk.
  RunIndex index(journal_, run_count());
  const std::size_t per_run = period_count * firm_count;
  std::vector<std::vector<double>> trajectory_block(model::kQuantityCount);
  std::vector<std::vector<unsigned char>> compressed(model::kQuantityCount);
  std::vector<std::vector<unsigned char>> scratch(model::kQuantityCount);
  std::vector<std::vector<double>> summary_block(kSummaryCount);
  std::vector<unsigned char> payload;
  std::vector<std::int64_t> run_numbers, point, replication;
  std::vector<std::uint64_t> seed;
  std::vector<std::int32_t> failed, saltelli_block, saltelli_row;
  std::vector<std::string> error;
  std::vector<double> numbers;
  std::vector<std::int64_t> wholes;
  std::vector<std::string> names;
  for (std::size_t s = 0; s < study_count; ++s) {
    const engine::Study& study = *studies_[s].study;
    for (std::size_t begin = 0; begin < runs; begin += block) {
      const std::size_t count = std::min(block, runs - begin);
      // A whole chunk, even the last: a stored chunk always has the chunk's shape.
      for (auto& values : trajectory_block) values.assign(block * per_run, kNaN);
      for (auto& values : summary_block) values.assign(count * firm_count, kNaN);
      run_numbers.resize(count);
      point.resize(count);
      replication.resize(count);
      seed.assign(count, study.seed());
      failed.assign(count, 0);
      error.assign(count, std::string());
      for (std::size_t k = 0; k < count; ++k) {
        const std::size_t run = begin + k;
        run_numbers[k] = static_cast<std::int64_t>(run);
        point[k] = static_cast<std::int64_t>(study.point_of(run));
        replication[k] = static_cast<std::int64_t>(study.replication_of(run));
        const auto entry = index.find(s * runs + run);
        if (!entry) {
          failed[k] = 1;
          error[k] = "not run";
          continue;
        }
        if (entry->failed) {
          failed[k] = 1;
          error[k] = journal_.read_failure(*entry);
          continue;
        }
        journal_.read_payload(*entry, payload);
        read_run(payload, k, period_count, firm_count, trajectory_block, summary_block);
      }
      std::vector<hsize_t> start, extent;
      if (comparison) {
        start.push_back(s);
        extent.push_back(1);
      }
      start.push_back(begin);
      extent.push_back(count);
      if (per_run > 0 && !provenance.compress_trajectories) {
        std::vector<hsize_t> offset = start;
        offset.insert(offset.end(), {0, 0});
        for (std::size_t q = 0; q < model::kQuantityCount; ++q) {
          hdf5::write_raw_chunk(trajectory_sets[q], offset, trajectory_block[q].data(),
                                trajectory_block[q].size() * sizeof(double));
        }
      } else if (per_run > 0) {
        engine::for_each_parallel(model::kQuantityCount, provenance.threads, [&](std::size_t q) {
          hdf5::compress_chunk(reinterpret_cast<const unsigned char*>(trajectory_block[q].data()),
                               trajectory_block[q].size() * sizeof(double), sizeof(double),
                               scratch[q], compressed[q]);
        });
        std::vector<hsize_t> offset = start;
        offset.insert(offset.end(), {0, 0});
        for (std::size_t q = 0; q < model::kQuantityCount; ++q) {
          hdf5::write_chunk(trajectory_sets[q], offset, compressed[q]);
        }
      }
      std::vector<hsize_t> summary_start = start, summary_extent = extent;
      summary_start.push_back(0);
      summary_extent.push_back(firm_count);
      for (std::size_t v = 0; v < kSummaryCount; ++v) {
        hdf5::write_slab(summary_sets[v], summary_start, summary_extent, summary_block[v].data());
      }
      // The design's columns of these runs, in every group that has them.
      for (auto& columns : column_groups) {
        if (s == 0) hdf5::write_slab(*columns.run, {begin}, {count}, run_numbers.data());
        hdf5::write_slab(columns.replication, start, extent, replication.data());
        for (std::size_t f = 0; f < design.factors.size(); ++f) {
          auto value_of = [&](std::size_t k) -> const std::string& {
            return design.points[static_cast<std::size_t>(point[k])][f];
          };
          if (factor_types[f] == ColumnType::text) {
            names.resize(count);
            for (std::size_t k = 0; k < count; ++k) names[k] = value_of(k);
            hdf5::write_strings_slab(columns.factors[f], start, extent, names);
          } else if (factor_types[f] == ColumnType::whole) {
            wholes.resize(count);
            for (std::size_t k = 0; k < count; ++k) wholes[k] = *whole_number(value_of(k));
            hdf5::write_slab(columns.factors[f], start, extent, wholes.data());
          } else {
            numbers.resize(count);
            for (std::size_t k = 0; k < count; ++k) numbers[k] = real_number(value_of(k));
            hdf5::write_slab(columns.factors[f], start, extent, numbers.data());
          }
        }
        if (!columns.point.valid()) continue;
        hdf5::write_slab(columns.point, start, extent, point.data());
        hdf5::write_slab(columns.seed, start, extent, seed.data());
        hdf5::write_slab(columns.failed, start, extent, failed.data());
        hdf5::write_strings_slab(columns.error, start, extent, error);
        if (columns.saltelli_block.valid()) {
          saltelli_block.resize(count);
          saltelli_row.resize(count);
          for (std::size_t k = 0; k < count; ++k) {
            saltelli_block[k] = design.saltelli_block[static_cast<std::size_t>(point[k])];
            saltelli_row[k] = design.saltelli_row[static_cast<std::size_t>(point[k])];
          }
          hdf5::write_slab(columns.saltelli_block, start, extent, saltelli_block.data());
          hdf5::write_slab(columns.saltelli_row, start, extent, saltelli_row.data());
        }
      }
    }
  }
  hdf5::check(H5Fflush(root, H5F_SCOPE_GLOBAL), "flushing " + target);
}

}  // namespace orgsim::io
