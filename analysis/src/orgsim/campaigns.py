"""``orgsim.run``, ``compare`` and ``sweep`` in-process: the engine's campaigns, written to the
same result file as the command line's commands (the same content digest for the same
inputs), returning the analysis package's ``Result``. A progress bar shows in Jupyter and in a
terminal; Ctrl-C (or Jupyter's interrupt) stops between periods, keeps the finished runs in the
journal beside the file and raises KeyboardInterrupt; ``resume=True`` finishes them."""

from __future__ import annotations

import os
import pathlib
import sys

from . import analysis
from ._engine import engine, python_terms
from .scenario import Scenario, value_text


def _threads(threads):
    return (os.cpu_count() or 1) if threads is None else threads


def _vary_texts(vary) -> list[str]:
    """``vary`` as --vary texts: a dict {key: spec} (spec "LOW:HIGH:STEP", "LOW:HIGH" or a list
    of values) or a list of "KEY=SPEC" strings."""
    if vary is None:
        return []
    if isinstance(vary, str):
        return [vary]
    if isinstance(vary, dict):
        texts = []
        for key, spec in vary.items():
            if isinstance(spec, (list, tuple)):
                spec = ",".join(value_text(value) for value in spec)
            texts.append(f"{key}={spec if isinstance(spec, str) else value_text(spec)}")
        return texts
    return [str(text) for text in vary]


def _progress_bar(progress, command):
    """A callback (done, total) and a function that closes what it shows.

    True: tqdm's text bar on stderr, which redraws in place in a terminal and in Jupyter
    alike, and survives headless execution (nbconvert, nbclient, papermill). "widget": tqdm's
    Jupyter widget, for a live notebook only (Debian's nbclient 0.7 fails on the comm
    messages of Debian's ipywidgets 6 when a notebook runs headless).
    """
    if progress is False or progress is None:
        return None, lambda: None
    if callable(progress):
        return progress, lambda: None
    if progress == "widget":
        from tqdm.notebook import tqdm
    elif progress is True:
        from tqdm import tqdm
    else:
        raise engine.ConfigError(f"progress={progress!r} is not valid; give True (a text bar), "
                                 "'widget' (a Jupyter widget), False, or a function (done, total)")

    bar = None

    def show(done, total):
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, initial=done, unit="run", desc=f"orgsim.{command}",
                       dynamic_ncols=True, file=sys.stderr)
        if done != bar.n:
            bar.update(done - bar.n)

    return show, lambda: bar is not None and bar.close()


def _callable_name(function) -> str | None:
    if function is None:
        return None
    name = getattr(function, "__qualname__", None) or type(function).__qualname__
    return f"{getattr(function, '__module__', '?')}.{name}"


def _call_text(command, arguments):
    shown = ", ".join(f"{key}={value!r}" for key, value in arguments.items() if value is not None)
    return f"python: orgsim.{command}({shown})"


def _execute(command, scenarios, *, out, vary=None, design="grid", samples=None, replications=None,
             seed=None, every=None, summaries_only=False, threads=None, force=False, resume=False,
             compress=True, progress=True, leader_policy=None, call=None):
    scenarios = [Scenario.of(scenario) for scenario in scenarios]
    first = scenarios[0]
    for key, value in (("run.replications", replications), ("run.seed", seed),
                       ("output.every", every)):
        if value is not None:
            first.set(key, value)
    if out is None:
        names = [scenario.name for scenario in scenarios]
        stem = {"run": names[0], "sweep": f"{names[0]}_sweep"}.get(command, "_vs_".join(names))
        out = pathlib.Path("results") / f"{stem}.h5"
        out.parent.mkdir(exist_ok=True)
    out = os.fspath(out)
    show, close = _progress_bar(progress, command)
    try:
        with python_terms():
            engine.execute(command, [scenario._source for scenario in scenarios],
                           _vary_texts(vary), design, samples, out, _threads(threads), bool(force),
                           bool(resume), bool(summaries_only), bool(compress),
                           _call_text(command, call or {}), show, leader_policy,
                           _callable_name(leader_policy) or "")
    finally:
        close()
    return analysis.load(out)


def run(scenario, *, replications=None, seed=None, every=None, summaries_only=False, out=None,
        threads=None, force=False, resume=False, compress=True, progress=True,
        leader_policy=None):
    """Runs a scenario's replications (``orgsim run``) and returns the Result.

    Args:
        scenario: a Scenario, or the path of a scenario file.
        replications, seed, every: run.replications, run.seed and output.every.
        summaries_only: keep each run's summaries, not its trajectories.
        out: the result file (default results/NAME.h5, results/ made in the working directory).
        threads: worker threads (default: every core); results do not depend on it.
        force: overwrite an existing result; resume: finish an interrupted one.
        progress: True (a text bar on stderr: in a terminal and in Jupyter), "widget" (a
            Jupyter widget, live notebooks only), False, or a callable (done, total).
        leader_policy: for firms whose scenario says ``leader.policy = python``: a function
            called at every leader cycle's end with an ``orgsim.LeaderView`` (period, own
            innovation, output, explorers, headcount, explore_share, min_share, max_share, the
            rivals' innovation and market shares, its own market share), returning the new
            exploration share (clipped to [min_share, max_share]). It must depend on its
            argument only (the engine calls it from several threads, in any order): then the
            same function gives the same bytes. An exception it raises stops the campaign,
            keeps the finished runs in the journal and is raised here (resume=True finishes).

    Raises:
        orgsim.ConfigError: a bad value or option (the command line's message).
        orgsim.IoError: the file cannot be written, or exists (pass force=True or resume=True).
        KeyboardInterrupt: interrupted; the message says where the finished runs are kept.
    """
    call = dict(scenario=getattr(scenario, "name", scenario), replications=replications,
                seed=seed, every=every, summaries_only=summaries_only or None,
                leader_policy=_callable_name(leader_policy))
    return _execute("run", [scenario], out=out, replications=replications, seed=seed, every=every,
                    summaries_only=summaries_only, threads=threads, force=force, resume=resume,
                    compress=compress, progress=progress, leader_policy=leader_policy, call=call)


def compare(a, b, *, vary=None, design="grid", samples=None, replications=None, seed=None,
            every=None, summaries_only=False, out=None, threads=None, force=False, resume=False,
            compress=True, progress=True, leader_policy=None):
    """Runs two scenarios paired run by run (``orgsim compare A B``): B takes A's replications
    and seed, so replication r of each has the same random streams. Over a design with
    ``vary`` (as in ``sweep``). Returns the Result, with a ``scenario`` dimension. Arguments as
    ``run``'s; the default file is results/A_vs_B.h5."""
    call = dict(a=getattr(a, "name", a), b=getattr(b, "name", b), vary=_vary_texts(vary) or None,
                replications=replications, seed=seed, leader_policy=_callable_name(leader_policy))
    return _execute("compare", [a, b], out=out, vary=vary, design=design, samples=samples,
                    replications=replications, seed=seed, every=every,
                    summaries_only=summaries_only, threads=threads, force=force, resume=resume,
                    compress=compress, progress=progress, leader_policy=leader_policy, call=call)


def sweep(scenario, vary, *, design="grid", samples=None, replications=None, seed=None,
          every=None, summaries_only=False, out=None, threads=None, force=False, resume=False,
          compress=True, progress=True, leader_policy=None):
    """Runs a scenario over a design of points (``orgsim sweep``) and returns the Result.

    Args:
        vary: the factors, as a dict ``{"env.turbulence": "0:0.05:0.01", "firm.autonomy.mean":
            [0.2, 0.8]}`` or a list of ``"KEY=SPEC"`` (``--vary``): LOW:HIGH:STEP or a list for
            a grid, LOW:HIGH for lhs, sobol and saltelli.
        design: "grid", "lhs", "sobol" or "saltelli"; samples: N for the last three.
        The rest as ``run``'s; the default file is results/NAME_sweep.h5.
    """
    if not vary:
        raise engine.ConfigError("nothing to vary; pass vary={'KEY': 'SPEC'}, for example "
                                 "vary={'env.turbulence': '0:0.05:0.01'} (or use orgsim.run)")
    call = dict(scenario=getattr(scenario, "name", scenario), vary=_vary_texts(vary),
                design=design, samples=samples, replications=replications, seed=seed,
                leader_policy=_callable_name(leader_policy))
    return _execute("sweep", [scenario], out=out, vary=vary, design=design, samples=samples,
                    replications=replications, seed=seed, every=every,
                    summaries_only=summaries_only, threads=threads, force=force, resume=resume,
                    compress=compress, progress=progress, leader_policy=leader_policy, call=call)


def content_digest(path) -> str:
    """The result file's content digest, as ``orgsim info`` prints it (16 hex digits): equal
    digests mean equal results, whichever made the file."""
    return f"{engine.content_digest(os.fspath(path)):016x}"
