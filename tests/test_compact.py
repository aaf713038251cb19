"""Compact tables (``skw2v/_compact.py``): float16, and int8 with a scale per row."""

import pickle
import tracemalloc

import numpy as np
import pytest
from gensim.models import KeyedVectors
from sklearn.utils._param_validation import InvalidParameterError

import skw2v._parallel
from skw2v import (
    EmbeddingSequencer,
    PretrainedEmbeddingVectorizer,
    clear_registry,
    load_vectors,
)
from skw2v._compact import QuantizedKeyedVectors, float_rows, quantize
from skw2v._loading import load_counts, source_digest
from skw2v.datasets import load_glove_50d
from skw2v.evaluation import evaluate_similarity

# A few reviews consist only of words these vectors lack; that warning is expected.
pytestmark = pytest.mark.filterwarnings("ignore:.*have no word in the vocabulary")


def _step(row: np.ndarray) -> float:
    """The largest error of a value of ``row`` stored in int8 (half a scale)."""
    return float(np.abs(row).max()) / 127 / 2 * (1 + 1e-5)


@pytest.fixture(scope="module")
def glove_path(tmp_path_factory):
    """The bundled GloVe-50 table (50,000 words), as a word2vec binary file."""
    folder = tmp_path_factory.mktemp("glove")
    return load_glove_50d(data_home=folder, cache_dir=folder).path


@pytest.fixture
def documents(reviews):
    return reviews.data[:300]


def test_quantize_rounds_each_row_to_its_scale(polarity):
    rows, scales = quantize(polarity.vectors)
    assert rows.dtype == np.int8 and scales.dtype == np.float32
    assert rows.shape == polarity.vectors.shape
    assert np.abs(rows).max() == 127 and rows.min() >= -127
    np.testing.assert_allclose(
        scales, np.abs(polarity.vectors).max(axis=1) / 127, rtol=1e-6
    )
    error = np.abs(rows * scales[:, None] - polarity.vectors)
    assert (error <= scales[:, None] / 2 * (1 + 1e-5)).all()


def test_an_all_zero_row_stays_zero():
    rows, scales = quantize(np.array([[0.0, 0.0], [1.0, -2.0]], np.float32))
    assert rows[0].tolist() == [0, 0] and scales[0] == 0
    assert np.isfinite(scales).all()


@pytest.mark.parametrize("dtype", ["float16", "int8"])
def test_a_compact_table_is_cached_and_mapped(glove_path, cache_in_tmp, dtype):
    full = load_vectors(glove_path)
    compact = load_vectors(glove_path, dtype=dtype)
    assert compact.vectors.dtype == np.dtype(dtype)
    assert compact.vectors.nbytes == full.vectors.nbytes * np.dtype(dtype).itemsize / 4
    clear_registry()
    parsed = load_counts["parsed"]
    mapped = load_vectors(glove_path, dtype=dtype)
    assert load_counts["parsed"] == parsed  # mapped from its entry
    assert isinstance(mapped.vectors, np.memmap)
    assert mapped.vectors.dtype == np.dtype(dtype)
    # One entry per dtype, beside the float32 one.
    assert len(list(cache_in_tmp.glob("vectors-v*/*/*/manifest.json"))) == 2
    tolerance = np.abs(full.vectors).max(axis=1, keepdims=True) / 127 / 2
    if dtype == "float16":
        tolerance = np.abs(full.vectors) * 2**-11
    rows = float_rows(mapped, np.arange(len(mapped)))
    assert (np.abs(rows - full.vectors) <= tolerance * (1 + 1e-5) + 1e-7).all()
    np.testing.assert_array_equal(mapped["movie"], rows[mapped.key_to_index["movie"]])


def test_a_compact_entry_is_made_from_the_float32_one(glove_path, cache_in_tmp):
    parsed_first = load_vectors(glove_path, dtype="int8", cache_dir=False)
    clear_registry()
    full = load_vectors(glove_path)
    parsed = load_counts["parsed"]
    compact = load_vectors(glove_path, dtype="int8")
    assert load_counts["parsed"] == parsed  # converted, not parsed again
    assert isinstance(compact.vectors, np.memmap)
    np.testing.assert_array_equal(compact.vectors, parsed_first.vectors)
    np.testing.assert_array_equal(compact.row_scales, parsed_first.row_scales)
    assert source_digest(compact) == source_digest(full) is not None


def test_float32_is_the_files_own_entry(glove_path, cache_in_tmp):
    full = load_vectors(glove_path, dtype="float32")
    assert full.vectors.dtype == np.float32
    clear_registry()
    parsed = load_counts["parsed"]
    load_vectors(glove_path)
    assert load_counts["parsed"] == parsed  # the same entry
    assert len(list(cache_in_tmp.glob("vectors-v*/*/*/manifest.json"))) == 1


@pytest.mark.parametrize("pooling", ["mean", "sum", "max", "mean+max"])
def test_int8_pooling_is_pooling_over_the_scaled_rows(glove_path, documents, pooling):
    compact = load_vectors(glove_path, dtype="int8")
    scaled = KeyedVectors(compact.vector_size, count=0)
    scaled.add_vectors(compact.index_to_key, float_rows(compact, np.arange(50_000)))
    params = {"pooling": pooling, "weighting": "tfidf", "cache_dir": False}
    out = PretrainedEmbeddingVectorizer(vectors=glove_path, dtype="int8", **params)
    expected = PretrainedEmbeddingVectorizer(vectors=scaled, **params)
    np.testing.assert_allclose(
        out.fit_transform(documents),
        expected.fit_transform(documents),
        rtol=1e-5,
        atol=1e-6,
    )


@pytest.mark.parametrize("dtype", ["float16", "int8"])
def test_compact_rows_are_close_to_the_float32_ones(glove_path, documents, dtype):
    full = PretrainedEmbeddingVectorizer(vectors=glove_path).fit_transform(documents)
    vectorizer = PretrainedEmbeddingVectorizer(vectors=glove_path, dtype=dtype)
    out = vectorizer.fit_transform(documents)
    assert out.dtype == np.float32 and vectorizer.vectors_info_["dtype"] == dtype
    np.testing.assert_allclose(out, full, atol=0.02)
    cosine = (out * full).sum(1) / np.linalg.norm(out, axis=1).clip(1e-9)
    cosine /= np.linalg.norm(full, axis=1).clip(1e-9)
    assert np.median(cosine) > 0.999


@pytest.mark.parametrize("dtype", ["float16", "int8"])
def test_pooling_never_converts_the_whole_table(glove_path, documents, dtype):
    vectorizer = PretrainedEmbeddingVectorizer(vectors=glove_path, dtype=dtype)
    vectorizer.fit(documents[:10])
    table_in_float32 = 50_000 * 50 * 4
    tracemalloc.start()
    try:
        vectorizer.transform(documents)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < table_in_float32 / 4


@pytest.mark.parametrize("dtype", ["float16", "int8"])
def test_gensim_methods_work_on_a_compact_table(glove_path, dtype):
    full = load_vectors(glove_path)
    compact = load_vectors(glove_path, dtype=dtype)
    for word in ["good", "king", "france"]:
        expected = [w for w, _ in full.most_similar(word, topn=5)]
        found = [w for w, _ in compact.most_similar(word, topn=5)]
        assert found[0] == expected[0] and len(set(found) & set(expected)) >= 4
    solved = compact.most_similar(positive=["king", "woman"], negative=["man"])
    assert solved[0][0] == "queen"
    assert compact.similarity("good", "bad") == pytest.approx(
        full.similarity("good", "bad"), abs=0.01
    )
    assert compact["good"].dtype == np.dtype(dtype if dtype == "float16" else "f4")
    np.testing.assert_allclose(compact["good"], full["good"], atol=_step(full["good"]))


@pytest.mark.parametrize("dtype", ["float16", "int8"])
def test_evaluation_and_sequencer_read_compact_tables(glove_path, reviews, dtype):
    full = load_vectors(glove_path)
    compact = load_vectors(glove_path, dtype=dtype)
    expected = evaluate_similarity(full)
    result = evaluate_similarity(compact)
    assert result.n_found == expected.n_found
    assert result.spearman == pytest.approx(expected.spearman, abs=0.01)
    sequencer = EmbeddingSequencer(vectors=compact, random_state=0).fit(
        reviews.data[:200]
    )
    good = sequencer.vocabulary_["good"]
    np.testing.assert_allclose(
        sequencer.embedding_matrix_[good], full["good"], atol=_step(full["good"])
    )


def test_pickles_of_an_int8_vectorizer(glove_path, documents):
    vectorizer = PretrainedEmbeddingVectorizer(vectors=glove_path, dtype="int8")
    rows = vectorizer.fit_transform(documents)
    by_reference = pickle.dumps(vectorizer)
    embedded = pickle.dumps(
        PretrainedEmbeddingVectorizer(
            vectors=glove_path, dtype="int8", embed_vectors=True
        ).fit(documents)
    )
    assert len(by_reference) < 100_000 < 50_000 * 50 < len(embedded)
    clear_registry()
    for data in (by_reference, embedded):
        loaded = pickle.loads(data)
        assert isinstance(loaded.wv_, QuantizedKeyedVectors)
        np.testing.assert_array_equal(loaded.transform(documents), rows)


def test_worker_processes_map_the_int8_entry(monkeypatch, glove_path, reviews):
    # A small threshold sends even this batch to two worker processes, which
    # reload the vectorizer by reference: the int8 entry, checked by its digest.
    monkeypatch.setattr(skw2v._parallel, "PROCESS_MIN_CHARACTERS", 1)
    X = reviews.data[:3000]
    vectorizer = PretrainedEmbeddingVectorizer(
        vectors=glove_path, dtype="int8", pooling="mean+max", weighting="sif"
    ).fit(X)
    one = vectorizer.transform(X)
    two = vectorizer.set_params(n_jobs=2).transform(X)
    np.testing.assert_array_equal(one, two)


def test_int8_is_refused_for_a_fasttext_model(tmp_path, tiny_fasttext):
    path = tmp_path / "tiny.bin"
    from gensim.models.fasttext import save_facebook_model

    save_facebook_model(tiny_fasttext, str(path))
    with pytest.raises(ValueError, match="dtype='int8' cannot be used with the fast"):
        load_vectors(path, dtype="int8")
    half = load_vectors(path, dtype="float16")  # its subword rows too
    assert half.vectors_ngrams.dtype == np.float16
    np.testing.assert_allclose(
        half["moviegoer"], tiny_fasttext.wv["moviegoer"], rtol=1e-2, atol=1e-3
    )


def test_values_beyond_float16_are_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("2 2\ngood 70000.0 0.0\nbad -1.0 0.0\n")
    with pytest.raises(ValueError, match="beyond the largest float16"):
        load_vectors(path, dtype="float16")
    assert load_vectors(path, dtype="int8")["good"][0] == pytest.approx(70000.0)


def test_dtype_with_vectors_in_memory_is_refused(polarity):
    with pytest.raises(ValueError, match="applies to vectors read from a file"):
        load_vectors(polarity, dtype="float16")


def test_an_unknown_dtype_is_refused(glove_path):
    with pytest.raises(InvalidParameterError, match="dtype"):
        load_vectors(glove_path, dtype="float64")
    vectorizer = PretrainedEmbeddingVectorizer(vectors=glove_path, dtype="int4")
    with pytest.raises(InvalidParameterError, match="dtype"):
        vectorizer.fit(["good movie"])
