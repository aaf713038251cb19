"""Accuracy of the pooling options on the bundled movie reviews, by cross-validation.

Every configuration is a Pipeline (word2vec trained inside each fold, then a
logistic regression), scored by stratified k-fold cross-validation on the
10,662 snippets: mean vs tfidf vs sif vs sif + remove_components=1 vs mean+max,
for CBOW and Skip-Gram, next to TF-IDF + logistic regression and a FeatureUnion
of TF-IDF and skw2v vectors. Prints one table.

    python benchmarks/bench_accuracy.py             # 10 folds (slow: ~20 min)
    python benchmarks/bench_accuracy.py --folds 2   # a quick look
"""

from __future__ import annotations

import argparse
import time
import warnings

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2v import Word2VecVectorizer
from skw2v.datasets import load_movie_reviews

POOLINGS = {
    "mean": {},
    "tfidf": {"weighting": "tfidf"},
    "sif": {"weighting": "sif"},
    "sif + remove_components=1": {"weighting": "sif", "remove_components": 1},
    "mean+max": {"pooling": "mean+max"},
}
ALGORITHMS = {"CBOW": 0, "Skip-Gram": 1}


def word2vec(args, sg: int, **pooling) -> Word2VecVectorizer:
    return Word2VecVectorizer(
        vector_size=args.vector_size,
        window=5,
        min_count=2,
        epochs=args.epochs,
        sg=sg,
        random_state=0,
        **pooling,
    )


def classifier() -> LogisticRegression:
    return LogisticRegression(max_iter=2000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--n-jobs", type=int, default=2, help="folds in parallel")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--vector-size", type=int, default=100)
    args = parser.parse_args()

    reviews = load_movie_reviews()
    X, y = reviews.data, reviews.target
    cv = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=0)
    print(
        f"{len(X)} movie reviews, {args.folds}-fold CV; word2vec vector_size="
        f"{args.vector_size}, window=5, min_count=2, epochs={args.epochs}, one "
        "thread per fit; skw2v vectors -> StandardScaler -> LogisticRegression.",
        flush=True,
    )

    def score(pipeline) -> tuple[float, float, float]:
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # empty-document counts
            scores = cross_val_score(pipeline, X, y, cv=cv, n_jobs=args.n_jobs)
        return scores.mean(), scores.std(), time.perf_counter() - started

    rows = []
    for name, pooling in POOLINGS.items():
        cells = []
        for sg in ALGORITHMS.values():
            pipeline = make_pipeline(
                word2vec(args, sg, **pooling), StandardScaler(), classifier()
            )
            cells.append(score(pipeline))
            print(f"  done: {name}, sg={sg}", flush=True)
        rows.append((name, cells))

    tfidf = score(
        make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), classifier()
        )
    )
    union = FeatureUnion(
        [
            ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ("w2v", word2vec(args, 1, norm="l2")),
        ]
    )
    both = score(make_pipeline(union, classifier()))

    def cell(result) -> str:
        mean, std, seconds = result
        return f"{mean:.3f} ± {std:.3f} ({seconds:4.0f} s)"

    width = 28
    print()
    print(f"| {'features':<{width}} | {'CBOW':<22} | {'Skip-Gram':<22} |")
    print(f"|{'-' * (width + 2)}|{'-' * 24}|{'-' * 24}|")
    for name, (cbow, skipgram) in rows:
        print(f"| {name:<{width}} | {cell(cbow):<22} | {cell(skipgram):<22} |")
    print(f"| {'TF-IDF (1-2 grams)':<{width}} | {cell(tfidf):<22} | {'':<22} |")
    label = "TF-IDF + Skip-Gram mean (l2)"
    print(f"| {label:<{width}} | {'':<22} | {cell(both):<22} |")
    best = max(
        (
            (name, algo, result[0])
            for name, cells in rows
            for algo, result in zip(ALGORITHMS, cells, strict=True)
        ),
        key=lambda item: item[2],
    )
    print(f"\nBest skw2v pooling: {best[0]} with {best[1]} ({best[2]:.3f}).")
    print("Cells: mean accuracy ± standard deviation over folds (wall time).")


if __name__ == "__main__":
    main()
