#pragma once
// A scenario as Python holds it: its text (a file's, read once, or text given directly),
// the name errors and results call it by, and the overrides set on it since, in order.
// Every set() parses the text again with all the overrides, exactly as `orgsim run FILE
// --set K=V ...` would, so that the two give the same parameters and the same errors.

#include <string>
#include <vector>

#include "orgsim/io/Scenario.h"

namespace orgsim::python {

class ScenarioSource {
 public:
  /// Reads the scenario file at `path` (ConfigError as `orgsim run` gives it).
  static ScenarioSource load(const std::string& path);
  /// Scenario text in memory; `name` stands for its file in errors and results.
  static ScenarioSource from_text(const std::string& text, const std::string& name);

  /// Applies `key` = `value` (as --set KEY=VALUE does); on a ConfigError nothing changes.
  void set(const std::string& key, const std::string& value);

  const io::Scenario& resolved() const { return resolved_; }
  /// Where it came from: the file's path, or the name given to from_text.
  const std::string& path() const { return resolved_.path; }
  /// The file's stem, or the name given: how results name the scenario.
  const std::string& name() const { return name_; }
  const std::vector<std::string>& overrides() const { return overrides_; }
  /// The text it was made from, before the overrides.
  const std::string& source_text() const { return text_; }
  /// `key`'s value as scenario text ("0.3", "beta", "50"); for keys of firm groups,
  /// group.NAME.KEY. ConfigError for an unknown key.
  std::string get(const std::string& key) const;
  /// The fully resolved scenario, every key, as a scenario file.
  std::string resolved_text() const;

 private:
  ScenarioSource(std::string text, std::string path, std::string name);

  std::string text_;
  std::string name_;
  std::vector<std::string> overrides_;
  io::Scenario resolved_;
};

}  // namespace orgsim::python
