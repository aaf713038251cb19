"""The pooling step the vectorizers hold (``skw2v._pooler.Pooler``)."""

import numpy as np
import pytest
from gensim.models import KeyedVectors

from skw2v import AvgWord2VecTransformer
from skw2v._base import _BaseEmbeddingVectorizer
from skw2v._pooler import POOLING_CONSTRAINTS, Pooler


def test_document_vectors_take_components_and_norm_without_a_word_table():
    # Rows that a model gives directly (as Doc2Vec does): no words, no table.
    rng = np.random.default_rng(0)
    rows = rng.standard_normal((40, 5)).astype(np.float32) + [3, 0, 0, 0, 0]
    pooler = Pooler(remove_components=1, norm="l2")
    batches = [rows[:25], rows[25:]]
    kept = pooler.fit_components(batches, width=5, keep=True)
    assert len(kept) == 2 and all(map(np.shares_memory, kept, batches))  # no copy
    top = np.linalg.svd(rows.astype(np.float64), full_matrices=False)[2][0]
    np.testing.assert_allclose(np.abs(pooler.components_[0]), np.abs(top), atol=1e-5)
    finished = pooler.finish(rows.copy())
    expected = rows - np.outer(rows @ top, top)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    np.testing.assert_allclose(finished, expected, atol=1e-5)


def test_rows_are_read_only_when_needed():
    def never():
        raise AssertionError("read")
        yield

    pooler = Pooler()
    assert pooler.fit_components(never(), width=3) == []
    assert pooler.components_.shape == (0, 3)


def test_too_many_components_for_document_vectors():
    with pytest.raises(ValueError, match="remove_components=4 would remove every"):
        Pooler(remove_components=4).fit_components([np.ones((3, 4))], width=4)


def test_the_estimators_take_the_steps_parameters_from_it():
    for name, constraint in POOLING_CONSTRAINTS.items():
        assert _BaseEmbeddingVectorizer._parameter_constraints[name] == constraint


def test_parameters_set_after_fit_wait_for_the_next_fit():
    wv = KeyedVectors(vector_size=2)
    wv.add_vectors(["good", "bad"], np.array([[3.0, 0.0], [0.0, 4.0]]))
    pooler = AvgWord2VecTransformer(vectors=wv, pooling="sum").fit(["good bad"])
    pooler.set_params(pooling="mean+max", norm="l2")
    np.testing.assert_array_equal(pooler.transform(["good bad"]), [[3, 4]])
    assert pooler.get_feature_names_out().shape == (2,)
    refit = pooler.fit(["good bad"]).transform(["good bad"])
    np.testing.assert_allclose(refit, [[1.5, 2, 3, 4]] / np.linalg.norm([1.5, 2, 3, 4]))
