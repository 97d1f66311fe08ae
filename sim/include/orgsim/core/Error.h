#pragma once
// The small error hierarchy every layer throws. Messages are one line that names the
// broken rule, the offending value and, for configuration errors, how to fix it; the
// command line prints them as they are.

#include <stdexcept>
#include <string>

namespace orgsim {

/// Base of every error orgsim reports to a user.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
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
