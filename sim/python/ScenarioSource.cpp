#include "ScenarioSource.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "Bindings.h"
#include "orgsim/core/Error.h"
#include "orgsim/model/ParameterTable.h"

namespace py = pybind11;

namespace orgsim::python {

ScenarioSource::ScenarioSource(std::string text, std::string path, std::string name)
    : text_(std::move(text)), name_(std::move(name)) {
  resolved_ = io::parse_scenario(text_, path);
}

ScenarioSource ScenarioSource::load(const std::string& path) {
  // load_scenario's checks and messages first (a missing file, a bad line), then the text
  // that set() parses again.
  io::load_scenario(path);
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return ScenarioSource(text.str(), path, std::filesystem::path(path).stem().string());
}

ScenarioSource ScenarioSource::from_text(const std::string& text, const std::string& name) {
  if (name.empty()) throw ConfigError("a scenario's name cannot be empty; give name='...'");
  return ScenarioSource(text, name, name);
}

void ScenarioSource::set(const std::string& key, const std::string& value) {
  std::vector<std::string> overrides = overrides_;
  overrides.push_back(key + "=" + value);
  resolved_ = io::parse_scenario(text_, resolved_.path, overrides);
  overrides_ = std::move(overrides);
}

std::string ScenarioSource::resolved_text() const {
  return model::resolved_scenario_text(resolved_.params, resolved_.run);
}

std::string ScenarioSource::get(const std::string& key) const {
  std::istringstream lines(resolved_text());
  for (std::string line; std::getline(lines, line);) {
    const auto equals = line.find(" = ");
    if (equals != std::string::npos && line.compare(0, equals, key) == 0 && equals == key.size()) {
      return line.substr(equals + 3);
    }
  }
  const std::string hint = model::closest_parameter(key);
  throw ConfigError("unknown key '" + key + "'" +
                    (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                    " (orgsim.params() lists every key)");
}

void bind_scenario(py::module_& module) {
  py::class_<ScenarioSource>(module, "ScenarioSource")
      .def_static("load", &ScenarioSource::load, py::arg("path"))
      .def_static("from_text", &ScenarioSource::from_text, py::arg("text"), py::arg("name"))
      .def("set", &ScenarioSource::set, py::arg("key"), py::arg("value"))
      .def("get", &ScenarioSource::get, py::arg("key"))
      .def("resolved_text", &ScenarioSource::resolved_text)
      .def("copy", [](const ScenarioSource& source) { return source; })
      .def_property_readonly("path", &ScenarioSource::path)
      .def_property_readonly("name", &ScenarioSource::name)
      .def_property_readonly("overrides", &ScenarioSource::overrides)
      .def_property_readonly("source_text", &ScenarioSource::source_text)
      .def_property_readonly("replications",
                             [](const ScenarioSource& s) { return s.resolved().run.replications; })
      .def_property_readonly("seed", [](const ScenarioSource& s) { return s.resolved().run.seed; })
      .def_property_readonly("firm_names", [](const ScenarioSource& s) {
        return model::firm_names(s.resolved().params);
      });

  module.def(
      "params",
      [] {
        const model::ModelParams defaults{};
        py::list table;
        for (const auto& spec : model::parameter_table()) {
          py::dict entry;
          entry["key"] = spec.key;
          entry["default"] = spec.format(spec.value_in(defaults, model::RunSpec{}));
          entry["range"] = spec.range_text();
          entry["unit"] = spec.unit;
          entry["per_group"] = spec.per_group;
          entry["meaning"] = spec.meaning;
          table.append(entry);
        }
        return table;
      },
      "Every scenario key with its default, valid range, unit and meaning (orgsim params)");
}

}  // namespace orgsim::python
