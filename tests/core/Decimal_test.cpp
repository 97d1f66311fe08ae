#include "orgsim/core/Decimal.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>

using namespace orgsim;

namespace {

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

}  // namespace

TEST_CASE("decimal text parses into a significand and a power of ten", "[decimal]") {
  struct Case {
    const char* text;
    std::int64_t significand;
    int exponent;
  };
  for (const Case& c :
       {Case{"0.1", 1, -1}, Case{"-0.25", -25, -2}, Case{"1e-3", 1, -3}, Case{"12E+2", 12, 2},
        Case{"5.", 5, 0}, Case{".5", 5, -1}, Case{"100", 1, 2}, Case{"1.50", 15, -1},
        Case{"0.050", 5, -2}, Case{"0", 0, 0}, Case{"0.000", 0, 0}, Case{"105", 105, 0},
        Case{"100000000000000000000", 1, 20}}) {
    INFO(c.text);
    const auto decimal = parse_decimal(c.text);
    REQUIRE(decimal.has_value());
    CHECK(decimal->significand == c.significand);
    CHECK(decimal->exponent == c.exponent);
  }
  for (const char* bad : {"", "-", ".", "1e", "1e+", "abc", "1.2.3", "+1", " 1", "1 ", "0x10",
                          "inf", "nan", "1e999999"}) {
    INFO(bad);
    CHECK_FALSE(parse_decimal(bad).has_value());
  }
  // More significant digits than 63 bits hold: not this type's to round.
  CHECK_FALSE(parse_decimal("12345678901234567891").has_value());
  CHECK(parse_decimal("1234567890123456789").has_value());
}

TEST_CASE("decimals are brought to a common scale, or said not to fit", "[decimal]") {
  int exponent = 0;
  const auto scaled = at_common_scale({{1, -1}, {25, -2}, {3, 0}}, exponent);
  REQUIRE(scaled.has_value());
  CHECK(exponent == -2);
  CHECK(*scaled == std::vector<std::int64_t>{10, 25, 300});
  CHECK(at_common_scale({{-2, 0}, {0, 0}, {5, -1}}, exponent) ==
        std::vector<std::int64_t>{-20, 0, 5});
  CHECK(exponent == -1);
  // 1e300 at the scale of 1: far beyond 63 bits.
  CHECK_FALSE(at_common_scale({{1, 300}, {1, 0}}, exponent).has_value());
  CHECK_FALSE(at_common_scale({{1, 0}, {1, -19}}, exponent).has_value());
}

TEST_CASE("a decimal's double is the one strtod reads from its text", "[decimal]") {
  CHECK(same_bits(decimal_to_double(3, -1), std::strtod("0.3", nullptr)));
  CHECK(same_bits(decimal_to_double(-7, -1), std::strtod("-0.7", nullptr)));
  CHECK(same_bits(decimal_to_double(5, -3), std::strtod("0.005", nullptr)));
  CHECK(same_bits(decimal_to_double(123456789, 5), std::strtod("12345678900000", nullptr)));
  // Not 0.1 + 0.2, which is 0.30000000000000004.
  CHECK_FALSE(same_bits(decimal_to_double(3, -1), 0.1 + 0.2));
  CHECK(decimal_text(-25, -2) == "-25e-2");
}
