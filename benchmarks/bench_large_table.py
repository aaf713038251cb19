"""``transform`` with ``n_jobs=2`` over a large table: in memory or memory-mapped.

A table of 300,000 words x 300 dimensions (343 MB, float32; random vectors, the
movie reviews' words among them) pools the movie reviews repeated 5 and 20
times (6 and 24 million characters), once with ``n_jobs=1`` and once in two
processes, the table being:

- in memory (a ``KeyedVectors``): joblib copies it to a file on every call;
  the processes are forced here, to show the cost that makes ``transform``
  keep such a batch in one process unless it is larger by 1 character per 20
  bytes of table (``skw2v._parallel.CHARACTERS_PER_BYTE``);
- memory-mapped (``PretrainedEmbeddingVectorizer`` over a word2vec file, read
  from its cache): the workers map the same file.

The settings run alternately, best of ``--repeat``, worker processes started.

    python benchmarks/bench_large_table.py
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from gensim.models import KeyedVectors

import skw2v._parallel
from skw2v import AvgWord2VecTransformer, PretrainedEmbeddingVectorizer
from skw2v._text import build_tokenizer
from skw2v.datasets import load_movie_reviews


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore", UserWarning)  # reviews with no known word
    reviews = load_movie_reviews().data
    vocabulary = sorted({t for doc in build_tokenizer().batch(reviews) for t in doc})
    words = vocabulary + [f"filler{i}" for i in range(300_000 - len(vocabulary))]
    table = KeyedVectors(300)
    vectors = np.random.default_rng(0).normal(size=(len(words), 300))
    table.add_vectors(words, vectors.astype(np.float32))
    folder = Path(tempfile.mkdtemp(prefix="skw2v-bench-"))
    path = folder / "vectors.bin"
    table.save_word2vec_format(path, binary=True)
    print(
        f"table: {len(words)} words x 300, {table.vectors.nbytes / 2**20:.0f} MB; "
        f"best of {args.repeat}; 2 cores shared with other work."
    )
    skw2v._parallel.CHARACTERS_PER_BYTE = 0  # force processes for the table in memory
    settings = {
        "in memory": AvgWord2VecTransformer(vectors=table),
        "memory-mapped": PretrainedEmbeddingVectorizer(vectors=path, cache_dir=folder),
    }
    print(
        f"{'characters':>11} {'table':<14} {'n_jobs=1':>9} {'n_jobs=2':>9} {'gain':>6}"
    )
    for copies in (5, 20):
        docs = [(doc + " ")[:-1] for _ in range(copies) for doc in reviews]
        n_characters = sum(map(len, docs))
        for name, pooler in settings.items():
            serial = pooler.set_params(n_jobs=1).fit(docs[:10])
            parallel = type(serial)(**{**serial.get_params(), "n_jobs": 2})
            parallel.fit(docs[:10]).transform(docs[:100_000])  # start the workers
            times = {1: [], 2: []}
            for _ in range(args.repeat):
                for n_jobs, estimator in [(1, serial), (2, parallel)]:
                    started = time.perf_counter()
                    estimator.transform(docs)
                    times[n_jobs].append(time.perf_counter() - started)
            one, two = min(times[1]), min(times[2])
            print(
                f"{n_characters:>11,} {name:<14} {one:8.2f}s {two:8.2f}s "
                f"{one / two:5.2f}x"
            )


if __name__ == "__main__":
    main()
