#include "orgsim/core/Decimal.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace orgsim {
namespace {

constexpr std::uint64_t kLargestSignificand = std::numeric_limits<std::int64_t>::max();
constexpr long kLargestExponent = 100'000;

// value * 10, or false when that exceeds kLargestSignificand.
bool times_ten(std::uint64_t& value) {
  if (value > kLargestSignificand / 10) return false;
  value *= 10;
  return true;
}

}  // namespace

std::optional<Decimal> parse_decimal(std::string_view text) {
  std::size_t i = 0;
  const bool negative = i < text.size() && text[i] == '-';
  if (negative) ++i;
  std::uint64_t significand = 0;
  long exponent = 0;
  // Zeros are held back until a later non-zero digit needs them, so that trailing zeros
  // ("100000000000000000000") become exponent rather than overflow the significand.
  long held_zeros = 0;
  bool digits = false;
  bool point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    digits = true;
    if (point) --exponent;
    if (c == '0') {
      ++held_zeros;
      continue;
    }
    if (significand != 0) {
      for (long z = 0; z <= held_zeros; ++z) {
        if (!times_ten(significand)) return std::nullopt;
      }
    }
    significand += static_cast<std::uint64_t>(c - '0');
    if (significand > kLargestSignificand) return std::nullopt;
    held_zeros = 0;
  }
  if (!digits) return std::nullopt;
  exponent += held_zeros;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    const bool negative_exponent = i < text.size() && text[i] == '-';
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    long written = 0;
    bool exponent_digits = false;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      exponent_digits = true;
      written = written * 10 + (text[i] - '0');
      if (written > kLargestExponent) return std::nullopt;
    }
    if (!exponent_digits) return std::nullopt;
    exponent += negative_exponent ? -written : written;
  }
  if (i != text.size()) return std::nullopt;
  if (significand == 0) exponent = 0;
  if (exponent > kLargestExponent || exponent < -kLargestExponent) return std::nullopt;
  const auto magnitude = static_cast<std::int64_t>(significand);
  return Decimal{negative ? -magnitude : magnitude, static_cast<int>(exponent)};
}

std::optional<std::vector<std::int64_t>> at_common_scale(const std::vector<Decimal>& values,
                                                         int& exponent) {
  exponent = 0;
  bool first = true;
  for (const auto& value : values) {
    if (value.significand == 0) continue;  // 0 is 0 at any scale
    exponent = first ? value.exponent : std::min(exponent, value.exponent);
    first = false;
  }
  std::vector<std::int64_t> scaled;
  for (const auto& value : values) {
    std::uint64_t magnitude = value.significand < 0
                                  ? 0 - static_cast<std::uint64_t>(value.significand)
                                  : static_cast<std::uint64_t>(value.significand);
    if (magnitude != 0) {
      for (long shift = static_cast<long>(value.exponent) - exponent; shift > 0; --shift) {
        if (!times_ten(magnitude)) return std::nullopt;
      }
    }
    const auto signed_magnitude = static_cast<std::int64_t>(magnitude);
    scaled.push_back(value.significand < 0 ? -signed_magnitude : signed_magnitude);
  }
  return scaled;
}

std::string decimal_text(std::int64_t significand, int exponent) {
  return std::to_string(significand) + "e" + std::to_string(exponent);
}

double decimal_to_double(std::int64_t significand, int exponent) {
  const std::string text = decimal_text(significand, exponent);
  double value = 0.0;
  // Correctly rounded, as strtod is; an exponent beyond a double's range gives +-inf or 0
  // (from_chars reports that as out of range and leaves `value` alone, so it is set here).
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc::result_out_of_range) {
    value = exponent > 0 ? (significand < 0 ? -std::numeric_limits<double>::infinity()
                                            : std::numeric_limits<double>::infinity())
                         : (significand < 0 ? -0.0 : 0.0);
  }
  (void)end;
  return value;
}

}  // namespace orgsim
