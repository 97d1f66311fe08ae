"""Employee traces (orgsim trace) as Python users read them: xarray with the h5netcdf
engine gives labelled dimensions, int8 beliefs in {-1, 0, +1} for every employee and the
documented padding beyond each firm's headcount."""

import os
import subprocess

import numpy as np
import pytest
import xarray as xr

BINARY = os.environ.get("ORGSIM_BINARY", "build/sim/orgsim")
SCENARIOS = os.environ.get("ORGSIM_SCENARIO_DIR", "scenarios")


@pytest.fixture(scope="module")
def trace(tmp_path_factory):
    path = tmp_path_factory.mktemp("trace") / "race.h5"
    done = subprocess.run(
        [BINARY, "trace", os.path.join(SCENARIOS, "race.cfg"), "--replication", "1",
         "--set", "run.periods=24", "--set", "market.resource_feedback=0.2", "--every", "2",
         "--out", str(path)],
        check=True, capture_output=True, text=True)
    assert f'xarray.open_dataset("{path}", engine="h5netcdf")' in done.stdout
    return path


def test_dimensions_and_labels(trace):
    with xr.open_dataset(trace, engine="h5netcdf") as ds:
        assert ds["beliefs"].dims == ("period", "firm", "employee", "dimension")
        assert ds["beliefs"].dtype == np.int8
        assert ds["code"].dims == ("period", "firm", "dimension")
        assert ds["reality"].dims == ("period", "dimension")
        for name in ("performance", "autonomy", "role", "team", "pressure", "employee_output"):
            assert ds[name].dims == ("period", "firm", "employee"), name
        for name in ("headcount", "innovation", "lead", "market_share"):
            assert ds[name].dims == ("period", "firm"), name
        assert list(ds["period"].values) == list(range(2, 25, 2))
        assert ds.sizes["dimension"] == 30
        firms = list(ds["firm"].values)
        assert firms[0] == "focal" and len(firms) == ds.sizes["firm"] > 1
        assert ds.sizes["employee"] == int(ds["headcount"].max())
        assert ds["innovation"].attrs["units"] == "share of dimensions"
        assert ds.attrs["orgsim_format"] == "orgsim-trace"
        assert ds.attrs["replication"] == 1 and ds.attrs["every"] == 2
        assert "env.dimensions = 30" in ds.attrs["scenario"]
        # Labels select: one firm's beliefs at one period.
        assert ds["beliefs"].sel(firm="focal", period=4).shape == (ds.sizes["employee"], 30)


def test_valid_rows_hold_beliefs_and_the_rest_is_padding(trace):
    with xr.open_dataset(trace, engine="h5netcdf") as ds:
        valid = ds["employee"] < ds["headcount"]  # (period, firm, employee)
        assert not bool(valid.all())  # headcounts differ: some slots are padding
        beliefs = ds["beliefs"].values
        mask = valid.transpose("period", "firm", "employee").values
        assert np.isin(beliefs[mask], [-1, 0, 1]).all()
        assert (beliefs[~mask] == -128).all()
        assert (ds["role"].values[~mask] == 255).all()
        assert (ds["team"].values[~mask] == np.iinfo(np.int32).min).all()
        assert np.isnan(ds["autonomy"].values[~mask]).all()
        role = ds["role"].values[mask]
        assert np.isin(role, [0, 1]).all()
        # Explorers have no team and no manager's pressure; producers have both.
        team = ds["team"].values[mask]
        pressure = ds["pressure"].values[mask]
        assert ((team == -1) == (role == 1)).all()
        assert (np.isnan(pressure) == (role == 1)).all()
        assert np.isin(ds["code"].values, [-1, 0, 1]).all()
        assert np.isin(ds["reality"].values, [-1, 1]).all()


def test_innovation_is_the_codes_share_of_reality(trace):
    with xr.open_dataset(trace, engine="h5netcdf") as ds:
        right = (ds["code"] == ds["reality"]).mean("dimension")
        np.testing.assert_array_equal(right.values, ds["innovation"].values)
