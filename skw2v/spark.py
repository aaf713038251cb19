"""Spark: transform a text column on a cluster, or train word2vec with Spark ML.

Needs the ``spark`` extra (``pip install "skw2v[spark]"``).
[`transform`][skw2v.spark.transform] adds a column of Spark ML vectors computed
by a fitted skw2v estimator, shipped once to each executor;
[`train`][skw2v.spark.train] trains ``pyspark.ml.feature.Word2Vec`` on a text
column tokenized as skw2v tokenizes, and returns gensim ``KeyedVectors`` that
skw2v's estimators take as ``vectors=``.
"""

from ._spark import train, transform

__all__ = ["train", "transform"]
