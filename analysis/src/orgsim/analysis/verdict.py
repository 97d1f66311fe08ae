"""The main job's answer: a verdict in words, a figure and a one-page HTML report.

``python3 -m orgsim.analysis.verdict results/stable.h5 results/turbulent.h5 --out results``
reads comparisons made by ``orgsim compare A.cfg B.cfg`` (``scripts/run.sh`` makes these
two), and for the focal firm (the first) says how B differs from A, paired run by run, on
the headline measures over the whole run and over its late window (the last quarter of
the periods run), each with its 95% t interval; it writes the paired difference over time
as a PNG and a self-contained ``report.html`` with the verdict, the tables and the figure.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import html
import os
import sys

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .io import OrgsimFileError, Result, load
from .plots import plot_difference
from .stats import interval, window_mean, window_share_in_lead

#: The late window's share of the periods run: the last quarter (docs/model.md, Observation).
LATE_SHARE = 0.25


@dataclasses.dataclass(frozen=True)
class Measure:
    """A headline measure: what it is called, how it is computed and how it is said."""

    name: str
    variable: str  # a trajectories variable; "in_lead" for the share of periods in the lead
    scale: float  # shown per this many units (100: "per 100 periods", percentage points)
    unit: str
    more: str  # the words for a positive difference, then for a negative one
    less: str
    sentence: str  # {size} {direction} {interval}


MEASURES = [
    Measure("periods in the lead", "in_lead", 100, "periods out of 100", "more", "fewer",
            "leads its best rival in {size} {direction} periods out of 100 {interval}"),
    Measure("lead over the best rival", "lead", 100, "points of market share", "higher", "lower",
            "its lead over its best rival (market share minus the rival's) is {size} points "
            "{direction} {interval}"),
    Measure("innovation", "innovation", 100, "dimensions out of 100", "more", "fewer",
            "its code gets {size} {direction} of every 100 dimensions of reality right {interval}"),
    Measure("output per head", "output_per_head", 1, "output units per employee", "more", "less",
            "each employee produces {size} {direction} output per period {interval}{relative}"),
]


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def scenario_setting(result: Result, key: str) -> str | None:
    """A key's value in the first scenario's resolved text, e.g. ``env.turbulence``."""
    name = result.scenarios[0] if result.scenarios else None
    text = _text(result.attrs.get(f"scenario.{name}", result.attrs.get("scenario", "")))
    for line in text.splitlines():
        left, _, right = line.partition("=")
        if left.strip() == key:
            return right.strip()
    return None


def _periods(result: Result) -> int:
    return int(np.nanmax(result.summaries["periods_run"].values))


def late_window(periods: int, late_share: float = LATE_SHARE) -> tuple[int, int]:
    """First and last period of the late window of a run of ``periods`` periods."""
    length = max(1, int(np.floor(late_share * periods + 0.5)))
    return periods - length + 1, periods


def _per_run(result: Result, measure: Measure, window):
    if measure.variable == "in_lead":
        return window_share_in_lead(result, window=window, late_share=LATE_SHARE)
    return window_mean(result, measure.variable, window=window, late_share=LATE_SHARE)


def paired_table(result: Result, a: str | None = None, b: str | None = None,
                 firm: int = 0) -> pd.DataFrame:
    """The focal firm's headline measures in A, in B and paired B - A, whole run and late.

    One row per (measure, window) with the mean, 95% t interval and ``n`` of each, and
    ``excludes_zero`` for the difference.
    """
    if result.kind != "compare":
        raise ValueError(f"{result.path!r} is not a comparison; the verdict needs orgsim compare's file")
    a = a or result.scenarios[0]
    b = b or result.scenarios[-1]
    periods = _periods(result)
    first, last = late_window(periods)
    rows = []
    for window, label in [("whole", f"whole run (periods 1-{periods})"),
                          ("late", f"late window (periods {first}-{last})")]:
        for measure in MEASURES:
            values = _per_run(result, measure, window).isel(firm=firm)
            values = values.where(values["failed"] == 0)
            va, vb = values.sel(scenario=a, drop=True), values.sel(scenario=b, drop=True)
            row = {"measure": measure.name, "window": window, "window_label": label}
            for name, data in [(a, va), (b, vb), ("difference", vb - va)]:
                stats = interval(data, "run")
                row |= {f"{name}_mean": float(stats["mean"]), f"{name}_low": float(stats["low"]),
                        f"{name}_high": float(stats["high"])}
            row["n"] = int(interval(vb - va, "run")["n"])
            row["excludes_zero"] = bool(row["difference_low"] > 0 or row["difference_high"] < 0)
            rows.append(row)
    table = pd.DataFrame(rows)
    table.attrs |= {"a": a, "b": b, "periods": periods, "late": (first, last)}
    return table


def _sign(row) -> int:
    if not row["excludes_zero"]:
        return 0
    return 1 if row["difference_mean"] > 0 else -1


def _phrase(measure: Measure, row, a: str, b: str) -> str:
    if measure.variable == "in_lead" and row[f"{a}_mean"] == 0 and row[f"{b}_mean"] == 0:
        return "neither firm leads its best rival in any period of this window (the shares tie)"
    mean = row["difference_mean"] * measure.scale
    low, high = row["difference_low"] * measure.scale, row["difference_high"] * measure.scale
    digits = 1 if measure.scale == 100 else 3
    mark = "*" if row["excludes_zero"] else " (could be 0)"
    relative = ""
    if measure.scale == 1 and row[f"{a}_mean"] != 0:
        share = abs(row["difference_mean"] / row[f"{a}_mean"])
        relative = f" ({share:.1%} {measure.more if mean >= 0 else measure.less} than with {_noun(a)})"
    return measure.sentence.format(
        size=f"{abs(mean):.{digits}f}", direction=measure.more if mean >= 0 else measure.less,
        interval=f"[{low:+.{digits}f}, {high:+.{digits}f}]{mark}", relative=relative)


#: How the verdict names the bundled scenarios; others go by their names.
NOUNS = {"following_orders": "following orders", "empowered": "empowerment"}


def _noun(scenario: str) -> str:
    return NOUNS.get(scenario, f"scenario {scenario!r}")


def _conclusion(b: str, a: str, whole: int, late: int) -> str:
    """What the share of periods in the lead says, over the two windows together."""
    ahead = {1: _noun(b), -1: _noun(a)}
    if whole == late == 0:
        return "Neither leads more often, over the whole run or at its end."
    if whole == late:
        return (f"{ahead[whole].capitalize()} keeps the focal firm ahead more often, over the "
                "whole run and still at its end.")
    if late == 0:
        return (f"{ahead[whole].capitalize()} leads more often over the whole run, but not in the "
                "late window: its advantage is a head start (the first periods), gone by the end.")
    if whole == 0:
        return (f"Over the whole run neither leads more often, but in the late window "
                f"{ahead[late]} does: its advantage builds up over time.")
    return (f"{ahead[whole].capitalize()} leads more often over the whole run, {ahead[late]} in "
            "the late window: the answer depends on the time window.")


def world_name(result: Result) -> str:
    turbulence = scenario_setting(result, "env.turbulence")
    if turbulence is None:
        return os.path.splitext(os.path.basename(result.path))[0]
    kind = "a stable world" if float(turbulence) == 0 else "a turbulent world"
    return f"{kind} (env.turbulence = {turbulence})"


def lead_definition(result: Result) -> str:
    rivals = len(result.firm_names) - 1
    return (f"\"Lead\" is, in each period, the focal firm's market share minus that of its best "
            f"rival: the largest share among the {rivals} other firms that period. The firm "
            "leads in a period when its lead is above 0. Customers choose by output per head "
            "and innovation (market.sensitivity weighs innovation).")


def verdict_text(results: dict[str, Result], tables: dict[str, pd.DataFrame]) -> str:
    """The verdict in words, one paragraph per comparison."""
    first = next(iter(results.values()))
    table = next(iter(tables.values()))
    a, b = table.attrs["a"], table.attrs["b"]
    n = int(table["n"].min())
    lines = [f"== Verdict: the focal firm '{first.firm_names[0]}', {_noun(b)} against {_noun(a)} ==",
             f"Paired: the same seeds in both, {n} replications; 95% t intervals in brackets, "
             "* where the interval excludes 0.",
             lead_definition(first), ""]
    for key, result in results.items():
        table = tables[key]
        lines.append(f"In {world_name(result)}, the focal firm with {_noun(b)}, against "
                     f"{_noun(a)}:")
        for window in ("whole", "late"):
            rows = table[table["window"] == window]
            lines.append(f"  over the {rows['window_label'].iloc[0]}:")
            for measure in MEASURES:
                row = rows[rows["measure"] == measure.name].iloc[0]
                lines.append(f"    - {_phrase(measure, row, a, b)}")
        in_lead = table[table["measure"] == MEASURES[0].name].set_index("window")
        lines.append("  " + _conclusion(b, a, _sign(in_lead.loc["whole"]),
                                        _sign(in_lead.loc["late"])))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def difference_figure(results: dict[str, Result]):
    """Paired difference B - A over time, one column per comparison: lead, then innovation."""
    variables = ["lead", "innovation"]
    figure, axes = plt.subplots(len(variables), len(results), figsize=(6.2 * len(results), 7.5),
                                layout="constrained", sharex=True, sharey="row", squeeze=False)
    for column, result in enumerate(results.values()):
        for row, variable in enumerate(variables):
            ax = axes[row, column]
            plot_difference(result, variable, ax=ax, late_share=LATE_SHARE)
            ax.set_title(f"{world_name(result)}: {variable.replace('_', ' ')}", fontsize=10)
            if column > 0:
                ax.set_ylabel("")
            if (row, column) != (0, 0) and ax.get_legend() is not None:
                ax.get_legend().remove()  # one legend explains every panel
            if row < len(variables) - 1:
                ax.set_xlabel("")
    first = next(iter(results.values()))
    a, b = first.scenarios[0], first.scenarios[-1]
    n = first.summaries.sizes["run"]
    figure.suptitle(f"The focal firm, {b} minus {a}: paired difference over time "
                    f"(mean of {n} paired replications and 95% interval)")
    return figure


def _format_cell(mean, low, high, signed: bool, digits=4) -> str:
    form = f"{'+' if signed else ''}.{digits}f"
    return f"{mean:{form}} [{low:{form}}, {high:{form}}]"


def _html_table(table: pd.DataFrame) -> str:
    a, b = table.attrs["a"], table.attrs["b"]
    head = ("<tr><th>window</th><th>measure</th>"
            f"<th>{html.escape(a)}</th><th>{html.escape(b)}</th><th>difference ({html.escape(b)} - "
            f"{html.escape(a)})</th></tr>")
    rows = []
    for _, row in table.iterrows():
        cells = [_format_cell(row[f"{name}_mean"], row[f"{name}_low"], row[f"{name}_high"],
                              signed=name == "difference")
                 for name in (a, b, "difference")]
        style = ' class="excludes"' if row["excludes_zero"] else ""
        rows.append(f"<tr><td>{html.escape(row['window_label'])}</td><td>{html.escape(row['measure'])}</td>"
                    f"<td>{cells[0]}</td><td>{cells[1]}</td><td{style}>{cells[2]}</td></tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def _png_data(path: str) -> str:
    with open(path, "rb") as file:
        return base64.b64encode(file.read()).decode("ascii")


def report_html(results: dict[str, Result], tables: dict[str, pd.DataFrame], text: str,
                figure_path: str) -> str:
    """A one-page, self-contained HTML report (the figure is embedded)."""
    first = next(iter(results.values()))
    sections = []
    for key, result in results.items():
        sections.append(f"<h3>{html.escape(world_name(result))}</h3>"
                        f"<p class=small>{html.escape(os.path.basename(result.path))}: "
                        f"<code>{html.escape(_text(result.attrs.get('command_line', '')))}</code></p>"
                        f"{_html_table(tables[key])}")
    style = ("body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}"
             "table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;"
             "padding:0.25em 0.6em;text-align:right}td:nth-child(-n+2),th{text-align:left}"
             ".excludes{font-weight:bold;background:#eef}pre{background:#f6f6f6;padding:1em;"
             "white-space:pre-wrap}.small{font-size:0.9em;color:#555}img{max-width:100%}")
    provenance = (f"orgsim {html.escape(_text(first.attrs.get('orgsim_version', '?')))} "
                  f"({html.escape(_text(first.attrs.get('git_revision', '?')))}), master seed "
                  f"{html.escape(_text(first.attrs.get('master_seed', '?')))}, made "
                  f"{html.escape(_text(first.attrs.get('created_utc', '?')))}")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>orgsim: following orders or empowered?</title>
<style>{style}</style></head><body>
<h1>Does an empowered firm stay ahead of rivals whose employees follow orders?</h1>
<p class=small>{provenance}. Rerun: <code>bash scripts/run.sh</code> (the main job; options
such as <code>--seed 2</code> or <code>--replications 1000</code> go to orgsim compare).</p>
<h2>Verdict</h2>
<pre>{html.escape(text)}</pre>
<h2>The difference over time</h2>
<p>Each panel: the focal firm's measure when empowered minus the same firm following orders,
paired run by run (same seeds), mean and 95% interval per period; the shaded span is the
late window.</p>
<img alt="paired difference over time" src="data:image/png;base64,{_png_data(figure_path)}">
<h2>Tables</h2>
<p>Means over replications with 95% t intervals; per-run means over the window's periods.
Bold: the difference's interval excludes 0.</p>
{''.join(sections)}
</body></html>
"""


def write_verdict(paths: list[str], out: str) -> tuple[str, list[str]]:
    """Writes the figure and report for the comparisons ``paths``; returns the verdict
    text and the files written."""
    results = {path: load(path) for path in paths}
    try:
        tables = {path: paired_table(result) for path, result in results.items()}
        pairs = {(t.attrs["a"], t.attrs["b"]) for t in tables.values()}
        if len(pairs) > 1:
            raise ValueError(f"the files compare different scenarios ({sorted(pairs)}); "
                             "give comparisons of the same two scenarios")
        text = verdict_text(results, tables)
        os.makedirs(out, exist_ok=True)
        figure_path = os.path.join(out, "difference_over_time.png")
        figure = difference_figure(results)
        figure.savefig(figure_path, dpi=110)
        plt.close(figure)
        report_path = os.path.join(out, "report.html")
        temporary = report_path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as file:
            file.write(report_html(results, tables, text, figure_path))
        os.replace(temporary, report_path)
    finally:
        for result in results.values():
            result.close()
    return text, [figure_path, report_path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m orgsim.analysis.verdict",
        description="The verdict, a figure and report.html for orgsim compare files.")
    parser.add_argument("files", nargs="+", help="files written by orgsim compare A.cfg B.cfg")
    parser.add_argument("--out", required=True, help="directory for the figure and report.html")
    args = parser.parse_args(argv)
    try:
        text, written = write_verdict(args.files, args.out)
    except (OrgsimFileError, ValueError) as error:
        print(f"orgsim.analysis.verdict: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"orgsim.analysis.verdict: cannot write to {args.out!r}: {error.strerror}; "
              "choose another --out", file=sys.stderr)
        return 1
    print(text)
    print(f"figure: {written[0]}")
    print(f"report: {written[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
