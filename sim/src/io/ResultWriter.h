#pragma once
// The streaming writer of a result file: creates every group, scale, dataset and attribute
// that a ResultSchema describes, then takes the runs a block at a time (a RunBlock, one
// trajectory chunk of runs) and writes each dataset's part of them, so that memory holds one
// block whatever the number of runs. Private to io (ResultFile).

#include <string>
#include <vector>

#include "orgsim/io/Hdf5.h"
#include "orgsim/io/ResultSchema.h"

namespace orgsim::io {

class ResultWriter {
 public:
  /// Creates `target` with everything in `schema`, its datasets empty. Throws IoError.
  ResultWriter(const std::string& target, const ResultSchema& schema, const Provenance& provenance);

  /// Runs per block: a trajectory chunk's, or without trajectories a run column chunk's.
  std::size_t block_runs() const { return block_runs_; }

  /// Writes `block` (at most block_runs() runs, of scenario `scenario`) into every dataset.
  void write(std::size_t scenario, const RunBlock& block);

  /// Flushes the file to the disk. Throws IoError.
  void flush();

 private:
  struct Scales {
    hdf5::Handle scenario, scenario_name, run, firm, firm_name, period;
  };
  struct Group {
    hdf5::Handle group;
    Scales scales;
    std::vector<hdf5::Handle> columns;    // the schema's, the run coordinate (scales.run) empty
    std::vector<hdf5::Handle> variables;  // the schema's
  };

  const ResultSchema& schema_;
  std::string target_;
  int threads_ = 1;
  bool compress_trajectories_ = true;
  hdf5::Handle file_;
  std::vector<Group> groups_;
  std::vector<hsize_t> trajectory_chunk_;
  std::size_t block_runs_ = 0;
  std::vector<std::vector<unsigned char>> compressed_, scratch_;  // per trajectory variable
};

}  // namespace orgsim::io
