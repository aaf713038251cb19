"""skw2v.dask on a real LocalCluster: 2 worker processes on 127.0.0.1.

The cluster (``dask_client``, in the root conftest.py) is started once per
session; its workers log every table load to a file, which the tests read.
"""

import os
import pickle
import subprocess
import sys
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from skw2v import (
    Doc2VecVectorizer,
    FastTextVectorizer,
    PretrainedEmbeddingVectorizer,
    Word2VecVectorizer,
)

dask = pytest.importorskip("dask", reason="the dask extra is not installed")
pytest.importorskip("distributed", reason="the dask extra is not installed")
import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402

from skw2v.dask import transform  # noqa: E402


@pytest.fixture(scope="module")
def texts(small_corpus):
    X, _ = small_corpus
    return X[:600] + ["déjà vu, naïve café", "", "日本の映画 good"]


@pytest.fixture
def pretrained(vec_file, tmp_path):
    """A PretrainedEmbeddingVectorizer loaded from a file, its cache next to it."""
    return PretrainedEmbeddingVectorizer(
        vectors=vec_file, cache_dir=tmp_path / "shared-cache"
    ).fit(["x"])


def loads_per_worker(client, path) -> Counter:
    """Count, per worker process, the times it parsed or mapped ``path``."""
    log = client.worker_files["log"]
    lines = log.read_text().splitlines() if log.exists() else []
    events = [line.split(" ", 2) for line in lines]
    assert all(event in {"parsed", "mapped", "registry"} for _, event, _ in events)
    return Counter(
        int(pid)
        for pid, event, file in events
        if file == str(path) and event != "registry"
    )


def test_word2vec_rows_equal_local_transform(dask_client, fitted_vectorizer, texts):
    series = dd.from_pandas(pd.Series(texts, name="text"), npartitions=4)
    features = transform(fitted_vectorizer, series)
    assert features.npartitions == series.npartitions
    assert list(features.columns) == list(fitted_vectorizer.get_feature_names_out())
    result = features.compute()
    assert (result.dtypes == np.float32).all()
    assert result.index.equals(pd.RangeIndex(len(texts)))
    np.testing.assert_allclose(
        result.to_numpy(), fitted_vectorizer.transform(texts), atol=1e-6
    )


def test_fasttext_rows_with_unseen_words_equal_local_transform(
    dask_client, texts, tmp_path
):
    # Trained with memory: the workers map the n-gram vectors from the entry.
    fasttext = FastTextVectorizer(
        vector_size=10, min_count=2, bucket=5000, random_state=0, memory=tmp_path
    ).fit(texts)
    docs = [*texts[:60], "unwatchably overlong"]
    assert not {"unwatchably", "overlong"} & set(fasttext.wv_.key_to_index)
    result = transform(fasttext, dd.from_pandas(pd.Series(docs), npartitions=3))
    rows = result.compute().to_numpy()
    np.testing.assert_allclose(rows, fasttext.transform(docs), atol=1e-6)
    assert rows[-1].any()  # the subword vectors of the unseen words


def test_doc2vec_rows_equal_local_transform(dask_client, texts, tmp_path):
    # Trained with memory: the workers map the inference arrays from the
    # entry; inference is deterministic: the rows are the local ones, bit for bit.
    doc2vec = Doc2VecVectorizer(
        vector_size=10, min_count=2, epochs=3, random_state=0, memory=tmp_path
    ).fit(texts)
    docs = [*texts[:60], "zzqx qqzx"]  # the last one has no known word
    result = transform(doc2vec, dd.from_pandas(pd.Series(docs), npartitions=3))
    assert list(result.columns) == list(doc2vec.get_feature_names_out())
    rows = result.compute().to_numpy()
    np.testing.assert_array_equal(rows, doc2vec.transform(docs))
    assert rows[:-1].any() and not rows[-1].any()


def test_the_estimator_is_one_key_of_the_graph(fitted_vectorizer, texts):
    series = dd.from_pandas(pd.Series(texts), npartitions=5)
    graph = dict(transform(fitted_vectorizer, series).__dask_graph__())
    (key,) = [
        key
        for key, task in graph.items()
        if isinstance(getattr(task, "value", None), Word2VecVectorizer)
    ]
    partitions = [task for task in graph.values() if key in task.dependencies]
    assert len(partitions) == 5
    # No partition's task carries the estimator (its table) with it.
    table = len(pickle.dumps(fitted_vectorizer))
    assert table > 50_000
    assert all(len(pickle.dumps(task)) < table / 10 for task in partitions)


def test_file_backed_table_is_mapped_once_per_worker(dask_client, pretrained, texts):
    series = dd.from_pandas(pd.Series(texts), npartitions=8)
    expected = pretrained.transform(texts)
    for _ in range(2):  # a second computation finds the table in the workers
        result = transform(pretrained, series).compute()
        np.testing.assert_allclose(result.to_numpy(), expected, atol=1e-6)
    loads = loads_per_worker(dask_client, pretrained.vectors)
    workers = set(dask_client.run(os.getpid).values())
    assert loads and set(loads) <= workers
    assert max(loads.values()) == 1  # mapped from the cache, at most once each
    # The driver built the cache entry; no worker parsed the file again.
    log = dask_client.worker_files["log"].read_text()
    assert f"parsed {pretrained.vectors}" not in log


def test_array_output(dask_client, fitted_vectorizer, texts):
    series = dd.from_pandas(pd.Series(texts), npartitions=3)
    array = transform(fitted_vectorizer, series, output="array", batch_size=50)
    assert isinstance(array, dask.array.Array)
    assert array.shape[1] == 20 and array.dtype == np.float32
    np.testing.assert_allclose(
        array.compute(), fitted_vectorizer.transform(texts), atol=1e-6
    )


def test_bag_and_one_column_frame(dask_client, fitted_vectorizer, texts):
    expected = fitted_vectorizer.transform(texts)
    bag = db.from_sequence(texts, npartitions=3)
    from_bag = transform(fitted_vectorizer, bag).compute()
    np.testing.assert_allclose(from_bag.to_numpy(), expected, atol=1e-6)
    frame = dd.from_pandas(pd.DataFrame({"text": texts}), npartitions=2)
    from_frame = transform(fitted_vectorizer, frame, output="array").compute()
    np.testing.assert_allclose(from_frame, expected, atol=1e-6)


def test_empty_partitions(dask_client, fitted_vectorizer, texts):
    series = dd.from_pandas(pd.Series(texts), npartitions=4, sort=True)
    kept = series[series.index >= len(texts) - 100]  # the first partitions empty
    assert kept.map_partitions(len).compute().tolist()[:2] == [0, 0]
    result = transform(fitted_vectorizer, kept).compute()
    assert result.index.tolist() == list(range(len(texts) - 100, len(texts)))
    np.testing.assert_allclose(
        result.to_numpy(), fitted_vectorizer.transform(texts[-100:]), atol=1e-6
    )


def test_bad_input(fitted_vectorizer, texts):
    series = dd.from_pandas(pd.Series(texts), npartitions=2)
    with pytest.raises(NotFittedError):
        transform(Word2VecVectorizer(), series)
    with pytest.raises(TypeError, match="dask Series"):
        transform(fitted_vectorizer, pd.Series(texts))
    two = dd.from_pandas(pd.DataFrame({"a": texts, "b": texts}), npartitions=2)
    with pytest.raises(ValueError, match="2 columns"):
        transform(fitted_vectorizer, two)
    with pytest.raises(TypeError, match="numeric"):
        transform(fitted_vectorizer, dd.from_pandas(pd.Series([1, 2]), npartitions=1))
    with pytest.raises(ValueError, match="output must be one of"):
        transform(fitted_vectorizer, series, output="numpy")
    with pytest.raises(ValueError, match="batch_size"):
        transform(fitted_vectorizer, series, batch_size=0)
    missing = dd.from_pandas(pd.Series(["good", None], dtype=object), npartitions=1)
    with pytest.raises(ValueError, match="missing value"):
        transform(fitted_vectorizer, missing).compute()


def test_dask_ml_parallel_post_fit(dask_client, fitted_vectorizer, texts):
    wrappers = pytest.importorskip(
        "dask_ml.wrappers", reason="dask-ml is not installed (optional)"
    )
    # dask-ml maps over dask DataFrames and Arrays (a Series it would compute);
    # the meta it would infer holds a missing text, which skw2v refuses.
    frame = dd.from_pandas(pd.DataFrame({"text": texts}), npartitions=3)
    meta = np.empty((0, 20), dtype=np.float32)
    wrapped = wrappers.ParallelPostFit(fitted_vectorizer, transform_meta=meta)
    lazy = wrapped.transform(frame)
    assert isinstance(lazy, dask.array.Array)
    np.testing.assert_allclose(
        lazy.compute(), fitted_vectorizer.transform(texts), atol=1e-6
    )


def test_grid_search_on_the_joblib_dask_backend(dask_client, small_corpus):
    joblib = pytest.importorskip("joblib")
    X, y = small_corpus
    X, y = X[:400], y[:400]
    pipeline = Pipeline(
        [
            ("w2v", Word2VecVectorizer(vector_size=10, min_count=2, random_state=0)),
            ("clf", LogisticRegression()),
        ]
    )
    grid = {"w2v__window": [2, 5]}
    serial = GridSearchCV(pipeline, grid, cv=2).fit(X, y)
    with joblib.parallel_config("dask"):
        on_dask = GridSearchCV(pipeline, grid, cv=2, n_jobs=-1).fit(X, y)
    # int random_state, one training thread: the fits do not depend on where
    # they ran.
    np.testing.assert_array_equal(
        on_dask.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )
    assert on_dask.best_estimator_.named_steps["w2v"].wv_.vector_size == 10


def test_missing_extra_is_named():
    code = "import sys; sys.modules['dask'] = None; import skw2v.dask"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode != 0
    assert 'pip install "skw2v[dask]"' in done.stderr
