"""Table sharing (``skw2v/_sharing.py``): clone, copies, pickles and workers."""

import copy
import pickle

import numpy as np
import pytest
from sklearn.base import clone

from skw2v import (
    AvgWord2VecTransformer,
    EmbeddingSequencer,
    PretrainedEmbeddingVectorizer,
    Word2VecVectorizer,
)
from skw2v._parallel import table_bytes_to_copy
from skw2v._sharing import _SharedTableMixin

pytestmark = pytest.mark.filterwarnings("ignore:.*have no word in the vocabulary")

ESTIMATORS = {
    AvgWord2VecTransformer: "vectors",
    PretrainedEmbeddingVectorizer: "vectors",
    EmbeddingSequencer: "vectors",
    Word2VecVectorizer: "init_vectors",
}


@pytest.mark.parametrize("cls", list(ESTIMATORS), ids=lambda cls: cls.__name__)
def test_every_estimator_shares_its_table_parameter(cls, fitted_vectorizer):
    param = ESTIMATORS[cls]
    assert issubclass(cls, _SharedTableMixin) and cls._shared_params == (param,)
    estimator = cls(**{param: fitted_vectorizer.wv_})
    assert getattr(clone(estimator), param) is fitted_vectorizer.wv_
    tags = estimator.__sklearn_tags__()
    assert tags.input_tags.string and not tags.input_tags.two_d_array


def test_copies_share_the_fitted_table_and_pickles_hold_it(fitted_vectorizer):
    pooler = AvgWord2VecTransformer(vectors=fitted_vectorizer).fit(["good"])
    assert copy.copy(pooler).wv_ is pooler.wv_
    assert pooler._pickled_table() is pooler.wv_.vectors
    restored = pickle.loads(pickle.dumps(pooler))
    np.testing.assert_array_equal(restored.wv_.vectors, pooler.wv_.vectors)


def test_a_table_from_a_file_travels_by_reference(tmp_path, fitted_vectorizer):
    path = tmp_path / "vectors.bin"
    fitted_vectorizer.wv_.save_word2vec_format(str(path), binary=True)
    by_reference = PretrainedEmbeddingVectorizer(vectors=path).fit(["good"])
    embedded = clone(by_reference).set_params(embed_vectors=True).fit(["good"])
    assert by_reference._pickled_table() is None
    assert embedded._pickled_table() is embedded.wv_.vectors
    assert len(pickle.dumps(by_reference)) < len(pickle.dumps(embedded)) / 5
    assert copy.copy(by_reference).wv_ is by_reference.wv_  # copies share it
    assert table_bytes_to_copy(by_reference._worker_copy()) == 0
    restored = pickle.loads(pickle.dumps(by_reference))
    np.testing.assert_array_equal(
        restored.transform(["good movie"]), by_reference.transform(["good movie"])
    )
