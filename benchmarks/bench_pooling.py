"""Speed of skw2v's pooling against the hand-written loop, measured in one run.

The baseline is the loop people write::

    np.mean([wv[w] for w in doc.split() if w in wv], axis=0)   # per document

Both sides pool the same documents over the same vectors (the documents are
pre-tokenized with skw2v's own tokenizer and joined by spaces, so that
``doc.split()`` finds the very same tokens), and the script asserts equal
results to 1e-5 before printing anything. Reported in tokens per second (best of
``--repeat`` runs), for short documents (the movie reviews) and long ones (about
230 tokens: consecutive reviews concatenated), with ``n_jobs=1`` and ``2``:

- tokenize: ``raw text -> tokens`` (skw2v's default tokenizer, into one flat
  list as ``transform`` does; the regular expression it replaces is shown
  beside it);
- pool: ``tokens -> vectors``;
- transform: both, what users call. With ``n_jobs=2`` and a batch this large
  (``--copies 5``: over 2 x 2 million characters), ``transform`` tokenizes and
  pools in two worker processes.

A second table shows the gain from the second core on a larger batch
(``--large-copies``, 4x the first), with the worker processes already started
(best of ``--repeat``) and on a first call, which starts them.

    python benchmarks/bench_pooling.py
"""

from __future__ import annotations

import argparse
import re
import time

import numpy as np
from joblib.externals.loky import get_reusable_executor
from sklearn.base import clone

from skw2v import AvgWord2VecTransformer, Word2VecVectorizer
from skw2v._parallel import PROCESS_MIN_CHARACTERS
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


def copies(docs: list[str], n: int) -> list[str]:
    """Repeat ``docs`` ``n`` times as distinct string objects.

    ``docs * n`` would repeat the same objects, which pickle (and so travel to
    worker processes) once per object, flattering ``n_jobs > 1``.
    """
    return [(doc + " ")[:-1] for _ in range(n) for doc in docs]


def hand_written_loop(wv, docs):
    return np.array(
        [np.mean([wv[w] for w in doc.split() if w in wv], axis=0) for doc in docs]
    )


def regex_tokenize(docs):
    findall = re.compile(DEFAULT_TOKEN_PATTERN).findall
    return [findall(doc.lower()) for doc in docs]


def measure(name: str, docs: list[str], wv, repeat: int) -> float:
    """Print the rows of one corpus; return the loop's seconds per token.

    Every contender runs once per round, for ``repeat`` rounds, and keeps its
    best time: a burst of load on the shared machine touches all of them alike.
    """
    n_tokens = sum(map(len, map(str.split, docs)))
    label = f"{name}: {len(docs)} x {n_tokens / len(docs):.0f} tok"
    serial = AvgWord2VecTransformer(vectors=wv).fit(docs[:10])
    parallel = clone(serial).set_params(n_jobs=2).fit(docs[:10])
    tokens, lengths = serial._tokenizer().documents_flat(docs)
    large = sum(map(len, docs)) >= 2 * PROCESS_MIN_CHARACTERS
    contenders = {
        ("hand-written loop", ""): lambda: hand_written_loop(wv, docs),
        ("tokenize (regex findall)", ""): lambda: regex_tokenize(docs),
        ("tokenize (skw2v)", 1): lambda: serial._tokenizer().documents_flat(docs),
        ("pool (tokens -> vectors)", 1): lambda: serial._pool_resolved(
            *serial._word_table().resolve(tokens, lengths)
        ),
        ("transform in one process", 1): lambda: serial.transform(docs),
        (f"transform in {'2 processes' if large else 'one process'}", 2): (
            lambda: parallel.transform(docs)
        ),
    }
    times = {key: [] for key in contenders}
    results = {}
    for _ in range(repeat):
        for key, function in contenders.items():
            seconds, results[key] = best_time(1, function)
            times[key].append(seconds)
    expected = results["hand-written loop", ""]
    for key, result in results.items():
        if key[0].startswith("transform"):
            np.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-5)
    loop_time = min(times["hand-written loop", ""])
    for (what, n_jobs), seconds in times.items():
        rate = n_tokens / min(seconds) / 1e6
        ratio = loop_time / min(seconds)
        print(f"{label:<22} {what:<28} {n_jobs!s:>6} {rate:8.2f} {ratio:7.1f}x")
    return loop_time / n_tokens


def second_core(name: str, docs: list[str], wv, repeat: int, loop_rate) -> None:
    """Print n_jobs=1 against n_jobs=2 on a large batch, started and cold.

    The two settings run alternately, ``repeat`` times each, so that a change
    in the load of the shared machine touches both alike.
    """
    n_tokens = sum(map(len, map(str.split, docs)))
    label = f"{name}: {len(docs)} x {n_tokens / len(docs):.0f} tok"
    serial = AvgWord2VecTransformer(vectors=wv).fit(docs[:10])
    parallel = clone(serial).set_params(n_jobs=2).fit(docs[:10])
    get_reusable_executor().shutdown(wait=True)  # no worker process running
    cold, got = best_time(1, parallel.transform, docs)
    times = {1: [], 2: []}
    for _ in range(repeat):
        for n_jobs, pooler in [(1, serial), (2, parallel)]:
            seconds, got = best_time(1, pooler.transform, docs)
            times[n_jobs].append(seconds)
    np.testing.assert_array_equal(got, serial.transform(docs))
    one, two = min(times[1]), min(times[2])
    for what, seconds in [
        ("n_jobs=1", one),
        ("n_jobs=2, processes started", two),
        ("n_jobs=2, first call (starts them)", cold),
    ]:
        print(
            f"{label:<22} {what:<36} {n_tokens / seconds / 1e6:8.2f} "
            f"{loop_rate / (seconds / n_tokens):7.1f}x {one / seconds:7.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=5, help="copies of the corpus")
    parser.add_argument("--large-copies", type=int, default=20)
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
    short_once = [" ".join(doc) for doc in tokens]
    per_long = 12  # ~19 tokens per review -> ~230 tokens per long document
    long_once = [
        " ".join(" ".join(doc) for doc in tokens[start : start + per_long])
        for start in range(0, len(tokens), per_long)
    ]
    short, long = copies(short_once, args.copies), copies(long_once, args.copies)
    short_large = copies(short_once, args.large_copies)
    long_large = copies(long_once, args.large_copies)
    print(
        f"vectors: {len(wv)} words x {wv.vector_size}, float32; best of "
        f"{args.repeat} runs; 2 cores shared with other work, so figures vary."
    )

    header = (
        f"{'documents':<22} {'what':<28} {'n_jobs':>6} {'Mtok/s':>8} {'vs loop':>8}"
    )
    print(header)
    print("-" * len(header))
    corpora = {"short": (short, short_large), "long": (long, long_large)}
    loop_rates = {
        name: measure(name, docs, wv, args.repeat)
        for name, (docs, _) in corpora.items()
    }
    print("\nAll skw2v results equal the loop's to 1e-5.\n")
    header = (
        f"{'documents':<22} {'transform':<36} {'Mtok/s':>8} {'vs loop':>8} "
        f"{'vs 1 job':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, (_, docs) in corpora.items():
        second_core(name, docs, wv, 2 * args.repeat + 1, loop_rates[name])


if __name__ == "__main__":
    main()
