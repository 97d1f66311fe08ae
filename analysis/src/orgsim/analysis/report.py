"""``python3 -m orgsim.analysis report FILE.h5 --out DIR``: the standard plots as PNG and
a short Markdown summary of a result file."""

from __future__ import annotations

import argparse
import os
import sys

import matplotlib.pyplot as plt

from .io import OrgsimFileError, load
from .plots import plot_difference, plot_heatmap, plot_lead, plot_march_figure1, plot_trajectories
from .stats import primacy, sobol_indices, summarise


def _markdown_table(frame) -> str:
    columns = list(frame.columns)
    lines = ["| " + " | ".join(columns) + " |", "| " + " | ".join("---" for _ in columns) + " |"]
    for _, row in frame.iterrows():
        cells = [f"{value:.4g}" if isinstance(value, float) else str(value) for value in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_report(path: str, out: str) -> list[str]:
    """Writes the plots and ``summary.md`` for ``path`` into ``out``; returns the files."""
    os.makedirs(out, exist_ok=True)
    written = []

    def save(figure, name):
        target = os.path.join(out, name)
        figure.savefig(target, dpi=110)
        plt.close(figure)
        written.append(target)
        return name

    with load(path) as result:
        several_firms = len(result.firm_names) > 1
        figures = []
        skipped = []
        variables = ["innovation", "output_per_head", "mean_pressure"] + (
            ["market_share"] if several_firms else [])
        for variable in variables:
            try:
                figure = plot_trajectories(result, variable)
            except ValueError as error:
                # A design with several or continuous factors (lhs, sobol, saltelli): one
                # line per value would average over the others.
                skipped.append(f"trajectory figures: {error}")
                break
            figures.append(save(figure, f"trajectory_{variable}.png"))
        if several_firms and not skipped:
            figures.append(save(plot_lead(result), "lead.png"))
        if result.kind == "compare" and len(result.scenarios) >= 2:
            for variable in ["innovation"] + (["lead"] if several_firms else []):
                figures.append(save(plot_difference(result, variable), f"difference_{variable}.png"))
        numeric = [key for key in result.factors if result.design[key].dtype.kind in "fiu"]
        if len(numeric) > 2 and "saltelli_block" not in result.design:
            skipped.append(f"the heatmap: {len(numeric)} varied keys; a map of two would average "
                           f"over the others (use summarise and plot_heatmap on a selection)")
        if len(numeric) == 2 and "saltelli_block" not in result.design:
            table = summarise(result, "final_innovation", by=numeric[:2])
            figures.append(save(plot_heatmap(table, numeric[0], numeric[1], kind="level",
                                             title="final innovation of the focal firm",
                                             label="final innovation (share of dimensions)"),
                                "heatmap_final_innovation.png"))
        if set(result.factors) == {"firm.socialization", "firm.code_learning"} and not several_firms:
            figures.append(save(plot_march_figure1(result), "march1991_figure1.png"))

        lines = [f"# orgsim report: {os.path.basename(path)}", ""]
        lines += [f"- command: `{result.attrs.get('command_line', '')}`",
                  f"- orgsim {result.attrs.get('orgsim_version', '?')} "
                  f"({result.attrs.get('git_revision', '?')}), made {result.attrs.get('created_utc', '?')}",
                  f"- {result.attrs.get('runs', '?')} runs ({result.attrs.get('failed_runs', 0)} failed), "
                  f"master seed {result.attrs.get('master_seed', '?')}, kind: {result.kind}",
                  f"- firms: {', '.join(result.firm_names)}", ""]
        lines += ["## The focal firm's final state (mean and 95% interval over replications)", ""]
        for variable in ["final_innovation", "final_output_per_head"] + (
                ["final_market_share", "final_lead", "share_periods_lead"] if several_firms else []):
            table = summarise(result, variable)
            lines += [f"### {variable}", "", _markdown_table(table.head(50)), ""]
        if several_firms:
            lines += ["## Probability of ending first in market share", "",
                      _markdown_table(primacy(result).head(50)), ""]
        if "saltelli_block" in result.design:
            indices = sobol_indices(result, "final_innovation").reset_index()
            lines += ["## Sobol indices of the focal firm's final innovation", "",
                      _markdown_table(indices), ""]
        lines += ["## Figures", ""] + [f"![{name}]({name})" for name in figures]
        if skipped:
            lines += ["", "Not drawn:", ""] + [f"- {reason}" for reason in skipped]
    summary = os.path.join(out, "summary.md")
    with open(summary, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")
    written.append(summary)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m orgsim.analysis",
                                     description="Analysis of orgsim result files.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="standard plots (PNG) and summary.md")
    report.add_argument("file", help="an orgsim result file (.h5)")
    report.add_argument("--out", required=True, help="directory for the report")
    args = parser.parse_args(argv)
    try:
        written = write_report(args.file, args.out)
    except OrgsimFileError as error:
        print(f"orgsim.analysis report: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"orgsim.analysis report: cannot write to {args.out!r}: {error.strerror}; choose another --out",
              file=sys.stderr)
        return 1
    print(f"orgsim.analysis report: {len(written)} files in {args.out} (summary.md lists them)")
    return 0
