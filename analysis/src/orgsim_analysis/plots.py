"""The standard plots, each returning a matplotlib Figure (nothing is shown or saved).

The package never chooses matplotlib's backend: a notebook keeps its inline backend, a
script gets matplotlib's default (set MPLBACKEND=Agg where there is no display)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .io import Result, _firm_index
from .march import MARCH_1991_FIGURE_1
from .stats import interval, summarise


def _label(dataset, variable: str) -> str:
    units = dataset[variable].attrs.get("units", "")
    name = variable.replace("_", " ")
    return f"{name} ({units})" if units and units != "1" else name


def _new_axes(ax):
    if ax is not None:
        return ax.figure, ax
    figure, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
    return figure, ax


def plot_trajectories(result: Result, variable: str, firm: int | str = 0, by: str | None = None,
                      ax=None):
    """Mean trajectory of ``variable`` with its 95% band, one line per scenario or value of
    a varied key.

    Args:
        result: from :func:`~orgsim_analysis.load`.
        variable: a trajectories variable, such as ``"innovation"``.
        firm: which firm (number or name); 0 is the focal firm.
        by: ``"scenario"`` or a varied key; by default the scenario of a comparison or the
            first varied key of a sweep.
    """
    figure, ax = _new_axes(ax)
    data = result.trajectories[variable].isel(firm=_firm_index(result, firm))
    data = data.where(data["failed"] == 0)
    if by is None:
        by = "scenario" if result.kind == "compare" else (result.factors[0] if result.factors else None)
    periods = result.trajectories["period"].values
    if by is None:
        groups = [(None, data)]
    elif by == "scenario":
        groups = [(name, data.sel(scenario=name)) for name in result.scenarios]
    else:
        values = np.unique(data[by].values)
        groups = [(value, data.where(data[by] == value)) for value in values]
    for value, part in groups:
        stats = interval(part, "run")
        label = None if value is None else (str(value) if by == "scenario" else f"{by} = {value:g}"
                                            if isinstance(value, (float, np.floating)) else f"{by} = {value}")
        line, = ax.plot(periods, stats["mean"], label=label, linewidth=1.8)
        ax.fill_between(periods, stats["low"], stats["high"], color=line.get_color(), alpha=0.2,
                        linewidth=0)
    ax.set_xlabel("period")
    ax.set_ylabel(_label(result.trajectories, variable))
    firm_name = result.firm_names[_firm_index(result, firm)]
    ax.set_title(f"{variable.replace('_', ' ')} of firm '{firm_name}' (mean and 95% interval)")
    if by is not None:
        ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return figure


def plot_lead(result: Result, firm: int | str = 0, ax=None):
    """The firm's market-share lead over its best rival over time (above 0: ahead)."""
    figure = plot_trajectories(result, "lead", firm=firm, ax=ax)
    ax = figure.axes[0] if ax is None else ax
    ax.axhline(0.0, color="black", linewidth=0.8)
    firm_name = result.firm_names[_firm_index(result, firm)]
    ax.set_title(f"market-share lead of '{firm_name}' over its best rival (mean and 95% interval)")
    return figure


def plot_heatmap(table: pd.DataFrame, x: str, y: str, value: str = "mean", ax=None,
                 title: str | None = None, label: str | None = None):
    """A heatmap of ``value`` over two keys, from :func:`~orgsim_analysis.summarise` or
    :func:`~orgsim_analysis.point_difference`.

    Cells whose 95% interval excludes 0 are marked with an asterisk when the table has
    ``low`` and ``high`` columns; a diverging colour map centred on 0 is used when the
    values change sign.
    """
    figure, ax = _new_axes(ax)
    grid = table.pivot(index=y, columns=x, values=value).sort_index(ascending=False)
    values = grid.to_numpy(dtype=float)
    crosses_zero = np.nanmin(values) < 0 < np.nanmax(values)
    if crosses_zero:
        limit = np.nanmax(np.abs(values))
        image = ax.imshow(values, cmap="RdBu", vmin=-limit, vmax=limit, aspect="auto")
    else:
        image = ax.imshow(values, cmap="viridis", aspect="auto")
    significant = None
    if {"low", "high"} <= set(table.columns):
        low = table.pivot(index=y, columns=x, values="low").sort_index(ascending=False).to_numpy(float)
        high = table.pivot(index=y, columns=x, values="high").sort_index(ascending=False).to_numpy(float)
        significant = (low > 0) | (high < 0)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if np.isnan(values[i, j]):
                continue
            mark = "*" if significant is not None and significant[i, j] else ""
            # Dark text on light cells, light on dark ones.
            strength = abs(values[i, j]) / limit if crosses_zero else 0.0
            ax.text(j, i, f"{values[i, j]:+.3f}{mark}" if crosses_zero else f"{values[i, j]:.3f}{mark}",
                    ha="center", va="center", fontsize=8,
                    color=("white" if strength > 0.6 else "black") if crosses_zero else "white")
    ax.set_xticks(range(values.shape[1]), [f"{v:g}" for v in grid.columns])
    ax.set_yticks(range(values.shape[0]), [f"{v:g}" for v in grid.index])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    colorbar = figure.colorbar(image, ax=ax)
    colorbar.set_label(label or value)
    if title:
        ax.set_title(title)
    return figure


def plot_march_figure1(result: Result, ax=None):
    """Equilibrium code score against p1, one line per p2, with MODEL.md's targets.

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
