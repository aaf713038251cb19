"""Training throughput with one and two threads, from every corpus path gensim has.

For CBOW and Skip-Gram, on a corpus of movie reviews drawn at random (see
``bench_streaming.py``; ``--megabytes`` of text, 60 MB by default), streamed
from disk as a ``LineCorpus`` or held in memory as a list of token lists:

- ``n_jobs=1``: gensim's ``corpus_iterable`` mode, one worker thread (what
  ``Word2VecVectorizer`` does with one thread: bit-identical to gensim);
- ``n_jobs=2, iterable``: the same mode with two worker threads, fed by
  gensim's single job-producer thread (what ``Word2VecVectorizer`` does with
  2 threads on a list);
- ``n_jobs=3, iterable``: one more worker thread than the 2 cores;
- ``n_jobs=2, corpus_file``: the tokens written once, in the counting pass,
  to a temporary file that each worker thread reads its part of (what
  ``Word2VecVectorizer`` does with several threads on a stream, and from 3
  threads on a list).

The rows marked ``<- skw2v`` are the paths the package takes.

Words per second count every training word of every epoch, over the whole
``fit`` (the counting pass and writing the token file included); the last
column compares gensim's training alone (``total_train_time``), which shows
how well the machine ran two threads at the time. Best of
``--repeat`` runs, the contenders alternating so that background load hits
them alike.

    python benchmarks/bench_threads.py [--megabytes 60] [--epochs 3] [--repeat 2]
        [--algorithms CBOW Skip-Gram] [--corpora LineCorpus list]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from bench_streaming import write_corpus

import skw2v._token_file
from skw2v import LineCorpus, Word2VecVectorizer
from skw2v._text import build_tokenizer

#: What decides the path, as the package has it.
FROM_FILE = skw2v._token_file._trains_from_file


def fit(corpus, *, sg: int, epochs: int, n_jobs: int, from_file: bool):
    """Fit with ``n_jobs`` threads; return the seconds of the fit and of
    gensim's training alone, and the words trained."""
    skw2v._token_file._trains_from_file = lambda documents, workers: from_file
    try:
        vectorizer = Word2VecVectorizer(
            sg=sg, epochs=epochs, n_jobs=n_jobs, random_state=0, keep_model=True
        )
        started = time.perf_counter()
        vectorizer.fit(corpus)
        seconds = time.perf_counter() - started
    finally:
        skw2v._token_file._trains_from_file = FROM_FILE
    model = vectorizer.model_
    return seconds, model.total_train_time, model.corpus_total_words * epochs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=60)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--algorithms", nargs="+", choices=["CBOW", "Skip-Gram"], default=None
    )
    parser.add_argument(
        "--corpora", nargs="+", choices=["LineCorpus", "list"], default=None
    )
    args = parser.parse_args()
    paths = [
        ("n_jobs=1", 1, False),
        ("n_jobs=2, iterable", 2, False),
        ("n_jobs=3, iterable", 3, False),
        ("n_jobs=2, corpus_file", 2, True),
    ]
    with tempfile.TemporaryDirectory(prefix="skw2v-bench-") as folder:
        path = Path(folder) / "corpus.txt"
        write_corpus(path, args.megabytes)
        stream = LineCorpus(path)
        in_memory = build_tokenizer().batch(list(stream))
        n_tokens = sum(map(len, in_memory))
        print(
            f"{os.path.getsize(path) / 2**20:.0f} MB of text, {n_tokens / 1e6:.1f}M "
            f"tokens; vector_size 100, epochs {args.epochs}, min_count 5; "
            f"{os.cpu_count()} CPUs; best of {args.repeat}. Words/s over the "
            "whole fit."
        )
        header = (
            f"{'algorithm':<10} {'corpus':<12} {'path':<24} {'words/s':>10} "
            f"{'vs n_jobs=1':>12} {'training only':>14}"
        )
        print(header)
        print("-" * len(header))
        for name, sg in [("CBOW", 0), ("Skip-Gram", 1)]:
            if name not in (args.algorithms or [name]):
                continue
            for corpus_name, corpus in [("LineCorpus", stream), ("list", in_memory)]:
                if corpus_name not in (args.corpora or [corpus_name]):
                    continue
                best: dict[str, float] = {}
                best_training: dict[str, float] = {}
                for _ in range(args.repeat):
                    for label, n_jobs, from_file in paths:
                        seconds, training, words = fit(
                            corpus,
                            sg=sg,
                            epochs=args.epochs,
                            n_jobs=n_jobs,
                            from_file=from_file,
                        )
                        best[label] = max(best.get(label, 0.0), words / seconds)
                        best_training[label] = max(
                            best_training.get(label, 0.0), words / training
                        )
                chosen = (
                    "n_jobs=2, corpus_file"
                    if FROM_FILE(corpus, 2)
                    else ("n_jobs=2, iterable")
                )
                for label, *_ in paths:
                    mark = "  <- skw2v" if label in (chosen, "n_jobs=1") else ""
                    ratio = best[label] / best["n_jobs=1"]
                    alone = best_training[label] / best_training["n_jobs=1"]
                    print(
                        f"{name:<10} {corpus_name:<12} {label:<24} "
                        f"{best[label]:10,.0f} {ratio:11.2f}x {alone:13.2f}x{mark}"
                    )


if __name__ == "__main__":
    main()
