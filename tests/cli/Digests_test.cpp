// Result files keep their contents: each command below must write the same datasets, to
// the bit, as it did when these digests were recorded (orgsim info's content digest,
// recorded at the commit that added this file, over the datasets the files had then). A
// refactoring must leave them all as they are; a deliberate change of the model or of the
// file's layout changes them, and the commit that does so updates them and says why.
// Datasets added since are left out of the digest (recorded_dataset()), so that the ones
// recorded keep their exact values.
//
// Revision 2 made manager.on_tie = hold the default; revision 1's rule is keep, and with
// it (and leader.memory = 1, leader.min_share = 0, the defaults) every command writes what
// it wrote before. So each recorded command runs with --set manager.on_tie=keep appended
// (a scenario with fixed managers is unaffected either way), and one more entry, recorded
// with the binary of the commit that added hold, pins the default.

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <string>

#include "CliSupport.h"
#include "orgsim/io/ResultReader.h"

using orgsim::testing::kScenarios;
using orgsim::testing::Outcome;
using orgsim::testing::run_orgsim;
using orgsim::testing::spawn_orgsim;
using orgsim::testing::TempDir;
using orgsim::testing::wait_for_growth;

namespace {

// The datasets the files had when the digests were recorded: all but those added since,
// the late-window summaries (summaries/late_*) and leading by example's peer_adoptions.
bool recorded_dataset(const std::string& path) {
  // Revision 2's summaries: the whole-run means and the late window; step 5b's quantity.
  return path.rfind("summaries/late_", 0) != 0 && path.rfind("summaries/mean_", 0) != 0 &&
         path != "trajectories/peer_adoptions" && path != "summaries/final_peer_adoptions";
}

std::string hex(std::uint64_t digest) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(digest));
  return text;
}

// The digest over the recorded datasets: content_digest() over them alone.
std::string digest_of(const std::string& path) {
  return hex(orgsim::io::ResultReader(path).content_digest(recorded_dataset));
}

struct Recorded {
  const char* what;
  std::string args;
  const char* digest;
};

}  // namespace

TEST_CASE("run, compare and sweep files keep their recorded content digests", "[cli][digest]") {
  const std::string s = "'" + kScenarios + "/";
  const std::string march_grid = "sweep " + s +
                                 "march1991.cfg' --vary firm.socialization=0.1:0.9:0.4 "
                                 "--vary firm.code_learning=0.1,0.9 -r 5";
  const Recorded recorded[] = {
      {"run, five firms", "run " + s + "race.cfg' -r 3 --set run.periods=30", "bd8f8d6aa0340f9f"},
      {"compare",
       "compare " + s + "following_orders.cfg' " + s +
           "empowered.cfg' -r 4 --set run.periods=30 --set env.turbulence=0.05",
       "569e1cedcda9d8a4"},
      {"compare, every 7th period",
       "compare " + s + "following_orders.cfg' " + s +
           "empowered.cfg' -r 4 --set run.periods=30 --every 7",
       "31f03edd80cc75f1"},
      {"grid sweep, 2 threads", march_grid + " --threads 2", "7a495ce5d6b50df5"},
      {"grid sweep, 1 thread", march_grid + " --threads 1", "7a495ce5d6b50df5"},
      {"lhs sweep with an integer key",
       "sweep " + s +
           "race.cfg' --vary env.turbulence=0:0.05 --vary firm.employees=20:60 "
           "--design lhs --samples 4 -r 2 --set run.periods=20",
       "d8f1ff57c499d9a1"},
      {"summaries-only sweep",
       "sweep " + s +
           "race.cfg' --vary env.turbulence=0,0.05 -r 40 --set run.periods=60 "
           "--summaries-only",
       "396b7b0664e3bfbd"},
      // The threaded sweep tests/mpi/mpi_test.sh checks its ranks against.
      {"the MPI test's sweep",
       "sweep " + s + "march1991.cfg' --vary firm.socialization=0.1,0.5,0.9 -r 400",
       "014e3fa2e6a99db5"},
  };
  // Recorded with this commit's own binary when hold became the default (not an
  // independent reference: it pins the default against later, unintended change).
  const Recorded with_default[] = {
      {"compare, the default manager.on_tie = hold",
       "compare " + s + "following_orders.cfg' " + s +
           "empowered.cfg' -r 4 --set run.periods=30 --set env.turbulence=0.05",
       "446b136d45b9e9e5"},
  };
  auto check = [](const Recorded& entry, const std::string& extra) {
    TempDir dir;
    const std::string args = entry.args + extra;
    INFO(entry.what << ": orgsim " << args);
    const Outcome outcome = run_orgsim(dir, args + " --out r.h5 --quiet");
    INFO(outcome.err);
    REQUIRE(outcome.status == 0);
    CHECK(digest_of(dir.file("r.h5")) == entry.digest);
    // info prints the digest over every dataset, zero-padded to 16 hex digits as hex() is.
    const orgsim::io::ResultReader reader(dir.file("r.h5"));
    CHECK(reader.has_dataset("summaries/late_mean_lead"));
    CHECK_THAT(run_orgsim(dir, "info r.h5").out,
               Catch::Contains("content digest: " + hex(reader.content_digest()) + "\n"));
  };
  for (const auto& entry : recorded) check(entry, " --set manager.on_tie=keep");
  for (const auto& entry : with_default) check(entry, "");
}

TEST_CASE("a sweep killed and resumed keeps the recorded content digest", "[cli][digest]") {
  TempDir dir;
  const std::vector<std::string> sweep = {"sweep",
                                          kScenarios + "/march1991.cfg",
                                          "--vary",
                                          "firm.socialization=0.1,0.5",
                                          "--replications",
                                          "5000",
                                          "--threads",
                                          "1",
                                          "-q",
                                          "--out",
                                          "s.h5"};
  const pid_t pid = spawn_orgsim(dir, sweep);
  wait_for_growth(dir.file("s.h5.partial"), 100000);
  kill(pid, SIGKILL);
  int raw = 0;
  waitpid(pid, &raw, 0);
  const std::string command = "sweep '" + kScenarios +
                              "/march1991.cfg' --vary firm.socialization=0.1,0.5 "
                              "--replications 5000 --threads 1 -q --out s.h5 --resume";
  const Outcome resumed = run_orgsim(dir, command);
  INFO(resumed.err);
  REQUIRE(resumed.status == 0);
  CHECK(digest_of(dir.file("s.h5")) == "9ef657c2562ada0e");
}
