import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.test.utils import datapath
from hypothesis import strategies as st

from skw2v import Word2VecVectorizer
from skw2v._loading import clear_registry
from skw2v.datasets import load_movie_reviews


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path, monkeypatch):
    """Keep every vectors cache entry inside the test's tmp_path, never in $HOME.

    Each test starts and ends with an empty per-process registry of loaded tables.
    """
    cache = tmp_path / "cache"
    monkeypatch.setenv("SKW2V_CACHE_DIR", str(cache))
    clear_registry()
    yield cache
    clear_registry()


@pytest.fixture(scope="session")
def reviews():
    """The bundled movie reviews (10,662 snippets)."""
    return load_movie_reviews()


@pytest.fixture(scope="session")
def small_corpus(reviews):
    """1,000 real snippets (500 per class), interleaved, with their labels."""
    neg = np.flatnonzero(reviews.target == 0)[:500]
    pos = np.flatnonzero(reviews.target == 1)[:500]
    order = np.ravel(np.column_stack([neg, pos]))
    return [reviews.data[i] for i in order], reviews.target[order]


@pytest.fixture(scope="session")
def fitted_vectorizer(small_corpus):
    """A small Word2VecVectorizer trained once for the whole session."""
    X, _ = small_corpus
    return Word2VecVectorizer(vector_size=20, min_count=2, random_state=0).fit(X)


@pytest.fixture(scope="session")
def tiny_fasttext():
    """A fastText model of five words, trained in a moment (n-grams of 2-3)."""
    from gensim.models import FastText

    sentences = [["good", "movie", "plot"], ["bad", "movie"], ["naïve", "plot"]] * 5
    return FastText(
        sentences,
        vector_size=4,
        min_count=1,
        bucket=64,
        min_n=2,
        max_n=3,
        epochs=2,
        seed=0,
        workers=1,
    )


@pytest.fixture
def toy_vectors():
    """Three 2-D word vectors small enough to pool by hand."""
    wv = KeyedVectors(vector_size=2)
    wv.add_vectors(
        ["good", "bad", "movie"],
        np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 2.0]], dtype=np.float32),
    )
    return wv


# fastText vectors trained on these very movie reviews (1694 words x 100).
POLARITY_VEC = datapath("pang_lee_polarity_fasttext.vec")


@pytest.fixture(scope="session")
def polarity():
    return KeyedVectors.load_word2vec_format(POLARITY_VEC, unicode_errors="replace")


@pytest.fixture
def vec_file(tmp_path, polarity):
    path = tmp_path / "polarity.bin"
    polarity.save_word2vec_format(str(path), binary=True)
    return path


@pytest.fixture
def cased_file(tmp_path, polarity):
    """The polarity vectors with some words stored only capitalized, plus phrases."""
    keys = list(polarity.index_to_key)
    capitalized = {"good", "bad", "funny", "movie"}
    keys = [k.capitalize() if k in capitalized else k for k in keys]
    wv = KeyedVectors(vector_size=100)
    wv.add_vectors(keys, polarity.vectors)
    phrases = ["Special_Effects", "romantic_comedy"]
    wv.add_vectors(phrases, np.stack([polarity["special"], polarity["comedy"]]) * 3)
    path = tmp_path / "cased.vec"
    wv.save_word2vec_format(str(path))
    return path


def _draw_damaged(data, raw: bytes, header: int) -> bytes:
    """Draw a damaged copy of ``raw``: up to four bytes overwritten, then cut.

    The offsets fall anywhere, and often in the first ``header`` bytes, where
    a file's headers are.
    """
    damaged = bytearray(raw)
    cut = data.draw(st.integers(0, len(raw)), label="kept bytes")
    offsets = st.one_of(
        st.integers(0, min(len(raw), header) - 1), st.integers(0, len(raw) - 1)
    )
    damage = data.draw(
        st.lists(st.tuples(offsets, st.integers(0, 255)), max_size=4),
        label="(offset, byte) written",
    )
    for offset, byte in damage:
        damaged[offset] = byte
    return bytes(damaged[:cut])


@pytest.fixture(scope="session")
def draw_damaged():
    """``draw_damaged(data, raw, header)``: a damaged copy of a file's bytes, drawn."""
    return _draw_damaged
