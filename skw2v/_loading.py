"""Loading pretrained word vectors once per process, and mapping them afterwards.

[`load_vectors`][skw2v.load_vectors] reads every common word-vector file format,
detected from the file's bytes rather than its name. Two layers keep a big table (the
Google News vectors are 3.6 GB) from being read more than once:

1. a per-process **registry**, keyed by the resolved file and its size,
   modification time, ``limit``, ``binary`` and ``dtype``: every later
   request in the process (every clone in a grid search) gets the very same
   object back;
2. an on-disk **cache**: the first parse writes the table as a ``.npy`` file
   plus its vocabulary; later loads, in any process (such as the joblib workers
   of ``GridSearchCV(n_jobs=2)``), map that file read-only instead of parsing.
   Mapped pages are shared by all processes through the operating system.

The formats are in ``skw2v/_formats.py`` (one registry entry each), the cache
entries (their layouts, writing, checking, locking and clean-up) in
``skw2v/_cache.py``. A damaged entry or a stale one (the source file changed)
is detected and rebuilt. A parse also takes the SHA-256 of every byte of the
file, kept in the entry's manifest (``source_digest``), which a vectorizer
pickled by reference checks when it is loaded again; a compact table
(``dtype``, ``skw2v/_compact.py``) has an entry of its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import weakref
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from numbers import Integral
from pathlib import Path

from gensim.models import KeyedVectors

from ._cache import (
    CACHE_VERSION,
    VERSION_FIELDS,
    build_lock,
    file_version,
    read_entry,
    remove_dead_temporaries,
    remove_superseded,
    resolve_cache_dir,
    vectors_entry,
    write_entry,
)
from ._compact import DTYPES, compact_layout, compact_table
from ._compat import Interval, StrOptions, validate_params
from ._formats import VectorFormat, detect_format, is_pickle
from ._static import attach_tokenizer, describe_layouts, find_static_model
from ._vectors import as_keyed_vectors
from ._warnings import warn_user

_registry: dict[tuple, KeyedVectors] = {}
_registry_lock = threading.Lock()

#: How often this process parsed a file, mapped a cache entry or reused the
#: registry; read by the tests and the benchmark.
load_counts: Counter = Counter()

#: The digest of every byte of the file each loaded table was read from
#: (``source_digest``).
_source_digests: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


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


# -- public entry point ----------------------------------------------------------------


@validate_params(
    {
        "vectors": "no_validation",  # checked below with a clear message
        "binary": ["boolean", None],
        "limit": [Interval(Integral, 1, None, closed="left"), None],
        "dtype": [StrOptions(set(DTYPES)), None],
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
    dtype=None,
    cache_dir=None,
    allow_pickle=False,
    verbose=0,
):
    r"""Load word vectors from a file (once per process) or accept loaded ones.

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
    dtype : {None, "float32", "float16", "int8"}, default=None
        How the table is kept (in memory and in its cache entry): None keeps
        the file's precision (float32 for word2vec, GloVe and fastText files);
        ``"float16"`` takes half the memory, ``"int8"`` a quarter (each row
        stored as integers times one float32 scale, ``max |row| / 127``).
        Pooling still adds up in float32. A fastText model cannot be int8.
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
    >>> from skw2v import load_vectors
    >>> path = getfixture("tmp_path") / "tiny.txt"  # word2vec text: a header line
    >>> _ = path.write_text("2 2\ngood 1.0 0.0\nbad -1.0 0.0\n")
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
        if dtype is not None:
            raise ValueError(
                f"dtype={dtype!r} applies to vectors read from a file, which are "
                "kept compact in their cache entry; save the vectors in memory "
                "first (save_word2vec_format) and load that file with dtype=."
            )
        if type(vectors).__name__ == "Word2VecModel" and hasattr(vectors, "getVectors"):
            from ._spark import keyed_vectors_from_model  # pyspark, only if used

            return keyed_vectors_from_model(vectors)
        return as_keyed_vectors(vectors)
    static = find_static_model(vectors)
    if static is not None:
        return _load_static(
            static, limit=limit, binary=binary, dtype=dtype, cache_dir=cache_dir
        )
    path = _check_path(vectors)
    if not allow_pickle and is_pickle(path):
        raise ValueError(
            f"{str(path)!r} is a Python pickle (the format of gensim's .save()): "
            "loading it runs whatever code it holds, so skw2v opens pickles only "
            "when told to. If you trust this file, pass allow_pickle=True (on the "
            "command line: --allow-pickle); better, convert it once to a data "
            "format, e.g. KeyedVectors.load(path).save_word2vec_format("
            "'vectors.bin', binary=True)."
        )
    version = file_version(path, path.stat())
    key = (str(path.resolve()), *version, limit, binary, dtype)
    with _registry_lock:
        if key in _registry:
            _count("registry", path)
            return _registry[key]
        kv = _load_file(
            path,
            key[0],
            version,
            limit=limit,
            binary=binary,
            dtype=dtype,
            cache_dir=cache_dir,
            verbose=verbose,
        )
        _registry[key] = kv
        return kv


def clear_registry() -> None:
    """Forget every table loaded in this process (the cache on disk stays).

    The next [`load_vectors`][skw2v.load_vectors] of a file reads it again:
    it maps the file's cache entry when there is one, else parses the file.
    Tables already returned are not changed.

    See Also
    --------
    load_vectors : Load word vectors once per process.

    Examples
    --------
    >>> from skw2v import clear_registry, load_vectors
    >>> from skw2v.datasets import load_glove_50d
    >>> tmp = getfixture("tmp_path")
    >>> path = load_glove_50d(data_home=tmp, cache_dir=tmp).path
    >>> first = load_vectors(path, cache_dir=tmp)
    >>> load_vectors(path, cache_dir=tmp) is first  # once per process
    True
    >>> clear_registry()
    >>> again = load_vectors(path, cache_dir=tmp)  # mapped from the cache entry
    >>> again is first, bool((again.vectors == first.vectors).all())
    (False, True)
    """
    with _registry_lock:
        _registry.clear()


def source_digest(wv: KeyedVectors) -> str | None:
    """Return the SHA-256 of every byte of the file ``wv`` was loaded from.

    Computed when the file is parsed and kept in its cache entry, so that a
    table mapped from the entry knows it too; None for vectors that
    [`load_vectors`][skw2v.load_vectors] did not read from a file.
    """
    return _source_digests.get(wv)


#: Bytes hashed at a time. Large: the hashing thread takes the GIL back once
#: per block, which a parse running Python code hands over only every few
#: milliseconds; a block of 1 MiB would leave most of the hashing until the
#: parse is done.
_DIGEST_BLOCK = 1 << 24


def file_sha256(path: Path, stop: threading.Event | None = None) -> str | None:
    """Return the SHA-256 of every byte of a file (read by blocks of 16 MiB).

    Returns None as soon as ``stop`` is set.
    """
    digest = hashlib.sha256()
    block = bytearray(min(_DIGEST_BLOCK, max(path.stat().st_size, 1)))
    view = memoryview(block)
    with open(path, "rb", buffering=0) as fh:
        while size := fh.readinto(block):
            if stop is not None and stop.is_set():
                return None
            digest.update(view[:size])  # releases the GIL: runs beside a parse
    return digest.hexdigest()


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


def source_fingerprint(vectors) -> dict:
    """Describe a vector file by ``file_fingerprint``, a static model by each file's."""
    model = find_static_model(vectors)
    if model is None:
        return file_fingerprint(vectors)
    return {path.name: file_fingerprint(path) for path in model.paths}


# -- reading a file ----------------------------------------------------------------


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
            "(e.g. a .bin, .txt, .vec or .kv file), or the folder of a static "
            f"model in one of these layouts: {describe_layouts()}."
        )
    if path.stat().st_size == 0:
        raise ValueError(f"Word-vector file {str(path)!r} is empty (0 bytes).")
    return path


def _parse(
    path: Path, fmt: VectorFormat, info: dict, *, limit, dtype, verbose
) -> tuple[KeyedVectors, str | None]:
    """Parse the file; return its table, kept in ``dtype``, and its digest.

    The digest of every byte is taken in a thread while gensim parses (hashing
    releases the GIL, so on a second core it costs next to nothing), reading
    the file's pages the parse reads too.
    """
    _count("parsed", path)
    if path.is_dir():  # a static model: its files are fingerprinted one by one
        parsed = fmt.parse(path, info, limit=limit, verbose=verbose)
        return compact_table(parsed, dtype, name=repr(str(path))), None
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        digesting = pool.submit(file_sha256, path, stop)
        try:
            kv = fmt.parse(path, info, limit=limit, verbose=verbose)
        except BaseException:
            stop.set()  # a damaged file: its digest is not needed
            raise
        digest = digesting.result()
    kv = compact_table(kv, dtype, name=repr(str(path)))
    _source_digests[kv] = digest
    return kv, digest


def _mapped(path: Path, entry: Path, manifest: dict) -> KeyedVectors | None:
    """Map the entry ``entry`` (None when there is no sound one), with its digest."""
    kv = read_entry(entry, manifest)
    if kv is None:
        return None
    try:
        stored = json.loads((entry / "manifest.json").read_text("utf-8"))
        _source_digests[kv] = stored["source_sha256"]
    except (OSError, ValueError, KeyError):
        return None  # replaced since: parse the file
    _count("mapped", path)
    return kv


def _compacted(
    path: Path, root: Path, manifest: dict, layout: str
) -> tuple[KeyedVectors, str] | None:
    """Make the compact table of ``manifest`` from the file's float32 entry, if any.

    Converting the mapped rows is much faster than parsing the file again;
    the digest is the one of the float32 entry. None when there is no such
    entry (or ``manifest`` is of a float32 table).
    """
    if manifest["dtype"] is None:
        return None
    full = {**manifest, "layout": layout, "dtype": None}
    kv = _mapped(path, vectors_entry(root, full), full)
    if kv is None:
        return None
    digest = _source_digests[kv]
    compact = compact_table(kv, manifest["dtype"], name=repr(str(path)))
    _source_digests[compact] = digest
    return compact, digest


def _load_file(
    path: Path,
    source: str,
    version: tuple,
    *,
    limit,
    binary,
    dtype,
    cache_dir,
    verbose,
    detected: tuple | None = None,
) -> KeyedVectors:
    """Parse or map ``path``; ``detected`` is its format if known (a static model)."""
    if detected is None:
        detected = detect_format(path, binary=binary, limit=limit)
    fmt, info = detected
    if dtype == "float32" and fmt.layout is not None:
        dtype = None  # what these parsers give: one cache entry, not two alike
    layout = compact_layout(fmt.layout, dtype, repr(str(path)))
    root = resolve_cache_dir(cache_dir)
    if layout is None or root is None:
        return _parse(path, fmt, info, limit=limit, dtype=dtype, verbose=verbose)[0]

    manifest = {
        "version": CACHE_VERSION,
        "source": source,
        **dict(zip(VERSION_FIELDS, version, strict=True)),
        "limit": limit,
        "binary": binary,
        "format": fmt.name,
        "layout": layout,
        "dtype": dtype,
    }
    entry = vectors_entry(root, manifest)
    kv = _mapped(path, entry, manifest)
    if kv is not None:
        return kv
    # One process parses while the others wait for its entry, then map it.
    with build_lock(entry.parent):
        kv = _mapped(path, entry, manifest)
        if kv is not None:
            return kv
        remove_dead_temporaries(entry.parent)
        compacted = _compacted(path, root, manifest, fmt.layout)
        kv, digest = compacted or _parse(
            path, fmt, info, limit=limit, dtype=dtype, verbose=verbose
        )
        try:
            write_entry(entry, {**manifest, "source_sha256": digest}, kv)
        except OSError as exc:
            warn_user(
                f"Could not write the vector cache in {str(root)!r} ({exc}); the "
                "vectors are used from memory. Set cache_dir=False (or the "
                "SKW2V_CACHE_DIR environment variable) to silence this."
            )
            return kv
        remove_superseded(root, entry, manifest)
    mapped = read_entry(entry, manifest)
    if mapped is None:
        return kv
    _source_digests[mapped] = digest
    return mapped


def _load_static(model, *, limit, binary, dtype, cache_dir) -> KeyedVectors:
    """Load a static model's token vectors, once per process, through the cache.

    ``model`` is what ``_static.find_static_model`` found; the table it gives
    has the model's tokenizer attached (``_static.static_tokenizer``).
    """
    if limit is not None or binary is not None:
        raise ValueError(
            f"{str(model.source)!r} is a {model.description}: limit and binary "
            "apply to word-vector files only (a model's tokens are those of its "
            "tokenizer). Leave them at None."
        )
    version = model.version()
    key = (str(model.source.resolve()), *version, None, None, dtype)
    with _registry_lock:
        if key in _registry:
            _count("registry", model.source)
            return _registry[key]
        kv = _load_file(
            model.source,
            key[0],
            version,
            limit=None,
            binary=None,
            dtype=dtype,
            cache_dir=cache_dir,
            verbose=0,
            detected=(model, {}),
        )
        _registry[key] = attach_tokenizer(kv, model)
        return kv
