"""Table sharing (``skw2v/_sharing.py``): clone, copies, pickles and workers."""

import copy
import os
import pickle

import numpy as np
import pytest
from sklearn.base import clone

from skw2v import (
    AvgWord2VecTransformer,
    EmbeddingSequencer,
    FastTextVectorizer,
    PretrainedEmbeddingVectorizer,
    Word2VecVectorizer,
    load_vectors,
)
from skw2v._loading import clear_registry, load_counts
from skw2v._parallel import table_bytes_to_copy
from skw2v._sharing import _SharedTableMixin

pytestmark = pytest.mark.filterwarnings("ignore:.*have no word in the vocabulary")

ESTIMATORS = {
    AvgWord2VecTransformer: "vectors",
    PretrainedEmbeddingVectorizer: "vectors",
    EmbeddingSequencer: "vectors",
    Word2VecVectorizer: "init_vectors",
    FastTextVectorizer: "init_vectors",
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
    assert [a is pooler.wv_.vectors for a in pooler._pickled_arrays()] == [True]
    restored = pickle.loads(pickle.dumps(pooler))
    np.testing.assert_array_equal(restored.wv_.vectors, pooler.wv_.vectors)


def test_a_table_from_a_file_travels_by_reference(tmp_path, fitted_vectorizer):
    path = tmp_path / "vectors.bin"
    fitted_vectorizer.wv_.save_word2vec_format(str(path), binary=True)
    by_reference = PretrainedEmbeddingVectorizer(vectors=path).fit(["good"])
    embedded = clone(by_reference).set_params(embed_vectors=True).fit(["good"])
    assert by_reference._pickled_arrays() == []
    assert [a is embedded.wv_.vectors for a in embedded._pickled_arrays()] == [True]
    assert len(pickle.dumps(by_reference)) < len(pickle.dumps(embedded)) / 5
    assert copy.copy(by_reference).wv_ is by_reference.wv_  # copies share it
    assert table_bytes_to_copy(by_reference._worker_copy()) == 0
    restored = pickle.loads(pickle.dumps(by_reference))
    np.testing.assert_array_equal(
        restored.transform(["good movie"]), by_reference.transform(["good movie"])
    )


def test_clone_shares_the_vectors_instead_of_copying_them(
    toy_vectors, fitted_vectorizer
):
    for source in (toy_vectors, fitted_vectorizer):
        pooler = AvgWord2VecTransformer(vectors=source, norm="l2")
        copy = clone(pooler)
        assert copy.vectors is source
        assert copy.norm == "l2"
        fitted_copy = clone(pooler.fit(["good"]))
        assert fitted_copy.vectors is source and not hasattr(fitted_copy, "wv_")
    # set_output survives a clone, as with scikit-learn's own clone
    pandas_pooler = AvgWord2VecTransformer(vectors=toy_vectors).set_output(
        transform="pandas"
    )
    assert hasattr(clone(pandas_pooler).fit(["good"]).transform(["good"]), "columns")


def test_pickle_round_trip(toy_vectors):
    pooler = AvgWord2VecTransformer(vectors=toy_vectors).fit(["good"])
    restored = pickle.loads(pickle.dumps(pooler))
    np.testing.assert_array_equal(
        restored.transform(["good movie"]), pooler.transform(["good movie"])
    )


def test_clone_shares_the_table(vec_file, polarity, small_corpus):
    X, _ = small_corpus
    fitted = PretrainedEmbeddingVectorizer(vectors=vec_file).fit(X[:10])
    parsed = load_counts["parsed"]
    again = clone(fitted).fit(X[:10])
    assert again.wv_ is fitted.wv_ and load_counts["parsed"] == parsed
    in_memory = PretrainedEmbeddingVectorizer(vectors=polarity).fit(X[:10])
    assert clone(in_memory).vectors is polarity
    assert clone(in_memory).fit(X[:10]).wv_ is polarity


def test_pickle_stores_a_reference_not_the_table(vec_file, small_corpus):
    X, _ = small_corpus
    vectorizer = PretrainedEmbeddingVectorizer(vectors=vec_file).fit(X)
    expected = vectorizer.transform(X)
    reference = pickle.dumps(vectorizer)
    embedded = pickle.dumps(vectorizer.set_params(embed_vectors=True))
    table_bytes = vectorizer.wv_.vectors.nbytes
    assert len(reference) < table_bytes / 20 < table_bytes < len(embedded)
    restored = pickle.loads(reference)
    assert restored.wv_ is vectorizer.wv_  # resolved through the registry
    np.testing.assert_array_equal(restored.transform(X), expected)
    # Elsewhere: the embedded one needs no file, the reference names it.
    clear_registry()
    moved = vec_file.with_suffix(".moved")
    os.replace(vec_file, moved)
    np.testing.assert_array_equal(pickle.loads(embedded).transform(X), expected)
    with pytest.raises(FileNotFoundError, match="polarity.bin.*embed_vectors=True"):
        pickle.loads(reference)


def test_clone_shares_the_vectors(polarity):
    assert clone(EmbeddingSequencer(vectors=polarity)).vectors is polarity


def test_skops_round_trips_both_ways_of_keeping_the_table(tmp_path, fitted_vectorizer):
    sio = pytest.importorskip("skops.io")
    path = tmp_path / "vectors.bin"
    fitted_vectorizer.wv_.save_word2vec_format(str(path), binary=True)
    docs = ["a good movie", "a bad movie"]
    for embed in (False, True):
        PretrainedEmbeddingVectorizer(vectors=path).fit(["good"])  # builds the cache
        clear_registry()
        mapped = PretrainedEmbeddingVectorizer(vectors=path, embed_vectors=embed)
        mapped.fit(["good"])
        assert isinstance(mapped.wv_.vectors, np.memmap)  # from the cache
        data = sio.dumps(mapped)
        trusted = sio.get_untrusted_types(data=data)
        assert set(trusted) <= {
            "gensim.models.keyedvectors.KeyedVectors",
            "skw2v._pretrained.PretrainedEmbeddingVectorizer",
            f"pathlib.{type(path).__name__}",  # vectors=path as given
        }
        restored = sio.loads(data, trusted=trusted)
        np.testing.assert_array_equal(restored.transform(docs), mapped.transform(docs))
        assert (len(data) > mapped.wv_.vectors.nbytes) == embed
    # A pickle of a table in memory holds it once, parameter and fitted alike.
    pooler = AvgWord2VecTransformer(vectors=load_vectors(path)).fit(["good"])
    assert len(pickle.dumps(pooler)) < 1.5 * pooler.wv_.vectors.nbytes + 2**20
