"""Turning the word-vector sources users hand us into a gensim ``KeyedVectors``."""

from __future__ import annotations

from gensim.models import KeyedVectors
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted


def as_keyed_vectors(vectors, *, name: str = "vectors") -> KeyedVectors:
    """Return the ``KeyedVectors`` behind ``vectors``, never a copy.

    Parameters
    ----------
    vectors : KeyedVectors, gensim Word2Vec/FastText model or fitted skw2v estimator
        Anything that holds word vectors: a gensim ``KeyedVectors``, a gensim
        model with a ``wv`` attribute, or a fitted skw2v estimator (which holds
        its vectors in ``wv_``).
    name : str, default="vectors"
        The parameter name used in error messages.

    Returns
    -------
    KeyedVectors
        The very object that holds the vectors (no copy is made).
    """
    if isinstance(vectors, KeyedVectors):
        return vectors
    if hasattr(vectors, "get_params") and hasattr(vectors, "fit"):
        try:
            check_is_fitted(vectors, "wv_")
        except NotFittedError as exc:
            raise NotFittedError(
                f"{name} is an unfitted {type(vectors).__name__}; fit it first "
                "(or pass its training documents through a Pipeline)."
            ) from exc
        return vectors.wv_
    wv = getattr(vectors, "wv", None)
    if isinstance(wv, KeyedVectors):
        return wv
    raise TypeError(
        f"{name} must be a gensim KeyedVectors, a gensim Word2Vec or FastText "
        f"model, or a fitted skw2v vectorizer; got {type(vectors).__name__}."
    )
