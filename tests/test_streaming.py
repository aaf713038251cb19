"""Streamed corpora: every estimator's fit and transform on re-iterables.

A corpus that is not a list, an array or a pandas object is read in batches,
once per pass that needs it, and gives exactly what the same documents give
in a list.
"""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import skw2v._base
from skw2v import (
    AvgWord2VecTransformer,
    EmbeddingSequencer,
    LineCorpus,
    PretrainedEmbeddingVectorizer,
    Word2VecVectorizer,
)


class CountingCorpus:
    """A user's re-iterable corpus: counts its passes and the documents read."""

    def __init__(self, documents):
        self.documents = documents
        self.passes = 0

    def __iter__(self):
        self.passes += 1
        yield from self.documents


@pytest.fixture
def corpus_file(tmp_path, small_corpus):
    X, _ = small_corpus
    path = tmp_path / "reviews.txt"
    path.write_text("".join(doc + "\n" for doc in X), encoding="utf-8")
    return LineCorpus(path)


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of about 5,000 characters: 1,000 reviews make about 25."""
    monkeypatch.setattr(skw2v._base, "CHUNK_SIZE", 5000)
    monkeypatch.setattr(skw2v._base, "STREAM_BATCH_CHARACTERS", 5000)


def estimators(vec_file, trained):
    return {
        "word2vec": lambda **kw: Word2VecVectorizer(
            vector_size=12, min_count=2, epochs=2, random_state=0, **kw
        ),
        "pretrained file": lambda **kw: PretrainedEmbeddingVectorizer(
            vectors=vec_file, **kw
        ),
        "average": lambda **kw: AvgWord2VecTransformer(vectors=trained, **kw),
    }


@pytest.mark.parametrize("kind", ["word2vec", "pretrained file", "average"])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"weighting": "tfidf", "pooling": "mean+max"},
        {"weighting": "sif", "remove_components": 1, "norm": "l2"},
    ],
)
def test_a_streamed_fit_equals_the_fit_on_a_list(
    kind, params, small_corpus, corpus_file, vec_file, fitted_vectorizer, small_batches
):
    X, _ = small_corpus
    make = estimators(vec_file, fitted_vectorizer.wv_)[kind]
    on_list = make(**params)
    rows_from_list = on_list.fit_transform(X)
    streamed = make(**params)
    rows_from_stream = streamed.fit_transform(corpus_file)
    if kind == "word2vec":  # identical training, one thread and random_state
        assert streamed.wv_.index_to_key == on_list.wv_.index_to_key
        np.testing.assert_array_equal(streamed.wv_.vectors, on_list.wv_.vectors)
    for name in ("word_weights_", "components_"):
        expected = getattr(on_list, name)
        if expected is None:
            assert getattr(streamed, name) is None
        else:  # the statistics and the second moment summed over ~25 batches
            np.testing.assert_allclose(getattr(streamed, name), expected, atol=1e-6)
    np.testing.assert_allclose(rows_from_stream, rows_from_list, atol=1e-6)
    np.testing.assert_allclose(
        streamed.transform(corpus_file), rows_from_list, atol=1e-6
    )
    np.testing.assert_allclose(
        on_list.transform(iter(X)), rows_from_list, atol=1e-6
    )  # a one-shot iterator is fine for transform: one pass


def test_a_stream_is_read_once_per_pass_that_needs_it(small_corpus):
    X, _ = small_corpus
    corpus = CountingCorpus(X)
    Word2VecVectorizer(vector_size=8, min_count=2, epochs=3).fit(corpus)
    assert corpus.passes == 1 + 3  # counting the words, then the epochs
    corpus = CountingCorpus(X)
    Word2VecVectorizer(
        vector_size=8, min_count=2, epochs=3, weighting="tfidf", remove_components=1
    ).fit(corpus)
    assert corpus.passes == 1 + 3 + 1 + 1  # then the statistics, the components
    corpus = CountingCorpus(X)
    fitted = AvgWord2VecTransformer(vectors=Word2VecVectorizer(min_count=2).fit(X))
    fitted.fit(corpus)
    assert corpus.passes == 0  # nothing to learn from the documents
    fitted.transform(corpus)
    assert corpus.passes == 1


def test_a_one_shot_iterator_is_refused_by_fit_before_any_work(fitted_vectorizer):
    started = []

    def generator():
        started.append(True)
        yield "a good movie"

    for estimator in (
        Word2VecVectorizer(min_count=1),
        AvgWord2VecTransformer(vectors=fitted_vectorizer.wv_, weighting="tfidf"),
    ):
        with pytest.raises(TypeError, match="one-shot iterator.*LineCorpus"):
            estimator.fit(generator())
        with pytest.raises(TypeError, match="one-shot iterator"):
            estimator.fit_transform(map(str.lower, ["A good movie"]))
    assert started == []  # never read


def test_bad_documents_in_a_stream_are_named_by_their_row(
    small_corpus, fitted_vectorizer, small_batches
):
    X, _ = small_corpus
    documents = list(X[:600])
    documents[555] = None
    vectorizer = AvgWord2VecTransformer(vectors=fitted_vectorizer.wv_)
    with pytest.raises(ValueError, match="missing value.*at row 555"):
        vectorizer.fit(X).transform(CountingCorpus(documents))
    documents[555] = 3.5
    with pytest.raises(TypeError, match="float.*at row 555"):
        Word2VecVectorizer(min_count=1).fit(CountingCorpus(documents))


def test_an_empty_stream_is_refused_like_an_empty_list(fitted_vectorizer):
    with pytest.raises(ValueError, match="no document"):
        Word2VecVectorizer(min_count=1).fit(CountingCorpus([]))
    with pytest.raises(ValueError, match="no document"):
        AvgWord2VecTransformer(vectors=fitted_vectorizer.wv_).fit(["x"]).transform(
            CountingCorpus([])
        )


def test_tokenized_documents_stream_too(small_corpus, fitted_vectorizer):
    X, _ = small_corpus
    tokens = [doc.split() for doc in X]
    on_list = Word2VecVectorizer(vector_size=8, min_count=2, random_state=0)
    streamed = Word2VecVectorizer(vector_size=8, min_count=2, random_state=0)
    np.testing.assert_array_equal(
        streamed.fit_transform(CountingCorpus(tokens)), on_list.fit_transform(tokens)
    )


def test_the_sequencer_streams_too(small_corpus, corpus_file, small_batches):
    X, _ = small_corpus
    on_list = EmbeddingSequencer(min_count=2, random_state=0).fit(X)
    streamed = EmbeddingSequencer(min_count=2, random_state=0).fit(corpus_file)
    assert streamed.vocabulary_ == on_list.vocabulary_
    assert streamed.max_length_ == on_list.max_length_
    np.testing.assert_array_equal(streamed.transform(corpus_file), on_list.transform(X))


_STREAMED_FIT_IN_A_SUBPROCESS = textwrap.dedent(
    """
    import sys
    import numpy as np
    from skw2v import LineCorpus, Word2VecVectorizer

    vectorizer = Word2VecVectorizer(vector_size=16, min_count=2, random_state=7)
    np.save(sys.argv[2], vectorizer.fit(LineCorpus(sys.argv[1])).wv_.vectors)
    """
)


def test_a_streamed_fit_is_bit_identical_across_processes(corpus_file, tmp_path):
    in_process = (
        Word2VecVectorizer(vector_size=16, min_count=2, random_state=7)
        .fit(corpus_file)
        .wv_.vectors
    )
    for hash_seed in ("1", "2"):
        out = tmp_path / f"vectors{hash_seed}.npy"
        subprocess.run(
            [
                sys.executable,
                "-c",
                _STREAMED_FIT_IN_A_SUBPROCESS,
                str(corpus_file.path),
                str(out),
            ],
            check=True,
            env={"PYTHONHASHSEED": hash_seed, "PATH": ""},
        )
        np.testing.assert_array_equal(np.load(out), in_process)
