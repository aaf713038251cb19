"""Checking text input and turning documents into tokens.

Every skw2v estimator accepts the same inputs: a list, tuple or 1-D array of
strings, a pandas Series, a one-column DataFrame, or documents that are already
tokenized (each a list or tuple of strings). This module turns any of them into a
plain list, and rejects everything else with a message that says what to do
*before* gensim sees it (gensim's worker threads hang on numbers instead of
failing).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import chain, count, repeat
from numbers import Real

import numpy as np

#: Default ``token_pattern``: runs of word characters, with inner apostrophes
#: kept so that contractions stay whole ("don't", "it's", "i'd"). Single-letter
#: words such as "a" and "i" are kept, unlike scikit-learn's default pattern,
#: because word2vec learns useful vectors for them. Underscores count as word
#: characters, so phrase tokens such as "new_york" stay whole too.
DEFAULT_TOKEN_PATTERN = r"(?u)\w+(?:'\w+)*"

Document = str | Sequence[str]


def all_str(items) -> bool:
    """Tell whether every item is a plain ``str``: the test of the fast paths.

    ``str`` subclasses (such as ``numpy.str_``) are valid tokens and documents
    too; they take the general paths.
    """
    return set(map(type, items)) <= {str}


def _is_missing(value) -> bool:
    """Whether ``value`` is a scalar missing value (None, NaN, pd.NA, NaT)."""
    if value is None:
        return True
    if isinstance(value, Real):
        return value != value  # NaN is the only value not equal to itself
    if np.ndim(value) != 0:
        return False
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _row_name(position: int, labels) -> str:
    """Name a row for an error message, with its index label when it has one."""
    if labels is None:
        return f"row {position}"
    label = labels[position]  # (labels only come with pandas: first_row is 0)
    try:
        same = bool(label == position)
    except (TypeError, ValueError):  # pd.NA and other labels without a truth value
        same = False
    return f"row {position}" if same else f"row {position} (index label {label!r})"


def check_documents(
    X, *, allow_empty: bool = False, first_row: int = 0
) -> list[Document]:
    """Validate text input and return it as a list of documents.

    Parameters
    ----------
    X : iterable of str or of list of str, pandas Series or one-column DataFrame
        The documents.
    allow_empty : bool, default=False
        Whether an input with no document at all is accepted.
    first_row : int, default=0
        The row number of the first document, in messages (for a batch of a
        streamed corpus).

    Returns
    -------
    documents : list
        One item per document: a ``str``, or a list/tuple of ``str`` for an
        already tokenized document.

    Raises
    ------
    TypeError
        For a numeric or sparse array, and items that are neither text nor
        lists of strings.
    ValueError
        For a bare string (as scikit-learn's vectorizers), missing values
        (None, NaN), a DataFrame with several columns and an empty input.
    """
    labels = None
    if isinstance(X, (str, bytes)):
        raise ValueError(
            "Iterable over raw text documents expected, string object received. "
            "Wrap a single document in a list: [text]."
        )
    if hasattr(X, "columns") and len(getattr(X, "shape", ())) == 2:  # a DataFrame
        if X.shape[1] != 1:
            raise ValueError(
                f"X is a DataFrame with {X.shape[1]} columns; a text vectorizer "
                "needs exactly one text column. Select it (X['text']) or use "
                "ColumnTransformer([('w2v', vectorizer, 'text')])."
            )
        # pandas by position; others (polars...) by the column's name.
        X = X.iloc[:, 0] if hasattr(X, "iloc") else X[list(X.columns)[0]]
    if hasattr(X, "iloc"):  # pandas Series
        labels = X.index.tolist()
        X = X.tolist()
    elif hasattr(X, "tocsr") or hasattr(X, "toarray"):
        raise TypeError(
            "X is a sparse matrix; skw2v vectorizers expect text documents "
            "(strings, or lists of tokens)."
        )
    elif isinstance(X, np.ndarray):
        if X.ndim == 2 and X.shape[1] == 1:
            X = X[:, 0]
        if X.ndim != 1:
            raise ValueError(
                f"X is an array of shape {X.shape}; expected a 1-D array of text "
                "documents, or a single column."
            )
        if X.dtype.kind not in "OUST":  # T: numpy 2's StringDType
            raise TypeError(
                f"X is a numeric array (dtype {X.dtype}); skw2v vectorizers expect "
                "text documents (strings, or lists of tokens)."
            )
        X = X.tolist()
    elif not isinstance(X, Iterable):
        raise TypeError(
            f"X must be an iterable of text documents, got {type(X).__name__}."
        )
    documents = X if isinstance(X, list) else list(X)

    if not documents and not allow_empty:
        raise ValueError("X contains no document; at least one document is required.")
    if all_str(documents):  # fast path: plain strings
        return documents
    for position, doc in enumerate(documents, start=first_row):
        if isinstance(doc, str):
            continue
        if isinstance(doc, (list, tuple)):
            if set(map(type, doc)) <= {str}:
                continue
            bad = next((t for t in doc if not isinstance(t, str)), None)
            if bad is not None:  # (str subclasses such as numpy.str_ are fine)
                raise TypeError(
                    f"Tokenized document at {_row_name(position, labels)} contains "
                    f"a {type(bad).__name__} ({bad!r}); every token must be a str."
                )
            continue
        if isinstance(doc, bytes):
            raise TypeError(
                f"X contains bytes at {_row_name(position, labels)}; decode the "
                "documents to str first (e.g. doc.decode('utf-8'))."
            )
        if _is_missing(doc):
            raise ValueError(
                f"X contains a missing value ({doc!r}) at "
                f"{_row_name(position, labels)}. Drop those rows or fill them "
                "with an empty string, e.g. df['text'].fillna('')."
            )
        raise TypeError(
            f"X contains a {type(doc).__name__} ({doc!r}) at "
            f"{_row_name(position, labels)}; expected a str, or a list of str for "
            "an already tokenized document."
        )
    return documents


def is_stream(X) -> bool:
    """Tell whether ``X`` is read as a stream of documents, not held in memory.

    Lists, tuples, other sequences, arrays and pandas or polars objects are held
    in memory; any other iterable (a [`LineCorpus`][skw2v.LineCorpus], a
    generator, a corpus class of the user's) is a stream, read in batches.
    """
    return (
        isinstance(X, Iterable)
        and not isinstance(X, (str, bytes, Sequence, np.ndarray))
        and not hasattr(X, "shape")  # pandas, polars, array-likes
    )


def check_reiterable(X) -> None:
    """Refuse a one-shot iterator where the documents are read several times.

    Training reads its corpus once to count the words, then once per epoch; a
    generator would be empty after the first pass. Nothing is read here.
    """
    if is_stream(X) and iter(X) is X:
        raise TypeError(
            f"X is a one-shot iterator ({type(X).__name__}), but fit reads the "
            "documents several times (to count the words, then once per epoch, "
            "and for the weighting statistics). Pass a list, or a corpus that "
            "can be read again, such as skw2v.LineCorpus(path) or an object "
            "whose __iter__ starts over."
        )


def _size(doc) -> int:
    """Estimate the characters of a document, to cut streams into batches."""
    if isinstance(doc, str):
        return len(doc)
    return 8 * len(doc) if isinstance(doc, (list, tuple)) else 1


def document_batches(X, characters: int) -> Iterator[list[Document]]:
    """Yield the documents of a stream as checked lists of about ``characters``.

    Each batch is validated as ``check_documents`` validates a list, with
    messages that give a document's row number in the whole stream. A stream
    with no document raises ``ValueError``, as an empty list does.
    """
    batch: list = []
    size = first_row = 0
    for doc in X:
        batch.append(doc)
        size += _size(doc)
        if size >= characters:
            yield check_documents(batch, first_row=first_row)
            first_row += len(batch)
            batch, size = [], 0
    if batch or not first_row:
        yield check_documents(batch, allow_empty=first_row > 0, first_row=first_row)


def checked_batches(X, characters: int) -> Iterable[list[Document]]:
    """Return the checked documents of ``X``: all at once, or a stream's batches.

    Input held in memory gives one list (``check_documents``); a stream gives
    its ``document_batches`` of about ``characters`` characters each.
    """
    if is_stream(X):
        return document_batches(X, characters)
    return [check_documents(X)]


def _ascii_table(*, lowercase: bool) -> dict[int, str]:
    r"""Map every ASCII character for ``_DefaultTokenizer``.

    Word characters (as ``\w`` matches them) are kept, or lowercased; the
    apostrophe is kept; every other ASCII character becomes a space.
    """
    word = re.compile(r"(?u)\w")
    table = {}
    for code in range(128):
        char = chr(code)
        if word.match(char):
            table[code] = char.lower() if lowercase else char
        else:
            table[code] = "'" if char == "'" else " "
    return table


#: Replaces every apostrophe that is not between two word characters. The
#: pattern starts with the apostrophe itself, so the regular-expression engine
#: jumps from one apostrophe to the next at C speed.
_STRAY_APOSTROPHE = re.compile(r"'(?:(?!\w)|(?<!\w'))").sub

#: Replaces every non-ASCII character that is not a word character.
_NON_ASCII_NON_WORD = re.compile(r"[^\x00-\x7f\w]").sub


class _Tokenizer:
    """Turns raw documents into tokens; already tokenized documents pass through.

    One protocol for every tokenizer: ``__call__`` tokenizes one raw document,
    ``batch`` a list of them, ``flat`` gives a batch's tokens in one
    list with each document's count, and ``documents`` /
    ``documents_flat`` take checked input that may mix raw and tokenized
    documents. Subclasses implement ``__call__``; ``_DefaultTokenizer``
    also replaces ``batch`` and ``flat`` by batch-wide string methods.

    Parameters
    ----------
    lowercase : bool
        Whether raw documents are lowercased before tokenizing.
    trusted : bool
        Whether the tokenizer is known to return lists of ``str`` (the
        regular-expression ones are); otherwise its output is checked.
    """

    def __init__(self, *, lowercase: bool, trusted: bool):
        self.lowercase = lowercase
        self.trusted = trusted

    @property
    def lowercases(self) -> bool:
        """Whether the tokens of raw documents are all lowercase by construction."""
        return self.lowercase and self.trusted

    def __call__(self, doc: str) -> list[str]:
        raise NotImplementedError

    def batch(self, docs: list[str]) -> list[list[str]]:
        """Tokenize a list of raw documents, as ``[self(doc) for doc in docs]``."""
        return list(map(self, docs))

    def flat(self, docs: list[str]) -> tuple[list[str], np.ndarray]:
        """Tokenize raw documents into one flat list, and count each one's tokens."""
        return flatten(self.batch(docs))

    def lines(self, docs: list[str]) -> str | None:
        """Return the tokens of raw documents as text, or None if they are not at hand.

        The text has one line per document, in which ``str.split`` finds the
        document's tokens, separated by runs of ASCII spaces (the line format of
        gensim's ``corpus_file``). Only a tokenizer that computes this text on
        its way to the tokens (``_DefaultTokenizer``) returns it.
        """
        return None

    def documents(self, documents: list[Document]) -> list[Sequence[str]]:
        """Return one token list per checked document (raw or tokenized)."""
        if not self.trusted:
            tokens = list(map(self._checked_call, documents, count()))
            _check_tokenizer_output(documents, tokens)
        elif all_str(documents):
            tokens = self.batch(documents)
        else:
            tokens = [self(doc) if isinstance(doc, str) else doc for doc in documents]
        return tokens

    def _checked_call(self, doc: Document, position: int) -> Sequence[str]:
        """Tokenize one document; an error names the document it happened on."""
        if not isinstance(doc, str):
            return doc
        try:
            return self(doc)
        except Exception as exc:
            raise ValueError(
                f"tokenizer raised {type(exc).__name__} ({exc}) on document "
                f"{position}: {doc[:60]!r}. Fix the tokenizer, or clean that text."
            ) from exc

    def documents_flat(self, documents: list[Document]) -> tuple[list[str], np.ndarray]:
        """Return the tokens of checked documents in one list, and each one's count.

        Raw text through a trusted tokenizer never builds per-document lists.
        """
        if self.trusted and all_str(documents):
            return self.flat(documents)
        return flatten(self.documents(documents))


class _PatternTokenizer(_Tokenizer):
    """Tokens are the matches of a regular expression (``re.findall``)."""

    def __init__(self, pattern: str, *, lowercase: bool):
        super().__init__(lowercase=lowercase, trusted=True)
        compiled = re.compile(pattern)
        if compiled.groups > 1:
            raise ValueError(
                "token_pattern has more than one capturing group; use at most "
                "one (or non-capturing groups, (?:...))."
            )
        self._findall = compiled.findall

    def __call__(self, doc: str) -> list[str]:
        return self._findall(doc.lower() if self.lowercase else doc)


class _CallableTokenizer(_Tokenizer):
    """Tokens come from the user's ``tokenizer`` function (output checked)."""

    def __init__(self, tokenizer: Callable[[str], list[str]], *, lowercase: bool):
        super().__init__(lowercase=lowercase, trusted=False)
        self._tokenizer = tokenizer

    def __call__(self, doc: str) -> list[str]:
        return self._tokenizer(doc.lower() if self.lowercase else doc)


class _DefaultTokenizer(_Tokenizer):
    r"""``DEFAULT_TOKEN_PATTERN`` computed by C-level string methods, not the regex.

    A token of the default pattern is a run of word characters, with single
    inner apostrophes. A non-ASCII document, where ``\w`` and ``str.lower``
    follow Unicode, is first lowercased by ``str.lower`` and its non-ASCII
    characters that are not word characters become spaces. Then the documents
    are joined by NUL and one ``bytes.translate`` of the batch's UTF-8 bytes
    lowercases ASCII letters, turns every other ASCII non-word character into a
    space and each NUL into the newline that ends a document (a document that
    holds a NUL itself takes a slower, per-document path). One substitution
    turns the apostrophes that are not between two word characters into
    spaces, and ``str.split`` cuts the tokens: per document (``batch``) or
    once for the batch (``flat``). ``tests/test_text.py`` proves the
    result equal to ``re.findall(DEFAULT_TOKEN_PATTERN, ...)`` on every bundled
    review, on adversarial strings and on random Unicode text.
    """

    def __init__(self, *, lowercase: bool):
        super().__init__(lowercase=lowercase, trusted=True)
        self._table = _ascii_table(lowercase=lowercase)
        # The same on UTF-8 bytes, but NUL (which joins documents) -> newline.
        ascii_part = bytes(map(ord, self._table.values()))
        self._joined_table = b"\n" + ascii_part[1:] + bytes(range(128, 256))
        self._findall = re.compile(DEFAULT_TOKEN_PATTERN).findall

    def __call__(self, doc: str) -> list[str]:
        return self._findall(doc.lower() if self.lowercase else doc)

    def _clean_text(self, docs: list[str]) -> str:
        """Return the documents' tokens, space-separated, one document per line."""
        if not all(map(str.isascii, docs)):  # str.isascii is O(1)
            docs = [doc if doc.isascii() else self._clean(doc) for doc in docs]
        # One bytes.translate for the whole batch (str.translate costs about a
        # microsecond per call): the documents are joined by NUL, which the
        # table turns into the newline that ends each one, while their own
        # newlines, NULs included, become spaces like every other non-word
        # character.
        text = "\0".join(docs).encode().translate(self._joined_table).decode()
        if text.count("\n") != len(docs) - 1:  # some document holds a NUL
            text = "\n".join(map(str.translate, docs, repeat(self._table)))
        return _STRAY_APOSTROPHE(" ", text) if "'" in text else text

    def _clean(self, doc: str) -> str:
        r"""Prepare one non-ASCII document for the batch's byte translation.

        There, ``\w`` and lowercasing follow Unicode: the document is
        lowercased by ``str.lower``, and its non-ASCII characters that are not
        word characters become spaces. Its ASCII characters are left to the
        translation of the whole batch.
        """
        return _NON_ASCII_NON_WORD(" ", doc.lower() if self.lowercase else doc)

    def batch(self, docs: list[str]) -> list[list[str]]:
        if not docs:
            return []
        return list(map(str.split, self._clean_text(docs).split("\n")))

    def lines(self, docs: list[str]) -> str:
        # Only word characters and apostrophes are left between the spaces.
        return self._clean_text(docs) if docs else ""

    def flat(self, docs: list[str]) -> tuple[list[str], np.ndarray]:
        # One str.split of the whole batch, and the documents' lengths counted
        # on its bytes by numpy: no list is built per document.
        if not docs:
            return [], np.zeros(0, dtype=np.int64)
        text = self._clean_text(docs)
        return text.split(), _tokens_per_line(text)


def _tokens_per_line(text: str) -> np.ndarray:
    """Count the space-separated tokens of each line of ``text``.

    ``text`` is what ``_DefaultTokenizer._clean_text`` returns: tokens,
    spaces and newlines only, so a byte above the space (32) in its UTF-8 form
    belongs to a token, and a token starts wherever such a byte follows one that
    is not.
    """
    data = np.frombuffer(text.encode(), dtype=np.uint8)
    in_token = np.zeros(len(data) + 1, dtype=bool)
    np.greater(data, 32, out=in_token[1:])
    starts = np.flatnonzero(in_token[1:] > in_token[:-1])
    tokens_before_line_end = np.searchsorted(starts, np.flatnonzero(data == 10))
    return np.diff(tokens_before_line_end, prepend=0, append=len(starts))


@lru_cache(maxsize=16)
def _pattern_tokenizer(token_pattern: str, lowercase: bool) -> _Tokenizer:
    if token_pattern == DEFAULT_TOKEN_PATTERN:
        return _DefaultTokenizer(lowercase=lowercase)
    return _PatternTokenizer(token_pattern, lowercase=lowercase)


def build_tokenizer(
    *,
    lowercase: bool = True,
    token_pattern: str | None = DEFAULT_TOKEN_PATTERN,
    tokenizer: Callable[[str], list[str]] | None = None,
) -> _Tokenizer:
    """Return the tokenizer of these parameters: ``str -> list[str]``, and batches.

    The default ``token_pattern`` without a ``tokenizer`` gives
    ``_DefaultTokenizer``, which computes the pattern's tokens at C speed.
    Tokenizers of a pattern are built once per process.
    """
    if tokenizer is not None:
        return _CallableTokenizer(tokenizer, lowercase=lowercase)
    if token_pattern is None:
        token_pattern = DEFAULT_TOKEN_PATTERN
    return _pattern_tokenizer(token_pattern, lowercase)


class TokenStream:
    """The token lists of a streamed corpus, read and tokenized again on every pass.

    A restartable iterable for gensim, which reads its corpus once to count the
    words and once per epoch: nothing is held between passes but one batch of
    documents, tokenized together.
    """

    def __init__(self, documents: Iterable, tokenizer: _Tokenizer, characters: int):
        self.documents = documents
        self.tokenizer = tokenizer
        self.characters = characters

    def __iter__(self) -> Iterator[Sequence[str]]:
        for batch in document_batches(self.documents, self.characters):
            yield from self.tokenizer.documents(batch)

    def line_batches(self) -> Iterator[str | list[Sequence[str]]]:
        """Yield one pass's batches: as text when the tokenizer has it, else as lists.

        A batch of raw text that the tokenizer can give as text
        (``_Tokenizer.lines``: one line per document, tokens separated by
        spaces) comes as that text; any other batch as its token lists.
        """
        for batch in document_batches(self.documents, self.characters):
            text = self.tokenizer.lines(batch) if all_str(batch) else None
            yield self.tokenizer.documents(batch) if text is None else text


def _check_tokenizer_output(documents, tokens) -> None:
    if set(map(type, tokens)) <= {list, tuple} and all_str(chain.from_iterable(tokens)):
        return
    for position, (doc, toks) in enumerate(zip(documents, tokens, strict=True)):
        if not isinstance(doc, str):
            continue
        if not isinstance(toks, (list, tuple)) or not all(
            isinstance(t, str) for t in toks
        ):
            raise TypeError(
                f"tokenizer must return a list of str; for document {position} it "
                f"returned {toks!r}."
            )


class _TokenizerMixin:
    """Tokenization shared by every skw2v estimator.

    Provides the tokenizer of the ``lowercase``, ``token_pattern`` and
    ``tokenizer`` parameters, their constraints in ``_tokenizer_constraints``,
    and ``build_analyzer``.
    """

    _tokenizer_constraints: dict = {
        "lowercase": ["boolean"],
        "token_pattern": [str, None],
        "tokenizer": [callable, None],
    }

    def _tokenizer(self) -> _Tokenizer:
        return build_tokenizer(
            lowercase=self.lowercase,
            token_pattern=self.token_pattern,
            tokenizer=self.tokenizer,
        )

    def build_analyzer(self) -> Callable[[str], list[str]]:
        r"""Return the function that turns one raw document into its tokens.

        These are exactly the tokens the estimator looks up, e.g. to check
        coverage or debug a ``token_pattern``. Once a vectorizer is fitted,
        they are its word table's: with pretrained vectors, after phrases are
        joined and casings resolved ("new york" may become "New_York"). Tokens
        the vectors lack are kept, so that coverage can be checked; pooling
        skips them. Before ``fit``, the tokens of the tokenizer alone.

        Returns
        -------
        analyzer : callable
            ``str -> list of str``.

        Examples
        --------
        >>> from skw2v import PretrainedEmbeddingVectorizer
        >>> path = getfixture("tmp_path") / "phrases.txt"  # GloVe text, no header
        >>> _ = path.write_text("New_York 1 0\nis 0 0\nbig 0 1\n")
        >>> vectorizer = PretrainedEmbeddingVectorizer(
        ...     vectors=path, max_phrase_words=2, cache_dir=False
        ... )
        >>> vectorizer.build_analyzer()("New York is BIG!")  # not fitted: tokens
        ['new', 'york', 'is', 'big']
        >>> vectorizer.fit(["x"]).build_analyzer()("New York is BIG!")
        ['New_York', 'is', 'big']
        """
        return self._analyzer(self._tokenizer())

    def _analyzer(self, tokenizer: _Tokenizer) -> Callable[[str], list[str]]:
        """Return the analyzer made of ``tokenizer``: by default, itself."""
        return tokenizer


def flatten(token_docs: Sequence[Sequence[str]]) -> tuple[list[str], np.ndarray]:
    """Return the tokens of all documents in one list, and each document's count."""
    lengths = np.fromiter(map(len, token_docs), dtype=np.int64, count=len(token_docs))
    return list(chain.from_iterable(token_docs)), lengths
