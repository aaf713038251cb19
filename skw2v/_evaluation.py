"""Intrinsic evaluation of word vectors: word similarity and word analogies.

Both benchmarks run in a few array operations rather than one gensim call per
question. The vocabulary is restricted to the ``restrict_vocab`` most frequent
words and its rows are normalized once; a word list is turned into row ids by
dictionary lookups (``map``, no Python loop body); similarities of word pairs
are row-wise dot products, and analogy questions are answered a batch at a
time with one matrix product of the batch's query vectors and the normalized
table. The answers are the ones gensim's ``evaluate_word_pairs`` and
``evaluate_word_analogies`` give.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from numbers import Integral
from pathlib import Path

import numpy as np
from gensim.models import KeyedVectors
from gensim.test.utils import datapath
from scipy import stats

from ._compat import Interval, StrOptions, validate_params
from ._vectors import as_keyed_vectors, first_casings

#: Built-in word-similarity datasets: name -> file installed with gensim.
SIMILARITY_DATASETS = {"wordsim353": "wordsim353.tsv", "simlex999": "simlex999.txt"}

#: Built-in analogy datasets: name -> file installed with gensim.
ANALOGY_DATASETS = {"google": "questions-words.txt"}

#: Float32 cells of the (questions x vocabulary) score matrix held at a time
#: while answering analogy questions (about 64 MB).
_SCORE_BUDGET = 16_000_000

#: Added to the 3CosMul denominator to avoid a division by zero (gensim's value).
_COSMUL_EPSILON = 1e-6

_PARAMS = {
    "vectors": "no_validation",  # resolved, with a clear message, by _resolve
    "restrict_vocab": [Interval(Integral, 1, None, closed="left"), None],
    "case_insensitive": ["boolean"],
    "oov": [StrOptions({"skip", "penalize"})],
}


# -- results ------------------------------------------------------------------------


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _fixed(value: float, digits: int = 3) -> str:
    return "-" if np.isnan(value) else f"{value:.{digits}f}"


@dataclass(frozen=True)
class SimilarityResult:
    """Correlation of word vectors with human similarity judgements.

    Attributes
    ----------
    dataset : str
        Name of the built-in dataset, or the path of the file.
    spearman : float
        Spearman rank correlation between the cosine similarities and the human
        scores (the figure usually reported).
    pearson : float
        Pearson correlation between the same two lists.
    n_found : int
        Pairs whose two words both have a vector.
    n_pairs : int
        Pairs in the dataset.
    oov : {"skip", "penalize"}
        How pairs with an unknown word entered the correlations.
    """

    dataset: str
    spearman: float
    pearson: float
    n_found: int
    n_pairs: int
    oov: str = "skip"

    @property
    def coverage(self) -> float:
        """Fraction of the pairs whose two words both have a vector."""
        return self.n_found / self.n_pairs

    def as_dict(self) -> dict:
        """Return the result as a dictionary of plain Python values (for JSON)."""
        return {
            "dataset": self.dataset,
            "spearman": self.spearman,
            "pearson": self.pearson,
            "n_found": self.n_found,
            "n_pairs": self.n_pairs,
            "coverage": self.coverage,
            "oov": self.oov,
        }

    def __str__(self) -> str:
        return (
            f"{self.dataset}: Spearman {_fixed(self.spearman)}, Pearson "
            f"{_fixed(self.pearson)}; {self.n_found} of {self.n_pairs} pairs known "
            f"(coverage {_percent(self.n_found, self.n_pairs)}, oov={self.oov!r})"
        )


@dataclass(frozen=True)
class AnalogySection:
    """Analogy results of one section of the dataset (e.g. "capital-world").

    Attributes
    ----------
    name : str
        The section's name.
    n_correct : int
        Questions answered correctly.
    n_found : int
        Questions whose four words all have a vector (and so were asked).
    n_questions : int
        Questions in the section.
    oov : {"skip", "penalize"}
        Whether questions with an unknown word count as wrong answers.
    """

    name: str
    n_correct: int
    n_found: int
    n_questions: int
    oov: str = "skip"

    @property
    def accuracy(self) -> float:
        """Fraction answered correctly; NaN when nothing could be asked.

        With ``oov="skip"`` it is out of the questions asked, with
        ``"penalize"`` out of all questions.
        """
        whole = self.n_questions if self.oov == "penalize" else self.n_found
        return self.n_correct / whole if whole else float("nan")

    @property
    def coverage(self) -> float:
        """Fraction of the questions whose four words all have a vector."""
        return self.n_found / self.n_questions if self.n_questions else float("nan")

    def as_dict(self) -> dict:
        """Return the section as a dictionary of plain Python values (for JSON)."""
        return {
            "section": self.name,
            "accuracy": None if np.isnan(self.accuracy) else self.accuracy,
            "n_correct": self.n_correct,
            "n_found": self.n_found,
            "n_questions": self.n_questions,
            "coverage": self.coverage,
        }


@dataclass(frozen=True, repr=False)
class AnalogyResult:
    """Accuracy of word vectors on an analogy dataset, overall and per section.

    Attributes
    ----------
    dataset : str
        Name of the built-in dataset, or the path of the file.
    method : {"3cosadd", "3cosmul"}
        How the answers were chosen.
    sections : tuple of AnalogySection
        One entry per section of the dataset, in file order.
    oov : {"skip", "penalize"}
        Whether questions with an unknown word count as wrong answers.
    """

    dataset: str
    method: str
    sections: tuple[AnalogySection, ...]
    oov: str = "skip"

    @property
    def total(self) -> AnalogySection:
        """All sections together."""
        return AnalogySection(
            "total",
            sum(s.n_correct for s in self.sections),
            sum(s.n_found for s in self.sections),
            sum(s.n_questions for s in self.sections),
            self.oov,
        )

    @property
    def accuracy(self) -> float:
        """Overall accuracy.

        See [`AnalogySection.accuracy`][skw2v.evaluation.AnalogySection.accuracy].
        """
        return self.total.accuracy

    @property
    def coverage(self) -> float:
        """Fraction of all questions whose four words have a vector."""
        return self.total.coverage

    def as_dict(self) -> dict:
        """Return the result as a dictionary of plain Python values (for JSON)."""
        total = self.total.as_dict()
        del total["section"]
        return {
            "dataset": self.dataset,
            "method": self.method,
            "oov": self.oov,
            **total,
            "sections": [section.as_dict() for section in self.sections],
        }

    def to_frame(self):
        """Return one row per section, plus a "total" row, as a pandas DataFrame."""
        import pandas as pd

        rows = [s.as_dict() for s in (*self.sections, self.total)]
        return pd.DataFrame(rows).set_index("section")

    def __repr__(self) -> str:
        return (
            f"AnalogyResult(dataset={self.dataset!r}, method={self.method!r}, "
            f"accuracy={self.accuracy:.4g}, coverage={self.coverage:.4g}, "
            f"n_sections={len(self.sections)})"
        )

    def __str__(self) -> str:
        total = self.total
        header = (
            f"{self.dataset} ({self.method}): accuracy {_fixed(total.accuracy)}; "
            f"{total.n_found} of {total.n_questions} questions known "
            f"(coverage {_percent(total.n_found, total.n_questions)}, "
            f"oov={self.oov!r})"
        )
        rows = [
            (s.name, _fixed(s.accuracy), str(s.n_correct), str(s.n_found))
            for s in (*self.sections, total)
        ]
        names = ("section", "accuracy", "correct", "known")
        return header + "\n" + format_table(names, rows)


def format_table(headers, rows) -> str:
    """Lay out rows of strings as a text table, first column left-aligned.

    Parameters
    ----------
    headers : sequence of str
        Column titles.
    rows : sequence of sequence of str
        The cells, already formatted.

    Returns
    -------
    str
        The table, one line per row under a header line.

    Examples
    --------
    >>> print(format_table(["word", "similarity"], [["good", "0.91"], ["a", "0.5"]]))
    word  similarity
    good        0.91
    a            0.5
    """
    widths = [max(map(len, column)) for column in zip(headers, *rows, strict=True)]
    lines = []
    for row in (headers, *rows):
        first, *rest = row
        cells = [first.ljust(widths[0])]
        cells += [
            cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


# -- datasets -----------------------------------------------------------------------


def _dataset_path(dataset, builtin: dict[str, str], kind: str) -> tuple[str, Path]:
    """Return ``(display name, file path)`` of a built-in name or a user's file."""
    if isinstance(dataset, str) and dataset in builtin:
        return dataset, Path(datapath(builtin[dataset]))
    path = Path(dataset)
    if not path.is_file():
        names = ", ".join(map(repr, builtin))
        raise FileNotFoundError(
            f"{kind} dataset {str(dataset)!r} is neither a built-in dataset "
            f"({names}) nor an existing file."
        )
    return str(dataset), path


def _file_key(path: Path) -> tuple[str, int, int]:
    """Identify a file's current content for the parsing caches."""
    stat = path.stat()
    return str(path.resolve()), stat.st_mtime_ns, stat.st_size


def _read_lines(path: Path):
    """Yield ``(line number, stripped line)``, skipping blank lines and # comments."""
    try:
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                line = line.strip()
                if line and not line.startswith("#"):
                    yield number, line
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not UTF-8 text: {exc}.") from None


@lru_cache(maxsize=16)
def _parse_word_pairs(key: tuple[str, int, int]) -> tuple[list, list, np.ndarray]:
    """Read ``word1<TAB>word2<TAB>score`` lines (a non-numeric first is a header)."""
    path = Path(key[0])
    first, second, scores = [], [], []
    for number, line in _read_lines(path):
        fields = line.split("\t")
        score = None
        if len(fields) == 3:
            try:
                score = float(fields[2])
            except ValueError:
                pass
        if score is None:
            if not scores and len(fields) == 3:
                continue  # a header line such as "word1<TAB>word2<TAB>score"
            raise ValueError(
                f"Line {number} of {path} is not 'word1<TAB>word2<TAB>score': "
                f"{line[:80]!r}. A similarity dataset has one tab-separated pair "
                "per line (lines starting with # are comments)."
            )
        first.append(fields[0].strip())
        second.append(fields[1].strip())
        scores.append(score)
    if not scores:
        raise ValueError(f"{path} contains no word pair.")
    return first, second, np.array(scores)


@lru_cache(maxsize=16)
def _parse_analogies(key: tuple[str, int, int]) -> tuple[list, list, list]:
    """Read ``: section`` headers and ``a b c d`` questions.

    Returns the section names, the number of questions of each, and the
    questions' words, flattened (four per question).
    """
    path = Path(key[0])
    names, counts, words = [], [], []
    for number, line in _read_lines(path):
        if line.startswith(":"):
            names.append(line[1:].strip())
            counts.append(0)
            continue
        question = line.split()
        if len(question) != 4 or not names:
            problem = (
                "is not a question of four words"
                if names
                else "comes before the first ': section' line"
            )
            raise ValueError(
                f"Line {number} of {path} {problem}: {line[:80]!r}. An analogy "
                "dataset has ': section' lines, each followed by questions "
                "'a b c d' (a is to b as c is to d)."
            )
        words.extend(question)
        counts[-1] += 1
    if not words:
        raise ValueError(f"{path} contains no analogy question.")
    return names, counts, words


# -- vocabulary ---------------------------------------------------------------------


def _resolve(vectors) -> KeyedVectors:
    """Return the ``KeyedVectors`` behind ``vectors`` (a path is loaded)."""
    if isinstance(vectors, (str, os.PathLike)):
        from ._loading import load_vectors

        return load_vectors(vectors)
    return as_keyed_vectors(vectors)


@dataclass
class _Vocabulary:
    """The searched part of a vocabulary, normalized, with a word -> row lookup.

    ``canonical[i]`` is the row that stands for row ``i``: itself, or with
    ``case_insensitive`` the row of its first casing (the folded lookup of
    ``skw2v._vectors``). ``lookup`` maps words (lowercase forms, with
    ``case_insensitive``) to canonical rows.
    """

    lookup: dict
    canonical: np.ndarray
    unit: np.ndarray
    case_insensitive: bool

    @classmethod
    def of(cls, wv: KeyedVectors, restrict_vocab, case_insensitive: bool):
        keys = wv.index_to_key[:restrict_vocab]
        if len(keys) == 0:
            raise ValueError("The word vectors are empty: they hold no word.")
        rows = np.arange(len(keys))
        if case_insensitive:
            lookup = first_casings(keys)
            forms = map(str.lower, map(str, keys))
            canonical = np.fromiter(map(lookup.__getitem__, forms), np.int64, len(keys))
        else:
            lookup = dict(zip(keys, rows.tolist(), strict=True))
            canonical = rows
        table = np.asarray(wv.vectors[: len(keys)], dtype=np.float32)
        norms = np.linalg.norm(table, axis=1, keepdims=True)
        unit = table / np.where(norms > 0, norms, 1).astype(np.float32)
        return cls(lookup, canonical, unit, case_insensitive)

    def rows(self, words: list[str]) -> np.ndarray:
        """Return the canonical row of each word, -1 for an unknown word."""
        if self.case_insensitive:
            words = map(str.lower, words)
        return np.fromiter(map(self.lookup.get, words, repeat(-1)), np.int64)


# -- word similarity ----------------------------------------------------------------


class _TooFewPairs(ValueError):
    """Too few pairs of a similarity dataset are known for a correlation."""

    def __init__(self, message: str, *, n_found: int, n_pairs: int):
        super().__init__(message)
        self.n_found = n_found
        self.n_pairs = n_pairs


@validate_params(
    {**_PARAMS, "dataset": [str, os.PathLike]}, prefer_skip_nested_validation=True
)
def evaluate_similarity(
    vectors,
    dataset="wordsim353",
    *,
    restrict_vocab=300_000,
    case_insensitive=True,
    oov="skip",
) -> SimilarityResult:
    """Correlate cosine similarities of word pairs with human judgements.

    For every pair of the dataset, the cosine similarity of the two word vectors
    is compared with the score people gave the pair; the Spearman (rank) and
    Pearson correlations of the two lists measure how well the vectors capture
    word similarity. The figures equal gensim's
    ``KeyedVectors.evaluate_word_pairs`` on the same vectors and settings.

    Parameters
    ----------
    vectors : KeyedVectors, gensim model, fitted skw2v estimator or path
        The word vectors: anything skw2v accepts elsewhere, or the path of a
        vectors file (loaded with [`skw2v.load_vectors`][skw2v.load_vectors]).
    dataset : {"wordsim353", "simlex999"} or path, default="wordsim353"
        A built-in dataset (the files installed with gensim: WordSim-353, which
        mixes similarity and relatedness, and SimLex-999, strict similarity), or
        the path of a UTF-8 file of ``word1<TAB>word2<TAB>score`` lines; lines
        starting with ``#`` are comments and a first line without a numeric
        score is a header.
    restrict_vocab : int or None, default=300_000
        Only the first ``restrict_vocab`` words of the vectors (the most frequent
        ones, in a frequency-sorted table) count as known; None means all.
    case_insensitive : bool, default=True
        Match the dataset's words to the vectors' words regardless of case. When
        several casings of a word have vectors, the first (most frequent) is
        used.
    oov : {"skip", "penalize"}, default="skip"
        What to do with a pair whose words are not both known. ``"skip"`` leaves
        it out of the correlations (so scores of vectors with different
        vocabularies are measured on different pairs: read them together with
        ``coverage``). ``"penalize"`` keeps it with a similarity of 0 (gensim's
        ``dummy4unknown=True``), so that every set of vectors is scored on the
        same pairs and a smaller vocabulary costs points.

    Returns
    -------
    SimilarityResult
        ``spearman``, ``pearson``, ``n_found``, ``n_pairs`` and ``coverage``;
        ``print`` shows them on one line.

    Raises
    ------
    ValueError
        If fewer than two pairs of the dataset have both words known (no
        correlation can be computed), or the dataset file is malformed.
    FileNotFoundError
        If ``dataset`` is neither a built-in name nor an existing file.

    See Also
    --------
    evaluate_analogies : Accuracy on word analogies.
    make_similarity_scorer : The same evaluation as a model-selection scorer.

    Examples
    --------
    >>> from skw2v import Word2VecVectorizer
    >>> from skw2v.datasets import load_movie_reviews
    >>> from skw2v.evaluation import evaluate_similarity
    >>> reviews = load_movie_reviews()
    >>> vectorizer = Word2VecVectorizer(vector_size=50, min_count=2, random_state=0)
    >>> result = evaluate_similarity(vectorizer.fit(reviews.data), "wordsim353")
    >>> result.n_found, result.n_pairs
    (170, 353)
    >>> from gensim.test.utils import datapath
    >>> _, (spearman, _), _ = vectorizer.wv_.evaluate_word_pairs(
    ...     datapath("wordsim353.tsv")
    ... )
    >>> bool(abs(result.spearman - spearman) < 1e-9)
    True
    """
    wv = _resolve(vectors)
    name, path = _dataset_path(dataset, SIMILARITY_DATASETS, "similarity")
    first, second, gold = _parse_word_pairs(_file_key(path))
    vocabulary = _Vocabulary.of(wv, restrict_vocab, case_insensitive)
    rows_a, rows_b = vocabulary.rows(first), vocabulary.rows(second)
    found = (rows_a >= 0) & (rows_b >= 0)
    n_found = int(found.sum())
    if n_found < 2:
        raise _TooFewPairs(
            f"Only {n_found} of the {len(gold)} pairs of {name} have both words "
            f"in the vocabulary ({len(vocabulary.canonical)} words searched), too "
            "few for a correlation. Train on more text or lower min_count, or "
            "check the words' case (case_insensitive=True).",
            n_found=n_found,
            n_pairs=len(gold),
        )
    unit = vocabulary.unit
    cosines = np.einsum("ij,ij->i", unit[rows_a[found]], unit[rows_b[found]])
    if oov == "penalize":
        model = np.zeros(len(gold))
        model[found] = cosines
        human = gold
    else:
        model, human = cosines, gold[found]
    return SimilarityResult(
        dataset=name,
        spearman=float(stats.spearmanr(human, model).statistic),
        pearson=float(stats.pearsonr(human, model).statistic),
        n_found=n_found,
        n_pairs=len(gold),
        oov=oov,
    )


# -- word analogies -----------------------------------------------------------------


def _answer_analogies(
    vocabulary: _Vocabulary, questions: np.ndarray, method: str
) -> np.ndarray:
    """Return the predicted row for each question ``(a, b, c)`` (canonical rows).

    The prediction is the word that maximises the method's score among all
    searched words except the three question words (and, case-insensitively,
    their other casings).
    """
    unit, canonical = vocabulary.unit, vocabulary.canonical
    n_words = len(unit)
    per_batch = 3 if method == "3cosmul" else 1
    batch = max(1, _SCORE_BUDGET // (n_words * per_batch))
    predicted = np.empty(len(questions), dtype=np.int64)
    for start in range(0, len(questions), batch):
        a, b, c = questions[start : start + batch].T
        if method == "3cosadd":
            scores = (unit[b] - unit[a] + unit[c]) @ unit.T
        else:  # 3CosMul, with cosines shifted to [0, 1]
            shifted = [(unit[w] @ unit.T + 1) / 2 for w in (a, b, c)]
            scores = shifted[1] * shifted[2] / (shifted[0] + _COSMUL_EPSILON)
        ask = np.arange(len(a))
        for word in (a, b, c):
            scores[ask, word] = -np.inf
        best = scores.argmax(axis=1)
        # Another casing of a question word may have won: exclude every casing.
        again = np.flatnonzero(
            (canonical[best] == a) | (canonical[best] == b) | (canonical[best] == c)
        )
        if len(again):
            column = canonical[None, :]
            mask = (
                (column == a[again, None])
                | (column == b[again, None])
                | (column == c[again, None])
            )
            best[again] = np.where(mask, -np.inf, scores[again]).argmax(axis=1)
        predicted[start : start + len(a)] = canonical[best]
    return predicted


@validate_params(
    {
        **_PARAMS,
        "dataset": [str, os.PathLike],
        "method": [StrOptions({"3cosadd", "3cosmul"})],
    },
    prefer_skip_nested_validation=True,
)
def evaluate_analogies(
    vectors,
    dataset="google",
    *,
    method="3cosadd",
    restrict_vocab=300_000,
    case_insensitive=True,
    oov="skip",
) -> AnalogyResult:
    """Measure how often word vectors solve analogies "a is to b as c is to d".

    Each question is answered with the word whose vector best matches
    ``b - a + c`` (3CosAdd: the largest cosine with that vector) or, with
    ``method="3cosmul"``, the largest ``cos'(d, b) cos'(d, c) / (cos'(d, a) +
    1e-6)`` where ``cos' = (cos + 1) / 2`` (Levy and Goldberg's 3CosMul, as
    gensim's ``most_similar_cosmul`` computes it). The three question words are
    never an answer. With 3CosAdd the answers, and so the accuracies, are the
    ones of gensim's ``KeyedVectors.evaluate_word_analogies``.

    The questions are answered a batch at a time, with one matrix product of
    the batch's query vectors and the normalized vector table.

    Parameters
    ----------
    vectors : KeyedVectors, gensim model, fitted skw2v estimator or path
        The word vectors: anything skw2v accepts elsewhere, or the path of a
        vectors file (loaded with [`skw2v.load_vectors`][skw2v.load_vectors]).
    dataset : {"google"} or path, default="google"
        ``"google"`` is Mikolov et al.'s 19,544 questions in 14 sections
        (``questions-words.txt``, installed with gensim). A path names a UTF-8
        file in the same format: ``: section`` lines, each followed by
        questions of four words ``a b c d``.
    method : {"3cosadd", "3cosmul"}, default="3cosadd"
        How the answer is chosen (see above).
    restrict_vocab : int or None, default=300_000
        Only the first ``restrict_vocab`` words of the vectors (the most
        frequent ones, in a frequency-sorted table) are known, both as question
        words and as candidate answers, as is customary; None means all.
    case_insensitive : bool, default=True
        Match words regardless of case; an answer in another casing of the
        expected word is correct.
    oov : {"skip", "penalize"}, default="skip"
        What to do with a question that has an unknown word. ``"skip"`` leaves it
        out: accuracy is out of the questions asked (gensim's default; read it
        with ``coverage``). ``"penalize"`` counts it as a wrong answer: accuracy
        is out of all questions (gensim's ``dummy4unknown=True``).

    Returns
    -------
    AnalogyResult
        ``accuracy`` and ``coverage`` overall, ``sections`` with the same per
        section, ``to_frame()`` for a table; ``print`` shows the table. A
        section (or a whole dataset) with no question asked has accuracy NaN
        with ``oov="skip"``.

    Raises
    ------
    FileNotFoundError
        If ``dataset`` is neither a built-in name nor an existing file.
    ValueError
        If the dataset file is malformed.

    See Also
    --------
    evaluate_similarity : Correlation with human similarity judgements.
    make_analogy_scorer : The same evaluation as a model-selection scorer.

    Examples
    --------
    Four words whose country - capital offsets agree exactly, so that the three
    questions of the Google set that use only these words are all answered
    correctly:

    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> from skw2v.evaluation import evaluate_analogies
    >>> capitals = np.random.default_rng(0).normal(size=(2, 10))
    >>> wv = KeyedVectors(vector_size=10)
    >>> wv.add_vectors(
    ...     ["athens", "baghdad", "greece", "iraq"],
    ...     np.vstack([capitals, capitals + 3.0]),
    ... )
    >>> result = evaluate_analogies(wv)
    >>> result.accuracy, result.total.n_found, result.total.n_questions
    (1.0, 3, 19544)
    >>> result.sections[0]
    AnalogySection(name='capital-common-countries', n_correct=2, n_found=2,
                   n_questions=506, oov='skip')
    """
    wv = _resolve(vectors)
    name, path = _dataset_path(dataset, ANALOGY_DATASETS, "analogy")
    section_names, counts, words = _parse_analogies(_file_key(path))
    vocabulary = _Vocabulary.of(wv, restrict_vocab, case_insensitive)
    rows = vocabulary.rows(words).reshape(-1, 4)
    found = (rows >= 0).all(axis=1)
    correct = np.zeros(len(rows), dtype=bool)
    if found.any():
        asked = rows[found]
        correct[found] = (
            _answer_analogies(vocabulary, asked[:, :3], method) == (asked[:, 3])
        )
    section_of = np.repeat(np.arange(len(counts)), counts)
    n_correct = np.bincount(section_of, weights=correct, minlength=len(counts))
    n_found = np.bincount(section_of, weights=found, minlength=len(counts))
    sections = tuple(
        AnalogySection(section, int(right), int(known), count, oov)
        for section, right, known, count in zip(
            section_names, n_correct, n_found, counts, strict=True
        )
    )
    return AnalogyResult(dataset=name, method=method, sections=sections, oov=oov)


# -- scorers ------------------------------------------------------------------------


def _fitted_vectors(estimator) -> KeyedVectors:
    """Return the word vectors of a fitted estimator, or of a pipeline's step."""
    for step in reversed(getattr(estimator, "steps", [])):
        if hasattr(step[1], "wv_"):
            return step[1].wv_
    return as_keyed_vectors(estimator, name="estimator")


class _EmbeddingScorer:
    """A scorer ``(estimator, X, y=None) -> float`` that reads the word vectors.

    ``X`` and ``y`` are ignored: the score is an intrinsic evaluation of the
    vectors the estimator learned, so it needs no labels.
    """

    def __init__(self, factory: str, evaluate: Callable, score, kwargs: dict):
        self._factory = factory
        self._evaluate = evaluate
        self._score = score
        self._kwargs = kwargs

    def __call__(self, estimator, X=None, y=None) -> float:
        result = self._evaluate(_fitted_vectors(estimator), **self._kwargs)
        return float(self._score(result))

    def __repr__(self) -> str:
        arguments = ", ".join(f"{key}={value!r}" for key, value in self._kwargs.items())
        return f"{self._factory}({arguments})"


#: Constraints of the parameters both scorer factories have.
_SCORER_PARAMS = {
    "dataset": [str, os.PathLike],
    "restrict_vocab": _PARAMS["restrict_vocab"],
    "case_insensitive": _PARAMS["case_insensitive"],
    "oov": _PARAMS["oov"],
}


def _spearman(result: SimilarityResult) -> float:
    return result.spearman


def _pearson(result: SimilarityResult) -> float:
    return result.pearson


def _accuracy(result: AnalogyResult) -> float:
    return result.accuracy


@validate_params(
    {"correlation": [StrOptions({"spearman", "pearson"})], **_SCORER_PARAMS},
    prefer_skip_nested_validation=True,
)
def make_similarity_scorer(
    dataset="wordsim353",
    *,
    correlation="spearman",
    restrict_vocab=300_000,
    case_insensitive=True,
    oov="penalize",
):
    """Make a scorer that rates an estimator's word vectors on word similarity.

    The scorer is a callable ``scorer(estimator, X, y=None) -> float`` that
    returns the correlation
    [`evaluate_similarity`][skw2v.evaluation.evaluate_similarity] computes on the fitted
    estimator's word vectors (``wv_``, also inside a Pipeline). It needs no labels, so
    ``GridSearchCV(Word2VecVectorizer(), grid, scoring=make_similarity_scorer())``
    selects embedding hyperparameters without any. Higher is better.

    Parameters
    ----------
    dataset : {"wordsim353", "simlex999"} or path, default="wordsim353"
        The similarity dataset (see
        [`evaluate_similarity`][skw2v.evaluation.evaluate_similarity]).
    correlation : {"spearman", "pearson"}, default="spearman"
        Which correlation is the score.
    restrict_vocab : int or None, default=300_000
        See [`evaluate_similarity`][skw2v.evaluation.evaluate_similarity].
    case_insensitive : bool, default=True
        See [`evaluate_similarity`][skw2v.evaluation.evaluate_similarity].
    oov : {"penalize", "skip"}, default="penalize"
        Unlike [`evaluate_similarity`][skw2v.evaluation.evaluate_similarity], pairs with
        an unknown word are kept with similarity 0 by default, so that every candidate
        is scored on the same pairs (with ``"skip"``, a candidate with a smaller
        vocabulary would be judged on fewer, easier pairs).

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y=None) -> float``.

    See Also
    --------
    make_analogy_scorer : Score on word analogies instead.

    Examples
    --------
    >>> from sklearn.model_selection import GridSearchCV
    >>> from skw2v import Word2VecVectorizer
    >>> from skw2v.datasets import load_movie_reviews
    >>> from skw2v.evaluation import evaluate_similarity, make_similarity_scorer
    >>> reviews = load_movie_reviews().data[:2000]
    >>> search = GridSearchCV(
    ...     Word2VecVectorizer(vector_size=20, min_count=2, random_state=0),
    ...     {"window": [2, 5]},
    ...     scoring=make_similarity_scorer(),
    ...     cv=2,
    ... ).fit(reviews)
    >>> best = search.best_estimator_  # refitted on all the reviews
    >>> scorer = make_similarity_scorer()
    >>> scorer(best, reviews) == evaluate_similarity(best, oov="penalize").spearman
    True
    >>> make_similarity_scorer("simlex999")
    make_similarity_scorer(dataset='simlex999', restrict_vocab=300000, ...)
    """
    _dataset_path(dataset, SIMILARITY_DATASETS, "similarity")  # fail early
    score = _spearman if correlation == "spearman" else _pearson
    return _EmbeddingScorer(
        "make_similarity_scorer",
        evaluate_similarity,
        score,
        {"dataset": dataset, "restrict_vocab": restrict_vocab}
        | {"case_insensitive": case_insensitive, "oov": oov},
    )


@validate_params(
    {"method": [StrOptions({"3cosadd", "3cosmul"})], **_SCORER_PARAMS},
    prefer_skip_nested_validation=True,
)
def make_analogy_scorer(
    dataset="google",
    *,
    method="3cosadd",
    restrict_vocab=300_000,
    case_insensitive=True,
    oov="penalize",
):
    """Make a scorer that rates an estimator's word vectors on word analogies.

    The scorer is a callable ``scorer(estimator, X, y=None) -> float`` that
    returns the accuracy [`evaluate_analogies`][skw2v.evaluation.evaluate_analogies]
    computes on the fitted estimator's word vectors (``wv_``, also inside a Pipeline),
    for ``GridSearchCV(..., scoring=make_analogy_scorer())`` without labels.
    Higher is better.

    Parameters
    ----------
    dataset : {"google"} or path, default="google"
        The analogy dataset (see
        [`evaluate_analogies`][skw2v.evaluation.evaluate_analogies]).
    method : {"3cosadd", "3cosmul"}, default="3cosadd"
        How answers are chosen.
    restrict_vocab : int or None, default=300_000
        See [`evaluate_analogies`][skw2v.evaluation.evaluate_analogies].
    case_insensitive : bool, default=True
        See [`evaluate_analogies`][skw2v.evaluation.evaluate_analogies].
    oov : {"penalize", "skip"}, default="penalize"
        Unlike [`evaluate_analogies`][skw2v.evaluation.evaluate_analogies], a question
        with an unknown word counts as wrong by default: every candidate is scored on
        all the questions, and the score is never NaN.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y=None) -> float``.

    See Also
    --------
    make_similarity_scorer : Score on word similarity instead.

    Examples
    --------
    >>> from skw2v.evaluation import make_analogy_scorer
    >>> make_analogy_scorer(method="3cosmul")
    make_analogy_scorer(dataset='google', method='3cosmul', ...)
    """
    _dataset_path(dataset, ANALOGY_DATASETS, "analogy")  # fail early
    return _EmbeddingScorer(
        "make_analogy_scorer",
        evaluate_analogies,
        _accuracy,
        {"dataset": dataset, "method": method, "restrict_vocab": restrict_vocab}
        | {"case_insensitive": case_insensitive, "oov": oov},
    )
