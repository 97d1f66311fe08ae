"""``orgsim.trace``: one run's employees per recorded period, as ``orgsim trace`` writes them."""

from __future__ import annotations

import os
import pathlib

import xarray as xr

from ._engine import engine, python_terms
from .scenario import Scenario


def trace(scenario, replication: int = 0, *, every: int | None = None, seed: int | None = None,
          out=None, max_size: float | None = None, force: bool = False) -> xr.Dataset:
    """Writes replication ``replication``'s employees to an HDF5 trace and opens it.

    Replication R is the very run replication R of ``orgsim.run`` makes. The trace holds,
    per recorded period (every ``every``), each firm's employees (beliefs, performance,
    output, autonomy, role, team, pressure; padded beyond each firm's headcount: mask with
    ``trace.employee < trace.headcount``), the code, reality and the firms' quantities.

    Args:
        scenario: a Scenario or the path of a scenario file.
        every: output.every for the trace; seed: run.seed.
        out: the file (default results/NAME-trace-rR.h5).
        max_size: the largest trace allowed, in MB (default 1 GiB); a bigger one raises
            ConfigError before anything is written, saying what to set.
        force: overwrite an existing trace.

    Returns:
        The trace as an xarray Dataset (dimensions period, firm, employee, dimension).
    """
    scenario = Scenario.of(scenario)
    if seed is not None:
        scenario.set("run.seed", seed)
    if every is not None:
        scenario.set("output.every", every)
    if isinstance(replication, bool) or not isinstance(replication, int):
        raise engine.ConfigError(f"replication {replication!r} is not valid; give a whole number "
                                 "from 0 to run.replications - 1")
    if max_size is None:
        limit = engine.default_trace_limit
    elif isinstance(max_size, (int, float)) and max_size > 0:
        limit = int(max_size * 1e6)
    else:
        raise engine.ConfigError(f"max_size {max_size!r} is not valid; give the largest trace to "
                                 "allow in MB, for example max_size=4000")
    if out is None:
        out = pathlib.Path("results") / f"{scenario.name}-trace-r{replication}.h5"
        out.parent.mkdir(exist_ok=True)
    out = os.fspath(out)
    call = f"python: orgsim.trace({scenario.name!r}, replication={replication}" + (
        f", every={every}" if every is not None else "") + ")"
    with python_terms():
        engine.trace(scenario._source, replication, out, limit, bool(force), call)
    return xr.open_dataset(out, engine="h5netcdf")
