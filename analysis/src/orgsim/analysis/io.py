"""Opening orgsim result files as labelled arrays and tidy tables."""

from __future__ import annotations

import dataclasses
import os

import h5py
import numpy as np
import pandas as pd
import xarray as xr

#: The newest result format this package reads.
FORMAT_VERSION = 1


class OrgsimFileError(ValueError):
    """A file that is missing, not HDF5, not an orgsim result, or of a newer format."""


@dataclasses.dataclass
class Result:
    """One orgsim result file, opened.

    Attributes:
        path: where it came from.
        trajectories: every recorded quantity over (run, period, firm), with a leading
            ``scenario`` dimension for comparisons; the replication and the varied keys are
            coordinates along ``run``.
        summaries: ``final_<quantity>`` and the per-run measures over (run, firm).
        design: one row per run: point, replication, seed, failed, error and the varied keys.
        attrs: the provenance (command line, resolved scenario, versions, seed).
        kind: ``"run"``, ``"compare"`` or ``"sweep"``.
        factors: the varied keys of a sweep, in order.
        scenarios: the scenario names of a comparison.
    """

    path: str
    trajectories: xr.Dataset
    summaries: xr.Dataset
    design: xr.Dataset
    attrs: dict
    kind: str
    factors: list[str]
    scenarios: list[str]

    @property
    def firm_names(self) -> list[str]:
        return [str(name) for name in self.summaries["firm_name"].values]

    def __repr__(self) -> str:
        sizes = dict(self.trajectories.sizes)
        shape = " x ".join(f"{sizes[d]} {d}s" for d in ("scenario", "run", "period", "firm")
                           if d in sizes)
        extra = "".join(f", {name}={value!r}" for name, value in
                        (("scenarios", self.scenarios), ("factors", self.factors)) if value)
        return f"Result({self.path!r}, kind={self.kind!r}: {shape}{extra})"

    def close(self) -> None:
        for dataset in (self.trajectories, self.summaries, self.design):
            dataset.close()

    def __enter__(self) -> "Result":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


def _read_provenance(path: str) -> dict:
    if not os.path.isfile(path):
        raise OrgsimFileError(f"{path!r} does not exist; give the --out path of an orgsim command")
    try:
        with h5py.File(path, "r") as file:
            attrs = {key: file.attrs[key] for key in file.attrs}
            groups = set(file.keys())
    except OSError as error:
        raise OrgsimFileError(
            f"{path!r} is not an HDF5 file or is corrupted ({error}); give a file written by orgsim"
        ) from None
    if _text(attrs.get("orgsim_format", "")) != "orgsim-result":
        raise OrgsimFileError(
            f"{path!r} is an HDF5 file but not an orgsim result (no orgsim_format attribute)"
        )
    version = int(attrs.get("orgsim_format_version", 0))
    if version > FORMAT_VERSION:
        raise OrgsimFileError(
            f"{path!r} has result format version {version}, newer than this package reads "
            f"({FORMAT_VERSION}); update orgsim.analysis"
        )
    missing = {"trajectories", "summaries", "design"} - groups
    if missing:
        raise OrgsimFileError(f"{path!r} lacks the group(s) {sorted(missing)}; rerun the command that made it")
    return {key: (_text(value) if isinstance(value, (bytes, str)) else value.item() if hasattr(value, "item") else value)
            for key, value in attrs.items()}


def _factors(attrs: dict) -> list[str]:
    factors = []
    for line in str(attrs.get("design", "")).splitlines():
        if line.startswith("vary "):
            factors.append(line[len("vary "):].split("=", 1)[0])
    return factors


def load(path: str | os.PathLike) -> Result:
    """Opens an orgsim result file.

    Args:
        path: a file written by ``orgsim run``, ``compare`` or ``sweep``.

    Returns:
        A :class:`Result` whose datasets are read lazily.

    Raises:
        OrgsimFileError: the file is missing, not HDF5, not an orgsim result, or newer than
            this package.
    """
    path = os.fspath(path)
    attrs = _read_provenance(path)
    open_group = lambda group: xr.open_dataset(path, engine="h5netcdf", group=group)  # noqa: E731
    trajectories = open_group("trajectories")
    summaries = open_group("summaries")
    design = open_group("design")
    factors = _factors(attrs)
    scenarios = []
    if "scenario_name" in design:
        scenarios = [str(name) for name in design["scenario_name"].values]
        # Scenario names as the dimension's labels: result.summaries.sel(scenario="empowered").
        trajectories.coords["scenario"] = scenarios
        summaries.coords["scenario"] = scenarios
        design.coords["scenario"] = scenarios
    kind = "compare" if scenarios else ("sweep" if factors else "run")
    for dataset in (trajectories, summaries):
        dataset.coords["point"] = design["point"]
        dataset.coords["failed"] = design["failed"]
    return Result(path, trajectories, summaries, design, attrs, kind, factors, scenarios)


def to_frame(result: Result, group: str = "summaries", variables: list[str] | None = None,
             firm: int | str | None = None) -> pd.DataFrame:
    """A tidy table: one row per (scenario,) run, (period,) and firm.

    Args:
        result: from :func:`load`.
        group: ``"summaries"`` or ``"trajectories"``.
        variables: which variables (default: all).
        firm: keep one firm, by number or name.

    Returns:
        A DataFrame with the keys, ``firm_name``, the replication and varied keys, and the
        variables as columns.
    """
    dataset = {"summaries": result.summaries, "trajectories": result.trajectories}[group]
    if variables is not None:
        dataset = dataset[variables]
    if firm is not None:
        dataset = dataset.isel(firm=_firm_index(result, firm))
    frame = dataset.to_dataframe().reset_index()
    return frame.loc[:, ~frame.columns.duplicated()]


def _firm_index(result: Result, firm: int | str) -> int:
    if isinstance(firm, (int, np.integer)):
        return int(firm)
    names = result.firm_names
    if firm not in names:
        raise KeyError(f"no firm {firm!r}; the firms are {names}")
    return names.index(firm)
