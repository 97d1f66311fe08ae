"""leader.policy = python: a leader policy written in Python, passed to orgsim.run/Simulation."""

import subprocess

import numpy as np
import pytest

import orgsim
from conftest import BINARY, SCENARIOS


def race(policy="python", periods=60):
    return (orgsim.Scenario.load(SCENARIOS / "race.cfg")
            .set("group.focal.leader.policy", policy).set("run.periods", periods))


def keep_share(view):
    return view.explore_share


def chase_the_best(view):
    """Explore more when a rival's code is ahead, less when ours leads."""
    behind = max(view.rival_innovation) - view.innovation
    return view.explore_share + (0.1 if behind > 0 else -0.05)


def test_the_view_holds_what_a_leader_may_see(tmp_path):
    views = []
    orgsim.run(race(), replications=1, threads=1, progress=False, out=tmp_path / "x.h5",
               leader_policy=lambda view: views.append(view) or view.explore_share)
    assert [view.period for view in views] == [10, 20, 30, 40, 50, 60]
    view = views[-1]
    assert isinstance(view, orgsim.LeaderView)
    assert view.name == "focal" and view.firm == 0
    assert len(view.rival_innovation) == 4 and len(view.rival_market_share) == 4
    assert 0 <= view.innovation <= 1 and view.headcount > 0 and view.output > 0
    assert (view.min_share, view.max_share) == (0.0, 0.5)
    assert abs(view.market_share + sum(view.rival_market_share) - 1) < 1e-9


def test_a_policy_that_keeps_the_share_gives_the_fixed_policys_bytes(tmp_path):
    orgsim.run(race("fixed"), replications=4, progress=False, out=tmp_path / "fixed.h5")
    orgsim.run(race(), replications=4, progress=False, out=tmp_path / "python.h5",
               leader_policy=keep_share)
    assert orgsim.content_digest(tmp_path / "fixed.h5") == orgsim.content_digest(
        tmp_path / "python.h5")


def test_the_same_function_gives_the_same_bytes_on_any_number_of_threads(tmp_path):
    digests = set()
    for threads in (1, 2):
        path = tmp_path / f"t{threads}.h5"
        orgsim.run(race(), replications=6, threads=threads, progress=False, out=path,
                   leader_policy=chase_the_best)
        digests.add(orgsim.content_digest(path))
    assert len(digests) == 1
    # And it decides: the focal firm's share moves away from the fixed policy's.
    orgsim.run(race("fixed"), replications=6, progress=False, out=tmp_path / "fixed.h5")
    assert orgsim.content_digest(tmp_path / "fixed.h5") not in digests


def test_answers_are_clipped_to_the_allowed_range(tmp_path):
    # The share a leader holds (what the next view shows) is the answer clipped to
    # [min_share, max_share] = [0.1, 0.5], whatever the answer.
    views = []

    def extreme(view):
        views.append(view)
        return 7.0 if view.period % 20 else -3.0

    orgsim.run(race().set("leader.min_share", 0.1), replications=1, threads=1, progress=False,
               out=tmp_path / "x.h5", leader_policy=extreme)
    held = [view.explore_share for view in views[1:]]
    answered = [7.0 if view.period % 20 else -3.0 for view in views[:-1]]
    assert held == [0.5 if answer > 0 else 0.1 for answer in answered]


def test_an_exception_stops_the_run_keeps_the_journal_and_resume_finishes(tmp_path):
    path = tmp_path / "x.h5"
    state = {"fail_after": 60, "calls": 0}

    def deciding(view):
        state["calls"] += 1
        if state["fail_after"] and state["calls"] > state["fail_after"]:
            raise RuntimeError(f"my rule gave up at period {view.period}")
        return chase_the_best(view)

    with pytest.raises(RuntimeError, match=r"my rule gave up at period \d+") as raised:
        orgsim.run(race(), replications=30, threads=1, progress=False, out=path,
                   leader_policy=deciding)
    note = raised.value.__notes__[0]
    assert "stopped by the leader policy's exception; 10 of 30 runs are kept in" in note
    assert "resume=True" in note
    assert not path.exists() and (tmp_path / "x.h5.partial").exists()
    # Another function cannot finish the journal: its runs would mix two rules in one file.
    with pytest.raises(orgsim.IoError, match=r"\('leader rule = test_engine_leader_policy\..*"
                                             r"deciding' then, 'leader rule = "
                                             r"test_engine_leader_policy\.chase_the_best' now\)"):
        orgsim.run(race(), replications=30, progress=False, out=path, resume=True,
                   leader_policy=chase_the_best)
    state["fail_after"] = 0
    orgsim.run(race(), replications=30, progress=False, out=path, resume=True,
               leader_policy=deciding)
    orgsim.run(race(), replications=30, progress=False, out=tmp_path / "whole.h5",
               leader_policy=chase_the_best)
    assert orgsim.content_digest(path) == orgsim.content_digest(tmp_path / "whole.h5")


def test_bad_policies_raise_one_line_errors(tmp_path):
    with pytest.raises(orgsim.ConfigError, match=r"leader.policy = python needs a Python "
                                                 r"function: call orgsim.run\(scenario, "
                                                 r"leader_policy=f\)"):
        orgsim.run(race(), replications=1, progress=False, out=tmp_path / "a.h5")
    with pytest.raises(TypeError, match="leader_policy must be a function"):
        orgsim.run(race(), replications=1, progress=False, out=tmp_path / "b.h5",
                   leader_policy=0.3)
    with pytest.raises(TypeError, match=r"leader_policy returned 'more' for firm 'focal' at "
                                        r"period 10; return the exploration share, a number "
                                        r"between 0 and 0.5"):
        orgsim.run(race(), replications=1, progress=False, out=tmp_path / "c.h5",
                   leader_policy=lambda view: "more")
    with pytest.raises(ValueError, match="returned nan for firm 'focal' at period 10"):
        orgsim.run(race(), replications=1, progress=False, out=tmp_path / "d.h5",
                   leader_policy=lambda view: float("nan"))
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".h5"]


def test_the_command_line_refuses_the_policy_and_names_the_python_api(tmp_path):
    completed = subprocess.run(
        [BINARY, "run", SCENARIOS / "race.cfg", "--set", "group.focal.leader.policy=python",
         "--out", tmp_path / "x.h5"], capture_output=True, text=True)
    assert completed.returncode != 0
    assert "needs a Python function: call orgsim.run(scenario, leader_policy=f)" in completed.stderr
    assert not list(tmp_path.iterdir())


def test_a_simulation_steps_with_the_policy(tmp_path):
    simulation = orgsim.Simulation(race(), replication=1, leader_policy=lambda view: 0.3)
    simulation.run()
    share = simulation.observe().loc["focal", "explore_share"]
    assert abs(share - 0.3) < 0.05
    with pytest.raises(orgsim.ConfigError, match="needs a Python function"):
        orgsim.Simulation(race(), replication=1)
    result = orgsim.run(race(), replications=2, progress=False, out=tmp_path / "x.h5",
                        leader_policy=lambda view: 0.3)
    np.testing.assert_array_equal(
        result.trajectories.explore_share.isel(run=1).sel(period=60).to_numpy(),
        simulation.observe()["explore_share"].to_numpy())
