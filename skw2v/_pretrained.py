"""``PretrainedEmbeddingVectorizer``: pool documents over pretrained word vectors."""

from __future__ import annotations

import os
import weakref
from collections import Counter
from itertools import compress, islice, repeat
from numbers import Integral

import numpy as np
from gensim.models import KeyedVectors

from ._base import _BaseEmbeddingVectorizer
from ._compat import Interval
from ._loading import file_fingerprint, load_vectors
from ._pooling import token_documents
from ._text import DEFAULT_TOKEN_PATTERN, check_documents

#: Per table: lowercase form -> its most frequent casing, for the forms that
#: are not keys themselves. Built once per table and process, on first use.
_casing_aliases: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def casing_aliases(wv: KeyedVectors) -> dict[str, str]:
    """Map each lowercase form missing from ``wv`` to its most frequent casing.

    "paris" -> "Paris" when the table has "Paris" but not "paris". Among
    several casings the one with the lowest index wins (the most frequent one
    in the usual files, which are sorted by frequency).
    """
    aliases = _casing_aliases.get(wv)
    if aliases is None:
        keys = wv.index_to_key
        lowered = list(map(str.lower, keys))
        # Iterating backwards lets the lowest index write last, so it wins.
        aliases = dict(zip(reversed(lowered), reversed(keys), strict=True))
        for key in wv.key_to_index.keys() & aliases.keys():
            del aliases[key]
        _casing_aliases[wv] = aliases
    return aliases


def copy_pretrained_rows(
    target: KeyedVectors,
    source: KeyedVectors,
    *,
    lowercase: bool = True,
    name: str = "vectors",
) -> np.ndarray:
    """Overwrite the rows of ``target`` whose words ``source`` has; return them.

    A word is looked up as written, then (with ``lowercase``) in lowercase and
    in the other casings ``source`` has.
    """
    if source.vector_size != target.vector_size:
        raise ValueError(
            f"{name} has {source.vector_size} dimensions but the model is being "
            f"trained with vector_size={target.vector_size}; set "
            f"vector_size={source.vector_size} to start from these vectors."
        )
    known = source.key_to_index
    aliases = casing_aliases(source) if lowercase else {}
    ids = np.fromiter(
        map(known.get, target.index_to_key, repeat(-1)), np.int64, len(target)
    )
    if lowercase:
        for row in np.flatnonzero(ids < 0):
            lower = target.index_to_key[row].lower()
            ids[row] = known.get(lower, known.get(aliases.get(lower, ""), -1))
    rows = np.flatnonzero(ids >= 0)
    target.vectors[rows] = source.vectors[ids[rows]]
    return rows


def _is_path(vectors) -> bool:
    return isinstance(vectors, (str, os.PathLike))


class PretrainedEmbeddingVectorizer(_BaseEmbeddingVectorizer):
    r"""Turn documents into sentence vectors with pretrained word vectors.

    The vectors come from a file (word2vec binary or text, GloVe, fastText
    ``.bin``, gensim's saved ``KeyedVectors``; the format is detected from the
    file) or from vectors already in memory. A file is parsed at most once per
    process; later loads, also in other processes such as the workers of
    ``GridSearchCV(n_jobs=2)``, map a cached copy (see :func:`load_vectors`).
    ``clone`` never copies the table, and pickling stores a reference to the
    file, not the table, unless ``embed_vectors=True``.

    Parameters
    ----------
    vectors : str, PathLike, KeyedVectors, gensim model or fitted skw2v estimator
        The pretrained vectors: a file, or vectors already in memory.
    binary : bool or None, default=None
        Whether a word2vec file is binary; None detects it.
    limit : int or None, default=None
        Keep only the first ``limit`` words of a word2vec or GloVe file.
    cache_dir : str, PathLike, bool or None, default=None
        Where memory-mappable copies of parsed files are kept; None means the
        per-user cache (``$SKW2V_CACHE_DIR``, else ``$XDG_CACHE_HOME/skw2v``,
        else ``~/.cache/skw2v``), False disables it.
    max_phrase_words : int, default=1
        Join up to this many adjacent tokens with "_" when the joined form is in
        the table ("new york" -> "New_York" in the Google News vectors); the
        longest match wins, from left to right. 1 disables joining.
    embed_vectors : bool, default=False
        Whether pickling a fitted vectorizer stores the table itself. By default
        only a reference (the path and a fingerprint of the file) is stored and
        unpickling loads the file again, through the cache.
    pooling : {"mean", "sum", "max", "mean+max"}, default="mean"
        How the vectors of a document's known words are combined.
    weighting : {"tfidf", "sif"} or None, default=None
        Weigh each word by its inverse document frequency or by SIF's
        ``a / (a + p(word))``, learned on the training documents.
    sif_a : float, default=1e-3
        The ``a`` of SIF weighting.
    remove_components : int, default=0
        Remove the projection on this many principal components of the training
        documents' vectors.
    norm : {"l2"} or None, default=None
        If ``"l2"``, every non-zero output row is scaled to unit Euclidean norm.
    n_jobs : int or None, default=None
        Worker processes for ``transform`` of large batches of raw text, as in
        :class:`AvgWord2VecTransformer`; a table read from a file is reopened by
        each worker, memory-mapped from the cache (see :func:`load_vectors`).
        None means 1, -1 all CPUs. Results do not depend on it.
    lowercase : bool, default=True
        Convert raw documents to lowercase before tokenizing. With cased vectors
        a token is looked up as written, then in the other casings the table
        has, so that "paris" finds "Paris".
    token_pattern : str or None, default=r"(?u)\w+(?:'\w+)*"
        Regular expression that matches a token.
    tokenizer : callable or None, default=None
        A function ``str -> list[str]`` that replaces the regular expression.
    verbose : int, default=0
        Report progress while parsing a large file.

    Attributes
    ----------
    wv_ : gensim.models.KeyedVectors
        The word vectors (shared with every other user of the same file).
    vectors_info_ : dict
        Where the vectors come from: ``source`` (the path, or None for vectors
        in memory), ``fingerprint`` of the file, ``n_words``, ``vector_size``.
    word_weights_ : ndarray of shape (n_words,) or None
        The weight of each word; None without weighting.
    components_ : ndarray of shape (remove_components, n_features_out)
        The directions removed from every output row.

    See Also
    --------
    AvgWord2VecTransformer : The same pooling over vectors held in memory.
    Word2VecVectorizer : Learns the vectors on the documents, optionally starting
        from pretrained ones (``init_vectors``).
    load_vectors : Loads a vector file once per process.

    Examples
    --------
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> from skw2v import PretrainedEmbeddingVectorizer
    >>> wv = KeyedVectors(vector_size=2)
    >>> wv.add_vectors(
    ...     ["Paris", "is", "New_York", "big"],
    ...     np.array([[1, 0], [0, 0], [0, 1], [1, 1]]),
    ... )
    >>> path = getfixture("tmp_path") / "cased.vec"
    >>> wv.save_word2vec_format(str(path))
    >>> vectorizer = PretrainedEmbeddingVectorizer(
    ...     vectors=path, max_phrase_words=2, cache_dir=False
    ... )
    >>> vectorizer.fit_transform(["Paris is big", "New York is big"])
    array([[0.6666667 , 0.33333334],
           [0.33333334, 0.6666667 ]], dtype=float32)
    >>> report = vectorizer.coverage(["paris and new york"])
    >>> report["n_found"], report["n_tokens"], report["missing"]
    (2, 3, [('and', 1)])
    """

    _parameter_constraints: dict = {
        **_BaseEmbeddingVectorizer._parameter_constraints,
        "vectors": "no_validation",  # checked, with a clear message, in fit
        "binary": ["boolean", None],
        "limit": [Interval(Integral, 1, None, closed="left"), None],
        "cache_dir": [str, os.PathLike, "boolean", None],
        "max_phrase_words": [Interval(Integral, 1, None, closed="left")],
        "embed_vectors": ["boolean"],
        "verbose": ["verbose"],
    }
    _shared_params = ("vectors",)

    def __init__(
        self,
        vectors=None,
        *,
        binary=None,
        limit=None,
        cache_dir=None,
        max_phrase_words=1,
        embed_vectors=False,
        pooling="mean",
        weighting=None,
        sif_a=1e-3,
        remove_components=0,
        norm=None,
        n_jobs=None,
        lowercase=True,
        token_pattern=DEFAULT_TOKEN_PATTERN,
        tokenizer=None,
        verbose=0,
    ):
        self.vectors = vectors
        self.binary = binary
        self.limit = limit
        self.cache_dir = cache_dir
        self.max_phrase_words = max_phrase_words
        self.embed_vectors = embed_vectors
        self.pooling = pooling
        self.weighting = weighting
        self.sif_a = sif_a
        self.remove_components = remove_components
        self.norm = norm
        self.n_jobs = n_jobs
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer
        self.verbose = verbose

    # -- where the vectors come from ------------------------------------------------

    def _load(self) -> KeyedVectors:
        if self.vectors is None:
            raise ValueError(
                "PretrainedEmbeddingVectorizer needs word vectors: pass vectors=... "
                "(a path to a word2vec/GloVe/fastText file, or a gensim "
                "KeyedVectors)."
            )
        return load_vectors(
            self.vectors,
            binary=self.binary,
            limit=self.limit,
            cache_dir=self.cache_dir,
            verbose=self.verbose,
        )

    def _fit_vectors(self, tokens: list) -> None:
        self.wv_ = self._load()
        source = self.vectors if _is_path(self.vectors) else None
        self.vectors_info_ = {
            "source": None if source is None else os.fspath(source),
            "fingerprint": None if source is None else file_fingerprint(source),
            "n_words": len(self.wv_),
            "vector_size": self.wv_.vector_size,
        }

    # -- from tokens to the keys of the table ---------------------------------------

    def _join_phrases(
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
        known = self.wv_.key_to_index
        aliases = casing_aliases(self.wv_) if self.lowercase else {}
        # Tokens from each position to the end of its document, itself included.
        room = np.repeat(np.cumsum(lengths), lengths) - np.arange(n_tokens)
        span = np.ones(n_tokens, dtype=np.int64)  # longest known n-gram at each
        for n in range(2, longest + 1):  # a longer n-gram overrides a shorter
            n_starts = n_tokens - n + 1
            shifted = (islice(tokens, j, None) for j in range(n))
            grams = list(map("_".join, zip(*shifted, strict=False)))
            found = np.fromiter(map(known.__contains__, grams), bool, n_starts)
            if aliases:
                found |= np.fromiter(map(aliases.__contains__, grams), bool, n_starts)
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

    def _canonical(
        self, tokens: list[str], lengths: np.ndarray
    ) -> tuple[list[str], np.ndarray]:
        """Rewrite tokens to the keys they resolve to: phrases, then casings.

        Only the distinct tokens missing from the table are examined, so the
        cost per token is one set insertion plus, when some casing resolves a
        missing token, one dictionary lookup.
        """
        if self.max_phrase_words > 1:
            tokens, lengths = self._join_phrases(tokens, lengths)
        if not self.lowercase:
            return tokens, lengths
        known = self.wv_.key_to_index
        aliases = casing_aliases(self.wv_)
        rewrites = {}
        for token in set(tokens).difference(known):
            lower = token.lower()
            target = lower if lower in known else aliases.get(lower)
            if target is not None:
                rewrites[token] = target
        if rewrites:
            tokens = list(map(rewrites.get, tokens, tokens))
        return tokens, lengths

    def _subword_rows(self, tokens: list[str]) -> tuple[list[str], np.ndarray]:
        """Vectors built from subword n-grams for the tokens the table lacks."""
        if not getattr(self.wv_, "bucket", 0):
            return [], np.zeros((0, self.wv_.vector_size), np.float32)
        unknown = sorted(set(tokens).difference(self.wv_.key_to_index))
        rows = [self.wv_.get_vector(word) for word in unknown]
        return unknown, np.array(rows, dtype=np.float32).reshape(len(unknown), -1)

    def _lookup_table(self, tokens: list[str]):
        unknown, rows = self._subword_rows(tokens)
        if not unknown:
            return super()._lookup_table(tokens)
        # fastText: the batch's words plus rows computed from n-grams.
        return self._batch_table(tokens, unknown, rows)

    # -- coverage -------------------------------------------------------------------

    def coverage(self, X, *, n_missing: int = 20) -> dict:
        """Count how many tokens of ``X`` have a vector, and list the missing ones.

        Tokens found through another casing or joined into a phrase count as
        found; with a fastText model, tokens absent from its vocabulary count as
        missing even though their n-grams give them a vector (``n_subword``
        counts those). The estimator is not modified.

        Parameters
        ----------
        X : iterable of str or of list of str, pandas Series or one-column DataFrame
            Documents: raw text, or already tokenized documents.
        n_missing : int, default=20
            How many of the most frequent missing words to list.

        Returns
        -------
        report : dict
            ``n_tokens``, ``n_found``, ``share_found`` (``n_found / n_tokens``),
            ``n_unique``, ``n_unique_found``, ``n_subword`` and ``missing``, a
            list of ``(word, count)`` pairs, most frequent first.
        """
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        documents = check_documents(X, allow_empty=True)
        tokens, _ = self._canonical(*self._tokenize_flat(documents))
        counts = Counter(tokens)
        known = self.wv_.key_to_index
        missing = Counter({w: c for w, c in counts.items() if w not in known})
        n_tokens = sum(counts.values())
        n_found = n_tokens - sum(missing.values())
        subword = bool(getattr(self.wv_, "bucket", 0))
        return {
            "n_tokens": n_tokens,
            "n_found": n_found,
            "share_found": n_found / n_tokens if n_tokens else 0.0,
            "n_unique": len(counts),
            "n_unique_found": len(counts) - len(missing),
            "n_subword": sum(missing.values()) if subword else 0,
            "missing": missing.most_common(n_missing),
        }

    # -- pickling: a reference to the file, not the table ---------------------------

    def __copy__(self):
        # copy.copy (used by clone) shares the table; only pickling leaves it out.
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        return new

    def __getstate__(self):
        state = dict(super().__getstate__())  # Python's own is __dict__ itself
        if _is_path(self.vectors) and not self.embed_vectors:
            state.pop("wv_", None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        info = state.get("vectors_info_")
        if info is None or "wv_" in state:
            return
        try:
            self.wv_ = self._load()
            fingerprint = file_fingerprint(self.vectors)
        except (FileNotFoundError, IsADirectoryError) as exc:
            raise FileNotFoundError(
                f"This PretrainedEmbeddingVectorizer was saved without its vectors "
                f"(embed_vectors=False) and refers to {info['source']!r}, which "
                "cannot be found here. Copy that file to this path on this machine "
                "(a symbolic link will do), or save the vectorizer with "
                "embed_vectors=True to carry the table inside the pickle."
            ) from exc
        if fingerprint != info["fingerprint"]:
            raise ValueError(
                f"The vector file {info['source']!r} changed since this "
                "PretrainedEmbeddingVectorizer was fitted (its size or content "
                "differs), so the model downstream would receive different "
                "features. Restore the original file, or refit."
            )
