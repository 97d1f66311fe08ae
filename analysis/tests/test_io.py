import h5py
import numpy as np
import pytest

import orgsim.analysis as oa
from conftest import SCENARIOS, orgsim


def test_a_run_loads_with_named_dimensions(run_file):
    with oa.load(run_file) as result:
        assert result.kind == "run"
        assert result.firm_names == ["focal", "rivals-1", "rivals-2", "rivals-3", "rivals-4"]
        assert result.trajectories["innovation"].dims == ("run", "period", "firm")
        assert result.trajectories.sizes == {"run": 6, "period": 40, "firm": 5}
        assert list(result.trajectories["replication"].values) == list(range(6))
        # The summaries' final values are the trajectories' last period.
        np.testing.assert_array_equal(result.summaries["final_innovation"].values,
                                      result.trajectories["innovation"].isel(period=-1).values)
        assert "orgsim run" in result.attrs["command_line"]


def test_a_comparison_is_labelled_by_scenario(compare_file):
    with oa.load(compare_file) as result:
        assert result.kind == "compare"
        assert result.scenarios == ["following_orders", "empowered"]
        lead = result.summaries["final_lead"].sel(scenario="empowered")
        assert lead.dims == ("run", "firm")


def test_a_comparison_over_a_design_has_scenario_and_factors(results):
    path = results / "compare_design.h5"
    orgsim("compare", SCENARIOS / "following_orders.cfg", SCENARIOS / "empowered.cfg",
           "--vary", "env.turbulence=0,0.05", "--vary", "firm.coordination_cost=0,0.2,0.4",
           "--replications", 3, "--set", "run.periods=20", "--out", path)
    with oa.load(path) as result:
        assert result.kind == "compare"
        assert result.scenarios == ["following_orders", "empowered"]
        assert result.factors == ["env.turbulence", "firm.coordination_cost"]
        assert result.summaries["final_lead"].dims == ("scenario", "run", "firm")
        assert result.summaries["env.turbulence"].dims == ("scenario", "run")
        # Run r of both scenarios: the same point, replication, seed and design values.
        for column in ("point", "replication", "seed", "env.turbulence", "firm.coordination_cost"):
            np.testing.assert_array_equal(result.design[column].sel(scenario="following_orders"),
                                          result.design[column].sel(scenario="empowered"))
        table = oa.summarise(result, "final_innovation")
        assert list(table.columns[:3]) == ["scenario", "env.turbulence", "firm.coordination_cost"]
        assert len(table) == 2 * 6 and (table["n"] == 3).all()
        grid = oa.by_design(result, "final_innovation")
        assert grid.dims == ("scenario", "env.turbulence", "firm.coordination_cost", "replication")
        assert grid.shape == (2, 2, 3, 3)
        difference = oa.scenario_difference(result, "final_innovation", "following_orders",
                                            "empowered")
        assert int(difference["n"]) == 18


def test_a_sweep_carries_its_design_as_coordinates(sweep_file):
    with oa.load(sweep_file) as result:
        assert result.kind == "sweep"
        assert result.factors == ["firm.socialization", "firm.code_learning"]
        socialization = result.summaries["firm.socialization"].values
        assert list(np.unique(socialization)) == [0.1, 0.5, 0.9]
        assert (result.design["failed"].values == 0).all()


def test_tidy_frames_have_one_row_per_key(run_file, sweep_file):
    with oa.load(run_file) as result:
        frame = oa.to_frame(result, "trajectories", ["innovation", "lead"])
        assert len(frame) == 6 * 40 * 5
        assert {"run", "period", "firm", "firm_name", "innovation", "lead"} <= set(frame.columns)
        focal = oa.to_frame(result, firm="focal")
        assert len(focal) == 6
    with oa.load(sweep_file) as result:
        frame = oa.to_frame(result, variables=["final_code_score"])
        assert {"firm.socialization", "firm.code_learning", "replication"} <= set(frame.columns)
        assert len(frame) == 60


def test_foreign_and_broken_files_get_clear_errors(tmp_path, run_file):
    with pytest.raises(oa.OrgsimFileError, match="does not exist"):
        oa.load(tmp_path / "missing.h5")
    (tmp_path / "text.h5").write_text("not HDF5")
    with pytest.raises(oa.OrgsimFileError, match="not an HDF5 file"):
        oa.load(tmp_path / "text.h5")
    with h5py.File(tmp_path / "foreign.h5", "w") as file:
        file["x"] = [1, 2, 3]
    with pytest.raises(oa.OrgsimFileError, match="not an orgsim result"):
        oa.load(tmp_path / "foreign.h5")
    newer = tmp_path / "newer.h5"
    newer.write_bytes(run_file.read_bytes())
    with h5py.File(newer, "r+") as file:
        file.attrs["orgsim_format_version"] = np.int64(99)
    with pytest.raises(oa.OrgsimFileError, match="newer than this package"):
        oa.load(newer)
