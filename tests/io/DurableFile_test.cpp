#include "orgsim/io/DurableFile.h"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../TempDir.h"
#include "orgsim/core/Error.h"

using Catch::Matchers::Contains;
using orgsim::testing::TempDir;
namespace io = orgsim::io;
namespace fs = std::filesystem;

namespace {

std::string contents(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The pid of a process that has exited and been reaped: no process has it now (until the
// system reuses it, which a test this short does not wait for).
pid_t finished_process() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  return child;
}

}  // namespace

TEST_CASE("publish replaces the target whole and leaves no temporary", "[durable]") {
  TempDir dir;
  const std::string target = dir.write("r.h5", "old");
  const std::string temporary = io::temporary_path_for(target);
  CHECK_THAT(temporary, Contains(target + ".tmp-"));
  CHECK_THAT(temporary, Contains("-" + std::to_string(getpid())));
  std::ofstream(temporary) << "new";
  io::publish(temporary, target);
  CHECK(contents(target) == "new");
  CHECK_FALSE(fs::exists(temporary));
  CHECK(dir.entry_count() == 1);
  CHECK_THROWS_AS(io::publish(dir.file("missing"), target), orgsim::IoError);
  CHECK(contents(target) == "new");
}

TEST_CASE("stale temporaries of dead processes go, live ones and others stay", "[durable]") {
  TempDir dir;
  const std::string target = dir.file("r.h5");
  const std::string mine = io::temporary_path_for(target);  // this (live) process
  const std::string prefix = mine.substr(0, mine.rfind('-') + 1);
  const std::string dead = prefix + std::to_string(finished_process());
  const std::string live_parent = prefix + std::to_string(getppid());
  const std::string other_host = target + ".tmp-elsewhere.example-" + std::to_string(1);
  const std::string unrelated = dir.file("r.h5.tmp-notes.txt");
  for (const auto& path : {mine, dead, live_parent, other_host, unrelated}) {
    std::ofstream(path) << "x";
  }
  CHECK(io::remove_stale_temporaries(target) == 1);
  CHECK_FALSE(fs::exists(dead));
  for (const auto& path : {mine, live_parent, other_host, unrelated}) CHECK(fs::exists(path));
}
