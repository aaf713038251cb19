"""Input checking, tokenizers and ``build_analyzer`` (``skw2v/_text.py``)."""

import re

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from gensim.models import KeyedVectors
from sklearn.base import clone

from skw2v import (
    AvgWord2VecTransformer,
    Doc2VecVectorizer,
    EmbeddingSequencer,
    FastTextVectorizer,
    PretrainedEmbeddingVectorizer,
    Word2VecVectorizer,
)
from skw2v._text import (
    DEFAULT_TOKEN_PATTERN,
    _DefaultTokenizer,
    _tokens_per_line,
    build_tokenizer,
    check_documents,
)


def _vectorizer(**params):
    return Word2VecVectorizer(vector_size=8, min_count=1, epochs=1, **params)


# -- accepted input ---------------------------------------------------------------


@pytest.mark.parametrize(
    "container",
    [
        list,
        tuple,
        np.array,
        pd.Series,
        lambda docs: pd.Series(docs, dtype="string"),
        lambda docs: pd.DataFrame({"text": docs}),
        lambda docs: np.array(docs, dtype=object).reshape(-1, 1),
        iter,
    ],
    ids=[
        "list",
        "tuple",
        "ndarray",
        "Series",
        "string-Series",
        "DataFrame",
        "column-array",
        "iterator",
    ],
)
def test_every_container_gives_the_same_vectors(container, fitted_vectorizer):
    docs = ["a good movie", "a bad , bad movie", "funny and touching"]
    expected = fitted_vectorizer.transform(docs)
    np.testing.assert_array_equal(
        fitted_vectorizer.transform(container(docs)), expected
    )


def test_pretokenized_documents_bypass_tokenization(fitted_vectorizer):
    raw = fitted_vectorizer.transform(["A Good MOVIE"])
    tokenized = fitted_vectorizer.transform([["a", "good", "movie"]])
    np.testing.assert_array_equal(raw, tokenized)
    # used exactly as given: no lowercasing of tokens
    with pytest.warns(UserWarning, match="no word in the vocabulary"):
        upper = fitted_vectorizer.transform([["GOOD"]])
    lower = fitted_vectorizer.transform([["good"]])
    assert not np.any(upper) and np.any(lower)


def test_mixed_raw_and_tokenized_documents(fitted_vectorizer):
    mixed = fitted_vectorizer.transform(["good movie", ("good", "movie")])
    np.testing.assert_array_equal(mixed[0], mixed[1])


def test_default_token_pattern_keeps_short_words_and_contractions():
    tokenize = build_tokenizer()
    assert tokenize("I don't think it's a 'great' film -- rock'n'roll, new_york!") == [
        "i",
        "don't",
        "think",
        "it's",
        "a",
        "great",
        "film",
        "rock'n'roll",
        "new_york",
    ]
    assert build_tokenizer(lowercase=False)("Paris") == ["Paris"]
    assert build_tokenizer(token_pattern=None)("a b") == ["a", "b"]
    assert Word2VecVectorizer().token_pattern == DEFAULT_TOKEN_PATTERN


def test_custom_tokenizer_and_token_pattern(small_corpus):
    X, _ = small_corpus
    by_space = _vectorizer(tokenizer=str.split, random_state=0).fit(X)
    assert "," in by_space.wv_  # punctuation survives a whitespace tokenizer
    by_pattern = _vectorizer(token_pattern=r"[a-z]{3,}", random_state=0).fit(X)
    assert "," not in by_pattern.wv_ and "a" not in by_pattern.wv_
    assert "movie" in by_pattern.wv_


def test_empty_documents_are_valid_and_give_zero_rows(fitted_vectorizer):
    with pytest.warns(UserWarning, match="2 of 3 documents have no word"):
        out = fitted_vectorizer.transform(["", "good movie", "   "])
    assert not out[0].any() and not out[2].any() and out[1].any()


def test_unknown_words_are_skipped(fitted_vectorizer):
    np.testing.assert_allclose(
        fitted_vectorizer.transform(["good movie qwxzzy"]),
        fitted_vectorizer.transform(["good movie"]),
    )


def test_warning_points_at_the_callers_line(fitted_vectorizer):
    with pytest.warns(UserWarning) as record:
        fitted_vectorizer.transform(["qwxzzy"])
    assert record[0].filename == __file__


# -- refused input -----------------------------------------------------------------


@pytest.mark.parametrize("method", ["fit", "transform"])
def test_bare_string_is_refused(method, fitted_vectorizer):
    estimator = _vectorizer() if method == "fit" else fitted_vectorizer
    with pytest.raises(ValueError, match="string object received.*\\[text\\]"):
        getattr(estimator, method)("a good movie")


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA])
def test_missing_value_names_the_row(missing):
    X = pd.Series(["good", "bad", missing], index=[10, 11, 12])
    with pytest.raises(
        ValueError, match=r"missing value .* row 2 \(index label 12\).*fillna"
    ):
        _vectorizer().fit(X)


def test_nan_in_a_dataframe_column_names_the_row(small_corpus):
    frame = pd.DataFrame({"text": [*small_corpus[0][:5], None]})
    with pytest.raises(ValueError, match="row 5"):
        _vectorizer().fit(frame)


@pytest.mark.parametrize(
    "bad, match",
    [
        (["good", 3], "int .* row 1"),
        (["good", 2.5], "float .* row 1"),
        (["good", {"a": 1}], "dict .* row 1"),
        ([b"good"], "bytes at row 0.*decode"),
        ([["good", 1]], "Tokenized document at row 0 .* int"),
    ],
)
def test_non_string_items_are_refused(bad, match):
    with pytest.raises(TypeError, match=match):
        _vectorizer().fit(bad)


@pytest.mark.parametrize(
    "numeric",
    [
        np.arange(12.0).reshape(6, 2),
        np.arange(6),
        [[1, 2], [3, 4]],
        sp.random(4, 3, density=0.5, format="csr"),
    ],
    ids=["2-D float", "1-D int", "nested int lists", "sparse"],
)
def test_numbers_are_refused_before_gensim_sees_them(numeric):
    # gensim's worker threads hang on numbers; validation must stop them first.
    with pytest.raises((TypeError, ValueError), match="X|token|row"):
        _vectorizer(n_jobs=2).fit(numeric)


def test_multi_column_dataframe_is_refused():
    frame = pd.DataFrame({"title": ["a"], "text": ["b"]})
    with pytest.raises(ValueError, match="2 columns.*ColumnTransformer"):
        _vectorizer().fit(frame)


@pytest.mark.parametrize(
    "empty", [[], np.array([], dtype=object), pd.Series([], dtype=str)]
)
def test_empty_input_is_refused(empty, fitted_vectorizer):
    with pytest.raises(ValueError, match="no document"):
        _vectorizer().fit(empty)
    with pytest.raises(ValueError, match="no document"):
        fitted_vectorizer.transform(empty)


def test_tokenizer_returning_non_strings_is_refused():
    with pytest.raises(TypeError, match="tokenizer must return a list of str"):
        _vectorizer(tokenizer=lambda doc: [len(doc)]).fit(["good movie"])
    with pytest.raises(TypeError, match="tokenizer must return a list of str"):
        _vectorizer(tokenizer=lambda doc: doc).fit(["good movie"])


def test_token_pattern_with_two_groups_is_refused():
    with pytest.raises(ValueError, match="more than one capturing group"):
        _vectorizer(token_pattern=r"(a)(b)").fit(["ab"])


def test_check_documents_allow_empty():
    assert check_documents([], allow_empty=True) == []


@pytest.mark.parametrize(
    "Estimator", [Word2VecVectorizer, FastTextVectorizer, AvgWord2VecTransformer]
)
def test_transform_before_fit(Estimator):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        Estimator().transform(["good movie"])


# -- build_analyzer: the tokens an estimator actually looks up -------------------------


@pytest.fixture
def phrases():
    wv = KeyedVectors(vector_size=2)
    wv.add_vectors(
        ["Paris", "is", "New_York", "big"],
        np.array([[1, 0], [0, 0], [0, 1], [1, 1]], dtype=np.float32),
    )
    return wv


@pytest.mark.filterwarnings("ignore:.*have no word in the vocabulary")
@pytest.mark.parametrize(
    "estimator",
    [
        Word2VecVectorizer(),
        FastTextVectorizer(),
        AvgWord2VecTransformer(),
        PretrainedEmbeddingVectorizer(max_phrase_words=3),
        EmbeddingSequencer(),
    ],
    ids=type,
)
def test_before_fit_the_analyzer_is_the_tokenizer(estimator):
    analyze = estimator.build_analyzer()
    assert analyze("Don't PANIC, it's new_york!") == [
        "don't",
        "panic",
        "it's",
        "new_york",
    ]
    custom = estimator.set_params(tokenizer=str.split, lowercase=False)
    assert custom.build_analyzer()("A b") == ["A", "b"]


@pytest.mark.filterwarnings("ignore:.*have no word in the vocabulary")
def test_fitted_analyzer_gives_the_pooled_tokens(phrases):
    vectorizer = PretrainedEmbeddingVectorizer(vectors=phrases, max_phrase_words=2)
    vectorizer.fit(["x"])
    analyze = vectorizer.build_analyzer()
    text = "Paris is big, new york is bigger"
    tokens = analyze(text)
    assert tokens == ["Paris", "is", "big", "New_York", "is", "bigger"]
    # Pooling these tokens, as written, gives the row of the raw text.
    known = [phrases[token] for token in tokens if token in phrases.key_to_index]
    np.testing.assert_allclose(vectorizer.transform([text])[0], np.mean(known, axis=0))
    as_tokens = AvgWord2VecTransformer(vectors=phrases).fit(["x"])
    np.testing.assert_array_equal(
        as_tokens.transform([tokens]), vectorizer.transform([text])
    )
    report = vectorizer.coverage([text])
    assert report["n_tokens"] == len(tokens) and report["missing"] == [("bigger", 1)]


@pytest.mark.filterwarnings("ignore:.*have no word in the vocabulary")
def test_word2vec_analyzer_after_fit(fitted_vectorizer):
    # Trained vectors are looked up as tokenized: the tokens of the pattern,
    # lowercased, whether the table has them or not.
    analyze = fitted_vectorizer.build_analyzer()
    assert analyze("The Movie's plot, 2 stars!") == [
        "the",
        "movie's",
        "plot",
        "2",
        "stars",
    ]


# -- the default tokenizer's fast path -------------------------------------------------


ADVERSARIAL = [
    "",
    " ",
    "'",
    "''",
    "'''a'''",
    "a'",
    "'a",
    "a''b",
    "a'''b",
    "'a'b'",
    "don't",
    "rock'n'roll",
    "x' 'y",
    "'' ''a'' ",
    "a\nb\r\nc",
    "tab\tsep\x0bvt\x0cff\x1cfs\x1dgs\x1ers\x1fus\x85nel",
    "Ünïcode's  café' 'x",
    "ΑΒΓ δ'ε ÉCOLE",
    "_a_ __ _'_",
    "1'2 3''4 5'",
    "a'\nb",
    "I'M'",
    "\x00a'\x00'b",
    "’curly’ quotes aren't apostrophes",
    'a-b_c.d,e;f:g!h?i(j)k[l]m{n}o<p>q/r\\s|t@u#v$w%x^y&z*1+2=3~4`5"6',
    "İstanbul ǅ ß ẞ",  # lowercasing that changes length
    "x" * 50 + "'" + "y" * 50,
    "mixed ascii then é",
    "undecodable \udcff\udce9 bytes'\udcff kept apart",  # errors="surrogateescape"
]


def assert_tokenized_as_the_regex(docs, lowercase):
    """Check both tokenizer paths against ``re.findall``.

    Without a NUL character in any document, the whole batch goes through one
    ``bytes.translate``; a document holding one sends the batch through
    ``str.translate`` per document. Both are checked, per document (``batch``)
    and flat (``flat``).
    """
    pattern = re.compile(DEFAULT_TOKEN_PATTERN)
    tokenize = build_tokenizer(lowercase=lowercase)
    without_nul = [doc for doc in docs if "\0" not in doc]
    assert len(without_nul) < len(docs) and not all(map(str.isascii, without_nul))
    for batch in (without_nul, docs):
        expected = [pattern.findall(doc.lower() if lowercase else doc) for doc in batch]
        assert tokenize.batch(batch) == expected
        tokens, lengths = tokenize.flat(batch)
        assert lengths.dtype == np.int64
        assert lengths.tolist() == list(map(len, expected))
        assert tokens == [token for doc in expected for token in doc]


@pytest.mark.parametrize("lowercase", [True, False])
def test_fast_tokenizer_equals_the_regex_on_every_review(reviews, lowercase):
    docs = [*reviews.data, *ADVERSARIAL, "", "", *ADVERSARIAL[::-1], ""]
    assert_tokenized_as_the_regex(docs, lowercase)
    pattern = re.compile(DEFAULT_TOKEN_PATTERN)
    tokenize = build_tokenizer(lowercase=lowercase)
    for doc in ADVERSARIAL:  # one document at a time: the regex itself
        assert tokenize(doc) == pattern.findall(doc.lower() if lowercase else doc)


def test_flat_tokens_of_no_document_and_of_empty_ones():
    tokenize = build_tokenizer()
    tokens, lengths = tokenize.flat([])
    assert tokens == [] and lengths.shape == (0,)
    assert tokenize.flat(["", " \n "])[1].tolist() == [0, 0]


@pytest.mark.parametrize("lowercase", [True, False])
def test_fast_tokenizer_equals_the_regex_on_random_unicode(lowercase):
    # Every ASCII character plus the non-ASCII ones that break shortcuts:
    # case changes that change length, combining marks, Unicode spaces, digits
    # and letters that are not ASCII, a lone surrogate, curly apostrophes.
    alphabet = [chr(code) for code in range(128)] + list(
        "'’éÉßẞİıǅΣσς\u0301\u0307\u00a0\u2028\x85\u3000中文\U0001f600\udcff"
        "\ufb01\u2160\u00b2٣"
    )
    rng = np.random.default_rng(0)
    docs = [
        "".join(rng.choice(alphabet, size=rng.integers(0, 30))) for _ in range(3000)
    ]
    # numpy drops NUL characters from its strings: put some back.
    docs += [f"{doc[:5]}\0{doc[5:]}" for doc in docs[:100]]
    assert_tokenized_as_the_regex(docs, lowercase)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", [0]),
        ("a", [1]),
        ("\n", [0, 0]),
        (" a  bb \n\nccc\n d", [2, 0, 1, 1]),
        ("caf\u00e9 \u00fcber x\n\u4e2d\u6587", [3, 1]),  # multi-byte UTF-8
    ],
)
def test_tokens_per_line(text, expected):
    assert _tokens_per_line(text).tolist() == expected
    assert expected == [len(line.split()) for line in text.split("\n")]


def test_fast_tokenizer_on_every_ascii_character_pair():
    pattern = re.compile(DEFAULT_TOKEN_PATTERN)
    docs = [
        chr(a) + chr(b) + "x" + chr(a) for a in range(128) for b in range(0, 128, 3)
    ]
    tokenize = build_tokenizer()
    assert tokenize.batch(docs) == [pattern.findall(doc.lower()) for doc in docs]


def test_fast_path_only_for_the_default_pattern():
    assert isinstance(build_tokenizer(token_pattern=None), _DefaultTokenizer)
    assert not isinstance(build_tokenizer(token_pattern=r"\w+"), _DefaultTokenizer)
    assert not isinstance(build_tokenizer(tokenizer=str.split), _DefaultTokenizer)
    assert build_tokenizer(token_pattern=r"[a-z]+")("Don't") == ["don", "t"]


def test_mixed_raw_and_tokenized_documents_are_tokenized():
    tokens = build_tokenizer().documents(["Don't go", ["Kept", "AS", "is"]])
    assert tokens == [["don't", "go"], ["Kept", "AS", "is"]]


# -- less common containers and failures -------------------------------------------


def test_numpy_string_dtype_arrays_are_text(fitted_vectorizer):
    docs = ["a good movie", "a bad movie"]
    strings = np.array(docs, dtype=np.dtypes.StringDType())
    np.testing.assert_array_equal(
        fitted_vectorizer.transform(strings), fitted_vectorizer.transform(docs)
    )


def test_a_missing_value_under_a_nullable_index_is_named():
    import pandas as pd

    index = pd.array([7, None], dtype="Int64")
    with pytest.raises(ValueError, match=r"row 1 \(index label <NA>\)"):
        check_documents(pd.Series(["a", None], index=index))


def test_a_polars_column_is_text(fitted_vectorizer):
    pl = pytest.importorskip("polars")
    docs = ["a good movie", "a bad movie"]
    expected = fitted_vectorizer.transform(docs)
    frame = pl.DataFrame({"text": docs})
    np.testing.assert_array_equal(fitted_vectorizer.transform(frame), expected)
    np.testing.assert_array_equal(fitted_vectorizer.transform(frame["text"]), expected)
    with pytest.raises(ValueError, match="DataFrame with 2 columns"):
        fitted_vectorizer.transform(frame.with_columns(n=pl.lit(1)))
    with pytest.raises(ValueError, match="missing value"):
        fitted_vectorizer.transform(pl.DataFrame({"text": ["a", None]}))


@pytest.mark.parametrize("column", [False, True], ids=["DataFrame", "Series"])
@pytest.mark.parametrize(
    "estimator",
    [
        Doc2VecVectorizer(vector_size=8, min_count=2, epochs=2, random_state=0),
        FastTextVectorizer(vector_size=8, min_count=2, bucket=2000, random_state=0),
    ],
    ids=lambda estimator: type(estimator).__name__,
)
def test_a_polars_column_trains_and_transforms_as_the_list(
    small_corpus, estimator, column
):
    pl = pytest.importorskip("polars")
    docs = [*small_corpus[0][:300], "unwatchably overlong"]
    frame = pl.DataFrame({"text": docs})
    X = frame["text"] if column else frame
    from_polars, from_list = clone(estimator).fit(X), clone(estimator).fit(docs)
    np.testing.assert_array_equal(from_polars.wv_.vectors, from_list.wv_.vectors)
    rows = from_list.transform(docs)
    np.testing.assert_array_equal(from_polars.transform(X), rows)
    np.testing.assert_array_equal(from_list.transform(X), rows)


def test_a_tokenizer_that_raises_names_the_document():
    def picky(doc):
        if "bad" in doc:
            raise KeyError("no bad words")
        return doc.split()

    tokenize = build_tokenizer(tokenizer=picky)
    with pytest.raises(ValueError, match=r"KeyError .* on document 2: 'so bad'"):
        tokenize.documents(["fine", ["kept"], "so bad"])
