#include "orgsim/core/NumberText.h"

#include <catch2/catch.hpp>

namespace orgsim {

TEST_CASE("number_text is the shortest decimal that reads back to the same double",
          "[number_text]") {
  CHECK(number_text(0.1) == "0.1");
  CHECK(number_text(0.1 + 0.2) == "0.30000000000000004");
  CHECK(number_text(50.0) == "50");
}

TEST_CASE("thousands_text groups digits by three", "[number_text]") {
  CHECK(thousands_text(0) == "0");
  CHECK(thousands_text(999) == "999");
  CHECK(thousands_text(3900) == "3,900");
  CHECK(thousands_text(1234567) == "1,234,567");
}

TEST_CASE("byte_text gives decimal units with two significant figures at least", "[number_text]") {
  CHECK(byte_text(512) == "512 bytes");
  CHECK(byte_text(36'000) == "36 kB");
  CHECK(byte_text(5'300'000) == "5.3 MB");
  CHECK(byte_text(470'000'000) == "470 MB");
  CHECK(byte_text(1'200'000'000) == "1.2 GB");
}

}  // namespace orgsim
