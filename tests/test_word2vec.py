"""Word2VecVectorizer (``skw2v/_word2vec.py``): the estimator around the training."""

import pickle
import subprocess
import sys
import textwrap
from collections import Counter

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

from skw2v import AvgWord2VecTransformer, LineCorpus, Word2VecVectorizer


def test_word_level_queries_work_on_wv(fitted_vectorizer):
    # gensim's queries on wv_ rank by cosine, the query words left out.
    wv = fitted_vectorizer.wv_
    unit = wv.vectors / np.linalg.norm(wv.vectors, axis=1, keepdims=True)

    def nearest(query, exclude, n):
        scores = unit @ query
        scores[[wv.key_to_index[word] for word in exclude]] = -np.inf
        return [wv.index_to_key[i] for i in np.argsort(-scores, kind="stable")[:n]]

    good, film, bad = (unit[wv.key_to_index[w]] for w in ("good", "film", "bad"))
    neighbours = [word for word, _ in wv.most_similar("good", topn=3)]
    assert neighbours == nearest(good, ["good"], 3)
    assert wv.similarity("good", "bad") == pytest.approx(good @ bad, rel=1e-5)
    analogy = wv.most_similar(positive=["good", "film"], negative=["bad"], topn=1)
    assert analogy[0][0] == nearest(good + film - bad, ["good", "film", "bad"], 1)[0]


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


# -- partial_fit ----------------------------------------------------------------------


def batches_of(X, n_batches=3):
    edges = np.linspace(0, len(X), n_batches + 1).astype(int)
    return [X[start:stop] for start, stop in zip(edges[:-1], edges[1:], strict=False)]


def test_partial_fit_grows_the_vocabulary_and_keeps_earlier_rows(reviews):
    first, second = reviews.data[:3000], reviews.data[3000:6000]
    vectorizer = Word2VecVectorizer(vector_size=16, random_state=0)
    vectorizer.partial_fit(first)
    words = list(vectorizer.wv_.index_to_key)
    assert words == Word2VecVectorizer(vector_size=16).fit(first).wv_.index_to_key
    vectorizer.partial_fit(second)
    grown = vectorizer.wv_.index_to_key
    assert len(grown) > len(words) and grown[: len(words)] == words
    # A new word is one seen min_count times in the second batch itself.
    tokenize = vectorizer.build_analyzer()
    counts = Counter(t for doc in second for t in tokenize(doc))
    assert set(grown[len(words) :]) == {
        w for w, c in counts.items() if c >= 5 and w not in set(words)
    }
    assert vectorizer.transform(second[:5]).shape == (5, 16)


def test_a_word_too_rare_in_every_batch_is_never_added():
    batch = ["rare word here"] * 3 + ["common words here"] * 10
    vectorizer = Word2VecVectorizer(vector_size=4, min_count=5, random_state=0)
    vectorizer.partial_fit(batch).partial_fit(batch)  # "rare": 6 in all, 3 per batch
    assert "rare" not in vectorizer.wv_ and "common" in vectorizer.wv_
    assert vectorizer.wv_.get_vecattr("common", "count") == 20  # counts add up


@pytest.mark.parametrize("weighting", ["tfidf", "sif"])
def test_partial_fit_weights_are_those_of_all_batches_together(weighting, reviews):
    X = reviews.data[:4500]
    vectorizer = Word2VecVectorizer(vector_size=8, weighting=weighting, random_state=0)
    for batch in batches_of(X):
        vectorizer.partial_fit(batch)
    # The same vectors, weighted by one fit on every document at once.
    at_once = AvgWord2VecTransformer(vectors=vectorizer.wv_, weighting=weighting)
    at_once.fit(X)
    np.testing.assert_allclose(vectorizer.word_weights_, at_once.word_weights_)
    np.testing.assert_allclose(vectorizer.transform(X), at_once.transform(X), atol=1e-6)


def test_partial_fit_components_come_from_the_last_batch(reviews):
    X = reviews.data[:4000]
    vectorizer = Word2VecVectorizer(vector_size=8, remove_components=1, random_state=0)
    last = batches_of(X)[-1]
    for batch in batches_of(X):
        vectorizer.partial_fit(batch)
    expected = AvgWord2VecTransformer(vectors=vectorizer.wv_, remove_components=1)
    np.testing.assert_allclose(
        vectorizer.components_, expected.fit(last).components_, atol=1e-5
    )


def test_fit_after_partial_fit_starts_over(reviews):
    X = reviews.data[:3000]
    vectorizer = Word2VecVectorizer(vector_size=8, weighting="tfidf", random_state=0)
    vectorizer.partial_fit(reviews.data[5000:8000]).partial_fit(X)
    vectorizer.fit(X)
    fresh = Word2VecVectorizer(vector_size=8, weighting="tfidf", random_state=0).fit(X)
    assert not hasattr(vectorizer, "model_")  # keep_model=False
    assert vectorizer.wv_.index_to_key == fresh.wv_.index_to_key
    np.testing.assert_array_equal(vectorizer.wv_.vectors, fresh.wv_.vectors)
    np.testing.assert_array_equal(vectorizer.word_weights_, fresh.word_weights_)


def test_partial_fit_continues_fit_only_with_its_training_state(reviews):
    X = reviews.data[:3000]
    with pytest.raises(ValueError, match="keep_model=False.*partial_fit cannot"):
        Word2VecVectorizer(vector_size=8).fit(X).partial_fit(X)
    kept = Word2VecVectorizer(vector_size=8, keep_model=True, weighting="tfidf")
    kept.fit(X).partial_fit(reviews.data[3000:6000])
    together = AvgWord2VecTransformer(vectors=kept.wv_, weighting="tfidf")
    np.testing.assert_allclose(
        kept.word_weights_, together.fit(reviews.data[:6000]).word_weights_
    )


def test_partial_fit_starts_new_words_from_init_vectors(reviews, tmp_path):
    X = reviews.data
    pretrained = Word2VecVectorizer(vector_size=8, random_state=1).fit(X).wv_
    vectorizer = Word2VecVectorizer(vector_size=8, init_vectors=pretrained)
    vectorizer.partial_fit(X[:2000])
    n_first = vectorizer.n_words_initialized_
    n_words = len(vectorizer.wv_)
    vectorizer.partial_fit(X[2000:5000])
    added = vectorizer.wv_.index_to_key[n_words:]
    assert vectorizer.n_words_initialized_ == n_first + sum(
        w in pretrained for w in added
    )
    assert n_first > 0 and vectorizer.n_words_initialized_ > n_first


def test_partial_fit_accepts_streamed_batches(reviews, tmp_path):
    paths = []
    for i, batch in enumerate(batches_of(reviews.data[:4000], 2)):
        paths.append(tmp_path / f"batch{i}.txt")
        paths[-1].write_text("".join(doc + "\n" for doc in batch))
    on_lists = Word2VecVectorizer(vector_size=8, random_state=0, weighting="sif")
    streamed = Word2VecVectorizer(vector_size=8, random_state=0, weighting="sif")
    for path, batch in zip(paths, batches_of(reviews.data[:4000], 2), strict=False):
        on_lists.partial_fit(batch)
        streamed.partial_fit(LineCorpus(path))
    np.testing.assert_array_equal(streamed.wv_.vectors, on_lists.wv_.vectors)
    np.testing.assert_array_equal(streamed.word_weights_, on_lists.word_weights_)


_PARTIAL_FITS_IN_A_SUBPROCESS = textwrap.dedent(
    """
    import sys
    import numpy as np
    from skw2v import Word2VecVectorizer
    from skw2v.datasets import load_movie_reviews

    X = load_movie_reviews().data
    vectorizer = Word2VecVectorizer(vector_size=16, random_state=3)
    for start in range(0, 6000, 2000):
        vectorizer.partial_fit(X[start : start + 2000])
    np.save(sys.argv[1], vectorizer.wv_.vectors)
    """
)


def test_partial_fit_is_bit_identical_across_processes(reviews, tmp_path):
    vectorizer = Word2VecVectorizer(vector_size=16, random_state=3)
    for start in range(0, 6000, 2000):
        vectorizer.partial_fit(reviews.data[start : start + 2000])
    for hash_seed in ("1", "2"):
        out = tmp_path / f"vectors{hash_seed}.npy"
        subprocess.run(
            [sys.executable, "-c", _PARTIAL_FITS_IN_A_SUBPROCESS, str(out)],
            check=True,
            env={"PYTHONHASHSEED": hash_seed, "PATH": ""},
        )
        np.testing.assert_array_equal(np.load(out), vectorizer.wv_.vectors)


def test_partial_fit_survives_clone_and_pickle_round_trips(reviews):
    vectorizer = Word2VecVectorizer(vector_size=8, random_state=0, weighting="tfidf")
    vectorizer.partial_fit(reviews.data[:2000])
    assert not hasattr(clone(vectorizer), "model_")  # a clone is unfitted
    restored = pickle.loads(pickle.dumps(vectorizer))
    for estimator in (vectorizer, restored):
        estimator.partial_fit(reviews.data[2000:4000])
    np.testing.assert_array_equal(restored.wv_.vectors, vectorizer.wv_.vectors)
    np.testing.assert_array_equal(restored.word_weights_, vectorizer.word_weights_)


def test_partial_fit_under_dask_ml_incremental(reviews):
    dask_array = pytest.importorskip("dask.array", reason="needs dask (the dask extra)")
    wrappers = pytest.importorskip("dask_ml.wrappers", reason="needs dask-ml")
    X = reviews.data[:6000]
    blocks = dask_array.from_array(np.array(X, dtype=object), chunks=2000)
    incremental = wrappers.Incremental(
        Word2VecVectorizer(vector_size=16, random_state=0, weighting="tfidf"),
        scoring=lambda estimator, X, y=None: 0.0,  # a transformer has no score
        shuffle_blocks=False,  # the blocks in order, as below
    )
    incremental.fit(blocks)
    expected = Word2VecVectorizer(vector_size=16, random_state=0, weighting="tfidf")
    for start in range(0, 6000, 2000):
        expected.partial_fit(X[start : start + 2000])
    fitted = incremental.estimator_
    np.testing.assert_array_equal(fitted.wv_.vectors, expected.wv_.vectors)
    np.testing.assert_array_equal(fitted.word_weights_, expected.word_weights_)
