#!/usr/bin/python3
"""Where does empowerment pay? Runs `orgsim compare` (following orders vs empowered, paired
replications) over a grid of turbulence x coordination cost and prints, per cell, the
focal firm's paired differences (empowered minus following orders) averaged over each run:
market-share lead, innovation and output per head, with 95% intervals, and the final
manager pressure in each firm. This is the sweep the README's "What the model finds"
reports; issue 4's `orgsim sweep` will make it a single command.

Usage: /usr/bin/python3 scripts/empowerment_sweep.py [--turbulence 0,0.01,...]
       [--gamma 0,0.2,...] [--replications 100] [--seed 11] [--set KEY=VALUE ...]
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import xarray as xr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "build", "sim", "orgsim")


def interval(values):
    values = np.asarray(values, dtype=float)
    half = 1.96 * values.std(ddof=1) / np.sqrt(len(values))
    return f"{values.mean():+.3f} +- {half:.3f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turbulence", default="0,0.01,0.02,0.03,0.05")
    parser.add_argument("--gamma", default="0,0.2,0.4,0.6")
    parser.add_argument("--replications", type=int, default=100)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--set", action="append", default=[], dest="overrides")
    args = parser.parse_args()
    if not os.path.exists(BINARY):
        sys.exit(f"empowerment_sweep: {BINARY} is missing; build first with bash scripts/build.sh")
    print("| turbulence | gamma | lead | innovation | output per head | pressure (obedient, empowered) |")
    print("| --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "compare.h5")
        for turbulence in args.turbulence.split(","):
            for gamma in args.gamma.split(","):
                command = [BINARY, "compare", os.path.join(ROOT, "scenarios", "following_orders.cfg"),
                           os.path.join(ROOT, "scenarios", "empowered.cfg"),
                           "--replications", str(args.replications), "--seed", str(args.seed),
                           "--set", f"env.turbulence={turbulence}",
                           "--set", f"firm.coordination_cost={gamma}", "--out", out, "--force",
                           "--quiet"]
                for override in args.overrides:
                    command += ["--set", override]
                subprocess.run(command, check=True, capture_output=True)
                with xr.open_dataset(out, engine="h5netcdf", group="trajectories") as ds:
                    focal = ds.isel(firm=0).mean("period")
                    difference = focal.isel(scenario=1) - focal.isel(scenario=0)
                    pressure = ds.mean_pressure.isel(firm=0, period=-1).mean("run").values
                    print(f"| {turbulence} | {gamma} | {interval(difference.lead)} | "
                          f"{interval(difference.innovation)} | "
                          f"{interval(difference.output_per_head)} | "
                          f"{pressure[0]:.2f}, {pressure[1]:.2f} |", flush=True)


if __name__ == "__main__":
    main()
