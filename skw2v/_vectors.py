"""The word table: every lookup of a word in a table of word vectors.

Whatever asks for a word's vector, pooling, fine-tuning, the embedding matrix,
the evaluation benchmarks, the command line or the plots, finds it here, by one
rule for casings:

    The casings of a word are the keys of the table with the same lowercase
    form (``str.lower``); the first casing is the one with the lowest row,
    which in the usual files (sorted by frequency) is the most frequent.

- Exact lookups find a word as written.
- Lookups with ``casings=True`` find a word as written, else its lowercase
  form, else its first casing: "paris" finds "Paris" in a table that has no
  "paris".
- Folded lookups (the benchmarks' ``case_insensitive=True``, as in gensim)
  treat all casings as one word, which the first casing stands for.

A fastText table also gives a vector to a word it lacks, from its subword
n-grams: that word counts as found by every lookup except the coverage counts.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from itertools import compress, islice, repeat

import numpy as np
from gensim.models import KeyedVectors
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from ._compact import float_rows
from ._mapped import key_lookup, mapped_entry
from ._pooling import token_documents

#: Per table: lowercase form -> row of its first casing, for the forms that are
#: not keys themselves. Built once per table and process, on first use.
_casing_aliases: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def as_keyed_vectors(vectors, *, name: str = "vectors") -> KeyedVectors:
    """Return the ``KeyedVectors`` behind ``vectors``, never a copy.

    Parameters
    ----------
    vectors : KeyedVectors, gensim Word2Vec/FastText model or fitted skw2v estimator
        Anything that holds word vectors: a gensim ``KeyedVectors``, a gensim
        model with a ``wv`` attribute, or a fitted skw2v estimator (which holds
        its vectors in ``wv_``).
    name : str, default="vectors"
        The parameter name used in error messages.

    Returns
    -------
    KeyedVectors
        The very object that holds the vectors (no copy is made).
    """
    if isinstance(vectors, KeyedVectors):
        return check_finite(vectors, name=name)
    if hasattr(vectors, "get_params") and hasattr(vectors, "fit"):
        try:
            check_is_fitted(vectors, "wv_")
        except NotFittedError as exc:
            raise NotFittedError(
                f"{name} is an unfitted {type(vectors).__name__}; fit it first "
                "(or pass its training documents through a Pipeline)."
            ) from exc
        return check_finite(vectors.wv_, name=name)
    wv = getattr(vectors, "wv", None)
    if isinstance(wv, KeyedVectors):
        return check_finite(wv, name=name)
    raise TypeError(
        f"{name} must be a gensim KeyedVectors, a gensim Word2Vec or FastText "
        f"model, or a fitted skw2v vectorizer; got {type(vectors).__name__}."
    )


#: Tables known to hold finite values only (checked once per table and process).
_finite_tables: weakref.WeakSet = weakref.WeakSet()


def check_finite(wv: KeyedVectors, *, name: str = "vectors") -> KeyedVectors:
    """Return ``wv`` after checking, once per table, that its values are finite.

    A NaN or infinite value would turn every document holding that word into
    NaN (and ``norm="l2"`` an infinite one too); fastText subword rows count.
    """
    if wv in _finite_tables:
        return wv
    for what, table in [("rows", wv.vectors), ("subword n-gram rows", _ngrams(wv))]:
        if table is None or not len(table):
            continue
        bad = np.flatnonzero(~np.isfinite(table).all(axis=1))
        if bad.size:
            words = (
                f" (e.g. {[wv.index_to_key[i] for i in bad[:5].tolist()]!r})"
                if what == "rows"
                else ""
            )
            raise ValueError(
                f"{name} has {bad.size} {what} with NaN or infinite values{words}; "
                "they would turn every document holding these words into NaN. "
                "Remove or repair those rows first."
            )
    _finite_tables.add(wv)
    return wv


def known_finite(wv: KeyedVectors) -> KeyedVectors:
    """Record that ``wv`` holds finite values only (checked elsewhere)."""
    _finite_tables.add(wv)
    return wv


def _ngrams(wv: KeyedVectors) -> np.ndarray | None:
    return getattr(wv, "vectors_ngrams", None)


def first_casings(keys: Sequence[str]) -> dict[str, int]:
    """Map each lowercase form of ``keys`` to the row of its first casing."""
    lowered = list(map(str.lower, map(str, keys)))
    # Iterating backwards lets the lowest row write last, so it wins.
    return dict(zip(reversed(lowered), range(len(lowered) - 1, -1, -1), strict=True))


def casing_aliases(wv: KeyedVectors) -> dict[str, int]:
    """Map each lowercase form missing from ``wv`` to the row of its first casing.

    "paris" -> the row of "Paris" when the table has "Paris" but not "paris".
    Built once per table and process.
    """
    aliases = _casing_aliases.get(wv)
    if aliases is None:
        aliases = first_casings(wv.index_to_key)
        for key in wv.key_to_index.keys() & aliases.keys():
            del aliases[key]
        _casing_aliases[wv] = aliases
    return aliases


def casing_lookup(wv: KeyedVectors, forms: Sequence[str]):
    """Return a mapping from (at least) each of the lowercase ``forms`` to its row.

    The rows of ``casing_aliases``; for a table mapped from the cache, those
    of just these forms, from the index its entry holds (nothing to build).
    """
    entry = mapped_entry(wv)
    return casing_aliases(wv) if entry is None else entry.casing_index.find(forms)


def has_casing_aliases(wv: KeyedVectors) -> bool:
    """Tell whether some lowercase form of the keys of ``wv`` is not a key."""
    entry = mapped_entry(wv)
    return bool(casing_aliases(wv) if entry is None else len(entry.casing_index))


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


class WordTable:
    """A table of word vectors, looked up by skw2v's rules (see the module).

    Parameters
    ----------
    wv : KeyedVectors
        The word vectors (shared, never copied).
    casings : bool, default=False
        Whether a word the table lacks is found through its casings.
    max_phrase_words : int, default=1
        Join up to this many adjacent tokens with "_" when the joined form is a
        word of the table (with ``casings``, through its casings too).
    """

    def __init__(
        self, wv: KeyedVectors, *, casings: bool = False, max_phrase_words: int = 1
    ):
        self.wv = wv
        self.casings = casings
        self.max_phrase_words = max_phrase_words

    @property
    def has_subwords(self) -> bool:
        """Whether words the table lacks get vectors from subwords (fastText)."""
        return bool(getattr(self.wv, "bucket", 0))

    # -- tokens -> the keys they stand for ----------------------------------------

    def resolve(
        self, tokens: list[str], lengths: np.ndarray, *, lowercase: bool = False
    ) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Join phrases, then find every token's row of ``wv``, casings included.

        ``tokens`` are those of consecutive documents, ``lengths`` each one's
        count; ``lowercase`` says that every token is lowercase already.
        Returns the tokens after phrase joining, each one's row (-1 when the
        table lacks it) and each document's count. Casings are looked at for
        the distinct tokens the table lacks only, and not at all for lowercase
        tokens over a table whose lowercase forms are all keys (a trained one).
        """
        tokens, ids, lengths, _ = self._resolve(tokens, lengths, lowercase=lowercase)
        return tokens, ids, lengths

    def _resolve(
        self, tokens: list[str], lengths: np.ndarray, *, lowercase: bool
    ) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`resolve`, and the positions whose row came from a casing."""
        if self.max_phrase_words > 1:
            tokens, lengths = self.join_phrases(tokens, lengths)
        ids = token_ids(tokens, key_lookup(self.wv, tokens))
        rewritten = np.zeros(0, dtype=np.int64)
        if self.casings and (not lowercase or has_casing_aliases(self.wv)):
            rewritten = self._resolve_casings(tokens, ids)
        return tokens, ids, lengths, rewritten

    def _resolve_casings(self, tokens: Sequence[str], ids: np.ndarray) -> np.ndarray:
        """Give the tokens of row -1 the row of a casing; return where it did."""
        missing = np.flatnonzero(ids < 0)
        missing_tokens = list(map(tokens.__getitem__, missing.tolist()))
        lowered = {token: token.lower() for token in set(missing_tokens)}
        forms = list(set(lowered.values()))
        known = key_lookup(self.wv, forms)
        aliases = casing_lookup(self.wv, forms)
        found = {}
        for token, lower in lowered.items():
            row = known.get(lower, aliases.get(lower, -1))
            if row >= 0:
                found[token] = row
        if not found:
            return missing[:0]
        ids[missing] = token_ids(missing_tokens, found)
        return missing[ids[missing] >= 0]

    def canonical(
        self, tokens: list[str], lengths: np.ndarray
    ) -> tuple[list[str], np.ndarray]:
        """Rewrite tokens to the keys they resolve to: phrases, then casings."""
        tokens, ids, lengths, rewritten = self._resolve(
            tokens, lengths, lowercase=False
        )
        if rewritten.size:
            keys, tokens = self.wv.index_to_key, tokens.copy()
            for position, row in zip(
                rewritten.tolist(), ids[rewritten].tolist(), strict=True
            ):
                tokens[position] = keys[row]
        return tokens, lengths

    def join_phrases(
        self, tokens: list[str], lengths: np.ndarray
    ) -> tuple[list[str], np.ndarray]:
        """Greedily join adjacent tokens whose "_"-joined form is in the table.

        Scanning each document from left to right, the longest known n-gram
        (``n = max_phrase_words .. 2``) that starts at the current token and
        ends in its document replaces its tokens, and the scan resumes after
        it; a token that starts no known n-gram is kept as it is.

        The per-token work runs in C: for each ``n``, every n-gram of the flat
        token list is joined and looked up in one pass, and a mask drops those
        that cross a document end. This gives, per position, the length of the
        longest known n-gram starting there. Python then visits only these
        (few) candidate positions, in order, to make the greedy choice: a
        candidate inside an earlier phrase is skipped. Numpy finally drops the
        tokens absorbed by phrases and counts each document's remaining ones.

        Parameters
        ----------
        tokens : list of str
            The tokens of consecutive documents, one after another.
        lengths : ndarray of shape (n_documents,)
            How many of ``tokens`` each document has.

        Returns
        -------
        tokens : list of str
            The tokens with phrases joined.
        lengths : ndarray of shape (n_documents,)
            Each document's count of these tokens.
        """
        n_tokens = len(tokens)
        longest = min(self.max_phrase_words, int(lengths.max(initial=0)))
        if longest < 2:
            return tokens, lengths
        aliases = self.casings and has_casing_aliases(self.wv)
        # Tokens from each position to the end of its document, itself included.
        room = np.repeat(np.cumsum(lengths), lengths) - np.arange(n_tokens)
        span = np.ones(n_tokens, dtype=np.int64)  # longest known n-gram at each
        for n in range(2, longest + 1):  # a longer n-gram overrides a shorter
            n_starts = n_tokens - n + 1
            shifted = (islice(tokens, j, None) for j in range(n))
            grams = list(map("_".join, zip(*shifted, strict=False)))
            known = key_lookup(self.wv, grams)
            found = np.fromiter(map(known.__contains__, grams), bool, n_starts)
            if aliases:
                forms = casing_lookup(self.wv, grams)
                found |= np.fromiter(map(forms.__contains__, grams), bool, n_starts)
            found &= room[:n_starts] >= n
            span[:n_starts][found] = n
        candidates = np.flatnonzero(span > 1)
        if not candidates.size:
            return tokens, lengths
        joined = tokens.copy()
        keep = np.ones(n_tokens, dtype=bool)
        resume = 0  # the first position not absorbed by a phrase
        for start, n in zip(
            candidates.tolist(), span[candidates].tolist(), strict=True
        ):
            if start >= resume:
                resume = start + n
                joined[start] = "_".join(tokens[start:resume])
                keep[start + 1 : resume] = False
        document = token_documents(lengths)
        new_lengths = np.bincount(document[keep], minlength=len(lengths))
        return list(compress(joined, keep)), new_lengths

    # -- canonical tokens -> rows ------------------------------------------------

    def pooling_table(
        self,
        tokens: list[str],
        ids: np.ndarray,
        weights: np.ndarray | None = None,
        unseen_weight: float = 1.0,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Return what resolved tokens pool over: ``(ids, vectors, weights)``.

        ``tokens`` and ``ids`` are those :meth:`resolve` returns. The returned
        ``ids`` are rows of ``vectors`` (-1 for a token without a vector), and
        ``weights`` (given per row of ``wv``) those of ``vectors``' rows. The
        table is ``wv`` itself unless it gives subword vectors to tokens it
        lacks (fastText): then a table of the batch's rows, known and
        subword-built (its size follows the batch, so that adding a few rows
        never copies a large table), where subword-built words weigh
        ``unseen_weight``.
        """
        if not self.has_subwords:
            return ids, self.wv.vectors, weights
        missing = np.flatnonzero(ids < 0)
        missing_tokens = list(map(tokens.__getitem__, missing.tolist()))
        extra_words = sorted(set(missing_tokens))
        extra_vectors = self._subword_vectors(extra_words)
        # The batch's table: its known rows, in row order, then the extra rows.
        rows, ids = np.unique(ids, return_inverse=True)
        ids = ids.astype(np.int64) - int(rows[0] < 0) if len(rows) else ids
        rows = rows[rows >= 0]
        extra = {word: len(rows) + i for i, word in enumerate(extra_words)}
        if extra:
            ids[missing] = token_ids(missing_tokens, extra)
        vectors = np.concatenate([float_rows(self.wv, rows), extra_vectors])
        if weights is not None:
            unseen = np.full(len(extra_words), unseen_weight, np.float32)
            weights = np.concatenate([weights[rows], unseen])
        return ids, vectors, weights

    def _subword_vectors(self, words: list[str]) -> np.ndarray:
        """Return the vectors built from subword n-grams for words the table lacks."""
        vectors = np.array([self.wv.get_vector(word) for word in words], np.float32)
        return vectors.reshape(len(words), self.wv.vector_size)

    # -- words -> rows ---------------------------------------------------------

    def rows(self, words: Sequence[str], *, casings: bool | None = None) -> np.ndarray:
        """Return the row of each word, -1 if absent.

        With casings (by default the table's own setting), a word the table
        lacks is looked up in lowercase, then as its first casing. Subword
        vectors do not count: these are rows of the table itself.
        """
        ids = token_ids(words, key_lookup(self.wv, words))
        if self.casings if casings is None else casings:
            self._resolve_casings(words, ids)
        return ids

    def missing(self, words: Sequence[str]) -> list[str]:
        """Return the words that get no vector (a subword vector counts as one)."""
        if self.has_subwords:
            return []
        return [
            word for word, row in zip(words, self.rows(words), strict=True) if row < 0
        ]

    def other_casing(self, word: str) -> str | None:
        """Return the key a lookup with casings finds for ``word``, if another."""
        row = int(self.rows([word], casings=True)[0])
        key = self.wv.index_to_key[row] if row >= 0 else None
        return None if key == word else key

    def word_vectors(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Return the positions of the words that have a row, and those rows.

        A word is looked up by ``rows`` (with casings when the table has
        them); the rows are float32 (scaled, for int8).
        """
        ids = self.rows(words)
        positions = np.flatnonzero(ids >= 0)
        return positions, float_rows(self.wv, ids[positions])

    def copy_rows_into(
        self, target: KeyedVectors, *, name: str = "vectors", start: int = 0
    ) -> np.ndarray:
        """Overwrite the rows of ``target`` whose words this table has; return them.

        A word of ``target`` gets its vector from ``word_vectors``; only the
        rows from ``start`` on are considered.
        A fastText ``target`` gets the pretrained vectors as its words'
        composed vectors. ``name`` is the parameter named in errors.
        """
        if self.wv.vector_size != target.vector_size:
            raise ValueError(
                f"{name} has {self.wv.vector_size} dimensions but the model is "
                f"being trained with vector_size={target.vector_size}; set "
                f"vector_size={self.wv.vector_size} to start from these vectors."
            )
        positions, pretrained = self.word_vectors(target.index_to_key[start:])
        found = start + positions
        if hasattr(target, "vectors_vocab"):
            # fastText: a word's vector is the mean of its own row and of its
            # n-grams' rows. Its own row is set so that the mean is the
            # pretrained vector, whatever its n-grams hold.
            counts = np.fromiter(
                (len(target.buckets_word[i]) + 1 for i in found.tolist()),
                np.float32,
                len(found),
            )
            shift = counts[:, None] * (pretrained - target.vectors[found])
            target.vectors_vocab[found] += shift
        target.vectors[found] = pretrained
        return found
