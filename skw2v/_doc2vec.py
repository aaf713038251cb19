"""``Doc2VecVectorizer``: train Doc2Vec on the documents, infer a vector per document.

gensim's ``infer_vector`` draws its randomness from the model's shared random
state and starts from a vector seeded by Python's ``hash`` of the document
(salted per process), so the same document gets a different vector on every
call and in every process (gensim #2847, #447). Here each document's
inference is seeded by the model's seed and a stable digest of its known
tokens (``_document_seed``), then runs gensim's own compiled training step for one
document (``train_document_dbow`` / ``_dm`` / ``_dm_concat``, as
``infer_vector`` does): a document gets the same row whatever its batch, its
position, the process or ``n_jobs``.

What inference needs of the trained model (its words, their counts and
down-sampling thresholds, the output layer) is kept as the arrays of a
"doc2vec" cache entry (``_cache.LAYOUTS``), whether it was just trained or
mapped from ``memory=``; the inference model is rebuilt from them the same way
in both cases (``_inference_model``).
"""

from __future__ import annotations

import copy
import hashlib
import os
from numbers import Integral, Real

import numpy as np
from gensim.models import KeyedVectors
from gensim.models.doc2vec_inner import (
    train_document_dbow,
    train_document_dm,
    train_document_dm_concat,
)
from gensim.models.keyedvectors import pseudorandom_weak_vector

from ._base import CHUNK_SIZE, _BaseEmbeddingVectorizer
from ._compat import HasMethods, Interval
from ._docstrings import fill_doc
from ._models import C_INT_MAX, DOC2VEC, FLOAT32_MAX
from ._pooler import Pooler
from ._pooling import chunk_bounds
from ._sharing import _without_memmaps
from ._text import (
    DEFAULT_TOKEN_PATTERN,
    TokenStream,
    check_documents,
    check_reiterable,
    document_batches,
    is_stream,
)
from ._trained import train_once
from ._training import train_model
from ._vectors import WordTable

#: The arrays of a "doc2vec" cache entry besides the word vectors, and the
#: integer attributes that size them (``_cache.LAYOUTS["doc2vec"]``).
_ENTRY_ARRAYS = ("counts", "sample_ints", "syn1neg", "syn1", "doc_vectors")
_ENTRY_SIZES = ("layer1_size", "n_syn1neg", "n_syn1", "n_documents")

#: The base class' parameters, but those of word pooling and weighting, which
#: do not apply to document vectors.
_WORD_FREE_CONSTRAINTS = {
    name: constraint
    for name, constraint in _BaseEmbeddingVectorizer._parameter_constraints.items()
    if name not in ("pooling", "weighting", "sif_a")
}

#: Characters of raw text per worker process from which ``transform`` infers
#: in processes: inference costs ~100 times as much per character as pooling
#: (``benchmarks/bench_models.py``), so processes pay on far smaller batches.
PROCESS_MIN_CHARACTERS = 20_000


def _entry_table(model) -> KeyedVectors:
    """Return what inference needs of a trained Doc2Vec model, as a cache entry's table.

    A shallow copy of its word vectors that also holds the other arrays of
    the "doc2vec" layout (an unused output layer as an array of no rows).
    """
    table = copy.copy(model.wv)
    unused = np.zeros((0, model.layer1_size), dtype=np.float32)
    syn1neg = model.syn1neg if model.negative else unused
    syn1 = model.syn1 if model.hs else unused
    vars(table).update(
        counts=model.wv.expandos["count"].astype(np.int64, copy=False),
        sample_ints=model.wv.expandos["sample_int"].astype(np.uint32, copy=False),
        syn1neg=syn1neg,
        syn1=syn1,
        doc_vectors=model.dv.vectors,
        layer1_size=model.layer1_size,
        n_syn1neg=len(syn1neg),
        n_syn1=len(syn1),
        n_documents=len(model.dv.vectors),
    )
    return table


def _inference_model(training: dict, table: KeyedVectors):
    """Rebuild a Doc2Vec model that infers from the table of ``_entry_table``.

    Returns the model and the trained document vectors. The table's arrays
    move to the model (the table keeps its words and word vectors); the
    Huffman codes and the noise distribution are recomputed by gensim from
    the word counts, exactly as training computed them, but for a table that
    brings the noise distribution along (``cum_table``: a pickled estimator,
    whose worker processes need not recompute it on every call).
    """
    arrays = {name: vars(table).pop(name) for name in _ENTRY_ARRAYS}
    cum_table = vars(table).pop("cum_table", None)
    for name in _ENTRY_SIZES:
        vars(table).pop(name)
    model = DOC2VEC.new_model(training)  # untrained: the hyperparameters only
    table.expandos = {"count": arrays["counts"], "sample_int": arrays["sample_ints"]}
    table.vectors_lockf = np.ones(1, dtype=np.float32)
    model.wv = table
    if model.hs:
        model.syn1 = arrays["syn1"]
        model.create_binary_tree()
    if model.negative:
        model.syn1neg = arrays["syn1neg"]
        if cum_table is None:
            model.make_cum_table()  # a loop over the words, in Python
        else:
            model.cum_table = cum_table
    doc_vectors = arrays["doc_vectors"]
    dv = KeyedVectors(doc_vectors.shape[1], count=0)
    dv.index_to_key = list(range(len(doc_vectors)))  # tagged by position
    dv.vectors = doc_vectors
    return model, dv


def _document_seed(seed: int, words) -> int:
    """Return the seed of a document's inference: the model's, and its known tokens'."""
    digest = hashlib.blake2b(str(seed).encode(), digest_size=4)
    digest.update("\x1f".join(words).encode("utf-8", "surrogatepass"))
    return int.from_bytes(digest.digest(), "little")


@fill_doc
class Doc2VecVectorizer(_BaseEmbeddingVectorizer):
    r"""Train Doc2Vec on text documents and infer one vector per document.

    ``fit`` tokenizes the documents and trains a gensim ``Doc2Vec`` model on
    them, each document tagged by its position (its trained vector is row
    ``i`` of ``dv_``); ``transform`` infers a float32 row for each document
    with the trained model (gensim's ``infer_vector``), the training
    documents included, so that ``fit_transform(X)`` equals
    ``fit(X).transform(X)``. Unlike averaging word vectors, Doc2Vec learns a
    vector for the document itself: with PV-DBOW (``dm=0``, the default) it
    is trained to predict the document's words.

    Inference is deterministic: a document gets the same row whatever the
    batch it is in, its position, the process and ``n_jobs`` (gensim's own
    ``infer_vector`` gives a new vector on every call). Its random draws are
    seeded by the model's seed (``random_state``) and the document's tokens.

    The training hyperparameters carry gensim's names and defaults, except
    ``dm``, ``dbow_words`` and ``epochs`` (chosen by measurement, see below),
    so ``Doc2VecVectorizer(dm=1, epochs=10)`` trains the same model as
    ``gensim.models.Doc2Vec(dm=1)``; ``n_jobs`` (gensim's ``workers``) and
    ``random_state`` (gensim's ``seed``) take scikit-learn names. There is no
    ``partial_fit``: a trained Doc2Vec model cannot learn vectors for more
    documents. Pooling and word weighting do not apply (there are no word
    vectors to pool); ``remove_components`` and ``norm`` do.

    Parameters
    ----------
    dm : {0, 1}, default=0
        Training algorithm: 0 for PV-DBOW (distributed bag of words: the
        document vector predicts its words), 1 for PV-DM (distributed
        memory: the document vector and the context words predict a word).
        gensim's default is 1; on the movie reviews PV-DBOW classifies
        better (see the "Beyond averaging" page of the documentation).
    dbow_words : {1, 0}, default=1
        With PV-DBOW, 1 also trains word vectors (Skip-Gram, interleaved),
        which gives ``wv_``; 0 trains the document vectors alone, about 3
        times as fast. gensim's default is 0; on the movie reviews the word
        vectors make better document vectors.
    dm_mean : {None, 0, 1}, default=None
        With PV-DM, 1 averages the context vectors, 0 sums them; None keeps
        gensim's choice (the mean).
    dm_concat : {0, 1}, default=0
        With PV-DM, 1 concatenates the document and context vectors instead
        of combining them: a much larger and slower model.
    vector_size : int, default=100
        Dimensionality of the document vectors (and of the output).
    window : int, default=5
        Maximum distance between the current and a predicted word (PV-DM, and
        the word vectors of ``dbow_words=1``).
    {{min_count}}
    {{hs}}
    {{negative}}
    {{ns_exponent}}
    {{sample}}
    {{alpha}}
    min_alpha : float, default=1e-4
        Learning rate at the end of training, and of inference (it decays
        linearly).
    epochs : int, default=20
        Passes over the corpus (gensim's default is 10; 20 classify the movie
        reviews better).
    {{max_vocab_size}}
    {{max_final_vocab}}
    {{shrink_windows}}
    n_jobs : int or None, default=None
        Worker threads for training (gensim's ``workers``, fed from the
        corpus by one reading thread), and worker processes for
        ``transform``: a batch of raw text of at least 20,000 characters per
        worker is inferred in that many processes. None means 1, which with
        an int ``random_state`` makes training reproducible (bit-identical to
        ``gensim.models.Doc2Vec(seed=random_state, workers=1)``); -1 means
        all CPUs. The rows of ``transform`` do not depend on it.
    random_state : int, RandomState instance or None, default=None
        Seed of training and of inference. An int is passed to gensim as
        ``seed`` unchanged.
    infer_epochs : int or None, default=None
        Passes over each document when inferring its vector; None means
        ``epochs``.
    infer_alpha : float or None, default=None
        Initial learning rate of inference; None means ``alpha``.
    remove_components : int, default=0
        Remove from every output row its projection on the first
        ``remove_components`` principal directions of the training
        documents' inferred vectors (learned in fit, not centered).
    norm : {None, "l2"}, default=None
        If ``"l2"``, every non-zero output row is scaled to unit Euclidean norm.
    lowercase : bool, default=True
        Convert raw documents to lowercase before tokenizing. Already tokenized
        documents are used exactly as given.
    {{token_pattern}}
    {{tokenizer}}
    keep_model : bool, default=False
        Keep the whole gensim model in ``model_`` (e.g. to save it with
        gensim). Inference does not need it.
    verbose : int, default=0
        Report training progress once per epoch (a tqdm bar when tqdm is
        installed).
    memory : str, PathLike, joblib.Memory or None, default=None
        Cache the trained model in this directory (a ``joblib.Memory`` lends
        its ``location``), as data: its word vectors, word counts, output
        layer and document vectors (``.npy`` and JSON, never pickles),
        memory-mapped by every process that reads them. A later fit with the
        same training hyperparameters, ``random_state``, ``n_jobs`` and
        training tokens maps the entry instead of training; it infers the same
        rows. Candidates of a grid search that differ only in
        ``infer_epochs``, ``infer_alpha``, ``remove_components``, ``norm`` or
        the classifier's parameters train once per fold. Not used with
        ``keep_model=True``. Delete the directory to clear it.

    Attributes
    ----------
    dv_ : gensim.models.KeyedVectors
        The trained document vectors, one per training document, by position:
        ``dv_[0]``, ``dv_.most_similar(0)``.
    wv_ : gensim.models.KeyedVectors
        The trained word vectors; only when the mode trains them (``dm=1``,
        or ``dbow_words=1``).
    model_ : gensim.models.Doc2Vec
        The trained model; only when ``keep_model=True``.
    {{components_}}

    See Also
    --------
    Word2VecVectorizer : Trains word vectors and pools them per document.

    Notes
    -----
    Documents longer than 10,000 tokens are cut into pieces of 10,000 tokens
    for training, each tagged as the document, because gensim ignores the
    words past that length; inference reads the first 10,000 words, as
    gensim's does. A document with no word of the vocabulary gives a row of
    zeros (and a warning counts such documents).

    ``build_analyzer()`` returns the tokenizer that ``fit`` and ``transform``
    use (``lowercase``, ``token_pattern`` or ``tokenizer``): a document's row
    is inferred from exactly its tokens, so ``transform([doc])`` equals
    ``transform([build_analyzer()(doc)])``. Words outside the vocabulary are
    kept by the analyzer, and play no part in inference: a document's row is
    that of its known words, in their order.

    Examples
    --------
    >>> from skw2v import Doc2VecVectorizer
    >>> from skw2v.datasets import load_movie_reviews
    >>> reviews = load_movie_reviews().data[:2000]
    >>> vectorizer = Doc2VecVectorizer(vector_size=20, epochs=5, random_state=0)
    >>> X = vectorizer.fit_transform(reviews)
    >>> X.shape, X.dtype
    ((2000, 20), dtype('float32'))
    >>> (vectorizer.transform(reviews[:3]) == X[:3]).all()  # deterministic
    np.True_
    >>> vectorizer.dv_.vectors.shape  # the vectors trained for the documents
    (2000, 20)
    >>> vectorizer.get_feature_names_out()[:2]
    array(['doc2vecvectorizer0', 'doc2vecvectorizer1'], dtype=object)
    """

    _parameter_constraints: dict = {
        **_WORD_FREE_CONSTRAINTS,
        **DOC2VEC.constraints,
        "infer_epochs": [Interval(Integral, 1, C_INT_MAX, closed="both"), None],
        "infer_alpha": [Interval(Real, 0, FLOAT32_MAX, closed="right"), None],
        "keep_model": ["boolean"],
        "verbose": ["verbose"],
        "memory": [None, str, os.PathLike, HasMethods(["cache"])],
    }
    #: The gensim model trained, with its hyperparameters (``_models.py``).
    _spec = DOC2VEC
    _not_for_workers = ("model_", "dv_")
    _process_min_characters = PROCESS_MIN_CHARACTERS

    def __init__(
        self,
        *,
        dm=0,
        dbow_words=1,
        dm_mean=None,
        dm_concat=0,
        vector_size=100,
        window=5,
        min_count=5,
        hs=0,
        negative=5,
        ns_exponent=0.75,
        sample=1e-3,
        alpha=0.025,
        min_alpha=1e-4,
        epochs=20,
        max_vocab_size=None,
        max_final_vocab=None,
        shrink_windows=True,
        n_jobs=None,
        random_state=None,
        infer_epochs=None,
        infer_alpha=None,
        remove_components=0,
        norm=None,
        lowercase=True,
        token_pattern=DEFAULT_TOKEN_PATTERN,
        tokenizer=None,
        keep_model=False,
        verbose=0,
        memory=None,
    ):
        self.dm = dm
        self.dbow_words = dbow_words
        self.dm_mean = dm_mean
        self.dm_concat = dm_concat
        self.vector_size = vector_size
        self.window = window
        self.min_count = min_count
        self.hs = hs
        self.negative = negative
        self.ns_exponent = ns_exponent
        self.sample = sample
        self.alpha = alpha
        self.min_alpha = min_alpha
        self.epochs = epochs
        self.max_vocab_size = max_vocab_size
        self.max_final_vocab = max_final_vocab
        self.shrink_windows = shrink_windows
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.infer_epochs = infer_epochs
        self.infer_alpha = infer_alpha
        self.remove_components = remove_components
        self.norm = norm
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer
        self.keep_model = keep_model
        self.verbose = verbose
        self.memory = memory

    # -- training -------------------------------------------------------------------

    def _fit_vectors(self, tokens, *, partial: bool = False) -> None:
        def train(training):
            model = train_model(DOC2VEC, tokens, training, verbose=self.verbose)[0]
            return _entry_table(model), None, model

        training, table, _, model = train_once(self, tokens, train, key={})
        self._training = training
        self._model, self.dv_ = _inference_model(training, table)
        for name in ("wv_", "model_"):
            self.__dict__.pop(name, None)
        if self.dm or self.dbow_words:
            self.wv_ = self._model.wv
        if self.keep_model:
            self.model_ = model

    def _fit(self, X, *, transform: bool = False, partial: bool = False):
        """Fit on ``X``; with ``transform``, also return its inferred rows."""
        tokenizer = self._tokenizer()
        if is_stream(X):
            check_reiterable(X)
            self._fit_vectors(TokenStream(X, tokenizer, CHUNK_SIZE))
            batches = (
                tokenizer.documents(batch) for batch in document_batches(X, CHUNK_SIZE)
            )
        else:
            tokens = tokenizer.documents(check_documents(X))
            self._fit_vectors(tokens)
            batches = iter([tokens])
        self._pooler = pooler = Pooler(
            remove_components=self.remove_components, norm=self.norm
        )
        return self._fit_components(
            pooler, map(self._infer_tokens, batches), transform=transform
        )

    # -- inference ------------------------------------------------------------------

    def _infer_tokens(self, token_docs, out: np.ndarray | None = None):
        """Infer the rows of tokenized documents (into ``out``, zeros, when given).

        Returns the rows and how many documents had no word of the vocabulary
        (their rows stay zeros).
        """
        if out is None:
            out = np.zeros((len(token_docs), self._n_features_out), dtype=np.float32)
        # A copy per call: its random state is this call's alone.
        model = copy.copy(self._model)
        model.random = random = np.random.RandomState()
        vocabulary = model.wv.key_to_index
        epochs = self.infer_epochs or model.epochs
        alpha = self.infer_alpha or model.alpha
        alpha_delta = (alpha - model.min_alpha) / max(epochs - 1, 1)
        size = model.dv.vector_size
        work = np.zeros(model.layer1_size, dtype=np.float32)
        neu1 = np.zeros(model.layer1_size, dtype=np.float32)
        lockf = np.ones(1, dtype=np.float32)
        tags = [0]
        if model.sg:
            step, options = train_document_dbow, {}
        else:
            step = train_document_dm_concat if model.dm_concat else train_document_dm
            options = {"neu1": neu1}
        n_without_known = 0
        for row, words in zip(out, token_docs, strict=True):
            # Unknown words play no part, not even in the seed: they leave
            # the row as it is without them.
            words = [word for word in words if word in vocabulary]
            if not words:
                n_without_known += 1
                continue
            seed = _document_seed(model.seed, words)
            random.seed(seed)
            # gensim's initial vector, seeded by the document's seed rather
            # than by Python's salted hash of its text.
            vector = pseudorandom_weak_vector(size, seed_string=str(seed), hashfxn=int)
            vector = vector.reshape(1, size)
            rate = alpha
            for _ in range(epochs):
                step(
                    model,
                    words,
                    tags,
                    rate,
                    work,
                    learn_words=False,
                    learn_hidden=False,
                    doctag_vectors=vector,
                    doctags_lockf=lockf,
                    **options,
                )
                rate -= alpha_delta
            row[:] = vector[0]
        return out, n_without_known

    def _pool_documents(self, documents: list, out: np.ndarray | None = None):
        # Workers and transform infer instead of pooling, a chunk at a time.
        sizes = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
        if out is None:
            out = np.zeros((len(documents), self._n_features_out), dtype=np.float32)
        tokenizer = self._tokenizer()
        n_without_known = 0
        for start, stop in chunk_bounds(sizes, CHUNK_SIZE):
            token_docs = tokenizer.documents(documents[start:stop])
            n_without_known += self._infer_tokens(token_docs, out[start:stop])[1]
        return out, n_without_known

    def transform(self, X):
        """Return one inferred document-vector row per document.

        Words missing from the vocabulary are skipped. A document with no known
        word gives a row of zeros, and a single warning counts such documents.

        Parameters
        ----------
        {{X}}

        Returns
        -------
        X_new : ndarray of shape (n_documents, vector_size), dtype float32
            One inferred vector per document.
        """
        return super().transform(X)

    def fit_transform(self, X, y=None):
        """Fit to the documents, then return their inferred vectors.

        Equivalent to ``fit(X).transform(X)``, tokenizing ``X`` only once: the
        rows are inferred, not the vectors trained for the documents
        (``dv_``), so that a document gets the same row in training and later.

        {{fit_parameters}}

        Returns
        -------
        X_new : ndarray of shape (n_documents, vector_size), dtype float32
            One inferred vector per document.
        """
        return super().fit_transform(X, y)

    @property
    def _n_features_out(self) -> int:
        return self._model.vector_size  # workers have no dv_

    def _word_table(self) -> WordTable:
        # The vocabulary is made of this estimator's own tokens: as written.
        return WordTable(self._model.wv)

    def _analyzer(self, tokenizer):
        # The tokens are used as tokenized; the model skips unknown ones.
        return tokenizer

    def _pickled_table(self) -> np.ndarray | None:
        return self._model.wv.vectors if "_model" in self.__dict__ else None

    def __getstate__(self):
        # The inference model travels as the arrays it is rebuilt from (those
        # of a cache entry), so that a pickle or skops file names no gensim
        # model and holds no mapped array; the document vectors once, in dv_.
        state = super().__getstate__()
        model = state.pop("_model", None)
        if model is not None:
            plain = copy.copy(model)
            plain.wv = state.get("wv_", _without_memmaps(model.wv))
            for name in ("syn1neg", "syn1"):
                if hasattr(model, name):
                    setattr(plain, name, np.asarray(getattr(model, name)))
            plain.dv = KeyedVectors(model.vector_size, count=0)
            table = state["_inference_table"] = _entry_table(plain)
            table.expandos = {}  # rebuilt from the counts
            if model.negative:  # what the noise words are drawn from, as made
                table.cum_table = np.asarray(model.cum_table)
        if "dv_" in state:
            state["dv_"] = _without_memmaps(state["dv_"])
        return state

    def __setstate__(self, state):
        table = state.pop("_inference_table", None)
        super().__setstate__(state)
        if table is not None:
            self._model = _inference_model(self._training, table)[0]
            if "wv_" in self.__dict__:
                self.wv_ = self._model.wv
