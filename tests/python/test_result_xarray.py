"""Result files as Python users read them: xarray with the h5netcdf engine gives named
dimensions and coordinates (HDF5 dimension scales), not phony ones."""

import os
import subprocess

import numpy as np
import pytest
import xarray as xr

BINARY = os.environ.get("ORGSIM_BINARY", "build/sim/orgsim")
SCENARIOS = os.environ.get("ORGSIM_SCENARIO_DIR", "scenarios")


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    path = tmp_path_factory.mktemp("run") / "march.h5"
    subprocess.run(
        [BINARY, "run", os.path.join(SCENARIOS, "march1991.cfg"), "--replications", "7",
         "--seed", "3", "--out", str(path), "--quiet"],
        check=True, capture_output=True)
    return path


def test_trajectories_have_named_dimensions_and_coordinates(result):
    with xr.open_dataset(result, engine="h5netcdf", group="trajectories") as ds:
        assert ds["innovation"].dims == ("run", "period", "firm")
        assert ds.sizes["run"] == 7
        assert list(ds["run"].values) == list(range(7))
        assert ds["period"].values[0] == 1
        assert np.all(np.diff(ds["period"].values) == 1)
        assert list(ds["firm_name"].values) == ["focal"]
        assert "firm_name" in ds.coords
        assert ds["innovation"].attrs["units"] == "share of dimensions"
        # Runs that reached equilibrium early are NaN afterwards, never zero-filled.
        innovation = ds["innovation"].isel(firm=0).values
        finite = np.isfinite(innovation)
        assert finite[:, 0].all()
        assert ((innovation[finite] >= 0) & (innovation[finite] <= 1)).all()


def test_summaries_agree_with_the_end_of_each_trajectory(result):
    with xr.open_dataset(result, engine="h5netcdf", group="trajectories") as traj, \
            xr.open_dataset(result, engine="h5netcdf", group="summaries") as summ:
        assert summ["final_code_score"].dims == ("run", "firm")
        for run in range(7):
            periods = int(summ["periods_run"].isel(run=run, firm=0))
            last = traj["code_score"].isel(run=run, firm=0).sel(period=periods)
            assert float(last) == float(summ["final_code_score"].isel(run=run, firm=0))


def test_design_and_provenance(result):
    with xr.open_dataset(result, engine="h5netcdf", group="design") as design:
        assert design["replication"].dims == ("run",)
        assert list(design["replication"].values) == list(range(7))
        assert set(design["seed"].values) == {3}
    with xr.open_dataset(result, engine="h5netcdf") as root:
        assert root.attrs["orgsim_format"] == "orgsim-result"
        assert root.attrs["master_seed"] == 3
        assert "firm.socialization = 0.1" in root.attrs["scenario"]
        assert "--replications 7" in root.attrs["command_line"]


def test_chunked_and_compressed(result):
    import h5py
    with h5py.File(result, "r") as f:
        dataset = f["trajectories/innovation"]
        assert dataset.chunks is not None
        assert dataset.compression == "gzip"


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    path = tmp_path_factory.mktemp("compare") / "compare.h5"
    subprocess.run(
        [BINARY, "compare", os.path.join(SCENARIOS, "following_orders.cfg"),
         os.path.join(SCENARIOS, "empowered.cfg"), "--replications", "4", "--set",
         "run.periods=20", "--out", str(path), "--quiet"],
        check=True, capture_output=True)
    return path


def test_comparison_has_a_scenario_dimension(comparison):
    with xr.open_dataset(comparison, engine="h5netcdf", group="trajectories") as ds:
        assert ds["lead"].dims == ("scenario", "run", "period", "firm")
        assert list(ds["scenario_name"].values) == ["following_orders", "empowered"]
        assert list(ds["firm_name"].values) == [
            "focal", "rivals-1", "rivals-2", "rivals-3", "rivals-4"]
        # Shares sum to one in every scenario, run and period.
        np.testing.assert_allclose(ds["market_share"].sum("firm").values, 1.0)
    with xr.open_dataset(comparison, engine="h5netcdf", group="design") as design:
        # Paired: run r is replication r with the same seed in both scenarios.
        replication = design["replication"].values
        assert (replication[0] == replication[1]).all()
    with xr.open_dataset(comparison, engine="h5netcdf") as root:
        assert "group.focal.firm.experiment_rate = 0.2" in root.attrs["scenario.empowered"]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    path = tmp_path_factory.mktemp("sweep") / "sweep.h5"
    subprocess.run(
        [BINARY, "sweep", os.path.join(SCENARIOS, "march1991.cfg"),
         "--vary", "firm.socialization=0.1:0.9:0.4", "--vary", "firm.code_learning=0.1,0.9",
         "--replications", "3", "--out", str(path), "--quiet"],
        check=True, capture_output=True)
    return path


def test_sweep_design_is_a_table_and_a_coordinate(sweep):
    with xr.open_dataset(sweep, engine="h5netcdf", group="design") as design:
        assert design.sizes["run"] == 18
        assert list(design["firm.socialization"].values[::6]) == [0.1, 0.5, 0.9]
        assert list(design["replication"].values[:3]) == [0, 1, 2]
        assert (design["failed"].values == 0).all()
        # Common random numbers: every point uses the same seed for replication r.
        assert len(set(design["seed"].values)) == 1
    with xr.open_dataset(sweep, engine="h5netcdf", group="summaries") as summaries:
        assert "firm.socialization" in summaries.coords
        means = summaries["final_code_score"].isel(firm=0).groupby("firm.socialization").mean()
        assert list(means["firm.socialization"].values) == [0.1, 0.5, 0.9]
    with xr.open_dataset(sweep, engine="h5netcdf") as root:
        assert "vary firm.socialization=0.1:0.9:0.4" in root.attrs["design"]
        assert "common_random_numbers" in root.attrs


def test_saltelli_sweep_records_its_blocks(tmp_path):
    path = tmp_path / "saltelli.h5"
    subprocess.run(
        [BINARY, "sweep", os.path.join(SCENARIOS, "march1991.cfg"), "--design", "saltelli",
         "--samples", "4", "--vary", "firm.socialization=0.1:0.9", "--vary",
         "firm.code_learning=0.1:0.9", "--replications", "1", "--out", str(path), "--quiet"],
        check=True, capture_output=True)
    with xr.open_dataset(path, engine="h5netcdf", group="design") as design:
        assert design.sizes["run"] == 4 * (2 + 2)
        assert sorted(set(design["saltelli_block"].values)) == [0, 1, 2, 3]


@pytest.fixture(scope="module")
def exact_sweep(tmp_path_factory):
    """A grid whose LOW + i * STEP in doubles is not what was typed (0.1 + 0.2), over an
    integer key, summaries only."""
    path = tmp_path_factory.mktemp("exact") / "exact.h5"
    subprocess.run(
        [BINARY, "sweep", os.path.join(SCENARIOS, "march1991.cfg"),
         "--vary", "firm.socialization=0.1:0.9:0.2", "--vary", "firm.employees=20,30",
         "--replications", "2", "--summaries-only", "--out", str(path), "--quiet"],
        check=True, capture_output=True)
    return path


def test_design_values_select_as_typed(exact_sweep):
    with xr.open_dataset(exact_sweep, engine="h5netcdf", group="summaries") as summ:
        assert summ["firm.socialization"].dtype.kind == "f"
        assert summ["firm.employees"].dtype == np.int64
        # Exactly the doubles of the typed decimals: 0.3, not 0.30000000000000004.
        assert sorted(set(summ["firm.socialization"].values)) == [0.1, 0.3, 0.5, 0.7, 0.9]
        indexed = summ.set_xindex("firm.socialization")
        at = indexed.sel({"firm.socialization": 0.3})
        assert at.sizes["run"] == 4  # 2 employees levels x 2 replications
        assert at.sizes["run"] == indexed.sel({"firm.socialization": 0.7}).sizes["run"]
        by_employees = summ.set_xindex("firm.employees").sel({"firm.employees": 20})
        assert by_employees.sizes["run"] == 10
        assert (by_employees["firm.employees"].values == 20).all()
        code = summ["final_code_score"].isel(firm=0)
        means = code.groupby("firm.socialization").mean()
        expected = code.where(summ["firm.socialization"] == 0.7, drop=True).mean()
        assert float(means.sel({"firm.socialization": 0.7})) == float(expected)
    with xr.open_dataset(exact_sweep, engine="h5netcdf", group="design") as design:
        assert design["firm.employees"].dtype == np.int64
        assert list(design["firm.employees"].values[:4]) == [20, 20, 30, 30]


def test_summaries_only_trajectories_open_with_no_periods(exact_sweep):
    with xr.open_dataset(exact_sweep, engine="h5netcdf", group="trajectories") as traj:
        assert traj.sizes["period"] == 0
        assert traj["innovation"].dims == ("run", "period", "firm")
        assert traj.sizes["run"] == 20
        assert "--summaries-only" in traj.attrs["comment"]
