"""``FastTextVectorizer``: train fastText on the documents, then pool."""

from __future__ import annotations

from ._docstrings import fill_doc
from ._models import FASTTEXT, FASTTEXT_BUCKET
from ._text import DEFAULT_TOKEN_PATTERN
from ._trained import _BaseTrainedVectorizer


@fill_doc
class FastTextVectorizer(_BaseTrainedVectorizer):
    r"""Train fastText on text documents and return one pooled vector per document.

    fastText (Bojanowski et al., 2017) is word2vec whose words also learn
    from their character n-grams: a word's vector is the mean of its own
    vector and those of its n-grams ("<wh", "whe", ..., "ere>" for "where"),
    so a word never seen in training still gets a vector, from its n-grams.
    ``fit`` trains a gensim ``FastText`` model on the documents; ``transform``
    pools the vectors of each document's words as
    [`Word2VecVectorizer`][skw2v.Word2VecVectorizer] does, and a word outside
    the vocabulary counts with its n-gram vector instead of being skipped.

    It takes every option of ``Word2VecVectorizer`` (streamed corpora,
    ``partial_fit``, ``memory``, ``init_vectors``), under gensim's names and
    defaults, plus the n-gram lengths ``min_n`` and ``max_n`` and the number
    of n-gram vectors ``bucket``, whose default is not gensim's (see below).
    Where subwords help and where they do not is measured on the
    documentation's page "Beyond averaging".

    Parameters
    ----------
    {{word2vec_hyperparameters}}
    min_n : int, default=3
        Length of the shortest character n-grams of a word (the word is
        framed by "<" and ">" first).
    max_n : int, default=6
        Length of the longest character n-grams. With ``max_n < min_n`` there
        are none: the model is word2vec, and unseen words get no vector.
    bucket : int, default=200_000
        Number of n-gram vectors: n-grams are hashed into this many rows, and
        those that share a row share a vector. The table takes ``bucket x
        vector_size`` floats (80 MB at 100 dimensions), per model in
        memory, so per grid-search candidate in flight; gensim's default,
        2,000,000, takes ten times as much for no gain in accuracy on the
        movie reviews. 0 disables n-grams.
    {{training_runtime}}
    {{pooling_steps}}
    {{lowercase_trained}}
    {{token_pattern}}
    {{tokenizer}}
    {{keep_model}}
    {{verbose_training}}
    init_vectors : str, PathLike, KeyedVectors, gensim model or None, default=None
        Fine-tune pretrained vectors instead of starting from random ones: a
        Facebook fastText ``.bin`` model, or any word vectors
        [`load_vectors`][skw2v.load_vectors] reads. The words of the training
        vocabulary that these vectors cover (looked up as
        [`PretrainedEmbeddingVectorizer`][skw2v.PretrainedEmbeddingVectorizer]
        does, other casings included) start with their pretrained vector, the
        others start random. The n-gram vectors of a fastText model are
        taken too, when it has the same ``min_n``, ``max_n`` and ``bucket``
        (otherwise ``fit`` says which values to set). A path is loaded once
        per process, through the cache; the vectors must have
        ``vector_size`` dimensions. ``clone`` shares them, never copies them.
        {{init_vectors_static}}
    {{memory}}

    Attributes
    ----------
    wv_ : gensim.models.fasttext.FastTextKeyedVectors
        The trained vectors: ``wv_["unseen"]`` builds the vector of a word
        outside the vocabulary from its n-grams, ``wv_.most_similar(...)``
        searches the vocabulary.
    model_ : gensim.models.FastText
        The trained model with its training state; only when ``keep_model=True``.
    n_words_initialized_ : int
        How many words started from ``init_vectors``; only with ``init_vectors``.
    {{word_weights_}}
    {{unseen_word_weight_}}
    {{components_}}

    See Also
    --------
    Word2VecVectorizer : The same without subwords: faster to train, smaller.

    Notes
    -----
    Documents longer than 10,000 tokens are cut into pieces of 10,000 tokens
    for training, as for ``Word2VecVectorizer``. With ``weighting``, a word
    outside the vocabulary weighs ``unseen_word_weight_``.

    Examples
    --------
    >>> from skw2v import FastTextVectorizer
    >>> from skw2v.datasets import load_movie_reviews
    >>> reviews = load_movie_reviews()
    >>> vectorizer = FastTextVectorizer(vector_size=20, bucket=20_000, random_state=0)
    >>> X = vectorizer.fit_transform(reviews.data[:2000])
    >>> X.shape, X.dtype
    ((2000, 20), dtype('float32'))
    >>> "unwatchably" in vectorizer.wv_.key_to_index  # never seen in training...
    False
    >>> vectorizer.wv_["unwatchably"].shape  # ...yet it has a vector
    (20,)
    >>> vectorizer.coverage(["an unwatchably dull film"])["n_subword"]
    1
    >>> vectorizer.get_feature_names_out()[:2]
    array(['fasttextvectorizer0', 'fasttextvectorizer1'], dtype=object)
    """

    _parameter_constraints: dict = {
        **_BaseTrainedVectorizer._parameter_constraints,
        **FASTTEXT.constraints,
    }
    _spec = FASTTEXT

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
        min_n=3,
        max_n=6,
        bucket=FASTTEXT_BUCKET,
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
        self.min_n = min_n
        self.max_n = max_n
        self.bucket = bucket
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
