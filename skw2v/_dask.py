"""Transforming a Dask collection of text with a fitted estimator, shipped once."""

from __future__ import annotations

try:
    import dask
    import dask.bag
    import dask.dataframe as dd
except ImportError as exc:  # pragma: no cover - exercised in a subprocess
    raise ImportError(
        'skw2v.dask needs Dask with its DataFrame support: pip install "skw2v[dask]"'
    ) from exc

import numpy as np
import pandas as pd

from ._cluster import check_batch_size, output_spec, partition_rows, shipped_copy
from ._text import check_documents

_OUTPUTS = ("dataframe", "array")


def _rows(partition, estimator, batch_size, width, dtype):
    return partition_rows(estimator, partition, batch_size, width, dtype)


def _frame(partition, estimator, batch_size, width, dtype, columns):
    rows = partition_rows(estimator, partition, batch_size, width, dtype)
    return pd.DataFrame(rows, index=partition.index, columns=columns, copy=False)


def _as_series(data):
    """Return ``data`` as a dask Series of documents, checking what it holds."""
    if isinstance(data, dask.bag.Bag):
        # One pandas Series per partition of the bag, by the bag's own tasks.
        parts = [
            dask.delayed(pd.Series)(part, dtype=object) for part in data.to_delayed()
        ]
        return dd.from_delayed(parts, meta=pd.Series([], dtype=object))
    if not isinstance(data, (dd.Series, dd.DataFrame)):
        raise TypeError(
            "data must be a dask Series or one-column dask DataFrame of text, or a "
            f"dask Bag of str; got {type(data).__name__}. For data in memory, "
            "call estimator.transform(data) instead."
        )
    meta = data._meta
    check_documents(meta, allow_empty=True)  # several columns: say which to pick
    check_documents(meta.to_numpy(), allow_empty=True)  # refuse numeric dtypes
    return data.iloc[:, 0] if isinstance(data, dd.DataFrame) else data


def transform(estimator, data, *, batch_size=None, output="dataframe"):
    """Transform a Dask collection of documents, partition by partition.

    Each partition goes through ``estimator.transform`` on a worker. The fitted
    estimator enters the task graph once, as one ``dask.delayed(..., pure=True)``
    value that every partition's task depends on: each worker receives it once,
    however many partitions it computes, instead of once per task as with
    ``data.map_partitions(estimator.transform)``. A
    [`PretrainedEmbeddingVectorizer`][skw2v.PretrainedEmbeddingVectorizer]
    loaded from a file travels as its path and a fingerprint of the file (the
    table stays behind, unless ``embed_vectors=True``); each worker maps the
    table from the vectors cache, whose pages the worker processes of one
    machine share. The file must be at the same path on every worker's machine
    (a shared file system), and the cache directory (``cache_dir``, else
    ``$SKW2V_CACHE_DIR``...) is the workers' own.

    Parameters
    ----------
    estimator : fitted transformer
        A fitted skw2v estimator (or any fitted scikit-learn transformer that
        takes text, such as a ``Pipeline`` starting with one).
    data : dask Series, one-column dask DataFrame or dask Bag
        The documents: text, or lists of tokens. Missing values are refused
        when their partition is computed, as by ``transform``.
    batch_size : int or None, default=None
        Documents passed to ``estimator.transform`` at a time within a
        partition; None passes each partition whole.
    output : {"dataframe", "array"}, default="dataframe"
        A dask DataFrame with the columns ``estimator.get_feature_names_out()``
        and the index of ``data`` (partitions aligned with its partitions; for a
        Bag, each partition numbered from 0), or a dask Array of shape
        ``(n_documents, n_features)`` whose chunks follow the partitions (of
        unknown sizes until computed).

    Returns
    -------
    dask.dataframe.DataFrame or dask.array.Array
        One row per document, lazily; nothing is computed yet.

    Raises
    ------
    NotFittedError
        The estimator is not fitted.
    TypeError
        ``data`` is not a dask collection of text.
    ValueError
        A DataFrame with several columns; an unknown ``output``.

    See Also
    --------
    skw2v.spark.transform : The same on a Spark DataFrame.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> from skw2v import Word2VecVectorizer
    >>> from skw2v.dask import transform
    >>> texts = ["a good movie", "a bad movie", "good fun", "bad acting"] * 10
    >>> vectorizer = Word2VecVectorizer(vector_size=4, min_count=1, random_state=0)
    >>> vectorizer = vectorizer.fit(texts)
    >>> series = dd.from_pandas(pd.Series(texts, name="text"), npartitions=3)
    >>> features = transform(vectorizer, series)
    >>> features.npartitions, list(features.columns)[:2]
    (3, ['word2vecvectorizer0', 'word2vecvectorizer1'])
    >>> (features.compute().to_numpy() == vectorizer.transform(texts)).all()
    np.True_
    """
    if output not in _OUTPUTS:
        raise ValueError(f"output must be one of {_OUTPUTS}; got {output!r}.")
    check_batch_size(batch_size)
    shipped = shipped_copy(estimator)
    series = _as_series(data)
    width, dtype = output_spec(estimator)
    # One key for the estimator, whatever the number of partitions.
    shared = dask.delayed(shipped, pure=True, traverse=False)
    if output == "array":
        meta = np.empty((0, width), dtype=dtype)
        return series.map_partitions(_rows, shared, batch_size, width, dtype, meta=meta)
    columns = list(map(str, estimator.get_feature_names_out()))
    meta = pd.DataFrame(
        {name: pd.Series([], dtype=dtype) for name in columns},
        index=series._meta.index,
    )
    return series.map_partitions(
        _frame, shared, batch_size, width, dtype, columns, meta=meta
    )
