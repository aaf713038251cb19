"""Overhead of ``Word2VecVectorizer.fit`` over a direct ``gensim.models.Word2Vec``.

Both train on the same tokenized movie reviews with the same parameters (one
worker thread and a fixed seed, so the script also asserts bit-identical
vectors). Tokenization is timed on its own; the wrapper is timed twice: on the
already tokenized corpus (the wrapper's own overhead) and on raw text (what
users call, tokenization included). Best of ``--repeat`` runs, alternating the
contenders so that background load hits both alike.

    python benchmarks/bench_training.py
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from gensim.models import Word2Vec

from skw2v import Word2VecVectorizer
from skw2v.datasets import load_movie_reviews


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--vector-size", type=int, default=100)
    args = parser.parse_args()

    docs = load_movie_reviews().data
    print(
        f"{len(docs)} movie reviews; vector_size={args.vector_size}, "
        f"epochs={args.epochs}, min_count=2, one worker, seed 0; best of "
        f"{args.repeat} runs."
    )
    header = f"{'algorithm':<10} {'what':<40} {'seconds':>8} {'vs gensim':>10}"
    print(header)
    print("-" * len(header))
    for name, sg in [("CBOW", 0), ("Skip-Gram", 1)]:
        params = {
            "vector_size": args.vector_size,
            "min_count": 2,
            "epochs": args.epochs,
            "sg": sg,
        }
        vectorizer = Word2VecVectorizer(**params, n_jobs=1, random_state=0)
        analyze = vectorizer.build_analyzer()
        times = {"tokenize": [], "gensim": [], "tokens": [], "text": []}
        for _ in range(args.repeat):
            started = time.perf_counter()
            tokens = list(map(analyze, docs))
            times["tokenize"].append(time.perf_counter() - started)

            started = time.perf_counter()
            model = Word2Vec(tokens, **params, workers=1, seed=0)
            times["gensim"].append(time.perf_counter() - started)

            # Fresh string objects, as gensim had: no hash computed in advance.
            tokens = list(map(analyze, docs))
            started = time.perf_counter()
            vectorizer.fit(tokens)
            times["tokens"].append(time.perf_counter() - started)
            np.testing.assert_array_equal(vectorizer.wv_.vectors, model.wv.vectors)

            started = time.perf_counter()
            vectorizer.fit(docs)
            times["text"].append(time.perf_counter() - started)
        best = {key: min(values) for key, values in times.items()}
        rows = [
            ("gensim Word2Vec(tokens)", best["gensim"]),
            ("Word2VecVectorizer.fit(tokens)", best["tokens"]),
            ("Word2VecVectorizer.fit(raw text)", best["text"]),
            ("tokenizing alone (skw2v default)", best["tokenize"]),
        ]
        for what, seconds in rows:
            ratio = f"{seconds / best['gensim']:9.3f}x"
            print(f"{name:<10} {what:<40} {seconds:8.3f} {ratio:>10}")
        overhead = (best["tokens"] - best["gensim"]) / best["tokens"]
        print(f"{name:<10} wrapper overhead: {overhead:+.1%} of the fit's wall time")
    print("\nVectors of the wrapper and of gensim are bit-identical.")


if __name__ == "__main__":
    main()
