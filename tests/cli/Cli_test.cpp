// The orgsim command line as a user meets it: the built binary run as a child process,
// its exit status, its one-line errors, and the files it leaves (or does not leave).

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
#include <thread>

#include "CliSupport.h"
#include "orgsim/io/Hdf5.h"
#include "orgsim/io/ResultReader.h"
#include "orgsim/model/ParameterTable.h"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using namespace orgsim::testing;

namespace {

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

TEST_CASE("leading by example: 1 and 2 threads give the same bytes, and it moves beliefs",
          "[cli][determinism][peer]") {
  // The race (five firms, hiring and lay-offs: the network grows and shrinks) with p5 > 0,
  // and lambda varied, as a sweep.
  TempDir dir;
  const std::string sweep = "sweep '" + kScenarios +
                            "/race.cfg' --vary firm.peer_learning=0,0.3 --vary "
                            "firm.peer.cross_rate=0,2 -r 3 --set run.periods=40 -q";
  REQUIRE(run_orgsim(dir, sweep + " --threads 1 --out a.h5").status == 0);
  REQUIRE(run_orgsim(dir, sweep + " --threads 2 --out b.h5").status == 0);
  const orgsim::io::ResultReader a(dir.file("a.h5")), b(dir.file("b.h5"));
  REQUIRE(a.has_dataset("trajectories/peer_adoptions"));
  for (const auto& info : a.datasets()) {
    INFO(info.path);
    CHECK(a.dataset_bytes(info.path) == b.dataset_bytes(info.path));
  }
  CHECK(a.content_digest() == b.content_digest());
  // Some belief moved by example in the focal firm, the only one with autonomy.
  const std::string path = "summaries/final_peer_adoptions";
  const std::vector<double> adoptions = a.read_doubles(path, {0, 0}, a.shape(path));
  CHECK(*std::max_element(adoptions.begin(), adoptions.end()) > 0.0);
}

TEST_CASE("firm.peer_learning out of range is a one-line error", "[cli][peer]") {
  TempDir dir;
  dir.write("s.cfg", kSmall);
  require_clean_error(dir, run_orgsim(dir, "run s.cfg --set firm.peer_learning=2 --out r.h5"),
                      "--set firm.peer_learning=2: firm.peer_learning = 2 is out of range [0, 1]");
  require_clean_error(dir, run_orgsim(dir, "run s.cfg --set firm.peer.cross_rate=101 --out r.h5"),
                      "firm.peer.cross_rate = 101 is out of range [0, 100]");
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
    CHECK(outcome.status > 0);  // an exit status, not death by a signal
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
    CHECK(outcome.status > 0);  // an exit status, not death by a signal
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
    CHECK(outcome.status > 0);  // an exit status, not death by a signal
    CHECK(line_count(outcome.err) == 1);
    CHECK_THAT(outcome.err, Contains("'x.h5' is not an HDF5 file"));
  }
  SECTION("missing") {
    const auto outcome = run_orgsim(dir, "info none.h5");
    CHECK(outcome.status > 0);  // an exit status, not death by a signal
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

TEST_CASE("an interrupted run keeps its runs, writes no result, and resumes", "[cli][resume]") {
  TempDir dir;
  const auto scenario = kScenarios + "/march1991.cfg";
  const pid_t pid = spawn_orgsim(dir, {"run", scenario, "--replications", "20000", "--out", "r.h5",
                                       "--quiet", "--threads", "2"});
  wait_for_growth(dir.file("r.h5.partial"), 100000);
  kill(pid, SIGINT);
  int raw = 0;
  waitpid(pid, &raw, 0);
  CHECK(WIFEXITED(raw));
  CHECK(WEXITSTATUS(raw) == 130);
  CHECK_FALSE(std::filesystem::exists(dir.file("r.h5")));
  CHECK(std::filesystem::exists(dir.file("r.h5.partial")));
  // Without --resume or --force the journal is protected.
  const auto refused = run_orgsim(dir, "run '" + scenario + "' --replications 20000 --out r.h5");
  CHECK(refused.status > 0);
  CHECK_THAT(refused.err, Contains("pass --resume to continue it or --force to start over"));
  const auto resumed =
      run_orgsim(dir, "run '" + scenario + "' --replications 20000 --out r.h5 --resume -q");
  REQUIRE(resumed.status == 0);
  CHECK_FALSE(std::filesystem::exists(dir.file("r.h5.partial")));
  REQUIRE(run_orgsim(dir, "run '" + scenario + "' --replications 20000 --out whole.h5 -q").status ==
          0);
  require_same_datasets(dir.file("whole.h5"), dir.file("r.h5"));
}

TEST_CASE("a sweep killed with SIGKILL resumes to a file identical to an uninterrupted one",
          "[cli][resume][sweep]") {
  TempDir dir;
  const auto scenario = kScenarios + "/march1991.cfg";
  const std::vector<std::string> sweep = {
      "sweep",          scenario, "--vary", "firm.socialization=0.1,0.5,0.9",
      "--replications", "5000",   "--quiet"};
  auto with = [&](std::vector<std::string> extra) {
    auto args = sweep;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  const pid_t pid = spawn_orgsim(dir, with({"--out", "s.h5", "--threads", "2"}));
  wait_for_growth(dir.file("s.h5.partial"), 200000);
  kill(pid, SIGKILL);
  int raw = 0;
  waitpid(pid, &raw, 0);
  CHECK(WIFSIGNALED(raw));
  CHECK_FALSE(std::filesystem::exists(dir.file("s.h5")));
  std::string resume = "sweep '" + scenario +
                       "' --vary firm.socialization=0.1,0.5,0.9 "
                       "--replications 5000 --quiet --out s.h5 --resume --threads 1";
  REQUIRE(run_orgsim(dir, resume).status == 0);
  std::string whole = "sweep '" + scenario +
                      "' --vary firm.socialization=0.1,0.5,0.9 "
                      "--replications 5000 --quiet --out whole.h5 --threads 2";
  REQUIRE(run_orgsim(dir, whole).status == 0);
  require_same_datasets(dir.file("whole.h5"), dir.file("s.h5"));
}

TEST_CASE("a sweep refuses to resume into a different design, naming the difference",
          "[cli][sweep]") {
  TempDir dir;
  dir.write("s.cfg", kSmall);
  const pid_t pid = spawn_orgsim(dir, {"sweep", "s.cfg", "--vary", "firm.socialization=0.1,0.5",
                                       "--replications", "2000", "--out", "r.h5", "-q"});
  wait_for_growth(dir.file("r.h5.partial"), 1000);
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  const auto refused = run_orgsim(dir,
                                  "sweep s.cfg --vary firm.socialization=0.1,0.6 "
                                  "--replications 2000 --out r.h5 --resume");
  CHECK(refused.status > 0);
  CHECK(line_count(refused.err) == 1);
  CHECK_THAT(refused.err, Contains("made by a different scenario or design"));
  CHECK_THAT(refused.err, Contains("vary firm.socialization=0.1,0.5' then, 'vary "
                                   "firm.socialization=0.1,0.6' now"));
}

TEST_CASE("a sweep gives the same datasets on 1 and 2 threads", "[cli][sweep]") {
  TempDir dir;
  dir.write("s.cfg", kSmall);
  const std::string args =
      "sweep s.cfg --vary env.turbulence=0:0.04:0.02 "
      "--vary leader.policy=fixed,value --replications 3 -q";
  REQUIRE(run_orgsim(dir, args + " --threads 1 --out a.h5").status == 0);
  REQUIRE(run_orgsim(dir, args + " --threads 2 --out b.h5").status == 0);
  require_same_datasets(dir.file("a.h5"), dir.file("b.h5"));
  const orgsim::io::ResultReader reader(dir.file("a.h5"));
  bool found = false;
  for (const auto& info : reader.datasets()) {
    if (info.path == "design/env.turbulence") {
      found = true;
      CHECK(info.shape == std::vector<std::uint64_t>{18});  // 3 x 2 points x 3 replications
    }
  }
  CHECK(found);
}

TEST_CASE("sweep errors: bad specs, keys that cannot vary, failed points recorded",
          "[cli][sweep]") {
  TempDir dir;
  dir.write("s.cfg", kSmall);
  SECTION("a typo in a varied key") {
    require_clean_error(dir,
                        run_orgsim(dir, "sweep s.cfg --vary env.turbulance=0:0.1:0.05 --out r.h5"),
                        "--vary env.turbulance: unknown key; did you mean 'env.turbulence'?");
  }
  SECTION("a range without a step in a grid") {
    require_clean_error(dir, run_orgsim(dir, "sweep s.cfg --vary env.turbulence=0:0.1 --out r.h5"),
                        "a grid needs a step");
  }
  SECTION("the seed cannot vary") {
    require_clean_error(dir, run_orgsim(dir, "sweep s.cfg --vary run.seed=1,2 --out r.h5"),
                        "--vary run.seed cannot vary");
  }
  SECTION("an existing result") {
    dir.write("r.h5", "precious");
    const auto outcome = run_orgsim(dir, "sweep s.cfg --vary env.turbulence=0,0.1 --out r.h5");
    CHECK(outcome.status > 0);  // an exit status, not death by a signal
    CHECK_THAT(outcome.err, Contains("already exists; pass --force"));
  }
  SECTION("a point whose values break a rule fails its runs, not the sweep") {
    const auto outcome = run_orgsim(
        dir, "sweep s.cfg --vary leader.explore_share=0.1,0.9 --replications 2 --out r.h5 -q");
    REQUIRE(outcome.status == 0);
    CHECK_THAT(outcome.out, Contains("2 of 4 runs failed"));
    CHECK_THAT(outcome.out, Contains("leader.explore_share = 0.9 is above leader.max_share"));
  }
}

TEST_CASE("a sweep prints the focal firm's headline measures per design point, head and tail",
          "[cli][sweep]") {
  TempDir dir;
  dir.write("r.cfg", std::string(kSmall) + "[group.focal]\ncount = 1\n[group.rivals]\ncount = 2\n");
  const auto few = run_orgsim(dir, "sweep r.cfg --vary env.turbulence=0,0.05 --out f.h5 -q");
  INFO(few.err);
  REQUIRE(few.status == 0);
  CHECK_THAT(few.out, Contains("focal firm 'focal' per design point, mean and 95% interval over 4 "
                               "replications:\n"));
  CHECK_THAT(few.out, Contains("point   env.turbulence  final innovation              output per "
                               "head               mean lead                     late mean lead  "
                               "              share in lead\n"));
  CHECK_THAT(few.out, Contains("\n  1       0.05            0."));
  CHECK_THAT(few.out, !Contains("more points"));
  const auto many =
      run_orgsim(dir, "sweep r.cfg --vary env.turbulence=0:0.2:0.01 -r 2 --out m.h5 -q");
  REQUIRE(many.status == 0);
  CHECK_THAT(many.out, Contains("(the first 10 and last 5 of 21 points)"));
  CHECK_THAT(many.out, Contains("\n  9       0.09 "));
  CHECK_THAT(many.out, Contains("\n  ... 6 more points ...\n  16      0.16 "));
  CHECK_THAT(many.out, !Contains("\n  10      0.1 "));
  // One firm: no rivals, so no lead columns.
  dir.write("one.cfg", kSmall);
  const auto alone =
      run_orgsim(dir, "sweep one.cfg --vary firm.socialization=0.1,0.5 --out o.h5 -q");
  REQUIRE(alone.status == 0);
  CHECK_THAT(alone.out, Contains("final innovation              output per head\n"));
  CHECK_THAT(alone.out, !Contains("share in lead"));
}

TEST_CASE("a status file reports progress as JSON lines", "[cli][sweep]") {
  TempDir dir;
  dir.write("s.cfg", kSmall);
  REQUIRE(run_orgsim(dir, "sweep s.cfg --vary env.turbulence=0,0.1 --out r.h5 -q --status st.jsonl")
              .status == 0);
  const auto status = slurp(dir.file("st.jsonl"));
  CHECK_THAT(status, Contains("\"state\": \"starting\""));
  CHECK_THAT(status, Contains("\"state\": \"finished\", \"done\": 8, \"failed\": 0, \"total\": 8"));
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

TEST_CASE("compare over a design pairs run r of both scenarios: same point, replication, seed",
          "[cli][compare]") {
  TempDir dir;
  const std::string industry =
      "[firm]\nemployees = 12\n[run]\nperiods = 15\nreplications = 3\n"
      "[group.focal]\ncount = 1\n[group.rivals]\ncount = 2\n";
  dir.write("a.cfg", industry);
  dir.write("b.cfg", industry + "[group.focal]\nfirm.coordination_cost = 0.3\n");
  const auto outcome = run_orgsim(dir,
                                  "compare a.cfg b.cfg --vary env.turbulence=0,0.05 "
                                  "--vary firm.socialization=0.1,0.5 --out c.h5 -q");
  INFO(outcome.err);
  REQUIRE(outcome.status == 0);
  CHECK_THAT(outcome.out, Contains("focal firm 'focal', b - a per design point, paired over 3"));
  CHECK_THAT(outcome.out, Contains("point   env.turbulence  firm.socialization  final innovation"));
  CHECK_THAT(outcome.out, Contains("\n  3       0.05            0.5"));
  const orgsim::io::ResultReader reader(dir.file("c.h5"));
  for (const auto& info : reader.datasets()) {
    if (info.path == "design/env.turbulence" || info.path == "summaries/firm.socialization") {
      CHECK(info.dimensions == std::vector<std::string>{"scenario", "run"});
      CHECK(info.shape == std::vector<std::uint64_t>{2, 12});
    }
    if (info.path == "trajectories/innovation") {
      CHECK(info.dimensions == std::vector<std::string>{"scenario", "run", "period", "firm"});
    }
  }
  for (const char* column : {"design/point", "design/replication", "design/seed",
                             "design/env.turbulence", "design/firm.socialization"}) {
    INFO(column);
    const auto a = reader.read_doubles(column, {0, 0}, {1, 12});
    const auto b = reader.read_doubles(column, {1, 0}, {1, 12});
    CHECK(a == b);
  }
  CHECK(reader.read_doubles("design/point", {0, 0}, {1, 12}) ==
        std::vector<double>{0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3});
  // Identical scenarios differ by exactly nothing at every point.
  const auto same = run_orgsim(dir,
                               "compare a.cfg a.cfg --vary env.turbulence=0:0.19:0.01 "
                               "--replications 2 --out same.h5 -q");
  REQUIRE(same.status == 0);
  CHECK_THAT(same.out, Contains("+0.0000 [+0.0000, +0.0000]"));
  CHECK_THAT(same.out, Contains("the first 10 and last 5 of 20 points"));
  CHECK_THAT(same.out, Contains("  ... 5 more points ...\n  15 "));
}

TEST_CASE("compare over a design killed with SIGKILL resumes to the uninterrupted digest",
          "[cli][compare][resume]") {
  TempDir dir;
  const std::string march =
      "[firm]\nemployees = 50\n[manager]\npolicy = fixed\n[run]\nstop = equilibrium\n";
  dir.write("a.cfg", march);
  dir.write("b.cfg", march + "[firm]\ncode_learning = 0.9\n");
  const std::string args =
      "compare a.cfg b.cfg --vary firm.socialization=0.1,0.5 --replications 3000 -q";
  const pid_t pid =
      spawn_orgsim(dir, {"compare", "a.cfg", "b.cfg", "--vary", "firm.socialization=0.1,0.5",
                         "--replications", "3000", "-q", "--threads", "2", "--out", "k.h5"});
  wait_for_growth(dir.file("k.h5.partial"), 200000);
  kill(pid, SIGKILL);
  int raw = 0;
  waitpid(pid, &raw, 0);
  CHECK(WIFSIGNALED(raw));
  CHECK_FALSE(std::filesystem::exists(dir.file("k.h5")));
  const auto resumed = run_orgsim(dir, args + " --out k.h5 --resume --threads 1");
  INFO(resumed.err);
  REQUIRE(resumed.status == 0);
  REQUIRE(run_orgsim(dir, args + " --out whole.h5").status == 0);
  CHECK(orgsim::io::ResultReader(dir.file("k.h5")).content_digest() ==
        orgsim::io::ResultReader(dir.file("whole.h5")).content_digest());
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

TEST_CASE("the command line refuses leader.policy = python, the fix said, and leaves no file",
          "[cli][leader_rule]") {
  const std::string message =
      ": leader.policy = python needs a Python function: call orgsim.run(scenario, "
      "leader_policy=f) from Python (docs/python.md); on the command line use fixed, value or "
      "relative\n";
  TempDir dir;
  dir.write("s.cfg", kSmall);
  auto refused = [&](const std::string& args, const std::string& command) {
    INFO(args);
    const Outcome outcome = run_orgsim(dir, args);
    CHECK(outcome.status == 2);
    require_clean_error(dir, outcome, message);
    CHECK(outcome.err == "orgsim " + command + message);
  };
  refused("run s.cfg --set leader.policy=python", "run");  // not even results/
  refused("run s.cfg --set leader.policy=python --out r.h5", "run");
  refused("sweep s.cfg --vary leader.policy=fixed,python --out r.h5", "sweep");
  refused("sweep s.cfg --set group.a.count=1 --vary group.a.leader.policy=value,python", "sweep");
  refused("compare s.cfg s.cfg --set leader.policy=python --out r.h5", "compare");
  dir.write("p.cfg", std::string(kSmall) + "[leader]\npolicy = python\n");
  const Outcome outcome = run_orgsim(dir, "run p.cfg --out r.h5");
  CHECK(outcome.status == 2);
  CHECK(outcome.err == "orgsim run" + message);
  CHECK(dir.entry_count() == 2);  // the two scenarios
}

TEST_CASE("group errors reach the command line as one line", "[cli]") {
  TempDir dir;
  dir.write("s.cfg", "[group.rivals]\nfirm.employees = 10\n");
  require_clean_error(dir, run_orgsim(dir, "run s.cfg --out r.h5"),
                      "s.cfg:2: group 'rivals' has settings but no count");
}

TEST_CASE("replay reproduces a run bit for bit and notices a changed value", "[cli][replay]") {
  TempDir dir;
  dir.write("s.cfg", std::string(kSmall) + "[group.focal]\ncount = 1\n[group.rivals]\ncount = 2\n");
  REQUIRE(run_orgsim(dir,
                     "sweep s.cfg --vary env.turbulence=0,0.05 --vary leader.policy=value,"
                     "relative --replications 2 --out s.h5 -q")
              .status == 0);
  for (const char* run : {"0", "5", "7"}) {
    const auto outcome = run_orgsim(dir, std::string("replay s.h5 --run ") + run);
    CHECK(outcome.status == 0);
    CHECK_THAT(outcome.out, Contains("reproduced bit for bit"));
  }
  // One stored value of run 5 changed in a copy of the file, dataset by dataset: replay
  // names the dataset, the firm (and period) and both values, and exits 1.
  struct Tamper {
    const char* dataset;
    std::vector<hsize_t> at;
    const char* said;
  };
  const Tamper tampers[] = {
      {"trajectories/innovation",
       {5, 3, 1},
       "trajectories/innovation (firm 1, period 4: 0.123 stored"},
      {"summaries/final_lead", {5, 2}, "summaries/final_lead (firm 2: 0.123 stored"},
      {"summaries/periods_run", {5, 0}, "summaries/periods_run (firm 0: 0.123 stored, 20 rerun)"},
      {"summaries/env.turbulence", {5}, "summaries/env.turbulence (0.123 stored, 0.05 rerun)"},
      {"design/env.turbulence", {5}, "design/env.turbulence (0.123 stored, 0.05 rerun)"},
      {"design/seed", {5}, "design/seed (0 stored, 1 rerun)"},
  };
  for (const Tamper& tamper : tampers) {
    INFO(tamper.dataset);
    std::filesystem::copy_file(dir.file("s.h5"), dir.file("t.h5"),
                               std::filesystem::copy_options::overwrite_existing);
    {
      orgsim::io::hdf5::Handle file(H5Fopen(dir.file("t.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT));
      orgsim::io::hdf5::Handle dataset(H5Dopen2(file.get(), tamper.dataset, H5P_DEFAULT));
      orgsim::io::hdf5::Handle space(H5Dget_space(dataset.get()));
      const std::vector<hsize_t> count(tamper.at.size(), 1);
      H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, tamper.at.data(), nullptr, count.data(),
                          nullptr);
      orgsim::io::hdf5::Handle memory(
          H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr));
      const double tampered = 0.123;
      REQUIRE(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, memory.get(), space.get(), H5P_DEFAULT,
                       &tampered) >= 0);
    }
    const auto changed = run_orgsim(dir, "replay t.h5 --run 5");
    CHECK(changed.status == 1);
    CHECK_THAT(changed.out, Contains("does NOT reproduce: 1 of "));
    CHECK_THAT(changed.out, Contains(tamper.said));
    // The other runs are untouched.
    CHECK(run_orgsim(dir, "replay t.h5 --run 4").status == 0);
  }
  const auto untampered = run_orgsim(dir, "replay s.h5 --run 5");
  CHECK(untampered.status == 0);
  CHECK_THAT(untampered.out, Contains("reproduced bit for bit"));
  CHECK(run_orgsim(dir, "replay s.h5 --run 4").status == 0);
  const auto out_of_range = run_orgsim(dir, "replay s.h5 --run 8");
  CHECK(out_of_range.status == 2);
  CHECK_THAT(out_of_range.err, Contains("has runs 0 to 7"));
}

namespace {

// The bytes of the first "about N UNIT" figure in `text` ("about 1.3 MB" is 1.3e6), or -1.
double stated_bytes(const std::string& text) {
  const auto at = text.find("about ");
  if (at == std::string::npos) return -1.0;
  std::istringstream figure(text.substr(at + 6));
  double value = 0.0;
  std::string unit;
  figure >> value >> unit;
  const std::vector<std::pair<std::string, double>> units = {
      {"bytes", 1.0}, {"kB", 1e3}, {"MB", 1e6}, {"GB", 1e9}};
  for (const auto& [name, scale] : units) {
    if (unit == name) return value * scale;
  }
  return -1.0;
}

const char* kLong = "[firm]\nemployees = 10\n[env]\nturbulence = 0.02\n[run]\nperiods = 200\n";

}  // namespace

TEST_CASE("a run says how big its file will be, close to the size of an uncompressed one",
          "[cli][size]") {
  TempDir dir;
  dir.write("s.cfg", kLong);
  const auto outcome = run_orgsim(dir, "run s.cfg -r 30 --out r.h5 --no-compression");
  REQUIRE(outcome.status == 0);
  CHECK_THAT(outcome.err, Contains("orgsim run: 30 runs x 200 recorded periods x 1 firm: about "));
  CHECK_THAT(outcome.err, Contains("--every K or --summaries-only make it smaller"));
  const double stated = stated_bytes(outcome.err);
  const auto actual = static_cast<double>(std::filesystem::file_size(dir.file("r.h5")));
  INFO(outcome.err << "actual: " << actual << " bytes");
  CHECK(stated > 0.7 * actual);
  CHECK(stated < 1.3 * actual);
  // Compressed, the same figure is what the file holds before compression: an upper bound.
  const auto compressed = run_orgsim(dir, "run s.cfg -r 30 --out c.h5");
  REQUIRE(compressed.status == 0);
  CHECK_THAT(compressed.err, Contains("before compression"));
  CHECK(static_cast<double>(std::filesystem::file_size(dir.file("c.h5"))) <
        stated_bytes(compressed.err));
  // Runs that may stop early are bounded by run.max_periods; --quiet says nothing.
  const auto early =
      run_orgsim(dir, "run " + kScenarios + "/march1991.cfg -r 3 --out e.h5 --every 100");
  REQUIRE(early.status == 0);
  CHECK_THAT(early.err, Contains("3 runs x up to 50 recorded periods x 1 firm: up to "));
  const auto quiet = run_orgsim(dir, "compare s.cfg s.cfg -r 2 --out q.h5 -q");
  REQUIRE(quiet.status == 0);
  CHECK_THAT(quiet.err, !Contains("recorded periods"));
  const auto sweep =
      run_orgsim(dir, "sweep s.cfg --vary firm.employees=10,20 -r 3 --out w.h5 --summaries-only");
  REQUIRE(sweep.status == 0);
  CHECK_THAT(sweep.err, Contains("orgsim sweep: 6 runs x 1 firm, summaries only: about "));
}

TEST_CASE("a run with --every K records every K-th period, as output.every = K does",
          "[cli][size]") {
  TempDir dir;
  dir.write("s.cfg", kLong);
  REQUIRE(run_orgsim(dir, "run s.cfg -r 2 --every 10 --out every.h5 -q").status == 0);
  REQUIRE(run_orgsim(dir, "run s.cfg -r 2 --set output.every=10 --out set.h5 -q").status == 0);
  const orgsim::io::ResultReader every(dir.file("every.h5"));
  const auto periods = every.read_doubles("trajectories/period", {0}, {20});
  REQUIRE(every.shape("trajectories/period") == std::vector<std::uint64_t>{20});
  for (std::size_t k = 0; k < periods.size(); ++k) CHECK(periods[k] == 10.0 * (k + 1));
  CHECK(every.content_digest() == orgsim::io::ResultReader(dir.file("set.h5")).content_digest());
  CHECK(run_orgsim(dir, "replay every.h5 --run 1").status == 0);
}

TEST_CASE("a sweep with --summaries-only writes the same summaries into a much smaller file",
          "[cli][size]") {
  TempDir dir;
  dir.write("s.cfg", kLong);
  // 400 periods: the trajectories, not the summaries, make most of the full file.
  const std::string sweep =
      "sweep s.cfg --vary firm.socialization=0.1:0.5:0.2 -r 20 --set run.periods=400 -q ";
  REQUIRE(run_orgsim(dir, sweep + "--out full.h5").status == 0);
  REQUIRE(run_orgsim(dir, sweep + "--out summaries.h5 --summaries-only").status == 0);
  const orgsim::io::ResultReader full(dir.file("full.h5"));
  const orgsim::io::ResultReader summaries(dir.file("summaries.h5"));
  std::size_t compared = 0;
  for (const auto& info : full.datasets()) {
    if (info.path.rfind("trajectories/", 0) == 0) continue;
    INFO(info.path);
    CHECK(summaries.dataset_bytes(info.path) == full.dataset_bytes(info.path));
    ++compared;
  }
  CHECK(compared > 25);
  CHECK(summaries.shape("trajectories/period") == std::vector<std::uint64_t>{0});
  CHECK(3 * std::filesystem::file_size(dir.file("summaries.h5")) <
        std::filesystem::file_size(dir.file("full.h5")));
  const auto info = run_orgsim(dir, "info summaries.h5");
  CHECK(info.status == 0);
  CHECK_THAT(info.out, Contains("trajectories/innovation"));
  const auto replay = run_orgsim(dir, "replay summaries.h5 --run 5");
  CHECK(replay.status == 0);
  CHECK_THAT(replay.out, Contains("reproduced bit for bit"));
  CHECK_THAT(replay.out, Contains("summaries only"));
  // A resume of it must not go on recording trajectories into the same journal.
  REQUIRE(run_orgsim(dir, sweep + "--out again.h5 --summaries-only").status == 0);
  const auto resumed = run_orgsim(dir, sweep + "--out again.h5 --resume");
  CHECK(resumed.status == 1);
  CHECK_THAT(resumed.err, Contains("different scenario or design"));
}

TEST_CASE("bad --every values: one line, the value, the fix, exit 2, no file", "[cli][size]") {
  TempDir dir;
  dir.write("s.cfg", kLong);
  const auto zero = run_orgsim(dir, "run s.cfg --every 0 --out r.h5");
  CHECK(zero.status == 2);
  require_clean_error(dir, zero, "--every: output.every = 0 is out of range [1, 1000000]");
  const auto longer = run_orgsim(dir, "sweep s.cfg --vary firm.employees=5,10 --every 500");
  CHECK(longer.status == 2);
  require_clean_error(dir, longer,
                      "nothing would be recorded; use a smaller output.every "
                      "(--every K), or --summaries-only");
  const auto both = run_orgsim(dir, "compare s.cfg s.cfg --every 5 --summaries-only");
  CHECK(both.status == 2);
  require_clean_error(dir, both, "--every 5 thins the trajectories that --summaries-only does not");
  const auto word = run_orgsim(dir, "run s.cfg --every ten");
  CHECK(word.status == 2);
  require_clean_error(dir, word, "output.every = ten is not an integer");
}

TEST_CASE("docs/parameters.md is what 'orgsim params --markdown' prints", "[cli][docs]") {
  TempDir dir;
  const auto outcome = run_orgsim(dir, "params --markdown");
  REQUIRE(outcome.status == 0);
  CHECK(outcome.err.empty());
  const std::filesystem::path file =
      std::filesystem::path(kScenarios).parent_path() / "docs" / "parameters.md";
  REQUIRE(std::filesystem::exists(file));
  const std::string written = slurp(file.string());
  if (written != outcome.out) {
    // Name the first line that differs rather than printing both tables.
    std::istringstream have(written);
    std::istringstream want(outcome.out);
    std::string have_line;
    std::string want_line;
    int number = 1;
    for (;; ++number) {
      const bool more_have = static_cast<bool>(std::getline(have, have_line));
      const bool more_want = static_cast<bool>(std::getline(want, want_line));
      if (!more_have || !more_want || have_line != want_line) {
        if (!more_have) have_line = "(end of file)";
        if (!more_want) want_line = "(end of output)";
        break;
      }
    }
    FAIL("docs/parameters.md is stale from line " << number << ": it has '" << have_line
                                                  << "', orgsim prints '" << want_line
                                                  << "'; regenerate it with 'build/sim/orgsim "
                                                     "params --markdown > docs/parameters.md'");
  }
  for (const auto& spec : orgsim::model::parameter_table()) {
    CHECK_THAT(outcome.out, Contains("| `" + spec.key + "` |"));
  }
  const auto both = run_orgsim(dir, "params --ini --markdown");
  CHECK(both.status == 2);
  CHECK_THAT(both.err, Contains("exclude each other"));
}

namespace {

// A numeric dataset of a trace file, whole, as doubles.
std::vector<double> read_trace(const std::string& path, const std::string& name,
                               std::vector<hsize_t>& dims) {
  orgsim::io::hdf5::Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  REQUIRE(file.valid());
  orgsim::io::hdf5::Handle dataset(H5Dopen2(file.get(), name.c_str(), H5P_DEFAULT));
  REQUIRE(dataset.valid());
  orgsim::io::hdf5::Handle space(H5Dget_space(dataset.get()));
  dims.assign(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space.get())), 0);
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  std::size_t total = 1;
  for (auto d : dims) total *= d;
  std::vector<double> values(total);
  REQUIRE(H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >=
          0);
  return values;
}

}  // namespace

TEST_CASE("a trace of replication R is replication R of orgsim run: the same trajectories",
          "[cli][trace]") {
  TempDir dir;
  const std::string scenario = kScenarios + "/race.cfg";
  const std::string common = " --set run.periods=30 --set market.resource_feedback=0.2 --seed 5";
  REQUIRE(run_orgsim(dir, "run " + scenario + " -r 3" + common + " --out run.h5 -q").status == 0);
  const auto traced = run_orgsim(
      dir, "trace " + scenario + " --replication 2" + common + " --every 3 --out trace.h5 -q");
  REQUIRE(traced.status == 0);
  CHECK(traced.err.empty());  // --quiet
  CHECK_THAT(traced.out, Contains("xarray.open_dataset(\"trace.h5\", engine=\"h5netcdf\")"));
  const orgsim::io::ResultReader result(dir.file("run.h5"));
  const std::size_t firms = result.shape("trajectories/firm").at(0);
  REQUIRE(firms > 1);
  std::vector<hsize_t> dims;
  const auto periods = read_trace(dir.file("trace.h5"), "period", dims);
  REQUIRE(periods.size() == 10);
  for (const std::string quantity : {"innovation", "market_share", "lead", "output"}) {
    const auto trace = read_trace(dir.file("trace.h5"), quantity, dims);
    REQUIRE(dims == std::vector<hsize_t>{10, firms});
    for (std::size_t k = 0; k < 10; ++k) {
      CHECK(periods[k] == 3.0 * static_cast<double>(k + 1));
      const auto row =
          result.read_doubles("trajectories/" + quantity,
                              {2, static_cast<std::uint64_t>(periods[k]) - 1, 0}, {1, 1, firms});
      for (std::size_t f = 0; f < firms; ++f) CHECK(trace[k * firms + f] == row[f]);
    }
  }
  // Headcount moved (resource feedback): slots beyond a firm's headcount are padding.
  const auto headcount = read_trace(dir.file("trace.h5"), "headcount", dims);
  CHECK(*std::min_element(headcount.begin(), headcount.end()) <
        *std::max_element(headcount.begin(), headcount.end()));
}

TEST_CASE("a trace over --max-size is refused before anything is written", "[cli][trace]") {
  TempDir dir;
  dir.write("s.cfg", kSmall);
  const auto outcome = run_orgsim(dir, "trace s.cfg --replication 1 --max-size 0.001");
  CHECK(outcome.status == 2);
  CHECK_THAT(outcome.err,
             StartsWith("orgsim trace: a trace of replication 1 of s would be about "));
  CHECK_THAT(outcome.err, Contains("(20 periods x 1 firm x 10 employees x 30 dimensions)"));
  CHECK_THAT(outcome.err, Contains("record fewer periods with --every K, or raise the limit with "
                                   "--max-size "));
  CHECK(std::count(outcome.err.begin(), outcome.err.end(), '\n') == 1);
  CHECK(dir.entry_count() == 1);  // s.cfg: no results/, no temporary
  // Under the limit it goes through, to results/<scenario>-trace-r<R>.h5 by default.
  const auto fits = run_orgsim(dir, "trace s.cfg --replication 1 --max-size 1");
  CHECK(fits.status == 0);
  CHECK_THAT(fits.err, Contains("about "));
  CHECK(std::filesystem::exists(dir.file("results/s-trace-r1.h5")));
  const auto again = run_orgsim(dir, "trace s.cfg --replication 1");
  CHECK(again.status == 2);
  CHECK_THAT(again.err, Contains("already exists; pass --force"));
  CHECK(run_orgsim(dir, "trace s.cfg --replication 1 --force -q").status == 0);
}

TEST_CASE("trace errors: replication missing or out of range, bad --max-size; no file",
          "[cli][trace]") {
  TempDir dir;
  dir.write("s.cfg", kSmall);  // 4 replications
  const auto missing = run_orgsim(dir, "trace s.cfg");
  CHECK(missing.status == 2);
  CHECK_THAT(missing.err, Contains("no replication given; pass --replication R"));
  const auto beyond = run_orgsim(dir, "trace s.cfg --replication 4");
  CHECK(beyond.status == 2);
  CHECK_THAT(beyond.err, Contains("--replication 4 is out of range [0, 4)"));
  CHECK_THAT(beyond.err, Contains("--set run.replications=5"));
  const auto negative = run_orgsim(dir, "trace s.cfg --replication -1");
  CHECK(negative.status == 2);
  const auto size = run_orgsim(dir, "trace s.cfg --replication 0 --max-size lots");
  CHECK(size.status == 2);
  CHECK_THAT(size.err, Contains("--max-size lots is not a size in MB"));
  CHECK(dir.entry_count() == 1);
  CHECK(run_orgsim(dir, "trace s.cfg --replication 3 --set run.replications=4 -q").status == 0);
}

TEST_CASE("an interrupted trace exits 130 and leaves no file, not even its temporary",
          "[cli][trace]") {
  TempDir dir;
  const pid_t pid = spawn_orgsim(
      dir, {"trace", kScenarios + "/race.cfg", "--replication", "0", "--set", "run.periods=5000",
            "--set", "firm.employees=200", "--max-size", "100000", "--out", "t.h5"});
  // Until the temporary (t.h5.tmp-HOST-PID) exists: the second, writing pass has begun.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  bool writing = false;
  while (!writing && std::chrono::steady_clock::now() < deadline) {
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
      writing = writing || entry.path().filename().string().rfind("t.h5.tmp", 0) == 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(writing);
  kill(pid, SIGINT);
  int raw = 0;
  waitpid(pid, &raw, 0);
  CHECK(WIFEXITED(raw));
  CHECK(WEXITSTATUS(raw) == 130);
  CHECK(dir.entry_count() == 0);
}
