"""Training a gensim model: one entry point, for every estimator and ``skw2v train``.

``train_model`` validates the hyperparameters of a model (the constraints and
rules of its ``ModelSpec``, ``_models.py``, under skw2v's names), builds the
gensim model from them and trains it on any restartable corpus of token lists:
a list, or a corpus streamed from disk, which is never read in advance.
``update_model`` continues the training of such a model (``partial_fit``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from gensim.models import Doc2Vec, Word2Vec
from gensim.models.callbacks import CallbackAny2Vec

from ._loading import load_vectors
from ._models import ModelSpec
from ._static import word_table
from ._token_file import _TaggedDocuments, _TokenFile, _training_corpus


class _EpochProgress(CallbackAny2Vec):
    """Report training progress once per epoch (tqdm bar when installed)."""

    def __init__(self, spec: ModelSpec, epochs: int):
        self.spec = spec
        self.epochs = epochs
        self.epoch = 0
        self.bar = None
        self.started = time.perf_counter()

    def on_train_begin(self, model):
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return
        self.bar = tqdm(total=self.epochs, desc=self.spec.name, unit="epoch")

    def on_epoch_end(self, model):
        self.epoch += 1
        if self.bar is not None:
            self.bar.update(1)
        else:
            elapsed = time.perf_counter() - self.started
            print(
                f"{self.spec.progress_label} epoch {self.epoch}/{self.epochs} "
                f"done ({elapsed:.1f} s)",
                file=sys.stderr,
            )

    def on_train_end(self, model):
        if self.bar is not None:
            self.bar.close()


def train_model(
    spec: ModelSpec,
    corpus: Iterable[Sequence[str]],
    params: Mapping[str, Any],
    *,
    init_vectors=None,
    casings: bool = True,
    verbose: int = 0,
) -> tuple[Word2Vec, int | None]:
    """Train a new gensim model of ``spec`` on a corpus of token lists.

    The hyperparameters are those of the estimator of ``spec`` (such as
    [`skw2v.Word2VecVectorizer`][skw2v.Word2VecVectorizer]), which holds their
    defaults and documentation; this function has none of its own.

    Parameters
    ----------
    spec : ModelSpec
        The model to train (``_models.WORD2VEC``).
    corpus : restartable iterable of list of str
        The training documents, tokenized: a list, or an object whose
        ``__iter__`` starts over (gensim makes one pass to count the words,
        then one per epoch).
    params : mapping of str to object
        Every hyperparameter of ``spec``, by skw2v's names (other keys are
        ignored), as in the estimator of ``spec``.
    init_vectors : str, PathLike, KeyedVectors, gensim model or None, default=None
        Pretrained vectors to start from (see ``Word2VecVectorizer``).
    casings : bool, default=True
        Whether words of the vocabulary find their pretrained vector through
        other casings (the lookup rule of ``skw2v._vectors``).
    verbose : int, default=0
        Report progress once per epoch.

    Returns
    -------
    model : gensim.models.Word2Vec
        The trained model, an instance of ``spec.model_class``.
    n_initialized : int or None
        How many words started from ``init_vectors``; None without them.
    """
    spec.check(params, caller="train_model")
    model = spec.new_model(params)
    if isinstance(model, Doc2Vec):
        if init_vectors is not None:
            raise ValueError(
                f"{spec.estimator_name} trains document vectors from scratch: "
                "init_vectors is for word models only."
            )
        _train_tagged(spec, model, corpus, verbose=verbose)
        return model, None
    n_initialized = _build_and_train(
        spec,
        model,
        corpus,
        init_vectors=init_vectors,
        casings=casings,
        verbose=verbose,
    )
    return model, n_initialized


def update_model(
    spec: ModelSpec,
    model: Word2Vec,
    corpus: Iterable[Sequence[str]],
    *,
    init_vectors=None,
    casings: bool = True,
    verbose: int = 0,
) -> int | None:
    """Continue training ``model`` (of ``spec``) on a new batch of documents, in place.

    The words of the batch that occur at least ``min_count`` times in it and
    that the vocabulary lacks are added (gensim's ``build_vocab(update=True)``;
    the counts of the words it has grow by their counts in the batch); then
    ``epochs`` passes over the batch train every word, the learning rate
    decaying from ``alpha`` to ``min_alpha`` again.

    Returns
    -------
    n_initialized : int or None
        How many of the added words started from ``init_vectors``; None
        without them.
    """
    return _build_and_train(
        spec,
        model,
        corpus,
        update=True,
        init_vectors=init_vectors,
        casings=casings,
        verbose=verbose,
    )


def _build_and_train(
    spec: ModelSpec,
    model: Word2Vec,
    corpus: Iterable[Sequence[str]],
    *,
    update: bool = False,
    init_vectors=None,
    casings: bool = True,
    verbose: int = 0,
) -> int | None:
    """Count the corpus' words into ``model``'s vocabulary, then train on it.

    With several worker threads, the counting pass also writes the tokens to
    a temporary file, and gensim trains from that file (``corpus_file``)
    when that is faster (``_token_file._trains_from_file``).
    """
    documents = _training_corpus(corpus)
    n_before = len(model.wv) if update else 0
    with _TokenFile.for_training(documents, model.workers) as token_file:
        if token_file is None:
            model.build_vocab(documents, update=update)
        else:
            token_file.count_into(model, corpus, update=update)
        _check_vocabulary(model, corpus)
        n_initialized = None
        if init_vectors is not None:
            pretrained = load_vectors(init_vectors)
            if not update:
                _copy_ngrams(pretrained, model)
            table = word_table(pretrained, casings=casings)
            initialized = table.copy_rows_into(
                model.wv, name="init_vectors", start=n_before
            )
            n_initialized = len(initialized)
        source = (
            {"corpus_iterable": documents}
            if token_file is None or not token_file.faithful
            else {"corpus_file": token_file.path}
        )
        _train_epochs(spec, model, source, verbose=verbose)
    return n_initialized


def _copy_ngrams(pretrained, model: Word2Vec) -> None:
    """Start a fastText model's n-gram vectors from those of pretrained fastText ones.

    Only n-grams hashed the same way can be copied: the two must have the
    same ``min_n``, ``max_n`` and ``bucket``. Word vectors without n-grams
    (word2vec, GloVe) leave the model's n-gram vectors random.
    """
    wv = model.wv
    if not getattr(wv, "bucket", 0) or not getattr(pretrained, "bucket", 0):
        return
    mine = {"min_n": wv.min_n, "max_n": wv.max_n, "bucket": wv.bucket}
    theirs = {name: int(getattr(pretrained, name)) for name in mine}
    if mine != theirs:
        settings = ", ".join(f"{name}={value}" for name, value in theirs.items())
        raise ValueError(
            f"init_vectors is a fastText model whose n-grams are hashed with "
            f"{settings}, and this model with "
            + ", ".join(f"{name}={value}" for name, value in mine.items())
            + f"; set {settings} to start from its n-gram vectors."
        )
    if pretrained.vector_size == wv.vector_size:  # else copy_rows_into refuses
        wv.vectors_ngrams[:] = pretrained.vectors_ngrams
        wv.adjust_vectors()


def _train_tagged(
    spec: ModelSpec,
    model: Doc2Vec,
    corpus: Iterable[Sequence[str]],
    *,
    verbose: int = 0,
) -> None:
    """Count the corpus' words into a Doc2Vec model, then train it, in place.

    Document ``i`` of the corpus trains row ``i`` of ``model.dv``. Threads are
    fed from the corpus itself (gensim's ``corpus_iterable`` mode): the
    ``corpus_file`` mode of Doc2Vec skips an empty line without counting it,
    which would give every later document the vector of the next one.
    """
    documents = _TaggedDocuments(corpus)
    model.build_vocab(documents)
    _check_vocabulary(model, corpus)
    _train_epochs(spec, model, {"corpus_iterable": documents}, verbose=verbose)


def _check_vocabulary(model: Word2Vec, corpus: Iterable[Sequence[str]]) -> None:
    """Refuse to train a model whose vocabulary came out empty."""
    if len(model.wv) == 0:
        n_documents = len(corpus) if isinstance(corpus, list) else model.corpus_count
        raise ValueError(
            f"Empty vocabulary: no word occurs at least "
            f"min_count={model.min_count} times in the {n_documents} training "
            f"documents ({model.corpus_total_words} tokens). Lower min_count, "
            "or fit on more text."
        )


def _train_epochs(
    spec: ModelSpec, model: Word2Vec, source: dict, *, verbose: int = 0
) -> None:
    """Train ``model`` on ``source`` (gensim's corpus argument), its epochs."""
    callbacks = [_EpochProgress(spec, model.epochs)] if verbose else []
    with _failures_surface(model):
        model.train(
            **source,
            total_examples=model.corpus_count,
            total_words=model.corpus_total_words,
            epochs=model.epochs,
            callbacks=callbacks,
        )
    model.callbacks = ()


@contextmanager
def _failures_surface(model: Word2Vec):
    """Raise in the calling thread what fails in gensim's training threads.

    gensim trains in worker threads fed by a job-producer thread; when one of
    them raises (a corpus that fails on a later pass, a document it cannot
    read), the others wait for it forever, and so does ``train``. Here a
    failing worker still drains its share of the jobs and says it is done, and
    a failing producer still tells every worker to stop, so that ``train``
    returns; the first failure is then raised here.
    """
    failures: list[BaseException] = []
    work, produce = model._worker_loop, model._job_producer

    def worker(job_queue, progress_queue):
        try:
            work(job_queue, progress_queue)
        except BaseException as exc:
            failures.append(exc)
            while job_queue.get() is not None:  # the producer may wait for room
                pass
            progress_queue.put(None)

    def producer(data_iterator, job_queue, *args, **kwargs):
        try:
            produce(data_iterator, job_queue, *args, **kwargs)
        except BaseException as exc:
            failures.append(exc)
            for _ in range(model.workers):
                job_queue.put(None)

    model._worker_loop, model._job_producer = worker, producer
    try:
        yield
    finally:
        del model._worker_loop, model._job_producer  # back to gensim's methods
    if failures:
        raise failures[0]
