"""``Word2VecVectorizer``: train word2vec on the documents, then pool."""

from __future__ import annotations

from ._docstrings import fill_doc
from ._models import WORD2VEC
from ._text import DEFAULT_TOKEN_PATTERN
from ._trained import _BaseTrainedVectorizer


@fill_doc
class Word2VecVectorizer(_BaseTrainedVectorizer):
    r"""Train word2vec on text documents and return one pooled vector per document.

    ``fit`` tokenizes the documents and trains a gensim ``Word2Vec`` model on
    them (CBOW or Skip-Gram); ``transform`` pools the vectors of each document's
    words (the mean by default) into one float32 row, exactly as
    [`AvgWord2VecTransformer`][skw2v.AvgWord2VecTransformer] does. Every training
    hyperparameter can be grid-searched like any other scikit-learn parameter.

    A corpus larger than memory trains from disk: pass a
    [`LineCorpus`][skw2v.LineCorpus] (or any corpus that can be read again),
    which is tokenized a batch at a time on every pass. ``partial_fit``
    continues training on one batch of documents after another.

    The training hyperparameters carry gensim's names and defaults, so
    ``Word2VecVectorizer(sg=1, window=10)`` trains the same model as
    ``gensim.models.Word2Vec(sg=1, window=10)``; only ``n_jobs`` (gensim's
    ``workers``) and ``random_state`` (gensim's ``seed``) take scikit-learn names.

    Parameters
    ----------
    {{word2vec_hyperparameters}}
    {{training_runtime}}
    {{pooling_steps}}
    {{lowercase_trained}}
    {{token_pattern}}
    {{tokenizer}}
    {{keep_model}}
    {{verbose_training}}
    init_vectors : str, PathLike, KeyedVectors, gensim model or None, default=None
        Fine-tune pretrained vectors instead of starting from random ones: the
        words of the training vocabulary that these vectors cover (looked up as
        [`PretrainedEmbeddingVectorizer`][skw2v.PretrainedEmbeddingVectorizer] does,
        other casings included) start from their pretrained vector, the others start
        random, and training continues on the documents. A path is loaded with
        [`load_vectors`][skw2v.load_vectors] (once per process, through the cache); the
        vectors must have ``vector_size`` dimensions. ``clone`` shares them, never
        copies them.
        {{init_vectors_static}}
    {{memory}}

    Attributes
    ----------
    wv_ : gensim.models.KeyedVectors
        The trained word vectors: ``wv_.most_similar("good")``,
        ``wv_.similarity("good", "great")``, analogies with
        ``wv_.most_similar(positive=[...], negative=[...])``.
    model_ : gensim.models.Word2Vec
        The trained model with its training state; only when ``keep_model=True``.
    n_words_initialized_ : int
        How many words started from ``init_vectors``; only with ``init_vectors``.
    {{word_weights_}}
    {{unseen_word_weight_}}
    {{components_}}

    See Also
    --------
    AvgWord2VecTransformer : Pools documents over word vectors you already have.
    FastTextVectorizer : The same with subword n-grams, which give unseen words
        a vector.

    Notes
    -----
    Documents longer than 10,000 tokens are cut into pieces of 10,000 tokens
    for training, because gensim ignores the words of a sentence past that
    length. Pooling always uses the whole document.

    Examples
    --------
    >>> from skw2v import Word2VecVectorizer
    >>> from skw2v.datasets import load_movie_reviews
    >>> reviews = load_movie_reviews()
    >>> vectorizer = Word2VecVectorizer(vector_size=50, random_state=0)
    >>> X = vectorizer.fit_transform(reviews.data)
    >>> X.shape, X.dtype
    ((10662, 50), dtype('float32'))
    >>> len(vectorizer.wv_)  # words seen at least min_count=5 times
    4630
    >>> vectorizer.get_feature_names_out()[:3]
    array(['word2vecvectorizer0', 'word2vecvectorizer1', 'word2vecvectorizer2'],
          dtype=object)
    """

    _parameter_constraints: dict = {
        **_BaseTrainedVectorizer._parameter_constraints,
        **WORD2VEC.constraints,
    }
    _spec = WORD2VEC

    def __init__(
        self,
        *,
        vector_size=100,
        window=5,
        min_count=5,
        sg=0,
        hs=0,
        negative=5,
        ns_exponent=0.75,
        cbow_mean=1,
        sample=1e-3,
        alpha=0.025,
        min_alpha=1e-4,
        epochs=5,
        max_vocab_size=None,
        max_final_vocab=None,
        shrink_windows=True,
        n_jobs=None,
        random_state=None,
        pooling="mean",
        weighting=None,
        sif_a=1e-3,
        remove_components=0,
        norm=None,
        lowercase=True,
        token_pattern=DEFAULT_TOKEN_PATTERN,
        tokenizer=None,
        keep_model=False,
        verbose=0,
        init_vectors=None,
        memory=None,
    ):
        self.vector_size = vector_size
        self.window = window
        self.min_count = min_count
        self.sg = sg
        self.hs = hs
        self.negative = negative
        self.ns_exponent = ns_exponent
        self.cbow_mean = cbow_mean
        self.sample = sample
        self.alpha = alpha
        self.min_alpha = min_alpha
        self.epochs = epochs
        self.max_vocab_size = max_vocab_size
        self.max_final_vocab = max_final_vocab
        self.shrink_windows = shrink_windows
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.pooling = pooling
        self.weighting = weighting
        self.sif_a = sif_a
        self.remove_components = remove_components
        self.norm = norm
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer
        self.keep_model = keep_model
        self.verbose = verbose
        self.init_vectors = init_vectors
        self.memory = memory
