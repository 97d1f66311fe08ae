#pragma once
// Replaying one run of a result file (what `orgsim replay` does): the run is rerun from the
// file's own provenance (its resolved scenario and design, rebuilt and checked against the
// file's fingerprint), put through the same record and schema the file was written with
// (RunRecord, RunBlock), and every per-run dataset of the run (trajectories, summaries and
// the design row) is compared with what the file stores, bit for bit (so NaN equals NaN).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace orgsim::io {

/// A per-run dataset of the replayed run whose stored values are not the rerun's, with the
/// first value where they differ.
struct ReplayDifference {
  std::string dataset;  ///< e.g. "summaries/final_lead"
  /// The file has no such dataset at all (the rest below is then empty).
  bool missing = false;
  /// Where the first differing value is, for a variable (one value per firm, and per
  /// recorded period for a trajectory); empty for a per-run column.
  std::optional<std::size_t> firm;
  std::optional<std::int32_t> period;
  /// That value as text: as stored and as the rerun makes it. Numbers as number_text()
  /// writes them (integers in full), strings in single quotes, "(none)" past the end.
  std::string stored;
  std::string rerun;
};

struct ReplayOutcome {
  enum class Status {
    reproduced,     ///< every dataset compared is the rerun's, bit for bit
    differs,        ///< some are not: see differences
    study_differs,  ///< the scenario and design read back make another study than recorded
    run_failed,     ///< the run failed when the file was made: there is nothing to compare
  };
  Status status = Status::reproduced;
  bool reproduced() const { return status == Status::reproduced; }

  /// study_differs: the first line where the recorded fingerprint and the rebuilt study's
  /// differ ("'A' recorded, 'B' rebuilt").
  std::string study_difference;
  /// run_failed: the error the file records for the run.
  std::string run_error;

  /// The per-run datasets compared (reproduced, differs), and those that differ, in the
  /// file's schema order.
  std::size_t checked = 0;
  std::vector<ReplayDifference> differences;

  /// The run as rerun (reproduced, differs): its recorded periods (0 for a summaries-only
  /// file), firms, seed and replication.
  std::size_t periods = 0;
  std::size_t firms = 0;
  std::uint64_t seed = 0;
  std::uint64_t replication = 0;

  /// The file's orgsim_version and git_revision attributes.
  std::string orgsim_version;
  std::string git_revision;
};

/// Replays run `run` of the result file at `path`. `scenario` names the scenario of a
/// comparison (orgsim compare) and must be absent (or empty) for a file of one scenario.
/// Throws IoError when the file cannot be read as a result, and ConfigError when `run` is
/// out of range or `scenario` does not fit the file (naming the scenarios it has); an
/// outcome that is not reproduced is returned, not thrown.
ReplayOutcome replay_run(const std::string& path, std::size_t run,
                         const std::optional<std::string>& scenario);

}  // namespace orgsim::io
