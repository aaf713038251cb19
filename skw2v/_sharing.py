"""Sharing word-vector tables: what every copy of an skw2v estimator receives.

A table can be gigabytes. Each way an estimator is copied decides whether the
table travels with it, and all of them are decided here, once:

- ``clone`` (a new estimator per grid-search candidate and fold) hands the
  parameters that hold tables (``_shared_params``) over by reference;
- ``copy.copy`` shares everything, the fitted table included;
- pickling stores the fitted table ``wv_``, unless the estimator says it can
  reload it (``_table_by_reference``), e.g. from the file it came from;
- the copy sent to worker processes (``_worker_copy``) leaves out the tables
  held in parameters and the fitted attributes pooling does not need.
"""

from __future__ import annotations

import copy
import os

import numpy as np

from ._compat import _clone_parametrized

#: The arrays of a table: every table's vectors, a fastText table's words' own
#: vectors and n-gram vectors, and an int8 table's scale per row.
_TABLE_ARRAYS = ("vectors", "vectors_vocab", "vectors_ngrams", "row_scales")

#: Key of a pickled state whose table was left out, to be reloaded.
_BY_REFERENCE = "_skw2v_table_by_reference"


def _without_memmaps(wv):
    """Return ``wv`` with its memory-mapped arrays seen as plain arrays.

    A table mapped from the cache holds ``np.memmap`` arrays, which pickle
    without their file and which skops cannot rebuild. Plain views of the same
    memory (no copy) serialize as arrays; joblib still finds the file behind
    them and sends its path to worker processes.
    """
    names = [
        name for name in _TABLE_ARRAYS if isinstance(getattr(wv, name, None), np.memmap)
    ]
    if not names:
        return wv
    plain = copy.copy(wv)
    for name in names:
        setattr(plain, name, np.asarray(getattr(wv, name)))
    return plain


class _SharedTableMixin:
    """Share word-vector tables between the copies of an estimator.

    Also declares string input in the estimator tags: every estimator that
    holds a table takes text. Put it before ``BaseEstimator`` in the bases.
    """

    #: Parameters that hold (possibly very large) word-vector tables: ``clone``
    #: passes them by reference, and worker processes receive them only as paths.
    _shared_params: tuple[str, ...] = ()

    #: Fitted attributes that pooling does not need (left out for workers).
    _not_for_workers: tuple[str, ...] = ()

    def _table_by_reference(self) -> bool:
        """Tell whether pickling leaves ``wv_`` out, for ``_reload_table``."""
        return False

    def _reload_table(self) -> None:
        """Set ``wv_`` again after unpickling a state that left it out."""
        raise NotImplementedError

    def _pickled_arrays(self) -> list[np.ndarray]:
        """Return the arrays of the table a pickle of this estimator holds.

        The vectors, and those of a fastText table's n-grams; none when the
        table travels by reference.
        """
        wv = None if self._table_by_reference() else getattr(self, "wv_", None)
        arrays = (getattr(wv, name, None) for name in _TABLE_ARRAYS)
        return [array for array in arrays if isinstance(array, np.ndarray)]

    def _worker_copy(self):
        """Return a copy of the estimator holding only what pooling needs.

        Worker processes get ``wv_``; the parameters that hold a table in
        memory and the attributes in ``_not_for_workers`` would only add to
        what is pickled and sent on every call. A path is kept: a table loaded
        from a file is reopened from it in each worker.
        """
        shipped = copy.copy(self)
        for name in self._shared_params:
            if not isinstance(getattr(shipped, name), (str, os.PathLike)):
                setattr(shipped, name, None)
        for name in self._not_for_workers:
            shipped.__dict__.pop(name, None)
        return shipped

    def __sklearn_clone__(self):
        # scikit-learn's clone deep-copies every parameter. For the parameters
        # that hold word vectors that would copy a table of up to gigabytes per
        # grid-search candidate and fold, so they are handed over by reference.
        template = copy.copy(self)
        for name in self._shared_params:
            setattr(template, name, None)
        new = _clone_parametrized(template)
        for name in self._shared_params:
            setattr(new, name, getattr(self, name))
        return new

    def __copy__(self):
        # Python's copy.copy goes through __getstate__, which may leave the
        # table out; a copy in memory shares it instead.
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        return new

    def __getstate__(self):
        state = dict(super().__getstate__())  # Python's own is __dict__ itself
        if "wv_" in state and self._table_by_reference():
            del state["wv_"]
            state[_BY_REFERENCE] = True
        elif "wv_" in state:
            table, plain = state["wv_"], _without_memmaps(state["wv_"])
            for name, value in state.items():
                if value is table:  # wv_, and a parameter holding the same table
                    state[name] = plain
        return state

    def __setstate__(self, state):
        by_reference = state.pop(_BY_REFERENCE, False)
        super().__setstate__(state)
        if by_reference:
            self._reload_table()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
