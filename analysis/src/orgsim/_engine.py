"""The compiled engine, _orgsim (sim/python/, built by the project's CMake into build/python,
which the project's environment puts on its path: scripts/python-env.sh), its errors, and
their messages in this API's terms."""

import contextlib
import re

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

# The command line's flags as this API's keyword arguments, in the messages they appear in.
_FLAGS = {"--replications": "replications=", "--replication": "replication=",
          "--force": "force=True", "--resume": "resume=True", "--out": "out=",
          "--threads": "threads=", "--vary": "vary", "--samples": "samples=",
          "--summaries-only": "summaries_only=True", "--every": "every=",
          "--max-size": "max_size="}
_FLAG_PATTERN = re.compile("(" + "|".join(map(re.escape, sorted(_FLAGS, key=len, reverse=True)))
                           + r")\b( (?=[A-Z0-9]))?")


def in_python_terms(message: str) -> str:
    """``message`` with the command line's flags named as this API's arguments: "pass --force"
    becomes "pass force=True", "--every K" becomes "every=K"."""
    def replace(match):
        argument = _FLAGS[match.group(1)]
        return argument if argument.endswith("=") else argument + (match.group(2) or "")
    return _FLAG_PATTERN.sub(replace, message)


@contextlib.contextmanager
def python_terms():
    """Raises the engine's ConfigError and IoError with their messages in_python_terms."""
    try:
        yield
    except (ConfigError, IoError) as error:
        raise type(error)(in_python_terms(str(error))) from None
