"""Pooling a large batch of raw text in worker processes, for ``transform``.

Everything here is about when processes pay and how they share their output;
the estimator passed in says what its workers receive
(``_worker_copy``, ``_pickled_arrays``) and how to pool (``_pool_documents``).
Threads would not help: tokenizing and the dictionary lookups hold the GIL.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings

import numpy as np
from joblib import Parallel, delayed

from ._text import all_str
from ._warnings import warn_user

#: Characters of raw text per worker process below which ``transform`` does not
#: use processes (sending the estimator and the text costs more than it saves).
PROCESS_MIN_CHARACTERS = 2_000_000

#: joblib writes a vector table of over 16 MB that is not already memory-mapped
#: to a file for the worker processes, on every call. That copy costs about as
#: much as two processes save on 1 character of text per 20 bytes of table
#: (``benchmarks/bench_large_table.py``), so the batch must be larger by as much.
CHARACTERS_PER_BYTE = 1 / 20
JOBLIB_MAX_NBYTES = 16 * 2**20


def _is_memory_mapped(array: np.ndarray) -> bool:
    """Tell whether ``array`` is (a view of) a ``np.memmap``: joblib sends its path."""
    while isinstance(array, np.ndarray):
        if isinstance(array, np.memmap):
            return True
        array = array.base
    return False


def table_bytes_to_copy(estimator) -> int:
    """Count the bytes of vector table joblib would copy to send ``estimator``."""
    return sum(
        array.nbytes
        for array in estimator._pickled_arrays()
        if array.nbytes > JOBLIB_MAX_NBYTES and not _is_memory_mapped(array)
    )


def worth_processes(shipped, documents: list, n_jobs: int) -> bool:
    """Tell whether pooling ``documents`` in ``n_jobs`` processes saves time.

    Only raw text goes to processes, in batches large enough to pay for
    sending it, and for copying the table ``shipped`` holds when joblib must.
    """
    if n_jobs < 2 or not all_str(documents):
        return False
    copied = table_bytes_to_copy(shipped) * CHARACTERS_PER_BYTE
    # An estimator whose rows cost more per character (inference) says so.
    per_worker = getattr(shipped, "_process_min_characters", PROCESS_MIN_CHARACTERS)
    return sum(map(len, documents)) >= n_jobs * per_worker + copied


def physical_memory() -> int | None:
    """Return this machine's physical memory in bytes, or None where unknown."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):  # not POSIX
        return None


def scratch_directory(n_bytes: int) -> str | None:
    """Pick a directory for a temporary file of ``n_bytes``: in RAM if room."""
    folder = os.environ.get("JOBLIB_TEMP_FOLDER", "/dev/shm")
    try:
        if shutil.disk_usage(folder).free > 2 * n_bytes + 2**28:
            return folder
    except OSError:
        pass
    return None  # tempfile's default


def _pool_in_worker(estimator, documents: list, out: np.memmap) -> tuple[int, list]:
    """Tokenize and pool raw documents in a worker process, into ``out``.

    ``out`` is a part of a memory-mapped array that the parent process reads,
    so the rows are not sent back. Returns how many documents had no known word,
    and the other warnings raised, for the parent process to re-raise.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        n_without_known = estimator._pool_documents(documents, out=out)[1]
    return n_without_known, [(str(w.message), w.category) for w in caught]


def pool_in_processes(
    estimator, documents: list, n_jobs: int
) -> tuple[np.ndarray, int] | None:
    """Tokenize and pool raw ``documents`` in ``n_jobs`` worker processes.

    Returns the rows and how many documents had no known word, or None when
    processes would not save time (the caller then pools in its own process).

    Each worker gets one contiguous part of the raw text and the copy of the
    estimator that ``estimator._worker_copy()`` makes (joblib memory-maps a
    vector table over 16 MB instead of copying it; an estimator that pickles
    its table by reference reloads it memory-mapped), and writes its rows
    straight into a memory-mapped output, so that no row is sent back or
    copied. The rows are those of a serial run, since each row depends on its
    own document alone.
    """
    shipped = estimator._worker_copy()
    if not worth_processes(shipped, documents, n_jobs):
        return None
    edges = np.linspace(0, len(documents), n_jobs + 1).astype(int).tolist()
    shape = (len(documents), shipped._n_features_out)
    scratch = scratch_directory(n_bytes=shape[0] * shape[1] * 4)
    with tempfile.TemporaryDirectory(prefix="skw2v-", dir=scratch) as folder:
        shared = np.lib.format.open_memmap(
            os.path.join(folder, "pooled.npy"), "w+", np.float32, shape
        )
        # Tables under 16 MB are cheaper to send than to memory-map
        # (joblib's temporary files take ~0.1 s to clean up).
        results = Parallel(n_jobs=n_jobs, backend="loky", max_nbytes=JOBLIB_MAX_NBYTES)(
            delayed(_pool_in_worker)(shipped, documents[start:stop], shared[start:stop])
            for start, stop in zip(edges[:-1], edges[1:], strict=True)
        )
        if os.name == "posix":
            # Removing the folder unlinks the file, but its pages stay
            # mapped until the array is freed: the rows need no copy.
            pooled = shared.view(np.ndarray)
        else:  # Windows cannot remove a file that is mapped
            pooled = np.array(shared)
        del shared
    for _, caught in results:
        for message, category in caught:
            warn_user(message, category)
    return pooled, sum(n_without_known for n_without_known, _ in results)
