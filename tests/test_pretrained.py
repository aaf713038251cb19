"""PretrainedEmbeddingVectorizer on real pretrained vectors and the movie reviews."""

import os
import pickle
from collections import Counter

import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.test.utils import datapath
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

from skw2v import AvgWord2VecTransformer, PretrainedEmbeddingVectorizer, load_vectors
from skw2v._loading import clear_registry, load_counts
from skw2v._text import flatten

# fastText vectors trained on these very movie reviews (1694 words x 100).
POLARITY_VEC = datapath("pang_lee_polarity_fasttext.vec")
LEE_FASTTEXT = datapath("lee_fasttext_new.bin")

# A few reviews consist only of words these vectors lack; that warning is expected.
pytestmark = pytest.mark.filterwarnings("ignore:.*have no word in the vocabulary")


@pytest.fixture(scope="session")
def polarity():
    return KeyedVectors.load_word2vec_format(POLARITY_VEC, unicode_errors="replace")


@pytest.fixture
def vec_file(tmp_path, polarity):
    path = tmp_path / "polarity.bin"
    polarity.save_word2vec_format(str(path), binary=True)
    return path


@pytest.fixture
def cased_file(tmp_path, polarity):
    """The polarity vectors with some words stored only capitalized, plus phrases."""
    keys = list(polarity.index_to_key)
    capitalized = {"good", "bad", "funny", "movie"}
    keys = [k.capitalize() if k in capitalized else k for k in keys]
    wv = KeyedVectors(vector_size=100)
    wv.add_vectors(keys, polarity.vectors)
    phrases = ["Special_Effects", "romantic_comedy"]
    wv.add_vectors(phrases, np.stack([polarity["special"], polarity["comedy"]]) * 3)
    path = tmp_path / "cased.vec"
    wv.save_word2vec_format(str(path))
    return path


def test_matches_pooling_over_the_loaded_table(vec_file, small_corpus, polarity):
    X, _ = small_corpus
    out = PretrainedEmbeddingVectorizer(vectors=vec_file).fit_transform(X)
    expected = AvgWord2VecTransformer(vectors=polarity).fit_transform(X)
    assert out.shape == (len(X), 100) and out.dtype == np.float32
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-7)


def test_casings_are_found(cased_file, vec_file, small_corpus):
    X, _ = small_corpus
    cased = PretrainedEmbeddingVectorizer(vectors=cased_file).fit(X)
    plain = PretrainedEmbeddingVectorizer(vectors=vec_file).fit(X)
    np.testing.assert_allclose(cased.transform(X), plain.transform(X), rtol=1e-5)
    report = cased.coverage(["A good movie, a BAD movie"])
    assert report["missing"] == [] and report["n_found"] == 6
    exact = PretrainedEmbeddingVectorizer(vectors=cased_file, lowercase=False).fit(X)
    missing = dict(exact.coverage(["A good movie, a BAD movie"])["missing"])
    assert missing == {"A": 1, "good": 1, "movie": 2, "BAD": 1}


def test_pretokenized_documents_find_other_casings(cased_file):
    vectorizer = PretrainedEmbeddingVectorizer(vectors=cased_file).fit([["x"]])
    rows = vectorizer.transform([["GOOD"], ["good"], ["Good"]])
    np.testing.assert_array_equal(rows[0], rows[1])
    np.testing.assert_array_equal(rows[1], rows[2])
    assert np.abs(rows[0]).sum() > 0


def test_phrases_are_joined_only_when_asked(cased_file):
    docs = ["the special effects", "a romantic comedy"]
    wv = load_vectors(cased_file)
    joined = PretrainedEmbeddingVectorizer(vectors=cased_file, max_phrase_words=3)
    rows = joined.fit_transform(docs)
    np.testing.assert_allclose(
        rows[0], (wv["the"] + wv["Special_Effects"]) / 2, rtol=1e-5
    )
    np.testing.assert_allclose(
        rows[1], (wv["a"] + wv["romantic_comedy"]) / 2, rtol=1e-5
    )
    plain = PretrainedEmbeddingVectorizer(vectors=cased_file).fit_transform(docs)
    np.testing.assert_allclose(
        plain[0],
        (wv["the"] + wv["special"]) / 2,
        rtol=1e-5,  # no "effects"
    )


def greedy_phrases(doc, known, longest):
    """Join phrases the plain way: at each token, the longest known n-gram wins."""
    out, i = [], 0
    while i < len(doc):
        for n in range(min(longest, len(doc) - i), 1, -1):
            if "_".join(doc[i : i + n]) in known:
                out.append("_".join(doc[i : i + n]))
                i += n
                break
        else:
            out.append(doc[i])
            i += 1
    return out


def phrase_vectorizer(keys, **params):
    wv = KeyedVectors(vector_size=2)
    wv.add_vectors(keys, np.ones((len(keys), 2), dtype=np.float32))
    return PretrainedEmbeddingVectorizer(vectors=wv, **params).fit([keys[:1]])


@pytest.fixture(scope="session")
def review_phrases(reviews):
    """The reviews' tokens and their 300 most frequent bigrams and 100 trigrams.

    Every third phrase is stored capitalized ("Special_Effects"), as cased
    vectors do; lowercase tokens reach those only through their casing.
    """
    docs = PretrainedEmbeddingVectorizer()._tokenize(reviews.data)
    grams = {}
    for n, top in [(2, 300), (3, 100)]:
        counts = Counter(
            "_".join(doc[i : i + n]) for doc in docs for i in range(len(doc) - n + 1)
        )
        grams[n] = [gram for gram, _ in counts.most_common(top)]
    phrases = grams[2] + grams[3]
    keys = [p.title() if i % 3 == 0 else p for i, p in enumerate(phrases)]
    return docs, ["film", "movie", *keys]


@pytest.mark.parametrize("lowercase", [True, False])
@pytest.mark.parametrize("longest", [2, 3])
def test_join_phrases_matches_the_greedy_definition(review_phrases, longest, lowercase):
    docs, keys = review_phrases
    known = set(keys) | ({key.lower() for key in keys} if lowercase else set())
    vectorizer = phrase_vectorizer(keys, max_phrase_words=longest, lowercase=lowercase)
    tokens, lengths = vectorizer._word_table().join_phrases(*flatten(docs))
    expected, expected_lengths = flatten(
        [greedy_phrases(doc, known, longest) for doc in docs]
    )
    assert tokens == expected
    np.testing.assert_array_equal(lengths, expected_lengths)
    # The table is not idle: a good share of the tokens were joined.
    n_joined = sum(t.count("_") for t in tokens)
    assert n_joined > len(tokens) / 20
    assert any(t.count("_") == 2 for t in tokens) == (longest == 3)


@pytest.mark.parametrize("lowercase", [True, False])
@pytest.mark.parametrize("longest", [2, 3, 10])
def test_join_phrases_edge_cases(longest, lowercase):
    keys = ["a_b", "b_c", "x_y", "p_q_r", "q_r", "New_York", "w"]
    docs = [
        [],
        ["a"],
        ["a", "b", "c"],  # overlapping candidates: the leftmost wins
        ["x"],  # "x y" spans a document boundary: not joined
        ["y"],
        [],
        ["p", "q", "r"],  # the trigram, or the bigram after "p"
        ["z", "a", "b"],  # a phrase at a document's end
        ["b", "c", "x", "y"],
        ["new", "york"],  # known only through its casing
        ["a", "b"],
        [],
    ]
    expected = [
        [],
        ["a"],
        ["a_b", "c"],
        ["x"],
        ["y"],
        [],
        ["p_q_r"] if longest >= 3 else ["p", "q_r"],
        ["z", "a_b"],
        ["b_c", "x_y"],
        ["new_york"] if lowercase else ["new", "york"],
        ["a_b"],
        [],
    ]
    known = set(keys) | ({key.lower() for key in keys} if lowercase else set())
    assert expected == [greedy_phrases(doc, known, longest) for doc in docs]
    vectorizer = phrase_vectorizer(keys, max_phrase_words=longest, lowercase=lowercase)
    tokens, lengths = vectorizer._word_table().join_phrases(*flatten(docs))
    assert tokens == [token for doc in expected for token in doc]
    assert lengths.tolist() == list(map(len, expected))
    # Batches too short for any phrase, down to no document at all.
    for batch in ([], [[]], [["a"]], [[], ["w"], []]):
        tokens, lengths = vectorizer._word_table().join_phrases(*flatten(batch))
        assert tokens == [token for doc in batch for token in doc]
        assert lengths.tolist() == list(map(len, batch))
    assert vectorizer.coverage([])["n_tokens"] == 0


def test_fasttext_unknown_words_get_subword_vectors():
    vectorizer = PretrainedEmbeddingVectorizer(vectors=LEE_FASTTEXT).fit(["the"])
    n_words = len(vectorizer.wv_)
    rows = vectorizer.transform(["governmentalist", "the governmentalist"])
    np.testing.assert_allclose(
        rows[0], vectorizer.wv_.get_vector("governmentalist"), rtol=1e-5
    )
    np.testing.assert_allclose(
        rows[1],
        (vectorizer.wv_["the"] + vectorizer.wv_.get_vector("governmentalist")) / 2,
        rtol=1e-5,
    )
    assert len(vectorizer.wv_) == n_words, "transform changed the table"
    # The lookup table holds the batch's words, not a copy of the whole table.
    key_to_index, table, _ = vectorizer._word_table().pooling_table(
        ["the", "governmentalist"]
    )
    assert sorted(key_to_index) == ["governmentalist", "the"] and len(table) == 2
    with_tfidf = PretrainedEmbeddingVectorizer(
        vectors=LEE_FASTTEXT, weighting="tfidf", pooling="sum"
    ).fit(["the"])
    idf_unseen = np.log(2) + 1  # one training document, df = 0
    np.testing.assert_allclose(
        with_tfidf.transform(["governmentalist"])[0],
        idf_unseen * vectorizer.wv_.get_vector("governmentalist"),
        rtol=1e-5,
    )
    report = vectorizer.coverage(["the governmentalist"])
    assert report["n_subword"] == 1 and report["missing"] == [("governmentalist", 1)]


def test_coverage_counts_real_reviews(vec_file, reviews, polarity):
    vectorizer = PretrainedEmbeddingVectorizer(vectors=vec_file).fit(reviews.data[:5])
    report = vectorizer.coverage(reviews.data[:2000], n_missing=5)
    tokens = [t for doc in vectorizer._tokenize(reviews.data[:2000]) for t in doc]
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


def test_unpickling_detects_a_changed_file(vec_file, polarity, small_corpus):
    X, _ = small_corpus
    saved = pickle.dumps(PretrainedEmbeddingVectorizer(vectors=vec_file).fit(X))
    changed = KeyedVectors(vector_size=100)
    changed.add_vectors(polarity.index_to_key, polarity.vectors * 2)
    changed.save_word2vec_format(str(vec_file), binary=True)
    with pytest.raises(ValueError, match="changed since this"):
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
    assert len(list(cache.glob("vectors-v1/*/*/manifest.json"))) == 1
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
