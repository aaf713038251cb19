"""Training word2vec: one entry point, for ``Word2VecVectorizer`` and ``skw2v train``.

``train_word2vec`` validates gensim's hyperparameters (the constraints of
``TRAINING_CONSTRAINTS``, under skw2v's names), applies the rules gensim
does not check itself, and trains on any restartable corpus of token lists: a
list, or a corpus streamed from disk, which is never read in advance.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from numbers import Integral, Real

import numpy as np
from gensim.models import Word2Vec
from gensim.models.callbacks import CallbackAny2Vec
from gensim.models.word2vec import MAX_WORDS_IN_BATCH
from joblib import effective_n_jobs
from sklearn.utils import check_random_state

from ._compat import Interval, validate_parameter_constraints
from ._loading import load_vectors
from ._parallel import scratch_directory
from ._text import TokenStream
from ._vectors import WordTable

#: The largest value of a C ``int``, where gensim's compiled training code
#: keeps counts and sizes: a larger value overflows inside its worker threads.
C_INT_MAX = 2**31 - 1

#: The largest finite float32: gensim's learning rates are float32, and a rate
#: beyond it becomes infinite inside the compiled training loop.
FLOAT32_MAX = float(np.finfo(np.float32).max)

#: Thread counts beyond this are refused (joblib's -1 means all CPUs).
MAX_THREADS = 1024


def _count(low: int) -> Interval:
    """Return the constraint of an integer from ``low`` to what a C int holds."""
    return Interval(Integral, low, C_INT_MAX, closed="both")


#: ``n_jobs``: 1 to MAX_THREADS, or -1 (all CPUs), -2 (all but one)...
N_JOBS_CONSTRAINT = [
    Interval(Integral, 1, MAX_THREADS, closed="both"),
    Interval(Integral, -MAX_THREADS, -1, closed="both"),
    None,
]

#: The hyperparameters of training, with their constraints (gensim's names,
#: except ``n_jobs`` for ``workers`` and ``random_state`` for ``seed``). Every
#: number is bounded to what gensim's compiled code accepts, so that no value
#: that passes validation can crash or hang a training thread.
TRAINING_CONSTRAINTS: dict = {
    "vector_size": [_count(1)],
    "window": [_count(1)],
    "min_count": [_count(0)],
    "sg": [Interval(Integral, 0, 1, closed="both")],
    "hs": [Interval(Integral, 0, 1, closed="both")],
    "negative": [_count(0)],
    # count ** ns_exponent must stay a finite, non-zero float64 for every
    # count a corpus can have.
    "ns_exponent": [Interval(Real, -10, 10, closed="both")],
    "cbow_mean": [Interval(Integral, 0, 1, closed="both")],
    "sample": [Interval(Real, 0, 1, closed="both")],
    "alpha": [Interval(Real, 0, FLOAT32_MAX, closed="right")],
    "min_alpha": [Interval(Real, 0, FLOAT32_MAX, closed="both")],
    "epochs": [_count(1)],
    "max_vocab_size": [_count(1), None],
    "max_final_vocab": [_count(1), None],
    "shrink_windows": ["boolean"],
    "n_jobs": N_JOBS_CONSTRAINT,
    "random_state": ["random_state"],
}


class _EpochProgress(CallbackAny2Vec):
    """Report training progress once per epoch (tqdm bar when installed)."""

    def __init__(self, epochs: int):
        self.epochs = epochs
        self.epoch = 0
        self.bar = None
        self.started = time.perf_counter()

    def on_train_begin(self, model):
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return
        self.bar = tqdm(total=self.epochs, desc="word2vec", unit="epoch")

    def on_epoch_end(self, model):
        self.epoch += 1
        if self.bar is not None:
            self.bar.update(1)
        else:
            elapsed = time.perf_counter() - self.started
            print(
                f"[Word2VecVectorizer] epoch {self.epoch}/{self.epochs} "
                f"done ({elapsed:.1f} s)",
                file=sys.stderr,
            )

    def on_train_end(self, model):
        if self.bar is not None:
            self.bar.close()


class _SplitLongDocuments:
    """Restartable view of a corpus with documents cut to gensim's sentence limit."""

    def __init__(self, documents: Iterable[Sequence[str]]):
        self.documents = documents

    def __iter__(self) -> Iterator[Sequence[str]]:
        for doc in self.documents:
            if len(doc) <= MAX_WORDS_IN_BATCH:
                yield doc
            else:
                for start in range(0, len(doc), MAX_WORDS_IN_BATCH):
                    yield doc[start : start + MAX_WORDS_IN_BATCH]


def _training_corpus(tokens: Iterable[Sequence[str]]) -> Iterable[Sequence[str]]:
    """Return the documents as gensim should train on them.

    gensim silently ignores the words of a sentence past its 10,000th; longer
    documents are cut into pieces of that size so that every word counts. A
    list with no long document is returned as it is; anything else (a streamed
    corpus) is wrapped, never read in advance.
    """
    if isinstance(tokens, list) and all(
        len(doc) <= MAX_WORDS_IN_BATCH for doc in tokens
    ):
        return tokens
    return _SplitLongDocuments(tokens)


def check_training_parameters(params: dict, *, caller: str) -> None:
    """Validate the training hyperparameters in ``params`` (by name).

    Checks the constraints of ``TRAINING_CONSTRAINTS``, then the rules
    that involve several parameters: ``hs=0`` with ``negative=0`` leaves no
    output layer, so nothing to train. ``caller`` is named in the messages.
    """
    validate_parameter_constraints(TRAINING_CONSTRAINTS, params, caller_name=caller)
    if params["hs"] == 0 and params["negative"] == 0:
        raise ValueError(
            "With hs=0 and negative=0 word2vec has no output layer, so nothing to "
            "train; set negative > 0 (negative sampling) or hs=1 (hierarchical "
            "softmax)."
        )


def n_threads(n_jobs) -> int:
    """Return the training threads of ``n_jobs``: None is 1, always.

    Unlike joblib's ``effective_n_jobs``, None stays 1 inside a
    ``joblib.parallel_config`` context (a grid search on Dask, say): training
    with one thread is what makes an int ``random_state`` reproducible.
    """
    return 1 if n_jobs is None else effective_n_jobs(n_jobs)


def gensim_seed(random_state) -> int:
    """Return the ``seed`` gensim gets: an int unchanged, else one drawn."""
    if isinstance(random_state, Integral):
        return int(random_state)
    rng = check_random_state(random_state)
    return int(rng.randint(np.iinfo(np.int32).max))


def train_word2vec(
    corpus: Iterable[Sequence[str]],
    *,
    vector_size,
    window,
    min_count,
    sg,
    hs,
    negative,
    ns_exponent,
    cbow_mean,
    sample,
    alpha,
    min_alpha,
    epochs,
    max_vocab_size,
    max_final_vocab,
    shrink_windows,
    n_jobs,
    random_state,
    init_vectors=None,
    casings=True,
    verbose=0,
) -> tuple[Word2Vec, int | None]:
    """Train a gensim ``Word2Vec`` model on a corpus of token lists.

    The hyperparameters are those of
    [`skw2v.Word2VecVectorizer`][skw2v.Word2VecVectorizer], which holds their defaults
    and documentation; this function has none of its own.

    Parameters
    ----------
    corpus : restartable iterable of list of str
        The training documents, tokenized: a list, or an object whose
        ``__iter__`` starts over (gensim makes one pass to count the words,
        then one per epoch).
    vector_size, window, min_count, sg, hs, negative, ns_exponent, cbow_mean, \
sample, alpha, min_alpha, epochs, max_vocab_size, max_final_vocab, \
shrink_windows, n_jobs, random_state
        As in [`skw2v.Word2VecVectorizer`][skw2v.Word2VecVectorizer].
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
        The trained model.
    n_initialized : int or None
        How many words started from ``init_vectors``; None without them.
    """
    check_training_parameters(
        {
            name: value
            for name, value in locals().items()
            if name in TRAINING_CONSTRAINTS
        },
        caller="train_word2vec",
    )
    model = Word2Vec(
        vector_size=vector_size,
        window=window,
        min_count=min_count,
        sg=sg,
        hs=hs,
        negative=negative,
        ns_exponent=ns_exponent,
        cbow_mean=cbow_mean,
        sample=sample,
        alpha=alpha,
        min_alpha=min_alpha,
        epochs=epochs,
        max_vocab_size=max_vocab_size,
        max_final_vocab=max_final_vocab,
        shrink_windows=shrink_windows,
        workers=n_threads(n_jobs),
        seed=gensim_seed(random_state),
    )
    n_initialized = _build_and_train(
        model, corpus, init_vectors=init_vectors, casings=casings, verbose=verbose
    )
    return model, n_initialized


def update_word2vec(
    model: Word2Vec,
    corpus: Iterable[Sequence[str]],
    *,
    init_vectors=None,
    casings: bool = True,
    verbose: int = 0,
) -> int | None:
    """Continue training ``model`` on a new batch of documents, in place.

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
        model,
        corpus,
        update=True,
        init_vectors=init_vectors,
        casings=casings,
        verbose=verbose,
    )


def _build_and_train(
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
    when that is faster (``_trains_from_file``).
    """
    documents = _training_corpus(corpus)
    n_before = len(model.wv) if update else 0
    with _TokenFile.for_training(documents, model.workers) as token_file:
        if token_file is None:
            model.build_vocab(documents, update=update)
        else:
            token_file.count_into(model, corpus, update=update)
        if len(model.wv) == 0:
            n_documents = (
                len(corpus) if isinstance(corpus, list) else model.corpus_count
            )
            raise ValueError(
                f"Empty vocabulary: no word occurs at least "
                f"min_count={model.min_count} times in the {n_documents} training "
                f"documents ({model.corpus_total_words} tokens). Lower min_count, "
                "or fit on more text."
            )
        n_initialized = None
        if init_vectors is not None:
            table = WordTable(load_vectors(init_vectors), casings=casings)
            initialized = table.copy_rows_into(
                model.wv, name="init_vectors", start=n_before
            )
            n_initialized = len(initialized)
        callbacks = [_EpochProgress(model.epochs)] if verbose else []
        source = (
            {"corpus_iterable": documents}
            if token_file is None or not token_file.faithful
            else {"corpus_file": token_file.path}
        )
        with _failures_surface(model):
            model.train(
                **source,
                total_examples=model.corpus_count,
                total_words=model.corpus_total_words,
                epochs=model.epochs,
                callbacks=callbacks,
            )
    model.callbacks = ()
    return n_initialized


#: Threads from which a corpus held in memory trains from a token file.
IN_MEMORY_FILE_MIN_THREADS = 3


def _trains_from_file(documents: Iterable[Sequence[str]], workers: int) -> bool:
    """Tell whether training with ``workers`` threads goes faster from a file.

    gensim's ``corpus_iterable`` mode feeds its worker threads from a single
    producer thread, which holds the GIL while it reads the corpus; its
    ``corpus_file`` mode lets each worker read its own part of a file,
    without the GIL, at the cost of writing the file in the counting pass.
    Measured on 2 cores (``benchmarks/bench_threads.py``): a stream, which
    the producer thread would also tokenize, trains faster from the file with
    2 threads already; a list of token lists, which it only hands out, trains
    faster without, so a list uses the file only from
    ``IN_MEMORY_FILE_MIN_THREADS`` threads on, as the producer's share of the
    work grows. One thread trains from the corpus itself, exactly as gensim
    does.
    """
    if isinstance(documents, list):
        return workers >= IN_MEMORY_FILE_MIN_THREADS
    return workers > 1


class _TokenFile:
    """The training tokens, written once in gensim's ``corpus_file`` line format.

    One document per line, tokens separated by whitespace, in a temporary
    file removed afterwards (in memory, under ``/dev/shm``, for a corpus that
    is in memory already and when there is room; on disk for a stream). The
    file is only used when every token survives the format: a token with
    whitespace in it, or an empty one, would not (``faithful`` is then False).
    """

    #: Documents of a list joined and checked at a time while writing.
    LINES_PER_WRITE = 4096

    def __init__(self, handle):
        self.handle = handle
        self.path = handle.name
        self.faithful = True

    @classmethod
    @contextmanager
    def for_training(cls, documents, workers: int):
        """Yield a new token file when training goes faster from one, else None."""
        if not _trains_from_file(documents, workers):
            yield None
            return
        n_bytes = None
        if isinstance(documents, list):  # the tokens, at about 8 bytes each
            n_bytes = 8 * sum(map(len, documents))
        directory = None if n_bytes is None else scratch_directory(n_bytes)
        handle = tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            prefix="skw2v-corpus-",
            suffix=".txt",
            dir=directory,
            delete=False,
        )
        try:
            yield cls(handle)
        finally:
            handle.close()
            os.unlink(handle.name)

    def count_into(
        self, model: Word2Vec, corpus: Iterable[Sequence[str]], *, update: bool
    ) -> None:
        """Count the words into ``model``'s vocabulary, writing the file meanwhile.

        ``collections.Counter`` counts the tokens of a batch at C speed, and
        gensim then builds the same vocabulary from the counts, in the same
        order (``build_vocab_from_freq``). A stream whose tokenizer gives its
        tokens as text already (``TokenStream.line_batches``) is written as
        that text, with no list built per document. With ``max_vocab_size``,
        which gensim applies while it counts, gensim counts.
        """
        if model.max_vocab_size is not None:
            model.build_vocab(self._writing(_training_corpus(corpus)), update=update)
            return
        counts: Counter = Counter()
        n_sentences = n_tokens = 0
        if isinstance(corpus, TokenStream):
            batches = corpus.line_batches()
        else:
            batches = self._batches(corpus)
        for batch in batches:
            if isinstance(batch, str):
                tokens = batch.split()  # exactly the tokens, by construction
                self.handle.write(batch + "\n")
                n_sentences += _sentences_in_lines(batch)
                n_tokens += len(tokens)
            else:
                n_tokens += self._write(batch)
                tokens = chain.from_iterable(batch)
                n_sentences += sum(_n_sentences(len(doc)) for doc in batch)
            counts.update(tokens)
        self.handle.close()
        model.build_vocab_from_freq(counts, corpus_count=n_sentences, update=update)
        model.corpus_total_words = n_tokens

    def _batches(self, documents) -> Iterator[list[Sequence[str]]]:
        batch: list[Sequence[str]] = []
        for doc in documents:
            batch.append(doc)
            if len(batch) == self.LINES_PER_WRITE:
                yield batch
                batch = []
        if batch:
            yield batch

    def _writing(self, documents) -> Iterator[Sequence[str]]:
        """Yield the documents, writing each batch's lines once it has passed."""
        for batch in self._batches(documents):
            yield from batch
            self._write(batch)
        self.handle.close()

    def _write(self, batch: list[Sequence[str]]) -> int:
        """Write the lines of a batch of token lists (while the file is usable).

        Returns the batch's number of tokens.
        """
        n_tokens = sum(map(len, batch))
        if self.faithful:
            text = "\n".join(map(" ".join, batch))
            # Split back as gensim will: as many tokens, or some token has
            # whitespace in it (or is empty) and the file cannot be used.
            self.faithful = len(text.split()) == n_tokens
            self.handle.write(text + "\n")
        return n_tokens


def _n_sentences(n_tokens: int) -> int:
    """Count the sentences gensim makes of a document of ``n_tokens`` tokens.

    gensim cuts a document of more than ``MAX_WORDS_IN_BATCH`` tokens into
    pieces of that many (as ``_SplitLongDocuments`` does); an empty document
    is a sentence too.
    """
    return max(n_tokens - 1, 0) // MAX_WORDS_IN_BATCH + 1


def _sentences_in_lines(text: str) -> int:
    """Count the sentences gensim makes of ``text``'s lines of tokens.

    One per line (``_n_sentences``), but a line of more than
    ``MAX_WORDS_IN_BATCH`` tokens, which gensim cuts, has at least twice as
    many characters: only such lines are split.
    """
    n_sentences = text.count("\n") + 1
    if len(text) > 2 * MAX_WORDS_IN_BATCH:
        for line in text.split("\n"):
            if len(line) > 2 * MAX_WORDS_IN_BATCH:
                n_sentences += _n_sentences(len(line.split())) - 1
    return n_sentences


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
