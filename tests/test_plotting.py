"""skw2v.plotting: what was drawn, checked on the Axes (Agg backend)."""

import sys

import numpy as np
import pytest
from gensim.models import KeyedVectors
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from skw2v import Word2VecVectorizer
from skw2v.plotting import plot_analogies, plot_embeddings

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")

POSITIVE = ["good", "great", "funny", "best", "beautiful"]
NEGATIVE = ["bad", "dull", "boring", "worst", "mess"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _scatters(ax):
    return [c for c in ax.collections if type(c).__name__ == "PathCollection"]


def _labels(ax):
    return [text.get_text() for text in ax.texts]


def test_points_labels_and_legend_per_group(fitted_vectorizer):
    words = POSITIVE + NEGATIVE
    groups = ["positive"] * 5 + ["negative"] * 5
    ax = plot_embeddings(fitted_vectorizer, words, groups=groups)

    scatters = _scatters(ax)
    assert [len(c.get_offsets()) for c in scatters] == [5, 5]
    assert _labels(ax) == words
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "positive",
        "negative",
    ]
    colors = [np.unique(c.get_facecolor(), axis=0) for c in scatters]
    assert all(len(c) == 1 for c in colors)  # one colour within a group
    assert not np.allclose(colors[0], colors[1])  # different between groups


def test_pca_points_are_the_projection_of_the_unit_vectors(fitted_vectorizer):
    words = POSITIVE + NEGATIVE
    ax = plot_embeddings(fitted_vectorizer, words)

    (scatter,) = _scatters(ax)
    wv = fitted_vectorizer.wv_
    unit = np.vstack([wv.get_vector(w, norm=True) for w in words]).astype(float)
    expected = PCA(n_components=2).fit_transform(unit)
    np.testing.assert_allclose(scatter.get_offsets(), expected, atol=1e-5)
    # Each label sits on its own point.
    for text, point in zip(ax.texts, expected, strict=True):
        np.testing.assert_allclose(text.xy, point, atol=1e-5)
    assert ax.get_legend() is None
    assert ax.get_xlabel().startswith("PC1 (") and "of variance" in ax.get_xlabel()


def test_normalize_false_projects_the_raw_vectors(toy_vectors):
    ax = plot_embeddings(toy_vectors, ["good", "bad", "movie"], normalize=False)
    expected = PCA(n_components=2).fit_transform(toy_vectors.vectors.astype(float))
    np.testing.assert_allclose(_scatters(ax)[0].get_offsets(), expected, atol=1e-6)


def test_tsne_handles_a_short_word_list(fitted_vectorizer):
    words = ["good", "bad", "film", "movie"]
    ax = plot_embeddings(fitted_vectorizer, words, method="tsne", random_state=0)

    (scatter,) = _scatters(ax)
    points = scatter.get_offsets()
    assert points.shape == (4, 2) and np.isfinite(points).all()
    assert _labels(ax) == words
    assert ax.get_xlabel() == "t-SNE 1"


def test_tsne_is_reproducible_with_random_state(fitted_vectorizer):
    words = POSITIVE + NEGATIVE
    first = plot_embeddings(fitted_vectorizer, words, method="tsne", random_state=0)
    second = plot_embeddings(fitted_vectorizer, words, method="tsne", random_state=0)
    np.testing.assert_allclose(
        _scatters(first)[0].get_offsets(), _scatters(second)[0].get_offsets()
    )


def test_draws_on_the_given_axes(fitted_vectorizer):
    fig, (left, right) = plt.subplots(1, 2)
    ax = plot_embeddings(fitted_vectorizer, POSITIVE, ax=right)
    assert ax is right
    assert len(left.collections) == 0 and len(right.texts) == 5


def test_accepts_keyed_vectors_and_gensim_models(fitted_vectorizer, small_corpus):
    from gensim.models import Word2Vec

    wv = fitted_vectorizer.wv_
    from_wv = plot_embeddings(wv, POSITIVE)
    from_estimator = plot_embeddings(fitted_vectorizer, POSITIVE)
    np.testing.assert_allclose(
        _scatters(from_wv)[0].get_offsets(), _scatters(from_estimator)[0].get_offsets()
    )
    model = Word2Vec([["good", "movie"], ["bad", "movie"]], vector_size=4, min_count=1)
    ax = plot_embeddings(model, ["good", "bad", "movie"])
    assert _labels(ax) == ["good", "bad", "movie"]


def test_missing_words_are_listed_in_the_error(fitted_vectorizer):
    with pytest.raises(
        ValueError, match=r"2 of 4 words have no vector: 'Good', 'zzzq'"
    ):
        plot_embeddings(fitted_vectorizer, ["good", "Good", "bad", "zzzq"])


def test_missing_skip_leaves_them_out_with_their_groups(fitted_vectorizer):
    words = ["good", "zzzq", "bad", "great"]
    groups = ["pos", "pos", "neg", "pos"]
    with pytest.warns(UserWarning, match=r"Left out 1 words .*'zzzq'"):
        ax = plot_embeddings(fitted_vectorizer, words, groups=groups, missing="skip")
    assert _labels(ax) == ["good", "bad", "great"]
    assert [len(c.get_offsets()) for c in _scatters(ax)] == [2, 1]


def test_a_single_word_is_drawn_at_the_origin(fitted_vectorizer):
    ax = plot_embeddings(fitted_vectorizer, ["good"])
    np.testing.assert_allclose(_scatters(ax)[0].get_offsets(), [[0.0, 0.0]])
    assert ax.get_ylabel() == "(flat)"


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"words": []}, ValueError, "words is empty"),
        ({"groups": ["a", "b"]}, ValueError, "groups has 2 labels for 3 words"),
        ({"method": "tsne", "words": ["good"]}, ValueError, "at least 2 words"),
        (
            {"method": "tsne", "perplexity": 3},
            ValueError,
            r"perplexity=3 must be smaller than the number of words plotted \(3\)",
        ),
        ({"words": "good"}, InvalidParameterError, "'words' parameter"),
        ({"method": "umap"}, InvalidParameterError, "'method' parameter"),
        ({"missing": "ignore"}, InvalidParameterError, "'missing' parameter"),
    ],
)
def test_bad_arguments(fitted_vectorizer, kwargs, error, message):
    arguments = {"words": ["good", "bad", "movie"], **kwargs}
    with pytest.raises(error, match=message):
        plot_embeddings(fitted_vectorizer, **arguments)


def test_bad_vectors():
    with pytest.raises(TypeError, match="vectors must be a gensim KeyedVectors"):
        plot_embeddings({"good": [1, 2]}, ["good"])
    with pytest.raises(NotFittedError, match="fit it first"):
        plot_embeddings(Word2VecVectorizer(), ["good"])


def test_no_word_found_at_all(fitted_vectorizer):
    with pytest.warns(UserWarning, match="Left out 2 words"):
        with pytest.raises(ValueError, match="None of the words has a vector"):
            plot_embeddings(fitted_vectorizer, ["zzzq", "qqqz"], missing="skip")


def test_import_error_names_the_extra(monkeypatch, fitted_vectorizer):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r'pip install "skw2v\[plot\]"'):
        plot_embeddings(fitted_vectorizer, ["good", "bad"])
    with pytest.raises(ImportError, match=r'pip install "skw2v\[plot\]"'):
        plot_analogies(fitted_vectorizer, [("good", "bad")])


# -- plot_analogies --------------------------------------------------------------


@pytest.fixture
def parallel_vectors():
    """Two pairs with exactly the same offset, and a third pair with another."""
    wv = KeyedVectors(vector_size=3)
    wv.add_vectors(
        ["man", "woman", "king", "queen", "paris", "france"],
        np.array(
            [[0, 0, 0], [1, 0, 0], [0, 2, 0], [1, 2, 0], [3, 1, 1], [3, 1, 3]],
            dtype=np.float32,
        ),
    )
    return wv


def test_arrows_go_from_first_to_second_word(parallel_vectors):
    pairs = [("man", "woman"), ("king", "queen"), ("paris", "france")]
    ax = plot_analogies(parallel_vectors, pairs, normalize=False)

    (arrows,) = [c for c in ax.collections if type(c).__name__ == "Quiver"]
    assert arrows.N == 3
    points = dict(zip(_labels(ax), np.vstack([c.xy for c in ax.texts]), strict=True))
    for i, (a, b) in enumerate(pairs):
        np.testing.assert_allclose([arrows.X[i], arrows.Y[i]], points[a], atol=1e-6)
        np.testing.assert_allclose(
            [arrows.X[i] + arrows.U[i], arrows.Y[i] + arrows.V[i]],
            points[b],
            atol=1e-6,
        )
    # Equal offsets in the vectors stay equal after the linear projection.
    np.testing.assert_allclose(
        [arrows.U[0], arrows.V[0]], [arrows.U[1], arrows.V[1]], atol=1e-9
    )
    assert not np.allclose([arrows.U[0], arrows.V[0]], [arrows.U[2], arrows.V[2]])
    sources, targets = _scatters(ax)
    assert len(sources.get_offsets()) == 3 and len(targets.get_offsets()) == 3
    assert sorted(_labels(ax)) == sorted(w for pair in pairs for w in pair)


def test_a_word_shared_by_pairs_is_drawn_once(parallel_vectors):
    ax = plot_analogies(parallel_vectors, [("man", "woman"), ("man", "king")])
    assert sorted(_labels(ax)) == ["king", "man", "woman"]
    assert sum(len(c.get_offsets()) for c in _scatters(ax)) == 3


def test_pairs_with_a_missing_word(parallel_vectors):
    pairs = [("man", "woman"), ("prince", "princess"), ("king", "queen")]
    with pytest.raises(ValueError, match="2 of 6 words have no vector: 'prince'"):
        plot_analogies(parallel_vectors, pairs)
    with pytest.warns(UserWarning, match="Left out 2 words"):
        ax = plot_analogies(parallel_vectors, pairs, missing="skip")
    (arrows,) = [c for c in ax.collections if type(c).__name__ == "Quiver"]
    assert arrows.N == 2
    assert "prince" not in _labels(ax)


@pytest.mark.parametrize(
    "pairs", [[], [("man", "woman", "king")], ["man", "woman"]], ids=repr
)
def test_pairs_must_be_pairs(parallel_vectors, pairs):
    with pytest.raises(ValueError, match=r"list of \(source, target\) word pairs"):
        plot_analogies(parallel_vectors, pairs)
