"""Loading pretrained word vectors once per process, and mapping them afterwards.

[`load_vectors`][skw2v.load_vectors] reads every common word-vector file format,
detected from the file's bytes rather than its name. Two layers keep a big table (the
Google News vectors are 3.6 GB) from being read more than once:

1. a per-process **registry**, keyed by the resolved file and its size,
   modification time, ``limit`` and ``binary``: every later request in the
   process (every clone in a grid search) gets the very same object back;
2. an on-disk **cache**: the first parse writes the table as a ``.npy`` file
   plus its vocabulary; later loads, in any process (such as the joblib workers
   of ``GridSearchCV(n_jobs=2)``), map that file read-only instead of parsing.
   Mapped pages are shared by all processes through the operating system.

Cache entries are written in a temporary directory and renamed into place,
with a small manifest written last, so a reader never sees half an entry and
two processes building the same entry at once do not disturb each other. A
damaged entry (missing manifest, wrong sizes, vocabulary checksum mismatch) or
a stale one (the source file changed) is detected and rebuilt.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import mmap
import os
import pickle
import re
import shutil
import socket
import struct
import sys
import threading
import time
import uuid
import zlib
from collections import Counter
from contextlib import contextmanager
from numbers import Integral
from pathlib import Path

import numpy as np
from gensim.models import KeyedVectors

from ._compat import Interval, validate_params
from ._mapped import (
    ENTRY_KEY_ARRAYS,
    MappedEntry,
    MappedFastTextKeyedVectors,
    MappedKeyedVectors,
    attach,
    entry_arrays,
)
from ._vectors import as_keyed_vectors, casing_aliases, check_finite, known_finite
from ._warnings import warn_user

#: Bumped whenever the layout of a cache entry changes.
CACHE_VERSION = 3  # 2: fastText entries are data (npy + JSON), never pickles;
# 3: the words as one text with offsets, and lookup indexes (skw2v/_mapped.py)

#: First four bytes of a Facebook fastText ``.bin`` model (int32 magic number).
_FASTTEXT_MAGIC = (793712314).to_bytes(4, "little")

#: Bytes read from the start of a file to recognize its format.
_SNIFF_BYTES = 1 << 20

#: Entries checked when sniffing (enough to catch a header with wrong dims).
_SNIFF_ENTRIES = 20

_FORMAT_NAMES = {
    "word2vec-binary": "word2vec binary",
    "word2vec-text": "word2vec text",
    "glove": "GloVe text (no header)",
    "fasttext": "Facebook fastText binary",
    "gensim": "gensim KeyedVectors (pickle)",
}

_registry: dict[tuple, KeyedVectors] = {}
_registry_lock = threading.Lock()

#: How often this process parsed a file, mapped a cache entry or reused the
#: registry; read by the tests and the benchmark.
load_counts: Counter = Counter()


def _count(event: str, path: Path) -> None:
    """Count a load event; also log it to ``$SKW2V_LOAD_LOG`` when that is set.

    The log (one line per event: process id, event, file) shows which
    processes of a parallel grid search parsed a file and which mapped it.
    """
    load_counts[event] += 1
    log = os.environ.get("SKW2V_LOAD_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {event} {path}\n")


# -- where the cache lives ----------------------------------------------------------


def resolve_cache_dir(cache_dir=None) -> Path | None:
    """Return the cache directory to use, or None when caching is disabled.

    ``None`` (or ``True``) means the per-user default: ``$SKW2V_CACHE_DIR``,
    else ``$XDG_CACHE_HOME/skw2v``, else ``~/.cache/skw2v``. ``False`` disables
    the cache; any other value is the directory itself.
    """
    if cache_dir is False:
        return None
    if cache_dir is None or cache_dir is True:
        if os.environ.get("SKW2V_CACHE_DIR"):
            return Path(os.environ["SKW2V_CACHE_DIR"]).expanduser()
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
        return base / "skw2v"
    return Path(os.fspath(cache_dir)).expanduser()


# -- public entry point ----------------------------------------------------------------


@validate_params(
    {
        "vectors": "no_validation",  # checked below with a clear message
        "binary": ["boolean", None],
        "limit": [Interval(Integral, 1, None, closed="left"), None],
        "cache_dir": [str, os.PathLike, "boolean", None],
        "allow_pickle": ["boolean"],
        "verbose": ["verbose"],
    },
    prefer_skip_nested_validation=True,
)
def load_vectors(
    vectors,
    *,
    binary=None,
    limit=None,
    cache_dir=None,
    allow_pickle=False,
    verbose=0,
):
    """Load word vectors from a file (once per process) or accept loaded ones.

    The format is detected from the file's bytes: word2vec binary (also
    gzip-compressed), word2vec text with its "count dims" header (``.txt``,
    ``.vec``), GloVe text without a header, gensim's own saved ``KeyedVectors``
    and Facebook fastText ``.bin`` models (whose subword n-grams give vectors to
    words they never saw). A local path never touches the network.

    Loading the same unchanged file again in the same process returns the same
    object. The first parse also writes a memory-mappable copy to the cache, so
    that other processes map it in a fraction of the parse time.

    Parameters
    ----------
    vectors : str, PathLike, KeyedVectors, gensim model or fitted skw2v estimator
        A file, or vectors already in memory (returned as they are, not copied).
        A fitted ``pyspark.ml.feature.Word2VecModel`` is collected to the
        driver (in the model's order of words).
    binary : bool or None, default=None
        Whether a word2vec file is binary; None detects it.
    limit : int or None, default=None
        Keep only the first ``limit`` words of a word2vec or GloVe file (the
        most frequent ones, in the usual files), as gensim's ``limit`` does.
    cache_dir : str, PathLike, bool or None, default=None
        Where the memory-mappable copies are kept. None (or True) means
        ``$SKW2V_CACHE_DIR``, else ``$XDG_CACHE_HOME/skw2v``, else
        ``~/.cache/skw2v``; False disables the cache.
    allow_pickle : bool, default=False
        Whether a Python pickle (gensim's ``.save()`` files, ``.model``,
        ``.kv``) may be loaded. Unpickling runs whatever code the file holds,
        so by default such a file is refused, whatever its name; the data
        formats (word2vec, GloVe, fastText) never unpickle anything, and
        neither does the cache. As ``allow_pickle`` of ``numpy.load``.
    verbose : int, default=0
        Report progress while parsing a file (a tqdm bar when installed).

    Returns
    -------
    KeyedVectors
        The word vectors. Vectors mapped from the cache are read-only.

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    IsADirectoryError
        The path is a directory.
    ValueError
        The file is empty, truncated, inconsistent or of an unknown format.
    TypeError
        ``vectors`` is neither a path nor word vectors.

    Notes
    -----
    gensim's own ``.model``/``.kv`` files are pickles: loading one runs code
    stored in it, so they load only with ``allow_pickle=True``, for files from
    sources you trust. Converting such a file once to word2vec format
    (``save_word2vec_format``) removes the question.

    Examples
    --------
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> from skw2v import load_vectors
    >>> wv = KeyedVectors(vector_size=2)
    >>> wv.add_vectors(["good", "bad"], np.array([[1.0, 0.0], [-1.0, 0.0]]))
    >>> path = getfixture("tmp_path") / "tiny.txt"
    >>> wv.save_word2vec_format(str(path))
    >>> loaded = load_vectors(path, cache_dir=False)
    >>> loaded.index_to_key, loaded["bad"]
    (['good', 'bad'], array([-1.,  0.], dtype=float32))
    >>> load_vectors(path, cache_dir=False) is loaded  # loaded once per process
    True
    """
    if not isinstance(vectors, (str, os.PathLike)):
        if limit is not None:
            raise ValueError(
                "limit applies to vectors read from a file; for vectors already "
                "in memory, pass the words you want to keep instead."
            )
        if type(vectors).__name__ == "Word2VecModel" and hasattr(vectors, "getVectors"):
            from ._spark import keyed_vectors_from_model  # pyspark, only if used

            return keyed_vectors_from_model(vectors)
        return as_keyed_vectors(vectors)
    path = _check_path(vectors)
    if not allow_pickle and _is_pickle(path):
        raise ValueError(
            f"{str(path)!r} is a Python pickle (the format of gensim's .save()): "
            "loading it runs whatever code it holds, so skw2v opens pickles only "
            "when told to. If you trust this file, pass allow_pickle=True (on the "
            "command line: --allow-pickle); better, convert it once to a data "
            "format, e.g. KeyedVectors.load(path).save_word2vec_format("
            "'vectors.bin', binary=True)."
        )
    stat = path.stat()
    key = (str(path.resolve()), *_version_of(path, stat), limit, binary)
    with _registry_lock:
        if key in _registry:
            _count("registry", path)
            return _registry[key]
        kv = _load_file(path, stat, key, cache_dir=cache_dir, verbose=verbose)
        _registry[key] = kv
        return kv


def clear_registry() -> None:
    """Forget every table loaded in this process (the cache on disk stays)."""
    with _registry_lock:
        _registry.clear()


def file_fingerprint(path) -> dict:
    """Describe a file by its size and a checksum of its first and last MiB.

    Unlike the modification time, this survives copying the file to another
    machine, so a pickled estimator can check that it finds the same vectors.
    """
    path = Path(os.fspath(path))
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with open(path, "rb") as fh:
        digest.update(fh.read(1 << 20))
        if size > 2 << 20:
            fh.seek(-(1 << 20), os.SEEK_END)
            digest.update(fh.read())
    return {"size": size, "sha256_ends": digest.hexdigest()}


# -- checking the path and recognizing the format -----------------------------------


def _check_path(vectors) -> Path:
    path = Path(os.fspath(vectors)).expanduser()
    if not path.exists():
        raise FileNotFoundError(
            f"Word-vector file not found: {str(path)!r}. Check the path (it is "
            f"relative to the working directory {os.getcwd()!r})."
        )
    if path.is_dir():
        raise IsADirectoryError(
            f"{str(path)!r} is a directory; pass the word-vector file inside it "
            "(e.g. a .bin, .txt, .vec or .kv file)."
        )
    if path.stat().st_size == 0:
        raise ValueError(f"Word-vector file {str(path)!r} is empty (0 bytes).")
    return path


def _read_head(path: Path) -> tuple[bytes, bool, bool]:
    """Return the first bytes (decompressed), whether gzip, whether all of it."""
    with open(path, "rb") as fh:
        raw = fh.read(_SNIFF_BYTES)
    if not raw.startswith(b"\x1f\x8b"):
        return raw, False, len(raw) < _SNIFF_BYTES
    try:
        with gzip.open(path, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
            complete = len(head) < _SNIFF_BYTES
    except (OSError, EOFError, zlib.error) as exc:
        raise ValueError(
            f"{str(path)!r} looks gzip-compressed but cannot be decompressed "
            f"({exc}); the download is probably incomplete or damaged."
        ) from exc
    return head, True, complete


def _is_float(field: bytes) -> bool:
    try:
        float(field)
    except ValueError:
        return False
    return True


def _complete_lines(head: bytes, complete: bool) -> list[bytes]:
    lines = head.split(b"\n")
    if not complete:
        lines = lines[:-1]  # the last one may be cut in the middle
    return [line for line in lines if line.strip()]


def _detect_format(
    path: Path, binary: bool | None, limit: int | None = None
) -> tuple[str, dict]:
    """Recognize the format from the file's first bytes; check its first entries."""
    head, compressed, complete = _read_head(path)
    if head.startswith(codecs.BOM_UTF8):
        raise ValueError(
            f"{str(path)!r} starts with a UTF-8 byte-order mark, which no "
            "word-vector format has: the file was saved by an editor. Remove its "
            "first 3 bytes (e.g. tail -c +4 FILE > FIXED) and load it "
            "again."
        )
    if head.startswith(_FASTTEXT_MAGIC):
        return "fasttext", {}
    if head.startswith(b"\x80") and not compressed:
        return "gensim", {}
    first_line, newline, rest = head.partition(b"\n")
    header = re.fullmatch(rb"\s*(\d+)\s+(\d+)\s*", first_line)
    if header and newline:
        n_words, dims = map(int, header.groups())
        if n_words == 0 or dims == 0:
            raise ValueError(
                f"The header of {str(path)!r} announces {n_words} words of {dims} "
                "dimensions: the file holds no vectors."
            )
        info = {"n_words": n_words, "dims": dims, "compressed": compressed}
        lines = _complete_lines(rest, complete)
        if binary is None:
            binary = not (lines and _text_entry_ok(lines[0], dims))
            if binary and lines and _looks_like_text(lines[0]):
                _check_text_entries(path, lines, dims, header=True)  # says why
        _check_size(
            path, n_words, dims, binary=binary, compressed=compressed, limit=limit
        )
        if binary:
            _check_binary_entries(path, rest, n_words, dims, complete)
            return "word2vec-binary", info
        _check_text_entries(path, _complete_lines(rest, complete), dims, header=True)
        return "word2vec-text", info
    lines = _complete_lines(head, complete)
    fields = lines[0].split() if lines else []
    if len(fields) >= 2 and all(map(_is_float, fields[1:])):
        if binary:
            raise ValueError(
                f"binary=True, but {str(path)!r} is a text file without the "
                "'count dims' header (GloVe style); pass binary=None or False."
            )
        _check_text_entries(path, lines, len(fields) - 1, header=False)
        return "glove", {"dims": len(fields) - 1}
    raise ValueError(
        f"Could not recognize the format of {str(path)!r}. Supported: word2vec "
        "binary (optionally .gz), word2vec text with a 'count dims' header "
        "(.txt/.vec), GloVe text, gensim KeyedVectors saved with .save(), and "
        "Facebook fastText .bin models. The file may also be damaged."
    )


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


def _parse(path: Path, fmt: str, info: dict, *, limit, verbose) -> KeyedVectors:
    """Read the file with gensim, turning its exceptions into clear messages."""
    _count("parsed", path)
    if fmt == "gensim":
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
    if fmt == "fasttext":
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

    options = {
        "binary": fmt == "word2vec-binary",
        "limit": limit,
        "no_header": fmt == "glove",
        "unicode_errors": _RECORDING_REPLACE,
    }
    del _undecodable[:]
    try:
        if verbose and fmt != "glove" and not info["compressed"]:
            fd = os.open(path, os.O_RDONLY)
            try:
                with _Progress(fd, path.stat().st_size, f"loading {path.name}"):
                    kv = KeyedVectors.load_word2vec_format(fd, **options)
            finally:
                os.close(fd)
        else:
            kv = KeyedVectors.load_word2vec_format(str(path), **options)
    except EOFError as exc:
        if "n_words" not in info:
            raise ValueError(f"{str(path)!r} is truncated or damaged.") from exc
        _raise_truncated(path, info["n_words"], info["dims"])
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(
            f"Could not read {str(path)!r} as {_FORMAT_NAMES[fmt]}: the rows do "
            f"not match the {'header' if 'n_words' in info else 'first line'} "
            f"({exc}). The file is damaged, or pass binary=... explicitly."
        ) from exc
    _warn_replaced_characters(path, kv)
    _check_table(path, kv)
    if limit is None and "n_words" in info and not info["compressed"]:
        _check_nothing_left(path, fmt, kv)
    return kv


def _check_nothing_left(path: Path, fmt: str, kv: KeyedVectors) -> None:
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
        if fmt == "word2vec-text":
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
            f"announces{f' ({extra} more rows)' if fmt == 'word2vec-text' else ''}: "
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


def _is_pickle(path: Path) -> bool:
    """Tell whether the file is a pickle (protocol 2 and later start with 0x80)."""
    with open(path, "rb") as fh:
        return fh.read(1) == b"\x80"


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


# -- the disk cache -----------------------------------------------------------------


#: What tells one version of a file from another, cheaply. The change time
#: cannot be set by hand: a file copied over with its size and modification
#: time kept (``cp -p``, ``rsync -a``, tar) still gets a new one, and a file
#: replaced by another gets a new inode too. Where a file system keeps neither
#: (some network ones), a digest of 16 blocks spread over the file still
#: catches most replacements.
_VERSION_FIELDS = ("size", "mtime_ns", "ctime_ns", "inode", "sample")

#: Blocks, and their size in bytes, read for the sampled digest.
_SAMPLE_BLOCKS, _SAMPLE_BYTES = 16, 4096


def _version_of(path: Path, stat: os.stat_result) -> tuple:
    return (
        stat.st_size,
        stat.st_mtime_ns,
        stat.st_ctime_ns,
        stat.st_ino,
        _sampled_digest(path, stat.st_size),
    )


def _sampled_digest(path: Path, size: int) -> str:
    """Hash blocks at evenly spaced offsets, the first and the last included."""
    step = max(size - _SAMPLE_BYTES, 0) / (_SAMPLE_BLOCKS - 1)
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        for block in range(_SAMPLE_BLOCKS):
            fh.seek(int(block * step))
            digest.update(fh.read(_SAMPLE_BYTES))
    return digest.hexdigest()


def _load_file(path, stat, key, *, cache_dir, verbose) -> KeyedVectors:
    binary, limit = key[-1], key[-2]
    fmt, info = _detect_format(path, binary, limit)
    root = resolve_cache_dir(cache_dir)
    if fmt == "gensim" or root is None:  # gensim's own files are mapped already
        return _parse(path, fmt, info, limit=limit, verbose=verbose)

    manifest = {
        "version": CACHE_VERSION,
        "source": key[0],
        **dict(zip(_VERSION_FIELDS, key[1:-2], strict=True)),
        "limit": limit,
        "binary": binary,
        "format": fmt,
    }
    source_dir = root / f"vectors-v{CACHE_VERSION}" / _digest(key[0])
    entry = source_dir / _digest(json.dumps(manifest, sort_keys=True))
    kv = _read_entry(entry, manifest)
    if kv is not None:
        _count("mapped", path)
        return kv
    # One process parses while the others wait for its entry, then map it.
    with _build_lock(source_dir):
        kv = _read_entry(entry, manifest)
        if kv is not None:
            _count("mapped", path)
            return kv
        _remove_dead_temporaries(source_dir)
        kv = _parse(path, fmt, info, limit=limit, verbose=verbose)
        try:
            _write_entry(entry, manifest, kv)
        except OSError as exc:
            warn_user(
                f"Could not write the vector cache in {str(root)!r} ({exc}); the "
                "vectors are used from memory. Set cache_dir=False (or the "
                "SKW2V_CACHE_DIR environment variable) to silence this."
            )
            return kv
        _remove_stale_siblings(source_dir, entry, manifest)
        _remove_older_versions(root, source_dir.name)
    mapped = _read_entry(entry, manifest)
    return kv if mapped is None else mapped


@contextmanager
def _build_lock(source_dir: Path):
    """Hold an exclusive lock on ``source_dir`` across processes (where possible).

    Without it two processes that start at once would both parse the file;
    the entry would still be sound (each writes its own temporary directory
    and renames it), only slower. Where the lock cannot be taken (no fcntl,
    a read-only directory) the build goes ahead unlocked.
    """
    try:
        import fcntl

        source_dir.mkdir(parents=True, exist_ok=True)
        handle = open(source_dir / ".lock", "a+b")
    except (ImportError, OSError):
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _read_entry(entry: Path, expected: dict) -> KeyedVectors | None:
    """Map a cache entry; return None when it is missing, damaged or stale."""
    manifest_path = entry / "manifest.json"
    if not manifest_path.exists():
        if entry.exists():
            _discard(entry, "it has no manifest (an interrupted write)")
        return None
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if {k: manifest.get(k) for k in expected} != expected:
            _discard(entry, "it was made from another version of the file")
            return None
        for name, size in manifest["files"].items():
            if (entry / name).stat().st_size != size:
                raise ValueError(f"{name} has the wrong size")
        # Data only: allow_pickle=False, so a tampered entry cannot run code.
        names = (*_ENTRY_ARRAYS[manifest["format"] == "fasttext"], *ENTRY_KEY_ARRAYS)
        arrays = {
            name: np.load(entry / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            for name in names
        }
        words = {name: arrays.pop(name) for name in ENTRY_KEY_ARRAYS}
        words["keys"] = _checked_bytes(words["keys"])
        for name in ENTRY_KEY_ARRAYS[1:]:  # small next to the vectors: checked
            digest = hashlib.sha256(np.ascontiguousarray(words[name])).hexdigest()
            if digest != manifest["sha256"][name]:
                raise ValueError(f"the checksum of {name} does not match")
        if hashlib.sha256(words["keys"]).hexdigest() != manifest["keys_sha256"]:
            raise ValueError("the vocabulary checksum does not match")
        kv = _keyed_vectors(MappedEntry.from_arrays(**words), manifest, **arrays)
        return known_finite(kv)  # its values were checked when the entry was built
    except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
        _discard(entry, f"it is damaged ({exc})")
        return None


def _checked_bytes(array: np.ndarray) -> bytes:
    """Return the bytes of a one-dimensional uint8 array of an entry."""
    if array.dtype != np.uint8 or array.ndim != 1:
        raise ValueError("the vocabulary is not a byte string")
    return array.tobytes()


#: The arrays of a cache entry besides its words: of a plain table, and of a
#: fastText model.
_ENTRY_ARRAYS = {
    False: ("vectors",),
    True: ("vectors", "vectors_vocab", "vectors_ngrams"),
}


def _keyed_vectors(
    words: MappedEntry, manifest: dict, vectors: np.ndarray, **fasttext
) -> KeyedVectors:
    """Rebuild a table (a fastText one when given its arrays) from an entry's data."""
    if len(words.keys) != len(vectors) or vectors.ndim != 2:
        raise ValueError(f"{len(words.keys)} words but {len(vectors)} vectors")
    if fasttext:
        kv = MappedFastTextKeyedVectors(
            vectors.shape[1],
            int(manifest["min_n"]),
            int(manifest["max_n"]),
            int(manifest["bucket"]),
            count=0,
            dtype=vectors.dtype,
        )
        if fasttext["vectors_ngrams"].shape != (kv.bucket, kv.vector_size):
            raise ValueError("the n-gram table does not match the manifest")
        kv.vectors_vocab = fasttext["vectors_vocab"]
        kv.vectors_ngrams = fasttext["vectors_ngrams"]
    else:
        kv = MappedKeyedVectors(vectors.shape[1], count=0, dtype=vectors.dtype)
    attach(kv, words)
    kv.vectors = vectors
    return kv


def _write_entry(entry: Path, manifest: dict, kv: KeyedVectors) -> None:
    """Build the entry in a temporary directory, then rename it into place."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = (
        entry.parent / f".tmp-{entry.name}-{_HOST}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    )
    tmp.mkdir()
    try:
        fasttext = manifest["format"] == "fasttext"
        for name in _ENTRY_ARRAYS[fasttext]:
            array = np.ascontiguousarray(getattr(kv, name))
            np.save(tmp / f"{name}.npy", array, allow_pickle=False)
        words = entry_arrays(kv.index_to_key, casing_aliases(kv))
        for name, array in words.items():
            np.save(tmp / f"{name}.npy", array, allow_pickle=False)
        extra = {
            "keys_sha256": hashlib.sha256(words["keys"]).hexdigest(),
            "sha256": {
                name: hashlib.sha256(words[name]).hexdigest()
                for name in ENTRY_KEY_ARRAYS[1:]
            },
            "n_words": len(kv),
            "vector_size": kv.vector_size,
        }
        if fasttext:
            extra.update(min_n=kv.min_n, max_n=kv.max_n, bucket=kv.bucket)
        files = {p.name: p.stat().st_size for p in tmp.iterdir()}
        complete = {**manifest, **extra, "files": files, "written": time.time()}
        (tmp / "manifest.json").write_text(json.dumps(complete), encoding="utf-8")
        try:
            os.replace(tmp, entry)
        except OSError:
            # Another process finished the same entry first: keep theirs when
            # it is sound, otherwise replace it with ours.
            if _read_entry(entry, manifest) is None:
                os.replace(tmp, entry)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


#: This machine's name, in the names of temporary entries: a process id means
#: something only on the machine that wrote it (the cache may be shared).
_HOST = re.sub(r"[^A-Za-z0-9]+", "_", socket.gethostname()) or "host"

#: A temporary entry from another machine is deleted after this long.
_FOREIGN_TEMPORARY_SECONDS = 7 * 24 * 3600


def _remove_dead_temporaries(source_dir: Path) -> None:
    """Delete the temporary entries of builds that died (killed, power cut).

    One of this machine is dead when its process is; one of another machine
    when it is a week old (its process cannot be asked).
    """
    for tmp in source_dir.glob(".tmp-*"):
        parts = tmp.name.rsplit("-", 3)  # .tmp-ENTRY, HOST, PID, RANDOM
        if len(parts) != 4:
            continue
        _, host, pid_text, _ = parts
        pid = int(pid_text) if pid_text.isdigit() else -1
        if host == _HOST:
            if pid <= 0 or _is_alive(pid):
                continue
        else:
            try:
                age = time.time() - tmp.stat().st_mtime
            except OSError:
                continue
            if age < _FOREIGN_TEMPORARY_SECONDS:
                continue
        shutil.rmtree(tmp, ignore_errors=True)


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, but belongs to another user
        return True
    return True


def _discard(entry: Path, reason: str) -> None:
    """Move a bad entry out of the way (atomically), then delete it."""
    warn_user(f"Rebuilding the vector cache entry {str(entry)!r}: {reason}.")
    trash = entry.parent / f".trash-{entry.name}-{uuid.uuid4().hex[:8]}"
    try:
        os.replace(entry, trash)
    except OSError:
        return  # another process moved it already
    shutil.rmtree(trash, ignore_errors=True)


def _remove_older_versions(root: Path, source: str) -> None:
    """Delete the entries of the same file made by older layouts of the cache.

    They are never read again (each layout has its own directory), and a copy
    of a large table is gigabytes.
    """
    for version in range(1, CACHE_VERSION):
        old = root / f"vectors-v{version}" / source
        if old.is_dir():
            trash = old.parent / f".trash-{source}-{uuid.uuid4().hex[:8]}"
            try:
                os.replace(old, trash)
            except OSError:
                continue
            shutil.rmtree(trash, ignore_errors=True)


def _remove_stale_siblings(source_dir: Path, entry: Path, manifest: dict) -> None:
    """Delete the entries made from an older version of the same file."""
    for sibling in source_dir.iterdir():
        if sibling == entry or sibling.name.startswith("."):
            continue
        try:
            other = json.loads((sibling / "manifest.json").read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if any(other.get(name) != manifest[name] for name in _VERSION_FIELDS):
            trash = source_dir / f".trash-{sibling.name}-{uuid.uuid4().hex[:8]}"
            try:
                os.replace(sibling, trash)
            except OSError:
                continue
            shutil.rmtree(trash, ignore_errors=True)
