"""What every skw2v vectorizer shares: from validated input to pooled rows.

A concrete vectorizer says where its word vectors come from, by implementing
``_fit_vectors(tokens)`` to set ``self.wv_``, and how tokens are found in them
(``_word_table``). Everything else happens here, once: tokenizing
(``_text.py``), resolving the tokens in the table (``_vectors.py``), learning
the weights, pooling (``_pooling.py``), large batches in worker processes
(``_parallel.py``) and sharing the table between copies (``_sharing.py``).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from functools import reduce
from numbers import Integral, Real

import numpy as np
from joblib import effective_n_jobs
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.utils.validation import check_is_fitted

from ._compat import Interval, StrOptions, _fit_context
from ._docstrings import fill_doc
from ._parallel import pool_in_processes
from ._pooling import (
    POOLINGS,
    WEIGHTINGS,
    chunk_bounds,
    concatenate_rows,
    finish_rows,
    pool_ids,
    principal_components,
    second_moment,
    word_statistics,
)
from ._sharing import _SharedTableMixin
from ._text import (
    TokenStream,
    _TokenizerMixin,
    all_str,
    check_documents,
    check_reiterable,
    checked_batches,
    document_batches,
    flatten,
    is_stream,
)
from ._training import C_INT_MAX, FLOAT32_MAX, N_JOBS_CONSTRAINT
from ._vectors import WordTable
from ._warnings import warn_user

#: Characters of raw text (tokens, for tokenized documents) that ``transform``
#: tokenizes and pools at a time: memory is the output plus one such chunk.
#: Streamed corpora are read, tokenized and resolved by ``fit`` in batches of
#: this size too.
CHUNK_SIZE = 2**20

#: Characters of a streamed corpus that ``transform`` reads at a time: enough
#: for worker processes to pay (``_parallel.PROCESS_MIN_CHARACTERS``).
STREAM_BATCH_CHARACTERS = 2**25


def _warn_no_known_word(n_without_known: int, n_documents: int) -> None:
    if n_without_known:
        warn_user(
            f"{n_without_known} of {n_documents} documents have no word in the "
            "vocabulary (empty, or only unknown words); their rows are zeros."
        )


class _ResolvedBatches:
    """The batches of a streamed corpus, resolved in a fitted estimator's table.

    Restartable: each pass reads, checks and tokenizes the stream again, a
    batch of ``CHUNK_SIZE`` characters at a time.
    """

    def __init__(self, estimator: _BaseEmbeddingVectorizer, documents: Iterable):
        self.estimator = estimator
        self.documents = documents

    def __iter__(self) -> Iterator[tuple[list[str], np.ndarray, np.ndarray]]:
        for batch in document_batches(self.documents, CHUNK_SIZE):
            yield self.estimator._resolve(batch)


@fill_doc
class _BaseEmbeddingVectorizer(
    _SharedTableMixin,
    _TokenizerMixin,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    BaseEstimator,
):
    """Base class: text (or tokens) in, one pooled word-vector row per document out."""

    _parameter_constraints: dict = {
        "pooling": [StrOptions(set(POOLINGS))],
        "weighting": [StrOptions(set(WEIGHTINGS)), None],
        "sif_a": [Interval(Real, 0, FLOAT32_MAX, closed="right")],
        "remove_components": [Interval(Integral, 0, C_INT_MAX, closed="both")],
        "norm": [StrOptions({"l2"}), None],
        "n_jobs": N_JOBS_CONSTRAINT,
        **_TokenizerMixin._tokenizer_constraints,
    }

    # -- the part subclasses provide -------------------------------------------------

    def _fit_vectors(self, tokens: Iterable, *, partial: bool = False) -> None:
        """Set ``self.wv_`` (a gensim ``KeyedVectors``) from the training tokens.

        ``tokens`` holds one list of tokens per training document: a list, or
        a restartable stream that tokenizes on every pass (read only when
        needed). ``partial`` continues the training of an earlier call.
        """
        raise NotImplementedError

    def _word_table(self) -> WordTable:
        """Return ``wv_`` with the lookup rules of this estimator.

        Vectors that come from elsewhere are searched in their casings too
        (when ``lowercase``) and give fastText words their subword vectors.
        """
        return WordTable(self.wv_, casings=self.lowercase)

    # -- text -> the tokens looked up -------------------------------------------------

    def _text_tokens(
        self, documents: list, token_docs: list | None = None
    ) -> tuple[list[str], np.ndarray, bool]:
        """Return the tokens of checked documents, flat, and each one's count.

        The third value tells whether the tokens are all lowercase by
        construction. ``token_docs``, when given, are the documents already
        tokenized.
        """
        tokenizer = self._tokenizer()
        if token_docs is None:
            tokens, lengths = tokenizer.documents_flat(documents)
        else:
            tokens, lengths = flatten(token_docs)
        return tokens, lengths, tokenizer.lowercases and all_str(documents)

    def _canonical_tokens(self, documents: list) -> tuple[list[str], np.ndarray]:
        """Return the tokens of checked documents as looked up, and their counts."""
        tokens, lengths, _ = self._text_tokens(documents)
        return self._word_table().canonical(tokens, lengths)

    def build_analyzer(self):
        """Return the function that turns one raw document into its tokens.

        Once the estimator is fitted, these are exactly the tokens it looks up
        in its word vectors: with pretrained vectors, after phrases are joined
        and casings resolved ("new york" may become "New_York"). Tokens the
        vectors lack are kept, so that coverage can be checked; pooling skips
        them. Before ``fit``, the tokens of the tokenizer alone.

        Returns
        -------
        analyzer : callable
            ``str -> list of str``.

        Examples
        --------
        >>> import numpy as np
        >>> from gensim.models import KeyedVectors
        >>> from skw2v import PretrainedEmbeddingVectorizer
        >>> wv = KeyedVectors(vector_size=2)
        >>> wv.add_vectors(["New_York", "is", "big"], np.eye(3)[:, :2])
        >>> vectorizer = PretrainedEmbeddingVectorizer(vectors=wv, max_phrase_words=2)
        >>> vectorizer.build_analyzer()("New York is BIG!")  # not fitted: tokens
        ['new', 'york', 'is', 'big']
        >>> vectorizer.fit(["x"]).build_analyzer()("New York is BIG!")
        ['New_York', 'is', 'big']
        """
        tokenizer = self._tokenizer()
        if not hasattr(self, "wv_"):
            return tokenizer
        table = self._word_table()

        def analyze(doc: str) -> list[str]:
            tokens = tokenizer(doc)
            return table.canonical(tokens, np.array([len(tokens)], np.int64))[0]

        return analyze

    # -- fit / transform --------------------------------------------------------------

    def _fit(self, X, *, transform: bool = False, partial: bool = False):
        """Fit on ``X``; with ``transform``, also return its pooled vectors.

        ``partial`` continues the training state and the weighting statistics
        of earlier calls (``partial_fit``). A streamed corpus is read in
        batches, once per pass that needs it: training's, then the weighting
        statistics', then the pooling's when there are components to remove
        or rows to return.
        """
        if is_stream(X):
            check_reiterable(X)
            tokens = TokenStream(X, self._tokenizer(), CHUNK_SIZE)
            self._fit_vectors(tokens, partial=partial)
            batches = _ResolvedBatches(self, X)
        else:
            documents = check_documents(X)
            tokens = self._tokenizer().documents(documents)
            self._fit_vectors(tokens, partial=partial)
            # The tokens looked up, for the weights and for pooling, if any.
            needed = self.weighting or transform or self.remove_components
            batches = [self._resolve(documents, tokens)] if needed else []
        self._fit_weights(batches, partial=partial)
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
        rows, gram, n_documents, n_without_known = [], 0.0, 0, 0
        for tokens_, ids, lengths in batches:
            pooled, n_empty = self._pool_resolved(tokens_, ids, lengths)
            n_documents += len(lengths)
            n_without_known += n_empty
            if self.remove_components:
                gram = gram + second_moment(pooled)
            if transform:
                rows.append(pooled)
        if self.remove_components:
            self.components_ = principal_components(gram, self.remove_components)
        if not transform:
            return None
        _warn_no_known_word(n_without_known, n_documents)
        return finish_rows(
            concatenate_rows(rows), components=self.components_, norm=self.norm
        )

    def _resolve(
        self, documents: list, token_docs: list | None = None
    ) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Return the tokens of checked documents, their rows and their counts."""
        tokens, lengths, lowercase = self._text_tokens(documents, token_docs)
        return self._word_table().resolve(tokens, lengths, lowercase=lowercase)

    def _keeps_statistics(self) -> bool:
        """Tell whether the word statistics are kept, for ``partial_fit`` to add to."""
        return False

    def _fit_weights(self, batches, *, partial: bool = False) -> None:
        """Learn ``word_weights_`` (one per row of ``wv_``) from the training rows.

        ``batches`` holds the resolved training documents (``_resolve``), in
        one or several batches. With ``partial``, the statistics of earlier
        calls, when kept, count too. Kept statistics also count the tokens
        the vocabulary lacks, by token: a word that joins it in a later
        ``partial_fit`` then weighs as if it had been counted from the start.
        """
        previous = self.__dict__.pop("_statistics", None)
        if self.weighting is None:
            self.word_weights_ = self.unseen_word_weight_ = None
            return
        n_words, keep = len(self.wv_), self._keeps_statistics()
        statistics = reduce(
            operator.add,
            (
                word_statistics(ids, lengths, n_words, tokens if keep else None)
                for tokens, ids, lengths in batches
            ),
        )
        if partial and previous is not None:
            statistics = previous + statistics
        if keep:  # words that joined the vocabulary bring their earlier counts
            statistics = statistics.with_words_of(self.wv_.key_to_index)
            self._statistics = statistics
        learn = WEIGHTINGS[self.weighting]
        self.word_weights_, self.unseen_word_weight_ = learn(
            statistics, sif_a=self.sif_a
        )

    def _pool_tokens(
        self,
        tokens: list[str],
        lengths: np.ndarray,
        out: np.ndarray | None = None,
        *,
        lowercase: bool = False,
    ) -> tuple[np.ndarray, int]:
        """Pool tokens, before component removal and normalization.

        ``lowercase`` says that every token is lowercase already. Returns the
        rows (written to ``out``, zeros, when given) and how many documents had
        no known word.
        """
        resolved = self._word_table().resolve(tokens, lengths, lowercase=lowercase)
        return self._pool_resolved(*resolved, out=out)

    def _pool_resolved(
        self,
        tokens: list[str],
        ids: np.ndarray,
        lengths: np.ndarray,
        out: np.ndarray | None = None,
    ) -> tuple[np.ndarray, int]:
        """Pool tokens already resolved to rows of ``wv_`` (see ``WordTable``)."""
        ids, vectors, weights = self._word_table().pooling_table(
            tokens, ids, self.word_weights_, self.unseen_word_weight_
        )
        return pool_ids(
            ids, lengths, vectors, pooling=self.pooling, weights=weights, out=out
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
            tokens, lengths, lowercase = self._text_tokens(documents[start:stop])
            pooled = self._pool_tokens(
                tokens, lengths, out[start:stop], lowercase=lowercase
            )
            n_without_known += pooled[1]
        return out, n_without_known

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the word vectors (or resolve the given ones) from the documents.

        {{fit_parameters}}

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

        {{fit_parameters}}

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
        {{X}}

        Returns
        -------
        X_new : ndarray of shape (n_documents, n_features_out), dtype float32
            One pooled vector per document.
        """
        check_is_fitted(self)
        parts = [
            self._pool_batch(batch)
            for batch in checked_batches(X, STREAM_BATCH_CHARACTERS)
        ]
        pooled = concatenate_rows([rows for rows, _ in parts])
        n_without_known = sum(n_empty for _, n_empty in parts)
        _warn_no_known_word(n_without_known, len(pooled))
        return finish_rows(pooled, components=self.components_, norm=self.norm)

    def _pool_batch(self, documents: list) -> tuple[np.ndarray, int]:
        """Pool checked documents, in ``n_jobs`` processes when they pay."""
        n_jobs = effective_n_jobs(self.n_jobs)
        result = pool_in_processes(self, documents, n_jobs) if n_jobs > 1 else None
        if result is None:  # one process, or processes would not pay
            result = self._pool_documents(documents)
        return result

    @property
    def _n_features_out(self) -> int:
        """Width of the output, used by ``get_feature_names_out``."""
        return self.wv_.vector_size * POOLINGS[self.pooling].width
