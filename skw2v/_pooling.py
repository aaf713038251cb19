"""Vectorized pooling of tokenized documents over a table of word vectors.

The whole computation is a few steps, all in compiled code:

1. token -> row id: one dictionary lookup per token through ``map`` (C speed,
   no Python-level loop body), collected by ``np.fromiter``;
2. a sparse ``(n_documents, n_words)`` matrix whose entries are the tokens'
   weights (1 without weighting; a word repeated in a document appears once
   per occurrence, and scipy sums the repeats) times the dense
   ``(n_words, vector_size)`` table gives the weighted sums of every document;
3. max pooling gathers the weighted rows of the known tokens and reduces each
   document's segment with ``np.maximum.reduceat``.

Documents are processed in chunks of a bounded number of tokens, so memory while
pooling ``N`` documents is the output plus one chunk, whatever ``N`` is.
Documents arrive as one flat list of tokens and each document's count (see
``_DefaultTokenizer.flat``), so no list is built per document.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat

import numpy as np
import scipy.sparse as sp

from ._text import flatten

#: Pooling methods, and how many vector widths each one outputs.
POOLING_WIDTHS = {"mean": 1, "sum": 1, "max": 1, "mean+max": 2}

#: Bound on the floats gathered per chunk (max pooling), which sets the chunk
#: size in tokens: 2**23 floats are 32 MiB.
FLOATS_PER_CHUNK = 2**23

#: Rows post-processed (component removal, normalization) at a time.
ROWS_PER_BLOCK = 8192


def token_ids(tokens: Sequence[str], key_to_index: dict[str, int]) -> np.ndarray:
    """Return the row id of every token, -1 when the table lacks it.

    Parameters
    ----------
    tokens : sequence of str
        The tokens of consecutive documents, one after the other.
    key_to_index : dict
        Word -> row of the vector table.

    Returns
    -------
    ids : ndarray of shape (n_tokens,), dtype int64
    """
    return np.fromiter(
        map(key_to_index.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens)
    )


def token_documents(lengths: np.ndarray) -> np.ndarray:
    """Return the document of every token, given each document's token count."""
    return np.repeat(np.arange(len(lengths)), lengths)


def known_tokens(ids: np.ndarray, lengths: np.ndarray):
    """Drop unknown tokens: return their ids, each one's document, and CSR indptr."""
    known = ids >= 0
    rows = token_documents(lengths)[known]
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(lengths)), out=indptr[1:])
    return ids[known], rows, indptr


def _pool_chunk(
    ids: np.ndarray,
    lengths: np.ndarray,
    table: np.ndarray,
    weights: np.ndarray | None,
    pooling: str,
    out: np.ndarray,
) -> int:
    """Pool one chunk into ``out`` (zeros); return how many had no known word."""
    n_docs, dim = len(lengths), table.shape[1]
    ids, _, indptr = known_tokens(ids, lengths)
    n_known = np.diff(indptr)
    data = np.ones(len(ids), np.float32) if weights is None else weights[ids]
    if pooling != "max":
        counts = sp.csr_matrix((data, ids, indptr), shape=(n_docs, len(table)))
        summed = out[:, :dim]
        summed[...] = counts @ table
        if pooling != "sum":
            np.divide(summed, np.maximum(n_known, 1)[:, None], out=summed)
    if pooling in ("max", "mean+max") and len(ids):
        gathered = table[ids]
        if weights is not None:
            gathered *= data[:, None]
        has_known = n_known > 0
        out[has_known, -dim:] = np.maximum.reduceat(
            gathered, indptr[:-1][has_known], axis=0
        )
    return int(np.count_nonzero(n_known == 0))


def chunk_bounds(lengths: np.ndarray, tokens_per_chunk: int) -> list[tuple[int, int]]:
    """Cut documents into consecutive chunks of about ``tokens_per_chunk`` tokens.

    A chunk holds at most ``tokens_per_chunk`` tokens plus the length of its
    last document (a document is never split).
    """
    if len(lengths) == 0:
        return []
    tokens_before = np.cumsum(lengths) - lengths
    bucket = tokens_before // max(tokens_per_chunk, 1)
    starts = np.flatnonzero(np.diff(bucket)) + 1
    edges = [0, *starts.tolist(), len(lengths)]
    return list(zip(edges[:-1], edges[1:], strict=True))


def pool_ids(
    ids: np.ndarray,
    lengths: np.ndarray,
    vectors: np.ndarray,
    *,
    pooling: str = "mean",
    weights: np.ndarray | None = None,
    out: np.ndarray | None = None,
) -> tuple[np.ndarray, int]:
    """Pool the (weighted) word vectors of documents given as row ids.

    The first half of :func:`pool_documents`, without post-processing:
    ``ids`` are the rows of the tokens of all documents, one document after
    the other (-1 for a token the table lacks), and ``lengths`` the number of
    tokens of each document. The rows are written to ``out`` (zeros) when
    given.
    """
    table = vectors if vectors.dtype == np.float32 else vectors.astype(np.float32)
    if weights is not None:
        weights = np.asarray(weights, dtype=np.float32)
    dim = table.shape[1]
    if out is None:
        out = np.zeros((len(lengths), dim * POOLING_WIDTHS[pooling]), np.float32)
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    n_without_known = 0
    for start, stop in chunk_bounds(lengths, max(FLOATS_PER_CHUNK // dim, 1024)):
        n_without_known += _pool_chunk(
            ids[offsets[start] : offsets[stop]],
            lengths[start:stop],
            table,
            weights,
            pooling,
            out[start:stop],
        )
    return out, n_without_known


def finish_rows(
    pooled: np.ndarray,
    *,
    components: np.ndarray | None = None,
    norm: str | None = None,
) -> np.ndarray:
    """Remove the projection on ``components``, then normalize rows, in place.

    Works through fixed blocks of rows, so that the result of a row never
    depends on how many rows are finished together.
    """
    for start in range(0, len(pooled), ROWS_PER_BLOCK):
        block = pooled[start : start + ROWS_PER_BLOCK]
        if components is not None and len(components):
            block -= (block @ components.T) @ components
        if norm == "l2":
            lengths = np.linalg.norm(block, axis=1)
            np.divide(block, np.where(lengths > 0, lengths, 1)[:, None], out=block)
    return pooled


def pool_documents(
    token_docs: Sequence[Sequence[str]],
    key_to_index: dict[str, int],
    vectors: np.ndarray,
    *,
    pooling: str = "mean",
    weights: np.ndarray | None = None,
    components: np.ndarray | None = None,
    norm: str | None = None,
) -> tuple[np.ndarray, int]:
    """Pool each document's word vectors into one float32 row.

    Every known token contributes its word's vector times the word's weight;
    unknown tokens are skipped.

    Parameters
    ----------
    token_docs : sequence of sequence of str
        Tokenized documents.
    key_to_index : dict
        Word -> row of ``vectors``.
    vectors : ndarray of shape (n_words, vector_size)
        The word vectors.
    pooling : {"mean", "sum", "max", "mean+max"}, default="mean"
        How a document's weighted vectors are combined: their sum divided by
        the number of known tokens, their sum, their element-wise maximum, or
        the mean and the maximum side by side (twice as wide).
    weights : ndarray of shape (n_words,) or None, default=None
        Weight of each word (row of ``vectors``); None weighs every word 1.
    components : ndarray of shape (n_components, n_features_out) or None
        Orthonormal directions whose projection is removed from every row.
    norm : {"l2"} or None, default=None
        Scale every non-zero output row to unit Euclidean norm (last step).

    Returns
    -------
    pooled : ndarray of shape (n_documents, n_features_out), dtype float32
        One row per document; zeros for a document with no known word.
    n_without_known : int
        How many documents had no known word.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2v._pooling import pool_documents
    >>> vectors = np.array([[1.0, 0.0], [0.0, 2.0]], dtype=np.float32)
    >>> docs = [["good", "movie", "movie"], ["unknown"]]
    >>> pooled, n_empty = pool_documents(
    ...     docs, {"good": 0, "movie": 1}, vectors, pooling="mean+max"
    ... )
    >>> pooled
    array([[0.33333334, 1.3333334 , 1.        , 2.        ],
           [0.        , 0.        , 0.        , 0.        ]], dtype=float32)
    >>> n_empty
    1
    """
    tokens, lengths = flatten(token_docs)
    pooled, n_without_known = pool_ids(
        token_ids(tokens, key_to_index),
        lengths,
        vectors,
        pooling=pooling,
        weights=weights,
    )
    return finish_rows(pooled, components=components, norm=norm), n_without_known


# -- what weighting and component removal learn in fit -------------------------------


def word_statistics(
    ids: np.ndarray, lengths: np.ndarray, n_words: int
) -> tuple[np.ndarray, np.ndarray]:
    """Count, for every word of the table, its documents and its occurrences.

    ``ids`` and ``lengths`` are the documents' tokens as row ids, as in
    :func:`pool_ids`.

    Returns
    -------
    document_frequency : ndarray of shape (n_words,), dtype int64
        Number of documents that contain the word.
    occurrences : ndarray of shape (n_words,), dtype int64
        Number of times the word occurs in all documents.
    """
    ids, rows, _ = known_tokens(ids, lengths)
    occurrences = np.bincount(ids, minlength=n_words)
    distinct = np.unique(rows * n_words + ids) % n_words
    return np.bincount(distinct, minlength=n_words), occurrences


def idf_weights(document_frequency: np.ndarray, n_documents: int) -> np.ndarray:
    """Smooth inverse document frequency, as scikit-learn's ``TfidfTransformer``.

    ``idf = ln((1 + n) / (1 + df)) + 1``: a word in no training document gets
    ``ln(1 + n) + 1``, the largest weight.
    """
    return (np.log((1 + n_documents) / (1 + document_frequency)) + 1).astype(np.float32)


def zipf_probabilities(n_words: int) -> np.ndarray:
    """Word probabilities from frequency rank alone, by Zipf's law.

    The word at rank ``r`` (0 for the most frequent) gets ``1 / ((r + 1) H)``,
    with ``H`` the ``n_words``-th harmonic number, so that they sum to 1.
    """
    inverse_ranks = 1.0 / np.arange(1, n_words + 1)
    return inverse_ranks / inverse_ranks.sum()


def sif_weights(
    occurrences: np.ndarray, n_tokens: int, a: float, fallback: np.ndarray
) -> np.ndarray:
    """Smooth inverse frequency ``a / (a + p(w))`` (Arora, Liang & Ma, 2017).

    ``p(w)`` is the word's share of the ``n_tokens`` training tokens; words
    that never occur take their probability from ``fallback`` instead.
    """
    seen = occurrences > 0
    probability = np.where(seen, occurrences / max(n_tokens, 1), fallback)
    return (a / (a + probability)).astype(np.float32)


def principal_components(pooled: np.ndarray, n_components: int) -> np.ndarray:
    """Return the first right singular vectors of ``pooled``, not centered.

    As in Arora, Liang & Ma (2017), the rows are not centered: the directions
    are the top eigenvectors of ``pooled.T @ pooled`` (accumulated in float64 by
    blocks of rows), sign-fixed so that their largest coordinate is positive.

    Returns
    -------
    components : ndarray of shape (n_components, n_features), dtype float32
        Orthonormal rows, the strongest direction first.
    """
    gram = np.zeros((pooled.shape[1],) * 2)
    for start in range(0, len(pooled), ROWS_PER_BLOCK):
        block = pooled[start : start + ROWS_PER_BLOCK].astype(np.float64)
        gram += block.T @ block
    _, eigenvectors = np.linalg.eigh(gram)  # ascending eigenvalues
    components = eigenvectors[:, ::-1][:, :n_components].T
    strongest = np.argmax(np.abs(components), axis=1)
    signs = np.sign(components[np.arange(n_components), strongest])
    return (components * signs[:, None]).astype(np.float32)
