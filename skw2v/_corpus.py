"""``LineCorpus``: documents streamed from text files, one per line."""

from __future__ import annotations

import codecs
import gzip
import os
from collections.abc import Iterator
from pathlib import Path

#: The longest line read, in characters: a longer line (a file without line
#: breaks, say) would have to be held whole in memory as one document.
MAX_LINE_CHARACTERS = 2**26


def _find_files(path: Path) -> list[Path]:
    """Return the files of a corpus: ``path`` itself, or a directory's, in order."""
    if not path.exists():
        raise FileNotFoundError(f"corpus not found: {str(path)!r}")
    if path.is_file():
        return [path]
    files = sorted(
        p
        for p in path.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )
    if not files:
        raise ValueError(f"corpus directory {str(path)!r} contains no file")
    return files


def _open(file: Path, mode: str, **kwargs):
    """Open a corpus file, decompressing it if its name ends in ``.gz``."""
    return (gzip.open if file.suffix == ".gz" else open)(file, mode, **kwargs)


class LineCorpus:
    r"""Raw-text documents read from text files, one document per line.

    A corpus that streams from disk: every pass over it reads the files again,
    so a corpus larger than memory can train word vectors, be pooled, or feed
    the weighting statistics, with memory that does not grow with it. Every
    skw2v estimator's ``fit`` and ``transform`` take it where they take a list
    of documents (``Word2VecVectorizer`` reads it once to count the words, then
    once per epoch).

    Blank lines are skipped, the end of each line is removed, and files whose
    name ends in ``.gz`` are decompressed as they are read.

    Parameters
    ----------
    path : str or PathLike
        A text file, or a directory whose files (recursively, in name order,
        hidden files and folders left out) are read one after the other.
    encoding : str, default="utf-8"
        The files' text encoding. With ``"utf-8"`` a byte-order mark at the
        start of a file is dropped.

    Attributes
    ----------
    files : list of Path
        The files read, in the order they are read.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If ``path`` is a directory with no file in it, or ``encoding`` is not
        a known text encoding.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skw2v import LineCorpus
    >>> folder = Path(tempfile.mkdtemp())
    >>> text = "A gripping film.\n\nDull, and long.\n"
    >>> _ = (folder / "reviews.txt").write_text(text)
    >>> corpus = LineCorpus(folder)
    >>> list(corpus)
    ['A gripping film.', 'Dull, and long.']
    >>> corpus
    LineCorpus('...', 1 file)
    """

    def __init__(self, path: str | os.PathLike, *, encoding: str = "utf-8"):
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ValueError(
                f"unknown text encoding {encoding!r}; use a name that Python's "
                "codecs know, such as 'utf-8' or 'latin-1'."
            ) from None
        self.path = Path(path)
        self.encoding = encoding
        self.files = _find_files(self.path)

    @property
    def _utf8(self) -> bool:
        return codecs.lookup(self.encoding).name == "utf-8"

    def __iter__(self) -> Iterator[str]:
        encoding = "utf-8-sig" if self._utf8 else self.encoding
        for file in self.files:
            with _open(file, "rt", encoding=encoding) as text:
                lines = iter(lambda: text.readline(MAX_LINE_CHARACTERS + 1), "")
                try:
                    for number, line in enumerate(lines, start=1):
                        if len(line) > MAX_LINE_CHARACTERS:
                            raise ValueError(
                                f"line {number} of {file} is longer than "
                                f"{MAX_LINE_CHARACTERS:,} characters; a LineCorpus "
                                "holds one document per line: break the text "
                                "into lines (documents) first."
                            )
                        if not line.isspace():
                            yield line.rstrip("\n")
                except UnicodeDecodeError as exc:
                    raise ValueError(self._decoding_error(file, exc)) from None

    def _decoding_error(self, file: Path, exc: UnicodeDecodeError) -> str:
        """Say where ``file`` stops being text in this corpus' encoding."""
        where = f"{exc.reason}"
        with _open(file, "rb") as raw:  # find the line, for the message
            for number, line in enumerate(raw, start=1):
                try:
                    line.decode(self.encoding)
                except UnicodeDecodeError as bad:
                    where = f"line {number}, byte {bad.start + 1}: {bad.reason}"
                    break
        return (
            f"{file} is not {'UTF-8' if self._utf8 else self.encoding} text "
            f"({where}); pass its encoding "
            "(LineCorpus(path, encoding='latin-1')) or convert it first, e.g. "
            "with iconv -f latin1 -t utf-8"
        )

    def __repr__(self) -> str:
        n_files = len(self.files)
        return f"LineCorpus({str(self.path)!r}, {n_files} file{'s' * (n_files != 1)})"
