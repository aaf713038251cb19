"""Word2VecVectorizer(init_vectors=...): fine-tuning pretrained vectors."""

import numpy as np
import pytest
from gensim.models import KeyedVectors
from sklearn.base import clone

from skw2v import Word2VecVectorizer


@pytest.fixture(scope="module")
def splits(reviews):
    """A larger split to pretrain on, and a smaller one to fine-tune on."""
    rng = np.random.default_rng(0)
    order = rng.permutation(len(reviews.data))
    return [reviews.data[i] for i in order[:6000]], [
        reviews.data[i] for i in order[6000:9000]
    ]


@pytest.fixture(scope="module")
def pretrained(splits):
    params = {"vector_size": 24, "min_count": 3, "epochs": 5, "random_state": 0}
    return Word2VecVectorizer(**params).fit(splits[0]).wv_


def _mean_cosine(a: KeyedVectors, b: KeyedVectors, words) -> float:
    x, y = a[words], b[words]
    cos = (x * y).sum(1) / np.linalg.norm(x, axis=1) / np.linalg.norm(y, axis=1)
    return float(cos.mean())


def test_fine_tuning_moves_vectors_but_stays_close(pretrained, splits):
    params = {"vector_size": 24, "min_count": 3, "epochs": 5, "random_state": 1}
    tuned = Word2VecVectorizer(init_vectors=pretrained, **params).fit(splits[1])
    scratch = Word2VecVectorizer(**params).fit(splits[1])
    covered = [w for w in tuned.wv_.index_to_key if w in pretrained.key_to_index]
    assert tuned.n_words_initialized_ == len(covered) > 1000
    tuned_cos = _mean_cosine(tuned.wv_, pretrained, covered)
    scratch_cos = _mean_cosine(scratch.wv_, pretrained, covered)
    assert tuned_cos < 0.999, "training did not move the pretrained vectors"
    assert tuned_cos > scratch_cos + 0.3, (tuned_cos, scratch_cos)
    # The pretrained table itself is left untouched.
    again = Word2VecVectorizer(**{**params, "random_state": 0}).fit(splits[0])
    np.testing.assert_array_equal(again.wv_.vectors, pretrained.vectors)


def test_init_vectors_from_a_file_and_shared_by_clone(pretrained, splits, tmp_path):
    path = tmp_path / "pretrained.bin"
    pretrained.save_word2vec_format(str(path), binary=True)
    params = {"vector_size": 24, "min_count": 3, "epochs": 1, "random_state": 1}
    from_file = Word2VecVectorizer(init_vectors=path, **params).fit(splits[1][:500])
    in_memory = Word2VecVectorizer(init_vectors=pretrained, **params)
    in_memory.fit(splits[1][:500])
    np.testing.assert_allclose(from_file.wv_.vectors, in_memory.wv_.vectors, atol=1e-5)
    assert clone(in_memory).init_vectors is pretrained


def test_dimension_mismatch(pretrained, splits):
    vectorizer = Word2VecVectorizer(init_vectors=pretrained, vector_size=10)
    with pytest.raises(ValueError, match="24 dimensions.*set vector_size=24"):
        vectorizer.fit(splits[1][:200])


def test_init_vectors_that_are_not_vectors(splits):
    with pytest.raises(TypeError, match="must be a gensim KeyedVectors"):
        Word2VecVectorizer(init_vectors=3.0).fit(splits[1][:200])
