"""``PretrainedEmbeddingVectorizer``: pool documents over pretrained word vectors."""

from __future__ import annotations

import os
from numbers import Integral

from gensim.models import KeyedVectors

from ._base import _BaseEmbeddingVectorizer
from ._compact import DTYPES
from ._compat import Interval, StrOptions
from ._docstrings import fill_doc
from ._loading import load_vectors, source_digest, source_fingerprint
from ._sharing import _BY_REFERENCE
from ._static import _StaticModelMixin, static_tokenizer
from ._text import DEFAULT_TOKEN_PATTERN
from ._vectors import WordTable


def _is_path(vectors) -> bool:
    return isinstance(vectors, (str, os.PathLike))


@fill_doc
class PretrainedEmbeddingVectorizer(_StaticModelMixin, _BaseEmbeddingVectorizer):
    r"""Turn documents into sentence vectors with pretrained word vectors.

    The vectors come from a file (word2vec binary or text, GloVe, fastText
    ``.bin``, gensim's saved ``KeyedVectors``; the format is detected from the
    file), from the folder of a static embedding model (Model2Vec,
    sentence-transformers ``StaticEmbedding``, WordLlama: token vectors and
    the tokenizer that splits documents into their tokens) or from vectors
    already in memory. A file is parsed at most once per
    process; later loads, also in other processes such as the workers of
    ``GridSearchCV(n_jobs=2)``, map a cached copy (see
    [`load_vectors`][skw2v.load_vectors]). ``clone`` never copies the table, and
    pickling stores a reference to the file, not the table, unless
    ``embed_vectors=True``.

    Parameters
    ----------
    vectors : str, PathLike, KeyedVectors, gensim model or fitted skw2v estimator
        The pretrained vectors: a file, a static model's folder (see
        [`load_vectors`][skw2v.load_vectors]), or vectors already in memory.
        With a static model, documents are split by the model's own tokenizer
        and ``lowercase``, ``token_pattern``, ``tokenizer`` and
        ``max_phrase_words`` must keep their defaults; ``norm=None`` follows
        the model (Model2Vec's ``normalize``, a ``Normalize`` module), so that
        the default rows are the model's own.
    binary : bool or None, default=None
        Whether a word2vec file is binary; None detects it.
    limit : int or None, default=None
        Keep only the first ``limit`` words of a word2vec or GloVe file.
    dtype : {None, "float32", "float16", "int8"}, default=None
        How the table of a file is kept: None keeps the file's precision,
        ``"float16"`` takes half the memory and ``"int8"`` a quarter (integers
        times one float32 scale per row); pooling adds up in float32. See
        [`load_vectors`][skw2v.load_vectors].
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
        only a reference (the path, a fingerprint of the file and a digest of
        all its bytes) is stored, and unpickling loads the file again, through
        the cache, refusing a file whose bytes changed.
    allow_pickle : bool, default=False
        Whether ``vectors`` may be a Python pickle (gensim's ``.save()``
        files), which runs the code it holds when loaded; see
        [`load_vectors`][skw2v.load_vectors]. The data formats never need it.
    {{pooling_steps}}
    {{n_jobs}}
    {{lowercase_casings}}
    {{token_pattern}}
    {{tokenizer}}
    verbose : int, default=0
        Report progress while parsing a large file.

    Attributes
    ----------
    wv_ : gensim.models.KeyedVectors
        The word vectors (shared with every other user of the same file).
    vectors_info_ : dict
        Where the vectors come from: ``source`` (the path, or None for vectors
        in memory), ``fingerprint`` of the file (its size and a checksum of its
        first and last MiB; of each file of a static model), ``sha256`` (of
        every byte of a word-vector file, taken when it was parsed),
        ``n_words`` (tokens, for a static model), ``vector_size``, ``dtype``
        (the table's) and ``layout`` (the static model's: ``"model2vec"``,
        ``"sentence-transformers"``, ``"wordllama"``; None for word vectors).
    {{word_weights_}}
    {{unseen_word_weight_}}
    {{components_}}

    See Also
    --------
    AvgWord2VecTransformer : The same rows over vectors held in memory.
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
        "dtype": [StrOptions(set(DTYPES)), None],
        "cache_dir": [str, os.PathLike, "boolean", None],
        "max_phrase_words": [Interval(Integral, 1, None, closed="left")],
        "embed_vectors": ["boolean"],
        "allow_pickle": ["boolean"],
        "verbose": ["verbose"],
    }
    _shared_params = ("vectors",)

    def __init__(
        self,
        vectors=None,
        *,
        binary=None,
        limit=None,
        dtype=None,
        cache_dir=None,
        max_phrase_words=1,
        embed_vectors=False,
        allow_pickle=False,
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
        self.dtype = dtype
        self.cache_dir = cache_dir
        self.max_phrase_words = max_phrase_words
        self.embed_vectors = embed_vectors
        self.allow_pickle = allow_pickle
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
            dtype=self.dtype,
            cache_dir=self.cache_dir,
            allow_pickle=self.allow_pickle,
            verbose=self.verbose,
        )

    def _fit_vectors(self, tokens, *, partial: bool = False) -> None:
        self.wv_ = self._load()
        static = self._find_static()
        source = self.vectors if _is_path(self.vectors) else None
        self.vectors_info_ = {
            "source": None if source is None else os.fspath(source),
            "fingerprint": None if source is None else source_fingerprint(self.vectors),
            "sha256": None if source is None else source_digest(self.wv_),
            "n_words": len(self.wv_),
            "vector_size": self.wv_.vector_size,
            "dtype": str(self.wv_.vectors.dtype),
            "layout": None if static is None else static.files.name,
        }

    def _word_table(self) -> WordTable:
        return WordTable(
            self.wv_, casings=self.lowercase, max_phrase_words=self.max_phrase_words
        )

    # -- pickling: a reference to the file, not the table ---------------------------

    def _table_by_reference(self) -> bool:
        return _is_path(self.vectors) and not self.embed_vectors

    def __getstate__(self):
        state = super().__getstate__()
        if state.get(_BY_REFERENCE):
            state.pop("_static", None)  # reloaded with the table
        return state

    def _reload_table(self) -> None:
        info = self.vectors_info_
        try:
            self.wv_ = self._load()
            self._static = static_tokenizer(self.wv_)
            fingerprint = source_fingerprint(self.vectors)
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
        recorded, found = info.get("sha256"), source_digest(self.wv_)
        if recorded is not None and found != recorded:
            raise ValueError(
                f"The vector file {info['source']!r} changed since this "
                "PretrainedEmbeddingVectorizer was fitted: its size and its first "
                "and last MiB are the same, but the SHA-256 of its bytes is "
                f"{found} instead of {recorded} (bytes in the middle were "
                "rewritten), so the model downstream would receive different "
                "features. Restore the original file, or refit the vectorizer "
                "(and the model after it) on this file."
            )
