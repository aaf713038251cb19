"""``AvgWord2VecTransformer``: pool documents over word vectors you already have."""

from __future__ import annotations

from ._base import _BaseEmbeddingVectorizer
from ._text import DEFAULT_TOKEN_PATTERN
from ._vectors import as_keyed_vectors


class AvgWord2VecTransformer(_BaseEmbeddingVectorizer):
    r"""Turn documents into sentence vectors by pooling given word vectors.

    Each document is tokenized (unless it already is), the vectors of its words
    that exist in ``vectors`` are looked up, and they are pooled into one row.
    Unknown words are skipped; a document with no known word gives a row of
    zeros and ``transform`` warns once with the count of such documents.

    The pooling is one sparse-matrix product with the vector table, not a Python
    loop over words. ``vectors`` is shared, never copied: ``clone`` (and so
    ``GridSearchCV``) hands the same table to every copy of the transformer.

    Parameters
    ----------
    vectors : KeyedVectors, gensim Word2Vec/FastText model or fitted vectorizer
        The word vectors: a gensim ``KeyedVectors``, a gensim model (its ``wv``
        is used), or a fitted :class:`Word2VecVectorizer`.
    pooling : {"mean"}, default="mean"
        How the vectors of a document's known words are combined. ``"mean"``
        averages them.
    norm : {"l2"} or None, default=None
        If ``"l2"``, every non-zero output row is scaled to unit Euclidean norm.
    lowercase : bool, default=True
        Convert raw documents to lowercase before tokenizing. Already tokenized
        documents are used exactly as given.
    token_pattern : str or None, default=r"(?u)\w+(?:'\w+)*"
        Regular expression that matches a token. The default keeps single-letter
        words ("a", "i") and contractions ("don't", "it's") whole; ``None`` means
        the default. Ignored when ``tokenizer`` is given.
    tokenizer : callable or None, default=None
        A function ``str -> list[str]`` that replaces the regular expression.

    Attributes
    ----------
    wv_ : gensim.models.KeyedVectors
        The word vectors used (the object behind ``vectors``, not a copy).

    See Also
    --------
    Word2VecVectorizer : Trains the word vectors on the documents, then pools.

    Examples
    --------
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> from skw2v import AvgWord2VecTransformer
    >>> wv = KeyedVectors(vector_size=2)
    >>> wv.add_vectors(["good", "bad", "movie"], np.array([[1, 0], [-1, 0], [0, 1]]))
    >>> pooler = AvgWord2VecTransformer(vectors=wv).fit(["good movie"])
    >>> pooler.transform(["a good movie", "Bad, bad movie!"])
    array([[ 0.5       ,  0.5       ],
           [-0.6666667 ,  0.33333334]], dtype=float32)
    >>> pooler.get_feature_names_out()
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
        norm=None,
        lowercase=True,
        token_pattern=DEFAULT_TOKEN_PATTERN,
        tokenizer=None,
    ):
        self.vectors = vectors
        self.pooling = pooling
        self.norm = norm
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer

    def _fit_vectors(self, tokens: list) -> None:
        if self.vectors is None:
            raise ValueError(
                "AvgWord2VecTransformer needs word vectors: pass vectors=... "
                "(a gensim KeyedVectors or model, or a fitted Word2VecVectorizer)."
            )
        self.wv_ = as_keyed_vectors(self.vectors)
