"""Every script the pages load parses: a merge or an edit that leaves a brace open
breaks every page's live updates at once, and only a browser would notice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "static"
SCRIPTS = sorted(STATIC.glob("*.js"))


def test_there_are_scripts() -> None:
    assert any(path.name == "forum.js" for path in SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_each_script_parses(script: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (CI installs it)")
    checked = subprocess.run(
        [node, "--check", str(script)], capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 0, checked.stderr
