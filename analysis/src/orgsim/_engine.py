"""The compiled engine, _orgsim (sim/python/, built by the project's CMake into build/python,
which the project's environment puts on its path: scripts/python-env.sh)."""

try:
    import _orgsim as engine
except ImportError as error:  # pragma: no cover - what a user without a build sees
    raise ImportError(
        "orgsim's engine module _orgsim is not built or not on this interpreter's path "
        f"({error}); run bash scripts/build.sh and bash scripts/python-env.sh, then use "
        ".venv/bin/python (or the Jupyter kernel 'Python 3 (orgsim)')") from error

ConfigError = engine.ConfigError
IoError = engine.IoError
# Shown as orgsim.ConfigError in tracebacks: the name users catch them by.
for _error in (ConfigError, IoError):
    _error.__module__ = "orgsim"
