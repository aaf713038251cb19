"""Cache entries (``skw2v/_cache.py``): each layout written and read, locked."""

import hashlib
import json

import numpy as np
import pytest
from gensim.models import KeyedVectors

from skw2v import clear_registry, load_vectors
from skw2v._cache import (
    CACHE_VERSION,
    LAYOUTS,
    build_lock,
    discard,
    read_entry,
    remove_superseded,
    vectors_entry,
    write_entry,
)
from skw2v._compact import compact_table
from skw2v._loading import load_counts, source_digest
from skw2v._mapped import (
    MappedFastTextKeyedVectors,
    MappedKeyedVectors,
    MappedQuantizedKeyedVectors,
)

MANIFEST = {"version": CACHE_VERSION, "kind": "test", "key": "abc"}


@pytest.fixture(scope="module")
def plain():
    wv = KeyedVectors(vector_size=3)
    words = ["Paris", "paris", "rome", "Zürich", "x"]
    wv.add_vectors(words, np.arange(15, dtype=np.float32).reshape(5, 3) / 4)
    return wv


@pytest.fixture
def fasttext(tiny_fasttext):
    return tiny_fasttext.wv


@pytest.fixture
def tables(plain, fasttext):
    quantized = compact_table(plain, "int8", name="plain")
    return {"vectors": plain, "fasttext": fasttext, "quantized": quantized}


def test_the_layouts():
    assert set(LAYOUTS) == {"vectors", "fasttext", "quantized", "doc2vec"}
    assert list(LAYOUTS["vectors"].rows) == ["vectors"]
    assert list(LAYOUTS["quantized"].rows) == ["vectors"]
    assert list(LAYOUTS["quantized"].per_row) == ["row_scales"]
    assert list(LAYOUTS["fasttext"].rows) == [
        "vectors",
        "vectors_vocab",
        "vectors_ngrams",
    ]
    assert LAYOUTS["fasttext"].attributes == ("min_n", "max_n", "bucket")


# A Doc2Vec entry is written and read by tests/test_doc2vec.py (memory=).
@pytest.mark.parametrize("layout", sorted(set(LAYOUTS) - {"doc2vec"}))
def test_write_then_read_each_layout(layout, tables, tmp_path):
    kv = tables[layout]
    entry = tmp_path / "entry"
    manifest = {**MANIFEST, "layout": layout}
    write_entry(entry, manifest, kv)
    written = json.loads((entry / "manifest.json").read_text())
    assert written["layout"] == layout and written["n_words"] == len(kv)
    arrays = [*LAYOUTS[layout].rows, *LAYOUTS[layout].per_row]
    expected_files = {f"{name}.npy" for name in arrays}
    assert expected_files <= set(written["files"])
    assert not list(tmp_path.glob(".tmp-*"))

    mapped = read_entry(entry, manifest)
    assert (
        type(mapped)
        is {
            "vectors": MappedKeyedVectors,
            "fasttext": MappedFastTextKeyedVectors,
            "quantized": MappedQuantizedKeyedVectors,
        }[layout]
    )
    assert mapped.index_to_key == kv.index_to_key
    for name in arrays:
        array = getattr(mapped, name)
        assert isinstance(array, np.memmap) and not array.flags.writeable
        np.testing.assert_array_equal(array, getattr(kv, name))
    for name in LAYOUTS[layout].attributes:
        assert getattr(mapped, name) == getattr(kv, name)
    if layout == "fasttext":  # its n-grams work: an unseen word has a vector
        np.testing.assert_allclose(mapped["moviegoer"], kv["moviegoer"], rtol=1e-6)
    if layout == "quantized":  # its rows are scaled back
        np.testing.assert_allclose(mapped["rome"], kv["rome"])


def test_scales_that_do_not_fit_the_rows_are_refused(tables, tmp_path):
    entry = tmp_path / "entry"
    manifest = {**MANIFEST, "layout": "quantized"}
    write_entry(entry, manifest, tables["quantized"])
    np.save(entry / "row_scales.npy", np.ones(4, np.float32))  # one row short
    content = json.loads((entry / "manifest.json").read_text())
    content["files"]["row_scales.npy"] = (entry / "row_scales.npy").stat().st_size
    (entry / "manifest.json").write_text(json.dumps(content))
    with pytest.warns(UserWarning, match=r"damaged \(row_scales has \(4,\)"):
        assert read_entry(entry, manifest) is None
    assert not entry.exists()


def test_a_layout_mismatch_is_refused(plain, tmp_path):
    entry = tmp_path / "entry"
    write_entry(entry, {**MANIFEST, "layout": "vectors"}, plain)
    with pytest.warns(UserWarning, match="its layout is 'vectors', not 'fasttext'"):
        assert read_entry(entry, {**MANIFEST, "layout": "fasttext"}) is None
    assert not entry.exists()
    with pytest.raises(KeyError):
        write_entry(entry, {**MANIFEST, "layout": "pickle"}, plain)
    assert not entry.exists()


def test_an_entry_whose_arrays_do_not_fit_its_manifest_is_refused(fasttext, tmp_path):
    entry = tmp_path / "entry"
    manifest = {**MANIFEST, "layout": "fasttext"}
    write_entry(entry, manifest, fasttext)
    content = json.loads((entry / "manifest.json").read_text())
    (entry / "manifest.json").write_text(json.dumps({**content, "bucket": 65}))
    with pytest.warns(UserWarning, match=r"damaged \(vectors_ngrams is \(64, 4\)"):
        assert read_entry(entry, manifest) is None
    assert not entry.exists()


def test_another_version_is_refused(plain, tmp_path):
    entry = tmp_path / "entry"
    write_entry(entry, {**MANIFEST, "layout": "vectors"}, plain)
    with pytest.warns(UserWarning, match="another version of the file"):
        assert read_entry(entry, {**MANIFEST, "layout": "vectors", "key": "d"}) is None
    assert not entry.exists()


def test_discard_removes_the_entry(plain, tmp_path):
    entry = tmp_path / "entry"
    write_entry(entry, {**MANIFEST, "layout": "vectors"}, plain)
    with pytest.warns(UserWarning, match="Rebuilding the vector cache entry .*: why"):
        discard(entry, "why")
    assert list(tmp_path.iterdir()) == []  # no trash left behind either
    with pytest.warns(UserWarning):
        discard(entry, "gone already")  # another process removed it: no error


def test_build_lock_excludes_other_holders(tmp_path):
    fcntl = pytest.importorskip("fcntl")
    folder = tmp_path / "new" / "folder"

    def try_lock():
        with open(folder / ".lock", "a+b") as other:  # another open file
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            fcntl.flock(other, fcntl.LOCK_UN)
            return True

    with build_lock(folder):
        assert folder.is_dir()  # made when missing
        assert not try_lock()
    assert try_lock()


def test_load_vectors_records_format_and_layout(tmp_path, cache_in_tmp, plain):
    path = tmp_path / "v.txt"
    plain.save_word2vec_format(str(path))
    load_vectors(path)
    (manifest,) = cache_in_tmp.glob("vectors-v*/*/*/manifest.json")
    assert manifest.parent.parent.parent.name == f"vectors-v{CACHE_VERSION}"
    content = json.loads(manifest.read_text())
    assert (content["format"], content["layout"]) == ("word2vec-text", "vectors")
    assert content["dtype"] is None and len(content["source_sha256"]) == 64
    assert vectors_entry(cache_in_tmp, {k: content[k] for k in MANIFEST_KEYS}) == (
        manifest.parent
    )


#: The fields ``load_vectors`` puts in a manifest before writing the entry.
MANIFEST_KEYS = (
    "version",
    "source",
    "size",
    "mtime_ns",
    "ctime_ns",
    "inode",
    "sample",
    "limit",
    "binary",
    "format",
    "layout",
    "dtype",
)


def test_remove_superseded(plain, tmp_path):
    root = tmp_path / "cache"
    base = {**MANIFEST, "layout": "vectors", "source": "/v.txt", "size": 1}
    base |= {"mtime_ns": 1, "ctime_ns": 1, "inode": 1, "sample": "s"}
    old = vectors_entry(root, base)
    write_entry(old, base, plain)
    new_manifest = {**base, "size": 2}
    new = vectors_entry(root, new_manifest)
    write_entry(new, new_manifest, plain)
    other_limit = {**new_manifest, "limit": 5}  # same version, read otherwise
    kept = vectors_entry(root, other_limit)
    write_entry(kept, other_limit, plain)
    older_layout = root / f"vectors-v{CACHE_VERSION - 1}" / new.parent.name / "e"
    older_layout.mkdir(parents=True)
    remove_superseded(root, new, new_manifest)
    assert not old.exists() and new.exists() and kept.exists()
    assert not older_layout.parent.exists()


def test_an_entry_of_the_previous_version_is_replaced(tmp_path, cache_in_tmp, plain):
    # An entry as version 4 wrote it: no dtype, no digest of the source file.
    path = tmp_path / "v.txt"
    plain.save_word2vec_format(str(path))
    load_vectors(path)
    (manifest,) = cache_in_tmp.glob(f"vectors-v{CACHE_VERSION}/*/*/manifest.json")
    content = json.loads(manifest.read_text())
    for name in ("dtype", "source_sha256"):
        del content[name]
    manifest.write_text(json.dumps({**content, "version": 4}))
    previous = cache_in_tmp / "vectors-v4"
    (cache_in_tmp / f"vectors-v{CACHE_VERSION}").rename(previous)
    clear_registry()
    parsed = load_counts["parsed"]
    again = load_vectors(path)
    assert load_counts["parsed"] == parsed + 1  # not read as a current entry
    assert again.index_to_key == plain.index_to_key
    assert source_digest(again) == hashlib.sha256(path.read_bytes()).hexdigest()
    assert not list(previous.glob("*/*"))  # deleted with the new entry written
    assert len(list(cache_in_tmp.glob("vectors-v*/*/*/manifest.json"))) == 1
