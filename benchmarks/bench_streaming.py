"""Training from a corpus streamed from disk against the same corpus in a list.

Writes a corpus file of ``--megabytes`` MB (300 by default): new documents
made of three movie reviews drawn at random (with replacement), one per line.
Then, each in a fresh child process, so that its peak memory is its own:

- ``LineCorpus``: ``Word2VecVectorizer(epochs=1).fit(LineCorpus(path))``, the
  corpus read and tokenized a batch at a time, on every pass;
- ``LineCorpus, n_jobs=2``: the same with two threads, trained from the token
  file written in the counting pass (``corpus_file``);
- ``list``: the documents read into a list first, as most code does.

Each child prints its peak resident memory (``resource.getrusage``), its time
and the size of the trained table; the rows below are side by side, in one run.

    python benchmarks/bench_streaming.py [--megabytes 300]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CHILD = """
import json, resource, sys, time
from skw2v import LineCorpus, Word2VecVectorizer

path, how, n_jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
started = time.perf_counter()
corpus = LineCorpus(path)
if how == "list":
    corpus = list(corpus)
vectorizer = Word2VecVectorizer(epochs=1, n_jobs=n_jobs, random_state=0).fit(corpus)
seconds = time.perf_counter() - started
wv = vectorizer.wv_
print(json.dumps({
    "seconds": seconds,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "words": len(wv),
    "table_mb": wv.vectors.nbytes / 2**20,
}))
"""


def write_corpus(path: Path, megabytes: float, seed: int = 0) -> int:
    """Write random triples of movie reviews, one per line; return the lines."""
    from skw2v.datasets import load_movie_reviews

    reviews = [doc.replace("\n", " ") for doc in load_movie_reviews().data]
    rng = np.random.default_rng(seed)
    target = megabytes * 2**20
    written = lines = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < target:
            picks = rng.integers(len(reviews), size=(10_000, 3))
            block = "".join(
                f"{reviews[a]} {reviews[b]} {reviews[c]}\n" for a, b, c in picks
            )
            out.write(block)
            written += len(block.encode())
            lines += len(picks)
    return lines


def run_child(path: Path, how: str, n_jobs: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), how, str(n_jobs)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="skw2v-bench-") as folder:
        path = Path(folder) / "corpus.txt"
        started = time.perf_counter()
        lines = write_corpus(path, args.megabytes)
        size = os.path.getsize(path) / 2**20
        print(
            f"corpus: {size:.0f} MB, {lines:,} lines of three movie reviews each, "
            f"written in {time.perf_counter() - started:.0f} s. CBOW, vector_size "
            f"100, min_count 5, epochs 1, random_state 0; {os.cpu_count()} CPUs."
        )
        header = (
            f"{'corpus given as':<24} {'peak RSS MB':>12} {'seconds':>9} "
            f"{'words':>8} {'table MB':>9}"
        )
        print(header)
        print("-" * len(header))
        results = {}
        for label, how, n_jobs in [
            ("LineCorpus", "stream", 1),
            ("LineCorpus, n_jobs=2", "stream", 2),
            ("list of str", "list", 1),
        ]:
            results[label] = result = run_child(path, how, n_jobs)
            print(
                f"{label:<24} {result['peak_mb']:12.0f} {result['seconds']:9.1f} "
                f"{result['words']:8,} {result['table_mb']:9.1f}"
            )
    ratio = results["list of str"]["peak_mb"] / results["LineCorpus"]["peak_mb"]
    print(f"\nThe list needs {ratio:.1f}x the memory of the stream (goal: >= 5x).")


if __name__ == "__main__":
    main()
