"""What every skw2v vectorizer shares: from validated input to pooled rows.

A concrete vectorizer says where its word vectors come from, by implementing
``_fit_vectors(tokens)`` to set ``self.wv_``, and how tokens are found in them
(``_word_table``). Everything else happens here, once: tokenizing
(``_text.py``), resolving the tokens in the table (``_vectors.py``), the
pooling step it holds (``_pooler.py``: weights, pooling, components, norm),
large batches in worker processes (``_parallel.py``) and sharing the table
between copies (``_sharing.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from joblib import effective_n_jobs
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.utils.validation import check_is_fitted

from ._compat import _fit_context
from ._docstrings import fill_doc
from ._mapped import key_lookup
from ._models import N_JOBS_CONSTRAINT
from ._parallel import pool_in_processes
from ._pooler import POOLING_CONSTRAINTS, Pooler
from ._pooling import chunk_bounds, concatenate_rows
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
        **POOLING_CONSTRAINTS,
        "n_jobs": N_JOBS_CONSTRAINT,
        **_TokenizerMixin._tokenizer_constraints,
    }

    # -- the part subclasses provide -------------------------------------------------

    #: Whether ``_fit_vectors`` learns the vectors from the training tokens
    #: (else it is given None for them).
    _trains = False

    def _fit_vectors(self, tokens: Iterable | None, *, partial: bool = False) -> None:
        """Set ``self.wv_`` (a gensim ``KeyedVectors``) from the training tokens.

        ``tokens`` holds one list of tokens per training document: a list, or
        a restartable stream that tokenizes on every pass (read only when
        needed); a list of documents is only tokenized for an estimator that
        ``_trains`` (else None). ``partial`` continues the training of an
        earlier call.
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

    def _analyzer(self, tokenizer: Callable[[str], list[str]]):
        # Once fitted: the tokens as the word table finds them.
        if not hasattr(self, "wv_"):
            return tokenizer
        table = self._word_table()

        def analyze(doc: str) -> list[str]:
            tokens = tokenizer(doc)
            return table.canonical(tokens, np.array([len(tokens)], np.int64))[0]

        return analyze

    # -- pickling -------------------------------------------------------------------

    def __getstate__(self):
        # The pooling step travels as a dict of its attributes, so that a skops
        # file names no type beyond the estimator and its table.
        state = super().__getstate__()
        if isinstance(state.get("_pooler"), Pooler):
            state["_pooler"] = dict(vars(state["_pooler"]))
        return state

    def __setstate__(self, state):
        if isinstance(state.get("_pooler"), dict):
            state = {**state, "_pooler": Pooler.from_attributes(state["_pooler"])}
        super().__setstate__(state)

    # -- fit / transform --------------------------------------------------------------

    def _fit(self, X, *, transform: bool = False, partial: bool = False):
        """Fit on ``X``; with ``transform``, also return its pooled vectors.

        ``partial`` continues the training state and the weighting statistics
        of earlier calls (``partial_fit``). A streamed corpus is read in
        batches, once per pass that needs it: training's, then the weighting
        statistics', then the pooling's when there are components to remove
        or rows to return.
        """
        previous = self.__dict__.get("_pooler") if partial else None
        if is_stream(X):
            check_reiterable(X)
            tokens = TokenStream(X, self._tokenizer(), CHUNK_SIZE)
            self._fit_vectors(tokens, partial=partial)
            batches = _ResolvedBatches(self, X)
        else:
            documents = check_documents(X)
            # Only training reads the tokens here; pooling tokenizes if it must.
            tokens = self._tokenizer().documents(documents) if self._trains else None
            self._fit_vectors(tokens, partial=partial)
            # The tokens looked up, for the weights and for pooling, if any.
            needed = self.weighting or transform or self.remove_components
            batches = [self._resolve(documents, tokens)] if needed else []
        self._pooler = pooler = self._new_pooler()
        keep = self._keeps_statistics()
        pooler.fit_weights(
            batches,
            len(self.wv_),
            key_to_index=self.wv_.key_to_index if keep else None,
            previous=None if previous is None else previous.statistics_,
        )
        return self._fit_components(
            pooler,
            (self._pool_resolved(*resolved) for resolved in batches),
            transform=transform,
        )

    def _fit_components(
        self, pooler: Pooler, parts: Iterator[tuple], *, transform: bool
    ) -> np.ndarray | None:
        """Learn the pooler's components from the training rows; return them finished.

        ``parts`` yields each batch's rows (before component removal) and how
        many of its documents had no known word. With ``transform``, returns
        every row with the components removed and normalized (and warns once
        about the documents without a known word); else None.
        """
        n_documents = n_without_known = 0

        def rows() -> Iterator[np.ndarray]:
            nonlocal n_documents, n_without_known
            for part, n_empty in parts:
                n_documents += len(part)
                n_without_known += n_empty
                yield part

        kept = pooler.fit_components(rows(), self._n_features_out, keep=transform)
        if not transform:
            return None
        _warn_no_known_word(n_without_known, n_documents)
        return pooler.finish(concatenate_rows(kept))

    def _new_pooler(self) -> Pooler:
        """Return the pooling step of the estimator's parameters, to be fitted."""
        return Pooler.of(self)

    def _resolve(
        self, documents: list, token_docs: list | None = None
    ) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Return the tokens of checked documents, their rows and their counts."""
        tokens, lengths, lowercase = self._text_tokens(documents, token_docs)
        return self._word_table().resolve(tokens, lengths, lowercase=lowercase)

    def _keeps_statistics(self) -> bool:
        """Tell whether the word statistics are kept, for ``partial_fit`` to add to."""
        return False

    def _pool_resolved(
        self,
        tokens: list[str],
        ids: np.ndarray,
        lengths: np.ndarray,
        out: np.ndarray | None = None,
    ) -> tuple[np.ndarray, int]:
        """Pool tokens already resolved to rows of ``wv_`` (see ``WordTable``)."""
        return self._pooler.pool(self._word_table(), tokens, ids, lengths, out=out)

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
        bounds = chunk_bounds(sizes, CHUNK_SIZE)
        chunks = (documents[start:stop] for start, stop in bounds)
        for (start, stop), resolved in zip(
            bounds, self._resolved_chunks(chunks), strict=True
        ):
            n_without_known += self._pool_resolved(*resolved, out=out[start:stop])[1]
        return out, n_without_known

    def _resolved_chunks(self, chunks: Iterator[list]) -> Iterator[tuple]:
        """Resolve chunks of checked documents (``_resolve``), in order.

        An estimator whose ``_resolve`` runs without the GIL (a tokenizer in
        compiled code) resolves the next chunk in a thread meanwhile.
        """
        if not self._resolves_without_gil():
            yield from map(self._resolve, chunks)
            return
        with ThreadPoolExecutor(1) as ahead:
            pending = None
            for chunk in chunks:
                upcoming = ahead.submit(self._resolve, chunk)
                if pending is not None:
                    yield pending.result()
                pending = upcoming
            if pending is not None:
                yield pending.result()

    def _resolves_without_gil(self) -> bool:
        """Tell whether ``_resolve`` runs mostly without the GIL."""
        return False

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
        return self._pooler.finish(pooled)

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
        return self._pooler.width(self.wv_.vector_size)

    # -- coverage -------------------------------------------------------------------

    def coverage(self, X, *, n_missing: int = 20) -> dict:
        """Count how many tokens of ``X`` have a vector, and list the missing ones.

        Tokens found through another casing or joined into a phrase count as
        found; with a fastText model, tokens absent from its vocabulary count as
        missing even though their n-grams give them a vector (``n_subword``
        counts those). The estimator is not modified.

        Parameters
        ----------
        {{X}}
        n_missing : int, default=20
            How many of the most frequent missing words to list.

        Returns
        -------
        report : dict
            ``n_tokens``, ``n_found``, ``share_found`` (``n_found / n_tokens``),
            ``n_unique``, ``n_unique_found``, ``n_subword`` and ``missing``, a
            list of ``(word, count)`` pairs, most frequent first.
        """
        check_is_fitted(self)
        documents = check_documents(X, allow_empty=True)
        tokens, _ = self._canonical_tokens(documents)
        counts = Counter(tokens)
        known = key_lookup(self.wv_, list(counts))
        missing = Counter({w: c for w, c in counts.items() if w not in known})
        n_tokens = sum(counts.values())
        n_found = n_tokens - sum(missing.values())
        subword = self._word_table().has_subwords
        return {
            "n_tokens": n_tokens,
            "n_found": n_found,
            "share_found": n_found / n_tokens if n_tokens else 0.0,
            "n_unique": len(counts),
            "n_unique_found": len(counts) - len(missing),
            "n_subword": sum(missing.values()) if subword else 0,
            "missing": missing.most_common(n_missing),
        }

    # -- what the pooling step learned --------------------------------------------

    @property
    def word_weights_(self) -> np.ndarray | None:
        """The weight of each word of ``wv_``, or None (see the class)."""
        return self._pooler.word_weights_

    @property
    def unseen_word_weight_(self) -> float | None:
        """The weight of a word built from subwords, or None (see the class)."""
        return self._pooler.unseen_word_weight_

    @property
    def components_(self) -> np.ndarray:
        """The directions removed from every output row (see the class)."""
        return self._pooler.components_
