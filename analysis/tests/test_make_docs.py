"""The README's figures and model tables come from scripts/make_docs.py, and it makes them."""

import re
import subprocess
import sys

from conftest import BINARY, ROOT

SCRIPT = ROOT / "scripts" / "make_docs.py"
README = ROOT / "README.md"
BLOCK = re.compile(r"<!-- make_docs: ([a-z-]+) -->\n(.*?)<!-- /make_docs -->", re.S)


def made() -> set[str]:
    listed = subprocess.run([sys.executable, str(SCRIPT), "--list"], capture_output=True,
                            text=True, check=True)
    return set(listed.stdout.split())


def test_every_figure_the_readme_shows_is_made_by_the_script():
    shown = set(re.findall(r"!\[[^\]]*\]\(docs/([^)]+)\)", README.read_text()))
    assert shown, "the README shows no figure from docs/"
    assert shown <= made(), f"not made by scripts/make_docs.py: {sorted(shown - made())}"


def test_docs_holds_no_figure_the_script_does_not_make():
    figures = {path.name for path in (ROOT / "docs").glob("*.png")}
    assert figures <= made(), f"stale figures in docs/: {sorted(figures - made())}"


def test_every_block_of_the_readme_is_the_scripts_and_filled():
    blocks = BLOCK.findall(README.read_text())
    names = [name for name, _ in blocks]
    assert sorted(names) == sorted(set(names)), "a block appears twice"
    assert set(names) == made() - {name for name in made() if name.endswith(".png")}
    for name, body in blocks:
        assert "[" in body and "]" in body, f"block {name} holds no interval: run the script"


def test_the_script_regenerates_figures_and_blocks(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(BLOCK.sub(lambda m: f"<!-- make_docs: {m.group(1)} -->\n<!-- /make_docs -->",
                                README.read_text()))
    completed = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--out", str(tmp_path / "docs"),
                                "--readme", str(readme)], capture_output=True, text=True,
                               env={"ORGSIM_BINARY": BINARY, "PATH": "/usr/bin:/bin"})
    assert completed.returncode == 0, completed.stderr[-2000:]
    # Each command is printed with its seed.
    commands = [line for line in completed.stdout.splitlines() if line.startswith("  $ orgsim ")]
    assert commands and all("--seed " in line for line in commands)
    assert {"--seed 1", "--seed 2"} <= {m for line in commands for m in re.findall(r"--seed \d+", line)}
    for figure in (name for name in made() if name.endswith(".png")):
        assert (tmp_path / "docs" / figure).read_bytes().startswith(b"\x89PNG"), figure
    blocks = dict(BLOCK.findall(readme.read_text()))
    for name, body in blocks.items():
        assert body.strip(), f"block {name} left empty"
    assert "Verdict" in blocks["main-job"] and "late window" in blocks["main-job"]
    assert "seed 2" in blocks["empowerment-table"]
