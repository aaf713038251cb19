"""``LineCorpus`` (``skw2v/_corpus.py``): documents streamed from text files."""

import gzip
import pickle

import pytest

import skw2v._corpus
from skw2v import LineCorpus


def test_one_document_per_line_blank_lines_skipped(tmp_path):
    path = tmp_path / "reviews.txt"
    path.write_bytes(b"A gripping film.\r\n\r\n   \nDull, and long.\nno newline at end")
    assert list(LineCorpus(path)) == [
        "A gripping film.",
        "Dull, and long.",
        "no newline at end",
    ]


def test_every_pass_reads_the_files_again(tmp_path):
    path = tmp_path / "reviews.txt"
    path.write_text("one\ntwo\n")
    corpus = LineCorpus(path)
    assert list(corpus) == list(corpus) == ["one", "two"]
    path.write_text("three\n")  # a later pass sees the file as it is then
    assert list(corpus) == ["three"]


def test_a_directory_is_read_recursively_in_name_order_hidden_files_left_out(
    tmp_path,
):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("b2\n")
    (tmp_path / "a.txt").write_text("a\n")
    with gzip.open(tmp_path / "b" / "1.txt.gz", "wt", encoding="utf-8") as f:
        f.write("b1 compressed\n")
    (tmp_path / ".hidden.txt").write_text("hidden\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("hidden too\n")
    corpus = LineCorpus(tmp_path)
    assert list(corpus) == ["a", "b1 compressed", "b2"]
    assert [f.name for f in corpus.files] == ["a.txt", "1.txt.gz", "2.txt"]
    assert repr(corpus) == f"LineCorpus({str(tmp_path)!r}, 3 files)"


def test_encodings(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffclichés\n".encode())  # a byte-order mark is dropped
    assert list(LineCorpus(path)) == ["clichés"]
    latin = tmp_path / "latin.txt"
    latin.write_bytes("fine\nclichés\n".encode("latin-1"))
    assert list(LineCorpus(latin, encoding="latin-1")) == ["fine", "clichés"]
    with pytest.raises(ValueError, match=r"not UTF-8 text \(line 2, byte 6.*latin"):
        list(LineCorpus(latin))
    with pytest.raises(ValueError, match="unknown text encoding 'klingon'"):
        LineCorpus(latin, encoding="klingon")


def test_missing_paths_and_empty_directories_are_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="corpus not found"):
        LineCorpus(tmp_path / "missing.txt")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="contains no file"):
        LineCorpus(tmp_path / "empty")


def test_a_line_too_long_to_hold_is_refused_not_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(skw2v._corpus, "MAX_LINE_CHARACTERS", 100)
    path = tmp_path / "one-line.txt"
    path.write_text("short\n" + "word " * 1000)  # a file without line breaks
    corpus = iter(LineCorpus(path))
    assert next(corpus) == "short"
    with pytest.raises(ValueError, match="line 2 of .* longer than 100 characters"):
        next(corpus)


def test_a_corpus_pickles_as_its_path(tmp_path):
    path = tmp_path / "reviews.txt"
    path.write_text("one\ntwo\n")
    copy = pickle.loads(pickle.dumps(LineCorpus(path)))
    assert list(copy) == ["one", "two"] and len(pickle.dumps(copy)) < 500
