"""``EmbeddingSequencer``: index sequences and an embedding matrix for networks."""

from __future__ import annotations

from collections import Counter
from itertools import chain
from numbers import Integral

import numpy as np
from gensim.models import KeyedVectors
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ._base import CHUNK_SIZE, STREAM_BATCH_CHARACTERS
from ._compat import Interval, StrOptions, _fit_context
from ._docstrings import fill_doc
from ._loading import load_vectors
from ._parallel import physical_memory
from ._pooling import chunk_bounds, concatenate_rows, known_tokens
from ._sharing import _SharedTableMixin
from ._static import word_table
from ._text import DEFAULT_TOKEN_PATTERN, _TokenizerMixin, checked_batches
from ._vectors import token_ids


@fill_doc
class EmbeddingSequencer(
    _SharedTableMixin,
    _TokenizerMixin,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    BaseEstimator,
):
    r"""Turn texts into padded word-index sequences, with a matching embedding matrix.

    For Keras or PyTorch models that read sequences (RNNs, CNNs, transformers):
    ``fit`` learns a vocabulary from the training texts and builds
    ``embedding_matrix_``, whose row ``i`` is the pretrained vector of the word
    with index ``i``. Row 0 is reserved for padding and holds zeros; words the
    pretrained vectors lack get random rows drawn from ``random_state``.
    ``transform`` turns texts into integer sequences of ``max_length`` indices
    consistent with that matrix; words outside the vocabulary are dropped.

    Load the matrix into ``torch.nn.Embedding.from_pretrained(...,
    padding_idx=0)`` (or a Keras ``Embedding`` layer) and choose there whether
    it stays frozen or is fine-tuned.

    Parameters
    ----------
    vectors : str, PathLike, KeyedVectors, gensim model, fitted estimator or None
        The pretrained vectors (a path is loaded with
        [`load_vectors`][skw2v.load_vectors]), or a static model's folder
        (Model2Vec, WordLlama, ...), whose row for a word is the mean of the
        vectors of the tokens the model splits it into. None gives a random
        matrix for every word, to learn from scratch.
    vector_size : int, default=100
        Width of the matrix when ``vectors`` is None; otherwise ignored.
    min_count : int, default=1
        Ignore training words that occur fewer times than this.
    max_words : int or None, default=None
        Keep at most this many words, the most frequent ones.
    max_length : int or None, default=None
        Length of every output sequence; None means the longest training text.
    truncating : {"post", "pre"}, default="post"
        Cut longer texts at the end ("post") or at the start ("pre").
    padding : {"post", "pre"}, default="post"
        Put the padding zeros after ("post") or before ("pre") the words.
    lowercase : bool, default=True
        Convert raw documents to lowercase before tokenizing; cased vectors are
        then searched in their other casings too.
    {{token_pattern}}
    {{tokenizer}}
    random_state : int, RandomState instance or None, default=None
        Seed of the random rows of words without a pretrained vector.

    Attributes
    ----------
    vocabulary_ : dict
        Word -> index (from 1, most frequent first).
    index_to_word_ : ndarray of shape (n_words + 1,), dtype object
        Index -> word; entry 0, the padding, is the empty string.
    embedding_matrix_ : ndarray of shape (n_words + 1, vector_size), dtype float32
        Row ``i`` is the vector of word ``i``; row 0 is zeros.
    coverage_ : dict
        ``n_words``, ``n_found`` (words with a pretrained vector), ``n_missing``
        and ``missing_words`` (most frequent first).
    max_length_ : int
        The length of the output sequences.

    See Also
    --------
    PretrainedEmbeddingVectorizer : One pooled vector per text instead.

    Examples
    --------
    >>> from skw2v import EmbeddingSequencer
    >>> from skw2v.datasets import load_glove_50d
    >>> glove = load_glove_50d(data_home=getfixture("tmp_path"), cache_dir=False)
    >>> sequencer = EmbeddingSequencer(vectors=glove.vectors, max_length=4)
    >>> docs = ["a good movie", "good good good good good", "a flick, unwatchablish"]
    >>> sequencer.fit_transform(docs)  # the most frequent word first, 0 pads
    array([[2, 1, 4, 0],
           [1, 1, 1, 1],
           [2, 3, 5, 0]])
    >>> sequencer.index_to_word_
    array(['', 'good', 'a', 'flick', 'movie', 'unwatchablish'], dtype=object)
    >>> sequencer.embedding_matrix_.shape  # row 1 is GloVe's "good"
    (6, 50)
    >>> bool((sequencer.embedding_matrix_[1] == glove.vectors["good"]).all())
    True
    >>> sequencer.coverage_
    {'n_words': 5, 'n_found': 4, 'n_missing': 1, 'missing_words': ['unwatchablish']}
    """

    _parameter_constraints: dict = {
        "vectors": "no_validation",  # checked, with a clear message, in fit
        "vector_size": [Interval(Integral, 1, None, closed="left")],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "max_words": [Interval(Integral, 1, None, closed="left"), None],
        "max_length": [Interval(Integral, 1, None, closed="left"), None],
        "truncating": [StrOptions({"pre", "post"})],
        "padding": [StrOptions({"pre", "post"})],
        **_TokenizerMixin._tokenizer_constraints,
        "random_state": ["random_state"],
    }
    _shared_params = ("vectors",)

    def __init__(
        self,
        vectors=None,
        *,
        vector_size=100,
        min_count=1,
        max_words=None,
        max_length=None,
        truncating="post",
        padding="post",
        lowercase=True,
        token_pattern=DEFAULT_TOKEN_PATTERN,
        tokenizer=None,
        random_state=None,
    ):
        self.vectors = vectors
        self.vector_size = vector_size
        self.min_count = min_count
        self.max_words = max_words
        self.max_length = max_length
        self.truncating = truncating
        self.padding = padding
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the vocabulary and build the embedding matrix.

        {{fit_parameters}}

        Returns
        -------
        self : object
            The fitted sequencer.
        """
        counts: Counter = Counter()
        n_documents = longest = 0
        for batch in checked_batches(X, CHUNK_SIZE):
            tokens = self._tokenizer().documents(batch)
            counts.update(chain.from_iterable(tokens))
            n_documents += len(tokens)
            longest = max(longest, max(map(len, tokens), default=0))
        words = sorted(
            (w for w, c in counts.items() if c >= self.min_count),
            key=lambda w: (-counts[w], w),
        )[: self.max_words]
        if not words:
            raise ValueError(
                f"Empty vocabulary: no word occurs at least min_count="
                f"{self.min_count} times in the {n_documents} training documents."
            )
        pretrained = None if self.vectors is None else load_vectors(self.vectors)
        size = self.vector_size if pretrained is None else pretrained.vector_size
        table = KeyedVectors(vector_size=size, count=0)
        table.add_vectors(words, np.zeros((len(words), size), np.float32))
        found = np.zeros(len(words), dtype=bool)
        if pretrained is not None:
            # A static model's table gives a word the mean of its tokens' vectors.
            pretrained_table = word_table(pretrained, casings=self.lowercase)
            found[pretrained_table.copy_rows_into(table)] = True
        # Random rows with the spread of the pretrained ones (0.1 without any).
        scale = float(table.vectors[found].std()) if found.any() else 0.1
        rng = check_random_state(self.random_state)
        random_rows = rng.normal(0.0, scale, (int((~found).sum()), size))
        table.vectors[~found] = random_rows.astype(np.float32)

        self.vocabulary_ = {word: i for i, word in enumerate(words, start=1)}
        self.index_to_word_ = np.array([""] + words, dtype=object)
        self.embedding_matrix_ = np.vstack([np.zeros((1, size)), table.vectors]).astype(
            np.float32
        )
        missing = [w for w, hit in zip(words, found, strict=True) if not hit]
        self.coverage_ = {
            "n_words": len(words),
            "n_found": int(found.sum()),
            "n_missing": len(missing),
            "missing_words": missing,
        }
        self.max_length_ = self.max_length or max(1, longest)
        return self

    def transform(self, X):
        """Return the padded index sequences of the documents.

        Parameters
        ----------
        {{X}}

        Returns
        -------
        sequences : ndarray of shape (n_documents, max_length_), dtype int64
            Word indices into ``embedding_matrix_``; 0 is padding.
        """
        check_is_fitted(self)
        parts, n_documents = [], 0
        for documents in checked_batches(X, STREAM_BATCH_CHARACTERS):
            n_documents += len(documents)
            self._check_fits_in_memory(n_documents)
            sequences = np.zeros((len(documents), self.max_length_), dtype=np.int64)
            sizes = np.fromiter(map(len, documents), np.int64, count=len(documents))
            for start, stop in chunk_bounds(sizes, CHUNK_SIZE):  # memory: one chunk
                self._fill(documents[start:stop], sequences[start:stop])
            parts.append(sequences)
        return concatenate_rows(parts)

    def _check_fits_in_memory(self, n_documents: int) -> None:
        """Refuse an output larger than this machine's memory, before allocating it.

        With ``max_length=None`` the longest training text sets the width of
        every row, so one huge text would otherwise make ``transform``
        allocate without bound.
        """
        n_bytes = n_documents * self.max_length_ * np.dtype(np.int64).itemsize
        memory = physical_memory()
        if memory is not None and n_bytes > memory:
            raise MemoryError(
                f"The index sequences of {n_documents:,} documents would take "
                f"{n_bytes / 2**30:,.1f} GiB at max_length_={self.max_length_:,}, "
                f"more than this machine's {memory / 2**30:,.1f} GiB of memory"
                + (
                    " (max_length=None: the longest training text sets it)"
                    if self.max_length is None
                    else ""
                )
                + ". Pass a smaller max_length (e.g. 512) to cut longer texts, "
                "or transform fewer documents at a time."
            )

    def _fill(self, documents: list, sequences: np.ndarray) -> None:
        """Write the index sequences of checked documents into ``sequences``."""
        tokens, lengths = self._tokenizer().documents_flat(documents)
        ids, docs, indptr = known_tokens(token_ids(tokens, self.vocabulary_), lengths)
        del tokens
        n_known = np.diff(indptr)
        position = np.arange(len(ids)) - indptr[docs]
        length = self.max_length_
        if self.truncating == "pre":  # keep the last max_length words
            position -= np.maximum(n_known - length, 0)[docs]
        keep = (position >= 0) & (position < length)
        docs, ids, position = docs[keep], ids[keep], position[keep]
        if self.padding == "pre":
            position += (length - np.minimum(n_known, length))[docs]
        sequences[docs, position] = ids

    @property
    def _n_features_out(self) -> int:
        return self.max_length_
