"""Statistics across replications: intervals, paired differences, primacy, Sobol indices.

Every interval is a two-sided 95% interval (Student's t for means, Wilson's for
proportions, percentile bootstrap for Sobol indices). Differences are paired: orgsim gives
run r the same seed and replication number at every design point and in every scenario
(common random numbers), so the difference is taken run by run before averaging.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import scipy.stats
import xarray as xr

from .io import Result, _firm_index


def interval(values: xr.DataArray, dim: str = "run", confidence: float = 0.95) -> xr.Dataset:
    """Mean and confidence interval of ``values`` along ``dim``, ignoring NaN (failed runs).

    Returns:
        A Dataset with ``mean``, ``low``, ``high`` and ``n`` (values used).
    """
    n = values.count(dim)
    with warnings.catch_warnings():
        # Periods that fewer than two runs reached have no interval; NaN says so below.
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = values.mean(dim, skipna=True)
        sd = values.std(dim, ddof=1, skipna=True)
    t = xr.apply_ufunc(lambda k: scipy.stats.t.ppf(0.5 + confidence / 2, np.maximum(k - 1, 1)), n)
    half = xr.where(n >= 2, t * sd / np.sqrt(n), np.nan)
    return xr.Dataset({"mean": mean, "low": mean - half, "high": mean + half, "n": n})


def _interval_frame(values: xr.DataArray, by: list[str]) -> pd.DataFrame:
    """Interval of ``values`` (over run) for each combination of the coordinates ``by``."""
    if not by:
        stats = interval(values)
        return pd.DataFrame({key: [float(stats[key])] for key in ("mean", "low", "high")}
                            | {"n": [int(stats["n"])]})
    frame = values.to_dataframe(name="value").reset_index()
    rows = []
    # In the file's order (scenarios as compared, points as designed).
    for keys, part in frame.groupby(by[0] if len(by) == 1 else by, sort=False):
        keys = keys if isinstance(keys, tuple) else (keys,)
        data = part["value"].dropna().to_numpy()
        rows.append(dict(zip(by, keys)) | _mean_interval(data))
    return pd.DataFrame(rows)


def _mean_interval(data: np.ndarray) -> dict:
    n = len(data)
    if n == 0:
        return {"mean": np.nan, "low": np.nan, "high": np.nan, "n": 0}
    mean = float(np.mean(data))
    if n < 2:
        return {"mean": mean, "low": np.nan, "high": np.nan, "n": n}
    half = scipy.stats.t.ppf(0.975, n - 1) * np.std(data, ddof=1) / np.sqrt(n)
    return {"mean": mean, "low": mean - half, "high": mean + half, "n": n}


def summarise(result: Result, variable: str, firm: int | str = 0,
              by: list[str] | None = None) -> pd.DataFrame:
    """Mean and 95% interval over replications of a summary variable, per design point.

    Args:
        result: from :func:`~orgsim_analysis.load`.
        variable: a summaries variable, such as ``"final_innovation"``.
        firm: which firm (number or name); 0 is the focal firm.
        by: the keys to group by (default: the scenario of a comparison, or every varied key
            of a sweep).

    Returns:
        One row per group with ``mean``, ``low``, ``high`` and ``n``.
    """
    values = result.summaries[variable].isel(firm=_firm_index(result, firm))
    if by is None:
        by = ["scenario"] if result.kind == "compare" else list(result.factors)
    return _interval_frame(values.where(values["failed"] == 0), by)


def paired_difference(a: xr.DataArray, b: xr.DataArray, dim: str = "run") -> xr.Dataset:
    """Interval of ``b - a`` taken run by run (paired by common random numbers)."""
    return interval(b - a, dim)


def scenario_difference(result: Result, variable: str, a: str, b: str, firm: int | str = 0,
                        group: str = "summaries") -> xr.Dataset:
    """Paired difference ``b - a`` between two scenarios of a comparison.

    Args:
        variable: a summaries variable, or a trajectories one with ``group="trajectories"``
            (then the interval is per period).
    """
    if result.kind != "compare":
        raise ValueError(f"{result.path!r} is not a comparison; scenario_difference needs orgsim compare's file")
    dataset = result.summaries if group == "summaries" else result.trajectories
    values = dataset[variable].isel(firm=_firm_index(result, firm))
    return paired_difference(values.sel(scenario=a, drop=True), values.sel(scenario=b, drop=True))


def point_difference(a: Result, b: Result, variable: str, firm: int | str = 0) -> pd.DataFrame:
    """Paired difference ``b - a`` per design point between two sweeps of the same design.

    Two sweeps of different scenarios over the same ``--vary`` and seed pair run r with run
    r, which has the same point and replication in both.
    """
    if list(a.factors) != list(b.factors) or a.summaries.sizes["run"] != b.summaries.sizes["run"]:
        raise ValueError("the two sweeps have different designs; run both with the same --vary and --replications")
    index = _firm_index(a, firm)
    va = a.summaries[variable].isel(firm=index)
    vb = b.summaries[variable].isel(firm=index)
    difference = (vb - va).where((va["failed"] == 0) & (vb["failed"].values == 0))
    return _interval_frame(difference, list(a.factors))


def _wilson(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    if n == 0:
        return (np.nan, np.nan)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (centre - half, centre + half)


def primacy(result: Result) -> pd.DataFrame:
    """Probability that each firm ends first in market share (rank 1), per scenario or point.

    Ties for first count for every firm in the tie. Intervals are Wilson's.
    """
    rank = result.summaries["final_rank"]
    rank = rank.where(rank["failed"] == 0)
    by = ["scenario"] if result.kind == "compare" else list(result.factors)
    frame = rank.to_dataframe(name="rank").reset_index()
    frame["firm_name"] = [result.firm_names[int(f)] for f in frame["firm"]]
    rows = []
    keys_of = by + ["firm_name"]
    for keys, part in frame.dropna(subset=["rank"]).groupby(keys_of if len(keys_of) > 1 else keys_of[0],
                                                          sort=False):
        keys = keys if isinstance(keys, tuple) else (keys,)
        first = int((part["rank"] == 1).sum())
        n = len(part)
        low, high = _wilson(first, n)
        rows.append(dict(zip(by + ["firm_name"], keys)) |
                    {"probability_first": first / n, "low": low, "high": high, "n": n})
    return pd.DataFrame(rows)


def sobol_from_blocks(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray,
                      bootstrap: int = 1000, seed: int = 0) -> pd.DataFrame:
    """First-order and total Sobol indices from a Saltelli sample's outputs.

    Args:
        f_a: outputs on matrix A, shape (N,).
        f_b: outputs on matrix B, shape (N,).
        f_ab: outputs on A with column i from B, shape (k, N).
        bootstrap: resamples of the N rows for the percentile intervals.
        seed: of the bootstrap's generator.

    Returns:
        One row per factor: ``S1`` (Saltelli et al. 2010), ``ST`` (Jansen 1999) and their
        ``_low``/``_high`` 95% bounds.
    """
    f_a, f_b, f_ab = np.asarray(f_a, float), np.asarray(f_b, float), np.asarray(f_ab, float)

    def indices(rows):
        a, b, ab = f_a[rows], f_b[rows], f_ab[:, rows]
        variance = np.var(np.concatenate([a, b]), ddof=1)
        first = np.mean(b * (ab - a), axis=1) / variance
        total = 0.5 * np.mean((a - ab) ** 2, axis=1) / variance
        return first, total

    n = len(f_a)
    first, total = indices(np.arange(n))
    generator = np.random.default_rng(seed)
    samples = [indices(generator.integers(0, n, n)) for _ in range(bootstrap)]
    first_samples = np.array([s[0] for s in samples])
    total_samples = np.array([s[1] for s in samples])
    return pd.DataFrame({
        "S1": first,
        "S1_low": np.percentile(first_samples, 2.5, axis=0),
        "S1_high": np.percentile(first_samples, 97.5, axis=0),
        "ST": total,
        "ST_low": np.percentile(total_samples, 2.5, axis=0),
        "ST_high": np.percentile(total_samples, 97.5, axis=0),
    })


def sobol_indices(result: Result, variable: str, firm: int | str = 0, bootstrap: int = 1000,
                  seed: int = 0) -> pd.DataFrame:
    """Sobol indices of a summary variable from an ``orgsim sweep --design saltelli`` file.

    The variable is averaged over the replications of each design point first.
    """
    if "saltelli_block" not in result.design:
        raise ValueError(f"{result.path!r} is not a Saltelli sweep; run orgsim sweep --design saltelli")
    values = result.summaries[variable].isel(firm=_firm_index(result, firm))
    values = values.where(values["failed"] == 0)
    per_point = values.groupby("point").mean().to_series()
    design = result.design[["point", "saltelli_block", "saltelli_row"]].to_dataframe()
    blocks = design.drop_duplicates("point").set_index("point")
    table = blocks.assign(value=per_point).pivot(index="saltelli_row", columns="saltelli_block",
                                                 values="value")
    k = table.shape[1] - 2
    frame = sobol_from_blocks(table[0].to_numpy(), table[1].to_numpy(),
                              np.array([table[2 + i].to_numpy() for i in range(k)]),
                              bootstrap, seed)
    frame.index = pd.Index(result.factors, name="factor")
    return frame
