"""Compact tables (float16, int8) against float32: accuracy, speed, memory, digest.

Measured in one run, every compact figure next to float32's:

1. accuracy on the 10,662 movie reviews (``PretrainedEmbeddingVectorizer`` ->
   ``StandardScaler`` -> ``LogisticRegression``, stratified ``--folds``-fold
   CV) over the bundled GloVe-50 table and over a Skip-Gram table trained on
   the reviews (``Word2VecVectorizer``, saved with ``save_word2vec_format``),
   frozen; goal: within 0.3 points of float32;
2. on a table of ``--words`` words x 300 (random rows, the reviews' words
   first; 1,000,000 words by default, 1.2 GB in float32), each step in a fresh
   process as a grid-search worker would run it: the cached reload, the bytes
   of the mapped table and the growth of resident memory once every row has
   been read (the table's pages, shared by all the workers that map it), and
   the transform of the reviews (documents per second, best of 5);
3. the cost of the digest of every byte of a file, which ``load_vectors``
   takes in a thread beside the parse: the parse alone, the parse with the
   digest, and the digest alone, on the same file.

    python benchmarks/bench_compact.py                 # about 10 minutes
    python benchmarks/bench_compact.py --words 200000 --folds 3   # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from pathlib import Path

import numpy as np

DTYPES = ["float32", "float16", "int8"]

CHILD = textwrap.dedent(
    """
    import json, sys, time
    import numpy as np
    path, cache, dtype = sys.argv[1:4]

    def rss_mb():
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * 4096 / 2**20

    from skw2v import PretrainedEmbeddingVectorizer, load_vectors
    from skw2v.datasets import load_movie_reviews
    docs = load_movie_reviews().data
    out = {"base_rss_mb": rss_mb()}
    start = time.perf_counter()
    wv = load_vectors(path, cache_dir=cache, dtype=dtype)
    out["reload_s"] = time.perf_counter() - start
    scales = getattr(wv, "row_scales", np.zeros(0))
    out["mapped_mb"] = (wv.vectors.nbytes + scales.nbytes) / 2**20
    for start in range(0, len(wv.vectors), 65536):  # a value of every row
        float(wv.vectors[start : start + 65536, 0].sum())
    out["table_rss_mb"] = rss_mb() - out["base_rss_mb"]
    vectorizer = PretrainedEmbeddingVectorizer(
        vectors=path, cache_dir=cache, dtype=dtype
    ).fit(docs[:10])
    times = []
    for _ in range(5):
        start = time.perf_counter()
        vectorizer.transform(docs)
        times.append(time.perf_counter() - start)
    out["docs_per_s"] = len(docs) / min(times)
    print(json.dumps(out))
    """
)


def run_child(path: Path, cache: Path, dtype: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(cache), dtype],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"the {dtype} step failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def skip_gram_table(folder: Path, reviews, epochs: int) -> Path:
    """Train Skip-Gram on the reviews and save its table as word2vec binary."""
    from skw2v import Word2VecVectorizer

    vectorizer = Word2VecVectorizer(
        vector_size=100, sg=1, min_count=2, epochs=epochs, random_state=0
    ).fit(reviews.data)
    path = folder / "skipgram.bin"
    vectorizer.wv_.save_word2vec_format(str(path), binary=True)
    return path


def accuracy(path: Path, cache: Path, dtype: str, reviews, folds: int) -> float:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skw2v import PretrainedEmbeddingVectorizer

    pipeline = make_pipeline(
        PretrainedEmbeddingVectorizer(
            vectors=path, cache_dir=cache, dtype=None if dtype == "float32" else dtype
        ),
        StandardScaler(),
        LogisticRegression(max_iter=2000),
    )
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # empty-document counts
        return cross_val_score(pipeline, reviews.data, reviews.target, cv=cv).mean()


def large_table(path: Path, n_words: int, reviews) -> None:
    """Write ``n_words`` x 300 random rows, the reviews' words first."""
    from gensim.models import KeyedVectors

    from skw2v._text import build_tokenizer

    tokenize = build_tokenizer()
    review_words = sorted({t for doc in reviews.data for t in tokenize(doc)})
    words = review_words + [f"w{i}" for i in range(n_words - len(review_words))]
    rng = np.random.default_rng(0)
    kv = KeyedVectors(vector_size=300, count=0)
    kv.add_vectors(words, rng.standard_normal((n_words, 300), dtype=np.float32))
    kv.save_word2vec_format(str(path), binary=True)


def digest_cost(path: Path, repeat: int = 3) -> dict[str, float]:
    """Return the best seconds of a parse of ``path``, alone and with its digest.

    ``load_vectors`` takes the digest in a thread while gensim parses; the
    digest alone is timed too. Alternated, ``repeat`` times each.
    """
    from skw2v._formats import detect_format
    from skw2v._loading import _parse, file_sha256

    fmt, info = detect_format(path)
    steps = {
        "parse": lambda: fmt.parse(path, info, limit=None, verbose=0),
        "parse + digest": lambda: _parse(
            path, fmt, info, limit=None, dtype=None, verbose=0
        ),
        "digest": lambda: file_sha256(path),
    }
    best = dict.fromkeys(steps, float("inf"))
    for _ in range(repeat):
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def print_digest_cost(label: str, path: Path) -> None:
    cost = digest_cost(path)
    extra = cost["parse + digest"] / cost["parse"] - 1
    print(
        f"{label}: parse {cost['parse']:.3f} s, with the digest "
        f"{cost['parse + digest']:.3f} s ({100 * extra:+.1f}%); the digest alone "
        f"{cost['digest']:.3f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=10, help="of the Skip-Gram")
    parser.add_argument("--words", type=int, default=1_000_000)
    args = parser.parse_args()

    from skw2v.datasets import load_glove_50d, load_movie_reviews

    reviews = load_movie_reviews()
    with tempfile.TemporaryDirectory() as tmp:
        folder, cache = Path(tmp), Path(tmp) / "cache"
        tables = {
            "GloVe-50": load_glove_50d(data_home=folder, cache_dir=cache).path,
            "Skip-Gram-100 (trained)": skip_gram_table(folder, reviews, args.epochs),
        }
        print(
            f"Accuracy, {len(reviews.data)} movie reviews, {args.folds}-fold CV "
            "(points: the difference from float32, goal within 0.3)"
        )
        print(f"{'table':<26}" + "".join(f"{dtype:>18}" for dtype in DTYPES))
        for name, path in tables.items():
            scores = {d: accuracy(path, cache, d, reviews, args.folds) for d in DTYPES}
            cells = [
                f"{100 * scores[d]:.2f}"
                + (f" ({100 * (scores[d] - scores['float32']):+.2f})" if i else "")
                for i, d in enumerate(DTYPES)
            ]
            print(f"{name:<26}" + "".join(f"{cell:>18}" for cell in cells))

        path = folder / "large.bin"
        large_table(path, args.words, reviews)
        size_mb = os.path.getsize(path) / 2**20
        print(
            f"\nA table of {args.words:,} words x 300 ({size_mb:,.0f} MB word2vec "
            "binary); each column in a new process, mapping the cache entry"
        )
        for dtype in DTYPES:  # build each entry (parse + write) first
            from skw2v import load_vectors

            load_vectors(path, cache_dir=cache, dtype=dtype)
        runs = {dtype: run_child(path, cache, dtype) for dtype in DTYPES}
        rows = [
            ("cached reload (s)", "reload_s", "{:.3f}"),
            ("mapped table (MB)", "mapped_mb", "{:,.0f}"),
            ("RSS, every row read (MB)", "table_rss_mb", "{:,.0f}"),
            ("transform (documents/s)", "docs_per_s", "{:,.0f}"),
        ]
        print(f"{'':<26}" + "".join(f"{dtype:>18}" for dtype in DTYPES))
        for label, key, form in rows:
            cells = [form.format(runs[dtype][key]) for dtype in DTYPES]
            print(f"{label:<26}" + "".join(f"{cell:>18}" for cell in cells))
        print("\nThe digest of every byte (SHA-256), best of 3:")
        print_digest_cost(f"{args.words:,} x 300 binary", path)
        print_digest_cost("bundled GloVe-50 (50,000 words)", tables["GloVe-50"])


if __name__ == "__main__":
    main()
