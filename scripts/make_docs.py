#!/usr/bin/env python3
"""Regenerates every figure in docs/ and every model-result table in the README and
docs/findings.md from fresh runs, printing each command and seed as it goes.

Each claim is run with two seeds: the README shows the first seed's numbers and says where
the second seed's conclusion (the sign of an interval that excludes 0, or "could be 0")
differs. Intervals are 95% Student-t intervals over paired replications. The pages'
regenerated parts sit between `<!-- make_docs: NAME -->` and `<!-- /make_docs -->`; the
script rewrites them in place, and analysis/tests/test_make_docs.py fails when a page shows
a figure or block this script does not make.

Usage (from the repository root, after bash scripts/build.sh and scripts/python-env.sh):
    .venv/bin/python scripts/make_docs.py                # full size, about 2 minutes here
    .venv/bin/python scripts/make_docs.py --quick --out /tmp/docs --pages /tmp/README.md /tmp/findings.md
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")  # a script writing PNGs; the package itself leaves the backend alone

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402

import orgsim.analysis as oa  # noqa: E402
from orgsim.analysis import robustness  # noqa: E402
from orgsim.analysis.verdict import MEASURES, difference_figure, paired_table, verdict_text  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = os.path.join(ROOT, "scenarios")
A, B = "following_orders", "empowered"

#: The figures this script writes into docs/, and the README blocks it rewrites.
FIGURES = ["main_job.png", "where_empowerment_pays.png", "march1991_figure1.png", "robustness.png",
           "watching_a_run.png", "peer_network_march.png", "leading_by_example.png"]
BLOCKS = ["main-job", "main-job-peer", "march-table", "march-turnover", "empowerment-table",
          "horizon-turnover", "robustness-table", "robustness-summary", "peer-march-early",
          "peer-march-late", "peer-empowerment"]


class Maker:
    def __init__(self, out: str, scratch: str, quick: bool):
        self.out, self.scratch, self.quick = out, scratch, quick
        self.blocks: dict[str, str] = {}

    def replications(self, full: int) -> int:
        return max(10, full // 10) if self.quick else full

    def orgsim(self, *args) -> str:
        command = [oa.runner.find_binary(), *map(str, args)]
        shown = " ".join(shlex.quote(os.path.relpath(part, ROOT) if os.path.isabs(part) and
                                     part.startswith(ROOT) else part) for part in command[1:])
        print(f"  $ orgsim {shown}", flush=True)
        return oa.orgsim(*args)

    def compare(self, name: str, seed: int, replications: int, *settings: str) -> oa.Result:
        path = os.path.join(self.scratch, f"{name}_seed{seed}.h5")
        sets = [part for setting in settings for part in ("--set", setting)]
        self.orgsim("compare", os.path.join(SCENARIOS, f"{A}.cfg"), os.path.join(SCENARIOS, f"{B}.cfg"),
                    "--replications", replications, "--seed", seed, *sets, "--out", path,
                    "--force", "--quiet")
        return oa.load(path)

    def sweep(self, scenario: str, seed: int, replications: int, *vary: str,
              sets: tuple[str, ...] = (), name: str | None = None) -> oa.Result:
        path = os.path.join(self.scratch, f"{name or os.path.basename(scenario)}_{seed}.h5")
        factors = [part for factor in vary for part in ("--vary", factor)]
        settings = [part for setting in sets for part in ("--set", setting)]
        self.orgsim("sweep", scenario, *settings, *factors, "--replications", replications, "--seed",
                    seed, "--out", path, "--force", "--quiet")
        return oa.load(path)

    def block(self, name: str, body: str) -> None:
        self.blocks[name] = body
        print(f"  README block {name}:\n" + "".join(f"    {line}\n" for line in body.splitlines()))

    def save(self, figure, name: str) -> None:
        path = os.path.join(self.out, name)
        figure.savefig(path, dpi=110)
        plt.close(figure)
        print(f"  wrote {os.path.relpath(path, ROOT) if path.startswith(ROOT) else path}")


def _verdict_of(table) -> dict:
    """The sign (+1, -1, 0 for 'could be 0') of each (measure, window) difference."""
    return {(row["measure"], row["window"]):
            (0 if not row["excludes_zero"] else int(np.sign(row["difference_mean"])))
            for _, row in table.iterrows()}


def _disagreements(first: dict, second: dict) -> list[str]:
    return [f"{measure} ({window})" for (measure, window), sign in first.items()
            if second[(measure, window)] != sign]


def main_job(maker: Maker, seeds: tuple[int, int], peer_learning: float | None = None) -> None:
    """scripts/run.sh's comparison: the verdict, its figure, under two seeds; with
    ``peer_learning`` the same with leading by example (firm.peer_learning for every firm)
    and no figure."""
    print("main job: following orders vs empowered, stable and turbulent worlds"
          + (f", firm.peer_learning = {peer_learning:g}" if peer_learning is not None else ""))
    replications = maker.replications(100)
    extra = () if peer_learning is None else (f"firm.peer_learning={peer_learning:g}",)
    tag = "main" if peer_learning is None else "main_peer"
    runs = {}
    for seed in seeds:
        runs[seed] = {world: maker.compare(f"{tag}_{world}", seed, replications,
                                           f"env.turbulence={turbulence}", *extra)
                      for world, turbulence in [("stable", 0), ("turbulent", 0.05)]}
    first = runs[seeds[0]]
    tables = {seed: {world: paired_table(result) for world, result in worlds.items()}
              for seed, worlds in runs.items()}
    if peer_learning is None:
        verdict_text(first, tables[seeds[0]])
    notes = []
    for world in first:
        differ = _disagreements(_verdict_of(tables[seeds[0]][world]), _verdict_of(tables[seeds[1]][world]))
        notes.append(f"{world} world: "
                     + ("every conclusion the same" if not differ else
                        "differs on " + ", ".join(differ)))
    if peer_learning is None:
        maker.save(difference_figure(first), "main_job.png")
    # The README's compact form of the verdict: one row per measure, a column per world and
    # window (scripts/run.sh prints it in words).
    worlds = list(first)
    windows = [("whole", "whole run"), ("late", "late window")]
    header = [f"{world}, {label}" for world in worlds for _, label in windows]
    lines = ["| empowered minus following orders"
             + ("" if peer_learning is None else f", p5 = {peer_learning:g}") + " | "
             + " | ".join(header) + " |",
             "| --- |" + " --- |" * len(header)]
    for measure in MEASURES:
        cells = []
        for world in worlds:
            table = tables[seeds[0]][world].set_index(["measure", "window"])
            for window, _ in windows:
                row = table.loc[(measure.name, window)]
                scale, digits = measure.scale, (1 if measure.scale == 100 else 3)
                cells.append(f"{row['difference_mean'] * scale:+.{digits}f} "
                             f"[{row['difference_low'] * scale:+.{digits}f}, "
                             f"{row['difference_high'] * scale:+.{digits}f}]"
                             + ("*" if row["excludes_zero"] else ""))
        lines.append(f"| {measure.name} ({measure.unit}) | " + " | ".join(cells) + " |")
    late = tables[seeds[0]][worlds[0]].attrs["late"]
    setting = ("" if peer_learning is None else
               f"`firm.peer_learning = {peer_learning:g}` for every firm (leading by example; "
               "`firm.peer.cross_rate = 1`), otherwise the same runs: ")
    maker.block("main-job" if peer_learning is None else "main-job-peer",
        "\n".join(lines) + f"\n\n{setting}Seed {seeds[0]}, {replications} paired replications of "
        f"{tables[seeds[0]][worlds[0]].attrs['periods']} periods; late window: periods "
        f"{late[0]}-{late[1]}; 95% t intervals, * where the interval excludes 0. With "
        f"`--seed {seeds[1]}`: " + "; ".join(notes) + ".")
    for worlds_of_seed in runs.values():
        for result in worlds_of_seed.values():
            result.close()


def march(maker: Maker, seeds: tuple[int, int]) -> None:
    """March (1991) Figure 1 against its targets."""
    print("March (1991) Figure 1")
    replications = maker.replications(1000)
    results = [maker.sweep(os.path.join(SCENARIOS, "march1991.cfg"), seed, replications,
                           "firm.socialization=0.1:0.9:0.2", "firm.code_learning=0.1,0.5,0.9")
               for seed in seeds]
    maker.save(oa.plot_march_figure1(results[0]), "march1991_figure1.png")
    tables = [oa.summarise(result, "final_code_score", by=["firm.socialization", "firm.code_learning"])
              for result in results]
    targets = oa.MARCH_1991_FIGURE_1
    p1s = list(targets.columns)
    lines = ["| p1 | " + " | ".join(f"{p1:g}" for p1 in p1s) + " |",
             "| --- |" + " --- |" * len(p1s)]
    worst = []
    for p2 in targets.index:
        for seed, table in zip(seeds, tables):
            cells = []
            for p1 in p1s:
                row = table[(table["firm.socialization"] == p1) & (table["firm.code_learning"] == p2)]
                if len(row) != 1:
                    raise SystemExit(f"make_docs: no single March cell for p1 = {p1}, p2 = {p2}")
                row = row.iloc[0]
                cells.append(f"{row['mean']:.3f} [{row['low']:.3f}, {row['high']:.3f}]")
                worst.append(abs(row["mean"] - targets.loc[p2, p1]))
            lines.append(f"| p2 = {p2:g}, orgsim seed {seed} | " + " | ".join(cells) + " |")
        lines.append(f"| p2 = {p2:g}, target | " + " | ".join(f"{targets.loc[p2, p1]:.3f}" for p1 in p1s) + " |")
    maker.block("march-table",
        "\n".join(lines) + f"\n\n{replications} replications per cell and seed (95% t intervals); "
        f"the largest distance from a target over both seeds is {max(worst):.3f}.")


def march_turnover(maker: Maker, seeds: tuple[int, int]) -> None:
    """March's organisation under turbulence, with and without turnover."""
    print("March (1991): turnover in a turbulent world")
    replications = maker.replications(200)
    lines = ["| firm.turnover | " + " | ".join(f"seed {seed}" for seed in seeds) + " |",
             "| --- |" + " --- |" * len(seeds)]
    for turnover in ("0.1", "0"):
        cells = []
        for seed in seeds:
            path = os.path.join(maker.scratch, f"march_turnover_{turnover}_{seed}.h5")
            maker.orgsim("run", os.path.join(SCENARIOS, "march_turnover.cfg"), "--replications",
                         replications, "--seed", seed, "--set", f"firm.turnover={turnover}",
                         "--out", path, "--force", "--quiet")
            with oa.load(path) as result:
                row = oa.summarise(result, "final_code_score").iloc[0]
            cells.append(f"{row['mean']:.3f} [{row['low']:.3f}, {row['high']:.3f}]")
        lines.append(f"| {turnover}{' (the scenario)' if turnover != '0' else ''} | " + " | ".join(cells) + " |")
    maker.block("march-turnover", "\n".join(lines) + f"\n\n{replications} replications each "
                "(95% t intervals), period 200.")


def _interval_cell(row) -> str:
    mark = "" if (row["low"] <= 0 <= row["high"]) else "*"
    return f"{row['mean']:+.3f} [{row['low']:+.3f}, {row['high']:+.3f}]{mark}"


def _sign(row) -> int:
    return 0 if row["low"] <= 0 <= row["high"] else int(np.sign(row["mean"]))


def where_empowerment_pays(maker: Maker, seeds: tuple[int, int]) -> None:
    """The paired lead difference over turbulence x coordination cost, whole run and late."""
    print("where empowerment pays: turbulence x coordination cost")
    replications = maker.replications(100)
    vary = ["env.turbulence=0,0.01,0.02,0.03,0.05", "firm.coordination_cost=0,0.2,0.4,0.6"]
    tables = {}
    for seed in seeds:
        a = maker.sweep(os.path.join(SCENARIOS, f"{A}.cfg"), seed, replications, *vary)
        b = maker.sweep(os.path.join(SCENARIOS, f"{B}.cfg"), seed, replications, *vary)
        tables[seed] = {
            "whole": oa.point_difference(a, b, lambda result: oa.window_mean(result, "lead", window="whole")),
            "late": oa.point_difference(a, b, lambda result: oa.window_mean(result, "lead", window="late")),
        }
        if seed == seeds[0]:
            figure, axes = plt.subplots(1, 2, figsize=(13, 4.8), layout="constrained")
            periods = int(a.summaries["periods_run"].max())
            first = periods - max(1, int(np.floor(0.25 * periods + 0.5))) + 1
            for ax, window, label in [(axes[0], "whole", f"whole run, periods 1-{periods}"),
                                      (axes[1], "late", f"late window, periods {first}-{periods}")]:
                oa.plot_heatmap(tables[seed][window], "env.turbulence", "firm.coordination_cost", ax=ax,
                                kind="difference", title=f"mean lead, {label}",
                                label="empowered minus following orders (share of customers)")
            figure.suptitle(f"Where empowerment pays: the focal firm's lead over its best rival, paired "
                            f"difference ({replications} replications per cell, seed {seed})")
            maker.save(figure, "where_empowerment_pays.png")
    lines = []
    for window, title in [("whole", "over the whole run"), ("late", "over the late window (last quarter)")]:
        first, second = tables[seeds[0]][window], tables[seeds[1]][window]
        differ = []
        for shown, other in [(first, second), (second, first)]:
            gammas = sorted(shown["firm.coordination_cost"].unique())
            seed = seeds[0] if shown is first else seeds[1]
            table = ["| turbulence \\ gamma | " + " | ".join(f"{g:g}" for g in gammas) + " |",
                     "| --- |" + " --- |" * len(gammas)]
            for turbulence in sorted(shown["env.turbulence"].unique()):
                cells = []
                for gamma in gammas:
                    pick = lambda t: t[(t["env.turbulence"] == turbulence) & (t["firm.coordination_cost"] == gamma)].iloc[0]  # noqa: E731
                    cell = _interval_cell(pick(shown))
                    if _sign(pick(shown)) != _sign(pick(other)):
                        if shown is first:
                            differ.append(f"({turbulence:g}, {gamma:g})")
                        cell += " †"
                    cells.append(cell)
                table.append(f"| {turbulence:g} | " + " | ".join(cells) + " |")
            if shown is first:
                lines += [f"Mean lead difference {title}, seed {seed}:", ""] + table
                lines += ["", f"Seed {seeds[1]} reaches the same conclusion (sign, or could be 0) in "
                          f"{len(first) - len(differ)} of {len(first)} cells"
                          + (f"; not in those marked † (turbulence, gamma) = {', '.join(differ)}." if differ else "."), ""]
            else:
                lines += [f"<details><summary>The same with seed {seed}</summary>", ""] + table
                lines += ["", "</details>", ""]
    maker.block("empowerment-table",
        "\n".join(lines).rstrip() + f"\n\n{replications} paired replications per cell; * the 95% "
        "interval excludes 0.")


def horizon_turnover(maker: Maker, seeds: tuple[int, int]) -> None:
    """The lead difference at turbulence 0.01, gamma 0.2 against the leaders' horizon and
    turnover."""
    print("horizon and turnover at turbulence 0.01, coordination cost 0.2")
    replications = maker.replications(200)
    settings = [("leader.horizon = 10", "leader.horizon=10"), ("leader.horizon = 50 (preset)", "leader.horizon=50"),
                ("leader.horizon = 200", "leader.horizon=200"), ("firm.turnover = 0.02", "firm.turnover=0.02"),
                ("firm.turnover = 0.05", "firm.turnover=0.05")]
    lines = ["| setting | " + " | ".join(f"{window}, seed {seed}" for window in ("whole run", "late window")
                                       for seed in seeds) + " |",
             "| --- |" + " --- |" * 4]
    for label, setting in settings:
        cells = {}
        for seed in seeds:
            result = maker.compare("setting", seed, replications, "env.turbulence=0.01",
                                   "firm.coordination_cost=0.2", setting)
            table = paired_table(result).set_index(["measure", "window"])
            for window in ("whole", "late"):
                row = table.loc[("lead over the best rival", window)]
                cells[(window, seed)] = _interval_cell({"mean": row["difference_mean"],
                                                        "low": row["difference_low"],
                                                        "high": row["difference_high"]})
            result.close()
        lines.append(f"| {label} | " + " | ".join(cells[(window, seed)] for window in ("whole", "late")
                                                  for seed in seeds) + " |")
    maker.block("horizon-turnover",
        "\n".join(lines) + f"\n\nMean lead difference, empowered minus following orders, "
        f"{replications} paired replications each; * the 95% interval excludes 0.")


def policies_of(cells) -> list[str]:
    return list(dict.fromkeys(cells["policy"]))


def robustness_study(maker: Maker, seeds: tuple[int, int]) -> None:
    """The empowerment effect under the model's own choices (orgsim.analysis.robustness)."""
    print("robustness: leader policies x tie rules x run lengths x turbulence")
    study = robustness.Study(replications=maker.replications(200), seeds=seeds)
    table = robustness.run_study(study)
    maker.save(robustness.plot_study(table), "robustness.png")
    cells = robustness.agreement(table)
    lines = [robustness.markdown_table(table), "",
             f"Mean paired difference in the focal firm's mean lead over its best rival (share of "
             f"customers), empowered minus following orders, seed {seeds[0]}, {study.replications} "
             f"paired replications per cell, with its 95% t interval; * the interval excludes 0; † seed {seeds[1]} "
             f"concludes otherwise (interval above 0, below 0, or containing 0). Whole run: "
             f"periods 1-T; late window: the last quarter. Seeds agree in "
             f"{int(cells['seeds_agree'].sum())} of {len(cells)} cells.", ""]
    for (turbulence, window), part in cells.groupby(["turbulence", "window"], sort=True):
        agreed = part[part["seeds_agree"]]
        counts = agreed["sign"].value_counts().to_dict()
        lines.append(f"- turbulence {turbulence:g}, {'whole run' if window == 'whole' else 'late window'}: "
                     f"of {len(part)} settings, both seeds agree in {len(agreed)}: "
                     f"{counts.get(1, 0)} favour empowerment, {counts.get(-1, 0)} following orders, "
                     f"{counts.get(0, 0)} could be 0")
    maker.block("robustness-table", "\n".join(lines))
    # The README's summary: per turbulence and window, how the settings where both seeds
    # agree divide.
    summary = ["| turbulence | whole run | late window |", "| --- | --- | --- |"]
    for turbulence in sorted(cells["turbulence"].unique()):
        row = []
        for window in ("whole", "late"):
            part = cells[(cells["turbulence"] == turbulence) & (cells["window"] == window)]
            counts = part[part["seeds_agree"]]["sign"].value_counts().to_dict()
            row.append(f"empowerment {counts.get(1, 0)}, following orders {counts.get(-1, 0)}, "
                       f"could be 0 {counts.get(0, 0)}, seeds differ {int((~part['seeds_agree']).sum())}")
        summary.append(f"| {turbulence:g} | " + " | ".join(row) + " |")
    maker.block("robustness-summary", "\n".join(summary) + f"\n\nSettings (of {len(policies_of(cells))} "
                f"leader policies x 2 tie rules x 2 run lengths) whose paired effect on the mean lead "
                f"has a 95% t interval above 0 (empowerment ahead), below 0, or containing 0, with "
                f"seeds {seeds[0]} and {seeds[1]} and {study.replications} paired replications each "
                "(docs/findings.md has every cell with its interval).")


#: Leading by example in March's setting (issue 17): employees' autonomy fixed at 0.5, the
#: peer-learning rate p5 x the cross-team ties per position lambda, a fixed horizon
#: (run.stop = equilibrium refuses p5 > 0); the code score settles within about 250 periods.
PEER_P5 = [0, 0.1, 0.2, 0.5]
PEER_LAMBDA = [0, 0.1, 1, 10]
PEER_MARCH_PERIODS = 500
PEER_EARLY = (1, 50)
PEER_SHOWN_P5 = 0.2  # the figure's trajectories


def _grid(values, keys: list[str]) -> dict:
    """Per-run values (over run, firm) as {design values: array over replications}, in
    replication order (runs of one replication share their streams at every point)."""
    values = values.isel(firm=0)
    frame = values.to_dataframe(name="value").reset_index()
    return {tuple(float(k) for k in point): part.sort_values("replication")["value"].to_numpy()
            for point, part in frame.groupby(keys)}


def _ci(data) -> tuple[float, float, float]:
    stats = oa.interval(xr.DataArray(np.asarray(data, float), dims="run"))
    return float(stats["mean"]), float(stats["low"]), float(stats["high"])


def _lambda_label(cross_rate: float) -> str:
    return {0: "0 (isolated teams)", 10: "10 (dense)"}.get(cross_rate, f"{cross_rate:g}")


def peer_march(maker: Maker, seeds: tuple[int, int]) -> None:
    """Leading by example in March's organisation: the code score early and late over the
    peer-learning rate and the cross-team ties."""
    print("leading by example in March's setting: p5 x lambda, autonomy 0.5")
    replications = maker.replications(100)
    keys = ["firm.peer_learning", "firm.peer.cross_rate"]
    sets = ("firm.autonomy.dist=fixed", "firm.autonomy.mean=0.5", "run.stop=periods",
            f"run.periods={PEER_MARCH_PERIODS}")
    vary = [f"firm.peer_learning={','.join(f'{v:g}' for v in PEER_P5)}",
            f"firm.peer.cross_rate={','.join(f'{v:g}' for v in PEER_LAMBDA)}"]
    results = {seed: maker.sweep(os.path.join(SCENARIOS, "march1991.cfg"), seed, replications, *vary,
                                 sets=sets, name="peer_march") for seed in seeds}
    first_late = PEER_MARCH_PERIODS - int(np.floor(0.25 * PEER_MARCH_PERIODS + 0.5)) + 1
    windows = {"early": (PEER_EARLY, f"periods {PEER_EARLY[0]}-{PEER_EARLY[1]}"),
               "late": ("late", f"periods {first_late}-{PEER_MARCH_PERIODS}, the last quarter")}
    grids = {(seed, name): _grid(oa.window_mean(result, "code_score", window=window), keys)
             for seed, result in results.items() for name, (window, _) in windows.items()}
    for name, (_, label) in windows.items():
        signs = {}
        tables = {}
        for seed in seeds:
            grid = grids[(seed, name)]
            table = ["| p5 \\ lambda | " + " | ".join(_lambda_label(v) for v in PEER_LAMBDA) + " |",
                     "| --- |" + " --- |" * len(PEER_LAMBDA)]
            for p5 in PEER_P5:
                cells = []
                for cross in PEER_LAMBDA:
                    mean, low, high = _ci(grid[(p5, cross)])
                    cell = f"{mean:.3f} [{low:.3f}, {high:.3f}]"
                    if p5 > 0 and cross != PEER_LAMBDA[0]:
                        row = dict(zip(("mean", "low", "high"),
                                       _ci(grid[(p5, cross)] - grid[(p5, PEER_LAMBDA[0])])))
                        signs[(seed, p5, cross)] = _sign(row)
                        cell += f"; {_interval_cell(row)}"
                    cells.append(cell)
                table.append(f"| {p5:g} | " + " | ".join(cells) + " |")
            tables[seed] = table
        differ = [(p5, cross) for (seed, p5, cross), sign in signs.items()
                  if seed == seeds[0] and signs[(seeds[1], p5, cross)] != sign]
        for seed in seeds:
            table = tables[seed]
            for p5, cross in differ:  # mark the cell in both seeds' tables
                row = 2 + PEER_P5.index(p5)
                parts = table[row].split(" | ")
                parts[1 + PEER_LAMBDA.index(cross)] += " †"
                table[row] = " | ".join(parts)
        lines = [f"Code score (`code_score`: right minus wrong dimensions of the code, per "
                 f"dimension), mean over {label}, seed {seeds[0]}; after the semicolon, the "
                 f"paired difference from isolated teams (lambda = 0) at the same p5:", ""]
        lines += tables[seeds[0]]
        lines += ["", f"<details><summary>The same with seed {seeds[1]}</summary>", ""]
        lines += tables[seeds[1]] + ["", "</details>", ""]
        lines.append(f"{replications} replications per cell and seed of {PEER_MARCH_PERIODS} "
                     f"periods, one firm of 50 with autonomy 0.5 (scenarios/march1991.cfg, "
                     f"`run.stop = periods`); 95% t intervals; * the difference's interval "
                     f"excludes 0; † seed {seeds[1]} concludes otherwise (above 0, below 0, or "
                     f"could be 0): " + (", ".join(f"(p5, lambda) = ({p5:g}, {cross:g})"
                                                   for p5, cross in differ) or "no cell") + ".")
        maker.block(f"peer-march-{name}", "\n".join(lines))
    # The figure: the trajectories at one p5, then early and late against lambda.
    seed = seeds[0]
    result = results[seed]
    figure, axes = plt.subplots(1, 3, figsize=(16, 4.8), layout="constrained")
    score = result.trajectories["code_score"].isel(firm=0)
    periods = score["period"].values
    design = {key: result.design[key].values for key in keys}
    colours = dict(zip(PEER_LAMBDA, ["tab:blue", "tab:green", "tab:orange", "tab:red"]))
    ax = axes[0]
    for p5, cross, colour, label in [(0, 0, "0.4", "p5 = 0 (no leading by example)")] + [
            (PEER_SHOWN_P5, cross, colours[cross], f"p5 = {PEER_SHOWN_P5:g}, lambda = {_lambda_label(cross)}")
            for cross in PEER_LAMBDA]:
        pick = (design[keys[0]] == p5) & (design[keys[1]] == cross)
        stats = oa.interval(score.isel(run=np.flatnonzero(pick)), "run")
        ax.plot(periods, stats["mean"], color=colour, label=label, linestyle="--" if p5 == 0 else "-")
        ax.fill_between(periods, stats["low"], stats["high"], color=colour, alpha=0.2, linewidth=0)
    ax.axvspan(*PEER_EARLY, color="0.9", zorder=0)
    ax.axvspan(first_late, PEER_MARCH_PERIODS, color="0.9", zorder=0)
    ax.text(np.sqrt(PEER_EARLY[0] * PEER_EARLY[1]), 0.02, "early\nwindow", ha="center", fontsize=8,
            transform=ax.get_xaxis_transform())
    ax.text(np.sqrt(first_late * PEER_MARCH_PERIODS), 0.02, "late\nwindow", ha="center", fontsize=8,
            transform=ax.get_xaxis_transform())
    ax.set_xscale("log")
    ax.set_xlim(1, PEER_MARCH_PERIODS)
    ax.set_xlabel("period (log scale)")
    ax.set_ylabel("code score (right minus wrong dimensions, per dimension)")
    ax.set_title(f"code score over time, p5 = {PEER_SHOWN_P5:g}, mean and 95% band")
    ax.legend(fontsize=8, loc="lower right", bbox_to_anchor=(1, 0.12))
    for ax, name in [(axes[1], "early"), (axes[2], "late")]:
        positions = np.arange(len(PEER_LAMBDA))
        for offset, p5, marker in zip(np.linspace(-0.15, 0.15, len(PEER_P5)), PEER_P5, "osD^"):
            stats = [_ci(grids[(seed, name)][(p5, cross)]) for cross in PEER_LAMBDA]
            means = np.array([s[0] for s in stats])
            errors = np.array([[s[0] - s[1] for s in stats], [s[2] - s[0] for s in stats]])
            ax.errorbar(positions + offset, means, yerr=errors, marker=marker, capsize=3,
                        label=f"p5 = {p5:g}" + (" (lambda has no effect)" if p5 == 0 else ""))
        ax.set_xticks(positions, [_lambda_label(v) for v in PEER_LAMBDA])
        ax.set_xlabel("lambda: cross-team ties per position (firm.peer.cross_rate)")
        ax.set_ylabel(f"mean code score, {windows[name][1].split(',')[0]}")
        ax.set_title(f"{name} window: {windows[name][1].split(',')[0]}, mean and 95% interval", fontsize=10)
        ax.legend(fontsize=8, loc="lower right" if name == "early" else "lower left",
                  bbox_to_anchor=(1, 0.1) if name == "early" else None)
    figure.suptitle(f"Leading by example in March's organisation (one firm of 50, autonomy 0.5, "
                    f"no turbulence): {replications} replications per setting, seed {seed}")
    maker.save(figure, "peer_network_march.png")
    for result in results.values():
        result.close()


PEER_TURBULENCE = [0, 0.01, 0.02, 0.05]
PEER_RATES = [0, 0.2]
PEER_MEASURES = ["periods in the lead", "lead over the best rival"]


def peer_empowerment(maker: Maker, seeds: tuple[int, int]) -> None:
    """The paired empowerment effect on the focal firm's lead with and without leading by
    example, over turbulence."""
    print("the empowerment effect with and without leading by example, over turbulence")
    replications = maker.replications(200)
    rows = {}  # (seed, p5, turbulence) -> paired_table
    diversities = {}  # (seed, p5, turbulence) -> the empowered focal firm's mean diversity
    for seed in seeds:
        for p5 in PEER_RATES:
            for turbulence in PEER_TURBULENCE:
                result = maker.compare(f"peer_{p5:g}_{turbulence:g}", seed, replications,
                                       f"env.turbulence={turbulence:g}", f"firm.peer_learning={p5:g}")
                rows[(seed, p5, turbulence)] = paired_table(result).set_index(["measure", "window"])
                diversity = oa.window_mean(result, "diversity", window="whole").isel(firm=0)
                diversities[(seed, p5, turbulence)] = _ci(diversity.sel(scenario=B).values)
                result.close()
    periods = rows[(seeds[0], 0, 0)].attrs["periods"]
    late = rows[(seeds[0], 0, 0)].attrs["late"]

    def cell(seed, p5, turbulence, measure, window):
        row = rows[(seed, p5, turbulence)].loc[(measure, window)]
        return {"mean": row["difference_mean"], "low": row["difference_low"], "high": row["difference_high"]}

    columns = [(p5, window) for window in ("whole", "late") for p5 in PEER_RATES]
    differ = []
    tables = {}
    for seed in seeds:
        other = seeds[1] if seed == seeds[0] else seeds[0]
        table = ["| measure | turbulence | " + " | ".join(
                     f"p5 = {p5:g}, {'whole run' if window == 'whole' else 'late window'}"
                     for p5, window in columns) + " |",
                 "| --- | --- |" + " --- |" * len(columns)]
        for measure in PEER_MEASURES:
            for turbulence in PEER_TURBULENCE:
                cells = []
                for p5, window in columns:
                    mine, theirs = cell(seed, p5, turbulence, measure, window), cell(other, p5, turbulence, measure, window)
                    text = _interval_cell(mine)
                    if _sign(mine) != _sign(theirs):
                        text += " †"
                        if seed == seeds[0]:
                            differ.append(f"{measure}, turbulence {turbulence:g}, p5 = {p5:g}, {window}")
                    cells.append(text)
                table.append(f"| {measure} | {turbulence:g} | " + " | ".join(cells) + " |")
        tables[seed] = table
    lines = [f"Empowered minus following orders, the focal firm, seed {seeds[0]} (share of periods in "
             f"the lead; lead over the best rival in share of customers):", ""] + tables[seeds[0]]
    lines += ["", f"<details><summary>The same with seed {seeds[1]}</summary>", ""] + tables[seeds[1]]
    lines += ["", "</details>", "",
              f"`firm.peer_learning` (p5) set for every firm (`firm.peer.cross_rate = 1`); the obedient "
              f"firms' employees have autonomy 0 and lead nobody. {replications} paired replications "
              f"of {periods} periods per cell and seed; whole run: periods 1-{periods}; late window: "
              f"periods {late[0]}-{late[1]}; 95% t intervals, * the interval excludes 0; † seed "
              f"{seeds[1]} concludes otherwise (above 0, below 0, or could be 0)"
              + (f" ({len(differ)} of {len(PEER_MEASURES) * len(PEER_TURBULENCE) * len(columns)} cells)."
                 if differ else "; in no cell.")]
    lines += ["", "The empowered focal firm's diversity (`diversity`, the mean over periods 1-"
              f"{periods} of each run), mean and 95% t interval:", "",
              "| turbulence | " + " | ".join(f"p5 = {p5:g}, seed {seed}" for seed in seeds for p5 in PEER_RATES) + " |",
              "| --- |" + " --- |" * (len(seeds) * len(PEER_RATES))]
    for turbulence in PEER_TURBULENCE:
        lines.append(f"| {turbulence:g} | " + " | ".join(
            "{:.3f} [{:.3f}, {:.3f}]".format(*diversities[(seed, p5, turbulence)])
            for seed in seeds for p5 in PEER_RATES) + " |")
    maker.block("peer-empowerment", "\n".join(lines))
    # The figure: the difference against turbulence, with and without leading by example.
    figure, axes = plt.subplots(2, 2, figsize=(12, 8), layout="constrained", sharex=True, sharey="row")
    seed, other = seeds
    for i, (measure, unit) in enumerate([("lead over the best rival", "mean lead difference\n(share of customers)"),
                                         ("periods in the lead", "difference in share of\nperiods in the lead")]):
        for j, window in enumerate(("whole", "late")):
            ax = axes[i, j]
            ax.axhline(0, color="0.3", linewidth=0.8)
            for offset, p5, colour, marker in [(-0.0012, 0, "tab:blue", "o"), (0.0012, 0.2, "tab:red", "s")]:
                values = [cell(seed, p5, t, measure, window) for t in PEER_TURBULENCE]
                agree = [_sign(v) == _sign(cell(other, p5, t, measure, window))
                         for v, t in zip(values, PEER_TURBULENCE)]
                x = np.array(PEER_TURBULENCE) + offset
                means = np.array([v["mean"] for v in values])
                errors = np.array([[v["mean"] - v["low"] for v in values], [v["high"] - v["mean"] for v in values]])
                ax.errorbar(x, means, yerr=errors, color=colour, capsize=3, linewidth=1.2,
                            fmt=f"-{marker}", markersize=7,
                            label=f"p5 = {p5:g}" + (" (no leading by example)" if p5 == 0 else " (leading by example)"))
                hollow = ~np.array(agree)
                ax.scatter(x[hollow], means[hollow], marker=marker, s=30, zorder=4, color="white")
            ax.set_title(f"{measure}, {'whole run, periods 1-' + str(periods) if window == 'whole' else f'late window, periods {late[0]}-{late[1]}'}",
                         fontsize=10)
            if j == 0:
                ax.set_ylabel(unit)
            if i == 1:
                ax.set_xlabel("turbulence (env.turbulence, chance per dimension per period)")
            ax.set_xticks(PEER_TURBULENCE, [f"{t:g}" for t in PEER_TURBULENCE])
    axes[0, 0].legend(fontsize=9, title=f"hollow marker: seed {other} concludes otherwise\n(above 0, below 0 or could be 0)",
                      title_fontsize=8)
    figure.suptitle(f"The empowerment effect (focal firm, empowered minus following orders) with and without "
                    f"leading by example:\nmean and 95% t interval over {replications} paired replications, "
                    f"seed {seed}; above 0, empowerment is ahead")
    maker.save(figure, "leading_by_example.png")


#: notebooks/06_watching_a_run.ipynb's run and periods.
WATCH_REPLICATION, WATCH_PERIODS, WATCH_CHECK = 0, [1, 10, 50, 100, 200], 100


def watching_a_run(maker: Maker, seeds: tuple[int, int]) -> None:
    """Notebook 06's small multiples: one turbulent run inside the focal firm, following
    orders and empowered; the notebook's one-run claim (producers' beliefs collapse onto the
    code when they follow orders) printed for both seeds."""
    print(f"watching a run: replication {WATCH_REPLICATION}, turbulence 0.05, inside the focal firm")
    for seed in seeds:
        traces = {}
        for name in (A, B):
            path = os.path.join(maker.scratch, f"watch_{name}_{seed}.h5")
            maker.orgsim("trace", os.path.join(SCENARIOS, f"{name}.cfg"), "--replication",
                         WATCH_REPLICATION, "--seed", seed, "--set", "env.turbulence=0.05",
                         "--out", path, "--force", "--quiet")
            traces[name] = xr.open_dataset(path, engine="h5netcdf")
        shares = []
        for name, trace in traces.items():
            data = oa.frame_data(trace, WATCH_CHECK)
            producers = data["beliefs"][data["role"] == 0]
            shares.append(f"{name} {np.mean(producers == data['code']):.0%} "
                          f"(code {float(trace['innovation'].sel(period=WATCH_CHECK, firm='focal')):.0%} right)")
        print(f"  seed {seed}, period {WATCH_CHECK}: producers' belief cells equal to the code: "
              + ", ".join(shares))
        if seed == seeds[0]:
            maker.save(oa.plot_run_small_multiples(traces, WATCH_PERIODS), "watching_a_run.png")
        for trace in traces.values():
            trace.close()


def rewrite_pages(paths: list[str], blocks: dict[str, str]) -> None:
    """Fills each block in whichever of the pages holds it (exactly one must)."""
    texts = {}
    for path in paths:
        with open(path, encoding="utf-8") as file:
            texts[path] = file.read()
    for name, body in blocks.items():
        pattern = re.compile(rf"(<!-- make_docs: {re.escape(name)} -->\n).*?(<!-- /make_docs -->)", re.S)
        holders = [path for path, text in texts.items() if pattern.search(text)]
        if len(holders) != 1:
            raise SystemExit(f"make_docs: block '<!-- make_docs: {name} -->' is in {len(holders)} of "
                             f"{', '.join(paths)}; it must be in exactly one")
        texts[holders[0]] = pattern.sub(lambda match: match.group(1) + body.rstrip() + "\n" + match.group(2),
                                        texts[holders[0]])
    for path, text in texts.items():
        with open(path + ".tmp", "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(path + ".tmp", path)
    print(f"  rewrote {len(blocks)} blocks of {', '.join(paths)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "docs"), help="directory for the figures")
    parser.add_argument("--pages", nargs="+", default=[os.path.join(ROOT, "README.md"),
                                                       os.path.join(ROOT, "docs", "findings.md")],
                        help="the pages whose marked blocks it rewrites")
    parser.add_argument("--quick", action="store_true", help="a tenth of the replications (for tests)")
    parser.add_argument("--seeds", default="1,2", help="the two seeds every claim is run with")
    parser.add_argument("--list", action="store_true", help="print the figures and blocks it makes")
    parser.add_argument("--only", help="comma-separated steps to run (default: all), e.g. "
                        "peer_march,peer_empowerment; the other blocks and figures are left as they are")
    args = parser.parse_args()
    if args.list:
        print("\n".join(FIGURES + BLOCKS))
        return 0
    seeds = tuple(int(seed) for seed in args.seeds.split(","))
    if len(seeds) != 2:
        raise SystemExit(f"make_docs: --seeds {args.seeds}: give two seeds, e.g. --seeds 1,2")
    os.makedirs(args.out, exist_ok=True)
    steps = {"main_job": lambda maker: main_job(maker, seeds),
             "main_job_peer": lambda maker: main_job(maker, seeds, peer_learning=0.2),
             "where_empowerment_pays": lambda maker: where_empowerment_pays(maker, seeds),
             "horizon_turnover": lambda maker: horizon_turnover(maker, seeds),
             "march": lambda maker: march(maker, seeds),
             "march_turnover": lambda maker: march_turnover(maker, seeds),
             "robustness": lambda maker: robustness_study(maker, seeds),
             "watching_a_run": lambda maker: watching_a_run(maker, seeds),
             "peer_march": lambda maker: peer_march(maker, seeds),
             "peer_empowerment": lambda maker: peer_empowerment(maker, seeds)}
    only = args.only.split(",") if args.only else list(steps)
    unknown = [name for name in only if name not in steps]
    if unknown:
        raise SystemExit(f"make_docs: --only {args.only}: no step {', '.join(unknown)}; "
                         f"the steps are {', '.join(steps)}")
    with tempfile.TemporaryDirectory() as scratch:
        maker = Maker(args.out, scratch, args.quick)
        for name in only:
            steps[name](maker)
        rewrite_pages(args.pages, maker.blocks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
