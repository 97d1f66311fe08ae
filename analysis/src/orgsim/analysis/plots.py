"""The standard plots, each returning a matplotlib Figure (nothing is shown or saved).

The package never chooses matplotlib's backend: a notebook keeps its inline backend, a
script gets matplotlib's default (set MPLBACKEND=Agg where there is no display)."""

from __future__ import annotations

import matplotlib
import matplotlib.cm
import matplotlib.colors
import matplotlib.patches
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .io import Result, _firm_index
from .march import MARCH_1991_FIGURE_1
from .stats import interval, scenario_difference, summarise


def _label(dataset, variable: str) -> str:
    units = dataset[variable].attrs.get("units", "")
    name = variable.replace("_", " ")
    return f"{name} ({units})" if units and units != "1" else name


def _new_axes(ax):
    if ax is not None:
        return ax.figure, ax
    figure, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
    return figure, ax


#: At most this many lines get a legend and the default colour cycle; more numeric values
#: get viridis and a colour bar. Also the most panels a remaining factor is faceted into.
MAX_LINES = 6

#: A mean and its band are drawn only for periods at least this many runs reached (or all
#: of a group's runs, if it has fewer).
MIN_RUNS = 3


def _format(value) -> str:
    value = value.item() if isinstance(value, np.generic) else value
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    return f"{value:g}" if isinstance(value, float) else str(value)


def _exact(value) -> str:
    """A value as where= must be given it (floats in full: repr, not %g)."""
    value = value.item() if isinstance(value, np.generic) else value
    return repr(value) if isinstance(value, (float, str)) else _format(value)


def _matches(values: np.ndarray, wanted) -> np.ndarray:
    if values.dtype.kind in "fiu":
        try:
            return np.isclose(values.astype(float), float(wanted), rtol=1e-9, atol=1e-12)
        except (TypeError, ValueError):
            return np.zeros(values.shape, bool)
    return np.array([_format(v) == _format(wanted) for v in values])


def _run_values(result: Result, key: str) -> np.ndarray:
    """The values of a varied key run by run (the design's column)."""
    return result.design[key].values


def _select_runs(result: Result, by: str | None, where: dict | None) -> tuple[np.ndarray, list[str]]:
    """The runs ``where`` keeps (boolean over run) and the factors still varying among them."""
    keep = np.ones(result.design.sizes["run"], bool)
    for key, wanted in (where or {}).items():
        if key not in result.factors:
            raise ValueError(f"where names {key!r}, which {result.path!r} does not vary; its varied "
                             f"keys are {result.factors}")
        if key == by:
            raise ValueError(f"where and by both name {key!r}; draw one line per value (by) or "
                             f"choose one value (where), not both")
        matched = _matches(_run_values(result, key), wanted)
        if not matched.any():
            values = ", ".join(_exact(v) for v in np.unique(_run_values(result, key)))
            raise ValueError(f"no run has {key} = {_exact(wanted)}; its values are {values}; "
                             f"pass one of them in where")
        keep &= matched
    remaining = [key for key in result.factors if key != by and key not in (where or {})
                 and len(np.unique(_run_values(result, key)[keep])) > 1]
    return keep, remaining


def plot_trajectories(result: Result, variable: str, firm: int | str = 0, by: str | None = None,
                      where: dict | None = None, ax=None):
    """Mean trajectory of ``variable`` with its 95% band, one line per scenario or value of
    a varied key; never silently averaged over another varied key.

    Args:
        result: from :func:`~orgsim.analysis.load`.
        variable: a trajectories variable, such as ``"innovation"``.
        firm: which firm (number or name); 0 is the focal firm.
        by: ``"scenario"`` or a varied key; by default the scenario of a comparison or the
            first varied key of a sweep.
        where: values of other varied keys to keep, e.g. ``{"firm.code_learning": 0.5}``.
        ax: draw into these axes (only when there is a single panel).

    Returns:
        The Figure. When exactly one varied key other than ``by`` still varies (after
        ``where``) with at most 6 values, one panel per value of it (shared y axis); more
        than 6 lines of a numeric key are coloured with viridis and a colour bar instead of
        a legend.

    Raises:
        ValueError: more than one other key varies, or one with more than 6 values: pass
            ``where={...}`` to choose their values; or ``by``/``where`` name unknown keys.
    """
    if by is None:
        by = "scenario" if result.kind == "compare" else (result.factors[0] if result.factors else None)
    if by is not None and by != "scenario" and by not in result.factors:
        raise ValueError(f"by = {by!r} is neither 'scenario' nor a varied key of {result.path!r}; "
                         f"its varied keys are {result.factors}")
    if by == "scenario" and result.kind != "compare":
        raise ValueError(f"by = 'scenario' needs a comparison; {result.path!r} is a {result.kind}")
    keep, remaining = _select_runs(result, by, where)
    facet = None
    if remaining:
        first = remaining[0]
        values = np.unique(_run_values(result, first)[keep])
        if len(remaining) > 1 or len(values) > MAX_LINES:
            varying = ", ".join(f"{key} ({len(np.unique(_run_values(result, key)[keep]))} values)"
                                for key in remaining)
            example = _exact(np.unique(_run_values(result, first)[keep])[0])
            raise ValueError(f"plot_trajectories would average over {varying}; pass "
                             f"where={{{first!r}: {example}}} to choose their values")
        facet = (first, values)

    data = result.trajectories[variable].isel(firm=_firm_index(result, firm))
    data = data.where(data["failed"] == 0)
    if not keep.all():
        data = data.isel(run=np.flatnonzero(keep))
    panels = [(None, data)] if facet is None else [
        (value, data.isel(run=np.flatnonzero(_matches(data[facet[0]].values, value))))
        for value in facet[1]]

    if facet is None:
        figure, axes = _new_axes(ax)
        axes = [axes]
    else:
        if ax is not None:
            raise ValueError(f"{facet[0]} varies, so the figure has {len(facet[1])} panels and "
                             f"cannot go into one ax; pass ax=None or where={{{facet[0]!r}: ...}}")
        columns = min(3, len(panels))
        rows = -(-len(panels) // columns)
        figure, grid = plt.subplots(rows, columns, figsize=(4.2 * columns + 1.2, 3.4 * rows + 0.6),
                                    sharey=True, squeeze=False, layout="constrained")
        axes = list(grid.ravel())
        for extra in axes[len(panels):]:
            extra.set_visible(False)
        axes = axes[:len(panels)]

    if by is None:
        levels = [None]
    elif by == "scenario":
        levels = list(result.scenarios)
    else:
        levels = list(np.unique(data[by].values))
    numeric = by not in (None, "scenario") and np.asarray(levels).dtype.kind in "fiu"
    colour_bar = numeric and len(levels) > MAX_LINES
    if colour_bar:
        norm = matplotlib.colors.Normalize(vmin=float(min(levels)), vmax=float(max(levels)))
        cmap = matplotlib.colormaps["viridis"]
    periods = result.trajectories["period"].values
    lasted = result.summaries["periods_run"].isel(firm=0).where(result.summaries["failed"] == 0)
    if "scenario" in lasted.dims:
        lasted = lasted.stack(all_runs=("scenario", "run"))
    else:
        lasted = lasted.isel(run=np.flatnonzero(keep))
    lasted = lasted.values[np.isfinite(lasted.values)]
    xlabel = "period"
    if len(np.unique(lasted)) > 1 and ax is None:
        figure.supxlabel(f"runs stopped at different periods: a mean covers the runs still going, "
                         f"drawn while at least {MIN_RUNS} remain", fontsize=8, color="0.3")
    for k, ((panel_value, part), axis) in enumerate(zip(panels, axes)):
        for level in levels:
            if level is None:
                group, label = part, None
            elif by == "scenario":
                group, label = part.sel(scenario=level), str(level)
            else:
                group = part.isel(run=np.flatnonzero(_matches(part[by].values, level)))
                label = f"{by} = {_format(level)}"
            stats = interval(group, "run")
            # Where runs stopped early (equilibrium), the last periods' means rest on a few
            # runs and a t band on two is most of the axis: drawn while MIN_RUNS remain.
            enough = stats["n"] >= min(MIN_RUNS, group.sizes["run"])
            stats = stats.where(enough)
            colour = cmap(norm(float(level))) if colour_bar else None
            line, = axis.plot(periods, stats["mean"], label=None if colour_bar else label,
                              linewidth=1.8, color=colour)
            axis.fill_between(periods, stats["low"], stats["high"], color=line.get_color(),
                              alpha=0.12 if colour_bar else 0.2, linewidth=0)
        axis.set_xlabel(xlabel)
        if k % (min(3, len(panels))) == 0:
            axis.set_ylabel(_label(result.trajectories, variable))
        if panel_value is not None:
            axis.set_title(f"{facet[0]} = {_format(panel_value)}", fontsize=10)
        axis.grid(alpha=0.3)
    firm_name = result.firm_names[_firm_index(result, firm)]
    title = f"{variable.replace('_', ' ')} of firm '{firm_name}' (mean and 95% interval)"
    fixed = ", ".join(f"{key} = {_format(value)}" for key, value in (where or {}).items())
    if fixed:
        title += f"\nat {fixed}"
    if facet is None:
        axes[0].set_title(title)
    else:
        figure.suptitle(title)
    if colour_bar:
        mappable = matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap)
        figure.colorbar(mappable, ax=axes).set_label(by)
    elif by is not None:
        axes[0].legend(frameon=False, fontsize=8 if facet else None)
    return figure


def plot_lead(result: Result, firm: int | str = 0, where: dict | None = None, ax=None):
    """The firm's market-share lead over its best rival over time (above 0: ahead)."""
    figure = plot_trajectories(result, "lead", firm=firm, where=where, ax=ax)
    axes = [axis for axis in figure.axes if axis.get_label() != "<colorbar>"] if ax is None else [ax]
    for axis in axes:
        axis.axhline(0.0, color="black", linewidth=0.8)
    firm_name = result.firm_names[_firm_index(result, firm)]
    title = f"market-share lead of '{firm_name}' over its best rival (mean and 95% interval)"
    if len(axes) == 1:
        axes[0].set_title(title)
    else:
        figure.suptitle(title)
    return figure


def _text_colour(rgba) -> str:
    red, green, blue = rgba[:3]
    return "black" if 0.299 * red + 0.587 * green + 0.114 * blue > 0.5 else "white"


def plot_heatmap(table: pd.DataFrame, x: str, y: str, value: str = "mean", ax=None,
                 title: str | None = None, label: str | None = None, kind: str | None = None):
    """A heatmap of ``value`` over two keys, from :func:`~orgsim.analysis.summarise` or
    :func:`~orgsim.analysis.point_difference`.

    Args:
        kind: ``"level"``: a sequential colour map (viridis), the values written in the
            cells, no significance; ``"difference"``: a diverging colour map centred on 0,
            cells whose 95% interval (``low``, ``high``) excludes 0 at full colour with a
            bold black outline and bold text, the others faded, so that a large but
            uncertain difference does not look like a finding. Default: the table's
            ``attrs["kind"]`` (``point_difference`` sets ``"difference"``), else ``"level"``.
    """
    kind = kind or table.attrs.get("kind", "level")
    if kind not in ("level", "difference"):
        raise ValueError(f"kind = {kind!r}; give 'level' (a map of values) or 'difference' "
                         f"(a map of paired differences with their intervals)")
    if kind == "difference" and not {"low", "high"} <= set(table.columns):
        raise ValueError(f"a difference map needs the table's low and high columns (it has "
                         f"{list(table.columns)}); give point_difference's table or kind='level'")
    figure, ax = _new_axes(ax)
    pivot = lambda column: table.pivot(index=y, columns=x, values=column).sort_index(ascending=False)  # noqa: E731
    grid = pivot(value)
    values = grid.to_numpy(dtype=float)
    if kind == "difference":
        limit = float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 1.0
        limit = limit or 1.0
        norm = matplotlib.colors.Normalize(vmin=-limit, vmax=limit)
        cmap = matplotlib.colormaps["RdBu_r"]
        low = pivot("low").to_numpy(float)
        high = pivot("high").to_numpy(float)
        significant = (low > 0) | (high < 0)
    else:
        finite = values[np.isfinite(values)]
        low_value, high_value = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        if low_value == high_value:
            low_value, high_value = low_value - 0.5, high_value + 0.5
        norm = matplotlib.colors.Normalize(vmin=low_value, vmax=high_value)
        cmap = matplotlib.colormaps["viridis"]
        significant = np.ones(values.shape, bool)
    ax.set_facecolor("white")  # faded cells blend towards white, not towards a grey
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if np.isnan(values[i, j]):
                ax.add_patch(matplotlib.patches.Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="0.92",
                                                          hatch="//", edgecolor="0.75", linewidth=0,
                                                          label="no data"))
                ax.text(j, i, "no data", ha="center", va="center", fontsize=7, color="0.4")
                continue
            colour = cmap(norm(values[i, j]))
            marked = kind == "difference" and significant[i, j]
            faded = kind == "difference" and not significant[i, j]
            ax.add_patch(matplotlib.patches.Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=colour,
                                                      alpha=0.25 if faded else 1.0, linewidth=0,
                                                      label="cell"))
            if marked:
                ax.add_patch(matplotlib.patches.Rectangle(
                    (j - 0.46, i - 0.46), 0.92, 0.92, fill=False, edgecolor="black",
                    linewidth=2.5, zorder=3, label="excludes 0"))
            text = f"{values[i, j]:+.3f}" if kind == "difference" else f"{values[i, j]:.3f}"
            ax.text(j, i, text, ha="center", va="center", fontsize=8, zorder=4,
                    fontweight="bold" if marked else "normal",
                    color="0.35" if faded else _text_colour(colour), alpha=0.8 if faded else 1.0)
    ax.set_xlim(-0.5, values.shape[1] - 0.5)
    ax.set_ylim(values.shape[0] - 0.5, -0.5)
    ax.set_xticks(range(values.shape[1]), [_format(v) for v in grid.columns])
    ax.set_yticks(range(values.shape[0]), [_format(v) for v in grid.index])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    colorbar = figure.colorbar(matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax)
    text = label or value
    if kind == "difference":
        text += "\noutlined: 95% interval excludes 0; faded: includes 0"
    colorbar.set_label(text)
    if title:
        ax.set_title(title)
    return figure


def plot_difference(result: Result, variable: str, a: str | None = None, b: str | None = None,
                    firm: int | str = 0, ax=None, late_share: float = 0.25):
    """The paired difference ``b - a`` of a trajectories variable over time, from a comparison.

    Draws the mean over runs of the run-by-run difference with its 95% t interval, a line
    at 0, and the late window (the last ``max(1, round-half-up(late_share * T))`` of the T
    periods run, as :func:`~orgsim.analysis.window_mean` uses) shaded.

    Args:
        result: an ``orgsim compare`` file.
        variable: a trajectories variable, such as ``"lead"``.
        a, b: scenario names (default: the first and the second).
        firm: which firm; 0 is the focal firm.
        late_share: of the late window.

    Returns:
        The Figure.
    """
    if result.kind != "compare":
        raise ValueError(f"{result.path!r} is a {result.kind}, not a comparison; plot_difference "
                         f"needs orgsim compare's file (for sweeps use point_difference)")
    a = a if a is not None else (result.scenarios[0] if result.scenarios else None)
    b = b if b is not None else (result.scenarios[1] if len(result.scenarios) > 1 else None)
    stats = scenario_difference(result, variable, a, b, firm=firm, group="trajectories")
    if not 0 < late_share <= 1:
        raise ValueError(f"late_share = {late_share!r} is not in (0, 1]; give the share of the "
                         f"periods that makes the late window, e.g. 0.25")
    figure, ax = _new_axes(ax)
    periods = result.trajectories["period"].values
    lasted = result.summaries["periods_run"].isel(firm=0).where(result.summaries["failed"] == 0)
    lasted = lasted.values[np.isfinite(lasted.values)].astype(int)
    if lasted.size:
        lengths = np.maximum(1, np.floor(late_share * lasted + 0.5)).astype(int)
        start, stop = int((lasted - lengths + 1).min()), int(lasted.max())
        varies = len(set(lasted)) > 1
        ax.axvspan(start - 0.5, stop + 0.5, color="0.85", alpha=0.6, linewidth=0,
                   label=f"late window (last {late_share:.0%} of "
                         f"{'each run' if varies else 'the'} periods{': ' if varies else ', '}"
                         f"{start}-{stop})")
    line, = ax.plot(periods, stats["mean"], color="tab:purple", linewidth=1.8,
                    label=f"mean of {b} - {a}, run by run")
    ax.fill_between(periods, stats["low"], stats["high"], color=line.get_color(), alpha=0.25,
                    linewidth=0, label="95% interval (t)")
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set_xlabel("period")
    units = result.trajectories[variable].attrs.get("units", "")
    name = variable.replace("_", " ")
    ax.set_ylabel(f"difference in {name}" + (f" ({units})" if units and units != "1" else ""))
    title = f"{name}: {b} minus {a} (paired, mean and 95% interval)"
    if len(title) > 64:  # the figure's width at 10-point type
        title = title.replace(" (paired", "\n(paired")
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=8, loc="best")
    ax.grid(alpha=0.3)
    return figure


def plot_march_figure1(result: Result, ax=None):
    """Equilibrium code score against p1, one line per p2, with docs/model.md's targets.

    Needs a sweep of the March reduction over ``firm.socialization`` and
    ``firm.code_learning`` (see notebooks/04_march1991_replication.ipynb).
    """
    figure, ax = _new_axes(ax)
    table = summarise(result, "final_code_score",
                      by=["firm.socialization", "firm.code_learning"])
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, (p2, part) in enumerate(table.groupby("firm.code_learning")):
        part = part.sort_values("firm.socialization")
        colour = colours[k % len(colours)]
        ax.errorbar(part["firm.socialization"], part["mean"],
                    yerr=[part["mean"] - part["low"], part["high"] - part["mean"]],
                    color=colour, marker="o", capsize=3, label=f"orgsim, p2 = {p2:g}")
        if p2 in MARCH_1991_FIGURE_1.index:
            target = MARCH_1991_FIGURE_1.loc[p2]
            ax.plot(target.index, target.values, color=colour, linestyle="--", marker="s",
                    markerfacecolor="none", label=f"target, p2 = {p2:g}")
    ax.set_xlabel("socialisation rate p1")
    ax.set_ylabel("equilibrium code score (net score per dimension)")
    ax.set_title("March (1991) Figure 1: orgsim (mean, 95% interval) against the targets")
    ax.legend(frameon=False, fontsize=8, ncol=2)
    ax.grid(alpha=0.3)
    return figure
