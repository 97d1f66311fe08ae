"""Watching one run unfold: a firm's employees, period by period, from ``orgsim.trace``.

Typical use::

    import orgsim, orgsim.analysis as oa
    traces = {name: orgsim.trace(orgsim.Scenario.load(f"scenarios/{name}.cfg")
                                 .set("env.turbulence", 0.05), replication=0)
              for name in ("following_orders", "empowered")}
    oa.plot_run_frame(traces, period=50)                       # one period, in full
    oa.plot_run_small_multiples(traces, [1, 10, 50, 100, 200])  # the beliefs at five periods

Each belief matrix has a row per employee and a column per dimension of reality; a cell is
coloured by the employee's belief *against reality*: right, wrong or no belief (0). Below the
employees come the organisational code (coloured the same way) and reality itself. Rows are
sorted by role, explorers first as a block, then the producers team by team.

Like the rest of the package, nothing here chooses a backend, shows or saves a figure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import matplotlib.colors
import matplotlib.lines
import matplotlib.patches
import matplotlib.pyplot as plt
import numpy as np
import xarray as xr

#: Colour-blind-safe colours (Okabe and Ito's palette).
RIGHT, WRONG, NO_BELIEF = "#0072B2", "#E69F00", "#E4E4E4"  # blue, orange, light grey
REALITY_PLUS, REALITY_MINUS = "#000000", "#FFFFFF"
EXPLORER = "#CC79A7"       # reddish purple
PRESSURE = "#777777"
#: The two firms' curves: colour and line style both differ.
FIRM_STYLES = [dict(color="#000000", linestyle="--"), dict(color="#009E73", linestyle="-")]

#: belief x reality: -1 wrong, 0 no belief, +1 right.
AGREEMENT_CMAP = matplotlib.colors.ListedColormap([WRONG, NO_BELIEF, RIGHT])
AGREEMENT_NORM = matplotlib.colors.BoundaryNorm([-1.5, -0.5, 0.5, 1.5], 3)
REALITY_CMAP = matplotlib.colors.ListedColormap([REALITY_MINUS, REALITY_PLUS])
REALITY_NORM = matplotlib.colors.BoundaryNorm([-1.5, 0, 1.5], 2)
ROLE_CMAP = matplotlib.colors.ListedColormap(["#FFFFFF", EXPLORER])


def _traces(traces) -> dict[str, xr.Dataset]:
    """{label: trace}, from a mapping or a sequence of traces (labelled by scenario file)."""
    if isinstance(traces, xr.Dataset):
        traces = [traces]
    if isinstance(traces, Mapping):
        named = dict(traces)
    elif isinstance(traces, Sequence):
        named = {}
        for trace in traces:
            source = str(trace.attrs.get("scenario_file", "")) or f"trace {len(named) + 1}"
            named[re.sub(r"\.cfg$", "", source.rsplit("/", 1)[-1])] = trace
    else:
        raise TypeError(f"traces must be a dict of label: trace or a list of traces, not "
                        f"{type(traces).__name__}")
    if not named:
        raise ValueError("no traces given")
    for label, trace in named.items():
        if not isinstance(trace, xr.Dataset) or "beliefs" not in trace:
            raise TypeError(f"{label!r} is not an orgsim trace (orgsim.trace returns one)")
    runs = {(int(t.attrs.get("master_seed", -1)), int(t.attrs.get("replication", -1)))
            for t in named.values()}
    if len(runs) > 1:
        raise ValueError("the traces are of different runs (seed, replication): "
                         + ", ".join(f"{label} {int(t.attrs.get('master_seed', -1))}, "
                                     f"{int(t.attrs.get('replication', -1))}"
                                     for label, t in named.items())
                         + "; trace the same replication with the same seed to compare them")
    return named


def _setting(trace: xr.Dataset, key: str) -> str | None:
    match = re.search(rf"^{re.escape(key)} = (.*)$", str(trace.attrs.get("scenario", "")), re.M)
    return match.group(1).strip() if match else None


def _run_words(trace: xr.Dataset) -> str:
    words = [f"replication {int(trace.attrs.get('replication', 0))}",
             f"seed {int(trace.attrs.get('master_seed', 0))}"]
    turbulence = _setting(trace, "env.turbulence")
    if turbulence is not None:
        words.append(f"turbulence {turbulence}")
    return ", ".join(words)


def _at(trace: xr.Dataset, period: int) -> xr.Dataset:
    periods = trace["period"].values
    if int(period) not in set(int(p) for p in periods):
        raise ValueError(f"period {period} is not in the trace, which records periods "
                         f"{int(periods[0])}-{int(periods[-1])} every {int(trace.attrs.get('every', 1))}")
    return trace.sel(period=int(period))


def frame_data(trace: xr.Dataset, period: int, firm: int | str = "focal") -> dict:
    """One firm at one period as the figures draw it.

    Returns a dict: ``order`` (the employee slots in row order: explorers first, then
    producers by team, each by slot), ``beliefs`` (rows in that order, -1/0/+1),
    ``agreement`` (beliefs x reality: +1 right, -1 wrong, 0 no belief), ``code``,
    ``reality``, ``code_agreement``, ``role``, ``team``, ``pressure`` (per row) and
    ``blocks``: [(label, first row, rows, pressure or None)] for explorers and each team.
    """
    now = _at(trace, period)
    now = now.sel(firm=firm) if isinstance(firm, str) else now.isel(firm=firm)
    headcount = int(now["headcount"])
    role = now["role"].values[:headcount].astype(int)
    team = now["team"].values[:headcount].astype(int)
    slots = np.arange(headcount)
    order = np.lexsort((slots, team, -role))  # explorers (role 1) first, then team, then slot
    reality = now["reality"].values.astype(int)
    beliefs = now["beliefs"].values[:headcount].astype(int)[order]
    code = now["code"].values.astype(int)
    pressure = now["pressure"].values[:headcount][order]
    blocks = []
    explorers = int((role == 1).sum())
    if explorers:
        blocks.append(("explorers", 0, explorers, None))
    start = explorers
    for number in sorted(set(team[role == 0].tolist())):
        size = int(((team == number) & (role == 0)).sum())
        blocks.append((f"team {number}", start, size, float(pressure[start])))
        start += size
    return {"order": order, "beliefs": beliefs, "agreement": beliefs * reality, "code": code,
            "reality": reality, "code_agreement": code * reality, "role": role[order],
            "team": team[order], "pressure": pressure, "blocks": blocks,
            "headcount": headcount, "period": int(period)}


def _belief_panel(figure, spec, data: dict, title: str, pressure: bool, compact: bool = False):
    """The belief matrix with the code and reality rows under it, the role strip on its
    left and (if ``pressure``) the team pressures on its right. Returns the axes by name."""
    rows = data["headcount"]
    line = max(1.0, rows / 30)  # the code and reality rows, in employee rows' height
    columns = [0.9, 30] + ([7] if pressure else [])
    grid = spec.subgridspec(3, len(columns), height_ratios=[rows, line, line], width_ratios=columns,
                            hspace=0, wspace=0.03)
    axes = {}
    matrix = figure.add_subplot(grid[0, 1])
    axes["beliefs"] = matrix
    matrix.set_label("beliefs")
    matrix.imshow(data["agreement"], cmap=AGREEMENT_CMAP, norm=AGREEMENT_NORM, aspect="auto",
                  interpolation="nearest")
    matrix.set_xticks([])
    matrix.set_yticks([])
    if title:
        matrix.set_title(title, fontsize=9 if compact else 10)
    strip = figure.add_subplot(grid[0, 0], sharey=matrix)
    strip.set_label("role")
    axes["role"] = strip
    strip.imshow(data["role"][:, None], cmap=ROLE_CMAP, vmin=0, vmax=1, aspect="auto",
                 interpolation="nearest")
    strip.set_xticks([])
    ticks, labels = [], []
    for label, first, size, _ in data["blocks"]:
        ticks.append(first + (size - 1) / 2)
        labels.append(label if not compact or label == "explorers" else label.replace("team ", "t"))
        if first:
            for axis in (strip, matrix):
                axis.axhline(first - 0.5, color="white", linewidth=1.2)
    strip.set_yticks(ticks, labels, fontsize=7 if compact else 8)
    strip.tick_params(axis="y", length=0)
    matrix.tick_params(left=False, labelleft=False, bottom=False, labelbottom=False)
    if not compact:
        strip.set_ylabel("employees (rows), by role and team")
    for row, (name, values, cmap, norm) in enumerate(
            [("code", data["code_agreement"], AGREEMENT_CMAP, AGREEMENT_NORM),
             ("reality", data["reality"], REALITY_CMAP, REALITY_NORM)], start=1):
        axis = figure.add_subplot(grid[row, 1], sharex=matrix)
        axis.set_label(name)
        axes[name] = axis
        axis.imshow(values[None, :], cmap=cmap, norm=norm, aspect="auto", interpolation="nearest")
        axis.set_yticks([0], [name], fontsize=7 if compact else 8)
        axis.tick_params(axis="y", length=0)
        axis.set_xticks([])
    axes["code"].tick_params(bottom=False, labelbottom=False)
    m = len(data["reality"])
    axes["reality"].set_xticks([0, m - 1], ["1", str(m)], fontsize=7)
    if not compact:
        axes["reality"].set_xlabel(f"dimension of reality (1-{m})", labelpad=-6)
    if pressure:
        bars = figure.add_subplot(grid[0, 2], sharey=matrix)
        bars.set_label("pressure")
        axes["pressure"] = bars
        for label, first, size, value in data["blocks"]:
            if value is None:
                bars.text(0.5, first + (size - 1) / 2, "no manager", ha="center", va="center",
                          fontsize=7, color="0.35")
            else:
                bars.barh(first + (size - 1) / 2, value, height=size * 0.8, color=PRESSURE)
                inside = value >= 0.35
                bars.text(value - 0.03 if inside else value + 0.03, first + (size - 1) / 2,
                          f"{value:.2f}", va="center", ha="right" if inside else "left",
                          fontsize=7, color="white" if inside else "black")
        bars.set_xlim(0, 1)
        # Ticks and label on top: under the bars they would push the code row away.
        bars.xaxis.tick_top()
        bars.xaxis.set_label_position("top")
        bars.set_xticks([0, 0.5, 1], ["0", "0.5", "1"], fontsize=7)
        bars.tick_params(axis="y", left=False, labelleft=False)
        bars.set_xlabel("team's manager\npressure (0-1)", fontsize=8)
        bars.grid(axis="x", color="0.9")
        bars.set_axisbelow(True)
    matrix.set_ylim(rows - 0.5, -0.5)
    return axes


def _cell_legend() -> list:
    patch = lambda colour, label: matplotlib.patches.Patch(facecolor=colour, edgecolor="0.4",  # noqa: E731
                                                            linewidth=0.5, label=label)
    return [patch(RIGHT, "belief (or code) matches reality"), patch(WRONG, "belief (or code) is wrong"),
            patch(NO_BELIEF, "no belief (0)"), patch(REALITY_PLUS, "reality +1"),
            patch(REALITY_MINUS, "reality \u22121"), patch(EXPLORER, "explorer (no team, no manager)")]


def _legend(figure, spec, handles, ncol, title=None):
    """The figure's one legend, in an axes of its own under the panels."""
    axis = figure.add_subplot(spec)
    axis.set_label("legend")
    axis.axis("off")
    return axis.legend(handles=handles, loc="center", ncol=ncol, fontsize=8, frameon=False,
                       title=title, title_fontsize=8)


def _summary(trace: xr.Dataset, period: int, firm, data: dict) -> str:
    now = _at(trace, period)
    now = now.sel(firm=firm) if isinstance(firm, str) else now.isel(firm=firm)
    explorers = int((data["role"] == 1).sum())
    right = (data["agreement"] == 1).mean()
    return (f"{explorers} of {data['headcount']} explore; mean autonomy "
            f"{float(now['mean_autonomy']):.2f}; {right:.0%} of beliefs right, code "
            f"{float(now['innovation']):.0%} right")


def plot_run_frame(traces, period: int, firm: int | str = "focal"):
    """One period of one run inside each of two (or more) firms, side by side, and their
    innovation and lead over the whole run.

    Args:
        traces: {label: trace} from ``orgsim.trace`` (or a list of traces, labelled by their
            scenario file), of the same replication and seed, e.g. following orders and
            empowered.
        period: the period to draw (a recorded one).
        firm: which firm of each trace to look inside (name or index).

    Returns:
        A Figure: per trace, the belief matrix (employees x dimensions, coloured by whether
        each belief matches reality, is wrong or is 0), the code and reality rows, who
        explores (the strip on the left) and each team's manager pressure (bars on the right);
        below, the firm's innovation and lead per period for every trace, with a vertical line
        at ``period``.
    """
    named = _traces(traces)
    count = len(named)
    figure = plt.figure(figsize=(6.6 * count + 0.6, 9.8), layout="constrained")
    # Subfigures: each firm's title spans its matrix and its pressure bars.
    top, curves, key = figure.subfigures(3, 1, height_ratios=[2.3, 1, 0.16])
    firm_name = firm if isinstance(firm, str) else str(next(iter(named.values()))["firm"].values[firm])
    for panel, (label, trace) in zip(np.atleast_1d(top.subfigures(1, count, wspace=0.04)), named.items()):
        data = frame_data(trace, period, firm)
        _belief_panel(panel, panel.add_gridspec(1, 1)[0], data, None, pressure=True)
        panel.suptitle(f"{label.replace('_', ' ')}: {_summary(trace, period, firm, data)}", fontsize=10)
    bottom = curves.add_gridspec(1, 2, wspace=0.12)
    handles = []
    for index, (variable, words) in enumerate(
            [("innovation", "innovation: share of dimensions the code gets right"),
             ("lead", "lead: market share minus the best rival's")]):
        axis = curves.add_subplot(bottom[0, index])
        axis.set_label(variable)
        for style, (label, trace) in zip(FIRM_STYLES * count, named.items()):
            series = trace[variable].sel(firm=firm) if isinstance(firm, str) else trace[variable].isel(firm=firm)
            line, = axis.plot(trace["period"].values, series.values, linewidth=1.4,
                              label=f"{label.replace('_', ' ')} ({firm_name} firm)", **style)
            if index == 0:
                handles.append(line)
        if variable == "lead":
            axis.axhline(0, color="0.6", linewidth=0.8)
        current = axis.axvline(period, color="#D55E00", linewidth=1.5, label=f"period {period} (drawn above)")
        if index == 0:
            handles.append(current)
        units = trace[variable].attrs.get("units", "")
        axis.set_title(words, fontsize=10)
        axis.set_xlabel("period")
        axis.set_ylabel(f"{variable} ({units})")
        axis.set_xlim(float(trace["period"].values[0]) - 1, float(trace["period"].values[-1]) + 1)
        axis.grid(color="0.92")
    _legend(key, key.add_gridspec(1, 1)[0], handles=_cell_legend() + handles, ncol=5)
    first = next(iter(named.values()))
    figure.suptitle(f"Inside the {firm_name} firm at period {period}: "
                    + " vs ".join(label.replace("_", " ") for label in named)
                    + f" ({_run_words(first)})", fontsize=12)
    return figure


def plot_run_small_multiples(traces, periods: Sequence[int] = (1, 10, 50, 100, 200),
                             firm: int | str = "focal"):
    """The belief matrices of each trace's firm at several periods: a row per trace, a
    column per period (the panel of :func:`plot_run_frame`, without the pressures).

    Args:
        traces: {label: trace} (or a list of traces) of the same replication and seed.
        periods: recorded periods to draw.
        firm: which firm of each trace (name or index).

    Returns:
        A Figure with one belief panel per (trace, period), each titled with the period, how
        many explore and how much of the code is right.
    """
    named = _traces(traces)
    periods = [int(period) for period in periods]
    if not periods:
        raise ValueError("no periods given")
    figure = plt.figure(figsize=(2.75 * len(periods) + 1.0, 4.3 * len(named) + 0.9),
                        layout="constrained")
    outer = figure.add_gridspec(2, 1, height_ratios=[len(named), 0.14])
    grid = outer[0].subgridspec(len(named), len(periods), wspace=0.05, hspace=0.08)
    firm_name = firm if isinstance(firm, str) else str(next(iter(named.values()))["firm"].values[firm])
    for row, (label, trace) in enumerate(named.items()):
        for column, period in enumerate(periods):
            data = frame_data(trace, period, firm)
            now = _at(trace, period)
            now = now.sel(firm=firm) if isinstance(firm, str) else now.isel(firm=firm)
            explorers = int((data["role"] == 1).sum())
            title = (f"{label.replace('_', ' ')}, period {period}\n{explorers} explore, "
                     f"code {float(now['innovation']):.0%} right")
            _belief_panel(figure, grid[row, column], data, title, pressure=False, compact=True)
    m = int(next(iter(named.values())).sizes["dimension"])
    _legend(figure, outer[1], handles=_cell_legend(), ncol=6,
            title=f"rows: employees, explorers first, then teams (t0 = team 0); "
                  f"columns: the {m} dimensions of reality")
    first = next(iter(named.values()))
    figure.suptitle(f"Beliefs against reality inside the {firm_name} firm, period by period: "
                    + " vs ".join(label.replace("_", " ") for label in named)
                    + f" ({_run_words(first)})", fontsize=11)
    return figure
