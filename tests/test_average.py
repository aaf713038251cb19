"""AvgWord2VecTransformer: pooling over vectors the user already has."""

import numpy as np
import pytest
from gensim.models import FastText, Word2Vec
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from skw2v import AvgWord2VecTransformer, Word2VecVectorizer


def test_mean_pooling_by_hand(toy_vectors):
    pooler = AvgWord2VecTransformer(vectors=toy_vectors).fit(["good"])
    out = pooler.transform(["good movie", "bad bad good", "movie unknown"])
    np.testing.assert_allclose(out, [[0.5, 1.0], [-1 / 3, 0.0], [0.0, 2.0]], rtol=1e-6)
    assert out.dtype == np.float32


def test_l2_norm_by_hand(toy_vectors):
    pooler = AvgWord2VecTransformer(vectors=toy_vectors, norm="l2").fit(["good"])
    out = pooler.transform(["good movie", "good bad", "movie"])
    np.testing.assert_allclose(
        out, [[1 / np.sqrt(5), 2 / np.sqrt(5)], [0.0, 0.0], [0.0, 1.0]], atol=1e-7
    )


def test_documents_without_known_words_warn_once_with_their_count(toy_vectors):
    pooler = AvgWord2VecTransformer(vectors=toy_vectors).fit(["good"])
    with pytest.warns(UserWarning, match="^2 of 4 documents") as record:
        out = pooler.transform(["", "good", "nothing known", "movie"])
    assert len(record) == 1
    np.testing.assert_array_equal(out[[0, 2]], 0)


def test_accepts_every_source_of_vectors(small_corpus):
    X, _ = small_corpus
    tokens = [doc.split() for doc in X]
    sources = {
        "Word2Vec model": Word2Vec(
            tokens, vector_size=8, min_count=2, seed=0, workers=1
        ),
        "FastText model": FastText(
            tokens, vector_size=8, min_count=2, seed=0, workers=1
        ),
        "fitted vectorizer": Word2VecVectorizer(vector_size=8, random_state=0).fit(X),
    }
    for what, source in sources.items():
        wv = source.wv_ if what == "fitted vectorizer" else source.wv
        pooler = AvgWord2VecTransformer(vectors=source).fit(X)
        assert pooler.wv_ is wv, what  # the very object, never a copy
        expected = np.mean([wv["good"], wv["movie"]], axis=0)
        np.testing.assert_allclose(
            pooler.transform(["good movie"])[0], expected, rtol=1e-6
        )
        assert pooler.transform(X[:2]).shape == (2, 8)


def test_same_output_as_the_vectorizer_that_trained_the_vectors(
    fitted_vectorizer, small_corpus
):
    X, _ = small_corpus
    pooler = AvgWord2VecTransformer(vectors=fitted_vectorizer).fit(X)
    np.testing.assert_array_equal(pooler.transform(X), fitted_vectorizer.transform(X))


def test_grid_search_over_pooling_parameters(fitted_vectorizer, small_corpus):
    X, y = small_corpus
    pipe = make_pipeline(
        AvgWord2VecTransformer(vectors=fitted_vectorizer), LogisticRegression()
    )
    search = GridSearchCV(pipe, {"avgword2vectransformer__norm": [None, "l2"]}, cv=2)
    search.fit(X, y)
    assert search.best_estimator_.steps[0][1].vectors is fitted_vectorizer


def test_missing_or_wrong_vectors_are_explained():
    with pytest.raises(ValueError, match="needs word vectors"):
        AvgWord2VecTransformer().fit(["good"])
    with pytest.raises(TypeError, match="KeyedVectors.*got ndarray"):
        AvgWord2VecTransformer(vectors=np.zeros((3, 2))).fit(["good"])
    with pytest.raises(
        NotFittedError, match="unfitted Word2VecVectorizer; fit it first"
    ):
        AvgWord2VecTransformer(vectors=Word2VecVectorizer()).fit(["good"])
