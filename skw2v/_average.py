"""``AvgWord2VecTransformer``: pool documents over word vectors you already have."""

from __future__ import annotations

from ._base import _BaseEmbeddingVectorizer
from ._docstrings import fill_doc
from ._static import _StaticModelMixin
from ._text import DEFAULT_TOKEN_PATTERN
from ._vectors import as_keyed_vectors


@fill_doc
class AvgWord2VecTransformer(_StaticModelMixin, _BaseEmbeddingVectorizer):
    r"""Turn documents into sentence vectors by pooling given word vectors.

    Each document is tokenized (unless it already is), the vectors of its words
    that exist in ``vectors`` are looked up, and they are pooled into one row.
    Unknown words are skipped; a document with no known word gives a row of
    zeros and ``transform`` warns once with the count of such documents.

    The pooling is one sparse-matrix product with the vector table, not a Python
    loop over words. ``vectors`` is shared, never copied: ``clone`` (and so
    ``GridSearchCV``) hands the same table to every copy of the transformer.

    Over the same table it gives exactly the rows of
    ``PretrainedEmbeddingVectorizer`` (casings and fastText subwords included):
    use this one for vectors you hold in memory (a fitted vectorizer, a gensim
    model), that one for a file, loaded once per process, memory-mapped and
    pickled by reference, or to join phrases.

    Parameters
    ----------
    vectors : KeyedVectors, gensim Word2Vec/FastText model or fitted vectorizer
        The word vectors: a gensim ``KeyedVectors``, a gensim model (its ``wv``
        is used), or a fitted [`Word2VecVectorizer`][skw2v.Word2VecVectorizer].
        The table of a static embedding model (what
        [`load_vectors`][skw2v.load_vectors] gives for its folder, or a fitted
        ``PretrainedEmbeddingVectorizer`` over it) is pooled as
        ``PretrainedEmbeddingVectorizer`` pools the folder: documents are split
        by the model's own tokenizer, ``lowercase``, ``token_pattern`` and
        ``tokenizer`` must keep their defaults, and ``norm=None`` follows the
        model. Pickling keeps the table and its tokenizer.
    {{pooling_steps}}
    {{n_jobs}}
    {{lowercase_casings}}
    {{token_pattern}}
    {{tokenizer}}

    Attributes
    ----------
    wv_ : gensim.models.KeyedVectors
        The word vectors used (the object behind ``vectors``, not a copy).
    {{word_weights_}}
    {{unseen_word_weight_}}
    {{components_}}

    See Also
    --------
    Word2VecVectorizer : Trains the word vectors on the documents, then pools.
    PretrainedEmbeddingVectorizer : The same pooling over vectors from a file.

    Examples
    --------
    Pool the vectors a ``Word2VecVectorizer`` trained, with another setting:

    >>> import numpy as np
    >>> from skw2v import AvgWord2VecTransformer, Word2VecVectorizer
    >>> from skw2v.datasets import load_movie_reviews
    >>> reviews = load_movie_reviews().data
    >>> trained = Word2VecVectorizer(vector_size=20, random_state=0).fit(reviews)
    >>> pooler = AvgWord2VecTransformer(vectors=trained, pooling="max").fit(reviews)
    >>> pooler.wv_ is trained.wv_  # shared, not copied
    True
    >>> wv = pooler.wv_
    >>> rows = pooler.transform(["a good movie", "Bad, bad movie!"])
    >>> np.allclose(rows[1], np.maximum(wv["bad"], wv["movie"]))
    True
    >>> pooler.get_feature_names_out()[:2]
    array(['avgword2vectransformer0', 'avgword2vectransformer1'], dtype=object)
    """

    _parameter_constraints: dict = {
        **_BaseEmbeddingVectorizer._parameter_constraints,
        "vectors": "no_validation",  # checked, with a clear message, in fit
    }
    _shared_params = ("vectors",)

    def __init__(
        self,
        vectors=None,
        *,
        pooling="mean",
        weighting=None,
        sif_a=1e-3,
        remove_components=0,
        norm=None,
        n_jobs=None,
        lowercase=True,
        token_pattern=DEFAULT_TOKEN_PATTERN,
        tokenizer=None,
    ):
        self.vectors = vectors
        self.pooling = pooling
        self.weighting = weighting
        self.sif_a = sif_a
        self.remove_components = remove_components
        self.norm = norm
        self.n_jobs = n_jobs
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer

    def _fit_vectors(self, tokens, *, partial: bool = False) -> None:
        if self.vectors is None:
            raise ValueError(
                "AvgWord2VecTransformer needs word vectors: pass vectors=... "
                "(a gensim KeyedVectors or model, or a fitted Word2VecVectorizer)."
            )
        self.wv_ = as_keyed_vectors(self.vectors)
        self._find_static()
