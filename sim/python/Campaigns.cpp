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
#include "orgsim/io/ResultSize.h"
#include "orgsim/model/ParameterTable.h"

namespace py = pybind11;

namespace orgsim::python {
namespace {

// "module.qualname" of a Python function, as the study's fingerprint names its leader rule.
std::string callable_name(const py::object& callable) {
  const py::object module_name = py::getattr(callable, "__module__", py::str("?"));
  py::object name = py::getattr(callable, "__qualname__", py::none());
  if (name.is_none()) name = py::type::of(callable).attr("__qualname__");
  return std::string(py::str(module_name)) + "." + std::string(py::str(name));
}

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
};

// Where a campaign stands, written by the engine's observer, read by the progress bar.
struct Counts {
  std::atomic<std::size_t> done{0};
  std::atomic<std::size_t> total{0};
};

py::dict execute(CampaignRequest request, const py::object& progress,
                 const py::object& leader_policy) {
  const auto rule = python_leader_rule(leader_policy);
  if (request.threads < 1 || request.threads > 1024) {
    throw ConfigError("threads " + std::to_string(request.threads) +
                      " is out of range [1, 1024]; use a positive number of threads");
  }
  if (request.scenarios.empty() || request.scenarios.size() > 2) {
    throw ConfigError("one or two scenarios, got " + std::to_string(request.scenarios.size()));
  }
  std::vector<std::string> names;
  if (request.scenarios.size() == 2) {
    ScenarioSource& a = request.scenarios[0];
    ScenarioSource& b = request.scenarios[1];
    // Paired runs: B takes A's replications and seed, as orgsim compare does.
    b.set("run.replications", std::to_string(a.resolved().run.replications));
    b.set("run.seed", std::to_string(a.resolved().run.seed));
    if (model::firm_names(a.resolved().params) != model::firm_names(b.resolved().params)) {
      throw ConfigError("'" + a.path() + "' and '" + b.path() +
                        "' declare different firms; compare needs the same industry (the same "
                        "groups and counts) in both");
    }
    names = {a.name(), b.name()};
    if (names[0] == names[1]) {
      names[0] += "-A";
      names[1] += "-B";
    }
  } else {
    names = {""};
  }
  const io::Scenario& first = request.scenarios.front().resolved();
  const engine::Design design =
      engine::make_study_design(request.vary, request.design, request.samples, first.run.seed);
  const auto trajectories =
      request.summaries_only ? engine::Trajectories::none : engine::Trajectories::recorded;
  std::vector<std::unique_ptr<engine::Study>> studies;
  std::vector<const engine::Study*> study_pointers;
  std::vector<io::StudyInfo> infos;
  for (std::size_t s = 0; s < request.scenarios.size(); ++s) {
    studies.push_back(std::make_unique<engine::Study>(request.scenarios[s].resolved().settings,
                                                      design, trajectories));
    if (rule) studies.back()->name_leader_rule(callable_name(leader_policy));
    study_pointers.push_back(studies.back().get());
    infos.push_back(io::StudyInfo{names[s], request.scenarios[s].path(), studies.back().get()});
  }
  const engine::Campaign campaign(study_pointers);

  py::dict outcome;
  outcome["path"] = request.out;
  std::unique_ptr<io::ResultFile> file;
  try {
    file = std::make_unique<io::ResultFile>(request.out, infos, request.force, request.resume);
  } catch (const io::AlreadyComplete&) {
    outcome["already_complete"] = true;
    return outcome;
  }
  outcome["already_complete"] = false;
  outcome["resumed"] = request.resume ? file->recorded() : 0;

  io::ResultSink sink(*file);
  engine::ThreadedExecutor executor;
  engine::CampaignReport report;
  Counts counts;
  counts.total = campaign.run_count();
  counts.done = file->recorded();
  auto report_progress = [&] {
    if (!progress.is_none()) progress(counts.done.load(), counts.total.load());
  };
  std::optional<py::error_already_set> signal;
  try {
    signal = run_watched(
        [&](const std::atomic<bool>& cancel) {
          engine::CampaignOptions options;
          options.threads = request.threads;
          options.cancel = &cancel;
          options.leader_rule = rule.get();
          options.observe = [&counts](const engine::CampaignProgress& now) {
            counts.done = now.already + now.runs.done;
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
  const std::size_t failed = file->failed();
  {
    const py::gil_scoped_release release;
    file->finish(provenance);
  }
  outcome["ran"] = report.ran;
  outcome["failed"] = failed;
  outcome["seconds"] = report.seconds;
  outcome["agent_steps"] = report.agent_steps;
  return outcome;
}

}  // namespace

void bind_campaigns(py::module_& module) {
  module.def(
      "execute",
      [](const std::string& command, std::vector<ScenarioSource> scenarios,
         std::vector<std::string> vary, std::string design, std::optional<long> samples,
         std::string out, int threads, bool force, bool resume, bool summaries_only, bool compress,
         std::string command_line, const py::object& progress, const py::object& leader_policy) {
        CampaignRequest request{
            command, std::move(scenarios), std::move(vary), std::move(design),
            samples, std::move(out),       threads,         force,
            resume,  summaries_only,       compress,        std::move(command_line)};
        return execute(std::move(request), progress, leader_policy);
      },
      py::arg("command"), py::arg("scenarios"), py::arg("vary"), py::arg("design"),
      py::arg("samples"), py::arg("out"), py::arg("threads"), py::arg("force"), py::arg("resume"),
      py::arg("summaries_only"), py::arg("compress"), py::arg("command_line"), py::arg("progress"),
      py::arg("leader_policy"),
      "Runs a campaign into a result file (orgsim.run, compare and sweep call it)");

  module.def(
      "expected_size",
      [](std::vector<ScenarioSource> scenarios, std::vector<std::string> vary, std::string design,
         std::optional<long> samples, bool summaries_only) {
        const engine::Design made =
            engine::make_study_design(vary, design, samples, scenarios.front().resolved().run.seed);
        std::vector<std::unique_ptr<engine::Study>> studies;
        std::vector<io::StudyInfo> infos;
        for (const auto& scenario : scenarios) {
          studies.push_back(std::make_unique<engine::Study>(
              scenario.resolved().settings, made,
              summaries_only ? engine::Trajectories::none : engine::Trajectories::recorded));
          infos.push_back(io::StudyInfo{scenario.name(), scenario.path(), studies.back().get()});
        }
        const io::ResultSize size = io::estimate_result_size(infos);
        return size.total();
      },
      py::arg("scenarios"), py::arg("vary"), py::arg("design"), py::arg("samples"),
      py::arg("summaries_only"), "Bytes the result file will take before compression");

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
