"""docs/python.md's examples run as they are, in order, from a repository root (its
scenarios), and print what the page says they print."""

import contextlib
import io
import os
import re

from conftest import ROOT

PAGE = ROOT / "docs" / "python.md"


def test_every_example_of_the_python_page_runs(tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(), flags=re.S)
    assert len(blocks) >= 6, "an example for each point: import, scenarios, campaigns, " \
                             "simulation, trace, leader policy"
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    (tmp_path / "results").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
        for block in blocks:
            exec(compile(block, str(PAGE), "exec"), namespace)
    out = printed.getvalue()
    assert "0.65 0.05" in out
    assert ("--set firm.socialisation=0.3: unknown key 'firm.socialisation'; did you mean "
            "'firm.socialization'?") in out
    assert "Result('results/py_run.h5', kind='run': 20 runs x 60 periods x 5 firms)" in out
    assert re.search(r"\(\d+, 30\) int8", out)
    assert os.path.exists("results/py_trace.h5") and os.path.exists("results/py_policy.h5")
