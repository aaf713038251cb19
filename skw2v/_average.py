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
    pooling : {"mean", "sum", "max", "mean+max"}, default="mean"
        How the (weighted) vectors of a document's known words are combined:
        ``"mean"`` divides their sum by the number of known tokens, ``"sum"``
        adds them, ``"max"`` takes the element-wise maximum, ``"mean+max"``
        puts the mean and the maximum side by side (twice as many columns).
    weighting : {"tfidf", "sif"} or None, default=None
        Scale each token's vector before pooling. ``"tfidf"``: by the word's
        smooth inverse document frequency in the training documents,
        ``ln((1 + n) / (1 + df)) + 1`` as in scikit-learn (a word repeated in a
        document counts each time, which makes the term frequency). ``"sif"``:
        by the smooth inverse frequency ``sif_a / (sif_a + p(w))`` of Arora,
        Liang & Ma (2017), ``p(w)`` being the word's share of the training
        tokens; words of the vectors absent from the training documents get
        ``p(w)`` from their frequency rank in the vectors by Zipf's law
        (``1 / ((rank + 1) H)``, ``H`` the harmonic number of the vocabulary
        size). None weighs every token 1.
    sif_a : float, default=1e-3
        The ``a`` of ``weighting="sif"``: the smaller, the more frequent words
        are played down.
    remove_components : int, default=0
        Remove from every output row its projection on the first
        ``remove_components`` principal directions of the training documents'
        pooled vectors (learned in fit, not centered, as Arora, Liang & Ma do);
        combined with ``weighting="sif"`` this is their SIF embedding.
    norm : {"l2"} or None, default=None
        If ``"l2"``, every non-zero output row is scaled to unit Euclidean norm.
    n_jobs : int or None, default=None
        Worker processes for ``transform``. A large batch of raw text (at
        least two million characters per worker) is cut into one part per
        worker process, which tokenizes and pools it and writes its rows into a
        shared output. A memory-mapped table is shared; a table in memory over
        16 MB is copied to each call's workers, so the batch must then be larger
        (by 1 character per 20 bytes of table). Smaller batches and tokenized
        documents are pooled in this process. The first such call starts the
        processes (as long as importing skw2v takes); joblib keeps them for later
        calls. None means 1, -1 all CPUs. Results do not depend on it.
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
    word_weights_ : ndarray of shape (n_words,) or None
        The weight of each word of ``wv_`` (in its row order); None without
        ``weighting``.
    components_ : ndarray of shape (remove_components, n_features_out)
        The directions removed from every output row.

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

    def _fit_vectors(self, tokens: list) -> None:
        if self.vectors is None:
            raise ValueError(
                "AvgWord2VecTransformer needs word vectors: pass vectors=... "
                "(a gensim KeyedVectors or model, or a fitted Word2VecVectorizer)."
            )
        self.wv_ = as_keyed_vectors(self.vectors)
