import dataclasses

import numpy as np
import pytest
import scipy.stats
import xarray as xr

import orgsim.analysis as oa
from orgsim.analysis.stats import _wilson


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
    from conftest import presets_sweeps
    paths = presets_sweeps(tmp_path, periods=30)
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


# Pairing: run r must be the same random streams in both files, or the difference is noise.

def test_point_difference_refuses_sweeps_with_another_seed(grid_file, tmp_path):
    from conftest import march_sweep
    other = march_sweep(tmp_path / "seed.h5", "--seed", 7)
    with oa.load(grid_file) as a, oa.load(other) as b:
        with pytest.raises(ValueError, match=r"^the two sweeps differ in seed: run 0 has 1991 in A "
                                             r"and 7 in B; run both with the same --seed$"):
            oa.point_difference(a, b, "final_code_score")


def test_point_difference_refuses_other_design_values(grid_file, tmp_path):
    from conftest import march_sweep
    other = march_sweep(tmp_path / "values.h5", socialization="0.1,0.6")
    with oa.load(grid_file) as a, oa.load(other) as b:
        # Runs 0-5 are at socialisation 0.1 in both; run 6 is the first at 0.5 / 0.6.
        with pytest.raises(ValueError, match=r"^firm.socialization differs at run 6: 0.5 in A, "
                                             r"0.6 in B; run both with the same --vary"):
            oa.point_difference(a, b, "final_code_score")
    swapped = tmp_path / "swapped.h5"
    from conftest import SCENARIOS, orgsim
    orgsim("sweep", SCENARIOS / "march1991.cfg", "--vary", "firm.code_learning=0.1,0.9",
           "--vary", "firm.socialization=0.1,0.5", "--replications", 3, "--out", swapped)
    with oa.load(grid_file) as a, oa.load(swapped) as b:
        # The same keys and values, varied in the other order: run 3 is another point.
        with pytest.raises(ValueError, match=r"differs at run 3"):
            oa.point_difference(a, b, "final_code_score")


def test_point_difference_refuses_other_replications_and_keys(grid_file, tmp_path):
    from conftest import march_sweep
    # 3 points x 2 replications: as many runs as 2 x 3, but run 2 is replication 0, not 2.
    with oa.load(march_sweep(tmp_path / "a.h5", socialization="0.1", code_learning="0.1,0.9",
                             replications=3)) as a, \
            oa.load(march_sweep(tmp_path / "b.h5", socialization="0.1",
                                code_learning="0.1,0.5,0.9", replications=2)) as b:
        with pytest.raises(ValueError, match=r"^the two sweeps differ in replication: run 2 has 2 "
                                             r"in A and 0 in B; run both with the same --replications$"):
            oa.point_difference(a, b, "final_code_score")
    with oa.load(grid_file) as a, oa.load(march_sweep(tmp_path / "c.h5", replications=2)) as b:
        with pytest.raises(ValueError, match="different numbers of runs: 12 in A, 8 in B"):
            oa.point_difference(a, b, "final_code_score")
    from conftest import SCENARIOS, orgsim
    other = tmp_path / "keys.h5"
    orgsim("sweep", SCENARIOS / "march1991.cfg", "--vary", "firm.socialization=0.1,0.5",
           "--vary", "firm.employees=20,50", "--replications", 3, "--out", other)
    with oa.load(grid_file) as a, oa.load(other) as b:
        with pytest.raises(ValueError, match="vary different keys"):
            oa.point_difference(a, b, "final_code_score")


def test_point_difference_pairs_a_sweep_with_itself_and_tags_the_table(grid_file):
    with oa.load(grid_file) as a, oa.load(grid_file) as b:
        table = oa.point_difference(a, b, "final_code_score")
    assert table.attrs["kind"] == "difference"
    assert (table["mean"] == 0).all() and (table["n"] == 3).all()


def test_scenario_difference_checks_the_pairs(compare_file):
    with oa.load(compare_file) as result:
        seeds = result.design["seed"].values.copy()
        seeds[1, 2] += 1
        broken = dataclasses.replace(result, design=result.design.assign(
            seed=(result.design["seed"].dims, seeds)))
        with pytest.raises(ValueError, match=r"^the two scenarios differ in seed: run 2 has 1 in "
                                             r"scenario 'following_orders' and 2 in scenario 'empowered'"):
            oa.scenario_difference(broken, "final_lead", "following_orders", "empowered")
        with pytest.raises(ValueError, match=r"no scenario 'empowred'.*\['following_orders', 'empowered'\]"):
            oa.scenario_difference(result, "final_lead", "following_orders", "empowred")
        stats = oa.scenario_difference(result, "final_lead", "following_orders", "empowered")
        assert stats.attrs["kind"] == "difference"


def test_paired_difference_checks_replications_and_pairs_by_position():
    a = xr.DataArray([1.0, 2.0, 3.0], dims="run", coords={"run": [0, 1, 2], "replication": ("run", [0, 1, 2])})
    b = xr.DataArray([2.0, 4.0, 6.0], dims="run", coords={"run": [3, 4, 5], "replication": ("run", [0, 1, 2])})
    # Different run labels, the same replications: paired by position (xarray alone would
    # align the labels and find nothing in common).
    assert float(oa.paired_difference(a, b)["mean"]) == pytest.approx(2.0)
    c = b.assign_coords(replication=("run", [0, 2, 1]))
    with pytest.raises(ValueError, match=r"a and b differ in replication at run position 1: 1 in a, 2 in b"):
        oa.paired_difference(a, c)


# Windows of periods.

def test_whole_window_reproduces_the_files_share_of_periods_in_lead(compare_file):
    with oa.load(compare_file) as result:
        share = oa.window_share_in_lead(result, window="whole")
        assert share.dims == ("scenario", "run", "firm")
        np.testing.assert_array_equal(share.values, result.summaries["share_periods_lead"].values)
        innovation = oa.window_share_in_lead(result, window="whole", measure="innovation_lead")
        np.testing.assert_array_equal(innovation.values,
                                      result.summaries["share_periods_innovation_lead"].values)
        # Not a tautology: some runs lead some of the time and not all of it.
        assert 0 < float(share.isel(firm=0).mean()) < 1


def test_late_window_is_the_last_quarter_rounded_half_up(compare_file):
    with oa.load(compare_file) as result:
        lead = result.trajectories["lead"]
        assert list(lead["period"].values[[0, -1]]) == [1, 40]
        late = oa.window_mean(result, "lead")  # 0.25 x 40 = 10 periods: 31..40
        np.testing.assert_allclose(late.values, lead.sel(period=slice(31, 40)).mean("period").values)
        # 0.0625 x 40 = 2.5 rounds up to 3 periods (Python's round would give 2).
        short = oa.window_mean(result, "lead", late_share=0.0625)
        np.testing.assert_allclose(short.values, lead.sel(period=slice(38, 40)).mean("period").values)
        tiny = oa.window_share_in_lead(result, late_share=0.001)  # at least one period
        np.testing.assert_array_equal(tiny.values, (lead.sel(period=40) > 0).values.astype(float))
        fixed = oa.window_mean(result, "innovation", window=(5, 8))
        np.testing.assert_allclose(fixed.values, result.trajectories["innovation"]
                                   .sel(period=slice(5, 8)).mean("period").values)
        assert late.attrs["units"] == "share of customers"


def test_late_window_follows_each_runs_own_length(sweep_file):
    with oa.load(sweep_file) as result:
        lasted = result.summaries["periods_run"].isel(firm=0).values.astype(int)
        assert len(set(lasted)) > 1  # equilibrium runs stop at different periods
        late = oa.window_mean(result, "code_score").isel(firm=0).values
        whole = oa.window_mean(result, "code_score", window="whole").isel(firm=0).values
        trajectories = result.trajectories["code_score"].isel(firm=0).values
        for run in (0, 7, 31):
            t = lasted[run]
            length = max(1, int(np.floor(0.25 * t + 0.5)))
            assert late[run] == pytest.approx(trajectories[run, t - length:t].mean())
            assert whole[run] == pytest.approx(trajectories[run, :t].mean())


def test_windows_refuse_files_not_recorded_every_period_and_bad_windows(tmp_path, compare_file):
    from conftest import SCENARIOS, orgsim
    path = tmp_path / "every.h5"
    orgsim("run", SCENARIOS / "race.cfg", "--replications", 2, "--set", "run.periods=20",
           "--set", "output.every=2", "--out", path)
    with oa.load(path) as result:
        with pytest.raises(ValueError, match=r"records every 2 periods.*needs every period.*output.every = 1"):
            oa.window_mean(result, "lead")
        with pytest.raises(ValueError, match="needs every period"):
            oa.window_share_in_lead(result, window="whole")
    with oa.load(compare_file) as result:
        with pytest.raises(ValueError, match=r"late_share = 0 is not in \(0, 1\]"):
            oa.window_mean(result, "lead", late_share=0)
        with pytest.raises(ValueError, match=r"window = 'early'; give 'late', 'whole' or \(first, last\)"):
            oa.window_mean(result, "lead", window="early")
        with pytest.raises(ValueError, match=r"1 <= first <= last"):
            oa.window_mean(result, "lead", window=(10, 5))


# The design as dimensions.

def test_by_design_indexes_a_sweep_by_its_values(grid_file):
    with oa.load(grid_file) as result:
        grid = oa.by_design(result, "final_code_score")
        assert grid.dims == ("firm.socialization", "firm.code_learning", "replication")
        assert grid.shape == (2, 2, 3)
        assert list(grid["firm.code_learning"].values) == [0.1, 0.9]
        frame = oa.to_frame(result, variables=["final_code_score"])
        for _, row in frame.iterrows():
            value = grid.sel({"firm.socialization": row["firm.socialization"],
                              "firm.code_learning": row["firm.code_learning"],
                              "replication": row["replication"]})
            assert float(value) == row["final_code_score"]
        slow = grid.sel({"firm.socialization": 0.1})
        assert slow.dims == ("firm.code_learning", "replication")
        over_time = oa.by_design(result, "code_score")
        assert over_time.dims[-1] == "period" and over_time.shape[:3] == (2, 2, 3)


def test_by_design_on_a_comparison_and_a_saltelli_sweep(compare_file, tmp_path):
    with oa.load(compare_file) as result:
        grid = oa.by_design(result, "final_lead", firm="focal")
        assert grid.dims == ("scenario", "replication") and grid.shape == (2, 8)
        np.testing.assert_array_equal(grid.sel(scenario="empowered").values,
                                      result.summaries["final_lead"].sel(scenario="empowered")
                                      .isel(firm=0).values)
    from conftest import SCENARIOS, orgsim
    path = tmp_path / "lhs.h5"
    orgsim("sweep", SCENARIOS / "march1991.cfg", "--design", "lhs", "--samples", 5,
           "--vary", "firm.socialization=0.1:0.9", "--vary", "firm.code_learning=0.1:0.9",
           "--replications", 2, "--out", path)
    with oa.load(path) as result:
        with pytest.raises(ValueError, match="is not a grid.*use to_frame"):
            oa.by_design(result, "final_code_score")


def test_point_difference_of_a_window_summary(tmp_path):
    from conftest import presets_sweeps
    paths = presets_sweeps(tmp_path, periods=40)
    with oa.load(paths["following_orders"]) as a, oa.load(paths["empowered"]) as b:
        late = oa.point_difference(a, b, lambda result: oa.window_share_in_lead(result, window="late"))
        by_hand = (oa.window_share_in_lead(b) - oa.window_share_in_lead(a)).isel(firm=0)
        means = by_hand.groupby("env.turbulence").mean().values
        np.testing.assert_allclose(late["mean"], means)
        assert late.attrs["kind"] == "difference"
        with pytest.raises(ValueError, match=r"give a function returning a DataArray over \(run, firm\)"):
            oa.point_difference(a, b, lambda result: 1.0)
        with pytest.raises(ValueError, match="no summaries variable 'late_lead'"):
            oa.point_difference(a, b, "late_lead")
