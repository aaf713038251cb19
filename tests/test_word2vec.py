"""Word2VecVectorizer (``skw2v/_word2vec.py``): the estimator around the training."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

from skw2v import Word2VecVectorizer


def test_word_level_queries_work_on_wv(fitted_vectorizer):
    wv = fitted_vectorizer.wv_
    neighbours = wv.most_similar("good", topn=3)
    assert len(neighbours) == 3 and all(word != "good" for word, _ in neighbours)
    assert -1 <= wv.similarity("good", "bad") <= 1
    analogy = wv.most_similar(positive=["good", "film"], negative=["bad"], topn=1)
    assert analogy[0][0] not in ("good", "film", "bad")


def test_training_state_is_dropped_unless_asked(small_corpus):
    X, _ = small_corpus
    default = Word2VecVectorizer(vector_size=8, epochs=1, random_state=0).fit(X)
    assert not hasattr(default, "model_")
    kept = Word2VecVectorizer(
        vector_size=8, epochs=1, random_state=0, keep_model=True
    ).fit(X)
    assert kept.model_.wv is kept.wv_
    before = kept.wv_["good"].copy()
    kept.model_.train(
        [doc.split() for doc in X], total_examples=len(X), epochs=1
    )  # continued training
    assert not np.array_equal(kept.wv_["good"], before)


@pytest.mark.parametrize(
    "params",
    [
        {"vector_size": 0},
        {"window": -1},
        {"sg": 2},
        {"sample": -0.1},
        {"alpha": 0},
        {"epochs": 1.5},
        {"pooling": "median"},
        {"norm": "l1"},
        {"random_state": "seed"},
        {"tokenizer": "split"},
    ],
)
def test_invalid_parameters_are_refused_at_fit(params):
    vectorizer = Word2VecVectorizer(**params)  # __init__ accepts anything
    with pytest.raises(InvalidParameterError, match=next(iter(params))):
        vectorizer.fit(["good movie"])


def test_grid_search_with_parallel_workers(small_corpus):
    X, y = small_corpus
    pipe = make_pipeline(
        Word2VecVectorizer(min_count=2, epochs=2, random_state=0),
        LogisticRegression(max_iter=500),
    )
    grid = {"word2vecvectorizer__vector_size": [8, 16]}
    parallel = GridSearchCV(pipe, grid, cv=2, n_jobs=2).fit(X, y)
    serial = GridSearchCV(pipe, grid, cv=2, n_jobs=1).fit(X, y)
    np.testing.assert_array_equal(
        parallel.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )
    fitted = parallel.best_estimator_.named_steps["word2vecvectorizer"]
    assert (
        fitted.wv_.vector_size
        == parallel.best_params_["word2vecvectorizer__vector_size"]
    )
