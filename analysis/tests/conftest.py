"""Result files made by the real orgsim binary, once per test session."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("ORGSIM_BINARY", str(ROOT / "build" / "sim" / "orgsim"))
SCENARIOS = ROOT / "scenarios"


def orgsim(*args):
    """Runs the orgsim binary, failing the test with its stderr if it fails."""
    completed = subprocess.run([BINARY, *map(str, args), "--quiet"], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    return completed


@pytest.fixture(scope="session")
def results(tmp_path_factory):
    return tmp_path_factory.mktemp("results")


@pytest.fixture(scope="session")
def run_file(results):
    path = results / "run.h5"
    orgsim("run", SCENARIOS / "race.cfg", "--replications", 6, "--set", "run.periods=40",
           "--out", path)
    return path


def presets_compare(path, turbulence=0.05, replications=8, periods=40):
    """The main job's comparison, following orders vs empowered, small."""
    orgsim("compare", SCENARIOS / "following_orders.cfg", SCENARIOS / "empowered.cfg",
           "--replications", replications, "--set", f"run.periods={periods}",
           "--set", f"env.turbulence={turbulence}", "--out", path)
    return path


def presets_sweeps(directory, periods, replications=4, vary="env.turbulence=0,0.05"):
    """Two sweeps of one design, one per preset: paired point by point."""
    paths = {}
    for name in ("following_orders", "empowered"):
        paths[name] = directory / f"{name}.h5"
        orgsim("sweep", SCENARIOS / f"{name}.cfg", "--vary", vary, "--replications", replications,
               "--set", f"run.periods={periods}", "--out", paths[name])
    return paths


@pytest.fixture(scope="session")
def compare_file(results):
    return presets_compare(results / "compare.h5")


@pytest.fixture(scope="session")
def sweep_file(results):
    path = results / "sweep.h5"
    orgsim("sweep", SCENARIOS / "march1991.cfg", "--vary", "firm.socialization=0.1:0.9:0.4",
           "--vary", "firm.code_learning=0.1,0.9", "--replications", 10, "--out", path)
    return path


def march_sweep(path, *extra, socialization="0.1,0.5", code_learning="0.1,0.9", replications=3):
    """A small March sweep over list values (no ranges: no rounding in the design values)."""
    orgsim("sweep", SCENARIOS / "march1991.cfg", "--vary", f"firm.socialization={socialization}",
           "--vary", f"firm.code_learning={code_learning}", "--replications", replications,
           "--out", path, *extra)
    return path


@pytest.fixture(scope="session")
def grid_file(results):
    """2 x 2 points x 3 replications, the reference for the pairing checks."""
    return march_sweep(results / "grid.h5")
