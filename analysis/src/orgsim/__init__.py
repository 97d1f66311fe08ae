"""orgsim in Python: the engine in-process, and the analysis of its results.

Typical use::

    import orgsim
    scenario = orgsim.Scenario.load("scenarios/empowered.cfg").set("env.turbulence", 0.05)
    result = orgsim.run(scenario, replications=50)           # the Result of orgsim.analysis
    pair = orgsim.compare("scenarios/following_orders.cfg", scenario, replications=50)
    grid = orgsim.sweep(scenario, vary={"firm.autonomy.mean": "0:1:0.25"})
    sim = orgsim.Simulation(scenario, replication=0)           # one run, period by period
    sim.step(); sim.employees("focal").beliefs                 # (employees, dimensions) int8
    employees = orgsim.trace(scenario, replication=0)          # every period's, in xarray

One package: the engine (``run``, ``compare``, ``sweep``, ``Scenario``, ``Simulation``,
``trace``; the compiled module
``_orgsim`` that the project's CMake builds) and ``orgsim.analysis``, which reads, summarises
and plots result files whichever made them (docs/python.md).
"""

from ._engine import ConfigError, IoError, engine as _engine_module
from . import analysis
from .campaigns import compare, content_digest, run, sweep
from .scenario import Scenario, params
from .simulation import Employees, Simulation
from .traces import trace

__version__ = _engine_module.__version__
LeaderView = _engine_module.LeaderView
LeaderView.__module__ = "orgsim"

__all__ = ["ConfigError", "Employees", "IoError", "LeaderView", "Scenario", "Simulation", "analysis", "compare",
           "content_digest", "params", "run", "sweep", "trace"]
