"""Dask: transform text collections on a cluster, with the estimator shipped once.

Needs the ``dask`` extra (``pip install "skw2v[dask]"``). Train on one machine
(word2vec needs the whole corpus, streamed), then transform on the cluster:
[`transform`][skw2v.dask.transform] runs the fitted estimator's own
``transform`` on every partition. ``GridSearchCV`` and dask-ml's
``ParallelPostFit`` work with skw2v estimators as they are (see the Scaling out
page of the documentation).
"""

from ._dask import transform

__all__ = ["transform"]
