#include "orgsim/io/ResultReader.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "../StudyOf.h"
#include "../TempDir.h"
#include "orgsim/core/Error.h"
#include "orgsim/engine/Executor.h"
#include "orgsim/io/ResultFile.h"

using namespace orgsim;
using Catch::Matchers::Contains;
using orgsim::testing::TempDir;

namespace {

std::string write_result(const TempDir& dir, const std::string& name, std::uint64_t seed) {
  model::ModelParams params;
  params.run.periods = 5;
  model::RunSpec spec;
  spec.replications = 2;
  spec.seed = seed;
  const engine::Study study = orgsim::testing::study_of(params, spec);
  io::ResultFile file(dir.file(name), {io::StudyInfo{"", "", &study}}, false, false);
  engine::execute(
      file.pending(), [&](std::size_t run) { return study.plan(run); }, {},
      [&](std::size_t run, engine::RunResult&& result) { file.record(run, result); },
      [](std::size_t, const std::string&) {});
  file.finish({});
  return dir.file(name);
}

}  // namespace

TEST_CASE("the content digest tells equal results from different ones", "[resultreader]") {
  TempDir dir;
  const auto a = write_result(dir, "a.h5", 1);
  const auto b = write_result(dir, "b.h5", 1);
  const auto c = write_result(dir, "c.h5", 2);
  CHECK(io::ResultReader(a).content_digest() == io::ResultReader(b).content_digest());
  CHECK(io::ResultReader(a).content_digest() != io::ResultReader(c).content_digest());
}

TEST_CASE("files that are not orgsim results are refused with a reason", "[resultreader]") {
  io::hdf5::silence_errors();
  TempDir dir;
  SECTION("missing") {
    CHECK_THROWS_WITH(io::ResultReader(dir.file("none.h5")), Contains("does not exist"));
  }
  SECTION("not HDF5") {
    const auto path = dir.write("text.h5", "just text, not HDF5");
    CHECK_THROWS_WITH(io::ResultReader(path), Contains("is not an HDF5 file"));
  }
  SECTION("HDF5 from another program") {
    const auto path = dir.file("foreign.h5");
    H5Fclose(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    CHECK_THROWS_WITH(io::ResultReader(path), Contains("is an HDF5 file but not an orgsim result"));
  }
  SECTION("truncated") {
    const auto good = write_result(dir, "good.h5", 1);
    const auto size = std::filesystem::file_size(good);
    std::filesystem::copy_file(good, dir.file("cut.h5"));
    std::filesystem::resize_file(dir.file("cut.h5"), size / 2);
    CHECK_THROWS_AS(io::ResultReader(dir.file("cut.h5")), IoError);
  }
  SECTION("from a newer orgsim") {
    const auto path = write_result(dir, "new.h5", 1);
    {
      io::hdf5::Handle file(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT));
      H5Adelete(file.get(), "orgsim_format_version");
      io::hdf5::set_attribute(file.get(), "orgsim_format_version", std::int64_t{99});
    }
    CHECK_THROWS_WITH(io::ResultReader(path), Contains("format version 99, newer than"));
  }
}
