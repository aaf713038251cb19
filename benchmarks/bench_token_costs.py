"""Where transform's time goes, per token: the steps of the default path, timed apart.

A guide for making ``transform`` faster (issue 4's 5x target): it times, on the
movie reviews repeated 5 times (about 1 million tokens), each step of
"raw text -> token ids" as the default tokenizer and the pooling engine do it,
next to the alternatives a fused path would use (one flat ``split`` of the whole
batch instead of one list per document).

    python benchmarks/bench_token_costs.py
"""

from __future__ import annotations

import time
from itertools import chain, repeat

import numpy as np

from skw2v import Word2VecVectorizer
from skw2v._text import _STRAY_APOSTROPHE, _DefaultTokenizer
from skw2v.datasets import load_movie_reviews


def best(function, repeat_count: int = 3):
    """Return the shortest time of a few calls, and the last result."""
    times, result = [], None
    for _ in range(repeat_count):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    docs = load_movie_reviews().data * 5
    vectorizer = Word2VecVectorizer(vector_size=100, min_count=1, epochs=1)
    key_to_index = vectorizer.fit(docs[:10662]).wv_.key_to_index
    table = _DefaultTokenizer(lowercase=True)._table
    n_tokens = sum(len(doc.split()) for doc in docs)

    steps = {}
    steps["translate + join"], text = best(
        lambda: "\n".join(map(str.translate, docs, repeat(table)))
    )
    steps["stray-apostrophe sub"], text = best(lambda: _STRAY_APOSTROPHE(" ", text))
    steps["split per document (lists)"], per_doc = best(
        lambda: list(map(str.split, text.split("\n")))
    )
    steps["split flat (one list)"], flat = best(text.split)
    steps["ids from flat tokens"], _ = best(
        lambda: np.fromiter(
            map(key_to_index.get, flat, repeat(-1)), np.int64, len(flat)
        )
    )
    steps["ids from per-document lists"], _ = best(
        lambda: np.fromiter(
            map(key_to_index.get, chain.from_iterable(per_doc), repeat(-1)),
            np.int64,
            len(flat),
        )
    )
    steps["document lengths"], _ = best(
        lambda: np.fromiter(map(len, per_doc), np.int64, len(per_doc))
    )
    print(f"{len(docs)} documents, {n_tokens} tokens")
    for name, seconds in steps.items():
        print(f"{name:<30} {seconds * 1e9 / n_tokens:7.1f} ns/token")


if __name__ == "__main__":
    main()
