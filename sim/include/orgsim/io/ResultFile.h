#pragma once
// Writes one orgsim result file (HDF5, format "orgsim-result" version 1):
//
//   /                attributes: orgsim_format, orgsim_format_version, orgsim_version,
//                    git_revision, command_line, scenario_file, scenario (the fully
//                    resolved scenario text), master_seed, replications, threads, created_utc
//   /trajectories    every recorded quantity as (run, period, firm), NaN after a run ended
//   /summaries       final_<quantity> and the per-run measures as (run, firm)
//   /design          replication and seed of each run, as (run)
//
// A comparison of several scenarios (orgsim compare) adds a leading `scenario` dimension
// to every variable, a `scenario_name` coordinate, and one attribute per scenario,
// scenario.<name> and scenario_file.<name>; run r of every scenario is replication r with
// the same seed, so differences along `scenario` are paired.
//
// Every group carries its own dimension scales (scenario, run, period, firm) and a
// firm_name variable, so `xarray.open_dataset(path, engine="h5netcdf", group=...)` gives
// named dimensions and coordinates. The file is written under a temporary name beside the
// target and renamed only when complete: an interrupted command never leaves a file that
// looks finished.

#include <cstdint>
#include <string>
#include <vector>

#include "orgsim/engine/RunPlan.h"
#include "orgsim/engine/Runner.h"
#include "orgsim/io/Hdf5.h"

namespace orgsim::io {

inline constexpr const char* kResultFormat = "orgsim-result";
inline constexpr std::int64_t kResultFormatVersion = 1;

struct Provenance {
  std::string command_line;
  std::uint64_t master_seed = 0;
  int threads = 1;  ///< informational: results do not depend on it
};

/// The runs of one scenario: runs[i] is the result of plans[i].
struct StudyResults {
  std::string name;           ///< for comparisons: the scenario's name
  std::string scenario_file;  ///< where it came from
  std::string scenario_text;  ///< resolved: every key with the value used
  const std::vector<engine::RunPlan>* plans = nullptr;
  const std::vector<engine::RunResult>* runs = nullptr;
};

class ResultFile {
 public:
  /// Prepares to write `path`. Throws IoError if it exists and `overwrite` is false, or if
  /// its directory does not exist or is not writable; creates the temporary file.
  ResultFile(std::string path, bool overwrite);
  ~ResultFile();
  ResultFile(const ResultFile&) = delete;
  ResultFile& operator=(const ResultFile&) = delete;

  /// Writes one scenario's runs.
  void write(const StudyResults& study, const Provenance& provenance);

  /// Writes several scenarios' runs along a leading `scenario` dimension. Every study must
  /// have the same firms and number of runs (IoError otherwise).
  void write(const std::vector<StudyResults>& studies, const Provenance& provenance);

  /// Closes the file and renames it to its final path.
  void commit();

  const std::string& path() const { return path_; }
  const std::string& temporary_path() const { return temporary_path_; }

 private:
  void write_studies(const std::vector<StudyResults>& studies, const Provenance& provenance,
                     bool scenario_dimension);

  std::string path_;
  std::string temporary_path_;
  hdf5::Handle file_;
  bool committed_ = false;
};

/// UTC time now as ISO 8601, for provenance.
std::string utc_timestamp();

}  // namespace orgsim::io
