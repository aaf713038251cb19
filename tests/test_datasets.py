"""The bundled movie-review data."""

import gzip
import hashlib
import pickle
import subprocess
import sys
import textwrap
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from skw2v import PretrainedEmbeddingVectorizer
from skw2v._loading import file_fingerprint
from skw2v.datasets import load_glove_50d, load_movie_reviews
from skw2v.datasets._glove import glove_path

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


# -- the bundled GloVe table -----------------------------------------------------


@pytest.fixture(scope="module")
def glove(tmp_path_factory):
    """The bundled GloVe table, its file and cache kept in a temporary directory."""
    home = tmp_path_factory.mktemp("glove")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SKW2V_CACHE_DIR", str(home / "cache"))
        return load_glove_50d(data_home=home)


def test_glove_is_the_stanford_table(glove):
    kv = glove.vectors
    assert kv.vectors.shape == (50_000, 50) and kv.vectors.dtype == np.float32
    assert kv.index_to_key[:5] == ["the", ",", ".", "of", "to"]
    assert all(word == word.lower() for word in kv.index_to_key)
    # The first values of the original glove.6B.50d.txt, within float16 rounding.
    np.testing.assert_allclose(
        kv["the"][:4], [0.418, 0.24968, -0.41242, 0.1217], rtol=5e-4
    )
    assert np.isfinite(kv.vectors).all()
    assert glove.path.name == "glove.6B.50d.50k.bin"


def test_glove_neighbours_make_sense(glove):
    kv = glove.vectors
    analogy = kv.most_similar(positive=["king", "woman"], negative=["man"], topn=5)
    assert "queen" in [word for word, _ in analogy]
    assert {"horrible", "awful"} <= {w for w, _ in kv.most_similar("terrible", topn=3)}
    assert kv.similarity("good", "great") > kv.similarity("good", "table") + 0.1
    assert kv.most_similar("paris", topn=1)[0][0] == "france"


def test_glove_ships_its_attribution_and_licence(glove):
    licence = (resources.files("skw2v.datasets") / "data" / "GLOVE_LICENSE").read_text()
    for text in (" ".join(licence.split()), " ".join(glove.DESCR.split())):
        assert "Pennington" in text and "Socher" in text and "Manning" in text
        assert "GloVe: Global Vectors for Word Representation" in text
        assert "Public Domain Dedication and License" in text and "2014" in text


def test_every_bundled_file_is_in_the_wheel():
    tomllib = pytest.importorskip("tomllib")
    root = Path(__file__).resolve().parents[1]
    config = tomllib.loads((root / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["skw2v.datasets"]
    data = root / "skw2v" / "datasets" / "data"
    shipped = {p for pattern in patterns for p in data.parent.glob(pattern)}
    assert set(data.iterdir()) == shipped


def test_glove_path_is_a_pretrained_file_pickled_by_reference(glove, tmp_path):
    docs = ["a good movie", "a terrible , awful film", "paris in the spring"]
    vectorizer = PretrainedEmbeddingVectorizer(vectors=glove.path).fit(docs)
    assert isinstance(vectorizer.wv_.vectors, np.memmap)  # from the cache
    assert vectorizer.wv_.index_to_key == glove.vectors.index_to_key
    expected = vectorizer.transform(docs)
    first = glove.vectors[["a", "good", "movie"]].mean(axis=0)
    np.testing.assert_allclose(expected[0], first, rtol=1e-6)
    data = pickle.dumps(vectorizer)
    assert len(data) < 10_000  # the path and a fingerprint, not 10 MB of vectors
    # Unpickled in a fresh process: the file is mapped from the cache, not parsed.
    (tmp_path / "vectorizer.pkl").write_bytes(data)
    code = textwrap.dedent(
        f"""
        import pickle
        import numpy as np
        from skw2v._loading import load_counts
        with open({str(tmp_path / "vectorizer.pkl")!r}, "rb") as fh:
            vectorizer = pickle.load(fh)
        np.save({str(tmp_path / "rows.npy")!r}, vectorizer.transform({docs!r}))
        print(load_counts["parsed"], load_counts["mapped"])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["0", "1"]
    np.testing.assert_array_equal(np.load(tmp_path / "rows.npy"), expected)


def test_a_damaged_or_deleted_glove_file_is_written_again(tmp_path):
    path = glove_path(tmp_path)
    original = path.read_bytes()
    fingerprint = file_fingerprint(path)
    path.write_bytes(original[:1000])  # cut
    assert glove_path(tmp_path).read_bytes() == original
    damaged = bytearray(original)
    damaged[len(damaged) // 2] ^= 1  # same size
    path.write_bytes(bytes(damaged))
    assert glove_path(tmp_path).read_bytes() == original
    path.unlink()
    assert file_fingerprint(glove_path(tmp_path)) == fingerprint  # the same bytes
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
