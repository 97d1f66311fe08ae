#include "orgsim/io/TraceFile.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>

#include "../TempDir.h"
#include "orgsim/core/Error.h"

using namespace orgsim;
using orgsim::testing::TempDir;

namespace {

engine::RunPlan small_plan() {
  model::ModelParams params;
  params.run.periods = 12;
  params.env.dimensions = 10;
  params.market.resource_feedback = 0.4;
  params.firm.employees = 8;
  params.firm.span_of_control = 3;
  params.leader.explore_share = 0.25;
  model::GroupParams b = params;
  b.firm.autonomy.mean = 0.5;
  params.groups = {model::FirmGroup{"a", 1, params}, model::FirmGroup{"b", 1, b}};
  return engine::RunPlan{std::make_shared<const model::ModelParams>(params), 4, 1,
                         engine::Trajectories::recorded, 2};
}

io::TraceProvenance provenance_of(const engine::RunPlan& plan) {
  io::TraceProvenance provenance;
  provenance.command_line = "orgsim trace test";
  provenance.scenario_file = "test.cfg";
  provenance.scenario = "env.dimensions = 10\n";
  provenance.seed = plan.seed;
  provenance.replication = plan.replication;
  provenance.every = plan.every;
  return provenance;
}

template <class T>
std::vector<T> read_all(hid_t file, const char* name, hid_t type, std::vector<hsize_t>& dims) {
  io::hdf5::Handle dataset(H5Dopen2(file, name, H5P_DEFAULT));
  REQUIRE(dataset.valid());
  io::hdf5::Handle space(H5Dget_space(dataset.get()));
  dims.assign(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space.get())), 0);
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  std::size_t total = 1;
  for (auto d : dims) total *= d;
  std::vector<T> values(total);
  REQUIRE(H5Dread(dataset.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  return values;
}

}  // namespace

TEST_CASE("a trace file holds every period's employees, padded beyond each headcount",
          "[trace-file]") {
  TempDir dir;
  const std::string path = dir.file("trace.h5");
  const engine::RunPlan plan = small_plan();
  const engine::TraceShape shape = engine::measure_trace(plan);
  {
    io::TraceFile file(path, shape, provenance_of(plan), false);
    CHECK_FALSE(std::filesystem::exists(path));  // only the temporary until published
    const int periods = engine::trace(plan, file);
    file.publish(periods);
  }
  CHECK(dir.entry_count() == 1);
  io::hdf5::Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  REQUIRE(file.valid());
  CHECK(io::hdf5::string_attribute(file.get(), "orgsim_format") == "orgsim-trace");
  CHECK(io::hdf5::integer_attribute(file.get(), "replication") == 1);
  CHECK(io::hdf5::integer_attribute(file.get(), "every") == 2);
  CHECK(io::hdf5::integer_attribute(file.get(), "periods_run") == 12);
  CHECK(io::hdf5::string_attribute(file.get(), "scenario") == "env.dimensions = 10\n");

  std::vector<hsize_t> dims;
  const auto periods = read_all<std::int32_t>(file.get(), "period", H5T_NATIVE_INT32, dims);
  CHECK(periods == std::vector<std::int32_t>{2, 4, 6, 8, 10, 12});
  const auto headcount = read_all<std::int32_t>(file.get(), "headcount", H5T_NATIVE_INT32, dims);
  CHECK(dims == std::vector<hsize_t>{6, 2});
  const auto beliefs = read_all<std::int8_t>(file.get(), "beliefs", H5T_NATIVE_INT8, dims);
  const std::size_t E = shape.employees;
  CHECK(dims == std::vector<hsize_t>{6, 2, E, 10});
  const auto role = read_all<std::uint8_t>(file.get(), "role", H5T_NATIVE_UINT8, dims);
  const auto team = read_all<std::int32_t>(file.get(), "team", H5T_NATIVE_INT32, dims);
  const auto pressure = read_all<double>(file.get(), "pressure", H5T_NATIVE_DOUBLE, dims);
  bool padded = false;
  for (std::size_t k = 0; k < 6; ++k) {
    for (std::size_t f = 0; f < 2; ++f) {
      const auto n = static_cast<std::size_t>(headcount[k * 2 + f]);
      REQUIRE(n <= E);
      for (std::size_t e = 0; e < E; ++e) {
        const std::size_t slot = (k * 2 + f) * E + e;
        for (std::size_t j = 0; j < 10; ++j) {
          const auto value = beliefs[slot * 10 + j];
          if (e < n) {
            CHECK((value >= -1 && value <= 1));
          } else {
            CHECK(value == io::kBeliefPadding);
          }
        }
        if (e < n) {
          CHECK(role[slot] <= 1);
          CHECK((role[slot] == 1) == (team[slot] == -1));
          CHECK(std::isnan(pressure[slot]) == (role[slot] == 1));
        } else {
          padded = true;
          CHECK(role[slot] == io::kRolePadding);
          CHECK(team[slot] == io::kIntegerPadding);
          CHECK(std::isnan(pressure[slot]));
        }
      }
    }
  }
  CHECK(padded);  // headcounts differ: some slots are padding
  const auto innovation = read_all<double>(file.get(), "innovation", H5T_NATIVE_DOUBLE, dims);
  CHECK(dims == std::vector<hsize_t>{6, 2});
}

TEST_CASE("a trace file refuses an existing file unless told to overwrite it", "[trace-file]") {
  TempDir dir;
  const std::string path = dir.write("trace.h5", "keep me");
  const engine::RunPlan plan = small_plan();
  const engine::TraceShape shape = engine::measure_trace(plan);
  CHECK_THROWS_AS(io::TraceFile(path, shape, provenance_of(plan), false), ConfigError);
  CHECK(dir.entry_count() == 1);
  CHECK_THROWS_AS(io::TraceFile(dir.file("missing/trace.h5"), shape, provenance_of(plan), true),
                  IoError);
}

TEST_CASE("a trace file not published leaves nothing behind", "[trace-file]") {
  TempDir dir;
  const std::string path = dir.file("trace.h5");
  const engine::RunPlan plan = small_plan();
  const engine::TraceShape shape = engine::measure_trace(plan);
  {
    io::TraceFile file(path, shape, provenance_of(plan), false);
    CHECK(std::filesystem::exists(file.temporary_path()));
    std::atomic<bool> cancel{true};
    CHECK_THROWS_AS(engine::trace(plan, file, &cancel), engine::Interrupted);
    CHECK_THROWS(file.publish(0));  // no period recorded
  }
  CHECK(dir.entry_count() == 0);
}

TEST_CASE("the size guard names the size, the shape and the ways out", "[trace-file]") {
  engine::TraceShape shape;
  shape.periods = 200;
  shape.firms = 5;
  shape.employees = 1000;
  shape.dimensions = 30;
  const std::uint64_t bytes = engine::trace_bytes(shape);
  CHECK_NOTHROW(io::check_trace_size(shape, bytes, "replication 0 of x"));
  CHECK_THROWS_WITH(io::check_trace_size(shape, io::kDefaultTraceLimit / 100, "replication 3 of x"),
                    "a trace of replication 3 of x would be about 63 MB (200 periods x 5 firms x "
                    "1,000 employees x 30 dimensions), over the limit of 11 MB; record fewer "
                    "periods with --every K, or raise the limit with --max-size 64");
}
