"""The registry of file formats (``skw2v/_formats.py``): each entry, end to end."""

from pathlib import Path

import hypothesis.strategies as st
import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.models.fasttext import save_facebook_model
from hypothesis import given

from skw2v import clear_registry, load_vectors
from skw2v._cache import LAYOUTS
from skw2v._cli import FORMAT_BY_SUFFIX, _build_parser, main
from skw2v._formats import FORMATS, WRITABLE, Head, detect_format, read_head

WORDS = ["good", "bad", "movie", "naïve", "plot"]
VALUES = np.array(
    [[0.5, -1.25], [-0.5, 1.25], [2.0, 0.0], [0.125, 4.0], [-3.0, -0.75]],
    dtype=np.float32,
)


@pytest.fixture(scope="module")
def table():
    wv = KeyedVectors(vector_size=2)
    wv.add_vectors(WORDS, VALUES)
    return wv


def _write_fasttext(table, model, path):
    save_facebook_model(model, str(path))


#: How each format's file is written here, without skw2v: one per registry
#: entry (a new format needs its writer, see the test below).
WRITERS = {
    "fasttext": _write_fasttext,
    "gensim": lambda table, model, path: table.save(str(path)),
    "word2vec-binary": lambda table, model, path: table.save_word2vec_format(
        str(path), binary=True
    ),
    "word2vec-text": lambda table, model, path: table.save_word2vec_format(str(path)),
    "glove": lambda table, model, path: table.save_word2vec_format(
        str(path), write_header=False
    ),
}


@pytest.fixture
def written(request, tmp_path, table, tiny_fasttext):
    """The format's name, and a file of it with a suffix that says nothing."""
    name = request.param
    path = tmp_path / "vectors.dat"
    WRITERS[name](table, tiny_fasttext, path)
    return name, path


def test_every_format_has_a_writer_here_and_a_known_layout():
    assert set(WRITERS) == set(FORMATS)
    layouts = {name: fmt.layout for name, fmt in FORMATS.items()}
    assert layouts == {
        "fasttext": "fasttext",
        "gensim": None,
        "word2vec-binary": "vectors",
        "word2vec-text": "vectors",
        "glove": "vectors",
    }
    # and the int8 tables (dtype="int8") of the formats of the "vectors" layout,
    # and trained Doc2Vec models (memory=)
    assert set(layouts.values()) - {None} | {"quantized", "doc2vec"} == set(LAYOUTS)


@pytest.mark.parametrize("written", list(FORMATS), indirect=True)
def test_the_format_is_recognized_from_the_bytes(written):
    name, path = written
    fmt, info = detect_format(path)
    assert fmt is FORMATS[name]
    # No format tried earlier claims the file: the order is not what saves it.
    head = read_head(path)
    claimed = [other.name for other in FORMATS.values() if other.recognize(head, None)]
    assert claimed[0] == name
    if name.startswith("word2vec"):
        assert (info["n_words"], info["dims"]) == (len(WORDS), 2)
    if name == "glove":
        assert info["dims"] == 2


@pytest.mark.parametrize("written", list(FORMATS), indirect=True)
def test_round_trip_through_load_vectors(written, table, tiny_fasttext, cache_in_tmp):
    name, path = written
    expected = tiny_fasttext.wv if name == "fasttext" else table
    for attempt in ("parsed", "mapped"):
        clear_registry()
        kv = load_vectors(path, allow_pickle=name == "gensim")
        assert kv.index_to_key == expected.index_to_key, attempt
        np.testing.assert_array_equal(kv.vectors, expected.vectors)
        if name == "fasttext":  # n-grams: a vector for a word never seen
            np.testing.assert_allclose(kv["goodish"], expected["goodish"], rtol=1e-6)
    entries = list(cache_in_tmp.glob("vectors-v*/*/*/manifest.json"))
    if FORMATS[name].layout is None:
        assert not entries  # gensim maps its own files
    else:
        assert isinstance(kv.vectors, np.memmap)  # the second load mapped
        assert len(entries) == 1


@pytest.mark.parametrize("name", list(WRITABLE))
def test_a_saved_table_reads_back_in_its_format(name, table, tmp_path):
    path = tmp_path / f"out{WRITABLE[name].suffixes[0]}"
    WRITABLE[name].save(table, path)
    assert detect_format(path)[0].name == name
    kv = load_vectors(path, allow_pickle=name == "gensim", cache_dir=False)
    assert kv.index_to_key == WORDS
    np.testing.assert_array_equal(kv.vectors, VALUES)


def test_the_writable_formats_are_those_with_a_save():
    assert list(WRITABLE) == ["gensim", "word2vec-binary", "word2vec-text"]
    assert FORMATS["fasttext"].save is None and FORMATS["glove"].save is None


def _train_format_action():
    parser = _build_parser()
    (commands,) = (a for a in parser._actions if a.dest == "command")
    train = commands.choices["train"]
    (action,) = (a for a in train._actions if a.dest == "format")
    return action


def test_the_cli_choices_are_the_writable_formats():
    action = _train_format_action()
    assert tuple(action.choices) == tuple(WRITABLE)
    for fmt in WRITABLE.values():
        assert "/".join(fmt.suffixes) in action.help
    # Each output suffix picks a writable format; fastText's .bin is not one.
    assert FORMAT_BY_SUFFIX == {
        ".kv": "gensim",
        ".model": "gensim",
        ".bin": "word2vec-binary",
        ".txt": "word2vec-text",
        ".vec": "word2vec-text",
    }


def test_the_cli_refuses_a_format_it_cannot_write(capsys, tmp_path):
    argv = ["train", str(tmp_path), "-o", str(tmp_path / "x"), "--format", "glove"]
    assert main(argv) == 2
    assert "invalid choice: 'glove'" in capsys.readouterr().err


def test_the_messages_list_every_format(tmp_path, capsys):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"just some words\nand more words\n")
    with pytest.raises(ValueError, match="Could not recognize the format") as info:
        load_vectors(path)
    assert main(["similar", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    for fmt in FORMATS.values():
        assert fmt.description in str(info.value)
        assert fmt.description in help_text


def test_a_parse_error_names_the_format(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes(b"2 2\na 1 2\nb 3 x\n")
    with pytest.raises(ValueError, match="as word2vec text: the rows"):
        load_vectors(path, cache_dir=False)


@given(
    st.lists(st.sampled_from([b"", b" ", b"\n", b"word 1 2", b"\xff\x00"]), max_size=8),
    st.booleans(),
)
def test_first_line_is_the_first_of_the_lines(pieces, complete):
    data = b"".join(pieces)
    head = Head(Path("vectors.bin"), data, compressed=False, complete=complete)
    lines = head.lines(data)
    assert head.first_line(data) == (lines[0] if lines else None)
