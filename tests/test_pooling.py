"""The pooling engine: each option by hand, against a loop reference, in threads."""

import warnings
from collections import Counter
from math import log

import numpy as np
import pytest
from gensim.models import KeyedVectors
from sklearn.base import clone
from sklearn.utils._param_validation import InvalidParameterError

import skw2v._base
import skw2v._pooling
from skw2v import AvgWord2VecTransformer
from skw2v._pooling import chunk_bounds, pool_ids
from skw2v._vectors import WordTable

POOLINGS = ["mean", "sum", "max", "mean+max"]
WEIGHTINGS = [None, "tfidf", "sif"]

GOOD, BAD, MOVIE = np.array([1.0, 0.0]), np.array([-1.0, 0.0]), np.array([0.0, 2.0])


def pool(toy_vectors, docs, fit_docs=None, **params):
    pooler = AvgWord2VecTransformer(vectors=toy_vectors, **params)
    pooler.fit(docs if fit_docs is None else fit_docs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return pooler.transform(docs), pooler


# -- every option on a hand-computed example ---------------------------------------

HAND_DOCS = ["good movie movie", "bad movie", "nothing here", "good"]


@pytest.mark.parametrize(
    "pooling, expected",
    [
        ("mean", [(GOOD + 2 * MOVIE) / 3, (BAD + MOVIE) / 2, [0, 0], GOOD]),
        ("sum", [GOOD + 2 * MOVIE, BAD + MOVIE, [0, 0], GOOD]),
        ("max", [[1, 2], [0, 2], [0, 0], GOOD]),
    ],
)
def test_pooling_by_hand(toy_vectors, pooling, expected):
    pooled, _ = pool(toy_vectors, HAND_DOCS, pooling=pooling)
    np.testing.assert_allclose(pooled, np.array(expected, dtype=float), rtol=1e-6)


def test_mean_max_is_mean_then_max_side_by_side(toy_vectors):
    both, pooler = pool(toy_vectors, HAND_DOCS, pooling="mean+max")
    mean, _ = pool(toy_vectors, HAND_DOCS, pooling="mean")
    maximum, _ = pool(toy_vectors, HAND_DOCS, pooling="max")
    np.testing.assert_array_equal(both, np.hstack([mean, maximum]))
    names = pooler.get_feature_names_out()
    assert both.shape == (4, 4) and len(names) == 4 and names[-1].endswith("3")


def test_max_of_negative_vectors_is_not_clipped_at_zero(toy_vectors):
    pooled, _ = pool(toy_vectors, ["bad", "bad bad", "bad good"], pooling="max")
    np.testing.assert_array_equal(pooled, [[-1, 0], [-1, 0], [1, 0]])


def test_tfidf_weights_by_hand(toy_vectors):
    # 4 documents; df: good 2, movie 2, bad 1.
    idf_good = idf_movie = log(5 / 3) + 1
    idf_bad = log(5 / 2) + 1
    pooled, pooler = pool(toy_vectors, HAND_DOCS, pooling="mean", weighting="tfidf")
    np.testing.assert_allclose(
        pooler.word_weights_, [idf_good, idf_bad, idf_movie], rtol=1e-6
    )
    expected = [
        (idf_good * GOOD + 2 * idf_movie * MOVIE) / 3,
        (idf_bad * BAD + idf_movie * MOVIE) / 2,
        [0, 0],
        idf_good * GOOD,
    ]
    np.testing.assert_allclose(pooled, expected, rtol=1e-6)


def test_tfidf_weight_of_a_word_absent_from_training(toy_vectors):
    _, pooler = pool(toy_vectors, ["good movie"], weighting="tfidf")
    np.testing.assert_allclose(pooler.word_weights_[1], log(2 / 1) + 1, rtol=1e-6)


def test_sif_weights_by_hand(toy_vectors):
    # 8 tokens: good 2, bad 1, movie 3 (and 2 unknown).
    a = 0.1
    weight = {word: a / (a + n / 8) for word, n in [("good", 2), ("bad", 1)]}
    weight["movie"] = a / (a + 3 / 8)
    pooled, pooler = pool(toy_vectors, HAND_DOCS, weighting="sif", sif_a=a)
    np.testing.assert_allclose(
        pooler.word_weights_, [weight["good"], weight["bad"], weight["movie"]]
    )
    np.testing.assert_allclose(
        pooled[0], (weight["good"] * GOOD + 2 * weight["movie"] * MOVIE) / 3, rtol=1e-6
    )
    pooled_max, _ = pool(
        toy_vectors, HAND_DOCS, pooling="max", weighting="sif", sif_a=a
    )
    np.testing.assert_allclose(pooled_max[1], [0, 2 * weight["movie"]], rtol=1e-6)


def test_sif_falls_back_on_zipf_for_words_absent_from_training(toy_vectors):
    # "bad" is row 1 of 3: Zipf gives p = (1/2) / (1 + 1/2 + 1/3).
    a = 0.1
    _, pooler = pool(toy_vectors, ["good movie"], weighting="sif", sif_a=a)
    p_bad = (1 / 2) / (1 + 1 / 2 + 1 / 3)
    np.testing.assert_allclose(pooler.word_weights_[1], a / (a + p_bad), rtol=1e-6)
    np.testing.assert_allclose(pooler.word_weights_[0], a / (a + 1 / 2), rtol=1e-6)


def test_remove_components_by_hand(toy_vectors):
    # Summed rows [1, 0], [2, 0], [0, 2]: X.T X = diag(5, 4), first direction x.
    docs = ["good", "good good", "movie"]
    pooled, pooler = pool(toy_vectors, docs, pooling="sum", remove_components=1)
    np.testing.assert_allclose(pooler.components_, [[1, 0]], atol=1e-7)
    np.testing.assert_allclose(pooled, [[0, 0], [0, 0], [0, 2]], atol=1e-6)


def test_remove_components_are_not_centered(toy_vectors):
    # Rows [4, 0] and [4, 2]: centered, the only spread is along y; uncentered,
    # the first direction is the top eigenvector of [[32, 8], [8, 4]].
    docs = ["good good good good", "good good good good movie"]
    _, pooler = pool(toy_vectors, docs, pooling="sum", remove_components=1)
    eigenvalues, eigenvectors = np.linalg.eigh([[32.0, 8.0], [8.0, 4.0]])
    np.testing.assert_allclose(
        pooler.components_[0], np.abs(eigenvectors[:, 1]), rtol=1e-6
    )


def test_l2_norm_by_hand(toy_vectors):
    pooled, _ = pool(toy_vectors, HAND_DOCS, pooling="sum", norm="l2")
    np.testing.assert_allclose(pooled[1], [-1 / np.sqrt(5), 2 / np.sqrt(5)], rtol=1e-6)
    np.testing.assert_array_equal(pooled[2], [0, 0])


def test_extra_lookup_rows_weigh_as_unseen_words(toy_vectors):
    class UnknownRowTable(WordTable):
        has_subwords = True

        def _subword_vectors(self, words):
            return np.array([[3.0, 0.0]] * len(words), np.float32)

    class WithUnknownRow(AvgWord2VecTransformer):
        def _word_table(self):
            return UnknownRowTable(self.wv_)

    pooler = WithUnknownRow(vectors=toy_vectors, pooling="sum", weighting="tfidf")
    pooled = pooler.fit(["good movie", "bad"]).transform(["great", "good"])
    np.testing.assert_allclose(pooled[0], [3 * (log(3) + 1), 0], rtol=1e-6)
    np.testing.assert_allclose(pooled[1], [log(3 / 2) + 1, 0], rtol=1e-6)
    pooler.set_params(weighting="sif").fit(["good movie", "bad"])
    np.testing.assert_allclose(pooler.transform(["great"]), [[3, 0]])


# -- the fast path against a plain loop, on random data ----------------------------


def reference(train, docs, words, vectors, *, pooling, weighting, a, k, norm):
    """Pool with Python loops over words, straight from the definitions."""
    index = {word: i for i, word in enumerate(words)}
    weight = dict.fromkeys(words, 1.0)
    if weighting == "tfidf":
        df = Counter(word for doc in train for word in set(doc))
        weight = {w: log((1 + len(train)) / (1 + df[w])) + 1 for w in words}
    elif weighting == "sif":
        counts = Counter(word for doc in train for word in doc)
        n_tokens = sum(len(doc) for doc in train)
        harmonic = sum(1 / r for r in range(1, len(words) + 1))
        weight = {
            w: a / (a + (counts[w] / n_tokens if counts[w] else 1 / (r + 1) / harmonic))
            for r, w in enumerate(words)
        }

    def pool_one(doc):
        rows = [weight[w] * vectors[index[w]] for w in doc if w in index]
        zero = np.zeros(vectors.shape[1])
        parts = {
            "mean": np.mean(rows, axis=0) if rows else zero,
            "sum": np.sum(rows, axis=0) if rows else zero,
            "max": np.max(rows, axis=0) if rows else zero,
        }
        if pooling == "mean+max":
            return np.concatenate([parts["mean"], parts["max"]])
        return parts[pooling]

    fitted = np.array([pool_one(doc) for doc in train])
    out = np.array([pool_one(doc) for doc in docs])
    if k:
        top = np.linalg.svd(fitted, full_matrices=False)[2][:k]
        out = out - out @ top.T @ top
    if norm == "l2":
        lengths = np.linalg.norm(out, axis=1, keepdims=True)
        out = out / np.where(lengths > 0, lengths, 1)
    return out


@pytest.fixture(scope="module")
def random_data():
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(40)]
    vectors = rng.normal(size=(len(words), 6)).astype(np.float32)
    wv = KeyedVectors(vector_size=6)
    wv.add_vectors(words, vectors)
    vocabulary = [*words, "oov1", "oov2", "oov3"]
    # Zipf-like draws, lengths 0..15: some empty, single-token and all-OOV docs.
    p = 1 / np.arange(1, len(vocabulary) + 1)
    p /= p.sum()

    def draw(n):
        return [
            rng.choice(vocabulary, size=rng.integers(0, 16), p=p).tolist()
            for _ in range(n)
        ] + [[], ["w3"], ["oov1", "oov2"]]

    return wv, words, vectors, draw(120), draw(60)


@pytest.mark.parametrize("pooling", POOLINGS)
@pytest.mark.parametrize("weighting", WEIGHTINGS)
def test_fast_path_equals_loop_reference(random_data, pooling, weighting):
    wv, words, vectors, train, docs = random_data
    for k, norm in [(0, None), (2, "l2"), (1, None)]:
        pooler = AvgWord2VecTransformer(
            vectors=wv,
            pooling=pooling,
            weighting=weighting,
            sif_a=0.01,
            remove_components=k,
            norm=norm,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            got = pooler.fit(train).transform(docs)
        expected = reference(
            train,
            docs,
            words,
            vectors.astype(float),
            pooling=pooling,
            weighting=weighting,
            a=0.01,
            k=k,
            norm=norm,
        )
        np.testing.assert_allclose(got, expected, atol=2e-5, rtol=1e-4)


# -- empty, all-OOV and single-token documents --------------------------------------


@pytest.mark.parametrize("pooling", POOLINGS)
def test_documents_without_known_words_give_zeros_and_one_warning(toy_vectors, pooling):
    pooler = AvgWord2VecTransformer(
        vectors=toy_vectors, pooling=pooling, weighting="tfidf", norm="l2"
    ).fit(HAND_DOCS)
    with pytest.warns(UserWarning, match="3 of 4 documents have no word"):
        pooled = pooler.transform(["", "good", "zzz unknown", [""]])
    assert not pooled[[0, 2, 3]].any()
    np.testing.assert_allclose(np.linalg.norm(pooled[1]), 1, rtol=1e-6)


@pytest.mark.parametrize("pooling", ["mean", "sum", "max"])
def test_single_token_document_is_its_weighted_vector(toy_vectors, pooling):
    pooled, pooler = pool(toy_vectors, ["movie"], HAND_DOCS, pooling=pooling)
    np.testing.assert_allclose(pooled, [MOVIE])
    pooled, pooler = pool(
        toy_vectors, ["movie"], HAND_DOCS, pooling=pooling, weighting="sif"
    )
    np.testing.assert_allclose(pooled, [pooler.word_weights_[2] * MOVIE], rtol=1e-6)


def test_pool_documents_on_no_document():
    no_tokens = np.zeros(0, dtype=np.int64)
    pooled, n_empty = pool_ids(no_tokens, no_tokens, np.ones((1, 3), np.float32))
    assert pooled.shape == (0, 3) and n_empty == 0


# -- chunks and threads --------------------------------------------------------------


def test_chunks_cover_every_document_once():
    lengths = np.array([5, 0, 0, 30, 2, 2, 2, 0, 9])
    bounds = chunk_bounds(lengths, 8)
    # Tokens before each document: 0 5 5 5 35 37 39 41 41 -> buckets of 8.
    assert bounds == [(0, 4), (4, 7), (7, 9)]
    assert chunk_bounds(np.array([], dtype=int), 8) == []


@pytest.mark.parametrize("pooling", POOLINGS)
@pytest.mark.parametrize("weighting", WEIGHTINGS)
def test_chunk_sizes_and_jobs_do_not_change_the_rows(
    monkeypatch, fitted_vectorizer, reviews, pooling, weighting
):
    # Raw text takes the fused path (flat tokens, never a list per document);
    # fit_transform and tokenized input take per-document lists.
    X = reviews.data[:3000]
    pooler = AvgWord2VecTransformer(
        vectors=fitted_vectorizer,
        pooling=pooling,
        weighting=weighting,
        remove_components=1,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        one = pooler.fit(X).transform(X)
        fitted = pooler.fit_transform(X)
        two = pooler.set_params(n_jobs=2).transform(X)  # small: one process
        monkeypatch.setattr(skw2v._pooling, "FLOATS_PER_CHUNK", 20 * 2000)
        monkeypatch.setattr(skw2v._base, "CHUNK_SIZE", 5000)  # ~70 chunks
        small_chunks = pooler.transform(X)
        tokenized = pooler.transform(list(map(clone(pooler).build_analyzer(), X)))
    np.testing.assert_array_equal(one, fitted)
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(one, small_chunks)
    np.testing.assert_array_equal(one, tokenized)


# -- tokenized input -----------------------------------------------------------------


def test_numpy_string_tokens_are_accepted(toy_vectors):
    tokens = [list(np.array(["good", "movie"]))]  # numpy.str_ items
    pooled, _ = pool(toy_vectors, tokens, pooling="sum")
    np.testing.assert_allclose(pooled, [GOOD + MOVIE])


# -- bad parameters --------------------------------------------------------------------


def test_too_many_components_is_a_clear_error(toy_vectors):
    pooler = AvgWord2VecTransformer(vectors=toy_vectors, remove_components=2)
    with pytest.raises(ValueError, match="remove_components=2 would remove every"):
        pooler.fit(HAND_DOCS)
    pooler.set_params(pooling="mean+max").fit(HAND_DOCS)  # 4 columns: fine
    assert pooler.components_.shape == (2, 4)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"pooling": "median"}, "'pooling' parameter"),
        ({"weighting": "bm25"}, "'weighting' parameter"),
        ({"sif_a": 0.0}, "'sif_a' parameter"),
        ({"remove_components": -1}, "'remove_components' parameter"),
        ({"n_jobs": 1.5}, "'n_jobs' parameter"),
    ],
)
def test_invalid_parameters_are_rejected(toy_vectors, params, match):
    with pytest.raises(InvalidParameterError, match=match):
        AvgWord2VecTransformer(vectors=toy_vectors, **params).fit(HAND_DOCS)


def test_transform_memory_is_the_output_plus_one_chunk(
    monkeypatch, fitted_vectorizer, reviews
):
    import tracemalloc

    X = reviews.data * 2  # ~400,000 tokens: as token objects, ~25 MB
    pooler = AvgWord2VecTransformer(vectors=fitted_vectorizer).fit(X[:10])
    output_bytes = len(X) * pooler._n_features_out * 4

    def peak_above_output(chunk_size):
        monkeypatch.setattr(skw2v._base, "CHUNK_SIZE", chunk_size)
        tracemalloc.start()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                pooler.transform(X)
            return tracemalloc.get_traced_memory()[1] - output_bytes
        finally:
            tracemalloc.stop()

    small_chunks = peak_above_output(2**16)  # 65,536 characters per chunk
    one_chunk = peak_above_output(2**30)  # the whole batch at once
    assert small_chunks < 4 * 2**20
    assert one_chunk > 4 * small_chunks


# -- the mode registries ---------------------------------------------------------------


def test_every_pooling_mode_is_one_registry_entry(toy_vectors):
    from skw2v._pooling import POOLINGS

    constraint = AvgWord2VecTransformer._parameter_constraints["pooling"][0]
    assert constraint.options == set(POOLINGS)
    for name, mode in POOLINGS.items():
        pooled, pooler = pool(toy_vectors, HAND_DOCS, pooling=name)
        assert pooled.shape == (len(HAND_DOCS), 2 * mode.width)
        assert len(pooler.get_feature_names_out()) == 2 * mode.width
    ids, lengths = np.array([0, 2]), np.array([2])
    with pytest.raises(KeyError):  # never another mode's computation
        pool_ids(ids, lengths, toy_vectors.vectors, pooling="median")


def test_every_weighting_mode_is_one_registry_entry(toy_vectors):
    from skw2v._pooling import WEIGHTINGS

    constraint = AvgWord2VecTransformer._parameter_constraints["weighting"][0]
    assert constraint.options == set(WEIGHTINGS)
    for name in WEIGHTINGS:
        _, pooler = pool(toy_vectors, HAND_DOCS, weighting=name)
        assert pooler.word_weights_.shape == (3,)
        assert np.isfinite(pooler.unseen_word_weight_)
    with pytest.raises(InvalidParameterError, match="weighting"):
        AvgWord2VecTransformer(vectors=toy_vectors, weighting="bm25").fit(HAND_DOCS)
