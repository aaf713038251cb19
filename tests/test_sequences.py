"""EmbeddingSequencer: vocabulary, embedding matrix, coverage, padded sequences."""

import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.test.utils import datapath
from sklearn.utils import estimator_checks as sk_checks
from sklearn.utils._param_validation import InvalidParameterError

from skw2v import EmbeddingSequencer

CHECKS = [
    sk_checks.check_estimator_cloneable,
    sk_checks.check_no_attributes_set_in_init,
    sk_checks.check_get_params_invariance,
    sk_checks.check_set_params,
    sk_checks.check_parameters_default_constructible,
    sk_checks.check_param_validation,
    sk_checks.check_transformers_unfitted,
]


@pytest.fixture(scope="module")
def polarity():
    # fastText vectors trained on the movie reviews, with a few cased words.
    wv = KeyedVectors.load_word2vec_format(
        datapath("pang_lee_polarity_fasttext.vec"), unicode_errors="replace"
    )
    keys = [k.upper() if k == "film" else k for k in wv.index_to_key]
    cased = KeyedVectors(vector_size=wv.vector_size)
    cased.add_vectors(keys, wv.vectors)
    return cased


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_sklearn_checks(check, polarity):
    check("EmbeddingSequencer", EmbeddingSequencer(vectors=polarity))


def test_matrix_rows_follow_the_vocabulary(polarity, small_corpus):
    X, _ = small_corpus
    seq = EmbeddingSequencer(vectors=polarity, min_count=2, random_state=0).fit(X)
    matrix, words = seq.embedding_matrix_, seq.index_to_word_
    assert matrix.shape == (len(seq.vocabulary_) + 1, 100) and matrix.dtype == "f4"
    assert not matrix[0].any(), "row 0 (padding) must be zeros"
    for word in ["the", "good", "film"]:  # "film" is stored as "FILM"
        np.testing.assert_array_equal(
            matrix[seq.vocabulary_[word]],
            polarity[word.upper() if word == "film" else word],
        )
    report = seq.coverage_
    assert (
        report["n_words"] == len(words) - 1 == report["n_found"] + report["n_missing"]
    )
    assert report["n_missing"] > 0 and report["missing_words"][0] in seq.vocabulary_
    assert all(w not in polarity.key_to_index for w in report["missing_words"])
    missing_rows = matrix[[seq.vocabulary_[w] for w in report["missing_words"]]]
    assert np.abs(missing_rows).min(axis=1).max() > 0  # random, not zeros
    again = EmbeddingSequencer(vectors=polarity, min_count=2, random_state=0).fit(X)
    other = EmbeddingSequencer(vectors=polarity, min_count=2, random_state=1).fit(X)
    np.testing.assert_array_equal(again.embedding_matrix_, matrix)
    assert not np.array_equal(other.embedding_matrix_, matrix)
    # Vocabulary: most frequent first, min_count and max_words respected.
    counts = [sum(doc.lower().split().count(w) for doc in X) for w in words[1:4]]
    assert counts == sorted(counts, reverse=True)
    small = EmbeddingSequencer(vectors=polarity, max_words=50).fit(X)
    assert list(small.vocabulary_) == list(words[1:51])


@pytest.mark.parametrize(
    "truncating, padding, expected",
    [
        ("post", "post", [[1, 2, 3], [4, 1, 0], [0, 0, 0]]),
        ("pre", "post", [[3, 1, 4], [4, 1, 0], [0, 0, 0]]),
        ("post", "pre", [[1, 2, 3], [0, 4, 1], [0, 0, 0]]),
        ("pre", "pre", [[3, 1, 4], [0, 4, 1], [0, 0, 0]]),
    ],
)
def test_padding_and_truncation(truncating, padding, expected):
    seq = EmbeddingSequencer(
        max_length=3, truncating=truncating, padding=padding, vector_size=4
    ).fit(["a a a b c d", "b c d", "a d"])
    assert list(seq.index_to_word_) == ["", "a", "d", "b", "c"]
    out = seq.transform(["a d b a c", "c unknown a", "unknown words only"])
    assert out.dtype == np.int64
    np.testing.assert_array_equal(out, expected)


def test_without_vectors_everything_is_random_and_max_length_learned(small_corpus):
    X, _ = small_corpus
    seq = EmbeddingSequencer(vector_size=8, random_state=0).fit(X)
    assert seq.coverage_["n_found"] == 0 and seq.embedding_matrix_.shape[1] == 8
    assert seq.max_length_ == max(map(len, map(seq.build_analyzer(), X)))
    assert seq.transform(X).shape == (len(X), seq.max_length_)
    assert seq.get_feature_names_out()[0] == "embeddingsequencer0"


def test_one_huge_training_text_cannot_make_transform_allocate_without_bound():
    # max_length=None: one text of 400,000 words sets the width of every row,
    # so transforming enough short texts would need more than the machine has.
    import os

    text = "word " * 400_000
    sequencer = EmbeddingSequencer(vector_size=4, random_state=0).fit([text, "a b"])
    assert sequencer.max_length_ == 400_000
    memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    n_documents = memory // (400_000 * 8) + 1
    with pytest.raises(MemoryError, match=r"GiB at max_length_=400,000.*max_length="):
        sequencer.transform(["a b"] * n_documents)
    assert sequencer.transform(["a b"] * 10).shape == (10, 400_000)  # fits


def test_bad_input(polarity):
    with pytest.raises(InvalidParameterError, match="truncating"):
        EmbeddingSequencer(truncating="middle").fit(["a b"])
    with pytest.raises(TypeError, match="must be a gensim KeyedVectors"):
        EmbeddingSequencer(vectors="not a file".split()).fit(["a b"])
    with pytest.raises(ValueError, match="Empty vocabulary"):
        EmbeddingSequencer(min_count=5).fit(["a b"])
    with pytest.raises(ValueError, match="string object received"):
        EmbeddingSequencer().fit("a single string")


def test_torch_example_exits_cleanly_without_torch():
    import subprocess
    import sys
    from pathlib import Path

    example = Path(__file__).parents[1] / "examples" / "torch_embeddings.py"
    code = (
        "import runpy, sys; sys.modules['torch'] = None; "  # import torch fails
        f"sys.argv = ['x', '--quick']; runpy.run_path({str(example)!r})"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "needs PyTorch, which is not installed" in done.stdout


def test_transform_memory_is_the_output_plus_one_chunk(monkeypatch, reviews):
    import tracemalloc

    import skw2v._sequences

    X = reviews.data * 2
    sequencer = EmbeddingSequencer(max_length=20, random_state=0).fit(X[:2000])
    output_bytes = len(X) * 20 * 8

    def peak_above_output(chunk_size):
        monkeypatch.setattr(skw2v._sequences, "CHUNK_SIZE", chunk_size)
        tracemalloc.start()
        try:
            sequences = sequencer.transform(X)
            return tracemalloc.get_traced_memory()[1] - output_bytes, sequences
        finally:
            tracemalloc.stop()

    small_chunks, chunked = peak_above_output(2**16)
    one_chunk, whole = peak_above_output(2**30)
    np.testing.assert_array_equal(chunked, whole)
    assert small_chunks < 4 * 2**20
    assert one_chunk > 4 * small_chunks
