"""Cache entries: memory-mappable copies of word-vector tables, data only.

An entry is a directory of ``.npy`` arrays (the table's arrays, as its layout
in ``LAYOUTS`` declares them, and its words, ``skw2v/_mapped.py``) and a small
``manifest.json`` that says what the entry was made from, its layout, the
sizes of its files and checksums of its words. It is written in a temporary
directory and renamed into place, the manifest last, so a reader never sees
half an entry and two processes building the same entry at once do not
disturb each other. A damaged entry (missing manifest, wrong sizes, a checksum
mismatch) or one of another layout is discarded with a warning, so that it is
rebuilt. Reading never unpickles anything: a tampered entry cannot run code.

Two caches use these entries: the one of
[`load_vectors`][skw2v.load_vectors] (``skw2v/_loading.py``), an entry per
version of a vector file, and the trained vectors of
``Word2VecVectorizer(memory=...)`` (``skw2v/_memory.py``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from gensim.models import KeyedVectors

from ._mapped import (
    ENTRY_KEY_ARRAYS,
    MappedEntry,
    MappedFastTextKeyedVectors,
    MappedKeyedVectors,
    MappedQuantizedKeyedVectors,
    attach,
    entry_arrays,
)
from ._vectors import casing_aliases, known_finite
from ._warnings import warn_user

#: Bumped whenever the layout of a cache entry changes.
CACHE_VERSION = 5  # 2: fastText entries are data (npy + JSON), never pickles;
# 3: the words as one text with offsets, and lookup indexes (skw2v/_mapped.py);
# 4: the manifest records the entry's layout (LAYOUTS);
# 5: the manifest records the table's dtype and a digest of every byte of the
# file (skw2v/_loading.py), and int8 tables have a layout ("quantized")


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


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def vectors_entry(root: Path, manifest: dict) -> Path:
    """Return where the entry of ``manifest`` (made from a vector file) lives.

    One directory per source file (``manifest["source"]``), holding one entry
    per version of it and way of reading it.
    """
    source_dir = root / f"vectors-v{CACHE_VERSION}" / _digest(manifest["source"])
    return source_dir / _digest(json.dumps(manifest, sort_keys=True))


# -- telling versions of a file apart -----------------------------------------------


#: What tells one version of a file from another, cheaply. The change time
#: cannot be set by hand: a file copied over with its size and modification
#: time kept (``cp -p``, ``rsync -a``, tar) still gets a new one, and a file
#: replaced by another gets a new inode too. Where a file system keeps neither
#: (some network ones), a digest of 16 blocks spread over the file still
#: catches most replacements.
VERSION_FIELDS = ("size", "mtime_ns", "ctime_ns", "inode", "sample")

#: Blocks, and their size in bytes, read for the sampled digest.
_SAMPLE_BLOCKS, _SAMPLE_BYTES = 16, 4096


def file_version(path: Path, stat: os.stat_result) -> tuple:
    """Return the values of ``VERSION_FIELDS`` for a file, in their order."""
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


# -- layouts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """What an entry holds besides its words, and the table it is mapped as.

    Parameters
    ----------
    rows : mapping of str to str
        The table's arrays stored as ``.npy`` files, each with the manifest
        field that counts its rows (each has ``vector_size`` columns, unless
        ``columns`` says otherwise).
    attributes : tuple of str
        The table's integer attributes, stored in the manifest.
    table : callable
        ``table(vector_size, count=0, dtype=..., **attributes)`` makes the
        empty mapped table the arrays are put in.
    per_row : mapping of str to str, default={}
        The table's arrays of one value per row (an int8 table's scales),
        each with the manifest field that counts them.
    columns : mapping of str to str or None, default={}
        For an array whose rows are not ``vector_size`` wide: the manifest
        field (or attribute) that holds its width, or None for an array of
        one dimension.
    dtypes : mapping of str to str, default={}
        The dtype an array must have (compiled code reads it as such).
    """

    rows: Mapping[str, str]
    attributes: tuple[str, ...]
    table: Callable[..., KeyedVectors]
    per_row: Mapping[str, str] = field(default_factory=dict)
    columns: Mapping[str, str | None] = field(default_factory=dict)
    dtypes: Mapping[str, str] = field(default_factory=dict)

    def shape(self, name: str, manifest: Mapping) -> tuple[int, ...]:
        """Return the shape the array ``name`` has in the entry of ``manifest``."""
        n_rows = int(manifest[self.rows[name]])
        width = self.columns.get(name, "vector_size")
        return (n_rows,) if width is None else (n_rows, int(manifest[width]))


def _doc2vec_table(vector_size: int, *, count: int, dtype, **attributes):
    """Make the table of a Doc2Vec entry: its words, holding its integer attributes."""
    kv = MappedKeyedVectors(vector_size, count=count, dtype=dtype)
    vars(kv).update(attributes)
    return kv


#: The layouts of an entry: a plain table, a fastText one with its subword
#: n-grams (``VectorFormat.layout`` names one of them), and an int8 table with
#: its scales (``skw2v/_compact.py``).
LAYOUTS = {
    "vectors": Layout({"vectors": "n_words"}, (), MappedKeyedVectors),
    "quantized": Layout(
        {"vectors": "n_words"},
        (),
        MappedQuantizedKeyedVectors,
        per_row={"row_scales": "n_words"},
    ),
    "fasttext": Layout(
        {"vectors": "n_words", "vectors_vocab": "n_words", "vectors_ngrams": "bucket"},
        ("min_n", "max_n", "bucket"),
        MappedFastTextKeyedVectors,
    ),
    # A trained Doc2Vec model, as inference needs it (skw2v/_doc2vec.py): its
    # words with their vectors, counts and down-sampling thresholds, its
    # output layer(s) and the trained document vectors.
    "doc2vec": Layout(
        {
            "vectors": "n_words",
            "counts": "n_words",
            "sample_ints": "n_words",
            "syn1neg": "n_syn1neg",
            "syn1": "n_syn1",
            "doc_vectors": "n_documents",
        },
        ("layer1_size", "n_syn1neg", "n_syn1", "n_documents"),
        _doc2vec_table,
        columns={
            "counts": None,
            "sample_ints": None,
            "syn1neg": "layer1_size",
            "syn1": "layer1_size",
        },
        dtypes={
            "vectors": "float32",
            "counts": "int64",
            "sample_ints": "uint32",
            "syn1neg": "float32",
            "syn1": "float32",
            "doc_vectors": "float32",
        },
    ),
}


# -- reading and writing an entry ---------------------------------------------------


def read_entry(entry: Path, expected: dict) -> KeyedVectors | None:
    """Map a cache entry; return None when it is missing, damaged or stale.

    Parameters
    ----------
    entry : Path
        The entry's directory.
    expected : dict
        What its manifest must say, ``"layout"`` included (a key of
        ``LAYOUTS``). An entry that says otherwise is discarded.

    Returns
    -------
    KeyedVectors or None
        The table, its arrays mapped read-only; None when there is no sound
        entry (the unsound one is discarded, with a warning).
    """
    layout = LAYOUTS[expected["layout"]]
    manifest_path = entry / "manifest.json"
    if not manifest_path.exists():
        if entry.exists():
            discard(entry, "it has no manifest (an interrupted write)")
        return None
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("layout") != expected["layout"]:
            discard(
                entry,
                f"its layout is {manifest.get('layout')!r}, not {expected['layout']!r}",
            )
            return None
        if {k: manifest.get(k) for k in expected} != expected:
            discard(entry, "it was made from another version of the file")
            return None
        for name, size in manifest["files"].items():
            if (entry / name).stat().st_size != size:
                raise ValueError(f"{name} has the wrong size")
        # Data only: allow_pickle=False, so a tampered entry cannot run code.
        arrays = {
            name: np.load(entry / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            for name in (*layout.rows, *layout.per_row, *ENTRY_KEY_ARRAYS)
        }
        words = {name: arrays.pop(name) for name in ENTRY_KEY_ARRAYS}
        words["keys"] = _checked_bytes(words["keys"])
        for name in ENTRY_KEY_ARRAYS[1:]:  # small next to the vectors: checked
            digest = hashlib.sha256(np.ascontiguousarray(words[name])).hexdigest()
            if digest != manifest["sha256"][name]:
                raise ValueError(f"the checksum of {name} does not match")
        if hashlib.sha256(words["keys"]).hexdigest() != manifest["keys_sha256"]:
            raise ValueError("the vocabulary checksum does not match")
        kv = _mapped_table(layout, MappedEntry.from_arrays(**words), manifest, arrays)
        return known_finite(kv)  # its values were checked when the entry was built
    except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
        discard(entry, f"it is damaged ({exc})")
        return None


def _checked_bytes(array: np.ndarray) -> bytes:
    """Return the bytes of a one-dimensional uint8 array of an entry."""
    if array.dtype != np.uint8 or array.ndim != 1:
        raise ValueError("the vocabulary is not a byte string")
    return array.tobytes()


def _mapped_table(
    layout: Layout, words: MappedEntry, manifest: dict, arrays: dict[str, np.ndarray]
) -> KeyedVectors:
    """Rebuild a table of ``layout`` from an entry's words and arrays."""
    vector_size = int(manifest["vector_size"])
    if len(words.keys) != int(manifest["n_words"]):
        raise ValueError(f"{len(words.keys)} words, not {manifest['n_words']}")
    for name in layout.rows:
        shape = layout.shape(name, manifest)
        if arrays[name].shape != shape:
            raise ValueError(f"{name} is {arrays[name].shape}, not {shape}")
        dtype = layout.dtypes.get(name)
        if dtype is not None and arrays[name].dtype != dtype:
            raise ValueError(f"{name} is {arrays[name].dtype}, not {dtype}")
    for name, counted_by in layout.per_row.items():
        if arrays[name].shape != (int(manifest[counted_by]),):
            raise ValueError(f"{name} has {arrays[name].shape}, not one value a row")
    kv = layout.table(
        vector_size,
        count=0,
        dtype=arrays["vectors"].dtype,
        **{name: int(manifest[name]) for name in layout.attributes},
    )
    attach(kv, words)
    for name, array in arrays.items():
        setattr(kv, name, array)
    return kv


def write_entry(entry: Path, manifest: dict, kv: KeyedVectors) -> None:
    """Write ``kv`` as the entry ``entry``, in the layout ``manifest`` names.

    The entry is built in a temporary directory, then renamed into place; the
    written manifest is ``manifest`` plus the sizes and checksums of the files.

    Parameters
    ----------
    entry : Path
        The entry's directory (its parent is created when missing).
    manifest : dict
        What the entry is made from, with its ``"layout"`` (a key of
        ``LAYOUTS``); ``read_entry`` expects it back.
    kv : KeyedVectors
        The table, of that layout.

    Raises
    ------
    OSError
        The entry cannot be written (the caller may go on without it).
    """
    layout = LAYOUTS[manifest["layout"]]
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = (
        entry.parent / f".tmp-{entry.name}-{_HOST}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    )
    tmp.mkdir()
    try:
        for name in (*layout.rows, *layout.per_row):
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
            **{name: int(getattr(kv, name)) for name in layout.attributes},
        }
        files = {p.name: p.stat().st_size for p in tmp.iterdir()}
        complete = {**manifest, **extra, "files": files, "written": time.time()}
        (tmp / "manifest.json").write_text(json.dumps(complete), encoding="utf-8")
        try:
            os.replace(tmp, entry)
        except OSError:
            # Another process finished the same entry first: keep theirs when
            # it is sound, otherwise replace it with ours.
            if read_entry(entry, manifest) is None:
                os.replace(tmp, entry)
    finally:
        if tmp.exists():
            _remove_directory(tmp)


@contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` across processes (where possible).

    Without it two processes that start at once would both build the same
    entry; the entry would still be sound (each writes its own temporary
    directory and renames it), only slower. Where the lock cannot be taken (no
    fcntl, a read-only directory) the build goes ahead unlocked.
    """
    try:
        import fcntl

        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / ".lock", "a+b")
    except (ImportError, OSError):
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# -- clean-up -----------------------------------------------------------------------


def _remove_directory(folder: Path) -> bool:
    """Move ``folder`` out of the way (atomically), then delete it.

    Readers never see it half deleted. Returns False when it could not be moved
    (another process moved it already).
    """
    trash = folder.parent / f".trash-{folder.name}-{uuid.uuid4().hex[:8]}"
    try:
        os.replace(folder, trash)
    except OSError:
        return False
    shutil.rmtree(trash, ignore_errors=True)
    return True


def discard(entry: Path, reason: str) -> None:
    """Warn that ``entry`` is rebuilt because of ``reason``, and remove it."""
    warn_user(f"Rebuilding the vector cache entry {str(entry)!r}: {reason}.")
    _remove_directory(entry)


#: This machine's name, in the names of temporary entries: a process id means
#: something only on the machine that wrote it (the cache may be shared).
_HOST = re.sub(r"[^A-Za-z0-9]+", "_", socket.gethostname()) or "host"

#: A temporary entry from another machine is deleted after this long.
_FOREIGN_TEMPORARY_SECONDS = 7 * 24 * 3600


def remove_dead_temporaries(folder: Path) -> None:
    """Delete the temporary entries of builds that died (killed, power cut).

    One of this machine is dead when its process is; one of another machine
    when it is a week old (its process cannot be asked).
    """
    for tmp in folder.glob(".tmp-*"):
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
        _remove_directory(tmp)


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, but belongs to another user
        return True
    return True


def remove_superseded(root: Path, entry: Path, manifest: dict) -> None:
    """Delete the entries that the vectors entry ``entry`` replaces.

    Those made from an older version of the same file (another value of
    ``VERSION_FIELDS``), and those of the same file made by older layouts of
    the cache: they are never read again, and a copy of a large table is
    gigabytes.
    """
    source_dir = entry.parent
    for sibling in source_dir.iterdir():
        if sibling == entry or sibling.name.startswith("."):
            continue
        try:
            other = json.loads((sibling / "manifest.json").read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if any(other.get(name) != manifest[name] for name in VERSION_FIELDS):
            _remove_directory(sibling)
    for version in range(1, CACHE_VERSION):
        old = root / f"vectors-v{version}" / source_dir.name
        if old.is_dir():
            _remove_directory(old)
