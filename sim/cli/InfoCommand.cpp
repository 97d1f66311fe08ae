// orgsim info: what a result file holds and how it was made.

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "Commands.h"
#include "orgsim/core/Error.h"
#include "orgsim/io/ResultReader.h"

namespace orgsim::cli {

int info_command(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  for (const auto& argument : args) {
    if (argument == "--help" || argument == "-h") {
      std::cout << "usage: orgsim info FILE.h5\n\n"
                   "Prints a result file's provenance (version, command, seed, scenario), its\n"
                   "datasets with their dimensions, and a digest of their contents: two files\n"
                   "with the same digest hold the same results.\n";
      return kExitOk;
    }
    if (!argument.empty() && argument[0] == '-') {
      throw ConfigError("unknown option '" + argument + "'; usage: orgsim info FILE.h5");
    }
    files.push_back(argument);
  }
  if (files.size() != 1) {
    throw ConfigError("expected one result file, got " + std::to_string(files.size()) +
                      "; usage: orgsim info FILE.h5");
  }
  const io::ResultReader reader(files.front());
  std::cout << files.front() << ": orgsim result, format version " << reader.format_version()
            << "\n\nprovenance:\n";
  // Resolved scenario texts ("scenario", or "scenario.NAME" per scenario of a comparison)
  // and a sweep's design are printed as blocks after the datasets.
  std::vector<std::pair<std::string, std::string>> scenarios;
  std::string design;
  for (const auto& [name, value] : reader.attributes()) {
    if (name == "scenario" || name.rfind("scenario.", 0) == 0) {
      scenarios.emplace_back(name == "scenario" ? "" : name.substr(9), value);
      continue;
    }
    if (name == "design") {
      design = value;
      continue;
    }
    const int width = std::max(24, static_cast<int>(name.size()) + 2);
    std::cout << "  " << std::left << std::setw(width) << name << value << "\n";
  }
  std::cout << "\ndatasets:\n";
  const auto datasets = reader.datasets();
  std::size_t path_width = 44;  // every name followed by two spaces at least
  for (const auto& info : datasets) path_width = std::max(path_width, info.path.size() + 2);
  for (const auto& info : datasets) {
    std::ostringstream shape;
    for (std::size_t d = 0; d < info.shape.size(); ++d) {
      shape << (d ? ", " : "") << info.dimensions[d] << "=" << info.shape[d];
    }
    std::cout << "  " << std::left << std::setw(static_cast<int>(path_width)) << info.path
              << std::setw(8) << info.type << "(" << shape.str() << ")"
              << (info.units.empty() ? "" : "  [" + info.units + "]") << "\n";
  }
  // std::right: the table above left std::left set, which padded a digest with a leading
  // zero digit on the wrong side ("14e3...db50" for 014e3...db5).
  std::cout << "\ncontent digest: " << std::right << std::hex << std::setw(16) << std::setfill('0')
            << reader.content_digest() << std::dec << std::setfill(' ') << "\n";
  if (!design.empty()) {
    std::cout << "\ndesign (run r is replication r % replications of point r / replications):\n";
    std::istringstream lines(design);
    for (std::string line; std::getline(lines, line);) std::cout << "  " << line << "\n";
  }
  for (const auto& [name, text] : scenarios) {
    std::cout << "\nresolved scenario" << (name.empty() ? "" : " '" + name + "'")
              << " (save it as a .cfg file to rerun it):\n";
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) std::cout << "  " << line << "\n";
  }
  return kExitOk;
}

}  // namespace orgsim::cli
