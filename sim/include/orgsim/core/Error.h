#pragma once
// The small error hierarchy every layer throws. Messages are one line that names the
// broken rule, the offending value and, for configuration errors, how to fix it; the
// command line prints them as they are.

#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

namespace orgsim {

/// `text` with control characters written as escapes ("\n", "\r", "\x01"): messages quote
/// what users typed, and a value given as `--set $'KEY=1\nX'` must not break the one line.
inline std::string one_line(std::string_view text) {
  std::string line;
  line.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      line += "\\n";
    } else if (c == '\r') {
      line += "\\r";
    } else if ((byte < 0x20 && c != '\t') || byte == 0x7f) {
      char escape[5];
      std::snprintf(escape, sizeof escape, "\\x%02x", byte);
      line += escape;
    } else {
      line += c;
    }
  }
  return line;
}

/// Base of every error orgsim reports to a user. The message is made one line here, once,
/// rather than at each of the many places that quote user input into one.
class Error : public std::runtime_error {
 public:
  explicit Error(std::string_view message) : std::runtime_error(one_line(message)) {}
  explicit Error(const std::string& message) : Error(std::string_view(message)) {}
  explicit Error(const char* message) : Error(std::string_view(message)) {}
};

/// A scenario, an override or a command-line value that is not valid.
class ConfigError : public Error {
 public:
  using Error::Error;
};

/// A file that cannot be read or written, or that is not what it claims to be.
class IoError : public Error {
 public:
  using Error::Error;
};

}  // namespace orgsim
