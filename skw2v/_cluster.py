"""What the Dask and Spark integrations share: the copy sent, and its rows.

A cluster runs the estimator's own ``transform`` on each partition; this module
decides what the workers receive (``shipped_copy``), what an output looks like
before any worker has run (``output_spec``) and how one partition becomes rows
(``partition_rows``), once for both engines.
"""

from __future__ import annotations

import warnings
from numbers import Integral

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._text import check_documents


def check_batch_size(batch_size, *, allow_none: bool = True) -> None:
    """Refuse a ``batch_size`` that is not a positive int (or None, when allowed)."""
    if batch_size is None and allow_none:
        return
    if (
        not isinstance(batch_size, Integral)
        or isinstance(batch_size, bool)
        or batch_size < 1
    ):
        allowed = "a positive int or None" if allow_none else "a positive int"
        raise ValueError(f"batch_size must be {allowed}; got {batch_size!r}.")


def shipped_copy(estimator):
    """Return the fitted copy of ``estimator`` that the workers receive.

    It is the estimator's ``_worker_copy`` (only what pooling needs; a table
    loaded from a file travels as its path and fingerprint) for skw2v
    estimators, the estimator itself for any other transformer. The cluster's
    workers are the parallelism: the copy pools in the worker's own process
    (``n_jobs=None``), never in processes of its own.
    """
    if not callable(getattr(estimator, "transform", None)):
        raise TypeError(
            f"estimator must be a fitted transformer (with a transform method); "
            f"got {type(estimator).__name__}."
        )
    check_is_fitted(estimator)
    worker_copy = getattr(estimator, "_worker_copy", None)
    if worker_copy is None:
        return estimator
    shipped = worker_copy()
    if getattr(shipped, "n_jobs", None) is not None:
        shipped.n_jobs = None
    return shipped


def output_spec(estimator) -> tuple[int, np.dtype]:
    """Return the width and dtype of the rows ``estimator.transform`` gives.

    Found by transforming one empty document locally (its "no word" warning
    is expected and silenced), so that the output is described before any
    partition is computed.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        probe = np.asarray(estimator.transform([""]))
    if probe.ndim != 2:
        raise ValueError(
            f"{type(estimator).__name__}.transform returns {probe.ndim}-D output; "
            "one row per document (2-D) is needed."
        )
    return probe.shape[1], probe.dtype


def partition_rows(
    estimator, partition, batch_size: int | None, width: int, dtype
) -> np.ndarray:
    """Return the rows of one partition: the estimator's ``transform``, in batches.

    ``partition`` is anything ``check_documents`` takes (a pandas Series, a
    list...). An empty partition gives no row rather than an error;
    ``batch_size`` documents at a time are transformed (None: all at once).
    """
    documents = check_documents(partition, allow_empty=True)
    if not documents:
        return np.empty((0, width), dtype=dtype)
    if batch_size is None or len(documents) <= batch_size:
        return np.asarray(estimator.transform(documents))
    return np.concatenate(
        [
            estimator.transform(documents[start : start + batch_size])
            for start in range(0, len(documents), batch_size)
        ]
    )
