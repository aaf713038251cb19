"""``Word2VecVectorizer``: train word2vec on the documents, then pool."""

from __future__ import annotations

import os

from ._base import _BaseEmbeddingVectorizer
from ._compat import HasMethods, _fit_context
from ._docstrings import fill_doc
from ._memory import cached_training, memory_location
from ._models import WORD2VEC, gensim_seed, n_threads
from ._text import DEFAULT_TOKEN_PATTERN
from ._training import train_model, update_model
from ._vectors import WordTable


@fill_doc
class Word2VecVectorizer(_BaseEmbeddingVectorizer):
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
    vector_size : int, default=100
        Dimensionality of the word vectors (and of the output).
    window : int, default=5
        Maximum distance between the current and a predicted word.
    min_count : int, default=5
        Ignore words with a total frequency lower than this.
    sg : {0, 1}, default=0
        Training algorithm: 1 for Skip-Gram, 0 for CBOW.
    hs : {0, 1}, default=0
        1 for hierarchical softmax; 0 for negative sampling (if ``negative > 0``).
    negative : int, default=5
        Number of noise words drawn for negative sampling (0 disables it; then
        ``hs`` must be 1).
    ns_exponent : float, default=0.75
        Exponent of the word frequencies from which noise words are drawn.
    cbow_mean : {1, 0}, default=1
        With CBOW, 1 averages the context vectors, 0 sums them.
    sample : float, default=1e-3
        Threshold for down-sampling frequent words (0 disables it).
    alpha : float, default=0.025
        Initial learning rate.
    min_alpha : float, default=1e-4
        Learning rate at the end of training (it decays linearly).
    epochs : int, default=5
        Passes over the corpus.
    max_vocab_size : int or None, default=None
        Cap on the vocabulary while it is being counted (prunes rare words to
        bound memory); None means no cap.
    max_final_vocab : int or None, default=None
        Keep at most this many words, raising ``min_count`` as needed.
    shrink_windows : bool, default=True
        Sample the effective window size uniformly from ``[1, window]`` for each
        word, as the original word2vec does.
    n_jobs : int or None, default=None
        Worker threads for training, and parallel workers for ``transform``
        as in [`AvgWord2VecTransformer`][skw2v.AvgWord2VecTransformer] (where results do
        not depend on it). None means 1, which together with an int
        ``random_state`` makes training reproducible; -1 means all CPUs.
        With several threads on a streamed corpus (from 3 threads on a
        list), the pass that counts the words also writes the tokens to a
        temporary file (on disk for a stream, in memory under ``/dev/shm``
        for a list when there is room; removed afterwards), and each thread
        trains on its own part of that file (gensim's ``corpus_file`` mode),
        which scales with the cores where gensim's single reading thread
        would not; with 2 threads a list trains faster from that reading
        thread. The order in which threads update the shared vectors
        varies from run to run, so vectors differ slightly between runs even
        with a fixed ``random_state``.
    random_state : int, RandomState instance or None, default=None
        Seed of the vector initialisation and of the sampling during training.
        An int is passed to gensim as ``seed`` unchanged. With an int and one
        worker, two fits give bit-identical vectors, also in different processes.
    {{pooling_steps}}
    lowercase : bool, default=True
        Convert raw documents to lowercase before tokenizing. Already tokenized
        documents are used exactly as given, and every token is looked up as
        written: the vocabulary holds this estimator's own tokens. With
        ``init_vectors``, a word finds its pretrained vector through its casings
        too (as in ``PretrainedEmbeddingVectorizer``).
    {{token_pattern}}
    {{tokenizer}}
    keep_model : bool, default=False
        Keep the whole gensim model (with its training state, about twice the
        size of the vectors) in ``model_``, e.g. to continue training it. By
        default only the word vectors are kept.
    verbose : int, default=0
        Report progress once per epoch (a tqdm bar when tqdm is installed).
    init_vectors : str, PathLike, KeyedVectors, gensim model or None, default=None
        Fine-tune pretrained vectors instead of starting from random ones: the
        words of the training vocabulary that these vectors cover (looked up as
        [`PretrainedEmbeddingVectorizer`][skw2v.PretrainedEmbeddingVectorizer] does,
        other casings included) start from their pretrained vector, the others start
        random, and training continues on the documents. A path is loaded with
        [`load_vectors`][skw2v.load_vectors] (once per process, through the cache); the
        vectors must have ``vector_size`` dimensions. ``clone`` shares them, never
        copies them.
    memory : str, PathLike, joblib.Memory or None, default=None
        Cache the trained word vectors in this directory (a ``joblib.Memory``
        lends its ``location``), as ``Pipeline(memory=...)`` caches fitted
        steps: a later fit with the same training hyperparameters,
        ``random_state``, ``n_jobs``, training tokens (so the same documents
        and tokenizer) and ``init_vectors`` maps the vectors from the cache
        instead of training again. In a grid search, candidates that differ
        only in ``pooling``, ``weighting``, ``sif_a``, ``remove_components``,
        ``norm`` or the classifier's parameters train once per fold; the
        results are the same, value for value, as without ``memory``. The
        entries are data only (``.npy`` and JSON, never pickles), written
        atomically, memory-mapped by every process that reads them, and
        rebuilt with a warning when damaged. With ``random_state=None`` the
        vectors of an earlier fit are reused as they are, not redrawn. The
        cache is not used with ``keep_model=True`` or by ``partial_fit``, and
        vectors read from it have no word counts (``wv_.get_vecattr(word,
        "count")``). Delete the directory to clear it.

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
        **_BaseEmbeddingVectorizer._parameter_constraints,
        **WORD2VEC.constraints,
        "keep_model": ["boolean"],
        "verbose": ["verbose"],
        "init_vectors": "no_validation",  # checked, with a clear message, in fit
        "memory": [None, str, os.PathLike, HasMethods(["cache"])],
    }
    #: The gensim model trained, with its hyperparameters (``_models.py``).
    _spec = WORD2VEC
    _shared_params = ("init_vectors",)
    _not_for_workers = ("model_",)

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

    def _fit_vectors(self, tokens, *, partial: bool = False) -> None:
        lookup = {"init_vectors": self.init_vectors, "casings": self.lowercase}
        model = None
        if partial and "model_" in self.__dict__:
            model = self.model_
            n_initialized = update_model(
                self._spec, model, tokens, **lookup, verbose=self.verbose
            )
            if n_initialized is not None:
                self.n_words_initialized_ += n_initialized
            wv = model.wv
        else:
            wv, n_initialized, model = self._train(tokens, lookup, partial=partial)
            if n_initialized is not None:
                self.n_words_initialized_ = n_initialized
        self.wv_ = wv
        if model is not None and (self.keep_model or partial):
            self.model_ = model
        else:  # fit after partial_fit starts over
            self.__dict__.pop("model_", None)

    def _train(self, tokens, lookup: dict, *, partial: bool):
        """Train new vectors; return them, the words initialized, and the model.

        With ``memory``, vectors trained before with the same key are mapped
        from the cache instead (then there is no model).
        """
        spec = self._spec
        training = {name: getattr(self, name) for name in spec.hyperparameters}
        # One seed, drawn once: what trains and what keys the cache.
        training["random_state"] = seed = gensim_seed(self.random_state)

        def train():
            model, n_initialized = train_model(
                spec, tokens, training, **lookup, verbose=self.verbose
            )
            return model.wv, n_initialized, model

        location = memory_location(self.memory)
        if location is None or partial or self.keep_model:
            return train()
        key = {
            **training,
            # None reuses what an earlier fit drew (see the memory parameter).
            "random_state": None if self.random_state is None else seed,
            "n_jobs": n_threads(self.n_jobs),
            **lookup,
        }
        wv, n_initialized = cached_training(
            spec, location, tokens, key, lambda: train()[:2]
        )
        return wv, n_initialized, None

    def _keeps_statistics(self) -> bool:
        # With the training state, for partial_fit to continue from.
        return "model_" in self.__dict__

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None):
        """Train on one more batch of documents, continuing the earlier calls.

        The first call (or the first after ``fit`` with ``keep_model=True``)
        starts as ``fit`` does, and keeps the training state in ``model_``.
        Each later call:

        - adds the batch's new words to the vocabulary: those that occur at
          least ``min_count`` times *in this batch* (gensim's
          ``build_vocab(update=True)``). A word seen in earlier batches keeps
          its vector and its row, and its count grows by its count in the
          batch; a word too rare in every batch so far is never added, even
          if its total count reaches ``min_count``;
        - trains ``epochs`` passes over the batch, the learning rate decaying
          linearly from ``alpha`` to ``min_alpha`` within the call, as in a
          ``fit`` on the batch alone: every batch starts again from ``alpha``;
        - adds the batch's word counts to the weighting statistics, so that
          ``word_weights_`` are those of every batch seen together, as one
          ``fit`` on all of them would count them;
        - computes ``components_`` (with ``remove_components``) from this
          batch's rows, pooled with the vectors and weights as they are now.

        The vectors depend on the batches and on their order (later batches
        move the vectors of the words they hold). The same batches in the same
        order, with an int ``random_state`` and ``n_jobs=1``, give identical
        vectors in every run and process. The training hyperparameters are
        those of the first call; changing them between calls has no effect.
        ``fit`` starts over.

        {{fit_parameters}}

        Returns
        -------
        self : object
            The estimator, trained on every batch so far.

        Examples
        --------
        >>> from skw2v import Word2VecVectorizer
        >>> from skw2v.datasets import load_movie_reviews
        >>> reviews = load_movie_reviews().data
        >>> vectorizer = Word2VecVectorizer(vector_size=20, random_state=0)
        >>> vectorizer = vectorizer.partial_fit(reviews[:4000])
        >>> n_words = len(vectorizer.wv_)
        >>> vectorizer = vectorizer.partial_fit(reviews[4000:])
        >>> len(vectorizer.wv_) > n_words  # the second batch's new words
        True
        """
        if "wv_" in self.__dict__ and "model_" not in self.__dict__:
            raise ValueError(
                "This Word2VecVectorizer was fitted by fit with keep_model=False, "
                "so its training state is gone and partial_fit cannot continue "
                "it. Set keep_model=True before fit, or train with partial_fit "
                "from the start."
            )
        self._fit(X, partial=True)
        return self

    def _word_table(self) -> WordTable:
        # The vocabulary is made of this estimator's own tokens: as written.
        return WordTable(self.wv_)
