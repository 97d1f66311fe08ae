#pragma once
// Numbers as scenario text: the shortest decimal that reads back to the same double, so
// that a value written into a result (resolved scenarios, design points) is exactly the
// value that ran.

#include <charconv>
#include <string>

namespace orgsim {

inline std::string number_text(double value) {
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

}  // namespace orgsim
