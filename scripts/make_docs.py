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
           "watching_a_run.png"]
BLOCKS = ["main-job", "march-table", "march-turnover", "empowerment-table", "horizon-turnover",
          "robustness-table", "robustness-summary"]


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

    def sweep(self, scenario: str, seed: int, replications: int, *vary: str) -> oa.Result:
        path = os.path.join(self.scratch, f"{os.path.basename(scenario)}_{seed}.h5")
        factors = [part for factor in vary for part in ("--vary", factor)]
        self.orgsim("sweep", scenario, *factors, "--replications", replications, "--seed", seed,
                    "--out", path, "--force", "--quiet")
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


def main_job(maker: Maker, seeds: tuple[int, int]) -> None:
    """scripts/run.sh's comparison: the verdict, its figure, under two seeds."""
    print("main job: following orders vs empowered, stable and turbulent worlds")
    replications = maker.replications(100)
    runs = {}
    for seed in seeds:
        runs[seed] = {world: maker.compare(f"main_{world}", seed, replications,
                                           f"env.turbulence={turbulence}")
                      for world, turbulence in [("stable", 0), ("turbulent", 0.05)]}
    first = runs[seeds[0]]
    tables = {seed: {world: paired_table(result) for world, result in worlds.items()}
              for seed, worlds in runs.items()}
    text = verdict_text(first, tables[seeds[0]])
    notes = []
    for world in first:
        differ = _disagreements(_verdict_of(tables[seeds[0]][world]), _verdict_of(tables[seeds[1]][world]))
        notes.append(f"{world} world: "
                     + ("every conclusion the same" if not differ else
                        "differs on " + ", ".join(differ)))
    maker.save(difference_figure(first), "main_job.png")
    # The README's compact form of the verdict: one row per measure, a column per world and
    # window (scripts/run.sh prints it in words).
    worlds = list(first)
    windows = [("whole", "whole run"), ("late", "late window")]
    header = [f"{world}, {label}" for world in worlds for _, label in windows]
    lines = ["| empowered minus following orders | " + " | ".join(header) + " |",
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
    maker.block("main-job",
        "\n".join(lines) + f"\n\nSeed {seeds[0]}, {replications} paired replications of "
        f"{tables[seeds[0]][worlds[0]].attrs['periods']} periods; late window: periods "
        f"{late[0]}-{late[1]}; 95% t intervals, * where the interval excludes 0. With "
        f"`--seed {seeds[1]}`: " + "; ".join(notes) + ".")


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
    args = parser.parse_args()
    if args.list:
        print("\n".join(FIGURES + BLOCKS))
        return 0
    seeds = tuple(int(seed) for seed in args.seeds.split(","))
    if len(seeds) != 2:
        raise SystemExit(f"make_docs: --seeds {args.seeds}: give two seeds, e.g. --seeds 1,2")
    os.makedirs(args.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        maker = Maker(args.out, scratch, args.quick)
        main_job(maker, seeds)
        where_empowerment_pays(maker, seeds)
        horizon_turnover(maker, seeds)
        march(maker, seeds)
        march_turnover(maker, seeds)
        robustness_study(maker, seeds)
        watching_a_run(maker, seeds)
        rewrite_pages(args.pages, maker.blocks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
