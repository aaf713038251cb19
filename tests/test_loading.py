"""load_vectors: formats, the per-process registry, the disk cache, bad files."""

import gzip
import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.test.utils import datapath
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.utils._param_validation import InvalidParameterError

from skw2v import load_vectors
from skw2v._loading import clear_registry, load_counts, resolve_cache_dir

POLARITY_VEC = datapath("pang_lee_polarity_fasttext.vec")  # 1694 words x 100
LEE_FASTTEXT = datapath("lee_fasttext_new.bin")  # Facebook fastText, 1763 x 10
SUPERVISED_BIN = datapath("pang_lee_polarity_fasttext.bin")  # a classifier


@pytest.fixture(scope="session")
def reference():
    """The polarity vectors as gensim itself reads them."""
    return KeyedVectors.load_word2vec_format(POLARITY_VEC, unicode_errors="replace")


@pytest.fixture
def files(tmp_path, reference):
    """The same vectors written in each supported format."""
    out = {}
    out["binary"] = tmp_path / "vectors.bin"
    reference.save_word2vec_format(str(out["binary"]), binary=True)
    out["text"] = tmp_path / "vectors.vec"
    reference.save_word2vec_format(str(out["text"]))
    out["gzip"] = tmp_path / "vectors.bin.gz"
    out["gzip"].write_bytes(gzip.compress(out["binary"].read_bytes()))
    out["glove"] = tmp_path / "glove.txt"
    with open(out["text"], "rb") as fh:
        out["glove"].write_bytes(b"".join(fh.readlines()[1:]))
    out["gensim"] = tmp_path / "vectors.kv"
    reference.save(str(out["gensim"]))
    out["noextension"] = tmp_path / "vectors"
    shutil.copy(out["binary"], out["noextension"])
    return out


def assert_same_vectors(kv, reference):
    assert kv.index_to_key == reference.index_to_key
    np.testing.assert_allclose(kv.vectors, reference.vectors, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "fmt", ["binary", "text", "gzip", "glove", "gensim", "noextension"]
)
@pytest.mark.parametrize("cache", [True, False])
def test_every_format_is_detected_and_read(files, reference, fmt, cache):
    kv = load_vectors(
        files[fmt], cache_dir=None if cache else False, allow_pickle=fmt == "gensim"
    )
    assert_same_vectors(kv, reference)


def test_fasttext_bin_gives_vectors_to_unknown_words():
    kv = load_vectors(LEE_FASTTEXT)
    assert len(kv) == 1763 and "government" in kv.key_to_index
    assert "governmentalist" not in kv.key_to_index
    oov = kv.get_vector("governmentalist")
    assert oov.shape == (10,) and np.abs(oov).sum() > 0
    assert not np.allclose(oov, kv.get_vector("cricketers"))
    # A later load maps the cache and keeps the n-grams.
    clear_registry()
    mapped = load_counts["mapped"]
    again = load_vectors(LEE_FASTTEXT)
    assert load_counts["mapped"] == mapped + 1
    np.testing.assert_allclose(again.get_vector("governmentalist"), oov, rtol=1e-6)


def test_limit_keeps_the_first_words(files, reference):
    for fmt in ("binary", "text", "glove", "gensim"):
        kv = load_vectors(files[fmt], limit=10, allow_pickle=fmt == "gensim")
        assert kv.index_to_key == reference.index_to_key[:10]
        np.testing.assert_allclose(kv.vectors, reference.vectors[:10], rtol=1e-5)


def test_in_memory_vectors_are_returned_as_they_are(reference, fitted_vectorizer):
    assert load_vectors(reference) is reference
    assert load_vectors(fitted_vectorizer) is fitted_vectorizer.wv_
    with pytest.raises(ValueError, match="limit applies to vectors read from a file"):
        load_vectors(reference, limit=3)


def test_registry_returns_the_same_object_until_the_file_changes(files, reference):
    path = files["text"]
    first = load_vectors(path)
    assert load_vectors(str(path)) is first
    assert load_vectors(path.parent / ".." / path.parent.name / path.name) is first
    assert load_vectors(path, limit=5) is not first
    # Rewrite the file with different content: a new table, not the old one.
    smaller = KeyedVectors(vector_size=100)
    smaller.add_vectors(reference.index_to_key[:3], reference.vectors[:3] * 2)
    smaller.save_word2vec_format(str(path))
    os.utime(path, ns=(1, 1))
    again = load_vectors(path)
    assert again is not first and len(again) == 3
    np.testing.assert_allclose(again.vectors, reference.vectors[:3] * 2, rtol=1e-5)


def test_second_load_maps_the_cache(files, reference, cache_in_tmp):
    before = load_counts.copy()
    first = load_vectors(files["binary"])
    assert load_counts["parsed"] == before["parsed"] + 1
    clear_registry()
    second = load_vectors(files["binary"])
    assert load_counts["parsed"] == before["parsed"] + 1
    assert load_counts["mapped"] >= before["mapped"] + 1
    assert isinstance(second.vectors, np.memmap)
    assert not second.vectors.flags.writeable
    assert_same_vectors(second, reference)
    assert second.most_similar("good", topn=3) == first.most_similar("good", topn=3)
    entries = list(cache_in_tmp.glob("vectors-v*/*/*/manifest.json"))
    assert len(entries) == 1


def test_cache_disabled_writes_nothing(files, cache_in_tmp):
    load_vectors(files["binary"], cache_dir=False)
    assert not cache_in_tmp.exists()


def test_explicit_cache_dir(files, tmp_path):
    load_vectors(files["binary"], cache_dir=tmp_path / "mine")
    assert list((tmp_path / "mine").glob("vectors-v*/*/*/vectors.npy"))


def test_default_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("SKW2V_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert resolve_cache_dir() == tmp_path / "xdg" / "skw2v"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert resolve_cache_dir() == resolve_cache_dir(True)
    assert resolve_cache_dir().parts[-2:] == (".cache", "skw2v")
    assert resolve_cache_dir(False) is None


@pytest.mark.parametrize(
    "damage, reason",
    [
        ("truncate-vectors", "damaged"),
        ("drop-manifest", "no manifest"),
        ("edit-vocabulary", "checksum"),
        ("edit-index", "checksum of key_rows"),
    ],
)
def test_damaged_cache_entry_is_rebuilt(files, reference, cache_in_tmp, damage, reason):
    load_vectors(files["binary"])
    (entry,) = (p.parent for p in cache_in_tmp.glob("vectors-v*/*/*/manifest.json"))
    if damage == "truncate-vectors":
        data = (entry / "vectors.npy").read_bytes()
        (entry / "vectors.npy").write_bytes(data[: len(data) // 2])
    elif damage == "drop-manifest":
        (entry / "manifest.json").unlink()
    else:
        # One byte of the last word, or of the last row of the index: same size,
        # only the checksum can tell.
        name = "keys.npy" if damage == "edit-vocabulary" else "key_rows.npy"
        data = bytearray((entry / name).read_bytes())
        data[-1] ^= 1
        (entry / name).write_bytes(bytes(data))
    clear_registry()
    parsed = load_counts["parsed"]
    with pytest.warns(UserWarning, match=f"Rebuilding the vector cache.*{reason}"):
        kv = load_vectors(files["binary"])
    assert load_counts["parsed"] == parsed + 1
    assert_same_vectors(kv, reference)
    clear_registry()
    assert_same_vectors(load_vectors(files["binary"]), reference)  # sound again


def test_stale_entry_is_replaced_when_the_file_changes(files, reference, cache_in_tmp):
    load_vectors(files["binary"])
    smaller = KeyedVectors(vector_size=100)
    smaller.add_vectors(reference.index_to_key[:50], reference.vectors[:50])
    smaller.save_word2vec_format(str(files["binary"]), binary=True)
    os.utime(files["binary"], ns=(2, 2))
    clear_registry()
    kv = load_vectors(files["binary"])
    assert len(kv) == 50
    manifests = list(cache_in_tmp.glob("vectors-v*/*/*/manifest.json"))
    assert len(manifests) == 1, "the entry of the old file was not removed"


def test_unwritable_cache_warns_and_still_loads(files, reference, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.warns(UserWarning, match="Could not write the vector cache"):
        kv = load_vectors(files["binary"], cache_dir=blocker)
    assert_same_vectors(kv, reference)


def _run_loader(path, cache, *, start=None):
    code = textwrap.dedent(
        f"""
        import time
        from skw2v import load_vectors
        from skw2v._loading import load_counts
        start = {start!r}
        if start:
            time.sleep(max(0.0, start - time.time()))
        kv = load_vectors({str(path)!r})
        print(len(kv), load_counts["parsed"], load_counts["mapped"])
        """
    )
    env = {**os.environ, "SKW2V_CACHE_DIR": str(cache)}
    return subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True
    )


def test_other_processes_map_the_cache_and_may_build_it_together(files, cache_in_tmp):
    import time

    start = time.time() + 1.0  # both processes begin the build at the same moment
    racers = [_run_loader(files["binary"], cache_in_tmp, start=start) for _ in "ab"]
    outputs = [proc.communicate(timeout=120)[0].split() for proc in racers]
    assert all(proc.returncode == 0 for proc in racers)
    assert all(out[0] == "1694" for out in outputs)
    assert sorted(out[1] for out in outputs) == ["0", "1"], "parsed more than once"
    assert len(list(cache_in_tmp.glob("vectors-v*/*/*/manifest.json"))) == 1
    assert not list(cache_in_tmp.glob("vectors-v*/*/.tmp-*")), "temporary left over"
    later = _run_loader(files["binary"], cache_in_tmp)
    n_words, parsed, mapped = later.communicate(timeout=120)[0].split()
    assert (n_words, parsed, mapped) == ("1694", "0", "1")


def test_progress_is_reported_when_verbose(files, capsys):
    load_vectors(files["binary"], verbose=1, cache_dir=False)
    assert "vectors.bin" in capsys.readouterr().err


# -- bad input -------------------------------------------------------------------


def test_missing_file_is_named(tmp_path):
    missing = tmp_path / "GoogleNews-vectors-negative300.bin"
    with pytest.raises(FileNotFoundError, match="GoogleNews-vectors-negative300.bin"):
        load_vectors(missing)


def test_directory(tmp_path):
    with pytest.raises(IsADirectoryError, match="is a directory; pass the word-vector"):
        load_vectors(tmp_path)


def test_empty_file(tmp_path):
    (tmp_path / "empty.vec").write_bytes(b"")
    with pytest.raises(ValueError, match="is empty"):
        load_vectors(tmp_path / "empty.vec")


def test_unknown_format(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("This is a shopping list,\nnot word vectors.\n")
    with pytest.raises(ValueError, match="Could not recognize the format"):
        load_vectors(path)


def test_corrupted_gzip(files, tmp_path):
    path = tmp_path / "broken.bin.gz"
    path.write_bytes(files["gzip"].read_bytes()[:200])
    with pytest.raises(ValueError, match="cannot be decompressed|truncated"):
        load_vectors(path)


def test_truncated_binary(files, tmp_path):
    path = tmp_path / "truncated.bin"
    data = files["binary"].read_bytes()
    path.write_bytes(data[: len(data) - 1000])
    with pytest.raises(ValueError, match="truncated or damaged: its header announces"):
        load_vectors(path)


def test_truncated_binary_larger_than_the_sniffed_head(tmp_path, reference):
    big = KeyedVectors(vector_size=100)
    n = 3000  # about 1.3 MB, more than the bytes read to detect the format
    big.add_vectors([f"w{i}" for i in range(n)], np.tile(reference.vectors, (2, 1))[:n])
    path = tmp_path / "big.bin"
    big.save_word2vec_format(str(path), binary=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 5000])
    with pytest.raises(ValueError, match="3000 words of 100 dimensions"):
        load_vectors(path)


@pytest.mark.parametrize("fmt", ["binary", "text"])
def test_header_dims_disagree_with_rows(files, tmp_path, fmt):
    data = files[fmt].read_bytes()
    header, _, body = data.partition(b"\n")
    path = tmp_path / f"wrong-dims.{fmt}"
    path.write_bytes(header.replace(b" 100", b" 90") + b"\n" + body)
    with pytest.raises(ValueError, match="header"):
        load_vectors(path, binary=fmt == "binary")


def test_text_rows_disagree_with_glove_first_line(tmp_path):
    path = tmp_path / "ragged.txt"
    path.write_text("good 0.1 0.2 0.3\nbad 0.1 0.2\n")
    with pytest.raises(ValueError, match="line 2 has 2 values"):
        load_vectors(path)


def test_header_without_vectors(tmp_path):
    path = tmp_path / "nothing.vec"
    path.write_text("0 300\n")
    with pytest.raises(ValueError, match="holds no vectors"):
        load_vectors(path)


def test_undecodable_bytes_in_a_real_file_warn(reference):
    # The polarity vectors hold a few words in Latin-1, not UTF-8 ("clich\xe9s").
    with pytest.warns(UserWarning, match="5 words .* not valid UTF-8.*clich"):
        kv = load_vectors(POLARITY_VEC)
    assert "clich\ufffds" in kv.key_to_index
    assert_same_vectors(kv, reference)


def test_undecodable_bytes_in_words_warn(files, tmp_path, reference):
    data = files["text"].read_bytes()
    word = reference.index_to_key[5].encode()
    path = tmp_path / "bad-utf8.vec"
    path.write_bytes(data.replace(b"\n" + word + b" ", b"\n" + word + b"\xff ", 1))
    with pytest.warns(UserWarning, match="1 words .* not valid UTF-8"):
        kv = load_vectors(path)
    assert kv.index_to_key[5] == reference.index_to_key[5] + "\ufffd"
    assert len(kv) == len(reference)


@pytest.mark.parametrize("limit", [0, -3, 2.5])
def test_limit_below_one(files, limit):
    with pytest.raises(InvalidParameterError, match="limit"):
        load_vectors(files["binary"], limit=limit)


@pytest.mark.parametrize("thing", [42, {"good": [1.0, 2.0]}, np.zeros((3, 2))])
def test_object_that_is_not_vectors(thing):
    with pytest.raises(TypeError, match="must be a gensim KeyedVectors"):
        load_vectors(thing)


def test_binary_true_for_glove_text(files):
    with pytest.raises(ValueError, match="binary=True, but"):
        load_vectors(files["glove"], binary=True)


def test_fasttext_with_limit():
    with pytest.raises(ValueError, match="limit cannot be used with a Facebook"):
        load_vectors(LEE_FASTTEXT, limit=10)


def test_supervised_fasttext_model():
    with pytest.raises(ValueError, match="supervised fastText model"):
        load_vectors(SUPERVISED_BIN)


def test_a_file_replaced_with_the_same_size_and_time_is_not_served_stale(tmp_path):
    path = tmp_path / "v.txt"
    path.write_bytes(b"2 2\na 1 2\nb 3 4\n")
    first = load_vectors(path)
    np.testing.assert_array_equal(first["a"], [1, 2])
    stat = path.stat()
    # As cp -p or rsync -a would: other content, same size, same mtime.
    replacement = tmp_path / "new.txt"
    replacement.write_bytes(b"2 2\na 5 6\nb 7 8\n")
    os.utime(replacement, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(replacement, path)
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (
        stat.st_size,
        stat.st_mtime_ns,
    )
    np.testing.assert_array_equal(load_vectors(path)["a"], [5, 6])  # registry
    clear_registry()
    np.testing.assert_array_equal(load_vectors(path)["a"], [5, 6])  # cache


def test_temporaries_of_dead_builds_are_removed(tmp_path, cache_in_tmp):
    import subprocess
    import sys

    import skw2v._cache

    path = tmp_path / "v.txt"
    path.write_bytes(b"2 2\na 1 2\nb 3 4\n")
    load_vectors(path)
    (source_dir,) = cache_in_tmp.glob("vectors-v*/*")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    host = skw2v._cache._HOST
    try:
        temporaries = {
            "dead": source_dir / f".tmp-abc-{host}-{dead}-0000",
            "live": source_dir / f".tmp-abc-{host}-{live.pid}-0000",
            "other host": source_dir / ".tmp-abc-elsewhere-1-0000",
        }
        for folder in temporaries.values():
            folder.mkdir()
            (folder / "vectors.npy").write_bytes(b"0" * 1000)
        path.write_bytes(b"2 2\na 5 6\nb 7 8\n")  # a new version: a new build
        clear_registry()
        load_vectors(path)
        assert not temporaries["dead"].exists()
        assert temporaries["live"].exists() and temporaries["other host"].exists()
    finally:
        live.kill()
        live.wait()


def test_the_sampled_digest_sees_content_that_size_and_times_do_not(tmp_path):
    from skw2v._cache import _sampled_digest

    path = tmp_path / "big.bin"
    data = bytearray(np.random.default_rng(0).bytes(200_000))
    path.write_bytes(data)
    before = _sampled_digest(path, len(data))
    data[0] ^= 1  # the first block is always read
    path.write_bytes(data)
    assert _sampled_digest(path, len(data)) != before
    data[0] ^= 1
    path.write_bytes(data)
    assert _sampled_digest(path, len(data)) == before
    small = tmp_path / "small.txt"
    small.write_bytes(b"1 2\na 1 2\n")  # shorter than a block: read whole
    assert len(_sampled_digest(small, small.stat().st_size)) == 32


# -- tables mapped from the cache: words found without building a dict ----------


@pytest.fixture
def mapped_pair(tmp_path):
    """A cased table with awkward words, in memory and as mapped from the cache."""
    words = ["Paris", "PARIS", "rome", "Rome", "New_York", "is", "big", "Ünïcode"]
    words += ["plumless", "buckeroo"]  # the same CRC-32: a collision
    words += [f"w{i}" for i in range(200)] + ["Zürich", "ZÜRICH", "naïve"]
    rng = np.random.default_rng(0)
    plain = KeyedVectors(vector_size=4)
    plain.add_vectors(words, rng.normal(size=(len(words), 4)).astype(np.float32))
    path = tmp_path / "cased.bin"
    plain.save_word2vec_format(str(path), binary=True)
    load_vectors(path)  # builds the entry
    clear_registry()
    return plain, load_vectors(path), path


def test_a_mapped_table_finds_what_the_dict_finds(mapped_pair):
    from skw2v._vectors import WordTable

    plain, mapped, _ = mapped_pair
    assert isinstance(mapped.vectors, np.memmap)
    asked = ["paris", "PARIS", "pArIs", "ROME", "zürich", "ZÜRICH", "ünïcode"]
    asked += ["plumless", "buckeroo", "PLUMLESS", "w7", "W7", "new", "york", "nope"]
    asked += ["", "\ud800", "naïve", "NAÏVE", "is"]
    lengths = np.array([len(asked) - 5, 5])
    for casings in (False, True):
        ours = WordTable(mapped, casings=casings, max_phrase_words=2)
        theirs = WordTable(plain, casings=casings, max_phrase_words=2)
        assert ours.rows(asked).tolist() == theirs.rows(asked).tolist()
        assert ours.canonical(asked, lengths)[0] == theirs.canonical(asked, lengths)[0]
    assert "_key_to_index" not in vars(mapped), "the lookups built the dict"
    assert WordTable(mapped).rows(["plumless", "buckeroo"]).tolist() == [8, 9]
    # gensim's own view, built on first use, is the same table.
    assert len(mapped) == len(plain)
    assert mapped.index_to_key == plain.index_to_key
    assert mapped.key_to_index == plain.key_to_index
    assert mapped.most_similar("Paris", topn=3) == plain.most_similar("Paris", topn=3)


def test_a_mapped_table_pickles_and_copies_as_a_plain_one(mapped_pair):
    import copy
    import pickle

    plain, mapped, _ = mapped_pair
    for other in (pickle.loads(pickle.dumps(mapped)), copy.copy(mapped)):
        assert type(other) is KeyedVectors
        assert other.key_to_index == plain.key_to_index
        np.testing.assert_array_equal(other.vectors, plain.vectors)
    assert b"skw2v" not in pickle.dumps(mapped)  # loads without skw2v


def test_a_mapped_table_changed_by_gensim_drops_its_index(mapped_pair):
    from skw2v._vectors import WordTable

    plain, mapped, _ = mapped_pair
    mapped.add_vectors(["added", "Paris2"], np.ones((2, 4), np.float32))
    assert WordTable(mapped, casings=True).rows(["added", "paris2"]).tolist() == [
        len(plain),
        len(plain) + 1,
    ]
    # A vocabulary put in place (as evaluate_word_analogies does for a moment).
    _, remapped, path = mapped_pair
    clear_registry()
    remapped = load_vectors(path)
    remapped.key_to_index = {"rome": 2}
    assert WordTable(remapped).rows(["rome", "is"]).tolist() == [2, -1]
    assert remapped.index_to_key == plain.index_to_key


def test_entries_of_older_layouts_are_removed(mapped_pair, cache_in_tmp):
    _, _, path = mapped_pair
    (manifest,) = cache_in_tmp.glob("vectors-v*/*/*/manifest.json")
    source = manifest.parent.parent.name
    old = cache_in_tmp / "vectors-v2" / source / "0123"
    old.mkdir(parents=True)
    (old / "keys.json").write_text("[]")
    manifest.unlink()
    clear_registry()
    with pytest.warns(UserWarning, match="no manifest"):
        load_vectors(path)  # rebuilt
    assert not (cache_in_tmp / "vectors-v2" / source).exists()


@pytest.mark.filterwarnings("ignore:Rebuilding the vector cache entry")
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_a_damaged_entry_is_rebuilt_or_sound(mapped_pair, cache_in_tmp, data):
    from skw2v._vectors import WordTable

    plain, _, path = mapped_pair
    clear_registry()
    load_vectors(path)  # an entry, sound or rebuilt by the last example
    entry = next(cache_in_tmp.glob("vectors-v*/*/*/manifest.json")).parent
    files = sorted(p for p in entry.iterdir() if p.name != "vectors.npy")
    damaged = data.draw(st.sampled_from(files), label="file")
    raw = bytearray(damaged.read_bytes())
    # Positions drawn independently of the sizes (the manifest's varies).
    for _ in range(data.draw(st.integers(1, 3), label="bytes changed")):
        offset = data.draw(st.integers(0, 2**20), label="offset") % len(raw)
        raw[offset] = data.draw(st.integers(0, 255), label="byte")
    per_mille = data.draw(st.integers(0, 1100), label="per mille kept")
    damaged.write_bytes(bytes(raw[: len(raw) * per_mille // 1000]))
    clear_registry()
    kv = load_vectors(path)
    words = plain.index_to_key + ["paris", "ZÜRICH", "absent"]
    expected = WordTable(plain, casings=True).rows(words)
    np.testing.assert_array_equal(WordTable(kv, casings=True).rows(words), expected)
    np.testing.assert_array_equal(kv.vectors, plain.vectors)
