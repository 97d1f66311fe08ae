#include "orgsim/io/Hdf5.h"

#include <catch2/catch.hpp>

#include "../TempDir.h"
#include "orgsim/core/Error.h"

using namespace orgsim::io;
using orgsim::testing::TempDir;

TEST_CASE("attributes round-trip and handles close themselves", "[hdf5]") {
  hdf5::silence_errors();
  TempDir dir;
  const auto path = dir.file("a.h5");
  {
    hdf5::Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    REQUIRE(file.valid());
    hdf5::set_attribute(file.get(), "text", std::string("héllo, world"));
    hdf5::set_attribute(file.get(), "number", std::int64_t{-42});
    hdf5::Handle moved = std::move(file);
    CHECK_FALSE(file.valid());
    CHECK(moved.valid());
  }
  hdf5::Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  CHECK(hdf5::string_attribute(file.get(), "text") == "héllo, world");
  CHECK(hdf5::integer_attribute(file.get(), "number") == -42);
  CHECK(hdf5::has_attribute(file.get(), "text"));
  CHECK_FALSE(hdf5::has_attribute(file.get(), "absent"));
  CHECK_THROWS_AS(hdf5::string_attribute(file.get(), "absent"), orgsim::IoError);
}

TEST_CASE("a failed HDF5 call becomes an IoError naming what failed", "[hdf5]") {
  hdf5::silence_errors();
  CHECK_THROWS_WITH(
      hdf5::checked(H5Fopen("/nonexistent/x.h5", H5F_ACC_RDONLY, H5P_DEFAULT), "opening x"),
      "HDF5 failed at opening x");
}
