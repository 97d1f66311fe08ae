"""The same sweep from the command line and in-process from Python: wall time of each.

    .venv/bin/python scripts/python_vs_cli.py [--replications R] [--repeats N]

Prints the commands, each repeat's seconds, the medians and whether the two files have the
same content digest. Both use every core. The command line's time includes starting the
process; orgsim.sweep's includes opening the file it returns as a Result, so the command
line is also timed with that opening added (orgsim is imported once, before timing).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time

import orgsim
from orgsim.analysis.runner import find_binary, repository_root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    root = repository_root()
    scenario = root / "scenarios" / "race.cfg"
    vary = {"env.turbulence": "0:0.05:0.025", "firm.autonomy.mean": [0.2, 0.8]}
    vary_flags = [flag for key, spec in vary.items() for flag in
                  ("--vary", f"{key}={spec if isinstance(spec, str) else ','.join(map(str, spec))}")]
    threads = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as scratch:
        cli_out, py_out = os.path.join(scratch, "cli.h5"), os.path.join(scratch, "py.h5")
        command = [find_binary(), "sweep", str(scenario), *vary_flags, "--replications",
                   str(args.replications), "--threads", str(threads), "--out", cli_out, "--force",
                   "--quiet"]
        call = (f"orgsim.sweep({str(scenario)!r}, {vary!r}, replications={args.replications}, "
                f"threads={threads}, out=..., force=True, progress=False)")
        print("command line:", " ".join(command[1:]))
        print("in-process:  ", call)
        timings = {"command line": [], "command line + orgsim.analysis.load": [],
                   "in-process (returns the Result)": []}
        for _ in range(args.repeats):
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            timings["command line"].append(time.perf_counter() - start)
            orgsim.analysis.load(cli_out).close()
            timings["command line + orgsim.analysis.load"].append(time.perf_counter() - start)
            start = time.perf_counter()
            orgsim.sweep(scenario, vary, replications=args.replications, threads=threads,
                         out=py_out, force=True, progress=False)
            timings["in-process (returns the Result)"].append(time.perf_counter() - start)
        runs = 3 * 2 * args.replications
        for name, seconds in timings.items():
            print(f"{name:36s} {runs} runs: " + ", ".join(f"{s:.2f}" for s in seconds)
                  + f" s; median {statistics.median(seconds):.2f} s")
        same = orgsim.content_digest(cli_out) == orgsim.content_digest(py_out)
        print("same content digest:", same, orgsim.content_digest(py_out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
