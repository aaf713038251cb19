"""Where transform's time goes, per token: each step of the default path, timed apart.

A guide for making ``transform`` faster. On the movie reviews repeated 5 times
(about 1 million tokens; ``--long`` concatenates 12 reviews per document), it
times each step of "raw text -> pooled rows" as ``transform`` runs it with
``n_jobs=1`` and the default tokenizer, then ``transform`` itself, whose time is
about the sum of the steps. Beside them: building one token list per document,
the step that the fused path avoids.

    python benchmarks/bench_token_costs.py [--long]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

from skw2v import AvgWord2VecTransformer, Word2VecVectorizer
from skw2v._pooling import pool_ids
from skw2v._text import _STRAY_APOSTROPHE, _DefaultTokenizer, _tokens_per_line
from skw2v._vectors import token_ids
from skw2v.datasets import load_movie_reviews


def best(function, repeat_count: int = 5):
    """Return the shortest time of a few calls, and the last result."""
    times, result = [], None
    for _ in range(repeat_count):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true", help="12 reviews per document")
    args = parser.parse_args()
    reviews = load_movie_reviews().data
    docs = reviews
    if args.long:
        docs = [" ".join(reviews[i : i + 12]) for i in range(0, len(reviews), 12)]
    docs = docs * 5
    wv = Word2VecVectorizer(vector_size=100, min_count=2, epochs=1, random_state=0)
    wv = wv.fit(reviews).wv_
    tokenizer = _DefaultTokenizer(lowercase=True)
    ascii_docs = [doc for doc in docs if doc.isascii()]

    steps = {}
    steps["join + bytes.translate (ASCII documents)"], _ = best(
        lambda: (
            "\0".join(ascii_docs).encode().translate(tokenizer._joined_table).decode()
        )
    )
    steps["clean non-ASCII documents"], _ = best(
        lambda: [tokenizer._clean(doc) for doc in docs if not doc.isascii()]
    )
    joined = "\0".join(doc if doc.isascii() else tokenizer._clean(doc) for doc in docs)
    joined = joined.encode().translate(tokenizer._joined_table).decode()
    steps["stray-apostrophe substitution"], text = best(
        lambda: _STRAY_APOSTROPHE(" ", joined)
    )
    steps["one flat split"], tokens = best(text.split)
    steps["document lengths (numpy on the bytes)"], lengths = best(
        lambda: _tokens_per_line(text)
    )
    steps["ids: dict lookups via map"], ids = best(
        lambda: token_ids(tokens, wv.key_to_index)
    )
    steps["pool ids: CSR x table (mean)"], _ = best(
        lambda: pool_ids(ids, lengths, wv.vectors)
    )
    n_tokens = len(tokens)
    total = sum(steps.values())
    pooler = AvgWord2VecTransformer(vectors=wv).fit(docs[:10])
    with warnings.catch_warnings():  # the few reviews with no known word
        warnings.simplefilter("ignore", UserWarning)
        transform_time, _ = best(lambda: pooler.transform(docs))
    per_document, _ = best(lambda: list(map(str.split, text.split("\n"))))

    print(f"{len(docs)} documents, {n_tokens} tokens; best of 5 runs")
    for name, seconds in steps.items():
        print(f"{name:<40} {seconds * 1e9 / n_tokens:7.1f} ns/token")
    print(f"{'sum of the steps':<40} {total * 1e9 / n_tokens:7.1f} ns/token")
    print(
        f"{'transform, n_jobs=1':<40} {transform_time * 1e9 / n_tokens:7.1f} ns/token"
    )
    print(
        f"{'(not done: a token list per document)':<40} "
        f"{per_document * 1e9 / n_tokens:7.1f} ns/token"
    )
    assert np.sum(lengths) == n_tokens


if __name__ == "__main__":
    main()
