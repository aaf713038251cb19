"""Checks that every skw2v estimator (and any text-to-vector transformer) must pass.

scikit-learn's shared checks feed numeric arrays, so for an estimator that
declares string input they run almost nothing. These checks cover the same
ground with text: the fit/transform contract, clone and pickle round trips,
determinism, pandas output, and use inside ``Pipeline``, ``ColumnTransformer``
and ``GridSearchCV``.

Use them as scikit-learn's own checks are used::

    @pytest.mark.parametrize(
        "estimator, check", text_estimator_checks(MyVectorizer()), ids=check_id
    )
    def test_text_checks(estimator, check):
        check(estimator)

Each check takes an (unfitted) estimator and raises ``AssertionError`` when
the estimator breaks the contract.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline

__all__ = [
    "check_clone_and_pickle_round_trip",
    "check_fit_does_not_change_params",
    "check_fit_returns_self",
    "check_fit_transform_matches_fit_then_transform",
    "check_in_column_transformer",
    "check_in_grid_search",
    "check_in_pipeline",
    "check_not_fitted",
    "check_output_shape_and_dtype",
    "check_pandas_output",
    "check_refit_is_idempotent",
    "check_rejects_non_text",
    "check_id",
    "text_estimator_checks",
]


def _documents(n: int = 400) -> tuple[list[str], np.ndarray]:
    """Return ``n`` real movie-review snippets, balanced, with their labels."""
    from ..datasets import load_movie_reviews

    reviews = load_movie_reviews()
    half = n // 2
    negative = np.flatnonzero(reviews.target == 0)[:half]
    positive = np.flatnonzero(reviews.target == 1)[: n - half]
    order = np.ravel(np.column_stack([negative, positive]))
    return [reviews.data[i] for i in order], reviews.target[order]


def _seeded(estimator):
    """Return an unfitted clone with ``random_state`` fixed, where it has one."""
    estimator = clone(estimator)
    if "random_state" in estimator.get_params(deep=False):
        estimator.set_params(random_state=0)
    return estimator


def check_fit_returns_self(estimator) -> None:
    """Check that ``fit`` returns the estimator itself."""
    estimator = _seeded(estimator)
    X, _ = _documents()
    assert estimator.fit(X) is estimator, "fit must return self"


def check_fit_does_not_change_params(estimator) -> None:
    """Check that ``fit`` leaves every constructor parameter as it was given."""
    estimator = _seeded(estimator)
    X, _ = _documents()
    before = estimator.get_params(deep=False)
    estimator.fit(X)
    after = estimator.get_params(deep=False)
    for name, value in before.items():
        assert after[name] is value, f"fit changed the parameter {name!r}"


def check_fit_transform_matches_fit_then_transform(estimator) -> None:
    """Check that ``fit_transform(X)`` equals ``fit(X).transform(X)``."""
    X, _ = _documents()
    at_once = _seeded(estimator).fit_transform(X)
    in_two_steps = _seeded(estimator).fit(X).transform(X)
    np.testing.assert_array_equal(at_once, in_two_steps)


def check_output_shape_and_dtype(estimator) -> None:
    """Check for one finite float32 row per document, as wide as the feature names."""
    X, _ = _documents()
    estimator = _seeded(estimator).fit(X)
    Xt = estimator.transform(X[:7])
    names = estimator.get_feature_names_out()
    assert isinstance(Xt, np.ndarray), type(Xt)
    assert Xt.dtype == np.float32, Xt.dtype
    assert Xt.shape == (7, len(names)), (Xt.shape, len(names))
    assert names.dtype == object, names.dtype
    assert np.isfinite(Xt).all(), "output contains NaN or infinity"
    assert np.abs(Xt).sum(axis=1).min() > 0, "a document with known words gave zeros"


def check_not_fitted(estimator) -> None:
    """Check that transform and get_feature_names_out raise NotFittedError."""
    X, _ = _documents(10)
    for method in ("transform", "get_feature_names_out"):
        args = (X,) if method == "transform" else ()
        try:
            getattr(clone(estimator), method)(*args)
        except NotFittedError:
            continue
        raise AssertionError(f"{method} before fit did not raise NotFittedError")


def check_clone_and_pickle_round_trip(estimator) -> None:
    """Check that a clone refits alike and a pickled estimator transforms alike."""
    X, _ = _documents()
    estimator = _seeded(estimator)
    expected = estimator.fit_transform(X)
    np.testing.assert_array_equal(clone(estimator).fit_transform(X), expected)
    restored = pickle.loads(pickle.dumps(estimator))
    np.testing.assert_array_equal(restored.transform(X), expected)
    assert (
        restored.get_params(deep=False).keys()
        == estimator.get_params(deep=False).keys()
    )


def check_refit_is_idempotent(estimator) -> None:
    """Check that fitting twice with a fixed seed gives the same output."""
    X, _ = _documents()
    estimator = _seeded(estimator)
    first = estimator.fit(X).transform(X)
    second = estimator.fit(X).transform(X)
    np.testing.assert_array_equal(first, second)


def check_pandas_output(estimator) -> None:
    """Check that pandas output keeps the index and names the columns."""
    X, _ = _documents()
    series = pd.Series(X, index=[f"doc{i}" for i in range(len(X))], name="text")
    estimator = _seeded(estimator).set_output(transform="pandas")
    frame = estimator.fit_transform(series)
    assert isinstance(frame, pd.DataFrame), type(frame)
    assert frame.index.equals(series.index), "the input's index was not kept"
    assert frame.columns.tolist() == estimator.get_feature_names_out().tolist()
    again = estimator.transform(series.to_frame())
    assert isinstance(again, pd.DataFrame) and again.index.equals(series.index)


def check_in_pipeline(estimator) -> None:
    """Check that a Pipeline with a classifier fits and beats chance."""
    X, y = _documents(800)
    pipe = make_pipeline(_seeded(estimator), LogisticRegression(max_iter=1000))
    pipe.fit(X, y)
    assert pipe.predict(X[:5]).shape == (5,)
    assert pipe.score(X, y) > 0.5, "training accuracy at or below chance"


def check_in_column_transformer(estimator) -> None:
    """Check use on one text column of a DataFrame in a ColumnTransformer."""
    X, _ = _documents()
    frame = pd.DataFrame({"text": X, "length": [len(doc) for doc in X]})
    vectorizer = _seeded(estimator)
    transformer = ColumnTransformer(
        [("words", vectorizer, "text")], remainder="passthrough"
    )
    out = transformer.fit_transform(frame)
    width = len(transformer.named_transformers_["words"].get_feature_names_out())
    assert out.shape == (len(X), width + 1), out.shape
    np.testing.assert_array_equal(out[:, -1], frame["length"].to_numpy())
    names = transformer.get_feature_names_out()
    assert names[0].startswith("words__") and names[-1] == "remainder__length"


def check_in_grid_search(estimator) -> None:
    """Check ``GridSearchCV`` over one of the estimator's own parameters."""
    X, y = _documents(600)
    pipe = make_pipeline(_seeded(estimator), LogisticRegression(max_iter=1000))
    step = pipe.steps[0][0]
    search = GridSearchCV(pipe, {f"{step}__norm": [None, "l2"]}, cv=2)
    search.fit(X, y)
    results = search.cv_results_
    scores = results["mean_test_score"]
    # Each candidate scores as it does alone: the search set its parameter.
    for params, score in zip(results["params"], scores, strict=True):
        alone = cross_val_score(clone(pipe).set_params(**params), X, y, cv=2)
        np.testing.assert_allclose(score, alone.mean(), err_msg=str(params))
    rows = search.best_estimator_[0].transform(X[:3])
    unit = np.allclose(np.linalg.norm(rows, axis=1), 1)
    assert unit == (search.best_params_[f"{step}__norm"] == "l2"), rows
    assert search.predict(X[:3]).shape == (3,)


def check_rejects_non_text(estimator) -> None:
    """Check that a bare string, numbers and missing values give clear errors."""
    X, _ = _documents(20)
    bad_inputs = {
        "a bare string": ("good movie", ValueError, "string object received"),
        "a numeric array": (np.arange(6.0).reshape(3, 2), (TypeError, ValueError), "X"),
        "a None document": ([X[0], None], ValueError, "missing value"),
        "a number among documents": ([X[0], 3], TypeError, "int"),
    }
    for what, (bad, error, words) in bad_inputs.items():
        try:
            _seeded(estimator).fit(bad)
        except error as exc:
            assert words in str(exc), f"fit on {what}: unclear message {exc}"
        else:
            raise AssertionError(f"fit on {what} did not raise")


_CHECKS: tuple[Callable, ...] = (
    check_fit_returns_self,
    check_fit_does_not_change_params,
    check_fit_transform_matches_fit_then_transform,
    check_output_shape_and_dtype,
    check_not_fitted,
    check_clone_and_pickle_round_trip,
    check_refit_is_idempotent,
    check_pandas_output,
    check_in_pipeline,
    check_in_column_transformer,
    check_in_grid_search,
    check_rejects_non_text,
)


def text_estimator_checks(estimator) -> Iterator[tuple[object, Callable]]:
    """Yield ``(estimator, check)`` pairs, one per text check.

    Parameters
    ----------
    estimator : estimator instance
        An unfitted text-to-vector transformer.

    Yields
    ------
    (estimator, check) : tuple
        Call ``check(estimator)``; it raises ``AssertionError`` on failure.

    Examples
    --------
    >>> from skw2v import Word2VecVectorizer
    >>> from skw2v.utils.estimator_checks import text_estimator_checks
    >>> for estimator, check in text_estimator_checks(
    ...     Word2VecVectorizer(vector_size=10, min_count=2, epochs=2)
    ... ):
    ...     check(estimator)
    """
    for check in _CHECKS:
        yield estimator, check


def check_id(value) -> str:
    """Return a readable pytest id for what ``text_estimator_checks`` yields."""
    if hasattr(value, "get_params"):
        return type(value).__name__
    return getattr(value, "__name__", str(value))
