// The orgsim command line as a user meets it: the built binary run as a child process,
// its exit status, its one-line errors, and the files it leaves (or does not leave).

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "../TempDir.h"
#include "orgsim/io/ResultReader.h"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using orgsim::testing::TempDir;

extern char** environ;

namespace {

const std::string kBinary = ORGSIM_BINARY;
const std::string kScenarios = ORGSIM_SCENARIO_DIR;

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Runs `orgsim ARGS` in `dir` and collects its exit status and output.
Outcome run_orgsim(const TempDir& dir, const std::string& args) {
  const std::string command = "cd '" + dir.path().string() + "' && '" + kBinary + "' " + args +
                              " >'" + dir.file(".out") + "' 2>'" + dir.file(".err") + "'";
  const int raw = std::system(command.c_str());
  Outcome outcome;
  outcome.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  outcome.out = slurp(dir.file(".out"));
  outcome.err = slurp(dir.file(".err"));
  std::filesystem::remove(dir.file(".out"));
  std::filesystem::remove(dir.file(".err"));
  return outcome;
}

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// An error: non-zero exit, one line on stderr that says `message`, and no file in `dir`.
void require_clean_error(const TempDir& dir, const Outcome& outcome, const std::string& message) {
  CHECK(outcome.status != 0);
  CHECK(line_count(outcome.err) == 1);
  CHECK_THAT(outcome.err, Contains(message));
  CHECK(dir.entry_count() == 1);  // only the scenario the test wrote
}

const char* kSmall = "[firm]\nemployees = 10\n[run]\nperiods = 20\nreplications = 4\n";

}  // namespace

TEST_CASE("a run writes a result and prints a summary and where it went", "[cli]") {
  TempDir dir;
  dir.write("s.cfg", kSmall);
  const auto outcome = run_orgsim(dir, "run s.cfg --out r.h5 --quiet");
  REQUIRE(outcome.status == 0);
  CHECK_THAT(outcome.out, Contains("code_score"));
  CHECK_THAT(outcome.out, Contains("results: r.h5"));
  CHECK(std::filesystem::exists(dir.file("r.h5")));
  const auto info = run_orgsim(dir, "info r.h5");
  CHECK(info.status == 0);
  CHECK_THAT(info.out, Contains("command_line"));
  CHECK_THAT(info.out, Contains("run s.cfg --out r.h5 --quiet"));
  CHECK_THAT(info.out, Contains("trajectories/innovation"));
  CHECK_THAT(info.out, Contains("firm.employees = 10"));
}

TEST_CASE("without --out a run writes results/<scenario>.h5", "[cli]") {
  TempDir dir;
  dir.write("mine.cfg", kSmall);
  REQUIRE(run_orgsim(dir, "run mine.cfg -q").status == 0);
  CHECK(std::filesystem::exists(dir.file("results/mine.h5")));
}

TEST_CASE("same seed gives byte-identical datasets for 1 and 2 threads, other seeds differ",
          "[cli][determinism]") {
  TempDir dir;
  dir.write("s.cfg",
            "[env]\nturbulence = 0.02\n[firm]\nturnover = 0.05\nemployees = 20\n"
            "autonomy.dist = beta\nautonomy.mean = 0.4\n[run]\nperiods = 30\nreplications = 6\n");
  REQUIRE(run_orgsim(dir, "run s.cfg --seed 5 --threads 1 --out a.h5 -q").status == 0);
  REQUIRE(run_orgsim(dir, "run s.cfg --seed 5 --threads 2 --out b.h5 -q").status == 0);
  REQUIRE(run_orgsim(dir, "run s.cfg --seed 6 --threads 2 --out c.h5 -q").status == 0);
  const orgsim::io::ResultReader a(dir.file("a.h5")), b(dir.file("b.h5")), c(dir.file("c.h5"));
  for (const auto& info : a.datasets()) {
    INFO(info.path);
    CHECK(a.dataset_bytes(info.path) == b.dataset_bytes(info.path));
  }
  CHECK(a.dataset_bytes("trajectories/innovation") != c.dataset_bytes("trajectories/innovation"));
  CHECK(a.content_digest() == b.content_digest());
}

TEST_CASE("scenario errors: one line, the key, the value, the fix, and no output", "[cli]") {
  TempDir dir;
  SECTION("a typo in a key") {
    dir.write("s.cfg", "[firm]\nsocialisation = 0.3\n");
    require_clean_error(dir, run_orgsim(dir, "run s.cfg --out r.h5"),
                        "s.cfg:2: unknown key 'firm.socialisation'; did you mean "
                        "'firm.socialization'?");
  }
  SECTION("a value out of range") {
    dir.write("s.cfg", "[firm]\ncode_learning = 2\n");
    require_clean_error(dir, run_orgsim(dir, "run s.cfg --out r.h5"),
                        "s.cfg:2: firm.code_learning = 2 is out of range [0, 1]");
  }
  SECTION("a malformed value") {
    dir.write("s.cfg", "[firm]\nemployees = many\n");
    require_clean_error(dir, run_orgsim(dir, "run s.cfg --out r.h5"),
                        "firm.employees = many is not an integer");
  }
  SECTION("a missing scenario file") {
    dir.write("s.cfg", kSmall);
    require_clean_error(dir, run_orgsim(dir, "run nothere.cfg --out r.h5"),
                        "cannot read scenario file 'nothere.cfg'");
  }
  SECTION("a bad --set") {
    dir.write("s.cfg", kSmall);
    require_clean_error(dir, run_orgsim(dir, "run s.cfg --set env.dimensions=0 --out r.h5"),
                        "--set env.dimensions=0: env.dimensions = 0 is out of range [1, 1024]");
  }
  SECTION("a bad --replications") {
    dir.write("s.cfg", kSmall);
    require_clean_error(dir, run_orgsim(dir, "run s.cfg --replications 0 --out r.h5"),
                        "--replications: run.replications = 0 is out of range");
  }
  SECTION("an unknown option") {
    dir.write("s.cfg", kSmall);
    require_clean_error(dir, run_orgsim(dir, "run s.cfg --replicatons 3 --out r.h5"),
                        "unrecognised option '--replicatons'");
  }
  SECTION("a bad --threads") {
    dir.write("s.cfg", kSmall);
    require_clean_error(dir, run_orgsim(dir, "run s.cfg --threads 0 --out r.h5"),
                        "--threads 0 is out of range");
  }
}

TEST_CASE("output errors: no overwrite without --force, no write to a missing directory", "[cli]") {
  TempDir dir;
  dir.write("s.cfg", kSmall);
  SECTION("existing file") {
    dir.write("r.h5", "precious");
    const auto outcome = run_orgsim(dir, "run s.cfg --out r.h5");
    CHECK(outcome.status != 0);
    CHECK(line_count(outcome.err) == 1);
    CHECK_THAT(outcome.err, Contains("'r.h5' already exists; pass --force"));
    CHECK(slurp(dir.file("r.h5")) == "precious");
    CHECK(dir.entry_count() == 2);
    CHECK(run_orgsim(dir, "run s.cfg --out r.h5 --force -q").status == 0);
    CHECK(slurp(dir.file("r.h5")) != "precious");
  }
  SECTION("missing directory") {
    require_clean_error(dir, run_orgsim(dir, "run s.cfg --out nodir/r.h5"),
                        "directory 'nodir' does not exist");
  }
  SECTION("unwritable place") {
    const auto outcome = run_orgsim(dir, "run s.cfg --out /proc/orgsim-test.h5");
    CHECK(outcome.status != 0);
    CHECK(line_count(outcome.err) == 1);
    CHECK_THAT(outcome.err, Contains("/proc/orgsim-test"));
    CHECK(dir.entry_count() == 1);
  }
}

TEST_CASE("info refuses files that are not orgsim results", "[cli]") {
  TempDir dir;
  dir.write("s.cfg", kSmall);
  SECTION("not HDF5") {
    dir.write("x.h5", "hello");
    const auto outcome = run_orgsim(dir, "info x.h5");
    CHECK(outcome.status != 0);
    CHECK(line_count(outcome.err) == 1);
    CHECK_THAT(outcome.err, Contains("'x.h5' is not an HDF5 file"));
  }
  SECTION("missing") {
    const auto outcome = run_orgsim(dir, "info none.h5");
    CHECK(outcome.status != 0);
    CHECK_THAT(outcome.err, Contains("does not exist"));
  }
}

TEST_CASE("params lists every key with default, range and unit", "[cli]") {
  TempDir dir;
  const auto outcome = run_orgsim(dir, "params");
  REQUIRE(outcome.status == 0);
  CHECK_THAT(outcome.out, Contains("firm.socialization"));
  CHECK_THAT(outcome.out, Contains("[0, 1]"));
  CHECK_THAT(outcome.out, Contains("env.dimensions"));
  const auto ini = run_orgsim(dir, "params --ini");
  CHECK_THAT(ini.out, Contains("run.stop = periods"));
}

TEST_CASE("an unknown command is a usage error", "[cli]") {
  TempDir dir;
  const auto outcome = run_orgsim(dir, "rnu");
  CHECK(outcome.status == 2);
  CHECK_THAT(outcome.err, StartsWith("orgsim: unknown command 'rnu'"));
}

TEST_CASE("an interrupted run leaves no result and no temporary file", "[cli]") {
  TempDir dir;
  const auto scenario = kScenarios + "/march1991.cfg";
  const auto out = dir.file("r.h5");
  std::vector<std::string> args = {kBinary, "run", scenario,  "--replications", "300000",
                                   "--out", out,   "--quiet", "--threads",      "2"};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, kBinary.c_str(), &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  CHECK(dir.entry_count() == 1);  // the temporary file, under its own name
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    CHECK_THAT(entry.path().filename().string(), Contains(".tmp-"));
  }
  kill(pid, SIGINT);
  int raw = 0;
  waitpid(pid, &raw, 0);
  CHECK(WIFEXITED(raw));
  CHECK(WEXITSTATUS(raw) == 130);
  CHECK(dir.entry_count() == 0);
}

TEST_CASE("compare runs two scenarios with paired seeds and writes one file", "[cli][compare]") {
  TempDir dir;
  const std::string industry =
      "[firm]\nemployees = 12\n[run]\nperiods = 15\nreplications = 5\n"
      "[group.focal]\ncount = 1\n[group.rivals]\ncount = 2\n";
  dir.write("a.cfg", industry);
  dir.write("b.cfg", industry + "[group.focal]\n");  // same industry, written differently
  const auto outcome = run_orgsim(dir, "compare a.cfg b.cfg --out c.h5 -q");
  REQUIRE(outcome.status == 0);
  CHECK_THAT(outcome.out, Contains("focal firm 'focal'"));
  CHECK_THAT(outcome.out, Contains("mean lead over the run"));
  // Identical scenarios: every paired difference is exactly zero, with a zero-width interval.
  CHECK_THAT(outcome.out, Contains("final innovation          "));
  CHECK_THAT(outcome.out, Contains("+0.0000 [+0.0000, +0.0000]"));
  const orgsim::io::ResultReader reader(dir.file("c.h5"));
  bool found = false;
  for (const auto& info : reader.datasets()) {
    if (info.path == "trajectories/innovation") {
      found = true;
      CHECK(info.dimensions == std::vector<std::string>{"scenario", "run", "period", "firm"});
      CHECK(info.shape == std::vector<std::uint64_t>{2, 5, 15, 3});
    }
  }
  CHECK(found);
}

TEST_CASE("compare refuses scenarios of different industries and a wrong argument count",
          "[cli][compare]") {
  TempDir dir;
  dir.write("a.cfg", "[group.focal]\ncount = 1\n[group.rivals]\ncount = 4\n");
  dir.write("b.cfg", "[group.focal]\ncount = 1\n[group.rivals]\ncount = 3\n");
  const auto different = run_orgsim(dir, "compare a.cfg b.cfg --out c.h5");
  CHECK(different.status == 2);
  CHECK(line_count(different.err) == 1);
  CHECK_THAT(different.err, Contains("declare different firms"));
  const auto one = run_orgsim(dir, "compare a.cfg --out c.h5");
  CHECK(one.status == 2);
  CHECK_THAT(one.err, Contains("expected two scenarios, got 1"));
  CHECK(dir.entry_count() == 2);
}

TEST_CASE("group errors reach the command line as one line", "[cli]") {
  TempDir dir;
  dir.write("s.cfg", "[group.rivals]\nfirm.employees = 10\n");
  require_clean_error(dir, run_orgsim(dir, "run s.cfg --out r.h5"),
                      "s.cfg:2: group 'rivals' has settings but no count");
}
