"""CBOW against Skip-Gram, window by window, on the movie reviews, in one run.

The bundled reviews are split 80/20 (stratified, ``random_state=0``: 8,529
training and 2,133 held-out snippets, as in the demo). ``GridSearchCV`` with
``cv=3`` searches ``sg`` x ``window`` over a pipeline of
``Word2VecVectorizer(vector_size=100, min_count=2, epochs=20)``, mean pooling,
and LogisticRegression, one training thread per fit (so every accuracy is the
same on every run). The script prints the cross-validation table, then the
held-out accuracy of the best setting next to TF-IDF + LogisticRegression,
the baseline, fitted on the same training part.

    python benchmarks/bench_window.py             # --epochs 5 for a quick look
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline, make_pipeline

from skw2v import Word2VecVectorizer
from skw2v.datasets import load_movie_reviews

GRID = {"w2v__sg": [0, 1], "w2v__window": [2, 5, 10]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--n-jobs", type=int, default=2, help="fits in parallel")
    args = parser.parse_args()
    reviews = load_movie_reviews()
    X_train, X_test, y_train, y_test = train_test_split(
        reviews.data,
        reviews.target,
        test_size=0.2,
        stratify=reviews.target,
        random_state=0,
    )
    print(
        f"{len(X_train)} training and {len(X_test)} held-out reviews; sg x window, "
        f"cv=3, epochs={args.epochs}, n_jobs={args.n_jobs}; {os.cpu_count()} CPUs."
    )
    pipeline = Pipeline(
        [
            (
                "w2v",
                Word2VecVectorizer(min_count=2, epochs=args.epochs, random_state=0),
            ),
            ("clf", LogisticRegression(max_iter=1000)),
        ]
    )
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*no word in the vocabulary")
        search = GridSearchCV(pipeline, GRID, cv=3, n_jobs=args.n_jobs)
        search.fit(X_train, y_train)
        best = search.score(X_test, y_test)
    seconds = time.perf_counter() - started
    results = search.cv_results_
    header = f"{'model':<10} {'window':>6} {'CV accuracy':>12} {'std':>6} {'fit s':>6}"
    print(header)
    print("-" * len(header))
    for i in sorted(
        range(len(results["params"])), key=results["rank_test_score"].__getitem__
    ):
        model = "Skip-Gram" if results["param_w2v__sg"][i] else "CBOW"
        window = results["param_w2v__window"][i]
        score, std = results["mean_test_score"][i], results["std_test_score"][i]
        fit = results["mean_fit_time"][i]
        print(f"{model:<10} {window:>6} {score:12.3f} {std:6.3f} {fit:6.1f}")
    tfidf = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))
    baseline = tfidf.fit(X_train, y_train).score(X_test, y_test)
    print(f"\nsearch: {seconds:.0f} s; best {search.best_params_}")
    print(f"held-out accuracy: best word2vec {best:.3f}, TF-IDF {baseline:.3f}")


if __name__ == "__main__":
    main()
