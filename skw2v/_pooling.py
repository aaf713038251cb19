"""Vectorized pooling of tokenized documents over a table of word vectors.

The whole computation is two steps, both in compiled code:

1. token -> row id: one dictionary lookup per token through ``map`` (C speed,
   no Python-level loop body), collected by ``np.fromiter``;
2. a sparse ``(n_documents, n_words)`` matrix of token counts times the dense
   ``(n_words, vector_size)`` table gives the summed vectors of every document.

Documents are processed in chunks, so memory while pooling ``N`` documents is
the output plus one chunk's ids, whatever ``N`` is.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain, repeat

import numpy as np
import scipy.sparse as sp

#: Documents pooled per chunk.
CHUNK_SIZE = 20_000


def document_token_matrix(
    token_docs: Sequence[Sequence[str]], key_to_index: dict[str, int], n_words: int
) -> sp.csr_matrix:
    """Count the known tokens: ``M[i, j]`` = occurrences of word ``j`` in doc ``i``.

    Unknown tokens are dropped. Repeated tokens of a document appear as repeated
    column indices, which scipy's products sum, so no sorting or de-duplication
    is needed.
    """
    lengths = np.fromiter(map(len, token_docs), dtype=np.int64, count=len(token_docs))
    ids = np.fromiter(
        map(key_to_index.get, chain.from_iterable(token_docs), repeat(-1)),
        dtype=np.int64,
        count=int(lengths.sum()),
    )
    known = ids >= 0
    rows = np.repeat(np.arange(len(token_docs)), lengths)[known]
    indptr = np.zeros(len(token_docs) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(token_docs)), out=indptr[1:])
    data = np.ones(len(rows), dtype=np.float32)
    return sp.csr_matrix((data, ids[known], indptr), shape=(len(token_docs), n_words))


def pool_documents(
    token_docs: Sequence[Sequence[str]],
    key_to_index: dict[str, int],
    vectors: np.ndarray,
    *,
    pooling: str = "mean",
    norm: str | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> tuple[np.ndarray, int]:
    """Pool each document's word vectors into one float32 row.

    Parameters
    ----------
    token_docs : sequence of sequence of str
        Tokenized documents.
    key_to_index : dict
        Word -> row of ``vectors``.
    vectors : ndarray of shape (n_words, vector_size)
        The word vectors.
    pooling : {"mean"}, default="mean"
        How the vectors of a document's known words are combined.
    norm : {"l2"} or None, default=None
        Scale every non-zero output row to unit Euclidean norm.
    chunk_size : int, default=CHUNK_SIZE
        Documents processed at a time.

    Returns
    -------
    pooled : ndarray of shape (n_documents, vector_size), dtype float32
        One row per document; zeros for a document with no known word.
    n_without_known : int
        How many documents had no known word.
    """
    n_docs = len(token_docs)
    out = np.zeros((n_docs, vectors.shape[1]), dtype=np.float32)
    n_without_known = 0
    table = vectors if vectors.dtype == np.float32 else vectors.astype(np.float32)
    for start in range(0, n_docs, chunk_size):
        stop = min(start + chunk_size, n_docs)
        counts = document_token_matrix(token_docs[start:stop], key_to_index, len(table))
        n_known = np.diff(counts.indptr)
        n_without_known += int(np.count_nonzero(n_known == 0))
        chunk = out[start:stop]
        chunk[...] = counts @ table
        if pooling == "mean":
            np.divide(chunk, np.maximum(n_known, 1)[:, None], out=chunk)
        if norm == "l2":
            lengths = np.linalg.norm(chunk, axis=1)
            np.divide(chunk, np.where(lengths > 0, lengths, 1)[:, None], out=chunk)
    return out, n_without_known
