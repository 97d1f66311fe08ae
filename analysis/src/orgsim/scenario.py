"""Scenarios in Python: a scenario file (or text) and the overrides set on it, parsed by the
engine's own parser, so that ``Scenario.load(path).set(key, value)`` is exactly ``orgsim run
PATH --set KEY=VALUE`` and a bad key or value raises the command line's one-line message."""

from __future__ import annotations

import numbers
import os

import pandas as pd

from ._engine import engine


def value_text(value) -> str:
    """A Python value as scenario text: 0.1 -> "0.1" (the shortest text that reads back as
    the same double), 50 -> "50", "beta" -> "beta", True -> "1"."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    if isinstance(value, str):
        return value
    raise TypeError(f"a scenario value must be a number or a string, got {type(value).__name__} "
                    f"{value!r}")


class Scenario:
    """One scenario: its file's settings (or text's), then every ``set`` in order.

    Example::

        empowered = orgsim.Scenario.load("scenarios/empowered.cfg")
        empowered.set("env.turbulence", 0.05).set("run.periods", 100)
        empowered["firm.autonomy.mean"]     # '0.8'
        empowered.params()                  # every key: value, default, range, unit, meaning

    ``set`` checks at once and raises ``orgsim.ConfigError`` (a ValueError) with the
    command line's message for an unknown key or a value out of range, leaving the scenario
    as it was.
    """

    def __init__(self, source):
        if not isinstance(source, engine.ScenarioSource):
            raise TypeError("make a Scenario with Scenario.load(path) or Scenario.from_text(text)")
        self._source = source

    @classmethod
    def load(cls, path) -> "Scenario":
        """The scenario file at ``path`` (an INI file of dotted keys, as ``orgsim run`` reads)."""
        return cls(engine.ScenarioSource.load(os.fspath(path)))

    @classmethod
    def from_text(cls, text: str, name: str = "scenario") -> "Scenario":
        """Scenario text in memory; ``name`` stands for its file in errors and results."""
        if not isinstance(text, str):
            raise TypeError(f"scenario text must be a str, got {type(text).__name__}")
        return cls(engine.ScenarioSource.from_text(text, name))

    @classmethod
    def of(cls, scenario) -> "Scenario":
        """``scenario`` itself (copied) when it is a Scenario, else the file at that path."""
        if isinstance(scenario, Scenario):
            return scenario.copy()
        if isinstance(scenario, (str, os.PathLike)):
            return cls.load(scenario)
        raise TypeError(f"expected a Scenario or the path of a scenario file, got "
                        f"{type(scenario).__name__} {scenario!r}")

    def set(self, key: str, value) -> "Scenario":
        """Sets ``key`` to ``value`` (as ``--set KEY=VALUE``) and returns the scenario."""
        if not isinstance(key, str):
            raise TypeError(f"a scenario key must be a str, got {type(key).__name__} {key!r}")
        self._source.set(key, value_text(value))
        return self

    def update(self, settings: dict) -> "Scenario":
        """``set`` for every item of ``settings``, in order."""
        for key, value in settings.items():
            self.set(key, value)
        return self

    def copy(self) -> "Scenario":
        return Scenario(self._source.copy())

    def __getitem__(self, key: str) -> str:
        """The resolved value of ``key`` as scenario text."""
        return self._source.get(key)

    def params(self) -> pd.DataFrame:
        """Every key of the model: this scenario's value, the default, the valid range, the
        unit and the meaning (``orgsim params``), indexed by key."""
        table = params()
        # The resolved text has one "key = value" line per key (what [key] reads).
        values = dict(line.split(" = ", 1) for line in self.text.splitlines() if " = " in line)
        table.insert(0, "value", [values.get(key) for key in table.index])
        return table

    @property
    def name(self) -> str:
        """How results name it: the file's stem, or the name given to from_text."""
        return self._source.name

    @property
    def path(self) -> str:
        return self._source.path

    @property
    def overrides(self) -> list[str]:
        """The ``KEY=VALUE`` overrides set so far, in order."""
        return list(self._source.overrides)

    @property
    def replications(self) -> int:
        return self._source.replications

    @property
    def seed(self) -> int:
        return self._source.seed

    @property
    def firm_names(self) -> list[str]:
        return list(self._source.firm_names)

    @property
    def text(self) -> str:
        """The fully resolved scenario, every key, as a scenario file."""
        return self._source.resolved_text()

    def __repr__(self) -> str:
        sets = "".join(f".set({o.split('=', 1)[0]!r}, {o.split('=', 1)[1]!r})"
                       for o in self._source.overrides)
        return f"Scenario.load({self.path!r}){sets}"


def params() -> pd.DataFrame:
    """Every scenario key with its default, valid range, unit and meaning (``orgsim params``)."""
    return pd.DataFrame(engine.params()).set_index("key")
