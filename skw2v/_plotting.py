"""Two-dimensional pictures of word vectors (matplotlib is an optional extra).

Both functions follow the same three steps: look the words up (a clear error,
or a warning with ``missing="skip"``, for the ones the vectors lack), project
their vectors to 2-D with scikit-learn (PCA or t-SNE), and draw on a matplotlib
``Axes`` that is returned, so the caller can keep styling it.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real

import numpy as np
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE

from ._compat import Interval, StrOptions, validate_params
from ._vectors import WordTable, as_keyed_vectors
from ._warnings import warn_user

#: Shown when matplotlib is not installed.
_MATPLOTLIB_MISSING = (
    "skw2v.plotting needs matplotlib, which is not installed. "
    'Install the plotting extra: pip install "skw2v[plot]".'
)

#: Missing words listed in an error or warning message, at most.
_MAX_LISTED = 20


def _pyplot():
    """Import ``matplotlib.pyplot``, or say which extra to install."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(_MATPLOTLIB_MISSING) from exc
    return plt


#: Constraints of the parameters both plots have.
_PLOT_PARAMS = {
    "vectors": "no_validation",  # as_keyed_vectors says what it accepts
    "ax": "no_validation",
    "normalize": ["boolean"],
    "missing": [StrOptions({"raise", "skip"})],
    "random_state": ["random_state"],
    "fontsize": [Interval(Real, 0, None, closed="neither"), str],
}


def _listing(words: Sequence[str]) -> str:
    shown = ", ".join(map(repr, words[:_MAX_LISTED]))
    more = len(words) - _MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def _find_words(wv, words: Sequence[str], *, missing: str) -> np.ndarray:
    """Return a boolean mask of the words ``wv`` has a vector for.

    With ``missing="raise"`` a word without a vector is a ``ValueError`` that
    lists all such words (a ``KeyError`` would print the message in quotes);
    with ``"skip"`` they are left out with one warning.
    """
    absent = WordTable(wv).missing(words)
    found = np.isin(words, absent, invert=True) if absent else np.ones(len(words), bool)
    if found.all():
        return found
    if missing == "raise":
        raise ValueError(
            f"{len(absent)} of {len(words)} words have no vector: "
            f"{_listing(absent)}. Check their spelling and case (a vectorizer "
            "with lowercase=True only knows lowercase words), or pass "
            'missing="skip" to leave them out.'
        )
    warn_user(f"Left out {len(absent)} words that have no vector: {_listing(absent)}.")
    return found


def _word_matrix(wv, words: Sequence[str], *, normalize: bool) -> np.ndarray:
    """Stack the words' vectors (one row each), scaled to unit length if asked."""
    matrix = np.vstack([wv[word] for word in words]).astype(np.float64)
    if normalize:
        lengths = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix /= np.where(lengths > 0, lengths, 1.0)
    return matrix


def _project(
    matrix: np.ndarray, *, method: str, perplexity, random_state
) -> tuple[np.ndarray, tuple[str, str]]:
    """Project the rows of ``matrix`` to 2-D; return the points and axis titles."""
    n_words, n_dims = matrix.shape
    if method == "pca" and n_words == 1:
        return np.zeros((1, 2)), ("(flat)", "(flat)")
    if method == "pca":
        n_components = min(2, n_words, n_dims)
        pca = PCA(n_components=n_components, random_state=random_state)
        points = pca.fit_transform(matrix)
        shares = [f"{share:.0%}" for share in pca.explained_variance_ratio_]
        titles = [f"PC{i + 1} ({share} of variance)" for i, share in enumerate(shares)]
        # With two words or a 1-D table the missing axis is flat.
        points = np.pad(points, ((0, 0), (0, 2 - n_components)))
        titles += ["(flat)"] * (2 - n_components)
        return points, (titles[0], titles[1])

    if n_words < 2:
        raise ValueError(
            f't-SNE needs at least 2 words, got {n_words}; use method="pca".'
        )
    if perplexity is None:
        # scikit-learn's default of 30 must be below the number of points.
        perplexity = min(30.0, max((n_words - 1) / 3, 0.5))
    elif perplexity >= n_words:
        raise ValueError(
            f"perplexity={perplexity} must be smaller than the number of words "
            f"plotted ({n_words}); use a smaller value, or perplexity=None to "
            "choose one from the number of words."
        )
    tsne = TSNE(
        n_components=2,
        perplexity=perplexity,
        metric="cosine",
        init="pca",
        random_state=random_state,
    )
    return tsne.fit_transform(matrix), ("t-SNE 1", "t-SNE 2")


def _group_colors(n_groups: int) -> list:
    """Return ``n_groups`` distinct colours (matplotlib's qualitative maps)."""
    import matplotlib as mpl

    if n_groups <= 10:
        return [mpl.colormaps["tab10"](i) for i in range(n_groups)]
    if n_groups <= 20:
        return [mpl.colormaps["tab20"](i) for i in range(n_groups)]
    return list(mpl.colormaps["viridis"](np.linspace(0, 1, n_groups)))


def _new_axes(ax):
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6))
    return ax


def _label_points(ax, words: Sequence[str], points: np.ndarray, fontsize) -> None:
    for word, (x, y) in zip(words, points, strict=True):
        ax.annotate(
            word,
            (x, y),
            xytext=(4, 3),
            textcoords="offset points",
            fontsize=fontsize,
        )


@validate_params(
    {
        "words": ["array-like"],
        "method": [StrOptions({"pca", "tsne"})],
        "groups": ["array-like", None],
        "perplexity": [Interval(Real, 0, None, closed="neither"), None],
        **_PLOT_PARAMS,
    },
    prefer_skip_nested_validation=True,
)
def plot_embeddings(
    vectors,
    words,
    *,
    method="pca",
    groups=None,
    ax=None,
    normalize=True,
    missing="raise",
    perplexity=None,
    random_state=None,
    fontsize=9,
):
    """Draw words as points in 2-D, coloured by group and labelled.

    The words' vectors are projected to two dimensions with PCA (a linear map:
    directions and offsets between words are kept, distances shrink) or t-SNE
    (non-linear: neighbourhoods are kept, distances between far-apart clusters
    mean little). Each group gets one colour and one legend entry.

    Parameters
    ----------
    vectors : KeyedVectors, gensim Word2Vec/FastText model or fitted vectorizer
        The word vectors: a gensim ``KeyedVectors``, a gensim model (its ``wv``
        is used), or a fitted skw2v vectorizer.
    words : array-like of str
        The words to draw, looked up exactly as written.
    method : {"pca", "tsne"}, default="pca"
        Projection to 2-D: scikit-learn's ``PCA`` or ``TSNE`` (with cosine
        distances and PCA initialisation).
    groups : array-like of shape (n_words,) or None, default=None
        A group label per word (e.g. "positive" / "negative"); each group is
        drawn in its own colour and named in the legend. None draws every word
        in one colour, without a legend.
    ax : matplotlib Axes or None, default=None
        Where to draw; None creates a new figure.
    normalize : bool, default=True
        Scale every vector to unit length before projecting, so that the
        picture reflects cosine similarity rather than vector length (which in
        word2vec grows with word frequency).
    missing : {"raise", "skip"}, default="raise"
        What to do with words that have no vector: raise a ``ValueError`` that
        lists them, or leave them out with one warning that lists them.
    perplexity : float or None, default=None
        t-SNE's perplexity, smaller than the number of words. None uses
        scikit-learn's default of 30, lowered to a third of the number of words
        for short word lists. Ignored by PCA.
    random_state : int, RandomState instance or None, default=None
        Seed of the projection (t-SNE's optimisation; PCA's solver).
    fontsize : float or str, default=9
        Size of the word labels.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on.

    Raises
    ------
    ImportError
        When matplotlib is not installed (``pip install "skw2v[plot]"``).
    ValueError
        With ``missing="raise"``, for words that have no vector; for an empty
        word list, ``groups`` of another length than ``words``, t-SNE with
        fewer than two words, or a perplexity not below the number of words.

    See Also
    --------
    plot_analogies : Arrows for word-pair offsets such as man -> woman.

    Examples
    --------
    >>> from skw2v.datasets import load_glove_50d
    >>> from skw2v.plotting import plot_embeddings
    >>> glove = load_glove_50d(data_home=getfixture("tmp_path"), cache_dir=False)
    >>> words = ["good", "great", "bad", "awful", "paris", "london"]
    >>> groups = ["positive"] * 2 + ["negative"] * 2 + ["city"] * 2
    >>> ax = plot_embeddings(glove.vectors, words, groups=groups)
    >>> [text.get_text() for text in ax.texts]
    ['good', 'great', 'bad', 'awful', 'paris', 'london']
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['positive', 'negative', 'city']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    wv = as_keyed_vectors(vectors)
    words = [str(word) for word in np.ravel(np.asarray(words, dtype=object))]
    if not words:
        raise ValueError("words is empty; pass at least one word to plot.")
    if groups is not None:
        groups = list(np.ravel(np.asarray(groups, dtype=object)))
        if len(groups) != len(words):
            raise ValueError(
                f"groups has {len(groups)} labels for {len(words)} words; give "
                "exactly one group label per word."
            )
    ax = _new_axes(ax)

    found = _find_words(wv, words, missing=missing)
    words = [word for word, ok in zip(words, found, strict=True) if ok]
    if not words:
        raise ValueError("None of the words has a vector; nothing to plot.")
    points, titles = _project(
        _word_matrix(wv, words, normalize=normalize),
        method=method,
        perplexity=perplexity,
        random_state=random_state,
    )

    if groups is None:
        ax.scatter(points[:, 0], points[:, 1], color="tab:blue")
    else:
        groups = np.asarray(
            [group for group, ok in zip(groups, found, strict=True) if ok],
            dtype=object,
        )
        names = list(dict.fromkeys(groups))  # first-seen order
        for name, color in zip(names, _group_colors(len(names)), strict=True):
            members = groups == name
            ax.scatter(
                points[members, 0], points[members, 1], color=color, label=str(name)
            )
        ax.legend(title=None, loc="best")
    _label_points(ax, words, points, fontsize)
    ax.set_xlabel(titles[0])
    ax.set_ylabel(titles[1])
    return ax


@validate_params(
    {
        "pairs": ["array-like"],
        **_PLOT_PARAMS,
    },
    prefer_skip_nested_validation=True,
)
def plot_analogies(
    vectors,
    pairs,
    *,
    ax=None,
    normalize=True,
    missing="raise",
    random_state=None,
    fontsize=9,
):
    """Draw word pairs as arrows, to show their offsets (man -> woman, king -> queen).

    In a good embedding, pairs related in the same way (male -> female, country
    -> capital) have roughly the same offset vector, which is what makes
    ``king - man + woman ~ queen`` work. This draws every word of the pairs after
    a PCA projection to 2-D (a linear map, so equal offsets stay equal and
    parallel arrows stay parallel) and an arrow from the first word of each pair
    to the second.

    Parameters
    ----------
    vectors : KeyedVectors, gensim Word2Vec/FastText model or fitted vectorizer
        The word vectors: a gensim ``KeyedVectors``, a gensim model (its ``wv``
        is used), or a fitted skw2v vectorizer.
    pairs : array-like of shape (n_pairs, 2)
        The pairs ``(source, target)``, e.g. ``[("man", "woman"), ("king",
        "queen")]``. A word may appear in several pairs; it is drawn once.
    ax : matplotlib Axes or None, default=None
        Where to draw; None creates a new figure.
    normalize : bool, default=True
        Scale every vector to unit length before projecting (the analogy
        arithmetic of word2vec works on unit vectors too).
    missing : {"raise", "skip"}, default="raise"
        What to do with pairs that contain a word without a vector: raise a
        ``ValueError`` that lists the words, or leave those pairs out with a
        warning.
    random_state : int, RandomState instance or None, default=None
        Seed of PCA's solver.
    fontsize : float or str, default=9
        Size of the word labels.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on. The arrows are one ``Quiver`` collection whose
        ``X, Y`` are the sources and ``U, V`` the offsets, in data coordinates.

    Raises
    ------
    ImportError
        When matplotlib is not installed (``pip install "skw2v[plot]"``).
    ValueError
        With ``missing="raise"``, for words that have no vector; for pairs
        that are not pairs of two words, or when no pair is left to draw.

    See Also
    --------
    plot_embeddings : Points coloured by group, with PCA or t-SNE.

    Examples
    --------
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> from skw2v.plotting import plot_analogies
    >>> wv = KeyedVectors(vector_size=3)
    >>> wv.add_vectors(
    ...     ["man", "woman", "king", "queen"],
    ...     np.array([[1, 0, 0], [1, 1, 0], [1, 0, 2], [1, 1, 2]]),
    ... )
    >>> ax = plot_analogies(
    ...     wv, [("man", "woman"), ("king", "queen")], normalize=False
    ... )
    >>> arrows = ax.collections[-1]
    >>> np.allclose(arrows.U[0], arrows.U[1]) and np.allclose(arrows.V[0], arrows.V[1])
    True
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    wv = as_keyed_vectors(vectors)
    pairs = np.asarray(pairs, dtype=object)
    if pairs.ndim != 2 or pairs.shape[1] != 2 or len(pairs) == 0:
        raise ValueError(
            "pairs must be a non-empty list of (source, target) word pairs, e.g. "
            f"[('man', 'woman'), ('king', 'queen')]; got an array of shape "
            f"{pairs.shape}."
        )
    pairs = np.asarray([[str(a), str(b)] for a, b in pairs.tolist()], dtype=object)
    ax = _new_axes(ax)

    words = list(dict.fromkeys(pairs.ravel()))
    found = dict(zip(words, _find_words(wv, words, missing=missing), strict=True))
    pairs = pairs[[found[a] and found[b] for a, b in pairs]]
    if len(pairs) == 0:
        raise ValueError("No pair has vectors for both of its words; nothing to plot.")
    words = list(dict.fromkeys(pairs.ravel()))
    points, titles = _project(
        _word_matrix(wv, words, normalize=normalize),
        method="pca",
        perplexity=None,
        random_state=random_state,
    )

    row = {word: i for i, word in enumerate(words)}
    sources = points[[row[a] for a in pairs[:, 0]]]
    targets = points[[row[b] for b in pairs[:, 1]]]
    source_color, target_color = _group_colors(2)
    is_source = np.isin(words, pairs[:, 0])
    ax.scatter(*points[is_source].T, color=source_color, label="first word")
    ax.scatter(*points[~is_source].T, color=target_color, label="second word")
    offsets = targets - sources
    ax.quiver(
        sources[:, 0],
        sources[:, 1],
        offsets[:, 0],
        offsets[:, 1],
        angles="xy",
        scale_units="xy",
        scale=1,
        color="0.45",
        width=0.004,
    )
    _label_points(ax, words, points, fontsize)
    ax.legend(loc="best")
    ax.set_xlabel(titles[0])
    ax.set_ylabel(titles[1])
    return ax
