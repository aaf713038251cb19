"""FastTextVectorizer (``skw2v/_fasttext.py``): subwords trained and pooled."""

import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from gensim.models import FastText
from gensim.models.fasttext import save_facebook_model
from sklearn.base import clone

from skw2v import FastTextVectorizer, LineCorpus, Word2VecVectorizer
from skw2v._mapped import MappedFastTextKeyedVectors

pytestmark = pytest.mark.filterwarnings("ignore:.*have no word in the vocabulary")

#: Small and fast, one thread: every fit with these is reproducible.
SMALL = {"vector_size": 12, "min_count": 2, "epochs": 2, "bucket": 2000}


def make(**params):
    return FastTextVectorizer(**{**SMALL, "random_state": 0, **params})


@pytest.fixture(scope="module")
def fitted(small_corpus):
    return make().fit(small_corpus[0])


def unseen_word(vectorizer, word="unwatchably"):
    assert word not in vectorizer.wv_.key_to_index
    return word


def test_unseen_words_are_pooled_with_their_subword_vectors(fitted):
    word = unseen_word(fitted)
    rows = fitted.transform([word, f"good {word}", "good"])
    np.testing.assert_allclose(rows[0], fitted.wv_[word], rtol=1e-6)
    np.testing.assert_allclose(rows[1], (rows[0] + rows[2]) / 2, rtol=1e-5)
    report = fitted.coverage([f"a good {word} film"])
    assert report["n_subword"] == 1 and report["missing"] == [(word, 1)]


def test_without_ngrams_unseen_words_get_no_vector(small_corpus):
    no_ngrams = make(min_n=3, max_n=2).fit(small_corpus[0][:300])
    assert no_ngrams.wv_.bucket == 0  # gensim drops the table
    with pytest.warns(UserWarning, match="1 of 1 documents have no word"):
        rows = no_ngrams.transform([unseen_word(no_ngrams)])
    assert not rows.any()
    assert no_ngrams.coverage(["unwatchably"])["n_subword"] == 0


def test_training_is_gensims_own_bit_for_bit(small_corpus):
    vectorizer = make(sg=1, window=3).fit(small_corpus[0])
    tokens = vectorizer.build_analyzer()
    model = FastText(
        [tokens(doc) for doc in small_corpus[0]],
        sg=1,
        window=3,
        seed=0,
        workers=1,
        **SMALL,
    )
    assert vectorizer.wv_.index_to_key == model.wv.index_to_key
    for name in ("vectors", "vectors_vocab", "vectors_ngrams"):
        np.testing.assert_array_equal(
            getattr(vectorizer.wv_, name), getattr(model.wv, name), err_msg=name
        )


def test_a_streamed_corpus_trains_the_same_vectors(small_corpus, tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(small_corpus[0]) + "\n", encoding="utf-8")
    streamed = make().fit(LineCorpus(path))
    listed = make().fit(small_corpus[0])
    assert streamed.wv_.index_to_key == listed.wv_.index_to_key
    np.testing.assert_array_equal(
        streamed.wv_.vectors_ngrams, listed.wv_.vectors_ngrams
    )
    np.testing.assert_array_equal(
        streamed.transform(small_corpus[0]), listed.transform(small_corpus[0])
    )


def test_memory_restores_the_ngram_vectors(small_corpus, tmp_path):
    X = small_corpus[0]
    plain = make().fit(X)
    first = make(memory=tmp_path).fit(X)
    again = make(memory=tmp_path, weighting="sif").fit(X)
    word = unseen_word(plain)
    for cached in (first, again):
        assert isinstance(cached.wv_, MappedFastTextKeyedVectors)
        assert isinstance(cached.wv_.vectors_ngrams, np.memmap)  # shared, not copied
        np.testing.assert_array_equal(cached.wv_[word], plain.wv_[word])
    np.testing.assert_array_equal(first.transform(X), plain.transform(X))
    # A word2vec entry with the same settings is another entry.
    word2vec = Word2VecVectorizer(
        **{k: v for k, v in SMALL.items() if k != "bucket"},
        random_state=0,
        memory=tmp_path,
    ).fit(X)
    assert not hasattr(word2vec.wv_, "vectors_ngrams")


def test_the_mapped_table_travels_by_path_to_workers(small_corpus, tmp_path):
    from skw2v._parallel import table_bytes_to_copy

    cached = make(memory=tmp_path, bucket=200_000).fit(small_corpus[0])
    assert cached.wv_.vectors_ngrams.nbytes > 8 * 2**20
    assert table_bytes_to_copy(cached._worker_copy()) == 0
    in_memory = make(bucket=200_000).fit(small_corpus[0])
    assert table_bytes_to_copy(in_memory._worker_copy()) == 0  # under 16 MB
    wide = make(bucket=400_000).fit(small_corpus[0][:100])
    assert table_bytes_to_copy(wide._worker_copy()) >= wide.wv_.vectors_ngrams.nbytes


def test_partial_fit_grows_the_vocabulary_and_trains_the_ngrams(reviews):
    vectorizer = make(min_count=1)
    vectorizer.partial_fit(reviews.data[:500])
    n_words = len(vectorizer.wv_)
    before = vectorizer.wv_.vectors_ngrams.copy()
    vectorizer.partial_fit(reviews.data[500:1000])
    assert len(vectorizer.wv_) > n_words
    assert not np.array_equal(vectorizer.wv_.vectors_ngrams, before)
    assert isinstance(vectorizer.model_, FastText)
    restored = pickle.loads(pickle.dumps(vectorizer))
    word = unseen_word(vectorizer)
    np.testing.assert_array_equal(restored.wv_[word], vectorizer.wv_[word])


def test_partial_fit_after_fit_without_the_model_says_what_to_do(fitted):
    with pytest.raises(ValueError, match="This FastTextVectorizer was fitted by fit"):
        clone(fitted).set_params().fit(["good film"] * 3).partial_fit(["more"])


def test_init_vectors_from_a_facebook_model_start_words_and_ngrams(
    small_corpus, tmp_path
):
    X = small_corpus[0]
    source = FastText(
        [doc.split() for doc in X], seed=1, workers=1, **{**SMALL, "min_count": 1}
    )
    path = tmp_path / "model.bin"
    save_facebook_model(source, str(path))
    # No learning: what fit keeps is where training starts.
    frozen = {"alpha": 1e-12, "min_alpha": 1e-12, "epochs": 1}
    tuned = make(init_vectors=path, token_pattern=r"\S+", **frozen).fit(X)
    assert tuned.n_words_initialized_ == len(tuned.wv_)
    np.testing.assert_allclose(tuned.wv_.vectors_ngrams, source.wv.vectors_ngrams)
    for word in ("good", "film", unseen_word(tuned)):
        np.testing.assert_allclose(tuned.wv_[word], source.wv[word], atol=1e-6)


def test_init_vectors_without_ngrams_set_the_words_composed_vectors(
    fitted, small_corpus
):
    word2vec = Word2VecVectorizer(vector_size=12, min_count=1, random_state=0)
    word2vec.fit(small_corpus[0])
    frozen = {"alpha": 1e-12, "min_alpha": 1e-12, "epochs": 1}
    tuned = make(init_vectors=word2vec.wv_, **frozen).fit(small_corpus[0])
    assert tuned.n_words_initialized_ == len(tuned.wv_)
    for word in ("good", "film"):  # the mean of its row and of its n-grams' rows
        np.testing.assert_allclose(tuned.wv_[word], word2vec.wv_[word], atol=1e-6)


def test_init_vectors_hashed_otherwise_say_what_to_set(tmp_path, small_corpus):
    source = FastText(
        [["good", "film"]] * 5,
        min_count=1,
        bucket=500,
        seed=0,
        **{"vector_size": 12, "epochs": 1, "min_n": 2},
    )
    with pytest.raises(
        ValueError,
        match=r"hashed with min_n=2, max_n=6, bucket=500.*set min_n=2, "
        r"max_n=6, bucket=500 to start from its n-gram vectors",
    ):
        make(init_vectors=source).fit(small_corpus[0][:100])


def test_random_state_gives_the_same_vectors_in_another_process(reviews, tmp_path):
    X = reviews.data[:300]
    np.save(tmp_path / "here.npy", make().fit(X).transform(X))
    script = textwrap.dedent(
        f"""
        import numpy as np
        from skw2v import FastTextVectorizer
        from skw2v.datasets import load_movie_reviews

        X = load_movie_reviews().data[:300]
        vectorizer = FastTextVectorizer(**{SMALL!r}, random_state=0)
        np.save({str(tmp_path / "there.npy")!r}, vectorizer.fit(X).transform(X))
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    np.testing.assert_array_equal(
        np.load(tmp_path / "here.npy"), np.load(tmp_path / "there.npy")
    )


@pytest.mark.parametrize(
    "params",
    [
        {"min_n": 0},
        {"max_n": 0},
        {"bucket": -1},
        {"bucket": 2**31},
        {"hs": 0, "negative": 0},
    ],
)
def test_invalid_parameters_are_refused_at_fit(params, small_corpus):
    vectorizer = make(**params)  # __init__ stores, fit validates
    with pytest.raises(ValueError, match="min_n|max_n|bucket|no output layer"):
        vectorizer.fit(small_corpus[0][:50])


def test_an_empty_vocabulary_says_what_to_do():
    with pytest.raises(ValueError, match="Empty vocabulary.*Lower min_count"):
        make(min_count=10).fit(["a few words", "and a few more"])
