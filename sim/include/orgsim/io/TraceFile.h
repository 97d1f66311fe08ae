#pragma once
// A trace of one run's employees as one HDF5 file (format "orgsim-trace" version 1), a
// TraceSink that writes each recorded period as it comes (engine/Trace.h) into arrays laid
// out from the trace's measured shape. The file is written under a temporary name beside
// its target and renamed into place by publish(): an error or an interrupt (the TraceFile
// destroyed unpublished) leaves no file under the target's name, and removes the temporary.
//
// Everything is in the root group, with a dimension scale per dimension, so that
// `xarray.open_dataset(path, engine="h5netcdf")` gives labelled variables:
//
//   period (period)       int32, the periods recorded (every, 2 * every, ...)
//   firm (firm)           the firms' names
//   employee (employee)   int32 slot 0 .. E-1, E the largest headcount of any firm at any
//                         recorded period; slots at and beyond a firm's headcount are
//                         padding (see headcount)
//   dimension (dimension) int32 0 .. m-1
//   beliefs (period, firm, employee, dimension)     int8 in {-1, 0, +1}; padding -128
//   code (period, firm, dimension)                  int8 in {-1, 0, +1}
//   reality (period, dimension)                     int8 in {-1, +1}
//   performance, team (period, firm, employee)      int32; padding -2147483648
//   role (period, firm, employee)                   uint8, 0 producer 1 explorer; padding 255
//   employee_output, autonomy, pressure (period, firm, employee)  float64 (y_i, a_i and
//                         the team manager's pressure); padding NaN
//   headcount (period, firm)                        int32: slots [0, headcount) are employees
//   innovation, lead, market_share, ... (period, firm)  float64: every recorded quantity of
//                         the result files' trajectories (model::quantity_info()) but
//                         headcount, the same values `orgsim run` records for the run
//
// Padding is stored as written values, not as HDF5 or netCDF fill values, so that xarray
// keeps the integer types (a _FillValue would turn int8 beliefs into float32); mask with
// `ds.employee < ds.headcount`. Each variable has units and long_name attributes, the
// padded ones a `padding` attribute. The root attributes: orgsim_format,
// orgsim_format_version, orgsim_version, git_revision, command_line, scenario_file,
// scenario (the resolved scenario text), fingerprint, master_seed, replication, every,
// periods_run, created_utc, title.

#include <cstdint>
#include <string>
#include <vector>

#include "orgsim/engine/Study.h"
#include "orgsim/engine/Trace.h"
#include "orgsim/io/Hdf5.h"

namespace orgsim::io {

inline constexpr const char* kTraceFormat = "orgsim-trace";
inline constexpr std::int64_t kTraceFormatVersion = 1;

inline constexpr std::int8_t kBeliefPadding = -128;
inline constexpr std::int32_t kIntegerPadding = -2147483647 - 1;
inline constexpr std::uint8_t kRolePadding = 255;

/// The largest trace written without --max-size: 1 GiB.
inline constexpr std::uint64_t kDefaultTraceLimit = std::uint64_t{1} << 30;

/// Where a trace came from, for its root attributes.
struct TraceProvenance {
  std::string command_line;
  std::string scenario_file;
  std::string scenario;     ///< the resolved scenario text (engine::Study::scenario_text)
  std::string fingerprint;  ///< engine::Study::fingerprint
  std::uint64_t seed = 0;
  std::uint64_t replication = 0;
  int every = 1;
};

/// The provenance of a trace of `plan`, a run of `study`, made by `command_line` from the
/// scenario at `scenario_file`.
TraceProvenance trace_provenance(const engine::Study& study, const engine::RunPlan& plan,
                                 const std::string& command_line, const std::string& scenario_file);

/// "about 3.2 GB (200 periods x 5 firms x 1,000 employees x 30 dimensions)".
std::string trace_size_text(const engine::TraceShape& shape);

/// Throws ConfigError when a trace of `shape` (of `what`: "replication 3 of NAME") would
/// take more than `limit` bytes, saying how to make it smaller or raise the limit.
void check_trace_size(const engine::TraceShape& shape, std::uint64_t limit,
                      const std::string& what);

class TraceFile : public engine::TraceSink {
 public:
  /// Creates the trace's arrays for `shape` in a temporary file beside `path`. Refuses an
  /// existing `path` unless `overwrite` (ConfigError) and a missing or unwritable directory
  /// (IoError); removes temporaries left by killed commands.
  TraceFile(std::string path, const engine::TraceShape& shape, const TraceProvenance& provenance,
            bool overwrite);
  /// Unpublished: closes and removes the temporary.
  ~TraceFile() override;
  TraceFile(const TraceFile&) = delete;
  TraceFile& operator=(const TraceFile&) = delete;

  void record(const engine::TracePeriod& period) override;

  /// Checks that every period of the shape was recorded, notes `periods_run`, closes the
  /// file and renames it into place.
  void publish(int periods_run);

  const std::string& path() const { return path_; }
  const std::string& temporary_path() const { return temporary_; }

 private:
  void close();

  std::string path_;
  std::string temporary_;
  engine::TraceShape shape_;
  std::size_t recorded_ = 0;
  bool published_ = false;
  hdf5::Handle file_;
  std::vector<hdf5::Handle> scales_;  // period, firm, employee, dimension
  hdf5::Handle beliefs_, code_, reality_, performance_, team_, role_, output_, autonomy_, pressure_,
      headcount_;
  std::vector<hdf5::Handle> quantities_;  // every quantity but headcount, in Quantity order
  std::vector<std::int32_t> periods_;
  // One period's padded arrays, reused.
  std::vector<std::int8_t> belief_rows_;
  std::vector<std::int8_t> code_rows_;
  std::vector<std::int32_t> performance_rows_, team_rows_, headcounts_;
  std::vector<std::uint8_t> role_rows_;
  std::vector<double> output_rows_, autonomy_rows_, pressure_rows_, quantity_rows_;
};

}  // namespace orgsim::io
