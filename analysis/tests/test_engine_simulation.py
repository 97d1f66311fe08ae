"""orgsim.Simulation (one run stepped from Python) and orgsim.trace (its employees on disk)."""

import numpy as np
import pytest
import xarray as xr

import orgsim
from conftest import SCENARIOS, orgsim as orgsim_cli


def race(periods=40):
    return orgsim.Scenario.load(SCENARIOS / "race.cfg").set("run.periods", periods)


def test_stepping_gives_the_engines_trajectory(tmp_path):
    result = orgsim.run(race(), replications=3, out=tmp_path / "run.h5", progress=False)
    simulation = orgsim.Simulation(race(), replication=2)
    assert simulation.period == 0 and not simulation.finished
    recorded = result.trajectories.isel(run=2)
    while not simulation.finished:
        period = simulation.step()
        observed = simulation.observe()
        for quantity in observed.columns:
            np.testing.assert_array_equal(
                observed[quantity].to_numpy(),
                recorded[quantity].sel(period=period).to_numpy(), err_msg=f"{quantity} at {period}")
    assert simulation.period == 40
    assert simulation.step(5) == 40  # finished: nothing more runs


def test_employees_are_read_only_arrays_of_the_firm():
    simulation = orgsim.Simulation(race(), replication=0)
    simulation.step(12)
    focal = simulation.employees("focal")
    assert focal.firm == "focal" and simulation.employees(0).firm == "focal"
    n = focal.headcount
    assert focal.beliefs.shape == (n, 30) and focal.beliefs.dtype == np.int8
    assert set(np.unique(focal.beliefs)) <= {-1, 0, 1}
    assert focal.code.shape == (30,) and focal.code.dtype == np.int8
    for name in ("performance", "output", "autonomy", "role", "team", "pressure"):
        values = getattr(focal, name)
        assert values.shape == (n,), name
        assert not values.flags.writeable, name
        with pytest.raises(ValueError):
            values[0] = 1
    assert not focal.beliefs.flags.writeable
    explorers = focal.role == 1
    assert (focal.team[explorers] == -1).all() and (focal.team[~explorers] >= 0).all()
    assert np.isnan(focal.pressure[explorers]).all()
    assert ((focal.pressure[~explorers] >= 0) & (focal.pressure[~explorers] <= 1)).all()
    # race.cfg: the focal firm's autonomy is beta-distributed around 0.65, the rivals' 0.
    assert 0.5 < focal.autonomy.mean() < 0.8
    assert (simulation.employees("rivals-1").autonomy == 0).all()
    assert simulation.reality.shape == (30,) and set(np.unique(simulation.reality)) <= {-1, 1}
    # A snapshot stays what it was when the simulation moves on.
    before = focal.beliefs.copy()
    simulation.step(10)
    np.testing.assert_array_equal(focal.beliefs, before)
    frame = focal.to_frame()
    assert list(frame.index) == list(range(n))


def test_bad_simulation_arguments_raise_one_line_errors():
    simulation = orgsim.Simulation(race())
    with pytest.raises(orgsim.ConfigError, match="no firm 'nobody' in this simulation; its firms "
                                                 "are focal, rivals-1"):
        simulation.employees("nobody")
    with pytest.raises(orgsim.ConfigError, match=r"firm 9 is out of range \[0, 4\]"):
        simulation.employees(9)
    with pytest.raises(orgsim.ConfigError, match="periods must be 0 or more"):
        simulation.step(-1)
    with pytest.raises(orgsim.ConfigError, match="replication -1 is not valid"):
        orgsim.Simulation(race(), replication=-1)


def test_trace_is_the_command_lines_trace(tmp_path):
    orgsim_cli("trace", SCENARIOS / "race.cfg", "--replication", 1, "--every", 5,
               "--set", "run.periods=40", "--out", tmp_path / "cli.h5")
    trace = orgsim.trace(race(), replication=1, every=5, out=tmp_path / "py.h5")
    with xr.open_dataset(tmp_path / "cli.h5", engine="h5netcdf") as cli:
        xr.testing.assert_equal(trace, cli)
    assert trace.attrs["command_line"].startswith("python: orgsim.trace(")
    assert list(trace.period.values) == [5, 10, 15, 20, 25, 30, 35, 40]
    # Its innovation is replication 1's trajectory.
    result = orgsim.run(race(), replications=2, out=tmp_path / "run.h5", progress=False)
    np.testing.assert_array_equal(
        trace.innovation.to_numpy(),
        result.trajectories.innovation.isel(run=1).sel(period=trace.period).to_numpy())
    trace.close()


def test_the_trace_size_guard_says_what_to_set(tmp_path):
    out = tmp_path / "big.h5"
    with pytest.raises(orgsim.ConfigError, match=r"would be about .* MB .* over the limit of 500 kB;"
                                                 r" record fewer periods with every=K, or raise "
                                                 r"the limit with max_size=\d+"):
        orgsim.trace(race(200), replication=0, out=out, max_size=0.5)
    assert not out.exists() and not list(tmp_path.iterdir())
    with pytest.raises(orgsim.ConfigError, match=r"replication 5 is out of range \[0, 2\)"):
        orgsim.trace(race().set("run.replications", 2), replication=5, out=out)
    with pytest.raises(orgsim.ConfigError, match="max_size -1 is not valid"):
        orgsim.trace(race(), out=out, max_size=-1)
