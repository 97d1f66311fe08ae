#pragma once
// Numbers as text. number_text: as scenario text, the shortest decimal that reads back to
// the same double, so that a value written into a result (resolved scenarios, design
// points) is exactly the value that ran. thousands_text and byte_text: counts and sizes as
// people read them in messages ("3,900 runs", "470 MB").

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <iterator>
#include <sstream>
#include <string>

namespace orgsim {

inline std::string number_text(double value) {
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

/// 3900 as "3,900".
inline std::string thousands_text(std::uint64_t value) {
  std::string digits = std::to_string(value);
  for (auto at = static_cast<std::ptrdiff_t>(digits.size()) - 3; at > 0; at -= 3) {
    digits.insert(static_cast<std::size_t>(at), ",");
  }
  return digits;
}

/// Decimal units, two significant figures at least: "36 kB", "5.3 MB", "470 MB", "1.2 GB".
inline std::string byte_text(std::uint64_t bytes) {
  static const char* const kUnits[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1000.0 && unit + 1 < std::size(kUnits)) {
    value /= 1000.0;
    ++unit;
  }
  std::ostringstream text;
  text << std::fixed << std::setprecision(unit == 0 || value >= 10.0 ? 0 : 1) << value << " "
       << kUnits[unit];
  return text.str();
}

}  // namespace orgsim
