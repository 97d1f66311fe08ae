#pragma once
// How big a result file will be, worked out from its layout (ResultFile.h) before any run:
// for the line `orgsim run`, `compare` and `sweep` print as they start, so that a sweep
// that would write gigabytes says so while there is still time to pass --every K or
// --summaries-only.
//
// Sizes are in bytes and before compression: the trajectories, float64 (run, period, firm)
// for every quantity and recorded period, are usually most of a file, and how much deflate
// takes off them depends on the model's dynamics (a tenth to a half of them is typical), so
// the uncompressed figure is the honest one to give. With --no-compression it is the
// file's size, give or take HDF5's own bookkeeping.

#include <cstdint>
#include <string>
#include <vector>

#include "orgsim/io/ResultFile.h"

namespace orgsim::io {

struct ResultSize {
  std::size_t runs = 0;     ///< every scenario's runs together
  std::size_t periods = 0;  ///< recorded periods per run: the period dimension's length
  /// Runs may stop early (run.stop = equilibrium): the period dimension is the longest
  /// run's, `periods` (from run.max_periods) its upper bound.
  bool periods_at_most = false;
  std::size_t firms = 0;
  std::uint64_t trajectory_bytes = 0;  ///< /trajectories' variables
  std::uint64_t summary_bytes = 0;     ///< /summaries' variables
  std::uint64_t design_bytes = 0;      ///< the per-run columns of every group
  std::uint64_t metadata_bytes = 0;    ///< attributes, object headers, dimension scales

  std::uint64_t total() const {
    return trajectory_bytes + summary_bytes + design_bytes + metadata_bytes;
  }
};

/// The size of the file `studies` will make (the studies of one ResultFile).
ResultSize estimate_result_size(const std::vector<StudyInfo>& studies);

/// The number of periods a study's runs record (their trajectories' period dimension),
/// setting `at_most` when runs may stop before it. Design factors that vary run.periods,
/// run.max_periods or run.stop count with their largest values.
std::size_t recorded_periods(const engine::Study& study, bool& at_most);

}  // namespace orgsim::io
