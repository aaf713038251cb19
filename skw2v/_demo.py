"""The main job: ``python -m skw2v demo``.

Trains word2vec inside a grid search on the bundled movie reviews, and prints
the cross-validation table, the held-out accuracy and some nearest neighbours.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline

from ._word2vec import Word2VecVectorizer
from .datasets import load_movie_reviews

NEIGHBOUR_WORDS = ("good", "bad", "funny", "boring", "actor")


def run_demo(*, quick: bool = False, n_jobs: int = 2, out=print) -> dict:
    """Grid-search word2vec embeddings for sentiment on the movie reviews.

    Parameters
    ----------
    quick : bool, default=False
        Use a tiny grid and few epochs (a smoke test that takes seconds).
    n_jobs : int, default=2
        Parallel grid-search fits; each fit trains with one thread, so the
        results are reproducible.
    out : callable, default=print
        Where the report lines go.

    Returns
    -------
    results : dict
        ``best_params``, ``cv_accuracy``, ``test_accuracy``,
        ``tfidf_test_accuracy``, ``neighbours`` and ``seconds``.
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

    epochs = 3 if quick else 20
    pipeline = Pipeline(
        [
            (
                "w2v",
                Word2VecVectorizer(
                    vector_size=50 if quick else 100,
                    min_count=2,
                    epochs=epochs,
                    random_state=0,
                ),
            ),
            ("clf", LogisticRegression(max_iter=2000)),
        ]
    )
    grid = {"w2v__sg": [0, 1], "w2v__window": [5] if quick else [2, 5, 10]}
    cv = 2 if quick else 3
    n_candidates = len(grid["w2v__sg"]) * len(grid["w2v__window"])
    out(
        f"Grid search: {n_candidates} embedding settings x {cv} folds, "
        f"{epochs} epochs each, {n_jobs} parallel jobs (CBOW = sg 0, "
        "Skip-Gram = sg 1)..."
    )
    search = GridSearchCV(pipeline, grid, cv=cv, n_jobs=n_jobs, verbose=2)
    with warnings.catch_warnings():
        # A few snippets are all rare words; their zero rows are expected here.
        warnings.filterwarnings("ignore", message=".*no word in the vocabulary")
        search.fit(X_train, y_train)
        test_accuracy = search.score(X_test, y_test)

    import pandas as pd

    table = pd.DataFrame(search.cv_results_)[
        ["param_w2v__sg", "param_w2v__window", "mean_test_score", "std_test_score"]
    ]
    table.columns = ["sg", "window", "cv accuracy", "std"]
    table.insert(0, "model", table["sg"].map({0: "CBOW", 1: "Skip-Gram"}))
    table["mean fit s"] = search.cv_results_["mean_fit_time"]
    out("\nCross-validated accuracy (LogisticRegression on mean word vectors):")
    out(
        table.sort_values("cv accuracy", ascending=False).to_string(
            index=False, float_format=lambda v: f"{v:.3f}"
        )
    )

    baseline = Pipeline(
        [("tfidf", TfidfVectorizer()), ("clf", LogisticRegression(max_iter=2000))]
    ).fit(X_train, y_train)
    tfidf_accuracy = baseline.score(X_test, y_test)
    out(f"\nBest setting: {search.best_params_}")
    out(f"Held-out accuracy, best word2vec pipeline: {test_accuracy:.3f}")
    out(f"Held-out accuracy, TF-IDF baseline:        {tfidf_accuracy:.3f}")

    wv = search.best_estimator_.named_steps["w2v"].wv_
    neighbours = {}
    out("\nNearest words in the best embedding (cosine similarity):")
    for word in NEIGHBOUR_WORDS:
        if word not in wv:
            continue
        neighbours[word] = wv.most_similar(word, topn=5)
        listed = ", ".join(f"{w} ({s:.2f})" for w, s in neighbours[word])
        out(f"  {word:>7}: {listed}")
    seconds = time.perf_counter() - started
    out(f"\nDone in {seconds:.0f} s.")
    return {
        "best_params": search.best_params_,
        "cv_accuracy": float(search.best_score_),
        "test_accuracy": float(test_accuracy),
        "tfidf_test_accuracy": float(tfidf_accuracy),
        "neighbours": neighbours,
        "seconds": seconds,
    }


def few_labels_curve(
    texts,
    target,
    models: dict,
    *,
    sizes=(50, 100, 200, 500, 1000, 2000),
    n_draws: int = 5,
    test_size: float = 0.3,
    random_state: int = 0,
):
    """Accuracy of each model as the number of labelled training texts grows.

    For each of ``n_draws`` draws, the texts are split into training and test
    parts (``test_size``); ``models[name](train_texts)`` returns a pipeline
    for that draw, whose unsupervised steps may learn from every training
    text *without* its label (word vectors trained on them, frozen). Then, for
    each size, that many labelled training texts (a stratified sample of the
    draw's training part; every one of them for ``"all"``) fit a clone of the
    pipeline, which is scored on the test part.

    Returns
    -------
    scores : pandas.DataFrame
        One row per model and size: ``mean`` and ``std`` of the test
        accuracy over the draws.
    """
    import pandas as pd
    from sklearn.base import clone

    texts = np.asarray(texts, dtype=object)
    target = np.asarray(target)
    rows = []
    for draw in range(n_draws):
        seed = random_state + draw
        train, test = train_test_split(
            np.arange(len(texts)),
            test_size=test_size,
            stratify=target,
            random_state=seed,
        )
        pipelines = {name: make(list(texts[train])) for name, make in models.items()}
        for size in sizes:
            if size == "all" or size >= len(train):
                labelled = train
            else:
                labelled, _ = train_test_split(
                    train,
                    train_size=size,
                    stratify=target[train],
                    random_state=seed,
                )
            for name, pipeline in pipelines.items():
                fitted = clone(pipeline).fit(list(texts[labelled]), target[labelled])
                accuracy = fitted.score(list(texts[test]), target[test])
                rows.append({"model": name, "labels": size, "accuracy": accuracy})
    scores = pd.DataFrame(rows)
    summary = scores.groupby(["model", "labels"], sort=False)["accuracy"]
    return summary.agg(["mean", "std"]).reset_index()
