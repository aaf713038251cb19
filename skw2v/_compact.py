"""Compact tables: word vectors stored in float16, or in int8 with a scale per row.

``load_vectors(..., dtype=...)`` keeps a table in one of ``DTYPES``. A 3M x 300
table (the Google News vectors) takes 3.6 GB in float32, 1.8 GB in float16 and
0.9 GB in int8.

- float16 is a plain gensim ``KeyedVectors`` whose ``vectors`` are float16.
- int8 is symmetric quantization, one float32 scale per row: row ``i`` is
  ``vectors[i] * row_scales[i]``, with ``row_scales[i] = max |row i| / 127``.
  ``QuantizedKeyedVectors`` keeps gensim's interface: ``wv["word"]`` and
  ``get_vector`` give the scaled float32 row, and the norms behind
  ``most_similar`` are those of the stored rows (a row's scale does not change
  its direction, so the cosine similarities are those of the scaled rows).

Pooling never converts a compact table as a whole: it converts the rows a
chunk of documents uses (``float_rows``), and accumulates in float32
(``skw2v/_pooling.py``).
"""

from __future__ import annotations

import numpy as np
from gensim.models import KeyedVectors

#: The dtypes a table can be kept in, by name; None keeps the file's.
DTYPES = {"float32": np.float32, "float16": np.float16, "int8": np.int8}

#: Rows converted at a time, so that a large table is never copied whole in
#: float32 while it is made compact (65536 rows of 300 floats are 75 MiB).
ROWS_PER_BLOCK = 65536

#: The arrays of a table (a fastText one has all three) that float16 converts.
_FLOAT_ARRAYS = ("vectors", "vectors_vocab", "vectors_ngrams")

#: The largest stored value of an int8 row (symmetric: -127..127).
_INT8_MAX = 127


class QuantizedKeyedVectors(KeyedVectors):
    """A ``KeyedVectors`` stored in int8, with one float32 scale per row.

    ``vectors`` holds the int8 rows and ``row_scales`` their scales; the
    vector of row ``i`` is ``vectors[i] * row_scales[i]``, which
    ``get_vector`` (and so ``wv[word]``) returns, in float32.
    """

    row_scales: np.ndarray

    def get_vector(self, key, norm=False):
        """Return the (scaled, float32) vector of ``key``, unit length if ``norm``."""
        index = self.get_index(key)
        row = np.asarray(self.vectors[index], dtype=np.float32)
        if norm:
            self.fill_norms()
            return row / self.norms[index]
        return row * self.row_scales[index]

    def get_mean_vector(
        self,
        keys,
        weights=None,
        pre_normalize=True,
        post_normalize=False,
        ignore_missing=True,
    ):
        """Return gensim's mean vector of ``keys``, added up in float32.

        gensim adds up in the table's dtype, int8 here: the mean is that of a
        float32 table of the (scaled) rows of ``keys``.
        """
        keys = [
            self.index_to_key[key] if isinstance(key, (int, np.integer)) else key
            for key in keys
        ]
        words = [k for k in dict.fromkeys(keys) if isinstance(k, str) and k in self]
        rows = float_rows(self, np.fromiter(map(self.get_index, words), np.int64))
        table = KeyedVectors(self.vector_size, count=0)
        table.add_vectors(words, rows)
        return table.get_mean_vector(
            keys, weights, pre_normalize, post_normalize, ignore_missing
        )

    def fill_norms(self, force=False):
        """Compute the norms of the stored rows, a block of rows at a time."""
        if self.norms is None or force:
            self.norms = np.concatenate(
                [
                    np.linalg.norm(block.astype(np.float32), axis=1)
                    for block in _blocks(self.vectors)
                ]
                or [np.zeros(0, np.float32)]
            )


def _blocks(vectors: np.ndarray):
    for start in range(0, len(vectors), ROWS_PER_BLOCK):
        yield vectors[start : start + ROWS_PER_BLOCK]


def quantize(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the int8 rows and float32 scales of ``vectors`` (see the module).

    Each row is divided by its scale, ``max |row| / 127``, and rounded to the
    nearest integer, so that no stored value is off by more than half a
    scale. An all-zero row keeps a scale of 0.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2v._compact import quantize
    >>> rows, scales = quantize(np.array([[0.5, -1.0], [0.0, 0.0]], np.float32))
    >>> rows
    array([[  64, -127],
           [   0,    0]], dtype=int8)
    >>> scales * 127
    array([1., 0.], dtype=float32)
    """
    rows = np.empty(vectors.shape, dtype=np.int8)
    scales = np.empty(len(vectors), dtype=np.float32)
    for start in range(0, len(vectors), ROWS_PER_BLOCK):
        block = np.asarray(vectors[start : start + ROWS_PER_BLOCK], dtype=np.float32)
        scale = np.abs(block).max(axis=1, initial=0) / _INT8_MAX
        divided = block / np.where(scale > 0, scale, 1)[:, None]
        rows[start : start + len(block)] = np.clip(
            np.rint(divided), -_INT8_MAX, _INT8_MAX
        )
        scales[start : start + len(block)] = scale
    return rows, scales


def row_scales(wv: KeyedVectors) -> np.ndarray | None:
    """Return the scale of each row of an int8 table, None for a float one."""
    return getattr(wv, "row_scales", None)


def float_rows(wv: KeyedVectors, rows: np.ndarray) -> np.ndarray:
    """Return rows of ``wv.vectors`` as float32 vectors (scaled, for int8)."""
    vectors = np.asarray(wv.vectors[rows], dtype=np.float32)
    scales = row_scales(wv)
    if scales is not None:
        vectors *= scales[rows, None]
    return vectors


def compact_layout(layout: str | None, dtype: str | None, name: str) -> str | None:
    """Return the cache layout of a table of ``layout`` kept in ``dtype``.

    An int8 table is of the ``"quantized"`` layout (its rows, and their
    scales). A fastText model cannot be int8: its vectors of unseen words are
    sums of subword rows, which would each need their own scale. ``name``
    names the table in errors.
    """
    if dtype != "int8":
        return layout
    if layout == "fasttext":
        raise ValueError(
            f"dtype='int8' cannot be used with the fastText model {name}: "
            "the vectors of words it never saw are sums of its subword rows. Use "
            "dtype='float16' (half the memory), or load its .vec file (words "
            "only) with dtype='int8'."
        )
    return "quantized"


def compact_table(kv: KeyedVectors, dtype: str | None, *, name: str) -> KeyedVectors:
    """Return ``kv`` kept in ``dtype`` (one of ``DTYPES``); None keeps it as it is.

    The words (and their counts) are shared with ``kv``, the arrays are new.
    ``name`` names the table in errors.
    """
    if dtype is None or kv.vectors.dtype == DTYPES[dtype]:
        return kv
    if dtype == "int8":
        if getattr(kv, "bucket", 0):
            compact_layout("fasttext", dtype, name)  # raises
        compact = QuantizedKeyedVectors(kv.vector_size, count=0, dtype=np.int8)
        compact.vectors, compact.row_scales = quantize(kv.vectors)
        compact.index_to_key = kv.index_to_key
        compact.key_to_index = kv.key_to_index
        compact.expandos = kv.expandos
        return compact
    if dtype == "float16":
        _check_float16_range(kv, name)
    compact = type(kv).__new__(type(kv))
    compact.__dict__.update(kv.__dict__)
    compact.norms = None
    for array in _FLOAT_ARRAYS:
        if getattr(kv, array, None) is not None:
            setattr(compact, array, _converted(getattr(kv, array), DTYPES[dtype]))
    return compact


def _converted(vectors: np.ndarray, dtype) -> np.ndarray:
    """Return ``vectors`` converted to ``dtype``, a block of rows at a time."""
    converted = np.empty(vectors.shape, dtype=dtype)
    for start in range(0, len(vectors), ROWS_PER_BLOCK):
        converted[start : start + ROWS_PER_BLOCK] = vectors[
            start : start + ROWS_PER_BLOCK
        ]
    return converted


def _check_float16_range(kv: KeyedVectors, name: str) -> None:
    """Refuse a table with values float16 cannot hold (they would become inf)."""
    largest = max(
        (
            float(np.abs(block).max(initial=0))
            for array in _FLOAT_ARRAYS
            if getattr(kv, array, None) is not None
            for block in _blocks(getattr(kv, array))
        ),
        default=0.0,
    )
    limit = float(np.finfo(np.float16).max)
    if largest > limit:
        raise ValueError(
            f"{name} holds values up to {largest:g}, beyond the largest float16 "
            f"({limit:g}): dtype='float16' would turn them into infinities. Use "
            "dtype='int8' (a scale per row) or dtype='float32'."
        )
