#pragma once
// Running a campaign over processes (MPI ranks under mpirun or srun). Process 0, the
// coordinator, keeps the queue of runs still to do and hands them out in small batches to
// whichever worker asks (dynamic load balancing: fast and slow runs mix), runs batches of
// its own on its threads, and records every result in the sink as it arrives. The
// workers ask, run a batch on their threads, send each result back as it finishes, and
// ask again. Only the coordinator touches the sink, so the result is the same as on one
// process whatever the number of processes: every run is a function of its plan alone.
//
// The messages travel over a Transport: MPI in the command line (cli/MpiExecution.cpp),
// threads in memory in the tests.

#include <cstdint>
#include <optional>
#include <vector>

#include "orgsim/engine/Campaign.h"

namespace orgsim::engine {

/// Point-to-point messages between the processes of a job. Process 0 coordinates.
class Transport {
 public:
  struct Message {
    int source = 0;
    int tag = 0;
    std::vector<unsigned char> bytes;
  };

  virtual ~Transport() = default;
  /// This process's number in [0, size()).
  virtual int rank() const = 0;
  virtual int size() const = 0;
  virtual void send(int destination, int tag, const std::vector<unsigned char>& bytes) = 0;
  /// A message waiting for this process from any process, without waiting for one.
  virtual std::optional<Message> poll() = 0;
  /// The next message from `source` with `tag`, waiting until there is one.
  virtual Message receive(int source, int tag) = 0;
};

class DistributedExecutor final : public RunExecutor {
 public:
  /// Results travel encoded by `codec`. Both must outlive the executor.
  DistributedExecutor(Transport& transport, const ResultCodec& codec)
      : transport_(transport), codec_(codec) {}

  /// On the coordinator (transport.rank() == 0) `sink` is the campaign's; the workers
  /// pass null and get an empty report. A failure to record (a full disk) stops the
  /// coordinator's own runs and is rethrown on it once they stop: the workers cannot be
  /// told to stop cleanly then, so the caller ends the job. The report is interrupted when
  /// options.cancel was set or when runs are missing (a worker died). A campaign that needs
  /// a leader rule (leader.policy = python) is a ConfigError on every process: a function
  /// cannot be sent to the others.
  CampaignReport execute(const Campaign& campaign, RunSink* sink,
                         const CampaignOptions& options) override;

 private:
  CampaignReport coordinate(const Campaign& campaign, RunSink& sink,
                            const CampaignOptions& options);
  void work(const Campaign& campaign, const CampaignOptions& options);

  Transport& transport_;
  const ResultCodec& codec_;
};

/// The runs a process gets at a time: enough to keep its threads busy, few enough that
/// the last batches spread over every process.
std::size_t distributed_batch_size(std::size_t remaining, int processes, int threads);

}  // namespace orgsim::engine
