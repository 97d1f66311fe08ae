// orgsim's errors as Python exceptions, with the command line's one-line messages:
// ConfigError (a ValueError: a bad key, value, range or option) and IoError (an OSError:
// a file that cannot be read or written, or is not what it claims to be); a leader policy
// that answers NaN or an infinity is a ValueError.

#include <pybind11/pybind11.h>

#include "Bindings.h"
#include "orgsim/core/Error.h"
#include "orgsim/model/LeaderRule.h"

namespace py = pybind11;

namespace orgsim::python {

void bind_errors(py::module_& module) {
  static py::exception<ConfigError> config_error(module, "ConfigError", PyExc_ValueError);
  static py::exception<IoError> io_error(module, "IoError", PyExc_OSError);
  config_error.doc() =
      "A scenario, key, value or option that is not valid; the message says which and how to fix "
      "it (the command line's message)";
  io_error.doc() = "A file that cannot be read or written, or that is not what it claims to be";
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const ConfigError& e) {
      PyErr_SetString(config_error.ptr(), e.what());
    } catch (const IoError& e) {
      PyErr_SetString(io_error.ptr(), e.what());
    } catch (const model::RuleError& e) {
      // A leader policy's answer that is not a number.
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });
}

}  // namespace orgsim::python
