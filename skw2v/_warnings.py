"""Warnings attributed to the user's code, not to skw2v's internals."""

from __future__ import annotations

import sys
import warnings

#: Top-level packages whose frames a warning skips to reach the user's code.
_LIBRARIES = ("skw2v", "sklearn", "joblib")


def warn_user(message: str, category: type[Warning] = UserWarning) -> None:
    """Warn, attributing the warning to the first caller outside the libraries."""
    frame, stacklevel = sys._getframe(1), 2
    while (
        frame is not None
        and frame.f_globals.get("__name__", "").partition(".")[0] in _LIBRARIES
    ):
        frame, stacklevel = frame.f_back, stacklevel + 1
    warnings.warn(message, category, stacklevel=stacklevel)
