"""The pooling step: from the tokens of a document to its row, learned in ``fit``.

``Pooler`` holds what a vectorizer learns besides its vectors, as
``TfidfVectorizer`` holds a ``TfidfTransformer``: the word weights
(``weighting``), the pooling of the weighted word vectors (``pooling``), the
directions removed from every row (``remove_components``) and the
normalization (``norm``). The numeric work is ``_pooling.py``'s; this module
keeps the parameters, the learned state and the order of the steps.

The last two steps need no words: an estimator whose model gives document
vectors directly uses ``fit_components`` and ``finish`` alone.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping
from functools import reduce
from numbers import Integral, Real

import numpy as np

from ._compact import row_scales
from ._compat import Interval, StrOptions
from ._models import C_INT_MAX, FLOAT32_MAX
from ._pooling import (
    POOLINGS,
    WEIGHTINGS,
    WordStatistics,
    finish_rows,
    pool_ids,
    principal_components,
    second_moment,
    word_statistics,
)
from ._vectors import WordTable

#: The parameters of the pooling step, with their constraints.
POOLING_CONSTRAINTS: dict = {
    "pooling": [StrOptions(set(POOLINGS))],
    "weighting": [StrOptions(set(WEIGHTINGS)), None],
    "sif_a": [Interval(Real, 0, FLOAT32_MAX, closed="right")],
    "remove_components": [Interval(Integral, 0, C_INT_MAX, closed="both")],
    "norm": [StrOptions({"l2"}), None],
}


class Pooler:
    """Weights, pooling, component removal and normalization of documents' rows.

    Parameters
    ----------
    pooling, weighting, sif_a, remove_components, norm
        As in the vectorizers (``POOLING_CONSTRAINTS``; validated there).

    Attributes
    ----------
    word_weights_ : ndarray of shape (n_words,) or None
        The weight of each row of the table; None without ``weighting``.
    unseen_word_weight_ : float or None
        The weight of a word outside the table that still gets a vector.
    statistics_ : WordStatistics or None
        The counts the weights come from, when kept for ``partial_fit``.
    components_ : ndarray of shape (remove_components, n_features_out)
        The directions removed from every row.
    """

    def __init__(
        self,
        *,
        pooling: str = "mean",
        weighting: str | None = None,
        sif_a: float = 1e-3,
        remove_components: int = 0,
        norm: str | None = None,
    ):
        self.pooling = pooling
        self.weighting = weighting
        self.sif_a = sif_a
        self.remove_components = remove_components
        self.norm = norm
        self.word_weights_ = self.unseen_word_weight_ = self.statistics_ = None
        self.components_ = None

    @classmethod
    def of(cls, estimator) -> Pooler:
        """Return a new step with the pooling parameters of ``estimator``."""
        return cls(**{name: getattr(estimator, name) for name in POOLING_CONSTRAINTS})

    @classmethod
    def from_attributes(cls, attributes: Mapping) -> Pooler:
        """Return the step whose attributes (``vars``) are ``attributes``."""
        pooler = cls.__new__(cls)
        vars(pooler).update(attributes)
        return pooler

    def width(self, vector_size: int) -> int:
        """Return the width of a pooled row over vectors of ``vector_size``."""
        return vector_size * POOLINGS[self.pooling].width

    # -- words ------------------------------------------------------------------------

    def fit_weights(
        self,
        batches: Iterable[tuple[list[str], np.ndarray, np.ndarray]],
        n_words: int,
        *,
        key_to_index: Mapping[str, int] | None = None,
        previous: WordStatistics | None = None,
    ) -> None:
        """Learn ``word_weights_`` (one per row of an ``n_words`` table).

        ``batches`` holds the resolved training documents (tokens, rows,
        counts), in one or several batches. ``previous`` statistics, of earlier
        calls, count too. Given the table's ``key_to_index``, the statistics
        are kept in ``statistics_``, for a later ``partial_fit`` to add to, and
        also count the tokens the table lacks, by token: a word that joins the
        table later then weighs as if it had been counted from the start.
        """
        if self.weighting is None:
            return
        keep = key_to_index is not None
        statistics = reduce(
            operator.add,
            (
                word_statistics(ids, lengths, n_words, tokens if keep else None)
                for tokens, ids, lengths in batches
            ),
        )
        if previous is not None:
            statistics = previous + statistics
        if keep:  # words that joined the table bring their earlier counts
            statistics = statistics.with_words_of(key_to_index)
            self.statistics_ = statistics
        weighting = WEIGHTINGS[self.weighting]
        options = {name: getattr(self, name) for name in weighting.parameters}
        self.word_weights_, self.unseen_word_weight_ = weighting.learn(
            statistics, **options
        )

    def pool(
        self,
        table: WordTable,
        tokens: list[str],
        ids: np.ndarray,
        lengths: np.ndarray,
        out: np.ndarray | None = None,
    ) -> tuple[np.ndarray, int]:
        """Pool tokens resolved to rows of ``table`` (see ``WordTable.resolve``).

        Returns the rows (written to ``out``, zeros, when given), before
        component removal and normalization, and how many documents had no
        known word.
        """
        ids, vectors, weights = table.pooling_table(
            tokens, ids, self.word_weights_, self.unseen_word_weight_
        )
        return pool_ids(
            ids,
            lengths,
            vectors,
            pooling=self.pooling,
            weights=weights,
            scales=row_scales(table.wv),  # int8: never a table with subwords
            out=out,
        )

    # -- rows -------------------------------------------------------------------------

    def check_width(self, width: int) -> None:
        """Refuse to remove every direction of rows of ``width`` columns."""
        if self.remove_components >= width:
            raise ValueError(
                f"remove_components={self.remove_components} would remove every "
                f"direction of the {width}-dimensional output; use at most "
                f"{width - 1} (or lower remove_components for a narrower output)."
            )

    def fit_components(
        self, batches: Iterable[np.ndarray], width: int, *, keep: bool = False
    ) -> list[np.ndarray]:
        """Learn ``components_`` from the training rows, in one or several batches.

        The rows are read only when there are components to learn or ``keep``
        asks for them; the rows kept are returned as they were given (not
        finished).
        """
        self.check_width(width)
        self.components_ = np.zeros((0, width), dtype=np.float32)
        if not (keep or self.remove_components):
            return []
        kept, gram = [], 0.0
        for rows in batches:
            if self.remove_components:
                gram = gram + second_moment(rows)
            if keep:
                kept.append(rows)
        if self.remove_components:
            self.components_ = principal_components(gram, self.remove_components)
        return kept

    def finish(self, rows: np.ndarray) -> np.ndarray:
        """Remove the components, then normalize the rows, in place."""
        return finish_rows(rows, components=self.components_, norm=self.norm)
