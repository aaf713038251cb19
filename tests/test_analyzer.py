"""``build_analyzer``: the tokens an estimator actually looks up."""

import numpy as np
import pytest
from gensim.models import KeyedVectors

from skw2v import (
    AvgWord2VecTransformer,
    EmbeddingSequencer,
    PretrainedEmbeddingVectorizer,
    Word2VecVectorizer,
)

pytestmark = pytest.mark.filterwarnings("ignore:.*have no word in the vocabulary")


@pytest.fixture
def phrases():
    wv = KeyedVectors(vector_size=2)
    wv.add_vectors(
        ["Paris", "is", "New_York", "big"],
        np.array([[1, 0], [0, 0], [0, 1], [1, 1]], dtype=np.float32),
    )
    return wv


@pytest.mark.parametrize(
    "estimator",
    [
        Word2VecVectorizer(),
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


def test_word2vec_analyzer_after_fit(fitted_vectorizer, small_corpus):
    analyze = fitted_vectorizer.build_analyzer()
    doc = small_corpus[0][0]
    assert analyze(doc) == fitted_vectorizer._tokenize([doc])[0]
