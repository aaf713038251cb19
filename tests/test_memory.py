"""``Word2VecVectorizer(memory=...)`` (``skw2v/_memory.py``): train once per key."""

import json
import subprocess
import sys
import textwrap
import time

import joblib
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

import skw2v._trained
from skw2v import (
    AvgWord2VecTransformer,
    PretrainedEmbeddingVectorizer,
    Word2VecVectorizer,
)


@pytest.fixture
def trainings(monkeypatch):
    """Count the trainings (real ones) that the estimators run."""
    calls = []
    train = skw2v._trained.train_model

    def counting(*args, **kwargs):
        calls.append(kwargs)
        return train(*args, **kwargs)

    monkeypatch.setattr(skw2v._trained, "train_model", counting)
    return calls


def make(memory, **params):
    defaults = {"vector_size": 12, "min_count": 2, "epochs": 2, "random_state": 0}
    return Word2VecVectorizer(memory=memory, **{**defaults, **params})


def test_a_second_fit_with_the_same_key_maps_the_vectors(
    small_corpus, tmp_path, trainings
):
    X, _ = small_corpus
    plain = make(None, weighting="sif").fit(X)
    first = make(tmp_path, weighting="sif").fit(X)
    second = make(tmp_path, weighting="tfidf", pooling="max", norm="l2").fit(X)
    assert len(trainings) == 2  # plain, then first; second is mapped
    for cached in (first, second):
        assert cached.wv_.index_to_key == plain.wv_.index_to_key
        np.testing.assert_array_equal(cached.wv_.vectors, plain.wv_.vectors)
        assert isinstance(cached.wv_.vectors, np.memmap)  # shared, not copied
    np.testing.assert_array_equal(first.word_weights_, plain.word_weights_)
    np.testing.assert_array_equal(first.transform(X), plain.transform(X))


@pytest.mark.parametrize(
    "change",
    [
        {"sg": 1},
        {"window": 3},
        {"random_state": 1},
        {"lowercase": False},
        {"token_pattern": r"\S+"},
        {"n_jobs": 2},
    ],
)
def test_whatever_changes_training_trains_again(
    change, small_corpus, tmp_path, trainings
):
    X, _ = small_corpus
    make(tmp_path).fit(X)
    make(tmp_path, **change).fit(X)
    assert len(trainings) == 2
    make(tmp_path).fit(X[:-1])  # other documents
    assert len(trainings) == 3


def test_init_vectors_are_part_of_the_key(small_corpus, tmp_path, trainings):
    X, _ = small_corpus
    start = make(None, random_state=5).fit(X).wv_
    other = make(None, random_state=6).fit(X).wv_
    path = tmp_path / "start.bin"
    start.save_word2vec_format(str(path), binary=True)
    first = make(tmp_path / "memory", init_vectors=start).fit(X)
    again = make(tmp_path / "memory", init_vectors=start).fit(X)
    assert len(trainings) == 3 and again.n_words_initialized_ == len(start)
    np.testing.assert_array_equal(again.wv_.vectors, first.wv_.vectors)
    make(tmp_path / "memory", init_vectors=other).fit(X)
    make(tmp_path / "memory", init_vectors=str(path)).fit(X)
    make(tmp_path / "memory", init_vectors=str(path)).fit(X)
    assert len(trainings) == 5


def test_random_state_none_reuses_the_first_draw(small_corpus, tmp_path, trainings):
    X, _ = small_corpus
    first = make(tmp_path, random_state=None).fit(X)
    second = make(tmp_path, random_state=None).fit(X)
    assert len(trainings) == 1
    np.testing.assert_array_equal(second.wv_.vectors, first.wv_.vectors)


def test_joblib_memory_lends_its_directory(small_corpus, tmp_path, trainings):
    X, _ = small_corpus
    make(joblib.Memory(tmp_path, verbose=0)).fit(X)
    make(str(tmp_path)).fit(X)
    assert len(trainings) == 1
    make(joblib.Memory(None)).fit(X)  # a Memory without location caches nothing
    assert len(trainings) == 2
    with pytest.raises(InvalidParameterError, match="memory"):
        make(3).fit(X)


def test_keep_model_and_partial_fit_train_without_the_cache(
    small_corpus, tmp_path, trainings
):
    X, _ = small_corpus
    make(tmp_path).fit(X)
    kept = make(tmp_path, keep_model=True).fit(X)
    assert len(trainings) == 2 and hasattr(kept, "model_")
    make(tmp_path).partial_fit(X)
    assert len(trainings) == 3


def test_a_damaged_entry_is_rebuilt_with_a_warning(small_corpus, tmp_path, trainings):
    X, _ = small_corpus
    expected = make(tmp_path).fit(X).wv_.vectors.copy()
    (vectors,) = tmp_path.glob("skw2v-trained-*/*/entry/vectors.npy")
    vectors.write_bytes(vectors.read_bytes()[:-4])  # truncated
    with pytest.warns(UserWarning, match="Rebuilding .* damaged"):
        rebuilt = make(tmp_path).fit(X)
    assert len(trainings) == 2
    np.testing.assert_array_equal(rebuilt.wv_.vectors, expected)


def test_a_manifest_with_a_bad_count_is_rebuilt(small_corpus, tmp_path, trainings):
    X, _ = small_corpus
    make(tmp_path).fit(X)
    (manifest,) = tmp_path.glob("skw2v-trained-*/*/entry/manifest.json")
    content = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**content, "n_initialized": "many"}))
    with pytest.warns(UserWarning, match="Rebuilding .* not an integer"):
        refitted = make(tmp_path).fit(X)
    assert len(trainings) == 2 and not hasattr(refitted, "n_words_initialized_")


def test_a_memory_that_cannot_be_written_trains_with_a_warning(
    small_corpus, tmp_path, trainings
):
    # A directory under a regular file can be neither created nor written,
    # even by root.
    X, _ = small_corpus
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    expected = make(None).fit(X).wv_.vectors
    with pytest.warns(UserWarning, match="Could not write to memory=.*a-file"):
        vectorizer = make(blocker / "cache").fit(X)
    np.testing.assert_array_equal(vectorizer.wv_.vectors, expected)
    assert len(trainings) == 2 and blocker.read_text() == "not a directory"


def test_a_grid_search_trains_once_per_fold_and_setting(
    small_corpus, tmp_path, trainings
):
    X, y = small_corpus
    grid = {
        "w2v__sg": [0, 1],
        "w2v__pooling": ["mean", "max"],
        "w2v__weighting": [None, "sif"],
    }

    def search(memory):
        pipeline = Pipeline(
            [("w2v", make(memory)), ("clf", LogisticRegression(max_iter=500))]
        )
        return GridSearchCV(pipeline, grid, cv=2).fit(X, y)

    without = search(None)
    n_plain = len(trainings)
    with_memory = search(tmp_path)
    # 8 candidates x 2 folds + the refit, against 2 sg x 2 folds + the refit.
    assert n_plain == 8 * 2 + 1
    assert len(trainings) - n_plain == 2 * 2 + 1
    for name in ("mean_test_score", "split0_test_score", "split1_test_score"):
        np.testing.assert_array_equal(
            with_memory.cv_results_[name], without.cv_results_[name]
        )


_FIT_AT = textwrap.dedent(
    """
    import sys, time
    import numpy as np
    import skw2v._trained
    from skw2v import Word2VecVectorizer
    from skw2v.datasets import load_movie_reviews

    trained = []
    train = skw2v._trained.train_model
    def counting(*args, **kwargs):
        trained.append(1)
        return train(*args, **kwargs)
    skw2v._trained.train_model = counting

    X = load_movie_reviews().data[:2000]
    time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # start together
    vectorizer = Word2VecVectorizer(
        vector_size=12, min_count=2, random_state=0, memory=sys.argv[1]
    ).fit(X)
    np.save(sys.argv[3], vectorizer.wv_.vectors)
    print(len(trained))
    """
)


def test_two_processes_needing_one_entry_train_it_once(tmp_path):
    start = str(time.time() + 3.0)
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _FIT_AT,
                str(tmp_path / "memory"),
                start,
                str(tmp_path / f"{i}.npy"),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    counts = sorted(int(p.communicate(timeout=300)[0]) for p in processes)
    assert counts == [0, 1]  # one trained while the other waited, then mapped
    np.testing.assert_array_equal(
        np.load(tmp_path / "0.npy"), np.load(tmp_path / "1.npy")
    )


@pytest.mark.parametrize("kind", ["word2vec", "pretrained", "average"])
def test_pipeline_memory_works_around_every_vectorizer(
    kind, small_corpus, vec_file, fitted_vectorizer, tmp_path
):
    X, y = small_corpus
    step = {
        "word2vec": make(None),
        "pretrained": PretrainedEmbeddingVectorizer(vectors=vec_file),
        "average": AvgWord2VecTransformer(vectors=fitted_vectorizer.wv_),
    }[kind]
    plain = make_pipeline(step, LogisticRegression(max_iter=500)).fit(X, y)
    for _ in range(2):  # fitted, then read back from joblib's cache
        cached = Pipeline(
            [("vec", step), ("clf", LogisticRegression(max_iter=500))],
            memory=joblib.Memory(tmp_path, verbose=0),
        ).fit(X, y)
        np.testing.assert_array_equal(cached.predict_proba(X), plain.predict_proba(X))
