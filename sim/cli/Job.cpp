#include "Job.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <thread>

#include "Commands.h"
#include "orgsim/io/ResultSink.h"
#include "orgsim/model/ParameterTable.h"

#ifdef ORGSIM_WITH_MPI
#include <mpi.h>
#endif

namespace orgsim::cli {
namespace {

Job job;
bool mpi_started = false;

bool launched_by_mpi() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"}) {
    if (std::getenv(variable) != nullptr) return true;
  }
  return false;
}

}  // namespace

Job start_job(int& argc, char**& argv) {
#ifdef ORGSIM_WITH_MPI
  if (launched_by_mpi()) {
    int provided = 0;
    // Worker threads send results, one at a time (the executor serialises its callbacks).
    MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
    mpi_started = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &job.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &job.size);
  }
#else
  (void)argc;
  (void)argv;
#endif
  return job;
}

void finish_job() {
#ifdef ORGSIM_WITH_MPI
  if (mpi_started) MPI_Finalize();
#endif
  mpi_started = false;
}

const Job& current_job() {
  return job;
}

int default_threads_per_process() {
  const int hardware = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  int local_ranks = 1;
  if (const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE")) local_ranks = std::atoi(local);
  return std::max(1, hardware / std::max(1, local_ranks));
}

std::unique_ptr<io::ResultFile> open_result_file(const std::string& path,
                                                 std::vector<io::StudyInfo> studies, bool force,
                                                 bool resume) {
  if (!job.coordinator()) {
    if (!agree_to_continue(true)) throw JobStopped{};
    return nullptr;
  }
  std::unique_ptr<io::ResultFile> file;
  try {
    file = std::make_unique<io::ResultFile>(path, std::move(studies), force, resume);
  } catch (...) {
    agree_to_continue(false);
    throw;
  }
  agree_to_continue(true);
  return file;
}

bool agree_to_continue(bool ok) {
#ifdef ORGSIM_WITH_MPI
  if (job.distributed()) {
    int flag = ok ? 1 : 0;
    MPI_Bcast(&flag, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return flag != 0;
  }
#endif
  return ok;
}

engine::CampaignReport execute_job(io::ResultFile* file, const engine::Campaign& campaign,
                                   const RunOptions& options) {
  std::optional<io::ResultSink> sink;
  if (file != nullptr) sink.emplace(*file);
  engine::CampaignOptions campaign_options;
  campaign_options.threads = options.threads;
  campaign_options.cancel = &interrupt_flag();
  campaign_options.observe = progress_observer(options);
#ifdef ORGSIM_WITH_MPI
  if (job.distributed()) {
    if (file != nullptr) {
      // Said at once: when a rank dies, mpirun ends the others soon after its SIGTERM.
      campaign_options.interrupted_now = [file] {
        std::cerr << "\norgsim: interrupted; the runs finished so far are kept in "
                  << file->journal_path() << "; rerun the same command with --resume to finish"
                  << std::endl;
      };
    }
    const auto transport = mpi_transport();
    const io::JournalCodec codec(
        static_cast<std::size_t>(model::firm_count(campaign.study(0).base())));
    engine::DistributedExecutor executor(*transport, codec);
    try {
      return engine::run_campaign(campaign, sink ? &*sink : nullptr, executor, campaign_options);
    } catch (const std::exception& error) {
      if (file == nullptr) throw;
      // The other ranks cannot be told to stop cleanly once recording has failed: end the job.
      std::cerr << "\norgsim: " << error.what() << "; the runs recorded before are kept in "
                << file->journal_path() << " for --resume" << std::endl;
      abort_job(kExitFailure);
    }
  }
#endif
  engine::ThreadedExecutor executor;
  return engine::run_campaign(campaign, sink ? &*sink : nullptr, executor, campaign_options);
}

int stop_interrupted(const std::string& command, const io::ResultFile& file) {
  report_interrupted(command, file);
  if (job.distributed()) abort_job(kExitInterrupted);
  return kExitInterrupted;
}

void abort_job(int status) {
#ifdef ORGSIM_WITH_MPI
  if (mpi_started) MPI_Abort(MPI_COMM_WORLD, status);
#endif
  std::exit(status);
}

}  // namespace orgsim::cli
