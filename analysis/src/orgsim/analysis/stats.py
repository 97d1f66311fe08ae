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


def _default_by(result: Result) -> list[str]:
    """The scenario of a comparison, then every varied key (a comparison over a design has both)."""
    return (["scenario"] if result.kind == "compare" else []) + list(result.factors)


def summarise(result: Result, variable: str, firm: int | str = 0,
              by: list[str] | None = None) -> pd.DataFrame:
    """Mean and 95% interval over replications of a summary variable, per design point.

    Args:
        result: from :func:`~orgsim.analysis.load`.
        variable: a summaries variable, such as ``"final_innovation"``.
        firm: which firm (number or name); 0 is the focal firm.
        by: the keys to group by (default: the scenario of a comparison, then every varied
            key of a sweep or of a comparison over a design).

    Returns:
        One row per group with ``mean``, ``low``, ``high`` and ``n``.
    """
    values = result.summaries[variable].isel(firm=_firm_index(result, firm))
    if by is None:
        by = _default_by(result)
    return _interval_frame(values.where(values["failed"] == 0), by)


def _same(x, y) -> bool:
    """Whether two design values are the same point (floats to 1e-9 relative, for rounding)."""
    if isinstance(x, (float, np.floating)) or isinstance(y, (float, np.floating)):
        try:
            return bool(np.isclose(float(x), float(y), rtol=1e-9, atol=1e-12))
        except (TypeError, ValueError):
            return False
    return _plain(x) == _plain(y)


def _plain(value):
    """A design value as Python prints it (bytes decoded, numpy scalars unwrapped)."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.generic):
        return value.item()
    return value


#: What to do when a design column differs between two files or scenarios.
_FIX = {"seed": "run both with the same --seed",
        "replication": "run both with the same --replications",
        "point": "run both with the same --vary and --design"}


def _check_pairs(a: xr.Dataset, b: xr.Dataset, factors: list[str], name_a: str, name_b: str,
                 what: str) -> None:
    """Raises ValueError unless run r of ``a`` and of ``b`` have the same seed, replication,
    point and design values (what common random numbers pair)."""
    runs_a, runs_b = a.sizes.get("run", 0), b.sizes.get("run", 0)
    if runs_a != runs_b:
        raise ValueError(f"the two {what} have different numbers of runs: {runs_a} in {name_a}, "
                         f"{runs_b} in {name_b}; run both with the same --vary and --replications")
    for column in ["seed", "replication"] + list(factors) + ["point"]:
        if column not in a or column not in b:
            continue
        values_a, values_b = a[column].values, b[column].values
        for run in range(runs_a):
            if not _same(values_a[run], values_b[run]):
                x, y = _plain(values_a[run]), _plain(values_b[run])
                if column in _FIX:
                    raise ValueError(f"the two {what} differ in {column}: run {run} has {x!r} in "
                                     f"{name_a} and {y!r} in {name_b}; {_FIX[column]}")
                raise ValueError(f"{column} differs at run {run}: {x!r} in {name_a}, {y!r} in "
                                 f"{name_b}; run both with the same --vary {column}=...")


def paired_difference(a: xr.DataArray, b: xr.DataArray, dim: str = "run") -> xr.Dataset:
    """Interval of ``b - a`` taken run by run (paired by common random numbers).

    The values are paired position by position along ``dim``. Where both carry a
    ``replication`` (or ``seed``) coordinate along ``dim``, it must match at every position:
    otherwise the pairs are not the same random streams and a ValueError says where.
    """
    if a.sizes.get(dim) != b.sizes.get(dim):
        raise ValueError(f"a has {a.sizes.get(dim)} values along {dim!r} and b has "
                         f"{b.sizes.get(dim)}; pair values of the same runs")
    for column in ("seed", "replication"):
        if column in a.coords and column in b.coords and a[column].dims == (dim,) == b[column].dims:
            for k, (x, y) in enumerate(zip(a[column].values, b[column].values)):
                if not _same(x, y):
                    raise ValueError(f"a and b differ in {column} at {dim} position {k}: "
                                     f"{_plain(x)!r} in a, {_plain(y)!r} in b; pair values of "
                                     f"the same {column}s (select both the same way)")
    if dim in a.indexes and dim in b.indexes and not a.indexes[dim].equals(b.indexes[dim]):
        # Pairs by position (their replications match), not by xarray's alignment of labels.
        b = b.assign_coords({dim: a[dim].values})
    return interval(b - a, dim)


def _scenario(result: Result, name: str | None, default: int) -> str:
    if name is None:
        if len(result.scenarios) <= default:
            raise ValueError(f"{result.path!r} has {len(result.scenarios)} scenario(s); "
                             f"name the scenarios to compare")
        return result.scenarios[default]
    if name not in result.scenarios:
        raise ValueError(f"no scenario {name!r} in {result.path!r}; its scenarios are "
                         f"{result.scenarios}")
    return name


def scenario_difference(result: Result, variable: str, a: str, b: str, firm: int | str = 0,
                        group: str = "summaries") -> xr.Dataset:
    """Paired difference ``b - a`` between two scenarios of a comparison.

    Run r of scenario ``a`` is paired with run r of ``b``; their seeds and replications must
    match (ValueError otherwise). Failed runs are left out (of both).

    Args:
        variable: a summaries variable, or a trajectories one with ``group="trajectories"``
            (then the interval is per period).

    Returns:
        ``mean``, ``low``, ``high`` and ``n``; ``attrs["kind"]`` is ``"difference"``.
    """
    if result.kind != "compare":
        raise ValueError(f"{result.path!r} is not a comparison; scenario_difference needs orgsim compare's file")
    a, b = _scenario(result, a, 0), _scenario(result, b, 1)
    _check_pairs(result.design.sel(scenario=a), result.design.sel(scenario=b), [],
                 f"scenario {a!r}", f"scenario {b!r}", "scenarios")
    dataset = result.summaries if group == "summaries" else result.trajectories
    values = dataset[variable].isel(firm=_firm_index(result, firm))
    values = values.where(values["failed"] == 0)
    stats = paired_difference(values.sel(scenario=a, drop=True), values.sel(scenario=b, drop=True))
    stats.attrs["kind"] = "difference"
    return stats


def point_difference(a: Result, b: Result, variable, firm: int | str = 0) -> pd.DataFrame:
    """Paired difference ``b - a`` per design point between two sweeps of the same design.

    ``variable`` is a summaries variable, or a function of a result giving a value per
    (run, firm), such as ``lambda r: window_share_in_lead(r, window="late")``.

    Two sweeps of different scenarios over the same ``--vary``, ``--replications`` and
    ``--seed`` pair run r with run r, which has the same point, replication and seed in both.
    Anything else raises a one-line ValueError naming the first difference: the varied keys,
    the number of runs, or run r's seed, replication, design value or point (design values
    are compared to 1e-9 relative, so rounding in the last digit is not a difference).

    Returns:
        One row per design point with ``mean``, ``low``, ``high`` and ``n``;
        ``attrs["kind"]`` is ``"difference"`` (so :func:`plot_heatmap` draws a difference map).
    """
    if set(a.factors) != set(b.factors):
        raise ValueError(f"the two sweeps vary different keys: {a.factors} in A ({a.path!r}), "
                         f"{b.factors} in B ({b.path!r}); run both with the same --vary")
    _check_pairs(a.design, b.design, a.factors, "A", "B", "sweeps")
    index = _firm_index(a, firm)
    if callable(variable):
        va, vb = variable(a), variable(b)
        for values, name in ((va, "A"), (vb, "B")):
            if not isinstance(values, xr.DataArray) or set(values.dims) != {"run", "firm"}:
                raise ValueError(f"variable gave {type(values).__name__} "
                                 f"{getattr(values, 'dims', '')} for {name}; give a function "
                                 f"returning a DataArray over (run, firm), like window_mean")
        va, vb = va.isel(firm=index), vb.isel(firm=index)
    else:
        if variable not in a.summaries:
            raise ValueError(f"no summaries variable {variable!r}; they are "
                             f"{sorted(a.summaries.data_vars)} (or pass a function of the result)")
        va = a.summaries[variable].isel(firm=index)
        vb = b.summaries[variable].isel(firm=index)
    difference = (vb - va).where((va["failed"] == 0) & (vb["failed"].values == 0))
    table = _interval_frame(difference, list(a.factors))
    table.attrs["kind"] = "difference"
    return table


def _recorded_every_period(result: Result) -> np.ndarray:
    """The period coordinate, checked to be 1, 2, ..., P (orgsim records the state after
    each period; period 0, the start, is not recorded)."""
    periods = result.trajectories["period"].values.astype(np.int64)
    every = [line.split("=", 1)[1].strip() for key, text in result.attrs.items()
             if key == "scenario" or key.startswith("scenario.")
             for line in str(text).splitlines() if line.replace(" ", "").startswith("output.every=")]
    coarse = [value for value in every if value != "1"]
    if coarse or not np.array_equal(periods, np.arange(1, len(periods) + 1)):
        shown = coarse[0] if coarse else (int(periods[1] - periods[0]) if len(periods) > 1 else "?")
        raise ValueError(f"{result.path!r} records every {shown} periods (output.every = {shown}); "
                         f"a window needs every period: rerun with output.every = 1 (--set output.every=1, "
                         f"the default)")
    return periods


def _window_mask(result: Result, window, late_share: float) -> xr.DataArray:
    """True for the periods of each run's window, over ((scenario,) run, period)."""
    periods = xr.DataArray(_recorded_every_period(result), dims="period",
                           coords={"period": result.trajectories["period"].values})
    lasted = result.summaries["periods_run"].isel(firm=0, drop=True)
    if window == "whole":
        first = xr.ones_like(lasted)
        last = lasted
    elif window == "late":
        if not 0 < late_share <= 1:
            raise ValueError(f"late_share = {late_share!r} is not in (0, 1]; give the share of "
                             f"each run's periods that makes the late window, e.g. 0.25")
        # The last max(1, round-half-up(late_share * T)) periods of the T the run lasted.
        length = np.maximum(1, np.floor(late_share * lasted + 0.5))
        first = lasted - length + 1
        last = lasted
    elif isinstance(window, tuple) and len(window) == 2:
        low, high = window
        if not (float(low).is_integer() and float(high).is_integer() and 1 <= low <= high):
            raise ValueError(f"window = {window!r} is not (first, last) periods with "
                             f"1 <= first <= last; periods are numbered from 1")
        first = xr.full_like(lasted, float(low))
        last = np.minimum(lasted, float(high))  # a run that stopped earlier: up to its end
    else:
        raise ValueError(f"window = {window!r}; give 'late', 'whole' or (first, last) periods")
    return (periods >= first) & (periods <= last)


def _window_doc(function):
    function.__doc__ = function.__doc__.replace("WINDOW", """window: ``"late"``: each run's last ``max(1, round-half-up(late_share * T))``
                periods, where T is the run's ``periods_run``; ``"whole"``: periods 1 to T;
                ``(first, last)``: periods first to last (inclusive; a run that stopped
                before ``last`` contributes up to its end, one that stopped before ``first``
                gives NaN). orgsim records periods 1, 2, ... (the state after each period;
                the start, period 0, is not recorded), so periods 1..T are every period run.
            late_share: of the late window.""")
    return function


@_window_doc
def window_mean(result: Result, variable: str, window="late", late_share: float = 0.25) -> xr.DataArray:
    """Each run's mean of a trajectories variable over a window of periods.

    Args:
        result: from :func:`~orgsim.analysis.load`, recorded every period.
        variable: a trajectories variable, such as ``"lead"``.
        WINDOW

    Returns:
        A DataArray over ((scenario,) run, firm) with the file's run coordinates
        (replication, design values); NaN for failed runs.

    Raises:
        ValueError: the file records every k > 1 periods, or the window is malformed.
    """
    values = result.trajectories[variable]
    inside = values.where(_window_mask(result, window, late_share))
    count = inside.count("period")
    mean = (inside.sum("period", skipna=True) / count).where(count > 0)
    mean = mean.where(mean["failed"] == 0)
    mean.name = f"{variable}_{window if isinstance(window, str) else 'window'}_mean"
    mean.attrs = {"units": values.attrs.get("units", ""),
                  "long_name": f"mean of {variable} over the {_window_name(window, late_share)}"}
    return mean


@_window_doc
def window_share_in_lead(result: Result, window="late", measure: str = "lead",
                         late_share: float = 0.25) -> xr.DataArray:
    """Each run's share of the window's periods in which ``measure`` is strictly above 0.

    With ``window="whole"`` and ``measure="lead"`` this is the summaries'
    ``share_periods_lead`` (periods 1..T with a lead over T); with
    ``measure="innovation_lead"``, ``share_periods_innovation_lead``.

    Args:
        result: from :func:`~orgsim.analysis.load`, recorded every period.
        WINDOW
        measure: ``"lead"`` (market share) or ``"innovation_lead"``.

    Returns:
        A DataArray over ((scenario,) run, firm); NaN for failed runs.
    """
    values = result.trajectories[measure]
    mask = _window_mask(result, window, late_share)
    inside = values.where(mask)
    count = inside.count("period")
    ahead = (inside > 0).where(inside.notnull()).sum("period", skipna=True)
    share = (ahead / count).where(count > 0)
    share = share.where(share["failed"] == 0)
    share.name = f"share_{window if isinstance(window, str) else 'window'}_{measure}"
    share.attrs = {"units": "share of periods",
                   "long_name": f"share of the {_window_name(window, late_share)} with {measure} > 0"}
    return share


def _window_name(window, late_share: float) -> str:
    if window == "late":
        return f"late window (last {late_share:.0%} of each run's periods)"
    if window == "whole":
        return "whole run"
    return f"periods {window[0]}-{window[1]}"


def by_design(result: Result, variable: str, firm: int | str = 0) -> xr.DataArray:
    """A variable as an array with one dimension per varied key, plus ``replication``.

    Turns the summaries' runs into a grid, coordinates the design values, so that
    ``by_design(result, "final_code_score").sel({"firm.socialization": 0.5})`` selects by
    value. A comparison gives (scenario, replication), one over a design (scenario, its
    keys..., replication), a plain run (replication,). A
    trajectories variable keeps its ``period`` dimension last. Failed runs are NaN.

    Raises:
        ValueError: the design is not a grid (lhs, sobol, saltelli: use
            :func:`~orgsim.analysis.to_frame`), or the variable does not exist.
    """
    if variable in result.summaries:
        values = result.summaries[variable]
    elif variable in result.trajectories:
        values = result.trajectories[variable]
    else:
        raise ValueError(f"no variable {variable!r} in {result.path!r}; its summaries are "
                         f"{sorted(result.summaries.data_vars)}")
    values = values.isel(firm=_firm_index(result, firm))
    values = values.where(values["failed"] == 0)
    design = result.design
    keys = list(result.factors)
    if result.kind == "compare":
        # The scenarios share the design (if any), run by run.
        first = design.sel(scenario=result.scenarios[0])
        for name in result.scenarios[1:]:
            _check_pairs(first, design.sel(scenario=name), keys, f"scenario {result.scenarios[0]!r}",
                         f"scenario {name!r}", "scenarios")
        design = first
    replications = design["replication"].values
    columns = [design[key].values for key in keys] + [replications]
    levels, positions = [], []
    for column in columns:
        level, position = np.unique(column, return_inverse=True)
        levels.append(level)
        positions.append(position)
    sizes = [len(level) for level in levels]
    cells = set(zip(*positions))
    if len(cells) != len(replications) or (keys and len(cells) != int(np.prod(sizes))):
        described = ", ".join(f"{key}: {n} values" for key, n in zip(keys, sizes))
        raise ValueError(f"the design of {result.path!r} is not a grid ({described}, "
                         f"{len(replications)} runs); by_design needs a grid sweep, use to_frame "
                         f"for an lhs, sobol or saltelli design")
    data = values.transpose(*[d for d in values.dims if d not in ("run", "period")], "run",
                            *(["period"] if "period" in values.dims else []))
    leading = [d for d in data.dims if d not in ("run", "period")]
    trailing = ["period"] if "period" in data.dims else []
    shape = [data.sizes[d] for d in leading] + sizes + [data.sizes[d] for d in trailing]
    grid = np.full(shape, np.nan)
    index = tuple(positions)
    raw = np.moveaxis(data.values, len(leading), 0)  # run first
    target = np.moveaxis(grid, list(range(len(leading))), [len(sizes) + k for k in range(len(leading))])
    target[index] = raw
    dims = leading + keys + ["replication"] + trailing
    coords = {key: level for key, level in zip(keys + ["replication"], levels)}
    for d in leading + trailing:
        coords[d] = data[d].values
    out = xr.DataArray(grid, dims=dims, coords=coords, name=variable, attrs=dict(values.attrs))
    return out


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
    by = _default_by(result)
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
