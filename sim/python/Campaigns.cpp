// orgsim.run, compare and sweep in-process: the same studies, campaign, result file and
// journal as the command line's commands, run on a thread of their own (Progress.h) so that
// Ctrl-C interrupts them between periods and a progress bar moves. The file is the one
// `orgsim run/compare/sweep` writes for the same inputs: the same datasets, the same bytes
// (ResultReader::content_digest), only the provenance attributes say which made it.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "Bindings.h"
#include "LeaderPolicy.h"
#include "Progress.h"
#include "ScenarioSource.h"
#include "orgsim/core/Error.h"
#include "orgsim/engine/Campaign.h"
#include "orgsim/engine/Study.h"
#include "orgsim/io/ResultFile.h"
#include "orgsim/io/ResultReader.h"
#include "orgsim/io/ResultSink.h"

namespace py = pybind11;

namespace orgsim::python {
namespace {

struct CampaignRequest {
  std::string command;  // "run", "compare" or "sweep": for messages
  std::vector<ScenarioSource> scenarios;
  std::vector<std::string> vary;
  std::string design = "grid";
  std::optional<long> samples;
  std::string out;
  int threads = 1;
  bool force = false;
  bool resume = false;
  bool summaries_only = false;
  bool compress = true;
  std::string command_line;
  std::string leader_policy_name;  // "module.qualname", for the studies' fingerprints
};

void execute(CampaignRequest request, const py::object& progress, const py::object& leader_policy) {
  const auto rule = python_leader_rule(leader_policy);
  if (request.threads < 1 || request.threads > 1024) {
    throw ConfigError("threads " + std::to_string(request.threads) +
                      " is out of range [1, 1024]; use a positive number of threads");
  }
  if (request.scenarios.empty() || request.scenarios.size() > 2) {
    throw ConfigError("one or two scenarios, got " + std::to_string(request.scenarios.size()));
  }
  std::vector<io::Scenario> scenarios;
  for (const auto& source : request.scenarios) scenarios.push_back(source.resolved());
  std::vector<std::string> names = {""};
  if (scenarios.size() == 2) {
    io::pair_scenarios(scenarios[0], scenarios[1]);
    const auto [a, b] =
        io::comparison_names(request.scenarios[0].name(), request.scenarios[1].name());
    names = {a, b};
  }
  const engine::Design design = engine::make_study_design(request.vary, request.design,
                                                          request.samples, scenarios[0].run.seed);
  const auto trajectories =
      request.summaries_only ? engine::Trajectories::none : engine::Trajectories::recorded;
  std::vector<std::unique_ptr<engine::Study>> studies;
  std::vector<const engine::Study*> study_pointers;
  std::vector<io::StudyInfo> infos;
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    studies.push_back(std::make_unique<engine::Study>(scenarios[s].settings, design, trajectories));
    if (rule) studies.back()->name_leader_rule(request.leader_policy_name);
    study_pointers.push_back(studies.back().get());
    infos.push_back(io::StudyInfo{names[s], scenarios[s].path, studies.back().get()});
  }
  const engine::Campaign campaign(study_pointers);

  std::unique_ptr<io::ResultFile> file;
  try {
    file = std::make_unique<io::ResultFile>(request.out, infos, request.force, request.resume);
  } catch (const io::AlreadyComplete&) {
    return;  // resume=True of a finished file: it is the result
  }

  io::ResultSink sink(*file);
  engine::ThreadedExecutor executor;
  engine::CampaignReport report;
  // Written by the engine's observer, read by the progress bar.
  std::atomic<std::size_t> done = file->recorded();
  auto report_progress = [&] {
    if (!progress.is_none()) progress(done.load(), campaign.run_count());
  };
  std::optional<py::error_already_set> signal;
  try {
    signal = run_watched(
        [&](const std::atomic<bool>& cancel) {
          engine::CampaignOptions options;
          options.threads = request.threads;
          options.cancel = &cancel;
          options.leader_rule = rule.get();
          options.observe = [&done](const engine::CampaignProgress& now) {
            done = now.already + now.runs.done;
          };
          report = engine::run_campaign(campaign, &sink, executor, options);
        },
        report_progress);
  } catch (py::error_already_set& error) {
    // The leader policy raised: the runs finished before it are in the journal.
    if (rule) {
      error.value().attr("add_note")(
          "orgsim." + request.command + ": stopped by the leader policy's exception; " +
          std::to_string(file->recorded()) + " of " + std::to_string(file->run_count()) +
          " runs are kept in " + file->journal_path() +
          "; call it again with resume=True to finish");
    }
    file.reset();
    throw;
  }
  if (signal || report.interrupted) {
    const std::string kept =
        "orgsim." + request.command + ": interrupted; " + std::to_string(file->recorded()) +
        " of " + std::to_string(file->run_count()) + " runs are kept in " + file->journal_path() +
        "; call it again with resume=True to finish (" + file->path() + " is not written yet)";
    file.reset();
    if (signal && !signal->matches(PyExc_KeyboardInterrupt)) {
      throw *signal;
    }
    PyErr_SetString(PyExc_KeyboardInterrupt, kept.c_str());
    throw py::error_already_set();
  }
  io::Provenance provenance;
  provenance.command_line = request.command_line;
  provenance.threads = request.threads;
  provenance.compress_trajectories = request.compress;
  const py::gil_scoped_release release;
  file->finish(provenance);
}

}  // namespace

void bind_campaigns(py::module_& module) {
  module.def(
      "execute",
      [](const std::string& command, std::vector<ScenarioSource> scenarios,
         std::vector<std::string> vary, std::string design, std::optional<long> samples,
         std::string out, int threads, bool force, bool resume, bool summaries_only, bool compress,
         std::string command_line, const py::object& progress, const py::object& leader_policy,
         std::string leader_policy_name) {
        CampaignRequest request{command,
                                std::move(scenarios),
                                std::move(vary),
                                std::move(design),
                                samples,
                                std::move(out),
                                threads,
                                force,
                                resume,
                                summaries_only,
                                compress,
                                std::move(command_line),
                                std::move(leader_policy_name)};
        execute(std::move(request), progress, leader_policy);
      },
      py::arg("command"), py::arg("scenarios"), py::arg("vary"), py::arg("design"),
      py::arg("samples"), py::arg("out"), py::arg("threads"), py::arg("force"), py::arg("resume"),
      py::arg("summaries_only"), py::arg("compress"), py::arg("command_line"), py::arg("progress"),
      py::arg("leader_policy"), py::arg("leader_policy_name"),
      "Runs a campaign into a result file (orgsim.run, compare and sweep call it)");

  module.def(
      "content_digest",
      [](const std::string& path) {
        const io::ResultReader reader(path);
        return reader.content_digest();
      },
      py::arg("path"),
      "FNV-1a 64 over every dataset's name and bytes (orgsim info's content digest): equal "
      "digests mean equal results, whichever command or interpreter made them");
}

}  // namespace orgsim::python
