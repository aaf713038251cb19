"""Damaged and lying vector files (``_loading.py``): a clear error, never garbage."""

import gzip
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.test.utils import datapath
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skw2v import load_vectors

LEE_FASTTEXT = datapath("lee_fasttext_new.bin")
WORDS = ["good", "bad", "movie", "film", "great", "awful", "plot", "actor"]


@pytest.fixture(scope="module")
def table():
    rng = np.random.default_rng(0)
    wv = KeyedVectors(vector_size=4)
    wv.add_vectors(WORDS, rng.normal(size=(len(WORDS), 4)).astype(np.float32))
    return wv


@pytest.fixture(scope="module")
def originals(table, tmp_path_factory):
    """Each data format's bytes for the same small table."""
    folder = tmp_path_factory.mktemp("formats")
    table.save_word2vec_format(str(folder / "t.bin"), binary=True)
    table.save_word2vec_format(str(folder / "t.txt"))
    binary = (folder / "t.bin").read_bytes()
    text = (folder / "t.txt").read_bytes()
    return {
        "word2vec-binary": binary,
        "word2vec-text": text,
        "gzip": gzip.compress(binary, mtime=0),
        "glove": text.split(b"\n", 1)[1],
        "fasttext": Path(LEE_FASTTEXT).read_bytes(),
    }


def load(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return load_vectors(path, cache_dir=False)


def test_a_header_announcing_more_rows_than_the_file_holds(tmp_path, originals):
    body = originals["word2vec-binary"].split(b"\n", 1)[1]
    for count in (10**12, 2**31, 9):
        with pytest.raises(ValueError, match=f"announces {count} words"):
            load(tmp_path, f"lying{count}.bin", f"{count} 4\n".encode() + body)
    with pytest.raises(ValueError, match="2000000000 dimensions"):
        load(tmp_path, "wide.txt", b"3 2000000000\na 1 2\n")


def test_a_small_header_that_disagrees_with_text_rows(tmp_path):
    with pytest.raises(ValueError, match="line 2 has 3 values but its header says 2"):
        load(tmp_path, "small.txt", b"1 2\nword 0.1 0.2 0.3\n")


def test_a_byte_order_mark_is_named(tmp_path, originals):
    with pytest.raises(ValueError, match="byte-order mark"):
        load(tmp_path, "bom.txt", b"\xef\xbb\xbf" + originals["word2vec-text"])


@pytest.mark.parametrize("value", [b"nan", b"inf", b"-inf"])
def test_non_finite_values_are_refused_with_a_count(tmp_path, value):
    data = b"3 2\na 1 2\nb " + value + b" 0\nc 0 " + value + b"\n"
    with pytest.raises(ValueError, match=r"2 rows with NaN or infinite.*\['b', 'c'\]"):
        load(tmp_path, "nan.txt", data)


def test_a_repeated_word_is_refused(tmp_path):
    with pytest.raises(ValueError, match="1 rows of words already seen.*'b'"):
        load(tmp_path, "twice.txt", b"3 2\na 1 2\nb 3 4\na 5 6\n")


@pytest.mark.parametrize(
    "fmt", ["word2vec-binary", "word2vec-text", "gzip", "glove", "fasttext"]
)
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@pytest.mark.filterwarnings("ignore:.*not valid UTF-8")
@given(data=st.data())
def test_damaged_bytes_give_a_clear_error_or_a_sound_table(
    fmt, originals, tmp_path, data, draw_damaged
):
    try:
        kv = load(tmp_path, "damaged", draw_damaged(data, originals[fmt], 600))
    except (ValueError, OSError) as exc:
        assert str(exc), "an error without a message"
        return
    # Loaded: then a table that pooling can trust.
    assert len(kv) == len(kv.key_to_index) == len(kv.vectors) > 0
    assert kv.vectors.ndim == 2 and np.isfinite(kv.vectors).all()


@pytest.mark.parametrize("keep", [70, 100, 5000, 60_000, -1000, -1])
def test_a_fasttext_model_cut_anywhere_is_a_clear_error(tmp_path, keep):
    data = Path(LEE_FASTTEXT).read_bytes()[:keep]
    with pytest.raises(ValueError, match="not a sound fastText model"):
        load(tmp_path, "cut.bin", data)


def test_rows_beyond_the_announced_count_are_refused(tmp_path, originals):
    for fmt, name in [("word2vec-text", "more.txt"), ("word2vec-binary", "more.bin")]:
        body = originals[fmt].split(b"\n", 1)[1]
        with pytest.raises(ValueError, match="holds more than the 5 words"):
            load(tmp_path, name, b"5 4\n" + body)
        kv = load_vectors(tmp_path / name, cache_dir=False, limit=5)  # on purpose
        assert kv.index_to_key == WORDS[:5]
    assert len(load(tmp_path, "exact.bin", originals["word2vec-binary"])) == 8
