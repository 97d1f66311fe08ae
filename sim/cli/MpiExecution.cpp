// The engine's transport over MPI: the distributed executor's messages
// (engine/DistributedExecutor.h) as MPI point-to-point messages of bytes on
// MPI_COMM_WORLD. Only this file and Job.cpp call MPI; the scheduling (which rank runs
// what, how results come back) is the engine's.

#include <mpi.h>

#include "Job.h"

namespace orgsim::cli {
namespace {

std::vector<unsigned char> receive_bytes(const MPI_Status& probed) {
  int count = 0;
  MPI_Get_count(&probed, MPI_BYTE, &count);
  std::vector<unsigned char> bytes(static_cast<std::size_t>(count));
  MPI_Recv(bytes.data(), count, MPI_BYTE, probed.MPI_SOURCE, probed.MPI_TAG, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  return bytes;
}

class MpiTransport final : public engine::Transport {
 public:
  int rank() const override { return current_job().rank; }
  int size() const override { return current_job().size; }

  void send(int destination, int tag, const std::vector<unsigned char>& bytes) override {
    MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, destination, tag,
             MPI_COMM_WORLD);
  }

  std::optional<Message> poll() override {
    int waiting = 0;
    MPI_Status probed;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &probed);
    if (!waiting) return std::nullopt;
    return Message{probed.MPI_SOURCE, probed.MPI_TAG, receive_bytes(probed)};
  }

  Message receive(int source, int tag) override {
    MPI_Status probed;
    MPI_Probe(source, tag, MPI_COMM_WORLD, &probed);
    return Message{probed.MPI_SOURCE, probed.MPI_TAG, receive_bytes(probed)};
  }
};

}  // namespace

std::unique_ptr<engine::Transport> mpi_transport() {
  return std::make_unique<MpiTransport>();
}

}  // namespace orgsim::cli
