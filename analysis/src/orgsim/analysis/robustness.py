"""The robustness study: does the empowerment effect survive the model's own choices?

The paired effect of empowering the focal firm (empowered minus following orders, same
seeds) on its lead over its best rival, over the whole run and over the late window (the
last quarter of the periods run), at turbulence 0, 0.01, 0.02 and 0.05, under every leader
policy, both manager tie rules and two run lengths, each with two seeds. Every cell is one
``orgsim compare ... --vary env.turbulence=...`` of summaries only (the whole-run and
late-window means are summaries of the file), so the study is fast and its files small.

``python3 -m orgsim.analysis.robustness --out DIR`` runs it and writes the table and the
figure; ``scripts/make_docs.py`` runs it for the README.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shlex
import sys
import tempfile

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .io import load
from .runner import orgsim, repository_root
from .stats import by_design, interval

TURBULENCE = [0.0, 0.01, 0.02, 0.05]
TIE_RULES = ["hold", "keep"]
LENGTHS = [200, 600]
#: The leader policies compared, each as the --set assignments that make it.
POLICIES = {
    "fixed 0": ["leader.policy=fixed", "leader.explore_share=0"],
    "fixed 0.1": ["leader.policy=fixed", "leader.explore_share=0.1"],
    "value, memory 1": ["leader.policy=value", "leader.memory=1"],
    "value, memory 5": ["leader.policy=value", "leader.memory=5"],
    "value, floor 0.05": ["leader.policy=value", "leader.min_share=0.05"],
    "relative": ["leader.policy=relative"],
}
#: The two windows: the summaries holding each run's mean lead over them.
WINDOWS = {"whole": "mean_lead", "late": "late_mean_lead"}


@dataclasses.dataclass
class Study:
    """The study's size: replications per cell and the seeds every claim is run with."""

    replications: int = 200
    seeds: tuple[int, ...] = (1, 2)
    policies: tuple[str, ...] = tuple(POLICIES)
    tie_rules: tuple[str, ...] = tuple(TIE_RULES)
    lengths: tuple[int, ...] = tuple(LENGTHS)
    turbulence: tuple[float, ...] = tuple(TURBULENCE)


def cell_command(study: Study, policy: str, tie: str, length: int, seed: int, out: str) -> list[str]:
    """The orgsim arguments of one (policy, tie rule, length, seed): every turbulence."""
    scenarios = os.path.join(repository_root(), "scenarios")
    sets = [f"run.periods={length}", f"manager.on_tie={tie}", *POLICIES[policy]]
    return ["compare", os.path.join(scenarios, "following_orders.cfg"),
            os.path.join(scenarios, "empowered.cfg"),
            "--vary", "env.turbulence=" + ",".join(f"{t:g}" for t in study.turbulence),
            "--replications", str(study.replications), "--seed", str(seed),
            *[part for setting in sets for part in ("--set", setting)],
            "--summaries-only", "--out", out, "--force", "--quiet"]


def run_study(study: Study, echo=print) -> pd.DataFrame:
    """Runs every cell; one row per (policy, tie, length, seed, turbulence, window) with the
    paired difference's mean, 95% t interval and n."""
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "cell.h5")
        for seed in study.seeds:
            for length in study.lengths:
                for tie in study.tie_rules:
                    for policy in study.policies:
                        args = cell_command(study, policy, tie, length, seed, out)
                        echo("  $ orgsim " + " ".join(shlex.quote(arg) for arg in args))
                        orgsim(*args)
                        with load(out) as result:
                            for window, variable in WINDOWS.items():
                                values = by_design(result, variable)
                                difference = (values.sel(scenario="empowered", drop=True)
                                              - values.sel(scenario="following_orders", drop=True))
                                for turbulence in study.turbulence:
                                    stats = interval(difference.sel({"env.turbulence": turbulence}),
                                                     "replication")
                                    rows.append({"policy": policy, "tie": tie, "length": length,
                                                 "seed": seed, "turbulence": turbulence,
                                                 "window": window, "mean": float(stats["mean"]),
                                                 "low": float(stats["low"]),
                                                 "high": float(stats["high"]),
                                                 "n": int(stats["n"])})
    return pd.DataFrame(rows)


def _sign(low: float, high: float) -> int:
    return 0 if low <= 0 <= high else (1 if low > 0 else -1)


def agreement(table: pd.DataFrame) -> pd.DataFrame:
    """Per cell (all but the seed): the first seed's interval and whether every seed reaches
    the same conclusion (interval above 0, below 0, or containing 0)."""
    keys = ["policy", "tie", "length", "turbulence", "window"]
    rows = []
    for cell, part in table.groupby(keys, sort=False):
        part = part.sort_values("seed")
        signs = {_sign(low, high) for low, high in zip(part["low"], part["high"])}
        first = part.iloc[0]
        rows.append(dict(zip(keys, cell)) | {"mean": first["mean"], "low": first["low"],
                                             "high": first["high"], "sign": _sign(first["low"], first["high"]),
                                             "seeds_agree": len(signs) == 1,
                                             "seed_means": tuple(part["mean"])})
    return pd.DataFrame(rows)


def markdown_table(table: pd.DataFrame) -> str:
    """One row per (policy, tie rule, length), a column per (turbulence, window)."""
    cells = agreement(table)
    turbulence = sorted(cells["turbulence"].unique())
    windows = list(WINDOWS)
    header = [f"{t:g}, {w}" for w in windows for t in turbulence]
    lines = ["| leader policy | tie rule | periods | " + " | ".join(header) + " |",
             "| --- | --- | --- |" + " --- |" * len(header)]
    for (policy, tie, length), part in cells.groupby(["policy", "tie", "length"], sort=False):
        values = []
        for window in windows:
            for t in turbulence:
                row = part[(part["window"] == window) & (part["turbulence"] == t)].iloc[0]
                mark = "*" if row["sign"] != 0 else ""
                dagger = "" if row["seeds_agree"] else " †"
                values.append(f"{row['mean']:+.3f} [{row['low']:+.3f}, {row['high']:+.3f}]{mark}{dagger}")
        lines.append(f"| {policy} | {tie} | {length} | " + " | ".join(values) + " |")
    return "\n".join(lines)


def plot_study(table: pd.DataFrame, seed: int | None = None):
    """Small multiples: a row per leader policy, a column per (run length, window); in each,
    the paired effect on the mean lead against turbulence, one line per tie rule, with 95%
    intervals; hollow markers where another seed's conclusion differs."""
    cells = agreement(table) if seed is None else table[table["seed"] == seed]
    if seed is not None:
        cells = cells.assign(seeds_agree=True)
    policies = list(dict.fromkeys(cells["policy"]))
    columns = [(length, window) for length in sorted(cells["length"].unique()) for window in WINDOWS]
    figure, axes = plt.subplots(len(policies), len(columns), figsize=(3.1 * len(columns), 2.0 * len(policies)),
                                sharex=True, sharey="row", layout="constrained", squeeze=False)
    styles = {"hold": ("tab:blue", "o"), "keep": ("tab:orange", "s")}
    for i, policy in enumerate(policies):
        for j, (length, window) in enumerate(columns):
            ax = axes[i, j]
            ax.axhline(0, color="black", linewidth=0.8)
            for k, tie in enumerate(dict.fromkeys(cells["tie"])):
                part = cells[(cells["policy"] == policy) & (cells["length"] == length)
                             & (cells["window"] == window) & (cells["tie"] == tie)].sort_values("turbulence")
                if part.empty:
                    continue
                colour, marker = styles.get(tie, ("tab:gray", "^"))
                x = np.arange(len(part)) + (k - 0.5) * 0.12
                ax.errorbar(x, part["mean"], yerr=[part["mean"] - part["low"], part["high"] - part["mean"]],
                            color=colour, marker=marker, markersize=4, linewidth=1, capsize=2,
                            label=f"manager.on_tie = {tie}" if (i, j) == (0, 0) else None)
                disagree = part[~part["seeds_agree"].astype(bool)]
                if len(disagree):
                    ax.scatter(x[~part["seeds_agree"].astype(bool).to_numpy()], disagree["mean"], s=60,
                               facecolors="white", edgecolors=colour, zorder=3, linewidths=1.2)
            ax.set_xticks(range(len(sorted(cells["turbulence"].unique()))),
                          [f"{t:g}" for t in sorted(cells["turbulence"].unique())])
            ax.grid(alpha=0.3)
            if i == 0:
                ax.set_title(f"{length} periods, {'whole run' if window == 'whole' else 'late window'}",
                             fontsize=9)
            if j == 0:
                ax.set_ylabel(policy, fontsize=9)
            if i == len(policies) - 1:
                ax.set_xlabel("env.turbulence", fontsize=9)
    n = int(table["n"].min())
    seeds = sorted(table["seed"].unique())
    figure.suptitle("Empowered minus following orders: the focal firm's mean lead over its best rival "
                    f"(share of customers),\npaired, {n} replications per cell, 95% intervals; "
                    "each row on its own scale; "
                    + (f"seed {seed}" if seed is not None else
                       f"seed {seeds[0]}, hollow where seed{'s' if len(seeds) > 2 else ''} "
                       f"{', '.join(map(str, seeds[1:]))} conclude{'s' if len(seeds) == 2 else ''} otherwise"),
                    fontsize=10)
    axes[0, 0].legend(frameon=False, fontsize=7, loc="best")
    return figure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m orgsim.analysis.robustness",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="directory for robustness.md, .csv and .png")
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--seeds", default="1,2")
    args = parser.parse_args(argv)
    study = Study(replications=args.replications, seeds=tuple(int(s) for s in args.seeds.split(",")))
    table = run_study(study)
    os.makedirs(args.out, exist_ok=True)
    table.to_csv(os.path.join(args.out, "robustness.csv"), index=False)
    with open(os.path.join(args.out, "robustness.md"), "w", encoding="utf-8") as file:
        file.write(markdown_table(table) + "\n")
    figure = plot_study(table)
    figure.savefig(os.path.join(args.out, "robustness.png"), dpi=110)
    plt.close(figure)
    print(markdown_table(table))
    print(f"written: {args.out}/robustness.md, .csv, .png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
