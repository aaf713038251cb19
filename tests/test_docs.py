"""Every ```python block of the documentation runs, page by page, in order."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").glob("*.md"))
BLOCK = re.compile(r"^```python\n(.*?)^```$", flags=re.S | re.M)
SHELL_BLOCK = re.compile(r"^```bash\n(.*?)^```$", flags=re.S | re.M)
#: Pages whose shell blocks are sessions to run (others show install commands,
#: which CI runs itself).
SHELL_PAGES = ("cli.md",)
#: Optional dependencies a block may import; without them the block's page is
#: skipped through pytest.importorskip, which reports the reason.
OPTIONAL = ("torch", "matplotlib")


def test_every_page_is_in_the_site_navigation():
    nav = (ROOT / "mkdocs.yml").read_text()
    for page in PAGES:
        assert page.name in nav, f"{page.name} is missing from mkdocs.yml's nav"


PAGES_WITH_CODE = [page for page in PAGES if BLOCK.search(page.read_text())]


@pytest.mark.parametrize("page", PAGES_WITH_CODE, ids=[p.name for p in PAGES_WITH_CODE])
def test_code_blocks_run(page, tmp_path):
    """Run a page's blocks, in order, as one script in a fresh process.

    A fresh process in an empty directory is what a reader has: relative paths
    resolve there, also in the worker processes a grid search starts.
    """
    blocks = BLOCK.findall(page.read_text())
    for module in OPTIONAL:
        if any(re.search(rf"^\s*(import|from) {module}\b", b, re.M) for b in blocks):
            pytest.importorskip(module, reason=f"{page.name} needs {module}")
    script = tmp_path / f"{page.stem}.py"
    script.write_text(
        "import warnings\n"
        "warnings.filterwarnings('ignore', message='.*no word in the vocabulary')\n"
        # a failed grid-search fit must fail the page, not become a NaN score
        "warnings.filterwarnings('error', category=UserWarning, "
        "message='.*non-finite')\n" + "\n".join(blocks)
    )
    done = subprocess.run(
        [sys.executable, script.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert done.returncode == 0, f"{page.name}:\n{done.stderr[-3000:]}"


@pytest.mark.parametrize("name", SHELL_PAGES)
def test_shell_sessions_run(name, tmp_path):
    (session,) = SHELL_BLOCK.findall((ROOT / "docs" / name).read_text())
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", session],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "SKW2V_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert done.returncode == 0, done.stderr
    assert "police" in done.stdout  # `similar` printed its table
    assert (tmp_path / "lee.bin").stat().st_size > 0
    assert (
        '"similarity"' in (tmp_path / "scores.json").read_text()
        or (tmp_path / "scores.json").stat().st_size > 0
    )
