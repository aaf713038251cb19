"""``Word2VecVectorizer(memory=...)``: train once, reuse the vectors everywhere.

A grid search retrains word2vec for every candidate and fold, even when the
candidates differ only in how the vectors are pooled. With ``memory`` the
trained vectors are stored in a cache entry keyed by everything that changes
training: the model, its hyperparameters, the seed, the training tokens (so the
tokenizer and the fold) and the ``init_vectors``. A later fit with the same
key maps the entry instead of training.

The entries are cache entries of the "vectors" layout (``_cache.py``): data
only (``.npy`` and JSON, never a pickle), built in a temporary directory and
renamed into place, checked when read (a damaged entry is rebuilt, with a
warning), and memory-mapped, so that the worker processes of a grid search
share one copy in the page cache. While one process trains an entry, the
others that need the same one wait for it, under a file lock.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from pathlib import Path

import gensim
import numpy as np
from gensim.models import KeyedVectors

from ._cache import CACHE_VERSION, build_lock, discard, read_entry, write_entry
from ._loading import source_fingerprint
from ._models import ModelSpec
from ._vectors import as_keyed_vectors
from ._warnings import warn_user


def memory_location(memory) -> Path | None:
    """Return the directory of ``memory`` (None, a path or a ``joblib.Memory``).

    A ``joblib.Memory`` lends only its directory (``location``): the entries
    are skw2v's own, data-only format, not joblib's pickles.
    """
    if memory is None:
        return None
    if isinstance(memory, (str, os.PathLike)):
        return Path(memory)
    location = getattr(memory, "location", None)
    return None if location is None else Path(location)


def _tokens_digest(tokens: Iterable[Sequence[str]]) -> tuple[str, int]:
    """Digest the training tokens (any restartable corpus: one more pass).

    The documents' token counts and the tokens' lengths are digested with the
    text, so that no two different corpora share the text of their tokens.
    Returns the digest and the number of documents.
    """
    digest = hashlib.blake2b(digest_size=20)
    batch: list[Sequence[str]] = []
    n_documents = 0

    def update() -> None:
        words = list(chain.from_iterable(batch))
        digest.update(np.fromiter(map(len, batch), np.int64, len(batch)).tobytes())
        digest.update(np.fromiter(map(len, words), np.int64, len(words)).tobytes())
        digest.update("".join(words).encode("utf-8", "surrogatepass"))

    for doc in tokens:
        batch.append(doc)
        if len(batch) == 8192:
            update()
            n_documents += len(batch)
            batch = []
    update()
    return digest.hexdigest(), n_documents + len(batch)


def _vectors_fingerprint(vectors) -> dict | None:
    """Describe ``init_vectors``: a file by its path and contents, a table by data.

    A static model's folder is described by each of its files.
    """
    if vectors is None:
        return None
    if isinstance(vectors, (str, os.PathLike)):
        path = Path(vectors).resolve()
        return {"path": str(path), **source_fingerprint(path)}
    wv = as_keyed_vectors(vectors, name="init_vectors")
    digest = hashlib.blake2b(digest_size=20)
    digest.update(np.ascontiguousarray(wv.vectors).tobytes())
    digest.update("\n".join(wv.index_to_key).encode("utf-8", "surrogatepass"))
    return {"table": digest.hexdigest(), "shape": list(wv.vectors.shape)}


def cached_training(
    spec: ModelSpec,
    location: Path,
    tokens: Iterable[Sequence[str]],
    parameters: dict,
    train: Callable[[], tuple[KeyedVectors, int | None]],
) -> tuple[KeyedVectors, int | None]:
    """Return the vectors ``train()`` gives, trained once per key.

    ``spec`` is the model trained: its name is part of the key, and its
    ``cache_layout`` says what the entry holds (the n-gram vectors of a
    fastText model too). ``parameters`` holds everything besides the tokens
    that changes training (JSON-serializable; ``init_vectors`` as given).
    ``train`` returns the vectors and how many words started from
    ``init_vectors``.
    """
    digest, n_documents = _tokens_digest(tokens)
    key = {
        "model": spec.name,
        **{k: v for k, v in parameters.items() if k != "init_vectors"},
        "init_vectors": _vectors_fingerprint(parameters.get("init_vectors")),
        "tokens": digest,
        "n_documents": n_documents,
        "gensim": gensim.__version__,
    }
    key_digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()
    manifest = {
        "version": CACHE_VERSION,
        "kind": f"trained {spec.name}",
        "key": key_digest[:32],
        "layout": spec.cache_layout,
    }
    folder = location / f"skw2v-trained-v{CACHE_VERSION}" / manifest["key"]
    entry = folder / "entry"
    with build_lock(folder):  # one process trains; the others wait, then map
        wv = read_entry(entry, manifest)
        if wv is not None:
            n_initialized = _read_manifest(entry).get("n_initialized")
            if n_initialized is None or type(n_initialized) is int:
                return wv, n_initialized
            discard(entry, "its count of initialized words is not an integer")
        wv, n_initialized = train()
        try:
            write_entry(entry, {**manifest, "n_initialized": n_initialized}, wv)
        except OSError as exc:
            warn_user(
                f"Could not write to memory={str(location)!r} ({exc}); the trained "
                "vectors are used without being cached."
            )
            return wv, n_initialized
    mapped = read_entry(entry, manifest)
    return (wv if mapped is None else mapped), n_initialized


def _read_manifest(entry: Path) -> dict:
    return json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
