"""The training corpus as gensim reads it: in sentences, or from a token file.

gensim ignores the words of a sentence past its 10,000th, so longer documents
are cut into sentences of that size (``_training_corpus``). With several
training threads, the pass that counts the words can also write the tokens to
a file in gensim's ``corpus_file`` line format (``_TokenFile``), from which
each thread reads its own part, without the GIL (``_trains_from_file`` says
when that is faster).
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain

from gensim.models.doc2vec import TaggedDocument
from gensim.models.word2vec import MAX_WORDS_IN_BATCH, Word2Vec

from ._parallel import scratch_directory
from ._text import TokenStream


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


class _TaggedDocuments:
    """Restartable view of a corpus as Doc2Vec trains on it: each document tagged.

    Document ``i`` is tagged ``i`` (its row of the model's document vectors).
    A document longer than gensim's limit is cut into pieces of that size,
    each tagged as the document, so that every word trains its vector.
    """

    def __init__(self, documents: Iterable[Sequence[str]]):
        self.documents = documents

    def __iter__(self) -> Iterator[TaggedDocument]:
        for i, doc in enumerate(self.documents):
            tags = [i]
            if len(doc) <= MAX_WORDS_IN_BATCH:
                yield TaggedDocument(doc, tags)
            else:
                for start in range(0, len(doc), MAX_WORDS_IN_BATCH):
                    yield TaggedDocument(doc[start : start + MAX_WORDS_IN_BATCH], tags)


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


#: Threads from which a corpus held in memory trains from a token file.
IN_MEMORY_FILE_MIN_THREADS = 3


def _trains_from_file(documents: Iterable[Sequence[str]], workers: int) -> bool:
    """Tell whether training with ``workers`` threads goes faster from a file.

    gensim's ``corpus_iterable`` mode feeds its worker threads from a single
    producer thread, which holds the GIL while it reads the corpus; its
    ``corpus_file`` mode lets each worker read its own part of a file,
    without the GIL, at the cost of writing the file in the counting pass.
    A stream, which the producer thread would also tokenize, trains faster
    from the file with 2 threads already; a list of token lists, which it
    only hands out, trains as fast without the file with 2 threads
    (``benchmarks/bench_threads.py``), so a list uses the file only from
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
