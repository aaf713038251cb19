"""Speed of skw2v's pooling against the hand-written loop, measured in one run.

The baseline is the loop people write::

    np.mean([wv[w] for w in doc.split() if w in wv], axis=0)   # per document

Both sides pool the same documents over the same vectors (the documents are
pre-tokenized with skw2v's own tokenizer and joined by spaces, so that
``doc.split()`` finds the very same tokens), and the script asserts equal
results to 1e-5 before printing anything. Reported in tokens per second (best of
``--repeat`` runs), for short documents (the movie reviews) and long ones (about
230 tokens: consecutive reviews concatenated), with ``n_jobs=1`` and ``2``:

- tokenize: ``raw text -> tokens`` (skw2v's default tokenizer; the regular
  expression it replaces is shown beside it);
- pool: ``tokens -> vectors``;
- transform: both, what users call. With ``n_jobs=2`` and a batch this large
  (``--copies 5``: over 2 x 2 million characters), ``transform`` tokenizes and
  pools in two worker processes; the pool row shows what threads give.

    python benchmarks/bench_pooling.py
"""

from __future__ import annotations

import argparse
import re
import time

import numpy as np

from skw2v import AvgWord2VecTransformer, Word2VecVectorizer
from skw2v._base import PROCESS_MIN_CHARACTERS
from skw2v._text import DEFAULT_TOKEN_PATTERN
from skw2v.datasets import load_movie_reviews


def best_time(repeat: int, function, *args) -> tuple[float, object]:
    """Return the shortest wall time of ``repeat`` calls, and the last result."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - started)
    return min(times), result


def hand_written_loop(wv, docs):
    return np.array(
        [np.mean([wv[w] for w in doc.split() if w in wv], axis=0) for doc in docs]
    )


def regex_tokenize(docs):
    findall = re.compile(DEFAULT_TOKEN_PATTERN).findall
    return [findall(doc.lower()) for doc in docs]


def measure(name: str, docs: list[str], wv, repeat: int) -> None:
    """Print the rows of one corpus."""
    n_tokens = sum(map(len, map(str.split, docs)))
    label = f"{name}: {len(docs)} x {n_tokens / len(docs):.0f} tok"
    loop_time, expected = best_time(repeat, hand_written_loop, wv, docs)

    def row(what, seconds, n_jobs=""):
        rate = n_tokens / seconds / 1e6
        ratio = loop_time / seconds
        print(f"{label:<22} {what:<28} {n_jobs!s:>6} {rate:8.2f} {ratio:7.1f}x")

    row("hand-written loop", loop_time)
    row("tokenize (regex findall)", best_time(repeat, regex_tokenize, docs)[0])
    pooler = AvgWord2VecTransformer(vectors=wv).fit(docs[:10])
    tokenize_time, (tokens, lengths) = best_time(repeat, pooler._tokenize_flat, docs)
    pool_time, _ = best_time(repeat, pooler._pool_tokens, tokens, lengths)
    row("tokenize (skw2v)", tokenize_time, 1)
    row("pool (tokens -> vectors)", pool_time, 1)
    large = sum(map(len, docs)) >= 2 * PROCESS_MIN_CHARACTERS
    for n_jobs in (1, 2):
        pooler.set_params(n_jobs=n_jobs)
        transform_time, got = best_time(repeat, pooler.transform, docs)
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
        workers = "processes" if n_jobs > 1 and large else "one process"
        row(f"transform in {workers}", transform_time, n_jobs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--copies", type=int, default=5, help="copies of the corpus")
    parser.add_argument("--vector-size", type=int, default=100)
    args = parser.parse_args()

    reviews = load_movie_reviews().data
    vectors = Word2VecVectorizer(
        vector_size=args.vector_size, min_count=2, epochs=1, random_state=0
    ).fit(reviews)
    wv = vectors.wv_
    tokens = regex_tokenize(reviews)
    # Keep the documents with a known word: the loop's mean of nothing is NaN.
    tokens = [doc for doc in tokens if any(w in wv.key_to_index for w in doc)]
    short = [" ".join(doc) for doc in tokens] * args.copies
    per_long = 12  # ~19 tokens per review -> ~230 tokens per long document
    long = [
        " ".join(" ".join(doc) for doc in tokens[start : start + per_long])
        for start in range(0, len(tokens), per_long)
    ] * args.copies
    print(
        f"vectors: {len(wv)} words x {wv.vector_size}, float32; best of "
        f"{args.repeat} runs; 2 cores shared with other work, so figures vary."
    )

    header = (
        f"{'documents':<22} {'what':<28} {'n_jobs':>6} {'Mtok/s':>8} {'vs loop':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, docs in [("short", short), ("long", long)]:
        measure(name, docs, wv, args.repeat)
    print("\nAll skw2v results equal the loop's to 1e-5.")


if __name__ == "__main__":
    main()
