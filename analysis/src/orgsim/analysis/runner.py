"""Running the orgsim binary from Python (notebooks, scripts)."""

from __future__ import annotations

import os
import pathlib
import subprocess


def repository_root() -> pathlib.Path:
    """The repository this package belongs to (it is installed from analysis/src)."""
    return pathlib.Path(__file__).resolve().parents[4]


def find_binary() -> str:
    """The orgsim binary: $ORGSIM_BINARY, else build/sim/orgsim of this repository."""
    if "ORGSIM_BINARY" in os.environ:
        return os.environ["ORGSIM_BINARY"]
    return str(repository_root() / "build" / "sim" / "orgsim")


def orgsim(*args, binary: str | None = None) -> str:
    """Runs ``orgsim ARGS`` and returns what it printed.

    Example::

        orgsim("compare", "scenarios/following_orders.cfg", "scenarios/empowered.cfg",
               "--replications", 50, "--out", "results/c.h5", "--force")

    Raises:
        FileNotFoundError: the binary is not built (run ``bash scripts/build.sh``).
        RuntimeError: orgsim failed; the message is its error line.
    """
    binary = binary or find_binary()
    if not os.path.exists(binary):
        raise FileNotFoundError(f"{binary} does not exist; build orgsim first with bash scripts/build.sh")
    completed = subprocess.run([binary, *map(str, args)], capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr.strip() or f"orgsim exited with {completed.returncode}")
    return completed.stdout
