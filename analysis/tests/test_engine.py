"""The engine in-process: orgsim.Scenario, run, compare and sweep against the command line."""

import os
import signal
import subprocess
import threading
import time

import pytest

import orgsim
from conftest import BINARY, SCENARIOS, orgsim as orgsim_cli


def cli_error(*args):
    """The command line's error message for ``orgsim ARGS`` (after "orgsim COMMAND: ")."""
    completed = subprocess.run([BINARY, *map(str, args)], capture_output=True, text=True)
    assert completed.returncode != 0
    line = completed.stderr.strip().splitlines()[-1]
    return line.split(": ", 1)[1]


def cli_digest(path):
    info = subprocess.run([BINARY, "info", path], capture_output=True, text=True, check=True).stdout
    return info.split("content digest:")[1].split()[0]


def test_scenario_load_set_and_read_back():
    scenario = orgsim.Scenario.load(SCENARIOS / "race.cfg")
    assert scenario.name == "race"
    assert scenario["firm.employees"] == "50"
    assert scenario.set("firm.employees", 20).set("env.turbulence", 0.05) is scenario
    assert scenario["firm.employees"] == "20"
    assert scenario["env.turbulence"] == "0.05"
    assert scenario.overrides == ["firm.employees=20", "env.turbulence=0.05"]
    assert scenario.firm_names == ["focal", "rivals-1", "rivals-2", "rivals-3", "rivals-4"]


def test_scenario_from_text_matches_the_file():
    text = (SCENARIOS / "race.cfg").read_text()
    assert orgsim.Scenario.from_text(text, "race").text == orgsim.Scenario.load(
        SCENARIOS / "race.cfg").text


def test_params_lists_every_key_with_default_range_and_unit():
    table = orgsim.params()
    assert {"default", "range", "unit", "meaning"} <= set(table.columns)
    assert table.loc["firm.employees", "range"] == "[1, 100000]"
    assert table.loc["firm.employees", "default"] == "50"
    mine = orgsim.Scenario.load(SCENARIOS / "race.cfg").set("firm.employees", 17).params()
    assert mine.loc["firm.employees", "value"] == "17"
    assert len(mine) == len(table)


@pytest.mark.parametrize("key, value", [("firm.employes", 3), ("firm.employees", -3),
                                        ("manager.policy", "shout")])
def test_a_bad_key_or_value_raises_the_command_lines_message(key, value):
    scenario = orgsim.Scenario.load(SCENARIOS / "race.cfg")
    with pytest.raises(orgsim.ConfigError) as raised:
        scenario.set(key, value)
    assert str(raised.value) == cli_error("run", SCENARIOS / "race.cfg", "--set", f"{key}={value}")
    assert isinstance(raised.value, ValueError)
    assert scenario.overrides == []  # unchanged


def test_a_missing_scenario_file_raises_the_command_lines_message():
    with pytest.raises(orgsim.ConfigError) as raised:
        orgsim.Scenario.load("no/such.cfg")
    assert str(raised.value) == cli_error("run", "no/such.cfg")


def test_bad_arguments_raise_one_line_errors(tmp_path):
    with pytest.raises(TypeError, match="must be a number or a string"):
        orgsim.Scenario.load(SCENARIOS / "race.cfg").set("firm.employees", [1])
    with pytest.raises(orgsim.ConfigError, match="threads 0 is out of range"):
        orgsim.run(SCENARIOS / "race.cfg", threads=0, out=tmp_path / "x.h5")
    with pytest.raises(orgsim.IoError, match="cannot|not writable|does not exist|directory"):
        orgsim.run(SCENARIOS / "race.cfg", replications=1, out="/no/such/dir/x.h5",
                   progress=False)
    assert not list(tmp_path.iterdir())


def test_run_writes_the_command_lines_file(tmp_path):
    cli = tmp_path / "cli.h5"
    orgsim_cli("run", SCENARIOS / "race.cfg", "--replications", 6, "--set", "run.periods=30",
               "--out", cli)
    result = orgsim.run(orgsim.Scenario.load(SCENARIOS / "race.cfg").set("run.periods", 30),
                        replications=6, out=tmp_path / "py.h5", progress=False, threads=2)
    assert result.kind == "run" and result.trajectories.sizes["run"] == 6
    assert orgsim.content_digest(tmp_path / "py.h5") == cli_digest(cli)
    assert result.attrs["command_line"].startswith("python: orgsim.run(")


def test_compare_and_sweep_write_the_command_lines_files(tmp_path):
    a, b = SCENARIOS / "following_orders.cfg", SCENARIOS / "empowered.cfg"
    orgsim_cli("compare", a, b, "--replications", 4, "--set", "run.periods=20", "--vary",
               "env.turbulence=0,0.05", "--out", tmp_path / "cli_compare.h5")
    pair = orgsim.compare(orgsim.Scenario.load(a).set("run.periods", 20),
                          orgsim.Scenario.load(b).set("run.periods", 20), replications=4,
                          vary={"env.turbulence": [0, 0.05]}, out=tmp_path / "py_compare.h5",
                          progress=False)
    assert pair.scenarios == ["following_orders", "empowered"]
    assert orgsim.content_digest(tmp_path / "py_compare.h5") == cli_digest(
        tmp_path / "cli_compare.h5")

    orgsim_cli("sweep", SCENARIOS / "march1991.cfg", "--vary", "firm.socialization=0.1:0.5:0.2",
               "--replications", 3, "--out", tmp_path / "cli_sweep.h5")
    grid = orgsim.sweep(SCENARIOS / "march1991.cfg", {"firm.socialization": "0.1:0.5:0.2"},
                        replications=3, out=tmp_path / "py_sweep.h5", progress=False)
    assert grid.factors == ["firm.socialization"]
    assert list(grid.design["firm.socialization"].values[::3]) == [0.1, 0.3, 0.5]
    assert orgsim.content_digest(tmp_path / "py_sweep.h5") == cli_digest(tmp_path / "cli_sweep.h5")


def test_an_existing_file_is_refused_in_python_terms(tmp_path):
    path = tmp_path / "x.h5"
    orgsim.run(SCENARIOS / "race.cfg", replications=1, out=path, progress=False)
    with pytest.raises(orgsim.IoError, match=r"pass force=True to overwrite it or out= to"):
        orgsim.run(SCENARIOS / "race.cfg", replications=1, out=path, progress=False)


def test_progress_is_reported_up_to_the_total(tmp_path):
    seen = []
    orgsim.run(SCENARIOS / "race.cfg", replications=8, out=tmp_path / "x.h5",
               progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (8, 8)
    assert all(total == 8 and 0 <= done <= 8 for done, total in seen)


def long_race():
    return orgsim.Scenario.load(SCENARIOS / "race.cfg").set("run.periods", 400)


def test_ctrl_c_interrupts_keeps_the_journal_and_resume_finishes(tmp_path):
    path = tmp_path / "long.h5"
    timer = threading.Timer(0.7, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt, match=r"runs are kept in .*long\.h5\.partial; call it "
                                                r"again with resume=True"):
        orgsim.run(long_race(), replications=3000, out=path, progress=False, threads=2)
    timer.join()
    assert time.monotonic() - started < 5  # between periods, not at the end
    assert not path.exists() and (tmp_path / "long.h5.partial").exists()
    resumed = orgsim.run(long_race(), replications=3000, out=path, progress=False, resume=True,
                         threads=1)
    assert resumed.trajectories.sizes["run"] == 3000
    assert not (tmp_path / "long.h5.partial").exists()
    uninterrupted = tmp_path / "whole.h5"
    orgsim.run(long_race(), replications=3000, out=uninterrupted, progress=False)
    assert orgsim.content_digest(path) == orgsim.content_digest(uninterrupted)


def test_resume_of_a_complete_file_returns_it(tmp_path):
    path = tmp_path / "x.h5"
    orgsim.run(SCENARIOS / "race.cfg", replications=2, out=path, progress=False)
    again = orgsim.run(SCENARIOS / "race.cfg", replications=2, out=path, progress=False,
                       resume=True)
    assert again.trajectories.sizes["run"] == 2


def test_runs_release_the_gil(tmp_path):
    # A Python thread keeps counting while the engine runs: it would stop if the GIL were held.
    counts = []
    stop = threading.Event()

    def count():
        n = 0
        while not stop.is_set():
            n += 1
            if n % 10000 == 0:
                counts.append(time.monotonic())

    counter = threading.Thread(target=count)
    counter.start()
    started = time.monotonic()
    orgsim.run(long_race(), replications=200, out=tmp_path / "x.h5", progress=False, threads=1)
    ended = time.monotonic()
    stop.set()
    counter.join()
    during = [t for t in counts if started + 0.1 < t < ended - 0.1]
    assert ended - started > 0.5
    assert len(during) > 10


def test_the_default_progress_bar_shows_in_a_notebook_run_headless(tmp_path):
    # As nbconvert --execute or papermill run it: a widget bar would break Debian's nbclient.
    import nbclient
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(
        f"import orgsim\nresult = orgsim.run({str(SCENARIOS / 'race.cfg')!r}, replications=20, "
        f"out={str(tmp_path / 'x.h5')!r})\nprint(result.trajectories.sizes['run'])")]
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    streams = {}
    for output in notebook.cells[0].outputs:
        if output.get("output_type") == "stream":
            streams[output["name"]] = streams.get(output["name"], "") + output.get("text", "")
    assert "orgsim.run: 100%" in streams.get("stderr", "") and "20/20" in streams["stderr"]
    assert streams.get("stdout", "").strip() == "20"
