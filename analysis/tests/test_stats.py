import dataclasses

import numpy as np
import pytest
import scipy.stats
import xarray as xr

import orgsim_analysis as oa
from orgsim_analysis.stats import _wilson


def test_interval_matches_a_hand_computation():
    values = xr.DataArray([1.0, 2.0, 3.0, 4.0, 5.0, np.nan], dims="run")
    stats = oa.interval(values)
    half = 2.7764451051977 * np.sqrt(2.5) / np.sqrt(5)
    assert float(stats["mean"]) == pytest.approx(3.0)
    assert float(stats["high"]) == pytest.approx(3.0 + half)
    assert int(stats["n"]) == 5


def test_paired_difference_uses_the_pairs():
    a = xr.DataArray([1.0, 5.0, 9.0], dims="run")
    b = a + xr.DataArray([0.5, 0.7, 0.6], dims="run")
    stats = oa.paired_difference(a, b)
    assert float(stats["mean"]) == pytest.approx(0.6)
    half = scipy.stats.t.ppf(0.975, 2) * 0.1 / np.sqrt(3)
    assert float(stats["high"] - stats["mean"]) == pytest.approx(half)


def test_identical_scenarios_differ_by_exactly_zero(tmp_path):
    from conftest import SCENARIOS, orgsim
    path = tmp_path / "same.h5"
    orgsim("compare", SCENARIOS / "empowered.cfg", SCENARIOS / "empowered.cfg", "--replications", 4,
           "--set", "run.periods=20", "--out", path)
    with oa.load(path) as result:
        stats = oa.scenario_difference(result, "final_lead", "empowered-A", "empowered-B")
        assert float(stats["mean"]) == 0.0
        assert float(stats["high"] - stats["low"]) == 0.0
        over_time = oa.scenario_difference(result, "innovation", "empowered-A", "empowered-B",
                                           group="trajectories")
        assert over_time["mean"].dims == ("period",)


def test_summaries_group_by_the_design(sweep_file):
    with oa.load(sweep_file) as result:
        table = oa.summarise(result, "final_code_score")
        assert len(table) == 6
        assert (table["n"] == 10).all()
        assert ((table["low"] <= table["mean"]) & (table["mean"] <= table["high"])).all()
        # Faster code learning with slow socialisation gives a better code (March 1991).
        row = table.set_index(["firm.socialization", "firm.code_learning"])["mean"]
        assert row[(0.1, 0.9)] > row[(0.9, 0.9)]


def test_point_difference_pairs_two_sweeps_of_one_design(tmp_path):
    from conftest import SCENARIOS, orgsim
    paths = {}
    for name in ("following_orders", "empowered"):
        paths[name] = tmp_path / f"{name}.h5"
        orgsim("sweep", SCENARIOS / f"{name}.cfg", "--vary", "env.turbulence=0,0.05",
               "--replications", 4, "--set", "run.periods=30", "--out", paths[name])
    with oa.load(paths["following_orders"]) as a, oa.load(paths["empowered"]) as b:
        table = oa.point_difference(a, b, "final_output_per_head")
        assert list(table["env.turbulence"]) == [0.0, 0.05]
        assert (table["n"] == 4).all()


def test_wilson_interval_matches_its_formula():
    low, high = _wilson(5, 10)
    assert low == pytest.approx(0.2366, abs=1e-4)
    assert high == pytest.approx(0.7634, abs=1e-4)


def test_primacy_is_a_probability_per_firm(compare_file):
    with oa.load(compare_file) as result:
        table = oa.primacy(result)
        assert set(table["scenario"]) == {"following_orders", "empowered"}
        assert len(table) == 2 * 5
        assert ((table["probability_first"] >= 0) & (table["probability_first"] <= 1)).all()
        # Someone is always first (ties count for each).
        assert (table.groupby("scenario")["probability_first"].sum() >= 1 - 1e-12).all()


def ishigami(x, a=7.0, b=0.1):
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_indices_recover_the_ishigami_function():
    # Known indices (a = 7, b = 0.1): S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
    n = 4096
    sample = scipy.stats.qmc.Sobol(d=6, scramble=True, seed=1).random(n) * 2 * np.pi - np.pi
    a, b = sample[:, :3], sample[:, 3:]
    f_ab = []
    for i in range(3):
        ab = a.copy()
        ab[:, i] = b[:, i]
        f_ab.append(ishigami(ab))
    table = oa.sobol_from_blocks(ishigami(a), ishigami(b), np.array(f_ab), bootstrap=200)
    expected_first = [0.3139, 0.4424, 0.0]
    expected_total = [0.5576, 0.4424, 0.2437]
    # With N = 4096 the estimators' standard errors are about 0.01-0.02.
    np.testing.assert_allclose(table["S1"], expected_first, atol=0.05)
    np.testing.assert_allclose(table["ST"], expected_total, atol=0.05)
    assert (table["ST_low"] <= table["ST"]).all() and (table["ST"] <= table["ST_high"]).all()


def test_sobol_indices_from_a_saltelli_sweep(tmp_path):
    from conftest import SCENARIOS, orgsim
    path = tmp_path / "saltelli.h5"
    # 64 base samples: with 16, run-to-run noise swamps the estimators (first-order indices
    # outside [-1, 2] were seen); 64 x 4 points x 3 replications take about a second.
    orgsim("sweep", SCENARIOS / "march1991.cfg", "--design", "saltelli", "--samples", 64,
           "--vary", "firm.socialization=0.1:0.9", "--vary", "firm.code_learning=0.1:0.9",
           "--replications", 3, "--out", path)
    with oa.load(path) as result:
        table = oa.sobol_indices(result, "final_code_score", bootstrap=100)
        assert list(table.index) == ["firm.socialization", "firm.code_learning"]
        # Socialisation drives March's equilibrium code score far more than code learning
        # (total indices about 0.9-1.0 against 0.25-0.5 over six seeds).
        assert table.loc["firm.socialization", "ST"] > table.loc["firm.code_learning", "ST"]
        plain = dataclasses.replace(result, design=result.design.drop_vars("saltelli_block"))
        with pytest.raises(ValueError, match="not a Saltelli sweep"):
            oa.sobol_indices(plain, "final_code_score")
