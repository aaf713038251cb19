"""Word2VecVectorizer: training matches gensim, is reproducible, fails clearly."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from gensim.models import Word2Vec
from gensim.models.word2vec import MAX_WORDS_IN_BATCH
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

from skw2v import Word2VecVectorizer
from skw2v._text import build_tokenizer


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sg": 1, "window": 2, "negative": 3, "sample": 0},
        {"sg": 1, "hs": 1, "negative": 0, "shrink_windows": False},
        {"cbow_mean": 0, "ns_exponent": 0.5, "alpha": 0.05, "min_alpha": 0.01},
        {"max_final_vocab": 300, "epochs": 2},
    ],
)
def test_vectors_are_bit_identical_to_gensim_with_the_same_parameters(
    params, small_corpus
):
    X, _ = small_corpus
    vectorizer = Word2VecVectorizer(vector_size=16, random_state=1, **params).fit(X)
    tokenize = build_tokenizer()
    model = Word2Vec(
        [tokenize(doc) for doc in X], vector_size=16, seed=1, workers=1, **params
    )
    assert vectorizer.wv_.index_to_key == model.wv.index_to_key
    np.testing.assert_array_equal(vectorizer.wv_.vectors, model.wv.vectors)


def test_parameters_change_the_model(small_corpus):
    X, _ = small_corpus
    base = Word2VecVectorizer(vector_size=16, random_state=0).fit(X)
    skip_gram = Word2VecVectorizer(vector_size=16, random_state=0, sg=1).fit(X)
    assert base.wv_.index_to_key == skip_gram.wv_.index_to_key
    assert not np.allclose(base.wv_.vectors, skip_gram.wv_.vectors)
    rare = Word2VecVectorizer(vector_size=16, random_state=0, min_count=1).fit(X)
    assert len(rare.wv_) > len(base.wv_)


def test_word_level_queries_work_on_wv(fitted_vectorizer):
    wv = fitted_vectorizer.wv_
    neighbours = wv.most_similar("good", topn=3)
    assert len(neighbours) == 3 and all(word != "good" for word, _ in neighbours)
    assert -1 <= wv.similarity("good", "bad") <= 1
    analogy = wv.most_similar(positive=["good", "film"], negative=["bad"], topn=1)
    assert analogy[0][0] not in ("good", "film", "bad")


_FIT_IN_A_SUBPROCESS = textwrap.dedent(
    """
    import sys
    import numpy as np
    from skw2v import Word2VecVectorizer
    from skw2v.datasets import load_movie_reviews

    X = load_movie_reviews().data[:1500]
    wv = Word2VecVectorizer(vector_size=16, min_count=2, random_state=7).fit(X).wv_
    np.save(sys.argv[1], wv.vectors)
    """
)


def test_same_random_state_gives_bit_identical_vectors_across_processes(
    reviews, tmp_path
):
    in_process = (
        Word2VecVectorizer(vector_size=16, min_count=2, random_state=7)
        .fit(reviews.data[:1500])
        .wv_.vectors
    )
    for hash_seed in ("1", "2"):
        out = tmp_path / f"vectors{hash_seed}.npy"
        subprocess.run(
            [sys.executable, "-c", _FIT_IN_A_SUBPROCESS, str(out)],
            check=True,
            env={"PYTHONHASHSEED": hash_seed, "PATH": ""},
        )
        np.testing.assert_array_equal(np.load(out), in_process)


def test_random_state_none_draws_a_new_seed(small_corpus):
    X, _ = small_corpus
    first = Word2VecVectorizer(vector_size=8, epochs=1).fit(X).wv_.vectors
    second = Word2VecVectorizer(vector_size=8, epochs=1).fit(X).wv_.vectors
    assert not np.array_equal(first, second)
    rng = np.random.RandomState(0)
    third = Word2VecVectorizer(vector_size=8, epochs=1, random_state=rng).fit(X)
    assert third.random_state is rng  # the parameter is never replaced


def test_multithreaded_training_works(small_corpus):
    X, _ = small_corpus
    vectorizer = Word2VecVectorizer(vector_size=16, n_jobs=2, random_state=0).fit(X)
    assert vectorizer.transform(X[:3]).shape == (3, 16)
    assert vectorizer.n_jobs == 2


def test_documents_longer_than_gensims_sentence_limit_are_fully_used():
    # "tail" occurs only past gensim's 10,000-word sentence limit.
    doc = ["head", "body"] * (MAX_WORDS_IN_BATCH // 2) + ["tail", "body"] * 50
    params = {"vector_size": 8, "min_count": 1, "sample": 0}  # no subsampling
    untrained = Word2Vec(seed=0, workers=1, **params)
    untrained.build_vocab([doc])
    initial = untrained.wv["tail"].copy()
    gensim_direct = Word2Vec([doc], seed=0, workers=1, **params)
    np.testing.assert_array_equal(gensim_direct.wv["tail"], initial)  # never trained
    ours = Word2VecVectorizer(random_state=0, **params).fit([doc])
    assert not np.array_equal(ours.wv_["tail"], initial)


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


def test_verbose_reports_every_epoch(small_corpus, capsys, monkeypatch):
    X, _ = small_corpus
    Word2VecVectorizer(vector_size=8, epochs=2, verbose=1).fit(X[:50])
    assert "word2vec" in capsys.readouterr().err  # the tqdm bar
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # as if tqdm were absent
    Word2VecVectorizer(vector_size=8, epochs=2, verbose=1).fit(X[:50])
    err = capsys.readouterr().err
    assert "epoch 1/2" in err and "epoch 2/2" in err
    Word2VecVectorizer(vector_size=8, epochs=2).fit(X[:50])
    assert capsys.readouterr().err == ""  # silent by default


def test_empty_vocabulary_says_so_and_suggests_lowering_min_count():
    with pytest.raises(
        ValueError, match="Empty vocabulary.*min_count=5.*Lower min_count"
    ):
        Word2VecVectorizer().fit(["a rare sentence", "another one"])
    with pytest.raises(ValueError, match="Empty vocabulary.*0 tokens"):
        Word2VecVectorizer(min_count=1).fit(["", "  ", "..."])


def test_no_output_layer_is_refused():
    with pytest.raises(ValueError, match="hs=0 and negative=0"):
        Word2VecVectorizer(negative=0, min_count=1).fit(["good movie"])


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
