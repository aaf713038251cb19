"""Input checking shared by every estimator: what is accepted, what is refused."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from skw2v import AvgWord2VecTransformer, Word2VecVectorizer
from skw2v._text import DEFAULT_TOKEN_PATTERN, build_tokenizer, check_documents


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


@pytest.mark.parametrize("Estimator", [Word2VecVectorizer, AvgWord2VecTransformer])
def test_transform_before_fit(Estimator):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        Estimator().transform(["good movie"])
