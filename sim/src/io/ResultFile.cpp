#include "orgsim/io/ResultFile.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>

#include "ResultWriter.h"
#include "orgsim/core/Error.h"
#include "orgsim/io/DurableFile.h"
#include "orgsim/io/Hdf5.h"
#include "orgsim/io/ResultReader.h"
#include "orgsim/io/RunIndex.h"
#include "orgsim/io/RunRecord.h"
#include "orgsim/model/ParameterTable.h"

namespace orgsim::io {
namespace fs = std::filesystem;
namespace {

// Finished runs waiting for the journal's writer at most: enough to ride out a slow write,
// few enough that memory stays small (a March run is 12 KB).
constexpr std::size_t kQueuedRecords = 64;

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
  RunRecord::encode(result, payload);
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
  // The period axis: the longest recorded run's.
  std::vector<std::int32_t> periods;
  if (const auto longest = journal_.longest_success()) {
    const auto result = journal_.read_result(*longest);
    periods.assign(result.periods.begin(), result.periods.end());
  }
  const std::size_t period_count = periods.size();
  const std::size_t firm_count = firm_names_.size();
  const ResultSchema schema = result_schema(studies_, firm_names_, std::move(periods),
                                            journal_.failures(), provenance, utc_timestamp());
  ResultWriter writer(target, schema, provenance);

  // The runs, block by block in run order, read back through an index kept on disk.
  RunIndex index(journal_, run_count());
  const std::size_t runs = runs_per_study_;
  const std::size_t capacity = writer.block_runs();
  RunBlock block;
  std::vector<unsigned char> payload;
  for (std::size_t s = 0; s < studies_.size(); ++s) {
    const engine::Study& study = *studies_[s].study;
    for (std::size_t begin = 0; begin < runs; begin += capacity) {
      const std::size_t count = std::min(capacity, runs - begin);
      block.start(study, begin, count, capacity, period_count, firm_count);
      for (std::size_t k = 0; k < count; ++k) {
        const auto entry = index.find(s * runs + begin + k);
        if (!entry) {
          block.fail(k, "not run");
        } else if (entry->failed) {
          block.fail(k, journal_.read_failure(*entry));
        } else {
          journal_.read_payload(*entry, payload);
          block.add(k, RunRecord(payload, firm_count));
        }
      }
      writer.write(s, block);
    }
  }
  writer.flush();
}

}  // namespace orgsim::io
