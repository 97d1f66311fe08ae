"""``orgsim.Simulation``: one run stepped from Python, with the employees of each firm as
read-only numpy arrays. It is the engine's run of the same scenario, seed and replication:
stepped to the end, its firms' quantities are the trajectory ``orgsim.run`` records for that
replication."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ._engine import engine
from .scenario import Scenario


@dataclasses.dataclass(frozen=True, eq=False)
class Employees:
    """One firm's employees at one period, in place order (a lay-off moves the last place's
    employee into the freed place, so a place is not a person over time). Read-only arrays.

    Attributes:
        firm, period: whose and when (after that period ran).
        beliefs: (employees, dimensions) int8 in {-1, 0, +1}.
        code: (dimensions,) int8, the organisational code.
        performance: P_i, the number of dimensions this period's action got right.
        output: y_i this period (0 for explorers).
        autonomy: a_i in [0, 1].
        role: 0 producer, 1 explorer.
        team: a producer's team (place // span of control); -1 for explorers.
        pressure: a producer's team manager's pressure in [0, 1]; NaN for explorers.
    """

    firm: str
    period: int
    beliefs: np.ndarray
    code: np.ndarray
    performance: np.ndarray
    output: np.ndarray
    autonomy: np.ndarray
    role: np.ndarray
    team: np.ndarray
    pressure: np.ndarray

    @property
    def headcount(self) -> int:
        return len(self.autonomy)

    @property
    def explorers(self) -> np.ndarray:
        """True for each employee in exploration."""
        return self.role == 1

    def to_frame(self) -> pd.DataFrame:
        """One row per employee: every per-employee value, and on how many dimensions its
        beliefs agree with the code."""
        return pd.DataFrame({
            "autonomy": self.autonomy, "role": np.where(self.role == 1, "explorer", "producer"),
            "team": self.team, "pressure": self.pressure, "performance": self.performance,
            "output": self.output,
            "agrees_with_code": (self.beliefs == self.code).sum(axis=1),
        }).rename_axis("place")


class Simulation:
    """One run of a scenario, stepped period by period.

    Example::

        sim = orgsim.Simulation("scenarios/race.cfg", replication=3)
        while not sim.finished:
            sim.step()
            focal = sim.employees("focal")
            print(sim.period, focal.autonomy.mean(), sim.observe().loc["focal", "innovation"])

    Args:
        scenario: a Scenario or the path of a scenario file.
        seed: the master seed (default the scenario's run.seed).
        replication: which replication's random streams (0 to run.replications - 1 are the
            runs ``orgsim.run`` makes; any non-negative number is valid).
        leader_policy: the function firms with ``leader.policy = python`` decide with.
    """

    def __init__(self, scenario, seed: int | None = None, replication: int = 0,
                 leader_policy=None):
        scenario = Scenario.of(scenario)
        if not isinstance(replication, (int, np.integer)) or isinstance(replication, bool) \
                or replication < 0:
            raise engine.ConfigError(f"replication {replication!r} is not valid; give a whole "
                                     "number 0 or more")
        if seed is not None and (not isinstance(seed, (int, np.integer)) or seed < 0):
            raise engine.ConfigError(f"seed {seed!r} is not valid; give a whole number 0 or more")
        self.scenario = scenario
        self._handle = engine.SimulationHandle(scenario._source, seed, int(replication),
                                               leader_policy)

    def step(self, periods: int = 1) -> int:
        """Runs ``periods`` periods (fewer if the run's stop rule ends it) and returns the
        period reached."""
        return self._handle.step(int(periods))

    def run(self) -> int:
        """Runs to the stop rule; returns the last period."""
        return self._handle.run_to_end()

    @property
    def period(self) -> int:
        """Periods run so far (0 before the first step)."""
        return self._handle.period

    @property
    def finished(self) -> bool:
        return self._handle.finished

    @property
    def firm_names(self) -> list[str]:
        return list(self._handle.firm_names)

    @property
    def seed(self) -> int:
        return self._handle.seed

    @property
    def replication(self) -> int:
        return self._handle.replication

    @property
    def reality(self) -> np.ndarray:
        """Reality now: (dimensions,) int8 in {-1, +1}."""
        return self._handle.reality()

    def employees(self, firm: str | int = 0) -> Employees:
        """The employees of ``firm`` (a name or an index) as they stand now."""
        return Employees(**self._handle.employees(firm))

    def observe(self) -> pd.DataFrame:
        """Every firm's recorded quantities now (a row per firm, a column per quantity, as
        the result files' trajectories have them)."""
        return pd.DataFrame(self._handle.observe(), index=pd.Index(self.firm_names, name="firm"))

    def __repr__(self) -> str:
        return (f"Simulation({self.scenario.name!r}, seed={self.seed}, "
                f"replication={self.replication}, period={self.period})")
