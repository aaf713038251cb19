"""Pooling in worker processes (``skw2v/_parallel.py``): n_jobs, scratch, copies."""

import pickle

import numpy as np
import pytest
from gensim.models import KeyedVectors

import skw2v._parallel
from skw2v import (
    AvgWord2VecTransformer,
    PretrainedEmbeddingVectorizer,
    Word2VecVectorizer,
)
from skw2v._parallel import JOBLIB_MAX_NBYTES, table_bytes_to_copy


def test_processes_equal_one_job_and_merge_the_warnings(
    monkeypatch, tmp_path, fitted_vectorizer, reviews
):
    # A small threshold sends even this batch to two worker processes.
    monkeypatch.setattr(skw2v._parallel, "PROCESS_MIN_CHARACTERS", 1)
    monkeypatch.setenv("JOBLIB_TEMP_FOLDER", str(tmp_path))
    X = [*reviews.data[:1500], "", "zzzz", *reviews.data[1500:3000], ""]
    pooler = AvgWord2VecTransformer(
        vectors=fitted_vectorizer, pooling="mean+max", weighting="tfidf", norm="l2"
    ).fit(reviews.data[:3000])
    with pytest.warns(UserWarning, match="of 3003 documents have no word") as serial:
        one = pooler.transform(X)
    with pytest.warns(UserWarning, match="of 3003 documents have no word") as parts:
        two = pooler.set_params(n_jobs=2).transform(X)
    assert len(parts) == 1  # one warning, with the counts of both workers added
    assert str(parts[0].message) == str(serial[0].message)
    np.testing.assert_array_equal(one, two)
    assert type(two) is np.ndarray and two.flags.writeable
    assert list(tmp_path.iterdir()) == []  # the shared file is removed...
    with pytest.warns(UserWarning, match="have no word"):
        again = pooler.transform(X[::-1])
    np.testing.assert_array_equal(two, one)  # ...but the rows stay readable
    np.testing.assert_array_equal(again, one[::-1])
    assert not np.shares_memory(two, again)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(two)), one)


def test_shared_output_goes_to_a_temporary_directory_without_room(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("JOBLIB_TEMP_FOLDER", str(tmp_path))
    assert skw2v._parallel.scratch_directory(10) == str(tmp_path)
    assert skw2v._parallel.scratch_directory(2**62) is None  # no room: tempfile's
    monkeypatch.setenv("JOBLIB_TEMP_FOLDER", str(tmp_path / "missing"))
    assert skw2v._parallel.scratch_directory(10) is None


def test_word2vec_vectorizer_pools_with_its_n_jobs(fitted_vectorizer, small_corpus):
    X, _ = small_corpus
    from sklearn.base import clone

    vectorizer = clone(fitted_vectorizer).set_params(pooling="max", n_jobs=1).fit(X)
    one = vectorizer.transform(X)
    two = vectorizer.set_params(n_jobs=2).transform(X)
    np.testing.assert_array_equal(one, two)


def test_workers_get_only_what_pooling_needs(tmp_path, fitted_vectorizer, reviews):
    X = reviews.data[:300]
    trained = Word2VecVectorizer(
        vector_size=20,
        min_count=1,
        epochs=1,
        keep_model=True,
        init_vectors=fitted_vectorizer.wv_,
        random_state=0,
    ).fit(X)
    shipped = trained._worker_copy()
    assert shipped.init_vectors is None and not hasattr(shipped, "model_")
    assert trained.init_vectors is not None and hasattr(trained, "model_")
    np.testing.assert_array_equal(shipped.transform(X), trained.transform(X))
    assert len(pickle.dumps(shipped)) < len(pickle.dumps(trained)) / 2

    path = tmp_path / "vectors.bin"
    fitted_vectorizer.wv_.save_word2vec_format(path, binary=True)
    from_file = PretrainedEmbeddingVectorizer(vectors=path, cache_dir=tmp_path)
    shipped = from_file.fit(X)._worker_copy()
    assert shipped.vectors == path  # reopened from the file in each worker
    assert table_bytes_to_copy(shipped) == 0


def test_a_large_table_in_memory_needs_a_larger_batch_for_processes(
    monkeypatch, tmp_path
):
    words = [f"w{i}" for i in range(JOBLIB_MAX_NBYTES // (4 * 64) + 1)]
    in_memory = KeyedVectors(vector_size=64)
    in_memory.add_vectors(words, np.ones((len(words), 64), np.float32))
    mapped = KeyedVectors(vector_size=64)
    mapped.add_vectors(words, np.ones((len(words), 64), np.float32))
    mapped.vectors = np.memmap(
        tmp_path / "table", np.float32, "w+", shape=in_memory.vectors.shape
    )
    mapped.vectors[:] = 1
    used_processes = []
    original = skw2v._parallel.worth_processes

    def recording(shipped, documents, n_jobs):
        worth = original(shipped, documents, n_jobs)
        if worth:
            used_processes.append(table_bytes_to_copy(shipped))
        return worth

    monkeypatch.setattr(skw2v._parallel, "worth_processes", recording)
    monkeypatch.setattr(skw2v._parallel, "PROCESS_MIN_CHARACTERS", 1)
    X = ["w1 w2", "w3"] * 100  # 1,000 characters
    for table, expected in [(mapped, [0]), (in_memory, [])]:
        pooler = AvgWord2VecTransformer(vectors=table, n_jobs=2).fit(X)
        np.testing.assert_array_equal(pooler.transform(X), np.ones((200, 64)))
        assert used_processes == expected  # joblib would copy 17 MB for 1,000
        used_processes.clear()  # characters: not worth it
    assert table_bytes_to_copy(pooler._worker_copy()) == in_memory.vectors.nbytes
