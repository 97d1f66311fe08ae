#pragma once
// The process's place in a command that may run under MPI (mpirun -np N orgsim sweep ...).
// Without MPI, or when not launched by an MPI launcher, there is one process: rank 0 of 1.
// Rank 0 coordinates: it owns the result file and its journal, hands out runs and prints;
// the other ranks run what they are given and send the results back (the scheduling is
// the engine's DistributedExecutor; this side gives it MPI to talk over).

#include <functional>
#include <memory>
#include <vector>

#include "RunSupport.h"
#include "orgsim/engine/Campaign.h"
#include "orgsim/engine/DistributedExecutor.h"

namespace orgsim::cli {

struct Job {
  int rank = 0;
  int size = 1;
  /// Rank 0: owns the result file, prints, hands out the runs.
  bool coordinator() const { return rank == 0; }
  bool distributed() const { return size > 1; }
};

/// Starts MPI when this process was launched by mpirun or srun (and orgsim was built with
/// it); call once at the start of main(). The returned job lives until finish_job().
Job start_job(int& argc, char**& argv);
void finish_job();
const Job& current_job();

/// Threads per process by default: the hardware threads shared among this machine's ranks.
int default_threads_per_process();

/// Rank 0 tells the others whether the command can go on (after the checks only it
/// makes, such as the output file's). Returns `ok` on every rank.
bool agree_to_continue(bool ok);

/// Thrown on the other ranks when rank 0 could not start the command (it reports why).
struct JobStopped {};

/// Rank 0 opens the result file; every rank learns whether that worked. The others get
/// nullptr, or JobStopped when rank 0 failed (whose exception rank 0 rethrows).
std::unique_ptr<io::ResultFile> open_result_file(const std::string& path,
                                                 std::vector<io::StudyInfo> studies, bool force,
                                                 bool resume);

/// Reports an interrupted command (what was kept, how to resume) and ends it: the status
/// to return, or, under MPI, every rank at once.
int stop_interrupted(const std::string& command, const io::ResultFile& file);

/// Ends every rank at once (after rank 0 has reported why).
[[noreturn]] void abort_job(int status);

/// Runs `campaign`'s runs that `file` still lacks, on this process's threads or, under
/// MPI, over every rank (DistributedExecutor): rank 0 passes its file, the others nullptr
/// (they return an empty report). Progress goes to stderr and --status. Under MPI, a
/// failure to record ends the job after rank 0 has said what is kept.
engine::CampaignReport execute_job(io::ResultFile* file, const engine::Campaign& campaign,
                                   const RunOptions& options);

#ifdef ORGSIM_WITH_MPI
/// The ranks of this MPI job as the engine's transport (cli/MpiExecution.cpp).
std::unique_ptr<engine::Transport> mpi_transport();
#endif

}  // namespace orgsim::cli
