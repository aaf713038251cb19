"""skw2v.spark on a real local Spark (``local[2]``, bound to 127.0.0.1).

The session (``spark``, in the root conftest.py) is started once per session;
its Python workers log every table load to a file, which the tests read.
Marked ``spark``, deselected by default: run them with ``pytest -m spark``.
"""

import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors
from sklearn.exceptions import NotFittedError

from skw2v import (
    AvgWord2VecTransformer,
    Doc2VecVectorizer,
    FastTextVectorizer,
    PretrainedEmbeddingVectorizer,
    Word2VecVectorizer,
    load_vectors,
)
from skw2v._text import build_tokenizer

pytest.importorskip("pyspark", reason="the spark extra is not installed")
pytest.importorskip("pyarrow", reason="the spark extra is not installed")
from pyspark import SparkFiles  # noqa: E402
from pyspark.errors import PythonException  # noqa: E402
from pyspark.ml.classification import LogisticRegression  # noqa: E402
from pyspark.ml.feature import Word2Vec  # noqa: E402
from pyspark.ml.linalg import DenseVector, VectorUDT  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

from skw2v.spark import train, transform  # noqa: E402

pytestmark = pytest.mark.spark

#: Texts that pandas 3 (str dtype) and Arrow must carry unchanged.
UNUSUAL = ["déjà vu, naïve café", "", "日本の映画 good", "emoji 🎬 good movie"]


@pytest.fixture(scope="module")
def labelled(small_corpus):
    X, y = small_corpus
    return X[:600] + UNUSUAL, np.r_[y[:600], [1, 0, 1, 1]].astype(float)


@pytest.fixture(scope="module")
def frame(spark, labelled):
    """The texts in 3 partitions, with a row id and a label."""
    texts, labels = labelled
    rows = [
        (i, t, float(label))
        for i, (t, label) in enumerate(zip(texts, labels, strict=True))
    ]
    return spark.createDataFrame(
        rows, "id long, text string, label double"
    ).repartition(3)


def rows_of(df, column="features") -> np.ndarray:
    """The vectors of ``column``, in the order of ``id``."""
    return np.array([row[column].toArray() for row in df.orderBy("id").collect()])


def loads_per_worker(spark, path) -> Counter:
    """Count, per Python worker, the times it parsed or mapped ``path``."""
    log = spark.worker_files["log"]
    lines = log.read_text().splitlines() if log.exists() else []
    return Counter(
        int(pid)
        for pid, event, file in (line.split(" ", 2) for line in lines)
        if file == str(path) and event != "registry"
    )


def test_word2vec_rows_equal_local_transform(frame, fitted_vectorizer, labelled):
    texts, _ = labelled
    features = transform(fitted_vectorizer, frame, "text", batch_size=64)
    assert features.columns == ["id", "text", "label", "features"]
    assert isinstance(features.schema["features"].dataType, VectorUDT)
    np.testing.assert_allclose(
        rows_of(features), fitted_vectorizer.transform(texts), atol=1e-6
    )


def test_fasttext_rows_with_unseen_words_equal_local_transform(
    spark, labelled, tmp_path
):
    texts, _ = labelled
    fasttext = FastTextVectorizer(
        vector_size=10, min_count=2, bucket=5000, random_state=0, memory=tmp_path
    ).fit(texts)
    docs = [*texts[:60], "unwatchably overlong"]
    df = spark.createDataFrame(list(enumerate(docs)), ["id", "text"])
    rows = rows_of(transform(fasttext, df, "text").orderBy("id"))
    np.testing.assert_allclose(rows, fasttext.transform(docs), atol=1e-6)
    assert rows[-1].any()  # the subword vectors of the unseen words


def test_doc2vec_rows_equal_local_transform(spark, labelled, tmp_path):
    texts, _ = labelled
    doc2vec = Doc2VecVectorizer(
        vector_size=10, min_count=2, epochs=3, random_state=0, memory=tmp_path
    ).fit(texts)
    docs = [*texts[:60], "zzqx qqzx"]  # the last one has no known word
    df = spark.createDataFrame(list(enumerate(docs)), ["id", "text"])
    rows = rows_of(transform(doc2vec, df, "text").orderBy("id"))
    np.testing.assert_array_equal(rows, doc2vec.transform(docs))
    assert rows[:-1].any() and not rows[-1].any()


@pytest.mark.parametrize("ship_file", [None, True], ids=["path", "addFile"])
def test_file_backed_table_loaded_once_per_worker(
    spark, frame, labelled, vec_file, tmp_path, ship_file
):
    texts, _ = labelled
    pretrained = PretrainedEmbeddingVectorizer(
        vectors=vec_file, cache_dir=tmp_path / "shared-cache"
    ).fit(["x"])
    expected = pretrained.transform(texts)
    for _ in range(2):  # a second query finds the table in the workers
        features = transform(pretrained, frame, "text", ship_file=ship_file)
        np.testing.assert_allclose(rows_of(features), expected, atol=1e-6)
    log = spark.worker_files["log"].read_text()
    if ship_file:  # the executors load Spark's copy of the file
        path = Path(SparkFiles.getRootDirectory()) / vec_file.name
    else:  # the executors map the driver's cache entry
        path = vec_file
        assert f"parsed {vec_file}" not in log
    loads = loads_per_worker(spark, path)
    assert loads and max(loads.values()) == 1


def test_logistic_regression_trains_on_the_column(frame, labelled, polarity):
    pooler = AvgWord2VecTransformer(vectors=polarity).fit(["x"])
    features = transform(pooler, frame, "text", output_col="x")
    model = LogisticRegression(featuresCol="x", labelCol="label", maxIter=20)
    fitted = model.fit(features.cache())
    assert fitted.numFeatures == 100
    # The polarity vectors were trained on these reviews: well above chance.
    assert fitted.summary.accuracy > 0.65


def test_empty_partitions(spark, fitted_vectorizer):
    texts = ["a good movie", "bad acting"]
    df = spark.createDataFrame([(i, t) for i, t in enumerate(texts)], ["id", "text"])
    spread = df.repartition(6)  # at least 4 partitions hold no row
    assert spread.rdd.glom().map(len).collect().count(0) >= 4
    features = transform(fitted_vectorizer, spread, "text")
    np.testing.assert_allclose(
        rows_of(features), fitted_vectorizer.transform(texts), atol=1e-6
    )
    assert transform(fitted_vectorizer, df.limit(0), "text").count() == 0


def test_bad_input(spark, frame, fitted_vectorizer):
    with pytest.raises(NotFittedError):
        transform(Word2VecVectorizer(), frame, "text")
    with pytest.raises(TypeError, match="Spark DataFrame"):
        transform(fitted_vectorizer, frame.toPandas(), "text")
    with pytest.raises(ValueError, match="no column 'txt'"):
        transform(fitted_vectorizer, frame, "txt")
    with pytest.raises(TypeError, match="holds bigint"):
        transform(fitted_vectorizer, frame, "id")
    with pytest.raises(ValueError, match="already has a column 'label'"):
        transform(fitted_vectorizer, frame, "text", output_col="label")
    with pytest.raises(ValueError, match="ship_file=True"):
        transform(fitted_vectorizer, frame, "text", ship_file=True)
    nulls = spark.createDataFrame([("good",), (None,)], "text string")
    with pytest.raises(PythonException, match="missing value"):
        transform(fitted_vectorizer, nulls, "text").collect()


def test_train_on_the_movie_reviews(spark, reviews, tmp_path):
    texts = list(reviews.data)
    df = spark.createDataFrame([(t,) for t in texts], "text string").repartition(2)
    wv = train(df, "text", vector_size=50, epochs=3, random_state=0)
    assert isinstance(wv, KeyedVectors) and wv.vector_size == 50
    # skw2v's tokens, Spark's min_count: the vocabulary, most frequent first.
    counts = Counter(build_tokenizer().flat(texts)[0])
    vocabulary = {word for word, n in counts.items() if n >= 5}
    assert set(wv.index_to_key) == vocabulary
    ordered = [counts[word] for word in wv.index_to_key]
    assert ordered == sorted(ordered, reverse=True)
    assert wv.index_to_key[0] == "the"
    # Sensible neighbours: "good" is nearer "great" and "decent" than most words.
    assert min(wv.rank("good", "great"), wv.rank("good", "decent")) <= 10
    assert wv.similarity("good", "great") > wv.similarity("good", "tedious")
    # The vectors load into skw2v, from memory and from a word2vec file.
    path = tmp_path / "spark.bin"
    wv.save_word2vec_format(str(path), binary=True)
    from_file = PretrainedEmbeddingVectorizer(vectors=path).fit(texts[:10])
    in_memory = AvgWord2VecTransformer(vectors=wv).fit(texts[:10])
    np.testing.assert_allclose(
        from_file.transform(texts[:50]), in_memory.transform(texts[:50]), atol=1e-6
    )


def test_train_takes_tokens_and_load_vectors_takes_the_model(spark):
    tokens = [["a", "good", "movie"], ["a", "bad", "movie"], ["good", "fun"]] * 5
    df = spark.createDataFrame([(t,) for t in tokens], "tokens array<string>")
    wv = train(df, "tokens", vector_size=4, min_count=1, random_state=1)
    assert wv.index_to_key[:2] == ["a", "good"]  # 10 times each; ties by word
    model = Word2Vec(vectorSize=4, minCount=1, seed=1, inputCol="tokens").fit(df)
    loaded = load_vectors(model)
    assert sorted(loaded.index_to_key) == sorted(wv.index_to_key)
    for row in model.getVectors().collect():
        np.testing.assert_allclose(loaded[row["word"]], row["vector"].toArray())
        np.testing.assert_allclose(wv[row["word"]], row["vector"].toArray())


def test_train_bad_input(spark, frame):
    with pytest.raises(ValueError, match="no column"):
        train(frame, "body")
    with pytest.raises(TypeError, match="holds double"):
        train(frame, "label")
    with pytest.raises(ValueError, match="vector_size"):
        train(frame, "text", vector_size=0)


def test_vectors_survive_the_exchange(spark):
    df = spark.createDataFrame([(DenseVector([0.5, -1.0]),)], ["v"])
    assert df.select(F.col("v")).first()["v"].toArray().tolist() == [0.5, -1.0]


def test_missing_extra_is_named():
    code = "import sys; sys.modules['pyspark'] = None; import skw2v.spark"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode != 0
    assert 'pip install "skw2v[spark]"' in done.stderr
