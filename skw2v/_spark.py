"""Spark: transform a text column with a fitted estimator, and train word2vec."""

from __future__ import annotations

try:
    import pyarrow  # noqa: F401  (pandas UDFs exchange Arrow batches)
    from pyspark import SparkFiles
    from pyspark.ml.feature import Word2Vec
    from pyspark.ml.functions import array_to_vector, predict_batch_udf, vector_to_array
    from pyspark.sql import DataFrame
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
except ImportError as exc:  # pragma: no cover - exercised in a subprocess
    raise ImportError(
        'skw2v.spark needs PySpark and PyArrow: pip install "skw2v[spark]"'
    ) from exc

import copy
from numbers import Integral, Real
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pandas as pd
from gensim.models import KeyedVectors
from sklearn.utils import check_random_state

from ._cluster import check_batch_size, output_spec, partition_rows, shipped_copy
from ._compat import Interval, validate_params
from ._text import DEFAULT_TOKEN_PATTERN, build_tokenizer, check_documents
from ._vectors import known_finite

# -- checking the input ---------------------------------------------------------------


def _is_connect(df) -> bool:
    """Tell whether ``df`` belongs to a Spark Connect session (no SparkContext)."""
    return type(df).__module__.startswith("pyspark.sql.connect")


def _check_column(df, input_col: str, *, tokens: bool) -> bool:
    """Check that ``df`` has a column of text; tell whether it holds token lists.

    ``tokens`` says whether lists of tokens (``array<string>``) are accepted.
    """
    if not isinstance(df, DataFrame):
        raise TypeError(
            f"df must be a Spark DataFrame; got {type(df).__name__}. For a pandas "
            "DataFrame, call the estimator's transform (or skw2v.dask) instead."
        )
    if input_col not in df.columns:
        raise ValueError(
            f"df has no column {input_col!r}; its columns are {df.columns}."
        )
    dtype = df.schema[input_col].dataType
    is_tokens = isinstance(dtype, T.ArrayType) and isinstance(
        dtype.elementType, T.StringType
    )
    if not (isinstance(dtype, T.StringType) or (tokens and is_tokens)):
        needed = "text (string)"
        if tokens:
            needed += " or lists of tokens (array<string>)"
        hint = (
            " Join the tokens into text first, e.g. F.concat_ws(' ', column)."
            if is_tokens
            else f" Cast it first, e.g. F.col({input_col!r}).cast('string')."
        )
        raise TypeError(
            f"Column {input_col!r} holds {dtype.simpleString()}; skw2v needs "
            f"{needed}.{hint}"
        )
    return is_tokens


# -- what the executors receive -------------------------------------------------------


class _Embedded:
    """The shipped estimator itself (its table, if any, inside the pickle)."""

    def __init__(self, estimator):
        self.estimator = estimator

    def get(self):
        return self.estimator


class _VectorsFile:
    """A file-backed ``PretrainedEmbeddingVectorizer`` whose file Spark sends.

    The pickle holds the estimator without its table and the file's name; on
    an executor the table is loaded from the copy Spark placed there
    (``SparkFiles.get``), through the vectors cache, and checked against the
    fingerprint taken at ``fit``.
    """

    def __init__(self, estimator, name: str):
        self.estimator = copy.copy(estimator)
        del self.estimator.wv_  # reloaded on the executor
        self.name = name

    def get(self):
        estimator = copy.copy(self.estimator)
        estimator.vectors = SparkFiles.get(self.name)
        estimator._reload_table()
        return estimator


def _ship(estimator, session, *, ship_file: bool | None, connect: bool):
    """Return a picklable handle whose ``get()`` gives the estimator on executors.

    Classic Spark broadcasts it (sent once per executor, unpickled once per
    Python worker); Spark Connect has no broadcast, so the handle travels in
    the UDF with the query. A file-backed ``PretrainedEmbeddingVectorizer``
    ships its vectors file instead of the table, when asked or (by default)
    when the executors may be other machines.
    """
    by_reference = getattr(estimator, "_table_by_reference", lambda: False)()
    if ship_file is None:
        master = "" if connect else session.sparkContext.master
        ship_file = by_reference and not master.startswith("local")
    if ship_file and not by_reference:
        raise ValueError(
            "ship_file=True sends the vectors file of a PretrainedEmbeddingVectorizer "
            "loaded from a file (with embed_vectors=False); this estimator's table "
            "travels inside it."
        )
    if ship_file:
        path = Path(estimator.vectors).resolve()
        if connect:
            session.addArtifacts(str(path), file=True)
        else:
            _add_file(session.sparkContext, path)
        payload = _VectorsFile(estimator, path.name)
    else:
        payload = _Embedded(estimator)
    return payload if connect else session.sparkContext.broadcast(payload)


def _add_file(context, path: Path) -> None:
    """Send ``path`` to the executors, once; refuse a second file of its name."""
    added = {Path(urlparse(uri).path) for uri in context.listFiles}
    if path in added:
        return
    if any(other.name == path.name for other in added):
        raise ValueError(
            f"Spark already sends another file named {path.name!r} to the "
            "executors (files are found there by name); give this vectors file "
            "another name."
        )
    context.addFile(str(path))


def _make_predict_fn(handle, width: int, dtype: np.dtype):
    """Return the ``make_predict_fn`` of ``predict_batch_udf`` for this estimator.

    It runs once per Python worker (pyspark caches what it returns).
    """

    def make_predict_fn():
        direct = isinstance(handle, (_Embedded, _VectorsFile))  # Spark Connect
        payload = handle if direct else handle.value
        estimator = payload.get()

        def predict(documents: np.ndarray) -> np.ndarray:
            rows = partition_rows(estimator, documents, None, width, dtype)
            return rows if rows.dtype == np.float32 else rows.astype(np.float64)

        return predict

    return make_predict_fn


# -- transform ----------------------------------------------------------------------


def transform(
    estimator,
    df,
    input_col: str,
    output_col: str = "features",
    *,
    batch_size: int | None = None,
    ship_file: bool | None = None,
):
    """Add a column of Spark ML vectors: the estimator's rows for ``input_col``.

    Built on ``pyspark.ml.functions.predict_batch_udf``: each Python worker
    gets the fitted estimator once (pyspark caches it), and its ``transform``
    runs on bounded batches of the column, exchanged as Arrow batches. Only
    ``input_col`` goes to Python; the other columns stay in the JVM.

    The estimator is broadcast: sent once per executor. A
    [`PretrainedEmbeddingVectorizer`][skw2v.PretrainedEmbeddingVectorizer]
    loaded from a file travels as its path and a fingerprint instead of its
    table; with ``ship_file`` the file itself is sent (``SparkContext.addFile``)
    and each executor memory-maps it through its own vectors cache, whose pages
    the Python workers of one executor share.

    Under Spark Connect (no ``SparkContext``) the same call works without a
    broadcast: the estimator travels with the query (once per query, inside
    the UDF), and a vectors file is sent with ``SparkSession.addArtifacts``.
    Spark Connect is not exercised by skw2v's test suite; classic Spark is.

    Parameters
    ----------
    estimator : fitted transformer
        A fitted skw2v estimator (or any fitted scikit-learn transformer that
        takes text).
    df : pyspark.sql.DataFrame
        The data.
    input_col : str
        The column of text (``string``). A null is refused, as by
        ``transform``.
    output_col : str, default="features"
        The name of the new column, of type ``pyspark.ml.linalg.VectorUDT``
        (dense vectors, ready for ``pyspark.ml`` models). It must not exist yet.
    batch_size : int or None, default=None
        Documents transformed at a time; None means Spark's Arrow batch size
        (``spark.sql.execution.arrow.maxRecordsPerBatch``, 10,000 by default).
    ship_file : bool or None, default=None
        Whether the vectors file of a file-backed
        ``PretrainedEmbeddingVectorizer`` is sent to the executors. None sends
        it unless the master is local (local executors read the driver's file
        and cache); False has executors open it at the driver's path (a shared
        file system).

    Returns
    -------
    pyspark.sql.DataFrame
        ``df`` with ``output_col`` added, lazily.

    Raises
    ------
    NotFittedError
        The estimator is not fitted.
    TypeError
        ``df`` is not a Spark DataFrame, or ``input_col`` holds no text.
    ValueError
        ``input_col`` is missing or ``output_col`` exists already.

    See Also
    --------
    skw2v.dask.transform : The same on a Dask collection.
    train : Train word2vec with Spark ML.

    Examples
    --------
    >>> from pyspark.ml.classification import LogisticRegression
    >>> from skw2v import Word2VecVectorizer
    >>> from skw2v.spark import transform
    >>> spark = getfixture("spark")  # a SparkSession (local[2])
    >>> texts = ["a good movie", "a bad movie", "good fun", "bad acting"] * 10
    >>> vectorizer = Word2VecVectorizer(vector_size=4, min_count=1, random_state=0)
    >>> vectorizer = vectorizer.fit(texts)
    >>> df = spark.createDataFrame(
    ...     [(t, float("good" in t)) for t in texts], ["text", "label"]
    ... )
    >>> features = transform(vectorizer, df, "text")
    >>> features.columns
    ['text', 'label', 'features']
    >>> model = LogisticRegression().fit(features)
    >>> features.first()["features"].size
    4
    """
    _check_column(df, input_col, tokens=False)
    if output_col in df.columns:
        raise ValueError(
            f"df already has a column {output_col!r}; choose another output_col."
        )
    check_batch_size(batch_size)
    shipped = shipped_copy(estimator)
    width, dtype = output_spec(estimator)
    session = df.sparkSession
    if batch_size is None:
        batch_size = int(
            session.conf.get("spark.sql.execution.arrow.maxRecordsPerBatch", "10000")
        )
    connect = _is_connect(df)
    handle = _ship(shipped, session, ship_file=ship_file, connect=connect)
    element = T.FloatType() if dtype == np.float32 else T.DoubleType()
    rows = predict_batch_udf(
        _make_predict_fn(handle, width, dtype),
        return_type=T.ArrayType(element),
        batch_size=batch_size,
    )
    return df.withColumn(output_col, array_to_vector(rows(F.col(input_col))))


# -- training ---------------------------------------------------------------------


def keyed_vectors(vectors_df) -> KeyedVectors:
    """Return the (``word``, ``vector``) rows of a Spark DataFrame as KeyedVectors.

    The rows keep their order; vectors become float32, as Spark trains them.
    """
    table = vectors_df.select(
        "word", vector_to_array("vector", dtype="float32").alias("vector")
    ).toPandas()
    words = list(map(str, table["word"].tolist()))
    if not words:
        raise ValueError("The Spark model has no word.")
    matrix = np.stack(table["vector"].to_numpy()).astype(np.float32, copy=False)
    wv = KeyedVectors(vector_size=matrix.shape[1])
    wv.add_vectors(words, matrix)
    return known_finite(wv) if np.isfinite(matrix).all() else wv


def keyed_vectors_from_model(model) -> KeyedVectors:
    """Return the vectors of a fitted ``pyspark.ml.feature.Word2VecModel``.

    Spark keeps no word counts, so the words keep the model's own order.
    """
    return keyed_vectors(model.getVectors())


@validate_params(
    {
        "df": "no_validation",  # checked below with a clear message
        "input_col": [str],
        "vector_size": [Interval(Integral, 1, None, closed="left")],
        "window": [Interval(Integral, 1, None, closed="left")],
        "min_count": [Interval(Integral, 0, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "alpha": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
        "num_partitions": [Interval(Integral, 1, None, closed="left")],
        "max_sentence_length": [Interval(Integral, 1, None, closed="left")],
        "lowercase": ["boolean"],
        "token_pattern": [str, None],
        "tokenizer": [callable, None],
    },
    prefer_skip_nested_validation=True,
)
def train(
    df,
    input_col,
    *,
    vector_size=100,
    window=5,
    min_count=5,
    epochs=1,
    alpha=0.025,
    random_state=None,
    num_partitions=1,
    max_sentence_length=1000,
    lowercase=True,
    token_pattern=DEFAULT_TOKEN_PATTERN,
    tokenizer=None,
) -> KeyedVectors:
    """Train word2vec with Spark ML on a text column; return gensim KeyedVectors.

    The documents are tokenized as skw2v's estimators tokenize them (the same
    ``lowercase``, ``token_pattern`` and ``tokenizer``, in a pandas UDF), then
    ``pyspark.ml.feature.Word2Vec`` trains on the cluster. The vectors come
    back to the driver as a ``KeyedVectors``, words sorted by their count in
    ``df`` (most frequent first, as in the usual vector files), ready for
    ``AvgWord2VecTransformer(vectors=...)``,
    ``PretrainedEmbeddingVectorizer(vectors=...)`` or
    ``save_word2vec_format``.

    Spark's word2vec is Skip-Gram with hierarchical softmax. Compared with
    [`Word2VecVectorizer`][skw2v.Word2VecVectorizer] (gensim), it lacks CBOW
    (``sg=0``), negative sampling (``negative``, ``ns_exponent``; Spark has no
    ``hs=0``), the down-sampling of frequent words (``sample``), ``min_alpha``
    (Spark decays the rate to 0.0001 of ``alpha``), ``cbow_mean``, the
    vocabulary caps ``max_vocab_size`` and ``max_final_vocab``,
    ``init_vectors`` and continued training. ``num_partitions`` above 1 trains
    partitions in parallel and merges them, which is faster but usually less
    accurate; Spark's defaults (1 epoch, 1 partition) are kept here.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        The training data.
    input_col : str
        The column of documents: text (``string``) or lists of tokens
        (``array<string>``, used as they are).
    vector_size : int, default=100
        Dimensionality of the word vectors (Spark's ``vectorSize``).
    window : int, default=5
        Maximum distance between the current and a predicted word
        (``windowSize``).
    min_count : int, default=5
        Ignore words with a total frequency lower than this (``minCount``).
    epochs : int, default=1
        Passes over the corpus (``maxIter``).
    alpha : float, default=0.025
        Initial learning rate (``stepSize``).
    random_state : int, RandomState instance or None, default=None
        Seed of the training (``seed``); None keeps Spark's default seed, which
        is fixed. Results also depend on how the data is partitioned.
    num_partitions : int, default=1
        Partitions trained in parallel (``numPartitions``).
    max_sentence_length : int, default=1000
        Longer documents are cut into pieces of this many tokens
        (``maxSentenceLength``).
    lowercase : bool, default=True
        Convert the text to lowercase before tokenizing.
    token_pattern : str or None, default=DEFAULT_TOKEN_PATTERN
        Regular expression of a token, as for the estimators (None: the
        default).
    tokenizer : callable or None, default=None
        A function ``str -> list of str`` that replaces ``token_pattern``; it is
        pickled to the executors.

    Returns
    -------
    KeyedVectors
        The word vectors, float32, most frequent word first.

    Raises
    ------
    TypeError
        ``df`` is not a Spark DataFrame, or ``input_col`` holds no text.
    ValueError
        ``input_col`` is missing.

    See Also
    --------
    transform : Transform a Spark column with the vectors (through an estimator).
    skw2v.load_vectors : Also takes a fitted ``Word2VecModel``.

    Examples
    --------
    >>> from skw2v import AvgWord2VecTransformer
    >>> from skw2v.spark import train
    >>> spark = getfixture("spark")  # a SparkSession (local[2])
    >>> texts = ["a good movie", "a bad movie", "good fun", "bad acting"] * 10
    >>> df = spark.createDataFrame([(t,) for t in texts], ["text"])
    >>> wv = train(df, "text", vector_size=8, min_count=1, random_state=0)
    >>> wv.index_to_key[:3], wv.vector_size
    (['a', 'bad', 'good'], 8)
    >>> AvgWord2VecTransformer(vectors=wv).fit_transform(texts).shape
    (40, 8)
    """
    if _check_column(df, input_col, tokens=True):
        tokens = df.select(F.col(input_col).alias("tokens"))
    else:
        word_tokenizer = build_tokenizer(
            lowercase=lowercase, token_pattern=token_pattern, tokenizer=tokenizer
        )

        @F.pandas_udf(T.ArrayType(T.StringType()))
        def tokenize(texts: pd.Series) -> pd.Series:
            documents = check_documents(texts, allow_empty=True)
            return pd.Series(word_tokenizer.documents(documents), dtype=object)

        tokens = df.select(tokenize(F.col(input_col)).alias("tokens"))
    tokens = tokens.persist()
    try:
        word2vec = Word2Vec(
            vectorSize=vector_size,
            windowSize=window,
            minCount=min_count,
            maxIter=epochs,
            stepSize=alpha,
            numPartitions=num_partitions,
            maxSentenceLength=max_sentence_length,
            inputCol="tokens",
        )
        if random_state is not None:
            seed = (
                random_state
                if isinstance(random_state, Integral)
                else check_random_state(random_state).randint(2**31)
            )
            word2vec.setSeed(int(seed))
        model = word2vec.fit(tokens)
        counts = tokens.select(F.explode("tokens").alias("word")).groupBy("word")
        ordered = (
            model.getVectors()
            .join(counts.count(), "word")
            .orderBy(F.desc("count"), "word")
        )
        return keyed_vectors(ordered)
    finally:
        tokens.unpersist()
