#pragma once
// Numbers as the decimals a person typed, for arithmetic that binary floating point would
// round. A design's LOW:HIGH:STEP grid computed as LOW + i * STEP in doubles stores
// 0.30000000000000004 for 0.1 + 0.2; computed here, in integers at a common decimal scale,
// it is 0.3 exactly, and the double of each value is the one "0.3" reads as.
//
// A Decimal is significand * 10^exponent with a 64-bit significand: about 18 significant
// digits, more than a double holds. What does not fit (more digits, or a common scale that
// overflows, such as 1e300 against a step of 1) is reported as such, for the caller to
// fall back on doubles.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orgsim {

struct Decimal {
  std::int64_t significand = 0;
  int exponent = 0;  ///< the value is significand * 10^exponent
};

/// Parses the decimal text a double is written as ("-0.25", "1e-3", "5.", ".5", "12E+2"):
/// an optional minus, digits with an optional point, an optional exponent. nullopt for any
/// other text, or when the significand (without its trailing zeros) needs more than 63
/// bits or the exponent is beyond +-100000.
std::optional<Decimal> parse_decimal(std::string_view text);

/// The significands of `values` at their common (smallest) exponent, written to
/// `exponent`: {0.1, 0.25} gives {10, 25} at -2. nullopt when one would overflow 63 bits.
std::optional<std::vector<std::int64_t>> at_common_scale(const std::vector<Decimal>& values,
                                                         int& exponent);

/// significand * 10^exponent as text that reads back to the value ("3e-1").
std::string decimal_text(std::int64_t significand, int exponent);

/// The double nearest significand * 10^exponent (what strtod gives for its text).
double decimal_to_double(std::int64_t significand, int exponent);

}  // namespace orgsim
