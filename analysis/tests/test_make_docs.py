"""The figures and model tables of the README and docs/ come from scripts/make_docs.py, and
it makes them."""

import re
import subprocess
import sys

from conftest import BINARY, ROOT

SCRIPT = ROOT / "scripts" / "make_docs.py"
#: The pages whose blocks the script rewrites (its default --pages).
PAGES = [ROOT / "README.md", ROOT / "docs" / "findings.md"]
BLOCK = re.compile(r"<!-- make_docs: ([a-z-]+) -->\n(.*?)<!-- /make_docs -->", re.S)
FIGURE = re.compile(r"!\[[^\]]*\]\(([^)]+\.png)\)")


def made() -> set[str]:
    listed = subprocess.run([sys.executable, str(SCRIPT), "--list"], capture_output=True,
                            text=True, check=True)
    return set(listed.stdout.split())


def test_every_figure_a_page_shows_is_made_by_the_script():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    shown = {}
    for page in pages:
        for link in FIGURE.findall(page.read_text()):
            target = (page.parent / link).resolve()
            assert target.parent == (ROOT / "docs").resolve(), f"{page.name}: {link} is not in docs/"
            shown[target.name] = page.name
    assert "main_job.png" in shown and shown["main_job.png"] == "README.md"
    assert set(shown) <= made(), f"not made by scripts/make_docs.py: {sorted(set(shown) - made())}"


def test_docs_holds_no_figure_the_script_does_not_make():
    figures = {path.name for path in (ROOT / "docs").glob("*.png")}
    assert figures <= made(), f"stale figures in docs/: {sorted(figures - made())}"


def test_every_block_is_the_scripts_filled_and_in_one_page():
    names = [name for page in PAGES for name, _ in BLOCK.findall(page.read_text())]
    assert sorted(names) == sorted(set(names)), "a block appears twice"
    assert set(names) == {name for name in made() if not name.endswith(".png")}
    # Counts of the intervals' conclusions, whose intervals robustness-table gives.
    counts_only = {"robustness-summary"}
    for page in PAGES:
        for name, body in BLOCK.findall(page.read_text()):
            if name in counts_only:
                assert "95% t interval" in body, f"{page.name}: block {name} does not say what it counts"
                continue
            assert "[" in body and "]" in body, f"{page.name}: block {name} holds no interval"


def test_the_script_regenerates_figures_and_blocks(tmp_path):
    pages = []
    for page in PAGES:
        copy = tmp_path / page.name
        copy.write_text(BLOCK.sub(lambda m: f"<!-- make_docs: {m.group(1)} -->\n<!-- /make_docs -->",
                                  page.read_text()))
        pages.append(copy)
    completed = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--out", str(tmp_path / "docs"),
                                "--pages", *map(str, pages)], capture_output=True, text=True,
                               env={"ORGSIM_BINARY": BINARY, "PATH": "/usr/bin:/bin"})
    assert completed.returncode == 0, completed.stderr[-2000:]
    # Each command is printed with its seed, and every claim is run with two seeds.
    commands = [line for line in completed.stdout.splitlines() if line.startswith("  $ orgsim ")]
    assert commands and all("--seed " in line for line in commands)
    assert {"--seed 1", "--seed 2"} <= {m for line in commands for m in re.findall(r"--seed \d+", line)}
    for figure in (name for name in made() if name.endswith(".png")):
        assert (tmp_path / "docs" / figure).read_bytes().startswith(b"\x89PNG"), figure
    blocks = {name: body for page in pages for name, body in BLOCK.findall(page.read_text())}
    for name, body in blocks.items():
        assert body.strip(), f"block {name} left empty"
    assert "periods in the lead" in blocks["main-job"] and "late window" in blocks["main-job"]
    assert "seed 2" in blocks["empowerment-table"]
    # Leading by example: both seeds' tables, and the README's headline with it.
    for name in ("peer-march-early", "peer-march-late", "peer-empowerment"):
        assert "seed 2" in blocks[name], name
    assert "periods in the lead" in blocks["main-job-peer"] and "firm.peer_learning" in blocks["main-job-peer"]
