"""The demo and its few-labels learning curve (``skw2v._demo``)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from skw2v._demo import (
    crossover,
    few_labels_curve,
    format_curve,
    plot_curve,
    run_demo,
)
from skw2v.datasets import load_movie_reviews


@pytest.fixture(scope="module")
def reviews():
    data = load_movie_reviews()
    rng = np.random.default_rng(0)
    keep = rng.choice(len(data.data), size=600, replace=False)
    return [data.data[i] for i in keep], np.asarray(data.target)[keep]


def counting_factory(calls: list):
    """A factory whose unsupervised step is fit once per draw, then frozen."""

    def make(texts):
        calls.append(len(texts))
        counts = CountVectorizer(min_df=2).fit(texts)
        return make_pipeline(FrozenEstimator(counts), LogisticRegression())

    return make


def test_curve_fits_the_unsupervised_step_once_per_draw(reviews):
    texts, target = reviews
    calls: list = []
    curve = few_labels_curve(
        texts,
        target,
        {"counts": counting_factory(calls)},
        sizes=(20, 100, "all"),
        n_draws=3,
    )
    assert calls == [420, 420, 420]  # 70% of 600, once per draw, not per size
    assert list(curve.columns) == ["model", "labels", "n_labels", "mean", "std"]
    assert list(curve["labels"]) == [20, 100, "all"]
    assert list(curve["n_labels"]) == [20, 100, 420]
    assert curve["mean"].between(0, 1).all() and curve["std"].notna().all()


def test_curve_is_the_same_in_parallel(reviews):
    texts, target = reviews
    models = {"counts": counting_factory([]), "other": counting_factory([])}
    kwargs = {"sizes": (30, "all"), "n_draws": 2, "random_state": 3}
    serial = few_labels_curve(texts, target, models, **kwargs)
    parallel = few_labels_curve(texts, target, models, n_jobs=2, **kwargs)
    assert serial.equals(parallel)
    assert list(serial["model"]) == ["counts", "counts", "other", "other"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sizes": (1000,)}, "from 2 .* to 419 .* got 1000"),
        ({"sizes": (1,)}, "got 1"),
        ({"sizes": ("half",)}, "got 'half'"),
        ({"n_draws": 0}, "n_draws must be at least 1"),
        ({"models": {}}, "models is empty"),
        ({"target": [0, 1]}, "different lengths: 600 and 2"),
    ],
)
def test_curve_errors(reviews, kwargs, message):
    texts, target = reviews
    arguments = {"texts": texts, "target": target, "models": {"c": None}}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        few_labels_curve(**arguments)


@pytest.fixture
def curve():
    import pandas as pd

    return pd.DataFrame(
        {
            "model": ["a", "a", "a", "b", "b", "b"],
            "labels": [50, 500, "all", 50, 500, "all"],
            "n_labels": [50, 500, 900] * 2,
            "mean": [0.6, 0.7, 0.72, 0.5, 0.7, 0.8],
            "std": [0.01, 0.02, 0.03, 0.04, 0.05, 0.06],
        }
    )


def test_format_and_crossover(curve):
    lines = format_curve(curve).splitlines()
    assert lines[0].split() == ["labels", "a", "b"]
    assert lines[1].split() == ["50", "0.600", "+-", "0.010", "0.500", "+-", "0.040"]
    assert lines[3].split()[:2] == ["all", "(900)"]
    assert crossover(curve, "a", "b") == 500
    assert crossover(curve, "b", "a") == 50
    never = curve.assign(mean=[0.9] * 3 + [0.5] * 3)
    assert crossover(never, "a", "b") is None


def test_plot_curve(curve, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    path = plot_curve(curve, tmp_path / "curve.png", title="t")
    assert path == tmp_path / "curve.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # not installed
    assert plot_curve(curve, tmp_path / "none.png") is None
    assert not (tmp_path / "none.png").exists()


_PLOT_IN_A_NOTEBOOK = """
import sys
import matplotlib
import pandas as pd
from skw2v._demo import plot_curve

matplotlib.use("svg")  # the backend a user chose
curve = pd.read_pickle(sys.argv[1])
plot_curve(curve, sys.argv[2])
print(matplotlib.get_backend(), "matplotlib.pyplot" in sys.modules)
"""


def test_plot_curve_keeps_the_users_backend(curve, tmp_path):
    pytest.importorskip("matplotlib")
    curve.to_pickle(tmp_path / "curve.pkl")
    out = subprocess.run(
        [sys.executable, "-c", _PLOT_IN_A_NOTEBOOK, tmp_path / "curve.pkl", "c.png"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["svg", "False"]
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def quick_demo(tmp_path_factory):
    lines: list[str] = []
    plot = tmp_path_factory.mktemp("demo") / "curve.png"
    results = run_demo(quick=True, n_jobs=2, out=lines.append, plot_path=plot)
    return results, "\n".join(lines), plot


def test_quick_demo_grid_search(quick_demo):
    results, out, _ = quick_demo
    header = out.split("Cross-validated accuracy")[1].splitlines()[1]
    assert header.split()[:3] == ["model", "pooling", "weighting"]
    # The quick grid stays tiny: 2 sg x 2 weightings, 2 folds, trained 5 times.
    assert "4 settings" in out and "trains 5 times, not 9" in out
    assert set(results["best_params"]) == {
        "w2v__sg",
        "w2v__pooling",
        "w2v__weighting",
    }
    assert 0.5 < results["test_accuracy"] < 1
    assert 0.6 < results["tfidf_test_accuracy"] < 1
    assert "Held-out accuracy, TF-IDF bigrams:         0." in out


def test_quick_demo_learning_curve(quick_demo):
    results, out, plot = quick_demo
    curve = results["curve"]
    assert set(curve["model"]) == {"TF-IDF bigrams", "Skip-Gram (skw2v)", "GloVe 50-d"}
    assert list(dict.fromkeys(curve["labels"])) == [50, 200, 1000]
    table = out.split("mean +- std over the splits:\n")[1].splitlines()
    for name in ("labels", "TF-IDF bigrams", "Skip-Gram (skw2v)", "GloVe 50-d"):
        assert name in table[0]
    assert [row.split()[0] for row in table[1:4]] == ["50", "200", "1,000"]
    assert "With 50 labels the trained vectors" in out
    assert results["plot"] == plot and plot.read_bytes()[:4] == b"\x89PNG"
    assert f"Plot written to {plot.resolve()}" in out


def test_quick_demo_glove_neighbours_and_analogy(quick_demo):
    results, out, _ = quick_demo
    assert "Nearest words in the bundled GloVe 6B 50-d table" in out
    assert "hilarious" in [w for w, _ in results["glove_neighbours"]["funny"]]
    assert results["analogy"][0][0] == "queen"
    assert "king - man + woman = queen (0.8" in out
    assert "Nearest words in the best trained embedding" in out
