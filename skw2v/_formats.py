"""The word-vector file formats: one registry entry each.

Each format is a ``VectorFormat``: its name, the
suffixes its files usually have, how it is recognized from a file's first bytes,
the checks run on those bytes before anything large is read, its parser, the
layout of its cache entry (``skw2v/_cache.py``) and, for the formats the
command line can write, how a table is saved in it. ``FORMATS`` holds them in
the order ``detect_format`` tries them; a new
format is one more entry there, plus its tests (``tests/test_formats.py``).

The parsers are gensim's, with every exception it raises on a damaged file
turned into a ``ValueError`` that names the file, the format and the remedy.
"""

from __future__ import annotations

import codecs
import gzip
import mmap
import os
import pickle
import re
import struct
import sys
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from gensim.models import KeyedVectors

from ._vectors import as_keyed_vectors, check_finite
from ._warnings import warn_user

#: First four bytes of a Facebook fastText ``.bin`` model (int32 magic number).
_FASTTEXT_MAGIC = (793712314).to_bytes(4, "little")

#: Bytes read from the start of a file to recognize its format.
_SNIFF_BYTES = 1 << 20

#: Entries checked when sniffing (enough to catch a header with wrong dims).
_SNIFF_ENTRIES = 20


@dataclass(frozen=True)
class Head:
    """The first bytes of a file (decompressed), as the formats recognize it.

    Parameters
    ----------
    path : Path
        The file.
    data : bytes
        Its first ``_SNIFF_BYTES`` bytes, decompressed when it is gzip.
    compressed : bool
        Whether the file is gzip-compressed.
    complete : bool
        Whether ``data`` is the whole (decompressed) file.
    """

    path: Path
    data: bytes
    compressed: bool
    complete: bool

    def lines(self, data: bytes | None = None) -> list[bytes]:
        """Return the non-blank complete lines of ``data`` (default: all of it)."""
        lines = (self.data if data is None else data).split(b"\n")
        if not self.complete:
            lines = lines[:-1]  # the last one may be cut in the middle
        return [line for line in lines if line.strip()]

    def first_line(self, data: bytes) -> bytes | None:
        """Return the first of ``lines(data)``, or None, without splitting the rest.

        Binary rows hold few newlines: splitting a whole head of them into
        lines costs more than the rest of reading a cached table.
        """
        start = 0
        while start < len(data):
            end = data.find(b"\n", start)
            if end < 0:
                last = data[start:]
                return last if self.complete and last.strip() else None
            if data[start:end].strip():
                return data[start:end]
            start = end + 1
        return None

    def header(self) -> tuple[int, int] | None:
        """Return the "count dims" of a first line that is only that, else None."""
        first_line, newline, _ = self.data.partition(b"\n")
        match = re.fullmatch(rb"\s*(\d+)\s+(\d+)\s*", first_line)
        return (int(match[1]), int(match[2])) if match and newline else None

    def body(self) -> bytes:
        """Return what follows the first line."""
        return self.data.partition(b"\n")[2]


def read_head(path: Path) -> Head:
    """Read the first bytes of ``path`` (decompressed when it is gzip)."""
    with open(path, "rb") as fh:
        raw = fh.read(_SNIFF_BYTES)
    if not raw.startswith(b"\x1f\x8b"):
        return Head(path, raw, compressed=False, complete=len(raw) < _SNIFF_BYTES)
    try:
        with gzip.open(path, "rb") as fh:
            data = fh.read(_SNIFF_BYTES)
    except (OSError, EOFError, zlib.error) as exc:
        raise ValueError(
            f"{str(path)!r} looks gzip-compressed but cannot be decompressed "
            f"({exc}); the download is probably incomplete or damaged."
        ) from exc
    return Head(path, data, compressed=True, complete=len(data) < _SNIFF_BYTES)


def _is_float(field: bytes) -> bool:
    try:
        float(field)
    except ValueError:
        return False
    return True


def _looks_like_text(line: bytes) -> bool:
    """Tell whether a line is a word and numbers, as in a text vectors file."""
    fields = line.split()
    return len(fields) >= 2 and all(map(_is_float, fields[1:]))


#: The most a gzip stream expands (deflate's limit is about 1032:1).
_GZIP_MAX_RATIO = 1032


def _check_size(
    path: Path, n_words: int, dims: int, *, binary, compressed, limit
) -> None:
    """Refuse a header whose counts the file is too small to hold.

    Checked before anything is allocated for the announced rows: a row takes
    at least ``4 * dims + 2`` bytes in binary (a one-byte word, a space and the
    floats), ``2 * dims + 2`` in text (a word, a space before each one-digit
    value, a newline).
    """
    n_words = n_words if limit is None else min(n_words, limit)  # rows read
    row_bytes = 4 * dims + 2 if binary else 2 * dims + 2
    available = path.stat().st_size * (_GZIP_MAX_RATIO if compressed else 1)
    if n_words * row_bytes > available:
        raise ValueError(
            f"{str(path)!r} is truncated or its header is wrong: it announces "
            f"{n_words} words of {dims} dimensions, at least "
            f"{n_words * row_bytes:,} bytes, but the file has "
            f"{path.stat().st_size:,}{' (compressed)' if compressed else ''}. "
            "Download it again, or fix the 'count dims' first line."
        )


def _text_entry_ok(line: bytes, dims: int) -> bool:
    fields = line.split()
    return len(fields) == dims + 1 and all(map(_is_float, fields[1:]))


def _check_text_entries(path: Path, lines: list[bytes], dims: int, *, header: bool):
    for number, line in enumerate(lines[:_SNIFF_ENTRIES], start=2 if header else 1):
        n_values = len(line.split()) - 1
        if n_values != dims:
            announced = "its header says" if header else "its first line has"
            raise ValueError(
                f"{str(path)!r}: line {number} has {n_values} values but "
                f"{announced} {dims} dimensions. The file is damaged or not a "
                "word-vector file."
            )


def _check_binary_entries(
    path: Path, body: bytes, n_words: int, dims: int, complete: bool
) -> None:
    """Walk the first entries of a binary file with the header's sizes."""
    position = 0
    for entry in range(min(n_words, _SNIFF_ENTRIES)):
        space = body.find(b" ", position)
        if space < 0:
            if complete:
                _raise_truncated(path, n_words, dims, found=entry)
            return
        word = body[position:space].lstrip(b"\n")
        if not word or any(byte < 32 or byte == 127 for byte in word):
            raise ValueError(
                f"{str(path)!r}: entry {entry + 1} does not start where the header "
                f"({n_words} words x {dims} dimensions) says it should; the header "
                "disagrees with the rows, or this is not a word2vec binary file "
                "(for a text file pass binary=False)."
            )
        position = space + 1 + 4 * dims
        if position > len(body):
            if complete:
                _raise_truncated(path, n_words, dims, found=entry)
            return


def _raise_truncated(path: Path, n_words: int, dims: int, found=None):
    found = "" if found is None else f" (only {found} complete entries)"
    raise ValueError(
        f"{str(path)!r} is truncated or damaged: its header announces {n_words} "
        f"words of {dims} dimensions, but the file ends before that{found}. "
        "Download or copy it again, or pass limit=N to read only the first N words."
    )


# -- recognizing each format, and checking its first entries ------------------------


def _word2vec_binary(head: Head, binary: bool | None) -> bool:
    """Tell whether a file with a header holds binary rows (as ``binary`` says)."""
    if binary is not None:
        return binary
    dims = head.header()[1]
    line = head.first_line(head.body())
    return not (line is not None and _text_entry_ok(line, dims))


def _is_word2vec(head: Head, binary: bool | None, *, binary_rows: bool) -> bool:
    return head.header() is not None and _word2vec_binary(head, binary) == binary_rows


def _check_word2vec(
    head: Head, binary: bool | None, limit: int | None, *, binary_rows: bool
) -> dict:
    """Check the header against the file's size and the first rows against it."""
    path = head.path
    n_words, dims = head.header()
    if n_words == 0 or dims == 0:
        raise ValueError(
            f"The header of {str(path)!r} announces {n_words} words of {dims} "
            "dimensions: the file holds no vectors."
        )
    if binary is None and binary_rows:
        line = head.first_line(head.body())
        if line is not None and _looks_like_text(line):
            lines = head.lines(head.body())
            _check_text_entries(path, lines, dims, header=True)  # says why
    _check_size(
        path,
        n_words,
        dims,
        binary=binary_rows,
        compressed=head.compressed,
        limit=limit,
    )
    if binary_rows:
        _check_binary_entries(path, head.body(), n_words, dims, head.complete)
    else:
        _check_text_entries(path, head.lines(head.body()), dims, header=True)
    return {"n_words": n_words, "dims": dims, "compressed": head.compressed}


def _is_glove(head: Head, binary: bool | None) -> bool:
    lines = head.lines()
    return bool(lines) and _looks_like_text(lines[0])


def _check_glove(head: Head, binary: bool | None, limit: int | None) -> dict:
    if binary:
        raise ValueError(
            f"binary=True, but {str(head.path)!r} is a text file without the "
            "'count dims' header (GloVe style); pass binary=None or False."
        )
    lines = head.lines()
    dims = len(lines[0].split()) - 1
    _check_text_entries(head.path, lines, dims, header=False)
    return {"dims": dims, "compressed": head.compressed}


def _is_fasttext(head: Head, binary: bool | None) -> bool:
    return head.data.startswith(_FASTTEXT_MAGIC)


#: First byte of a Python pickle of protocol 2 and later.
_PICKLE_START = b"\x80"


def _is_gensim(head: Head, binary: bool | None) -> bool:
    return head.data.startswith(_PICKLE_START) and not head.compressed


def _no_checks(head: Head, binary: bool | None, limit: int | None) -> dict:
    return {}  # the parser checks the file's layout


# -- parsing --------------------------------------------------------------------


class _Progress:
    """Show how far a parse has read a file, polling the shared file offset."""

    def __init__(self, fd: int, total: int, label: str):
        self.fd, self.total, self.label = fd, total, label
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.done.set()
        self.thread.join()

    def _run(self) -> None:
        try:
            from tqdm.auto import tqdm
        except ImportError:
            tqdm = None
        bar = (
            tqdm(total=self.total, desc=self.label, unit="B", unit_scale=True)
            if tqdm
            else None
        )
        shown = 0
        while not self.done.wait(0.2 if bar else 2.0):
            position = self._position()
            if bar is not None:
                bar.update(position - bar.n)
            elif position - shown >= self.total / 10:
                shown = position
                print(
                    f"[skw2v] {self.label}: {100 * position / self.total:.0f}%",
                    file=sys.stderr,
                )
        if bar is not None:
            bar.update(self.total - bar.n)
            bar.close()

    def _position(self) -> int:
        try:
            return min(os.lseek(self.fd, 0, os.SEEK_CUR), self.total)
        except OSError:
            return self.total


def _read_gensim(
    fmt: VectorFormat, path: Path, info: dict, *, limit, verbose
) -> KeyedVectors:
    """Load gensim's own file (a pickle), its arrays mapped."""
    try:
        kv = as_keyed_vectors(KeyedVectors.load(str(path), mmap="r"))
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        raise ValueError(
            f"Could not read the gensim file {str(path)!r}: {exc!r}. It is "
            "truncated or damaged, or was saved by an incompatible version."
        ) from exc
    if limit is not None and limit < len(kv):
        small = KeyedVectors(kv.vector_size, count=0, dtype=kv.vectors.dtype)
        small.add_vectors(kv.index_to_key[:limit], kv.vectors[:limit])
        kv = small
    return kv


def _read_fasttext(
    fmt: VectorFormat, path: Path, info: dict, *, limit, verbose
) -> KeyedVectors:
    """Load the word vectors of a Facebook fastText model, n-grams included."""
    if limit is not None:
        raise ValueError(
            "limit cannot be used with a Facebook fastText .bin model (its "
            "subword n-grams belong to the whole vocabulary); load the .vec "
            "file of the same model to keep only the first words."
        )
    from gensim.models.fasttext import load_facebook_vectors

    _check_fasttext(path)
    try:
        kv = load_facebook_vectors(str(path))
        _check_table(path, kv)
        return kv
    except NotImplementedError as exc:
        raise ValueError(
            f"{str(path)!r} is a supervised fastText model (a text classifier), "
            "which gensim cannot read; use the word vectors of an unsupervised "
            f"model, or the .vec file written next to it ({exc})."
        ) from exc
    # gensim asserts the shapes it reads (an AssertionError for a damaged
    # vocabulary or table).
    except (EOFError, ValueError, OSError, AssertionError) as exc:
        raise ValueError(
            f"Could not read the fastText model {str(path)!r}: {exc}. The file "
            "is truncated or damaged."
        ) from exc


def _read_word2vec(
    fmt: VectorFormat,
    path: Path,
    info: dict,
    *,
    limit,
    verbose,
    binary: bool,
    header: bool,
) -> KeyedVectors:
    """Load a word2vec file (binary or text) or a GloVe one (text, no header)."""
    options = {
        "binary": binary,
        "limit": limit,
        "no_header": not header,
        "unicode_errors": _RECORDING_REPLACE,
    }
    del _undecodable[:]
    try:
        if verbose and header and not info["compressed"]:
            fd = os.open(path, os.O_RDONLY)
            try:
                with _Progress(fd, path.stat().st_size, f"loading {path.name}"):
                    kv = KeyedVectors.load_word2vec_format(fd, **options)
            finally:
                os.close(fd)
        else:
            kv = KeyedVectors.load_word2vec_format(str(path), **options)
    except EOFError as exc:
        if not header:
            raise ValueError(f"{str(path)!r} is truncated or damaged.") from exc
        _raise_truncated(path, info["n_words"], info["dims"])
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(
            f"Could not read {str(path)!r} as {fmt.description}: the rows do "
            f"not match the {'header' if header else 'first line'} "
            f"({exc}). The file is damaged, or pass binary=... explicitly."
        ) from exc
    _warn_replaced_characters(path, kv)
    _check_table(path, kv)
    if limit is None and header and not info["compressed"]:
        _check_nothing_left(path, kv, binary=binary)
    return kv


def _check_nothing_left(path: Path, kv: KeyedVectors, *, binary: bool) -> None:
    """Refuse a file that holds more rows than its header announces.

    gensim stops after the announced rows and drops the rest silently. In
    text, the rows are counted by their newlines; in binary, the bytes the
    announced rows take (a word, a space, the floats, and at most one newline
    each) are compared with the file's size.
    """
    size = path.stat().st_size
    with (
        open(path, "rb") as fh,
        mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        header_end = data.find(b"\n") + 1
        if not binary:
            body = data[header_end:].rstrip()
            extra = body.count(b"\n") + 1 - len(kv) if body else 0
        elif _undecodable:  # replaced bytes: the words' sizes are unknown
            return
        else:
            taken = sum(map(len, map(str.encode, kv.index_to_key)))
            taken += len(kv) * (1 + kv.vectors.itemsize * kv.vector_size)
            extra = size - header_end - taken - len(kv)  # a newline per row, at most
    if extra > 0:
        raise ValueError(
            f"{str(path)!r} holds more than the {len(kv)} words its header "
            f"announces{'' if binary else f' ({extra} more rows)'}: "
            "gensim would drop the rest silently. Correct the count in the first "
            "line, or pass limit= to keep only the first words on purpose."
        )


def _check_table(path: Path, kv: KeyedVectors) -> None:
    """Refuse a parsed table with duplicate words or non-finite values."""
    # gensim keeps the first row of a repeated word and leaves a None key in
    # the place of each later one.
    n_repeated = len(kv.index_to_key) - len(kv.key_to_index)
    if n_repeated:
        after = [
            kv.index_to_key[i - 1]
            for i, key in enumerate(kv.index_to_key)
            if key is None and i and kv.index_to_key[i - 1] is not None
        ]
        raise ValueError(
            f"{str(path)!r} holds {n_repeated} rows of words already seen (the "
            f"first just after the row of {after[0]!r}): which vector is meant is "
            "ambiguous. Remove the repeated rows, keeping the first of each."
        )
    check_finite(kv, name=repr(str(path)))


#: Bytes before a fastText model's dictionary: magic and version, 12 int32
#: arguments (dim first; bucket, minn, maxn at 8-10) and a double.
_FASTTEXT_ARGS = struct.Struct("@2i12id")


def _check_fasttext(path: Path) -> None:
    """Walk a fastText ``.bin`` model's layout within the file, before gensim.

    gensim's reader loops forever on a model cut inside its vocabulary (it
    reads empty bytes looking for a word's end) and fails with bare
    assertions elsewhere. Every count is checked here against the bytes that
    remain, so that a damaged model is a ``ValueError`` that says so.
    """
    size = path.stat().st_size

    def damaged(what: str):
        return ValueError(
            f"{str(path)!r} is not a sound fastText model: {what}. The file is "
            "truncated or damaged; download it again."
        )

    with (
        open(path, "rb") as fh,
        mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        if size < _FASTTEXT_ARGS.size + 28:
            raise damaged(f"it ends within its header ({size} bytes)")
        args = _FASTTEXT_ARGS.unpack_from(data, 0)
        dim, bucket, minn, maxn = args[2], args[10], args[11], args[12]
        if dim < 1 or bucket < 0 or not 0 <= minn <= maxn <= 1000:
            raise damaged(f"impossible sizes (dim {dim}, bucket {bucket})")
        position = _FASTTEXT_ARGS.size
        n_entries, n_words, n_labels = struct.unpack_from("@3i", data, position)
        if n_labels > 0:
            return  # a supervised model: gensim refuses it with its own message
        (n_pruned,) = struct.unpack_from("@q", data, position + 20)
        position += 28
        if not 0 <= n_words <= n_entries or n_entries * 10 > size - position:
            raise damaged(f"its dictionary announces {n_entries} words")
        for entry in range(n_entries):  # a word, NUL, int64 count, int8 type
            end = data.find(b"\0", position)
            if end < 0 or end + 10 > size:
                raise damaged(f"it ends within word {entry + 1} of {n_entries}")
            position = end + 10
        position += 8 * max(n_pruned, 0)  # -1: nothing pruned
        for matrix, expected_rows in (("input", n_words + bucket), ("output", None)):
            if position + 17 > size:
                raise damaged(f"it ends before its {matrix} matrix")
            rows, cols = struct.unpack_from("@2q", data, position + 1)
            position += 17 + 4 * max(rows, 0) * max(cols, 0)
            if rows < 0 or cols != dim or position > size:
                raise damaged(f"its {matrix} matrix ({rows} x {cols}) does not fit")
            if expected_rows is not None and rows != expected_rows:
                raise damaged(f"its input matrix has {rows} rows, not {expected_rows}")
        if position != size:
            raise damaged(f"{size - position} bytes follow its last matrix")


#: Name of the decoding error handler that replaces like "replace" and records.
_RECORDING_REPLACE = "skw2v-record-replace"
_undecodable: list[bytes] = []


def _record_and_replace(error: UnicodeDecodeError) -> tuple[str, int]:
    _undecodable.append(error.object)
    return "\ufffd", error.end


codecs.register_error(_RECORDING_REPLACE, _record_and_replace)


def _warn_replaced_characters(path: Path, kv: KeyedVectors) -> None:
    if not _undecodable:
        return
    damaged = [key for key in kv.index_to_key if "\ufffd" in key]
    examples = ", ".join(map(repr, damaged[:3]))
    warn_user(
        f"{len(set(_undecodable))} words in {str(path)!r} contain bytes that are "
        f"not valid UTF-8 (e.g. {examples}); those bytes were replaced with U+FFFD, "
        "as gensim does with unicode_errors='replace'. Such words were usually cut "
        "in the middle of a character, or written in another encoding."
    )
    del _undecodable[:]


# -- saving -------------------------------------------------------------------------


def _save_word2vec(wv: KeyedVectors, path: Path, *, binary: bool) -> None:
    wv.save_word2vec_format(str(path), binary=binary)


def _save_gensim(wv: KeyedVectors, path: Path) -> None:
    wv.save(str(path))


# -- the registry -------------------------------------------------------------------


@dataclass(frozen=True)
class VectorFormat:
    """A word-vector file format: how it is recognized, checked, read and written.

    Parameters
    ----------
    name : str
        Its name, as the command line's ``--format`` spells it.
    description : str
        What it is called in messages ("Could not read FILE as ...").
    suffixes : tuple of str
        The suffixes its files usually have; for a writable format, the output
        suffixes that choose it on the command line.
    recognize : callable
        ``recognize(head, binary)`` tells from the file's first bytes (a
        ``Head``) whether the file is in this format; ``binary`` is the
        caller's ``binary`` argument (None: detect).
    check : callable
        ``check(head, binary, limit)`` checks those bytes before anything large
        is read, raising a ``ValueError`` that says what is wrong, and returns
        what the parser needs to know (a dict).
    parser : callable
        ``parser(fmt, path, info, *, limit, verbose)`` reads the file.
    layout : str or None
        The layout of its cache entry (one of ``skw2v._cache.LAYOUTS``); None
        when its files are never cached (they are mapped as they are).
    save : callable or None, default=None
        ``save(wv, path)`` writes a table in this format; None for the formats
        skw2v only reads.
    """

    name: str
    description: str
    suffixes: tuple[str, ...]
    recognize: Callable[[Head, bool | None], bool]
    check: Callable[[Head, bool | None, int | None], dict]
    parser: Callable[..., KeyedVectors]
    layout: str | None
    save: Callable[[KeyedVectors, Path], None] | None = None

    def parse(self, path: Path, info: dict, *, limit, verbose) -> KeyedVectors:
        """Read ``path``, which ``detect_format`` found in this format."""
        return self.parser(self, path, info, limit=limit, verbose=verbose)

    def __str__(self) -> str:
        return f"{self.description} ({', '.join(self.suffixes)})"


def _word2vec(
    name: str, description: str, suffixes: tuple[str, ...], *, binary: bool
) -> VectorFormat:
    """Return a word2vec format: a "count dims" header, then binary or text rows."""
    return VectorFormat(
        name=name,
        description=description,
        suffixes=suffixes,
        recognize=partial(_is_word2vec, binary_rows=binary),
        check=partial(_check_word2vec, binary_rows=binary),
        parser=partial(_read_word2vec, binary=binary, header=True),
        layout="vectors",
        save=partial(_save_word2vec, binary=binary),
    )


#: Every format, in the order they are tried: the ones with a magic number
#: first, then word2vec's (a "count dims" header), then GloVe (no header).
FORMATS = {
    fmt.name: fmt
    for fmt in (
        VectorFormat(
            name="fasttext",
            description="Facebook fastText binary",
            suffixes=(".bin",),
            recognize=_is_fasttext,
            check=_no_checks,
            parser=_read_fasttext,
            layout="fasttext",
        ),
        VectorFormat(
            name="gensim",
            description="gensim KeyedVectors pickle",
            suffixes=(".kv", ".model"),
            recognize=_is_gensim,
            check=_no_checks,
            parser=_read_gensim,
            layout=None,  # gensim maps its own files
            save=_save_gensim,
        ),
        _word2vec("word2vec-binary", "word2vec binary", (".bin",), binary=True),
        _word2vec("word2vec-text", "word2vec text", (".txt", ".vec"), binary=False),
        VectorFormat(
            name="glove",
            description="GloVe text without a header",
            suffixes=(".txt",),
            recognize=_is_glove,
            check=_check_glove,
            parser=partial(_read_word2vec, binary=False, header=False),
            layout="vectors",
        ),
    )
}

#: The formats a table can be saved in (by ``skw2v train``).
WRITABLE = {name: fmt for name, fmt in FORMATS.items() if fmt.save is not None}


def supported(formats: dict[str, VectorFormat] = FORMATS) -> str:
    """List ``formats`` with their usual suffixes, for messages and help texts.

    Parameters
    ----------
    formats : dict of VectorFormat, default=FORMATS
        The formats to list, in their order.

    Returns
    -------
    str
        One phrase per format, joined by commas.

    Examples
    --------
    >>> from skw2v._formats import WRITABLE, supported
    >>> print(supported(WRITABLE))
    gensim KeyedVectors pickle (.kv, .model), word2vec binary (.bin),
    word2vec text (.txt, .vec)
    """
    return ", ".join(map(str, formats.values()))


def detect_format(
    path, *, binary: bool | None = None, limit: int | None = None
) -> tuple[VectorFormat, dict]:
    """Recognize the format of a file from its first bytes; check its first entries.

    Parameters
    ----------
    path : str or PathLike
        The file.
    binary : bool or None, default=None
        Whether a word2vec file is binary; None detects it.
    limit : int or None, default=None
        How many rows will be read (None: all), for the size checks.

    Returns
    -------
    fmt : VectorFormat
        The first format of ``FORMATS`` that recognizes the file.
    info : dict
        What its checks found (such as the header's counts), for its parser.

    Raises
    ------
    ValueError
        The file is in no known format, or its first entries are damaged.
    """
    head = read_head(Path(os.fspath(path)))
    if head.data.startswith(codecs.BOM_UTF8):
        raise ValueError(
            f"{str(head.path)!r} starts with a UTF-8 byte-order mark, which no "
            "word-vector format has: the file was saved by an editor. Remove its "
            "first 3 bytes (e.g. tail -c +4 FILE > FIXED) and load it "
            "again."
        )
    for fmt in FORMATS.values():
        if fmt.recognize(head, binary):
            return fmt, fmt.check(head, binary, limit)
    raise ValueError(
        f"Could not recognize the format of {str(head.path)!r}. Supported: "
        f"{supported()}; word2vec and GloVe files may also be gzip-compressed. "
        "The file may also be damaged."
    )


def is_pickle(path: Path) -> bool:
    """Tell whether the file is a Python pickle, which only unpickling can read."""
    with open(path, "rb") as fh:
        return fh.read(len(_PICKLE_START)) == _PICKLE_START
