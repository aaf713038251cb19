"""Every script in examples/ runs in quick mode and prints what it promises.

Each script runs once, in a subprocess with the Agg backend and its own tmp_path
as the current directory. Quick mode is asked for with ``--quick`` for some
scripts and with ``SKW2V_EXAMPLES_QUICK=1`` alone for others, so both ways are
covered without running any script twice.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[1] / "examples"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: script: (command-line arguments, PNG it must write relative to the working
#: directory or None, lines its output must contain). "{out}" is a file in a
#: subdirectory of tmp_path, to check that --out is followed.
RUNS = {
    "plot_sentiment_words.py": (
        ["--quick", "--out", "{out}"],
        "{out}",
        ["(epochs=1)", "words are closer to their own group", "Saved the picture"],
    ),
    "plot_analogy_offsets.py": (
        [],  # quick through the environment; the PNG goes to the current directory
        "analogy_offsets.png",
        [
            "(epochs=2)",
            "he : she :: his : ?",
            "cosine with the other pairs' mean offset",
            "random pairs of frequent words",
        ],
    ),
    "pipeline_grid_search.py": (
        [],  # quick through the environment: 1,500 reviews, a quarter held out
        None,
        [
            "Grid search: 8 candidates",
            "mean_test_score",
            "rank_test_score",
            "Held-out accuracy:",
            "(375 reviews)",
        ],
    ),
    # Another helper's script: it trains a small PyTorch model, or says that
    # torch is missing and exits 0.
    "torch_embeddings.py": (["--quick"], None, []),
}


def test_every_example_is_run():
    assert sorted(path.name for path in EXAMPLES.glob("*.py")) == sorted(RUNS)


@pytest.mark.parametrize("script", sorted(RUNS))
def test_example_runs_in_quick_mode(script, tmp_path):
    args, png, expected = RUNS[script]
    out = tmp_path / "pictures" / "picture.png"
    out.parent.mkdir()
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script)]
        + [arg.format(out=out) for arg in args],
        cwd=tmp_path,
        env={**os.environ, "MPLBACKEND": "Agg", "SKW2V_EXAMPLES_QUICK": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr

    for line in expected:
        assert line in done.stdout, f"{line!r} missing from:\n{done.stdout}"
    if script == "torch_embeddings.py":
        assert (
            "test accuracy" in done.stdout
            or "needs PyTorch, which is not installed" in done.stdout
        ), done.stdout

    written = sorted(tmp_path.rglob("*.png"))
    if png is None:
        assert written == []
    else:
        picture = tmp_path / png.format(out=out)
        assert written == [picture]
        assert picture.read_bytes()[:8] == PNG_SIGNATURE
        assert picture.stat().st_size > 10_000  # axes, points and labels drawn
