"""The bundled movie-review data."""

import gzip
import hashlib
from importlib import resources

import numpy as np
import pandas as pd

from skw2v.datasets import load_movie_reviews

# Published checksums of the original files (see the dataset's README).
SHA256 = {
    "neg": "4ace77d558c3714723843f1d65b60c01e3417b208180f0728808d76ad0eeeaca",
    "pos": "2da124ec187a9d5a29c9f04e91c540e02baed5af8868f550a26bd6fd4dbf8bf0",
}


def test_shipped_files_are_the_original_bytes():
    for label, digest in SHA256.items():
        path = resources.files("skw2v.datasets") / "data" / f"rt-polarity.{label}.gz"
        raw = gzip.decompress(path.read_bytes())
        assert hashlib.sha256(raw).hexdigest() == digest


def test_bunch(reviews):
    assert len(reviews.data) == len(reviews.target) == 10662
    assert isinstance(reviews.data, list) and all(
        isinstance(d, str) for d in reviews.data
    )
    np.testing.assert_array_equal(np.bincount(reviews.target), [5331, 5331])
    assert reviews.target_names == ["neg", "pos"]
    assert "Pang" in reviews.DESCR and "2005" in reviews.DESCR
    assert reviews.data[0] == "simplistic , silly and tedious ."
    assert reviews.target[0] == 0 and reviews.target[-1] == 1
    assert all(doc == doc.strip() and doc for doc in reviews.data)


def test_decoded_as_windows_1252(reviews):
    text = "\n".join(reviews.data)
    assert "clichés" in text
    assert "ladrón" in text
    assert not any("\x80" <= ch <= "\x9f" for ch in text)  # no C1 control characters
    assert "\u2026" in text or "\u2014" in text  # cp1252 ellipsis / em dash


def test_return_X_y_and_as_frame(reviews):
    X, y = load_movie_reviews(return_X_y=True)
    assert X == reviews.data
    np.testing.assert_array_equal(y, reviews.target)

    bunch = load_movie_reviews(as_frame=True)
    assert isinstance(bunch.frame, pd.DataFrame)
    assert bunch.frame.columns.tolist() == ["text", "label"]
    assert bunch.data.columns.tolist() == ["text"]
    assert bunch.target.name == "label"
    assert bunch.frame["text"].tolist() == reviews.data

    X_frame, y_series = load_movie_reviews(return_X_y=True, as_frame=True)
    assert X_frame.shape == (10662, 1) and y_series.sum() == 5331
