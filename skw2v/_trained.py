"""What the vectorizers that train their vectors share: training, caching, partial_fit.

A subclass names the gensim model it trains (``_spec``, a ``ModelSpec`` of
``_models.py``) and declares its hyperparameters in ``__init__``; training
(``_training.py``), the ``memory=`` cache (``_memory.py``) and ``partial_fit``
are the same for all of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from ._base import _BaseEmbeddingVectorizer
from ._compat import HasMethods, _fit_context
from ._docstrings import fill_doc
from ._memory import cached_training, memory_location
from ._models import ModelSpec, gensim_seed, n_threads
from ._training import train_model, update_model
from ._vectors import WordTable


def train_once(estimator, tokens, train: Callable, *, key: dict, cache: bool = True):
    """Train with ``train(training)``, or map what an earlier fit with this key trained.

    ``training`` holds the hyperparameters of the estimator's ``_spec``, with
    the seed drawn once (what trains and what keys the cache); ``train``
    returns the table to keep, the words initialized from ``init_vectors``
    (or None) and the model. With the estimator's ``memory`` (and ``cache``,
    and no ``keep_model``), a table trained before with the same
    hyperparameters, ``n_jobs``, tokens and ``key`` (what else changes
    training) is mapped from the cache instead (then the model is None).

    Returns ``training``, the table, the words initialized and the model.
    """
    spec = estimator._spec
    training = {name: getattr(estimator, name) for name in spec.hyperparameters}
    training["random_state"] = seed = gensim_seed(estimator.random_state)
    location = memory_location(estimator.memory)
    if location is None or not cache or estimator.keep_model:
        return training, *train(training)
    model = None

    def train_and_keep_model():
        nonlocal model
        table, n_initialized, model = train(training)
        return table, n_initialized

    parameters = {
        **training,
        # None reuses what an earlier fit drew (see the memory parameter).
        "random_state": None if estimator.random_state is None else seed,
        "n_jobs": n_threads(estimator.n_jobs),
        **key,
    }
    table, n_initialized = cached_training(
        spec, location, tokens, parameters, train_and_keep_model
    )
    return training, table, n_initialized, model


@fill_doc
class _BaseTrainedVectorizer(_BaseEmbeddingVectorizer):
    """Base class: train a gensim model of ``_spec`` in ``fit``, then pool."""

    _parameter_constraints: dict = {
        **_BaseEmbeddingVectorizer._parameter_constraints,
        "keep_model": ["boolean"],
        "verbose": ["verbose"],
        "init_vectors": "no_validation",  # checked, with a clear message, in fit
        "memory": [None, str, os.PathLike, HasMethods(["cache"])],
    }
    #: The gensim model trained, with its hyperparameters (``_models.py``).
    _spec: ModelSpec
    _shared_params = ("init_vectors",)
    _trains = True
    _not_for_workers = ("model_",)

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
        """Train new vectors; return them, the words initialized, and the model."""

        def train(training):
            model, n_initialized = train_model(
                self._spec, tokens, training, **lookup, verbose=self.verbose
            )
            return model.wv, n_initialized, model

        return train_once(self, tokens, train, key=lookup, cache=not partial)[1:]

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
                f"This {type(self).__name__} was fitted by fit with keep_model=False, "
                "so its training state is gone and partial_fit cannot continue "
                "it. Set keep_model=True before fit, or train with partial_fit "
                "from the start."
            )
        self._fit(X, partial=True)
        return self

    def _word_table(self) -> WordTable:
        # The vocabulary is made of this estimator's own tokens: as written.
        return WordTable(self.wv_)
