"""No file runs code unless pickles are allowed (``_loading.py``, every entry point)."""

import pickle

import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.test.utils import datapath

from skw2v import (
    EmbeddingSequencer,
    PretrainedEmbeddingVectorizer,
    Word2VecVectorizer,
    load_vectors,
)
from skw2v._cli import main
from skw2v._loading import clear_registry, load_counts

LEE_FASTTEXT = datapath("lee_fasttext_new.bin")


class _Payload:
    """Unpickling this writes a file: proof that code from the file ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.fixture
def hostile(tmp_path):
    """Pickles that run code, named as the data formats are."""
    marker = tmp_path / "code-ran"
    paths = []
    for name in ("GoogleNews-vectors-negative300.bin", "glove.6B.50d.txt", "v.kv"):
        path = tmp_path / name
        path.write_bytes(pickle.dumps(_Payload(marker), protocol=4))
        paths.append(path)
    return paths, marker


def test_a_pickle_is_refused_whatever_its_name(hostile):
    paths, marker = hostile
    for path in paths:
        with pytest.raises(ValueError, match="is a Python pickle.*allow_pickle=True"):
            load_vectors(path)
    assert not marker.exists()


def test_every_entry_point_refuses_it(hostile, capsys):
    (path, *_), marker = hostile
    with pytest.raises(ValueError, match="Python pickle"):
        PretrainedEmbeddingVectorizer(vectors=path).fit(["a b"])
    with pytest.raises(ValueError, match="Python pickle"):
        Word2VecVectorizer(min_count=1, init_vectors=path).fit(["a b"])
    with pytest.raises(ValueError, match="Python pickle"):
        EmbeddingSequencer(vectors=path).fit(["a b"])
    for command in ("info", "cache", "similar"):
        argv = [command, str(path)] + (["word"] if command == "similar" else [])
        assert main(argv) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "--allow-pickle" in err[0]
    assert not marker.exists()


def test_allow_pickle_loads_a_trusted_gensim_file(tmp_path, capsys):
    wv = KeyedVectors(vector_size=2)
    wv.add_vectors(["good", "bad"], np.array([[1.0, 0.0], [-1.0, 0.0]]))
    path = tmp_path / "trusted.kv"
    wv.save(str(path))
    loaded = load_vectors(path, allow_pickle=True)
    np.testing.assert_array_equal(loaded.vectors, wv.vectors)
    vectorizer = PretrainedEmbeddingVectorizer(vectors=path, allow_pickle=True)
    np.testing.assert_array_equal(vectorizer.fit_transform(["bad"]), [[-1.0, 0.0]])
    restored = pickle.loads(pickle.dumps(vectorizer))  # reloads it, still allowed
    np.testing.assert_array_equal(restored.transform(["good"]), [[1.0, 0.0]])
    assert main(["info", str(path), "--allow-pickle"]) == 0
    assert "2" in capsys.readouterr().out


def test_fasttext_cache_entries_are_data_only(cache_in_tmp):
    first = load_vectors(LEE_FASTTEXT)
    oov = first.get_vector("governmentalist")
    files = [p for p in cache_in_tmp.rglob("*") if p.is_file() and p.name != ".lock"]
    assert files and {p.suffix for p in files} <= {".npy", ".json"}
    for npy in (p for p in files if p.suffix == ".npy"):
        np.load(npy, allow_pickle=False)  # no object arrays: data only
    clear_registry()
    mapped = load_counts["mapped"]
    again = load_vectors(LEE_FASTTEXT)
    assert load_counts["mapped"] == mapped + 1
    assert isinstance(again.vectors_ngrams, np.memmap)
    np.testing.assert_allclose(again.get_vector("governmentalist"), oov, rtol=1e-6)
    np.testing.assert_array_equal(again["government"], first["government"])


def test_a_tampered_cache_entry_is_rebuilt_never_unpickled(cache_in_tmp, tmp_path):
    load_vectors(LEE_FASTTEXT)
    marker = tmp_path / "code-ran"
    (ngrams,) = cache_in_tmp.rglob("vectors_ngrams.npy")
    size = ngrams.stat().st_size
    # An object array of the same size, whose unpickling would run code.
    hostile = np.array([_Payload(marker)], dtype=object)
    with open(ngrams, "wb") as fh:
        np.save(fh, hostile, allow_pickle=True)
        fh.write(b"\0" * max(size - fh.tell(), 0))
    clear_registry()
    with pytest.warns(UserWarning, match="Rebuilding the vector cache entry"):
        kv = load_vectors(LEE_FASTTEXT)
    assert not marker.exists()
    assert kv.get_vector("governmentalist").shape == (10,)


def test_a_damaged_trusted_gensim_file_is_a_clear_error(tmp_path):
    wv = KeyedVectors(vector_size=2)
    wv.add_vectors(["good", "bad"], np.array([[1.0, 0.0], [-1.0, 0.0]]))
    path = tmp_path / "trusted.kv"
    wv.save(str(path))
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ValueError, match="truncated or damaged"):
        load_vectors(path, allow_pickle=True)
