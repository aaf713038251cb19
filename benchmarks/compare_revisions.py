"""Benchmark: this checkout against another revision, on the hot paths, in one run.

For a change that must not make skw2v slower (a redesign), this prints the
figures of both trees side by side: the revision given by ``--base`` is
checked out into a temporary git worktree, and every measurement runs in a
fresh process per tree (``PYTHONPATH`` points at the tree), the two trees
alternating round after round so that a change in the machine's load touches
both alike. Each figure is the best of ``--repeat`` rounds.

- pooling: ``transform`` of short (~19 tokens) and long (~230 tokens)
  movie-review documents over a trained 100-d table, one process; and
  ``fit_transform`` with SIF weights and one component removed;
- the cached pretrained reload: a word2vec binary of ``--words`` x 300 is
  parsed once per tree into its own cache, then ``load_vectors`` and
  ``PretrainedEmbeddingVectorizer.fit`` on the 10,662 reviews run from the
  cache in new processes (what each grid-search worker pays).

Run: ``python benchmarks/compare_revisions.py --base main~3``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent(
    """
    import json, sys, time
    step, workdir = sys.argv[1:3]
    import numpy as np
    from skw2v import (
        AvgWord2VecTransformer, PretrainedEmbeddingVectorizer, Word2VecVectorizer,
        load_vectors,
    )
    from skw2v.datasets import load_movie_reviews

    reviews = load_movie_reviews().data
    path, cache = f"{workdir}/vectors.bin", f"{workdir}/cache-{sys.argv[3]}"

    def best(function, repeat=3):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
        return min(times)

    out = {}
    if step == "pooling":
        from gensim.models import KeyedVectors
        wv = KeyedVectors.load(f"{workdir}/table.kv")
        short = reviews * 5
        long = [" ".join(reviews[i : i + 12]) for i in range(0, len(reviews), 12)] * 5
        pooler = AvgWord2VecTransformer(vectors=wv).fit(reviews[:10])
        weighted = AvgWord2VecTransformer(
            vectors=wv, weighting="sif", remove_components=1
        )
        for name, docs in (("short", short), ("long", long)):
            n_tokens = sum(map(len, map(str.split, docs)))
            seconds = best(lambda: pooler.transform(docs))
            out[f"transform, {name} documents (Mtok/s)"] = n_tokens / seconds / 1e6
        n_tokens = sum(map(len, map(str.split, short)))
        seconds = best(lambda: weighted.fit_transform(short))
        out["fit_transform SIF + 1 component (Mtok/s)"] = n_tokens / seconds / 1e6
    elif step == "first":
        load_vectors(path, cache_dir=cache)
    elif step == "cached":
        start = time.perf_counter()
        load_vectors(path, cache_dir=cache)
        out["cached load_vectors, new process (s)"] = time.perf_counter() - start
    elif step == "fit":
        start = time.perf_counter()
        PretrainedEmbeddingVectorizer(vectors=path, cache_dir=cache).fit(reviews)
        out["cached vectorizer fit, new process (s)"] = time.perf_counter() - start
    print(json.dumps(out))
    """
)


def run(tree: Path, step: str, workdir: str, label: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, step, workdir, label],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"{step} failed in {tree}:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def write_inputs(workdir: str, n_words: int) -> None:
    """The trained 100-d table for pooling, and a word2vec binary to load."""
    import numpy as np
    from gensim.models import KeyedVectors

    from skw2v import Word2VecVectorizer
    from skw2v.datasets import load_movie_reviews

    reviews = load_movie_reviews().data
    trained = Word2VecVectorizer(min_count=2, epochs=1, random_state=0).fit(reviews)
    trained.wv_.save(f"{workdir}/table.kv")
    words = list(trained.wv_.index_to_key)
    words += [f"w{i}" for i in range(n_words - len(words))]
    rng = np.random.default_rng(0)
    table = KeyedVectors(vector_size=300, count=0)
    table.add_vectors(words, rng.standard_normal((n_words, 300), dtype=np.float32))
    table.save_word2vec_format(f"{workdir}/vectors.bin", binary=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="revision to compare with")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--words", type=int, default=300_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="skw2v-compare-") as workdir:
        base = Path(workdir) / "base"
        subprocess.run(
            [
                "git",
                "-C",
                str(ROOT),
                "worktree",
                "add",
                "--detach",
                "-q",
                base,
                args.base,
            ],
            check=True,
        )
        try:
            write_inputs(workdir, args.words)
            trees = {"base": base, "this": ROOT}
            for label, tree in trees.items():
                run(tree, "first", workdir, label)  # parse once: build the cache
            best: dict[str, dict[str, float]] = {label: {} for label in trees}
            for _ in range(args.repeat):
                for step in ("pooling", "cached", "fit"):
                    for label, tree in trees.items():
                        for what, value in run(tree, step, workdir, label).items():
                            keep = max if "Mtok/s" in what else min
                            best[label][what] = keep(
                                value, best[label].get(what, value)
                            )
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", base],
                check=False,
            )
    revision = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    print(
        f"base {args.base} against this checkout ({revision}, with its uncommitted "
        f"changes); best of {args.repeat} rounds; {args.words:,} x 300 table; "
        f"{os.cpu_count()} CPUs"
    )
    # Speed: above 1 is faster here, for rates and for seconds alike.
    header = f"{'what':<44}{'base':>10}{'this':>10}{'speed':>11}"
    print(header)
    print("-" * len(header))
    for what, old in best["base"].items():
        new = best["this"][what]
        speed = new / old if "Mtok/s" in what else old / new
        print(f"{what:<44}{old:>10.3f}{new:>10.3f}{speed:>10.2f}x")


if __name__ == "__main__":
    main()
