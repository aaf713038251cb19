"""What every skw2v estimator shares: input checking, tokenization, pooling.

A concrete estimator only says where its word vectors come from, by
implementing ``_fit_vectors(tokens)`` to set ``self.wv_``. Everything else, from
the validated input to the pooled float32 rows, happens here, once.
"""

from __future__ import annotations

import copy
import os
import shutil
import sys
import tempfile
import warnings
from numbers import Integral, Real

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.utils.validation import check_is_fitted

from ._compat import Interval, StrOptions, _clone_parametrized, _fit_context
from ._pooling import (
    POOLING_WIDTHS,
    chunk_bounds,
    finish_rows,
    idf_weights,
    pool_ids,
    principal_components,
    sif_weights,
    token_ids,
    word_statistics,
    zipf_probabilities,
)
from ._text import _TokenizerMixin, check_documents, flatten

#: Characters of raw text per worker process below which ``transform`` does not
#: use processes (sending the estimator and the text costs more than it saves).
#: Threads would not help: tokenizing and the dictionary lookups hold the GIL.
PROCESS_MIN_CHARACTERS = 2_000_000

#: joblib writes a vector table of over 16 MB that is not already memory-mapped
#: to a file for the worker processes, on every call. Measured here: that
#: costs about as much as two processes save on 1 character of text per 20
#: bytes of table, so the batch must be larger by as much.
CHARACTERS_PER_BYTE = 1 / 20
JOBLIB_MAX_NBYTES = 16 * 2**20

#: Characters of raw text (tokens, for tokenized documents) that ``transform``
#: tokenizes and pools at a time: memory is the output plus one such chunk.
CHUNK_SIZE = 2**20


def _warn_no_known_word(n_without_known: int, n_documents: int) -> None:
    if n_without_known:
        warn_user(
            f"{n_without_known} of {n_documents} documents have no word in the "
            "vocabulary (empty, or only unknown words); their rows are zeros."
        )


def _pool_in_worker(estimator, documents: list, out: np.memmap) -> tuple[int, list]:
    """Tokenize and pool raw documents in a worker process, into ``out``.

    ``out`` is a part of a memory-mapped array that the parent process reads,
    so the rows are not sent back. Returns how many documents had no known word,
    and the other warnings raised, for the parent process to re-raise.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        n_without_known = estimator._pool_documents(documents, out=out)[1]
    return n_without_known, [(str(w.message), w.category) for w in caught]


def _is_memory_mapped(array: np.ndarray) -> bool:
    """Tell whether ``array`` is (a view of) a ``np.memmap``: joblib sends its path."""
    while isinstance(array, np.ndarray):
        if isinstance(array, np.memmap):
            return True
        array = array.base
    return False


def _table_bytes_to_copy(estimator) -> int:
    """Count the bytes of vector table joblib would copy to send ``estimator``."""
    vectors = estimator.__getstate__().get("wv_")
    vectors = getattr(vectors, "vectors", None)
    if vectors is None or vectors.nbytes <= JOBLIB_MAX_NBYTES:
        return 0
    return 0 if _is_memory_mapped(vectors) else vectors.nbytes


def _worth_processes(shipped, documents: list, n_jobs: int) -> bool:
    """Tell whether pooling ``documents`` in ``n_jobs`` processes saves time.

    Only raw text goes to processes, in batches large enough to pay for
    sending it, and for copying the table ``shipped`` holds when joblib must.
    """
    if not set(map(type, documents)) <= {str}:
        return False
    copied = _table_bytes_to_copy(shipped) * CHARACTERS_PER_BYTE
    return sum(map(len, documents)) >= n_jobs * PROCESS_MIN_CHARACTERS + copied


def _scratch_directory(n_bytes: int) -> str | None:
    """Pick a directory for a temporary file of ``n_bytes``: in RAM if room."""
    folder = os.environ.get("JOBLIB_TEMP_FOLDER", "/dev/shm")
    try:
        if shutil.disk_usage(folder).free > 2 * n_bytes + 2**28:
            return folder
    except OSError:
        pass
    return None  # tempfile's default


def warn_user(message: str, category: type[Warning] = UserWarning) -> None:
    """Warn, attributing the warning to the first caller outside the libraries."""
    frame, stacklevel = sys._getframe(1), 2
    while frame is not None and frame.f_globals.get("__name__", "").partition(".")[
        0
    ] in ("skw2v", "sklearn", "joblib"):
        frame, stacklevel = frame.f_back, stacklevel + 1
    warnings.warn(message, category, stacklevel=stacklevel)


class _BaseEmbeddingVectorizer(
    _TokenizerMixin, ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator
):
    """Base class: text (or tokens) in, one pooled word-vector row per document out."""

    _parameter_constraints: dict = {
        "pooling": [StrOptions(set(POOLING_WIDTHS))],
        "weighting": [StrOptions({"tfidf", "sif"}), None],
        "sif_a": [Interval(Real, 0, None, closed="neither")],
        "remove_components": [Interval(Integral, 0, None, closed="left")],
        "norm": [StrOptions({"l2"}), None],
        "n_jobs": [Integral, None],
        **_TokenizerMixin._tokenizer_constraints,
    }

    #: Parameters that hold (possibly very large) word-vector tables: ``clone``
    #: passes them to the new estimator by reference instead of deep-copying.
    _shared_params: tuple[str, ...] = ()

    # -- the part subclasses provide -------------------------------------------------

    def _fit_vectors(self, tokens: list) -> None:
        """Set ``self.wv_`` (a gensim ``KeyedVectors``) from the training tokens.

        ``tokens`` holds one list of tokens per training document.
        """
        raise NotImplementedError

    def _canonical(
        self, tokens: list[str], lengths: np.ndarray
    ) -> tuple[list[str], np.ndarray]:
        """Rewrite tokens to the keys of ``wv_`` they stand for (none by default).

        Every token list goes through here before it is weighed or pooled;
        ``tokens`` are those of consecutive documents, ``lengths`` each one's count.
        """
        return tokens, lengths

    # -- fit / transform --------------------------------------------------------------

    def _fit(self, X, *, transform: bool = False) -> np.ndarray | None:
        """Fit on ``X``; with ``transform``, also return its pooled vectors."""
        token_docs = self._tokenize(X)
        self._fit_vectors(token_docs)
        tokens, lengths = self._canonical(*flatten(token_docs))
        self._fit_weights(tokens, lengths)
        width = self._n_features_out
        if self.remove_components >= width:
            raise ValueError(
                f"remove_components={self.remove_components} would remove every "
                f"direction of the {width}-dimensional output; use at most "
                f"{width - 1} (or lower remove_components for a narrower output)."
            )
        self.components_ = np.zeros((0, width), dtype=np.float32)
        if not (transform or self.remove_components):
            return None
        pooled, n_without_known = self._pool_tokens(tokens, lengths)
        if transform:
            _warn_no_known_word(n_without_known, len(lengths))
        if self.remove_components:
            self.components_ = principal_components(pooled, self.remove_components)
        return finish_rows(pooled, components=self.components_, norm=self.norm)

    def _fit_weights(self, tokens: list[str], lengths: np.ndarray) -> None:
        """Learn ``word_weights_`` (one per row of ``wv_``) from the training tokens."""
        if self.weighting is None:
            self.word_weights_ = None
            return
        n_words, n_documents = len(self.wv_), len(lengths)
        document_frequency, occurrences = word_statistics(
            token_ids(tokens, self.wv_.key_to_index), lengths, n_words
        )
        if self.weighting == "tfidf":
            self.word_weights_ = idf_weights(document_frequency, n_documents)
            self._unseen_word_weight = idf_weights(np.zeros(1), n_documents)[0]
        else:
            # Words of the table absent from the training documents: their
            # probability from their rank, the table being in descending
            # frequency order as gensim stores it.
            self.word_weights_ = sif_weights(
                occurrences, len(tokens), self.sif_a, zipf_probabilities(n_words)
            )
            self._unseen_word_weight = np.float32(1.0)  # a / (a + 0)

    def _lookup_table(
        self, tokens: list[str]
    ) -> tuple[dict[str, int], np.ndarray, np.ndarray | None]:
        """Return ``(key_to_index, vectors, weights)``: what ``tokens`` are pooled over.

        By default the whole of ``wv_`` and ``word_weights_``. A subclass that
        gives vectors to words ``wv_`` lacks (fastText subwords) returns
        :meth:`_batch_table` instead.
        """
        return self.wv_.key_to_index, self.wv_.vectors, self.word_weights_

    def _batch_table(
        self, tokens: list[str], extra_words: list[str], extra_vectors: np.ndarray
    ) -> tuple[dict[str, int], np.ndarray, np.ndarray | None]:
        """Return a lookup table of the batch's known words plus extra rows.

        Its size follows the distinct words of ``tokens``, not the size of
        ``wv_``, so adding a few rows never copies a large table. With a
        weighting, the extra words weigh as much as a word never seen in fit.
        """
        known = self.wv_.key_to_index
        words = sorted(known.keys() & set(tokens))
        rows = np.fromiter(map(known.__getitem__, words), np.int64, len(words))
        all_words = [*words, *extra_words]
        extra_vectors = np.asarray(extra_vectors, dtype=np.float32)
        vectors = np.concatenate(
            [self.wv_.vectors[rows], extra_vectors.reshape(-1, self.wv_.vector_size)]
        )
        weights = self.word_weights_
        if weights is not None:
            unseen = np.full(len(extra_words), self._unseen_word_weight, np.float32)
            weights = np.concatenate([weights[rows], unseen])
        return (
            dict(zip(all_words, range(len(all_words)), strict=True)),
            vectors,
            weights,
        )

    def _pool_tokens(
        self, tokens: list[str], lengths: np.ndarray, out: np.ndarray | None = None
    ) -> tuple[np.ndarray, int]:
        """Pool canonical tokens, before component removal and normalization.

        Returns the rows (written to ``out``, zeros, when given) and how many
        documents had no known word.
        """
        key_to_index, vectors, weights = self._lookup_table(tokens)
        return pool_ids(
            token_ids(tokens, key_to_index),
            lengths,
            vectors,
            pooling=self.pooling,
            weights=weights,
            out=out,
        )

    def _pool_documents(
        self, documents: list, out: np.ndarray | None = None
    ) -> tuple[np.ndarray, int]:
        """Tokenize and pool checked documents, a chunk at a time.

        Returns the rows (written to ``out``, zeros, when given), before
        component removal and normalization, and how many documents had no
        known word.
        """
        sizes = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
        if out is None:
            out = np.zeros((len(documents), self._n_features_out), dtype=np.float32)
        n_without_known = 0
        for start, stop in chunk_bounds(sizes, CHUNK_SIZE):
            tokens, lengths = self._canonical(
                *self._tokenize_flat(documents[start:stop])
            )
            n_without_known += self._pool_tokens(tokens, lengths, out[start:stop])[1]
        return out, n_without_known

    def _worker_copy(self) -> _BaseEmbeddingVectorizer:
        """Return a copy of the estimator holding only what pooling needs.

        Worker processes get ``wv_``; the parameters that hold a table in
        memory (``vectors``, ``init_vectors``) and a kept gensim model would
        only add to what is pickled and sent on every call. A path is kept: a
        table loaded from a file is reopened from it in each worker.
        """
        shipped = copy.copy(self)
        for name in self._shared_params:
            if not isinstance(getattr(shipped, name), (str, os.PathLike)):
                setattr(shipped, name, None)
        shipped.__dict__.pop("model_", None)
        return shipped

    def _pool_in_processes(
        self, documents: list, n_jobs: int
    ) -> tuple[np.ndarray, int]:
        """Tokenize and pool raw ``documents`` in ``n_jobs`` worker processes.

        Each worker gets one contiguous part of the raw text and a pickled copy
        of the estimator (joblib memory-maps a vector table over 16 MB instead
        of copying it; an estimator that pickles its table by reference reloads
        it memory-mapped), and writes its rows straight into a memory-mapped
        output, so that no row is sent back or copied. The rows are those of a
        serial run, since each row depends on its own document alone.
        """
        edges = np.linspace(0, len(documents), n_jobs + 1).astype(int).tolist()
        shape = (len(documents), self._n_features_out)
        scratch = _scratch_directory(n_bytes=shape[0] * shape[1] * 4)
        with tempfile.TemporaryDirectory(prefix="skw2v-", dir=scratch) as folder:
            shared = np.lib.format.open_memmap(
                os.path.join(folder, "pooled.npy"), "w+", np.float32, shape
            )
            # Tables under 16 MB are cheaper to send than to memory-map
            # (joblib's temporary files take ~0.1 s to clean up).
            results = Parallel(
                n_jobs=n_jobs, backend="loky", max_nbytes=JOBLIB_MAX_NBYTES
            )(
                delayed(_pool_in_worker)(
                    self, documents[start:stop], shared[start:stop]
                )
                for start, stop in zip(edges[:-1], edges[1:], strict=True)
            )
            if os.name == "posix":
                # Removing the folder unlinks the file, but its pages stay
                # mapped until the array is freed: the rows need no copy.
                pooled = shared.view(np.ndarray)
            else:  # Windows cannot remove a file that is mapped
                pooled = np.array(shared)
            del shared
        for _, caught in results:
            for message, category in caught:
                warn_user(message, category)
        return pooled, sum(n_without_known for n_without_known, _ in results)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the word vectors (or resolve the given ones) from the documents.

        Parameters
        ----------
        X : iterable of str or of list of str, pandas Series or one-column DataFrame
            Training documents: raw text, or already tokenized documents.
        y : None
            Ignored; present for compatibility with scikit-learn pipelines.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self._fit(X)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit to the documents, then return their pooled vectors.

        Equivalent to ``fit(X).transform(X)``, tokenizing ``X`` only once.

        Parameters
        ----------
        X : iterable of str or of list of str, pandas Series or one-column DataFrame
            Training documents: raw text, or already tokenized documents.
        y : None
            Ignored; present for compatibility with scikit-learn pipelines.

        Returns
        -------
        X_new : ndarray of shape (n_documents, n_features_out), dtype float32
            One pooled vector per document.
        """
        return self._fit(X, transform=True)

    def transform(self, X):
        """Return one pooled word-vector row per document.

        Words missing from the vectors are skipped. A document with no known word
        gives a row of zeros, and a single warning counts such documents.

        Parameters
        ----------
        X : iterable of str or of list of str, pandas Series or one-column DataFrame
            Documents: raw text, or already tokenized documents.

        Returns
        -------
        X_new : ndarray of shape (n_documents, n_features_out), dtype float32
            One pooled vector per document.
        """
        check_is_fitted(self)
        documents = check_documents(X)
        n_jobs = effective_n_jobs(self.n_jobs)
        shipped = self._worker_copy() if n_jobs > 1 else None
        if shipped is not None and _worth_processes(shipped, documents, n_jobs):
            pooled, n_without_known = shipped._pool_in_processes(documents, n_jobs)
        else:
            pooled, n_without_known = self._pool_documents(documents)
        _warn_no_known_word(n_without_known, len(documents))
        return finish_rows(pooled, components=self.components_, norm=self.norm)

    # -- scikit-learn protocol ------------------------------------------------------

    @property
    def _n_features_out(self) -> int:
        """Width of the output, used by ``get_feature_names_out``."""
        return self.wv_.vector_size * POOLING_WIDTHS[self.pooling]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags

    def __sklearn_clone__(self):
        # scikit-learn's clone deep-copies every parameter. For the parameters
        # that hold word vectors that would copy a table of up to gigabytes per
        # grid-search candidate and fold, so they are handed over by reference.
        template = copy.copy(self)
        for name in self._shared_params:
            setattr(template, name, None)
        new = _clone_parametrized(template)
        for name in self._shared_params:
            setattr(new, name, getattr(self, name))
        return new
