"""No tracked file points outside the repository.

The model is documented in docs/model.md; design notes kept beside the repository (in a
``shared`` folder next to the checkout) are not part of it, and a reader who has only the
repository cannot follow a path there. This test reads every file git tracks and fails
naming each file and line that mentions such a path.
"""

import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

#: Paths that leave the repository for the folder beside it.
PATTERNS = [b"../shared", b"/work/shared"]

#: Tracked files allowed to mention a pattern, each with the reason. Only tests, and
#: scripts that read test data from outside the repository, may be listed here (none do
#: today).
EXEMPT = {
    # This file names the patterns it looks for.
    "tests/python/test_repository_links.py",
}


def tracked_files():
    try:
        listing = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "-z"],
            check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"not a git checkout, or no git: {error}")
    return [name.decode() for name in listing.split(b"\0") if name]


def test_no_tracked_file_points_outside_the_repository():
    files = tracked_files()
    assert "docs/model.md" in files
    offending = []
    for name in files:
        if name in EXEMPT:
            continue
        path = ROOT / name
        if not path.is_file() or path.is_symlink():
            continue
        for number, line in enumerate(path.read_bytes().split(b"\n"), start=1):
            for pattern in PATTERNS:
                if pattern in line:
                    text = line.decode(errors="replace").strip()
                    offending.append(f"{name}:{number}: {text[:160]}")
    assert not offending, (
        "paths outside the repository (point readers at docs/model.md instead):\n"
        + "\n".join(offending))


def test_exemptions_are_still_tracked():
    files = set(tracked_files())
    assert EXEMPT <= files, f"exempt but no longer tracked: {sorted(EXEMPT - files)}"


def _anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to -."""
    text = heading.strip().lower()
    text = "".join(c for c in text if c.isalnum() or c in " -_")
    return text.replace(" ", "-")


def test_every_relative_link_of_the_documentation_resolves():
    """Each [text](path) and [text](path#anchor) in a tracked Markdown file names a file of the
    repository, and a heading of it when it names an anchor."""
    import re

    link = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
    broken = []
    for name in tracked_files():
        if not name.endswith(".md"):
            continue
        page = ROOT / name
        text = page.read_text(encoding="utf-8")
        for target in link.findall(text):
            if re.match(r"[a-z]+:", target):  # a URL: not checked here
                continue
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            if not file.exists():
                broken.append(f"{name}: {target} (no such file)")
                continue
            if anchor and file.suffix == ".md":
                headings = re.findall(r"(?m)^#+ (.+)$", file.read_text(encoding="utf-8"))
                if anchor not in {_anchor(heading) for heading in headings}:
                    broken.append(f"{name}: {target} (no such heading)")
    assert not broken, "broken links:\n" + "\n".join(broken)
