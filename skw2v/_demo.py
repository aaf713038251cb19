"""The main job: ``python -m skw2v demo``, and the few-labels learning curve.

The demo grid-searches word2vec on the bundled movie reviews (``memory`` makes
candidates that differ only in pooling or weighting train once per fold), then
shows where word2vec wins: vectors learned from the training text *without*
its labels, frozen, against TF-IDF bigrams and the bundled GloVe table, as the
number of labels grows. ``few_labels_curve`` is the one implementation of that
curve; ``benchmarks/bench_few_labels.py`` and the docs use it too.
"""

from __future__ import annotations

import os
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline, make_pipeline

from ._pretrained import PretrainedEmbeddingVectorizer
from ._word2vec import Word2VecVectorizer
from .datasets import load_glove_50d, load_movie_reviews

NEIGHBOUR_WORDS = ("good", "bad", "funny", "boring", "actor")

#: Skip-Gram settings of the curve's trained vectors (fixed, not searched).
CURVE_WORD2VEC = {
    "sg": 1,
    "window": 10,
    "vector_size": 100,
    "min_count": 2,
    "epochs": 20,
    "weighting": "sif",
    "random_state": 0,
}

#: The demo's grid search in its full run (``quick`` shrinks it); the docs
#: describe it.
DEMO_SEARCH = {"vector_size": 100, "epochs": 10, "cv": 3}

#: A pipeline for one draw, built from the draw's (unlabelled) training texts.
ModelFactory = Callable[[list], Pipeline]


def _classifier() -> LogisticRegression:
    return LogisticRegression(max_iter=2000)


def tfidf_model(texts: list | None = None) -> Pipeline:
    """TF-IDF of words and bigrams with LogisticRegression: the baseline.

    ``texts`` is ignored: the vocabulary is learned from the labelled texts,
    when the pipeline is fit.
    """
    tfidf = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    return make_pipeline(tfidf, _classifier())


def _frozen_word2vec(texts: list, **params) -> FrozenEstimator:
    """Word2vec trained on ``texts`` (no labels), frozen."""
    vectorizer = Word2VecVectorizer(**{**CURVE_WORD2VEC, **params}).fit(texts)
    return FrozenEstimator(vectorizer)


def word2vec_model(**params) -> ModelFactory:
    """Word2vec vectors trained once per draw on its texts, frozen, then a classifier.

    ``params`` override ``CURVE_WORD2VEC``; the classifier alone learns from
    the labels.
    """

    def make(texts: list) -> Pipeline:
        return make_pipeline(_frozen_word2vec(texts, **params), _classifier())

    return make


def glove_model(texts: list) -> Pipeline:
    """Pool the bundled GloVe 6B 50-d vectors (mean, frozen) for a classifier."""
    vectorizer = PretrainedEmbeddingVectorizer(load_glove_50d().path).fit(texts)
    return make_pipeline(FrozenEstimator(vectorizer), _classifier())


def _one_draw(texts, target, models, sizes, test_size, seed) -> list[dict]:
    train, test = train_test_split(
        np.arange(len(texts)), test_size=test_size, stratify=target, random_state=seed
    )
    with warnings.catch_warnings():
        # A few snippets are all rare words; their zero rows are expected here.
        warnings.filterwarnings("ignore", message=".*no word in the vocabulary")
        pipelines = {name: make(list(texts[train])) for name, make in models.items()}
        labelled = {
            size: train
            if size == "all"
            else train_test_split(
                train, train_size=size, stratify=target[train], random_state=seed
            )[0]
            for size in sizes
        }
        rows = []
        for name, pipeline in pipelines.items():
            for size, part in labelled.items():
                # The clone of a FrozenEstimator is itself: the vectors stay.
                fitted = clone(pipeline).fit(list(texts[part]), target[part])
                accuracy = fitted.score(list(texts[test]), target[test])
                rows.append(
                    {
                        "model": name,
                        "labels": size,
                        "n_labels": len(part),
                        "accuracy": accuracy,
                    }
                )
    return rows


def few_labels_curve(
    texts: Sequence[str],
    target: Sequence,
    models: dict[str, ModelFactory],
    *,
    sizes: Sequence[int | str] = (50, 100, 200, 500, 1000, 2000),
    n_draws: int = 5,
    test_size: float = 0.3,
    random_state: int = 0,
    n_jobs: int | None = None,
):
    """Accuracy of each model as the number of labelled training texts grows.

    For each of ``n_draws`` draws, the texts are split into training and test
    parts (``test_size``, stratified); ``models[name](train_texts)`` returns a
    pipeline for that draw, whose unsupervised steps may learn from every
    training text *without* its label (word vectors trained on them, wrapped
    in ``FrozenEstimator``). Then, for each size, that many labelled training
    texts (a stratified sample of the draw's training part; every one of them
    for ``"all"``) fit a clone of the pipeline, which is scored on the draw's
    test part. Nothing learned from the test part reaches any model.

    Parameters
    ----------
    texts : sequence of str
        The documents.
    target : sequence
        Their labels.
    models : dict of str to callable
        Name to a function that takes the draw's training texts (a list) and
        returns an unfitted pipeline (or one whose fitted steps are frozen).
    sizes : sequence of int or "all", default=(50, 100, 200, 500, 1000, 2000)
        Numbers of labelled texts; each must be smaller than the training part.
    n_draws : int, default=5
        Random splits (seeds ``random_state``, ``random_state + 1``...).
    test_size : float, default=0.3
        Fraction of the texts held out in each draw.
    random_state : int, default=0
        Seed of the first draw.
    n_jobs : int or None, default=None
        Draws run in parallel (joblib processes); None means one at a time.
        The results do not depend on it.

    Returns
    -------
    scores : pandas.DataFrame
        One row per model and size (the models' order, then the sizes'):
        ``model``, ``labels`` (the size as given), ``n_labels`` (how many texts that
        is), and the ``mean`` and ``std`` of the test accuracy over the draws.
    """
    import pandas as pd
    from joblib import Parallel, delayed

    texts = np.asarray(texts, dtype=object)
    target = np.asarray(target)
    if len(texts) != len(target):
        raise ValueError(
            f"texts and target have different lengths: {len(texts)} and {len(target)}."
        )
    if not models:
        raise ValueError("models is empty: give at least one name and factory.")
    if int(n_draws) < 1:
        raise ValueError(f"n_draws must be at least 1, got {n_draws!r}.")
    n_train = len(texts) - int(np.ceil(test_size * len(texts)))
    n_classes = len(np.unique(target))
    for size in sizes:
        if size == "all":
            continue
        if isinstance(size, str) or not n_classes <= size < n_train:
            raise ValueError(
                f"Each size must be 'all' or an int from {n_classes} (the number "
                f"of classes) to {n_train - 1} (the training part has {n_train} "
                f"texts), got {size!r}."
            )
    draws = Parallel(n_jobs=n_jobs)(
        delayed(_one_draw)(texts, target, models, sizes, test_size, random_state + d)
        for d in range(int(n_draws))
    )
    scores = pd.DataFrame([row for rows in draws for row in rows])
    summary = scores.groupby(["model", "labels"], sort=False)
    return pd.concat(
        [summary["n_labels"].first(), summary["accuracy"].agg(["mean", "std"])], axis=1
    ).reset_index()


def format_curve(scores) -> str:
    """Format the curve as a text table: a row per size, ``mean +- std`` per model."""
    models = list(dict.fromkeys(scores["model"]))
    sizes = list(dict.fromkeys(scores["labels"]))
    n_labels = scores.groupby("labels", sort=False)["n_labels"].first()
    cells = {(r.model, r.labels): r for r in scores.itertuples(index=False)}
    width = max(13, *(len(name) for name in models))
    lines = [f"{'labels':>12}" + "".join(f"  {name:>{width}}" for name in models)]
    for size in sizes:
        label = f"all ({n_labels[size]:,})" if size == "all" else f"{size:,}"
        row = f"{label:>12}"
        for name in models:
            cell = cells.get((name, size))
            text = "" if cell is None else f"{cell.mean:.3f} +- {cell.std:.3f}"
            row += f"  {text:>{width}}"
        lines.append(row)
    return "\n".join(lines)


def plot_curve(scores, path: str | os.PathLike, *, title: str = "") -> Path | None:
    """Draw the curve (accuracy against labels, log scale) into a PNG at ``path``.

    Returns the path written, or None when matplotlib is not installed.
    """
    try:  # a Figure of its own: no pyplot, so no change to the user's backend
        import matplotlib.figure
    except ImportError:
        return None
    figure = matplotlib.figure.Figure(figsize=(6.4, 4.0), dpi=100)
    ax = figure.subplots()
    for name, group in scores.groupby("model", sort=False):
        x, mean, std = group["n_labels"], group["mean"], group["std"].fillna(0)
        ax.plot(x, mean, marker="o", label=name)
        ax.fill_between(x, mean - std, mean + std, alpha=0.2)
    ax.set_xscale("log")
    ax.set_xlabel("labelled training texts")
    ax.set_ylabel("test accuracy")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend()
    figure.tight_layout()
    path = Path(path)
    figure.savefig(path)
    return path


def crossover(scores, model: str, baseline: str):
    """Return the first size at which ``baseline``'s mean accuracy reaches ``model``'s.

    None when it never does.
    """
    means = scores.pivot(index="labels", columns="model", values="mean")
    for size in dict.fromkeys(scores["labels"]):
        if means.loc[size, baseline] >= means.loc[size, model]:
            return size
    return None


def _grid_search(X_train, y_train, *, quick: bool, n_jobs: int, out, memory):
    epochs = 3 if quick else DEMO_SEARCH["epochs"]
    pipeline = Pipeline(
        [
            (
                "w2v",
                Word2VecVectorizer(
                    vector_size=50 if quick else DEMO_SEARCH["vector_size"],
                    min_count=2,
                    epochs=epochs,
                    random_state=0,
                    memory=memory,
                ),
            ),
            ("clf", _classifier()),
        ]
    )
    grid = {
        "w2v__sg": [0, 1],
        "w2v__pooling": ["mean"] if quick else ["mean", "mean+max"],
        "w2v__weighting": [None, "sif"],
    }
    cv = 2 if quick else DEMO_SEARCH["cv"]
    n_candidates = int(np.prod([len(values) for values in grid.values()]))
    out(
        f"Grid search: {n_candidates} settings (CBOW = sg 0, Skip-Gram = sg 1; "
        f"pooling; weighting) x {cv} folds, {epochs} epochs, {n_jobs} parallel "
        f"jobs. With memory=, word2vec trains {2 * cv + 1} times, not "
        f"{n_candidates * cv + 1}: pooling and weighting reuse the vectors..."
    )
    started = time.perf_counter()
    search = GridSearchCV(pipeline, grid, cv=cv, n_jobs=n_jobs)
    search.fit(X_train, y_train)
    seconds = time.perf_counter() - started

    import pandas as pd

    results = search.cv_results_
    table = pd.DataFrame(
        {
            "model": ["Skip-Gram" if sg else "CBOW" for sg in results["param_w2v__sg"]],
            "pooling": results["param_w2v__pooling"],
            "weighting": [w or "none" for w in results["param_w2v__weighting"]],
            "cv accuracy": results["mean_test_score"],
            "std": results["std_test_score"],
            "mean fit s": results["mean_fit_time"],
        }
    )
    out(
        f"\nCross-validated accuracy (LogisticRegression on pooled word vectors; "
        f"{seconds:.0f} s):"
    )
    out(
        table.sort_values("cv accuracy", ascending=False).to_string(
            index=False, float_format=lambda v: f"{v:.3f}"
        )
    )
    return search


def _neighbours(wv, words, *, out, topn: int) -> dict:
    found = {}
    for word in words:
        if word in wv:
            found[word] = wv.most_similar(word, topn=topn)
            listed = ", ".join(f"{w} ({s:.2f})" for w, s in found[word])
            out(f"  {word:>7}: {listed}")
    return found


def run_demo(
    *,
    quick: bool = False,
    n_jobs: int = 2,
    out=print,
    plot_path: str | os.PathLike | None = "skw2v-few-labels.png",
) -> dict:
    """Grid-search word2vec on the movie reviews, then show where it wins.

    Parameters
    ----------
    quick : bool, default=False
        Use a tiny grid, few epochs and a short learning curve (a smoke test
        that takes seconds).
    n_jobs : int, default=2
        Parallel grid-search fits and learning-curve draws; each trains with
        one thread, so the results are reproducible.
    out : callable, default=print
        Where the report lines go.
    plot_path : str, PathLike or None, default="skw2v-few-labels.png"
        Where the learning curve's PNG goes (relative to the current
        directory), when matplotlib is installed; None draws none. When the
        file cannot be written there, it goes to the temporary directory.

    Returns
    -------
    results : dict
        ``best_params``, ``cv_accuracy``, ``test_accuracy``,
        ``tfidf_test_accuracy``, ``neighbours`` (in the best embedding),
        ``glove_neighbours``, ``analogy``, ``curve`` (the DataFrame of
        `few_labels_curve`), ``plot`` (the PNG's path or None) and
        ``seconds``.
    """
    started = time.perf_counter()
    reviews = load_movie_reviews(as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(
        reviews.data["text"],
        reviews.target,
        test_size=0.2,
        stratify=reviews.target,
        random_state=0,
    )
    out(
        f"Movie reviews: {len(reviews.data)} snippets; training on {len(X_train)}, "
        f"holding out {len(X_test)}."
    )
    with (
        warnings.catch_warnings(),
        tempfile.TemporaryDirectory(prefix="skw2v-demo-memory-") as memory,
    ):
        # A few snippets are all rare words; their zero rows are expected here.
        warnings.filterwarnings("ignore", message=".*no word in the vocabulary")
        search = _grid_search(
            X_train, y_train, quick=quick, n_jobs=n_jobs, out=out, memory=memory
        )
        test_accuracy = search.score(X_test, y_test)
    tfidf_accuracy = tfidf_model().fit(X_train, y_train).score(X_test, y_test)
    out(f"\nBest setting: {search.best_params_}")
    out(f"Held-out accuracy, best word2vec pipeline: {test_accuracy:.3f}")
    out(f"Held-out accuracy, TF-IDF bigrams:         {tfidf_accuracy:.3f}")

    # Where word2vec wins: few labels, lots of text.
    params = {"epochs": 3, "vector_size": 50} if quick else {}
    sizes = (50, 200, 1000) if quick else (50, 200, 500, 1000, 3000, "all")
    n_draws = 2 if quick else 4
    models = {
        "TF-IDF bigrams": tfidf_model,
        "Skip-Gram (skw2v)": word2vec_model(**params),
        "GloVe 50-d": glove_model,
    }
    settings = {**CURVE_WORD2VEC, **params}
    out(
        f"\nFew labels, lots of text: {n_draws} random 70/30 splits of all "
        f"{len(reviews.data)} snippets. Skip-Gram vectors (window "
        f"{settings['window']}, {settings['vector_size']} dimensions, "
        f"{settings['epochs']} epochs, SIF weighting) are trained once per split "
        "on its whole training part *without* labels and frozen "
        "(FrozenEstimator); LogisticRegression then learns from only N labels. "
        "Test accuracy, mean +- std over the splits:"
    )
    curve_started = time.perf_counter()
    curve = few_labels_curve(
        reviews.data["text"],
        reviews.target,
        models,
        sizes=sizes,
        n_draws=n_draws,
        n_jobs=n_jobs,
    )
    out(format_curve(curve))
    out(f"({time.perf_counter() - curve_started:.0f} s)")
    means = curve.pivot(index="labels", columns="model", values="mean")
    gain = means.loc[50, "Skip-Gram (skw2v)"] - means.loc[50, "TF-IDF bigrams"]
    catch_up = crossover(curve, "Skip-Gram (skw2v)", "TF-IDF bigrams")
    out(
        f"With 50 labels the trained vectors {'beat' if gain > 0 else 'trail'} "
        f"TF-IDF by {abs(gain) * 100:.1f} points; "
        + (
            f"TF-IDF catches up at {catch_up:,} labels."
            if catch_up is not None
            else "TF-IDF never catches up here."
        )
    )
    plot = None
    if plot_path is not None:
        title = "Movie reviews: few labels, lots of text"
        try:
            plot = plot_curve(curve, plot_path, title=title)
        except OSError:
            fallback = Path(tempfile.gettempdir()) / Path(plot_path).name
            plot = plot_curve(curve, fallback, title=title)
        if plot is None:
            out("(Install matplotlib to get the plot of this curve as a PNG.)")
        else:
            out(f"Plot written to {plot.resolve()}")

    out("\nNearest words in the best trained embedding (cosine similarity):")
    neighbours = _neighbours(
        search.best_estimator_.named_steps["w2v"].wv_,
        NEIGHBOUR_WORDS[:3],
        out=out,
        topn=4,
    )
    glove = load_glove_50d().vectors
    out("Nearest words in the bundled GloVe 6B 50-d table (load_glove_50d):")
    glove_neighbours = _neighbours(glove, NEIGHBOUR_WORDS, out=out, topn=4)
    analogy = glove.most_similar(positive=["king", "woman"], negative=["man"], topn=3)
    listed = ", ".join(f"{w} ({s:.2f})" for w, s in analogy)
    out(f"  king - man + woman = {listed}")
    seconds = time.perf_counter() - started
    out(f"\nDone in {seconds:.0f} s.")
    return {
        "best_params": search.best_params_,
        "cv_accuracy": float(search.best_score_),
        "test_accuracy": float(test_accuracy),
        "tfidf_test_accuracy": float(tfidf_accuracy),
        "neighbours": neighbours,
        "glove_neighbours": glove_neighbours,
        "analogy": analogy,
        "curve": curve,
        "plot": plot,
        "seconds": seconds,
    }
