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
pooling ``N`` documents is the output plus one chunk, whatever ``N`` is. A
table that is not float32 (a compact one, ``skw2v/_compact.py``) is never
converted whole, which would copy gigabytes on every call: a call pools over
float32 copies of the rows its tokens use (scaled, for int8), made once.
Documents arrive as one flat list of tokens and each document's count (see
``_DefaultTokenizer.flat``), so no list is built per document.

Pooling and weighting modes are registries: ``POOLINGS`` maps a pooling
name to its output width and the function that fills a chunk's rows,
``WEIGHTINGS`` a weighting name to the function that learns the word
weights and the parameters it takes. A new mode is one entry; an unknown
name is a ``KeyError``, never another mode.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

#: Bound on the floats gathered per chunk (max pooling), which sets the chunk
#: size in tokens: 2**23 floats are 32 MiB.
FLOATS_PER_CHUNK = 2**23

#: Rows post-processed (component removal, normalization) at a time.
ROWS_PER_BLOCK = 8192


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


# -- pooling modes -------------------------------------------------------------------


@dataclass(frozen=True)
class _Chunk:
    """The known tokens of a chunk of documents, in CSR layout.

    Document ``i`` has the tokens ``ids[indptr[i]:indptr[i + 1]]`` (rows of the
    table), of weights ``weights[indptr[i]:indptr[i + 1]]``.
    """

    ids: np.ndarray
    indptr: np.ndarray
    weights: np.ndarray
    has_weights: bool
    n_known: np.ndarray  # each document's number of known tokens


def _sum_into(chunk: _Chunk, table: np.ndarray, out: np.ndarray) -> None:
    """Write the weighted sums: a sparse ``(documents x words)`` @ table product."""
    counts = sp.csr_matrix(
        (chunk.weights, chunk.ids, chunk.indptr), shape=(len(out), len(table))
    )
    out[...] = counts @ table


def _mean_into(chunk: _Chunk, table: np.ndarray, out: np.ndarray) -> None:
    """Write the weighted sums divided by the numbers of known tokens."""
    _sum_into(chunk, table, out)
    np.divide(out, np.maximum(chunk.n_known, 1)[:, None], out=out)


def _max_into(chunk: _Chunk, table: np.ndarray, out: np.ndarray) -> None:
    """Write the element-wise maxima of the weighted vectors."""
    if not len(chunk.ids):
        return
    gathered = table[chunk.ids]
    if chunk.has_weights:
        gathered *= chunk.weights[:, None]
    has_known = chunk.n_known > 0
    out[has_known] = np.maximum.reduceat(gathered, chunk.indptr[:-1][has_known], axis=0)


def _mean_max_into(chunk: _Chunk, table: np.ndarray, out: np.ndarray) -> None:
    """Write the means and the maxima side by side."""
    dim = table.shape[1]
    _mean_into(chunk, table, out[:, :dim])
    _max_into(chunk, table, out[:, dim:])


@dataclass(frozen=True)
class Pooling:
    """A pooling mode: its output width, in vector widths, and what computes it.

    ``pool(chunk, table, out)`` writes the rows of a chunk's documents into
    ``out`` (zeros, ``width * vector_size`` columns); a document with no known
    token keeps its zeros.
    """

    width: int
    pool: Callable[[_Chunk, np.ndarray, np.ndarray], None]


#: Pooling modes by name.
POOLINGS: dict[str, Pooling] = {
    "mean": Pooling(1, _mean_into),
    "sum": Pooling(1, _sum_into),
    "max": Pooling(1, _max_into),
    "mean+max": Pooling(2, _mean_max_into),
}


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
    scales: np.ndarray | None = None,
    out: np.ndarray | None = None,
) -> tuple[np.ndarray, int]:
    """Pool the (weighted) word vectors of documents given as row ids.

    Every known token contributes its word's vector times the word's weight;
    unknown tokens are skipped. Component removal and normalization follow
    in ``finish_rows``.

    Parameters
    ----------
    ids : ndarray of shape (n_tokens,), dtype int64
        The rows of the tokens of all documents, one document after the other;
        -1 for a token the table lacks.
    lengths : ndarray of shape (n_documents,)
        The number of tokens of each document.
    vectors : ndarray of shape (n_words, vector_size)
        The word vectors.
    pooling : str, default="mean"
        A name of ``POOLINGS``.
    weights : ndarray of shape (n_words,) or None, default=None
        Weight of each word (row of ``vectors``); None weighs every word 1.
    scales : ndarray of shape (n_words,) or None, default=None
        For an int8 table, the scale of each row: word ``i`` has the vector
        ``vectors[i] * scales[i]``.
    out : ndarray of shape (n_documents, n_features_out) or None, default=None
        Where to write the rows (zeros); a new array when None.

    Returns
    -------
    pooled : ndarray of shape (n_documents, n_features_out), dtype float32
        One row per document; zeros for a document with no known word.
    n_without_known : int
        How many documents had no known word.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2v._pooling import pool_ids
    >>> vectors = np.array([[1.0, 0.0], [0.0, 2.0]], dtype=np.float32)
    >>> ids = np.array([0, 1, 1, -1])  # "good movie movie", then "unknown"
    >>> pooled, n_empty = pool_ids(ids, np.array([3, 1]), vectors, pooling="mean+max")
    >>> pooled
    array([[0.33333334, 1.3333334 , 1.        , 2.        ],
           [0.        , 0.        , 0.        , 0.        ]], dtype=float32)
    >>> n_empty
    1
    """
    mode = POOLINGS[pooling]
    if weights is not None:
        weights = np.asarray(weights, dtype=np.float32)
    table = vectors
    if vectors.dtype != np.float32 or scales is not None:
        ids, table, weights = _used_rows(ids, vectors, weights, scales)
    dim = table.shape[1]
    if out is None:
        out = np.zeros((len(lengths), dim * mode.width), np.float32)
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    n_without_known = 0
    for start, stop in chunk_bounds(lengths, max(FLOATS_PER_CHUNK // dim, 1024)):
        known, _, indptr = known_tokens(
            ids[offsets[start] : offsets[stop]], lengths[start:stop]
        )
        data = np.ones(len(known), np.float32) if weights is None else weights[known]
        chunk = _Chunk(known, indptr, data, weights is not None, np.diff(indptr))
        mode.pool(chunk, table, out[start:stop])
        n_without_known += int(np.count_nonzero(chunk.n_known == 0))
    return out, n_without_known


def _used_rows(
    ids: np.ndarray,
    vectors: np.ndarray,
    weights: np.ndarray | None,
    scales: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Return ``ids`` as rows of a float32 table of the rows they use, and it.

    The table holds the used rows of ``vectors`` in their order (times their
    ``scales``, when given), the weights are those of its rows; -1 stays -1.
    The rows are found with a mask over the table rather than by sorting the
    tokens: a pass over a few megabytes, whatever the number of tokens.
    """
    known = ids >= 0
    used = np.zeros(len(vectors), dtype=bool)
    used[ids[known]] = True
    rows = np.flatnonzero(used)
    position = np.empty(len(vectors), dtype=np.int64)
    position[rows] = np.arange(len(rows))
    local = np.full(len(ids), -1, dtype=np.int64)
    local[known] = position[ids[known]]
    table = np.asarray(vectors[rows], dtype=np.float32)
    if scales is not None:
        table *= scales[rows, None]
    return local, table, None if weights is None else weights[rows]


def concatenate_rows(parts: list[np.ndarray]) -> np.ndarray:
    """Stack the rows of consecutive batches; one batch is returned uncopied."""
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


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


# -- what weighting and component removal learn in fit -------------------------------


@dataclass(frozen=True)
class WordStatistics:
    """What the training documents say about every word of the table.

    Attributes
    ----------
    document_frequency : ndarray of shape (n_words,), dtype int64
        Number of documents that contain the word.
    occurrences : ndarray of shape (n_words,), dtype int64
        Number of times the word occurs in all documents.
    n_documents : int
        Number of training documents.
    n_tokens : int
        Number of training tokens, known or not.
    unknown_documents, unknown_occurrences : Counter
        The same counts for the tokens the table lacks, by token, when asked
        for (``partial_fit``: a word may join the table later).
    """

    document_frequency: np.ndarray
    occurrences: np.ndarray
    n_documents: int
    n_tokens: int
    unknown_documents: Counter = field(default_factory=Counter)
    unknown_occurrences: Counter = field(default_factory=Counter)

    def __add__(self, other: WordStatistics) -> WordStatistics:
        """Return the statistics of both sets of documents together.

        The tables may differ in length (a vocabulary that grew with
        ``partial_fit`` keeps its first rows): the shorter counts are those of
        the first rows.
        """
        n_words = max(len(self.occurrences), len(other.occurrences))
        return WordStatistics(
            document_frequency=_padded_sum(
                n_words, self.document_frequency, other.document_frequency
            ),
            occurrences=_padded_sum(n_words, self.occurrences, other.occurrences),
            n_documents=self.n_documents + other.n_documents,
            n_tokens=self.n_tokens + other.n_tokens,
            unknown_documents=self.unknown_documents + other.unknown_documents,
            unknown_occurrences=self.unknown_occurrences + other.unknown_occurrences,
        )

    def with_words_of(self, key_to_index: dict[str, int]) -> WordStatistics:
        """Move the counts of unknown tokens that the table now holds to its rows."""
        joined = [w for w in self.unknown_occurrences if w in key_to_index]
        rows = np.fromiter(map(key_to_index.__getitem__, joined), np.int64)
        n_words = max(len(key_to_index), len(self.occurrences))
        frequency = _padded_sum(n_words, self.document_frequency)
        occurrences = _padded_sum(n_words, self.occurrences)
        frequency[rows] += np.fromiter(
            map(self.unknown_documents.get, joined), np.int64
        )
        occurrences[rows] += np.fromiter(
            map(self.unknown_occurrences.get, joined), np.int64
        )
        still_unknown = [w for w in self.unknown_occurrences if w not in key_to_index]
        return WordStatistics(
            document_frequency=frequency,
            occurrences=occurrences,
            n_documents=self.n_documents,
            n_tokens=self.n_tokens,
            unknown_documents=Counter(
                {w: self.unknown_documents[w] for w in still_unknown}
            ),
            unknown_occurrences=Counter(
                {w: self.unknown_occurrences[w] for w in still_unknown}
            ),
        )


def _padded_sum(n_words: int, *counts: np.ndarray) -> np.ndarray:
    """Add arrays of counts of the first rows of an ``n_words`` table."""
    summed = np.zeros(n_words, dtype=np.int64)
    for part in counts:
        summed[: len(part)] += part
    return summed


def _document_frequency(documents: np.ndarray, words: np.ndarray, n_words: int):
    """Count the documents of each word, given every token's document and word."""
    distinct = np.unique(documents * n_words + words) % n_words
    return np.bincount(distinct, minlength=n_words)


def word_statistics(
    ids: np.ndarray,
    lengths: np.ndarray,
    n_words: int,
    tokens: list[str] | None = None,
) -> WordStatistics:
    """Count, for every word of the table, its documents and its occurrences.

    ``ids`` and ``lengths`` are the documents' tokens as row ids, as in
    ``pool_ids``. With ``tokens`` (the same tokens, as strings), the tokens the
    table lacks are counted too, by token.
    """
    known, rows, _ = known_tokens(ids, lengths)
    statistics = WordStatistics(
        document_frequency=_document_frequency(rows, known, n_words),
        occurrences=np.bincount(known, minlength=n_words),
        n_documents=len(lengths),
        n_tokens=len(ids),
    )
    unknown = np.flatnonzero(ids < 0)
    if tokens is None or not len(unknown):
        return statistics
    codes: dict[str, int] = {}
    words = np.fromiter(
        (codes.setdefault(tokens[i], len(codes)) for i in unknown.tolist()),
        np.int64,
        len(unknown),
    )
    documents = token_documents(lengths)[unknown]
    names = list(codes)
    frequency = _document_frequency(documents, words, len(names))
    occurrences = np.bincount(words, minlength=len(names))
    return WordStatistics(
        statistics.document_frequency,
        statistics.occurrences,
        statistics.n_documents,
        statistics.n_tokens,
        unknown_documents=Counter(dict(zip(names, frequency.tolist(), strict=True))),
        unknown_occurrences=Counter(
            dict(zip(names, occurrences.tolist(), strict=True))
        ),
    )


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


def _tfidf(stats: WordStatistics) -> tuple[np.ndarray, float]:
    # A word absent from the training documents (df = 0) weighs the most.
    unseen = idf_weights(np.zeros(1), stats.n_documents)[0]
    return idf_weights(stats.document_frequency, stats.n_documents), unseen


def _sif(stats: WordStatistics, *, sif_a: float) -> tuple[np.ndarray, float]:
    # Words of the table absent from the training documents: their probability
    # from their rank, the table being in descending frequency order as gensim
    # stores it. A word outside the table weighs a / (a + 0).
    fallback = zipf_probabilities(len(stats.occurrences))
    weights = sif_weights(stats.occurrences, stats.n_tokens, sif_a, fallback)
    return weights, np.float32(1.0)


@dataclass(frozen=True)
class Weighting:
    """A weighting mode: what learns the word weights, and the options it takes.

    ``learn(stats, **options)`` returns the weight of every word of the table
    and the weight of a word outside it (a fastText word built from subwords);
    ``parameters`` names the estimator parameters passed as ``options``.
    """

    learn: Callable[..., tuple[np.ndarray, float]]
    parameters: tuple[str, ...] = ()


#: Weighting modes by name.
WEIGHTINGS: dict[str, Weighting] = {
    "tfidf": Weighting(_tfidf),
    "sif": Weighting(_sif, ("sif_a",)),
}


def second_moment(pooled: np.ndarray) -> np.ndarray:
    """Return ``pooled.T @ pooled``, accumulated in float64 by blocks of rows.

    The matrices of consecutive batches of rows add up to that of all the
    rows, so a stream of documents never holds all its rows at once.
    """
    gram = np.zeros((pooled.shape[1],) * 2)
    for start in range(0, len(pooled), ROWS_PER_BLOCK):
        block = pooled[start : start + ROWS_PER_BLOCK].astype(np.float64)
        gram += block.T @ block
    return gram


def principal_components(gram: np.ndarray, n_components: int) -> np.ndarray:
    """Return the strongest directions of rows, given their second moment.

    As in Arora, Liang & Ma (2017), the rows are not centered: the directions
    are the top eigenvectors of ``gram``, the rows' ``second_moment`` (so, the
    first right singular vectors of the rows), sign-fixed so that their
    largest coordinate is positive.

    Returns
    -------
    components : ndarray of shape (n_components, n_features), dtype float32
        Orthonormal rows, the strongest direction first.
    """
    _, eigenvectors = np.linalg.eigh(gram)  # ascending eigenvalues
    components = eigenvectors[:, ::-1][:, :n_components].T
    strongest = np.argmax(np.abs(components), axis=1)
    signs = np.sign(components[np.arange(n_components), strongest])
    return (components * signs[:, None]).astype(np.float32)
