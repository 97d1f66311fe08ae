#pragma once
// The contract every orgsim fuzz target checks: an input is either accepted, or rejected
// with a ConfigError whose message is one non-empty line (the command line prints it as it
// is, after "orgsim CMD: "). Any other exception, and any sanitizer report, is a bug;
// violations abort so that libFuzzer records the input as a crash.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <initializer_list>
#include <string>
#include <string_view>

#include "orgsim/core/Error.h"

namespace orgsim::fuzz {

[[noreturn]] inline void violation(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "orgsim fuzz contract violated: %.*s: %.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(detail.size()), detail.data());
  std::abort();
}

using Prefixes = std::initializer_list<std::string_view>;

/// Checks a rejection's message; `prefixes`, when not empty, are the ways it may begin (the
/// file or option the error is about).
inline void check_message(const std::string& message, Prefixes prefixes = {}) {
  if (message.empty()) violation("empty error message", "");
  // A carriage return breaks the one line on a terminal as surely as a newline does.
  if (message.find_first_of("\n\r") != std::string::npos) {
    violation("error message of more than one line", message);
  }
  if (prefixes.size() == 0) return;
  for (const auto prefix : prefixes) {
    if (message.compare(0, prefix.size(), prefix) == 0) return;
  }
  violation("error message does not begin with the file or option it is about", message);
}

/// Runs `body`; true when it returned, false when it threw a well-formed ConfigError.
template <class Body>
bool accepted(Body&& body, Prefixes prefixes = {}) {
  try {
    body();
    return true;
  } catch (const ConfigError& error) {
    check_message(error.what(), prefixes);
    return false;
  } catch (const std::exception& error) {
    violation("an exception other than ConfigError", error.what());
  } catch (...) {
    violation("a non-standard exception", "");
  }
}

/// Runs `body`, which must not throw at all (a property of input already accepted).
template <class Body>
void must_succeed(std::string_view what, Body&& body) {
  try {
    body();
  } catch (const std::exception& error) {
    violation(what, error.what());
  } catch (...) {
    violation(what, "a non-standard exception");
  }
}

}  // namespace orgsim::fuzz
