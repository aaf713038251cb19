"""PretrainedEmbeddingVectorizer on real pretrained vectors and the movie reviews."""

import hashlib
import os
import pickle

import numpy as np
import pytest
from gensim.models import KeyedVectors
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

from skw2v import (
    AvgWord2VecTransformer,
    PretrainedEmbeddingVectorizer,
    clear_registry,
    load_vectors,
)
from skw2v._loading import file_fingerprint, load_counts

# A few reviews consist only of words these vectors lack; that warning is expected.
pytestmark = pytest.mark.filterwarnings("ignore:.*have no word in the vocabulary")


def test_matches_pooling_over_the_loaded_table(vec_file, small_corpus, polarity):
    X, _ = small_corpus
    out = PretrainedEmbeddingVectorizer(vectors=vec_file).fit_transform(X)
    expected = AvgWord2VecTransformer(vectors=polarity).fit_transform(X)
    assert out.shape == (len(X), 100) and out.dtype == np.float32
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-7)


def test_coverage_counts_real_reviews(vec_file, reviews, polarity):
    vectorizer = PretrainedEmbeddingVectorizer(vectors=vec_file).fit(reviews.data[:5])
    report = vectorizer.coverage(reviews.data[:2000], n_missing=5)
    analyze = PretrainedEmbeddingVectorizer().build_analyzer()  # the tokenizer alone
    tokens = [t for doc in reviews.data[:2000] for t in analyze(doc)]
    found = sum(t in polarity.key_to_index for t in tokens)
    assert report["n_tokens"] == len(tokens) and report["n_found"] == found
    assert 0.5 < report["share_found"] < 1
    counts = [count for _, count in report["missing"]]
    assert len(counts) == 5 and counts == sorted(counts, reverse=True)
    assert all(word not in polarity.key_to_index for word, _ in report["missing"])


def test_weighting_uses_the_resolved_words(cased_file, vec_file, small_corpus):
    X, _ = small_corpus
    params = {"weighting": "tfidf", "remove_components": 1}
    cased = PretrainedEmbeddingVectorizer(vectors=cased_file, **params)
    plain = PretrainedEmbeddingVectorizer(vectors=vec_file, **params)
    np.testing.assert_allclose(
        cased.fit_transform(X), plain.fit_transform(X), rtol=1e-4, atol=1e-6
    )


def test_unpickling_detects_a_changed_file(vec_file, polarity, small_corpus):
    X, _ = small_corpus
    saved = pickle.dumps(PretrainedEmbeddingVectorizer(vectors=vec_file).fit(X))
    changed = KeyedVectors(vector_size=100)
    changed.add_vectors(polarity.index_to_key, polarity.vectors * 2)
    changed.save_word2vec_format(str(vec_file), binary=True)
    with pytest.raises(ValueError, match="changed since this"):
        pickle.loads(saved)


@pytest.fixture
def text_file(tmp_path, polarity):
    """The polarity vectors as word2vec text, over 2 MiB: a middle outside the ends."""
    path = tmp_path / "polarity.txt"
    repeated = KeyedVectors(vector_size=100)
    repeated.add_vectors(polarity.index_to_key, polarity.vectors)
    repeated.add_vectors([f"{w}_2" for w in polarity.index_to_key], polarity.vectors)
    repeated.save_word2vec_format(str(path))
    assert path.stat().st_size > 2 << 20
    return path


def test_the_digest_of_every_byte_is_recorded(text_file, small_corpus):
    X, _ = small_corpus
    digest = hashlib.sha256(text_file.read_bytes()).hexdigest()
    fitted = PretrainedEmbeddingVectorizer(vectors=text_file).fit(X[:10])
    assert fitted.vectors_info_["sha256"] == digest
    clear_registry()  # as in another process: mapped from the cache entry
    parsed = load_counts["parsed"]
    again = PretrainedEmbeddingVectorizer(vectors=text_file).fit(X[:10])
    assert load_counts["parsed"] == parsed
    assert again.vectors_info_["sha256"] == digest
    in_memory = PretrainedEmbeddingVectorizer(vectors=again.wv_).fit(X[:10])
    assert in_memory.vectors_info_["sha256"] is None


@pytest.mark.parametrize("cache_dir", [None, False])
def test_unpickling_detects_a_change_in_the_middle(text_file, small_corpus, cache_dir):
    X, _ = small_corpus
    fitted = PretrainedEmbeddingVectorizer(vectors=text_file, cache_dir=cache_dir)
    saved = pickle.dumps(fitted.fit(X))
    # One digit in the middle of the file, with its size and times kept.
    before, data = text_file.stat(), bytearray(text_file.read_bytes())
    middle = data.index(b"3", len(data) // 2)
    data[middle] = ord("4")
    text_file.write_bytes(data)
    os.utime(text_file, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = text_file.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert file_fingerprint(text_file) == fitted.vectors_info_["fingerprint"]
    clear_registry()
    with pytest.raises(ValueError, match=r"SHA-256 of its bytes .* refit"):
        pickle.loads(saved)


def test_grid_search_with_workers_parses_the_file_once(
    vec_file, small_corpus, tmp_path
):
    X, y = small_corpus
    cache = tmp_path / "grid-cache"
    vectorizer = PretrainedEmbeddingVectorizer(vectors=vec_file, cache_dir=cache)
    pipe = make_pipeline(vectorizer, LogisticRegression(max_iter=500))
    parsed = load_counts["parsed"]
    search = GridSearchCV(
        pipe, {"logisticregression__C": [0.1, 1.0]}, cv=2, n_jobs=2
    ).fit(X, y)
    assert search.best_score_ > 0.5
    # The workers map the cache: at most one parse in total, in whichever
    # process came first, and none here once the cache exists.
    assert len(list(cache.glob("vectors-v*/*/*/manifest.json"))) == 1
    assert load_counts["parsed"] <= parsed + 1
    assert search.best_estimator_[0].wv_ is load_vectors(vec_file, cache_dir=cache)


def test_missing_vectors():
    with pytest.raises(ValueError, match="needs word vectors: pass vectors="):
        PretrainedEmbeddingVectorizer().fit(["good movie"])


def test_vectors_that_are_not_vectors():
    with pytest.raises(TypeError, match="must be a gensim KeyedVectors"):
        PretrainedEmbeddingVectorizer(vectors=[1.0, 2.0]).fit(["good movie"])


def test_limit_with_vectors_in_memory(polarity):
    with pytest.raises(ValueError, match="limit applies to vectors read from a file"):
        PretrainedEmbeddingVectorizer(vectors=polarity, limit=5).fit(["good movie"])


def test_missing_file_at_fit(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.bin"):
        PretrainedEmbeddingVectorizer(vectors=tmp_path / "nowhere.bin").fit(["a"])


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"max_phrase_words": 0}, {"binary": "yes"}]
)
def test_bad_parameters(vec_file, params):
    vectorizer = PretrainedEmbeddingVectorizer(vectors=vec_file, **params)
    with pytest.raises(InvalidParameterError, match=next(iter(params))):
        vectorizer.fit(["good movie"])
