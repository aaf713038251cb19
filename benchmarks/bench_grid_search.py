"""A grid search over the embedding, with and without ``memory``, in one run.

The grid is ``sg`` (2) x ``pooling`` (3) x ``weighting`` (3) = 18 candidates
on the bundled movie reviews, ``cv=3``, ``n_jobs=2``, LogisticRegression on
top; every candidate trains word2vec (vector_size 100, epochs 20 as in the
demo, one thread per fit, ``random_state=0``). Without ``memory`` that is
18 x 3 + 1 = 55 trainings; with it, one per ``sg`` and fold plus the refit: 7.
The LogisticRegression fits (54 + 1) are the same in both. The script
prints both wall times, their ratio (goal: >= 4x), the trainings counted
from the cache entries, and checks that ``cv_results_`` scores are equal.

    python benchmarks/bench_grid_search.py
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from skw2v import Word2VecVectorizer
from skw2v.datasets import load_movie_reviews

GRID = {
    "w2v__sg": [0, 1],
    "w2v__pooling": ["mean", "max", "mean+max"],
    "w2v__weighting": [None, "tfidf", "sif"],
}


def search(X, y, *, memory, epochs: int, n_jobs: int) -> tuple[GridSearchCV, float]:
    pipeline = Pipeline(
        [
            (
                "w2v",
                Word2VecVectorizer(
                    epochs=epochs, min_count=2, random_state=0, memory=memory
                ),
            ),
            ("clf", LogisticRegression(max_iter=2000)),
        ]
    )
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*no word in the vocabulary")
        fitted = GridSearchCV(pipeline, GRID, cv=3, n_jobs=n_jobs).fit(X, y)
    return fitted, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args()
    reviews = load_movie_reviews()
    X, y = reviews.data, reviews.target
    n_candidates = int(np.prod([len(v) for v in GRID.values()]))
    print(
        f"{len(X)} movie reviews; {n_candidates} candidates (sg x pooling x "
        f"weighting) x 3 folds, n_jobs={args.n_jobs}, epochs={args.epochs}; "
        f"{os.cpu_count()} CPUs."
    )
    without, seconds_without = search(
        X, y, memory=None, epochs=args.epochs, n_jobs=args.n_jobs
    )
    with tempfile.TemporaryDirectory(prefix="skw2v-memory-") as folder:
        cached, seconds_with = search(
            X, y, memory=folder, epochs=args.epochs, n_jobs=args.n_jobs
        )
        n_entries = len(list(Path(folder).glob("skw2v-trained-*/*/entry")))
    header = f"{'':<16} {'seconds':>8} {'trainings':>10} {'best score':>11}"
    print(header)
    print("-" * len(header))
    for label, fitted, seconds, trainings in [
        ("without memory", without, seconds_without, n_candidates * 3 + 1),
        ("memory=folder", cached, seconds_with, n_entries),
    ]:
        print(f"{label:<16} {seconds:8.1f} {trainings:10d} {fitted.best_score_:11.4f}")
    print(f"\nmemory is {seconds_without / seconds_with:.1f}x faster (goal: >= 4x).")
    for name in without.cv_results_:
        if name.endswith("test_score") and not name.startswith("rank"):
            np.testing.assert_array_equal(
                cached.cv_results_[name], without.cv_results_[name]
            )
    print("cv_results_ test scores: identical, candidate by candidate and fold.")


if __name__ == "__main__":
    main()
