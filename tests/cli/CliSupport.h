#pragma once
// The orgsim binary driven as a child process, for the command-line tests: run it and
// collect its exit status and output, start it in the background, compare result files.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../TempDir.h"
#include "orgsim/io/ResultReader.h"

extern char** environ;

namespace orgsim::testing {

using Catch::Matchers::Contains;

inline const std::string kBinary = ORGSIM_BINARY;
inline const std::string kScenarios = ORGSIM_SCENARIO_DIR;

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Runs `orgsim ARGS` in `dir` and collects its exit status and output.
// `shell_prefix` runs first in the same shell, e.g. "ulimit -f 16; ".
inline Outcome run_orgsim(const TempDir& dir, const std::string& args,
                          const std::string& shell_prefix = "") {
  const std::string command = "cd '" + dir.path().string() + "' && " + shell_prefix + "'" +
                              kBinary + "' " + args + " >'" + dir.file(".out") + "' 2>'" +
                              dir.file(".err") + "'";
  const int raw = std::system(command.c_str());
  Outcome outcome;
  outcome.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  outcome.out = slurp(dir.file(".out"));
  outcome.err = slurp(dir.file(".err"));
  std::filesystem::remove(dir.file(".out"));
  std::filesystem::remove(dir.file(".err"));
  return outcome;
}

inline std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// An error: non-zero exit, one line on stderr that says `message`, and no file in `dir`.
inline void require_clean_error(const TempDir& dir, const Outcome& outcome,
                                const std::string& message) {
  CHECK(outcome.status > 0);  // an exit status, not death by a signal
  CHECK(line_count(outcome.err) == 1);
  CHECK_THAT(outcome.err, Contains(message));
  CHECK(dir.entry_count() == 1);  // only the scenario the test wrote
}

// Starts `orgsim ARGS` in `dir` without waiting; its output goes to /dev/null.
inline pid_t spawn_orgsim(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), kBinary);
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  const std::string previous = std::filesystem::current_path().string();
  std::filesystem::current_path(dir.path());
  pid_t pid = 0;
  const int status = posix_spawn(&pid, kBinary.c_str(), &actions, nullptr, argv.data(), environ);
  std::filesystem::current_path(previous);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(status == 0);
  return pid;
}

// Waits until `path` exists and has grown past `bytes`, for at most ten seconds.
inline void wait_for_growth(const std::string& path, std::uintmax_t bytes) {
  for (int tries = 0; tries < 1000; ++tries) {
    std::error_code error;
    if (std::filesystem::file_size(path, error) > bytes && !error) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL("no progress in " << path);
}

inline void require_same_datasets(const std::string& a_path, const std::string& b_path) {
  const orgsim::io::ResultReader a(a_path), b(b_path);
  for (const auto& info : a.datasets()) {
    INFO(info.path);
    REQUIRE(a.dataset_bytes(info.path) == b.dataset_bytes(info.path));
  }
}

}  // namespace orgsim::testing
