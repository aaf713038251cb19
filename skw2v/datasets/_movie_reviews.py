"""The movie-review sentence polarity data of Pang & Lee, shipped compressed."""

from __future__ import annotations

import gzip
from importlib import resources

from sklearn.utils import Bunch

DESCR = """\
.. _movie_reviews_dataset:

Movie-review sentence polarity dataset (v1.0, "MR")
---------------------------------------------------

10,662 snippets of movie reviews from Rotten Tomatoes, 5,331 labelled positive
and 5,331 negative, one sentence or short passage each. The texts are already
lowercased, with punctuation split off by spaces ("it's so laddish and juvenile ,
only teenage boys could possibly find it funny .").

**Data Set Characteristics:**

:Number of Instances: 10,662 (5,331 per class)
:Target: 0 = negative, 1 = positive
:Text: lowercase English, 20 tokens per snippet on average
:Order: all negative snippets, then all positive ones, in the original order

The original files are Latin-1 labelled but hold a few Windows-1252 bytes (the
ellipsis, curly quotes and dashes); they are decoded as Windows-1252, so "clichés"
and "ladrón" read correctly and no control characters appear.

A common benchmark for sentence classification: Kim (2014) reports 76.1%
accuracy with a CNN on embeddings learned from scratch and 81.0% with frozen
Google News word2vec vectors, in 10-fold cross-validation.

.. rubric:: References

Bo Pang and Lillian Lee. "Seeing stars: Exploiting class relationships for
sentiment categorization with respect to rating scales". Proceedings of the
ACL, 2005.
"""

_TARGET_NAMES = ("neg", "pos")
_ENCODING = "cp1252"


def _read_snippets(label: str) -> list[str]:
    path = resources.files(__package__) / "data" / f"rt-polarity.{label}.gz"
    raw = gzip.decompress(path.read_bytes())
    return [line.strip() for line in raw.decode(_ENCODING).splitlines()]


def load_movie_reviews(*, return_X_y: bool = False, as_frame: bool = False):
    """Load the movie-review sentence polarity dataset (binary classification).

    =================   ==============
    Classes                          2
    Samples per class             5331
    Samples total                10662
    Features                      text
    =================   ==============

    Read more in the ``DESCR`` of the returned Bunch.

    Parameters
    ----------
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame with a ``text`` column, ``target``
        a Series named ``label``, and ``frame`` a DataFrame with both columns.

    Returns
    -------
    data : sklearn.utils.Bunch
        Dictionary-like object with the following attributes.

        data : list of str, or DataFrame of shape (10662, 1)
            The snippets.
        target : ndarray of shape (10662,), or Series
            0 for negative, 1 for positive.
        target_names : list of str
            ``["neg", "pos"]``.
        frame : DataFrame of shape (10662, 2)
            Only when ``as_frame=True``: ``text`` and ``label`` columns.
        DESCR : str
            Description of the dataset, with its citation.

    (data, target) : tuple if ``return_X_y`` is True
        The snippets and their labels, as described above.

    Examples
    --------
    >>> from skw2v.datasets import load_movie_reviews
    >>> reviews = load_movie_reviews()
    >>> len(reviews.data), reviews.target_names
    (10662, ['neg', 'pos'])
    >>> reviews.data[0], reviews.target[0]
    ('simplistic , silly and tedious .', np.int64(0))
    >>> df = load_movie_reviews(as_frame=True).frame
    >>> df.columns.tolist()
    ['text', 'label']
    """
    import numpy as np

    texts: list[str] = []
    target = []
    for value, label in enumerate(_TARGET_NAMES):
        snippets = _read_snippets(label)
        texts.extend(snippets)
        target.extend([value] * len(snippets))
    target = np.asarray(target, dtype=np.int64)

    frame = None
    data = texts
    if as_frame:
        import pandas as pd

        frame = pd.DataFrame({"text": texts, "label": target})
        data = frame[["text"]]
        target = frame["label"]
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        target_names=list(_TARGET_NAMES),
        frame=frame,
        DESCR=DESCR,
    )
