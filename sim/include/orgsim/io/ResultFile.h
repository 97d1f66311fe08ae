#pragma once
// One orgsim result file (HDF5, format "orgsim-result" version 1), made while the runs
// happen: each finished run goes at once to a journal beside the target (RunJournal,
// FILE.h5.partial), and finish() assembles the HDF5 file from it under a temporary name
// and renames it into place. Memory stays flat however many runs there are, an
// interrupted command leaves no file that looks finished, and --resume continues from the
// journal. The layout:
//
//   /                attributes: orgsim_format, orgsim_format_version, orgsim_version,
//                    git_revision, command_line, scenario_file, scenario (the fully
//                    resolved scenario text), design (for sweeps), master_seed,
//                    replications, runs, failed_runs, common_random_numbers, threads,
//                    created_utc
//   /trajectories    every recorded quantity as (run, period, firm), NaN after a run ended
//                    or for a failed run; a period dimension of length 0 when the study
//                    records no trajectories (--summaries-only)
//   /summaries       model::summary_info(): final_<quantity> and the per-run measures, as
//                    (run, firm)
//   /design          point, replication, seed, failed, error and one column per varied key
//                    (strings for names, int64 for integer keys, float64 for the rest), as
//                    (run); saltelli_block and saltelli_row for Saltelli designs
//
// The varied keys and the replication are also coordinates of the trajectories and
// summaries. A comparison of several scenarios (orgsim compare) puts a leading `scenario`
// dimension on every variable, with a `scenario_name` coordinate and one scenario.<name>
// and scenario_file.<name> attribute per scenario. Every group carries its own dimension
// scales, so `xarray.open_dataset(path, engine="h5netcdf", group=...)` gives named
// dimensions and coordinates. What each dataset is and holds is ResultSchema's description;
// ResultWriter writes it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "orgsim/engine/Executor.h"
#include "orgsim/engine/Runner.h"
#include "orgsim/engine/SerialWorker.h"
#include "orgsim/engine/Study.h"
#include "orgsim/io/ResultSchema.h"
#include "orgsim/io/RunJournal.h"

namespace orgsim::io {

/// Thrown by ResultFile for --resume when the result is already complete: the command was
/// stopped after its file was in place. Not an error.
struct AlreadyComplete {
  std::string path;
};

class ResultFile {
 public:
  /// Prepares `path` for the runs of `studies` (all with the same firms and number of
  /// runs). Without `resume`, refuses an existing result or journal unless `overwrite`;
  /// with it, continues the journal, refusing one made by other studies; without a
  /// journal, throws AlreadyComplete if `path` is these studies' finished result, refuses
  /// any other file there, and starts afresh (started_afresh()) if there is none. Removes
  /// temporaries left by killed commands. Also refuses a missing or unwritable directory.
  /// Throws IoError.
  ResultFile(std::string path, std::vector<StudyInfo> studies, bool overwrite, bool resume);
  ~ResultFile();
  ResultFile(const ResultFile&) = delete;
  ResultFile& operator=(const ResultFile&) = delete;

  /// Runs of all studies: study s's run r is s * runs_per_study() + r.
  std::size_t run_count() const { return runs_per_study_ * studies_.size(); }
  std::size_t runs_per_study() const { return runs_per_study_; }
  /// Runs not yet recorded, in order.
  std::vector<std::size_t> pending() const;
  /// The same one at a time, for engine::execute, with no list of them in memory (one bit
  /// per run). Later records do not change the sequence.
  engine::RunSequence pending_runs() const;
  std::size_t recorded() const;
  /// True when --resume found nothing to continue (no journal, no result) and started.
  bool started_afresh() const { return started_afresh_; }
  std::size_t failed() const;

  /// Records a finished run. The journal is written on a background thread (flushed to
  /// the disk about once a second), so the caller goes on at once; a failure to write
  /// surfaces as an IoError from a later call.
  void record(std::size_t run, engine::RunResult&& result);
  void record(std::size_t run, const engine::RunResult& result);
  /// A result already encoded with RunRecord::encode() (as MPI ranks send them).
  void record_encoded(std::size_t run, std::vector<unsigned char>&& payload);
  void record_failure(std::size_t run, const std::string& error);
  /// Waits for the records so far and makes them durable.
  void checkpoint();

  /// Every recorded successful run, read back, in run order.
  void for_each_result(
      const std::function<void(std::size_t run, const engine::RunResult&)>& visit) const;
  /// Every failed run's message, in run order.
  void for_each_failure(
      const std::function<void(std::size_t run, const std::string&)>& visit) const;

  /// Writes the HDF5 file from the journal, renames it into place and removes the journal.
  /// Compresses on provenance.threads threads.
  void finish(const Provenance& provenance);

  const std::string& path() const { return path_; }
  const std::string& journal_path() const { return journal_.path(); }

 private:
  void sync_now_and_then();  // on the writer's thread: flushes about once a second
  void assemble(const std::string& target, const Provenance& provenance) const;

  std::string path_;
  std::vector<StudyInfo> studies_;
  std::vector<std::string> firm_names_;
  std::size_t runs_per_study_ = 0;
  bool started_afresh_ = false;  // set while journal_ is initialised, so declared before it
  RunJournal journal_;
  // Used by writer_'s tasks, so declared before it (destroyed after it stops).
  std::chrono::steady_clock::time_point last_sync_;         // on the writer's thread only
  std::mutex spare_mutex_;                                  // guards spare_payloads_
  std::vector<std::vector<unsigned char>> spare_payloads_;  // buffers back from the writer
  // Writes journal_ (declared after it: stopped first). Every other use of journal_ drains
  // it first.
  mutable engine::SerialWorker writer_;
};

/// UTC time now as ISO 8601, for provenance.
std::string utc_timestamp();

/// The journal kept beside `path` while its runs happen.
std::string journal_path_for(const std::string& path);

}  // namespace orgsim::io
