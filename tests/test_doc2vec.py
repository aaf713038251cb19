"""``Doc2VecVectorizer``: Doc2Vec trained in fit, deterministic inference."""

import copy
import os
import pickle
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from gensim.models import Doc2Vec
from gensim.models.doc2vec import TaggedDocument
from sklearn.base import clone

import skw2v._doc2vec
from skw2v import Doc2VecVectorizer, LineCorpus
from skw2v._models import DOC2VEC
from skw2v._training import train_model

SMALL = {"vector_size": 12, "min_count": 2, "epochs": 3, "random_state": 0}

#: The training modes, each with the word vectors it trains (or not).
MODES = [
    ({}, True),
    ({"dbow_words": 0}, False),
    ({"dm": 1}, True),
    ({"dm": 1, "dm_mean": 0}, True),
    ({"dm": 1, "dm_concat": 1, "window": 2}, True),
    ({"hs": 1, "negative": 0, "dbow_words": 0}, False),
    ({"dm": 1, "hs": 1}, True),
]


def make(**params):
    return Doc2VecVectorizer(**{**SMALL, **params})


@pytest.fixture(scope="module")
def corpus(small_corpus):
    return small_corpus[0]


@pytest.fixture(scope="module")
def fitted(corpus):
    return make().fit(corpus)


@pytest.mark.parametrize(("mode", "has_words"), MODES, ids=str)
def test_every_mode_infers_the_same_row_in_any_batch(corpus, mode, has_words):
    vectorizer = make(**mode)
    rows = vectorizer.fit_transform(corpus)
    assert rows.shape == (len(corpus), 12) and rows.dtype == np.float32
    np.testing.assert_array_equal(vectorizer.transform(corpus), rows)
    # Another batch, another order, one document alone: the same rows.
    order = np.random.default_rng(0).permutation(len(corpus))
    shuffled = vectorizer.transform([corpus[i] for i in order])
    np.testing.assert_array_equal(shuffled, rows[order])
    np.testing.assert_array_equal(vectorizer.transform(corpus[7:8]), rows[7:8])
    assert ("wv_" in vars(vectorizer)) is has_words
    assert vectorizer.dv_.vectors.shape == (len(corpus), 12)


def test_another_process_with_another_hash_seed_infers_the_same_rows(
    fitted, corpus, tmp_path
):
    # gensim seeds infer_vector with Python's hash of the text, salted per
    # process; here the rows do not depend on the salt.
    X = corpus[:200]
    script = textwrap.dedent(
        f"""
        import numpy as np
        from skw2v import Doc2VecVectorizer

        corpus = np.load({str(tmp_path / "corpus.npy")!r}).tolist()
        fitted = Doc2VecVectorizer(**{SMALL!r}).fit(corpus)
        np.save({str(tmp_path / "there.npy")!r}, fitted.transform(corpus[:200]))
        """
    )
    np.save(tmp_path / "corpus.npy", np.array(corpus))
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", script], check=True, env=env)
        np.testing.assert_array_equal(
            np.load(tmp_path / "there.npy"), fitted.transform(X)
        )


def test_inference_is_gensims(fitted, corpus):
    # The same inference as gensim's infer_vector, but for its random draws:
    # with many epochs both converge to nearly the same vector.
    vectorizer = clone(fitted).set_params(keep_model=True).fit(corpus)
    model = vectorizer.model_
    tokens = vectorizer._tokenizer().documents(corpus[:50])
    ours = vectorizer.set_params(infer_epochs=200).transform(corpus[:50])
    theirs = np.array([model.infer_vector(t, epochs=200) for t in tokens])
    cosine = (ours * theirs).sum(1) / np.linalg.norm(ours, axis=1)
    cosine /= np.linalg.norm(theirs, axis=1)
    assert cosine.min() > 0.9, cosine.min()
    # Fewer epochs of inference move the vector less far from its start.
    few = vectorizer.set_params(infer_epochs=1).transform(corpus[:50])
    assert not np.allclose(few, ours)


def test_one_thread_and_a_seed_train_gensims_model_bit_for_bit(corpus):
    vectorizer = make(dm=1, keep_model=True).fit(corpus)
    tokens = vectorizer._tokenizer().documents(corpus)
    gensim = Doc2Vec(
        [TaggedDocument(doc, [i]) for i, doc in enumerate(tokens)],
        vector_size=12,
        min_count=2,
        epochs=3,
        dm=1,
        seed=0,
        workers=1,
    )
    np.testing.assert_array_equal(vectorizer.dv_.vectors, gensim.dv.vectors)
    np.testing.assert_array_equal(vectorizer.wv_.vectors, gensim.wv.vectors)
    assert vectorizer.wv_.index_to_key == gensim.wv.index_to_key
    np.testing.assert_array_equal(vectorizer.model_.syn1neg, gensim.syn1neg)


def test_train_model_trains_doc2vec_from_the_spec(corpus, fitted):
    # As the command line trains: the spec, the parameters, the tokens.
    tokens = fitted._tokenizer().documents(corpus)
    params = {name: fitted.get_params()[name] for name in DOC2VEC.hyperparameters}
    model, n_initialized = train_model(DOC2VEC, tokens, params)
    assert isinstance(model, Doc2Vec) and n_initialized is None
    np.testing.assert_array_equal(model.dv.vectors, fitted.dv_.vectors)
    with pytest.raises(ValueError, match="init_vectors is for word models"):
        train_model(DOC2VEC, tokens, params, init_vectors=fitted.dv_)


def test_worker_processes_infer_the_rows_of_one_job(
    monkeypatch, tmp_path, fitted, corpus
):
    # A small threshold sends even this batch to two worker processes.
    monkeypatch.setattr(skw2v._doc2vec.Doc2VecVectorizer, "_process_min_characters", 1)
    monkeypatch.setenv("JOBLIB_TEMP_FOLDER", str(tmp_path))
    X = [*corpus, "", "zzzz"]
    with pytest.warns(UserWarning, match="of 1002 documents have no word"):
        one = fitted.transform(X)
    with pytest.warns(UserWarning, match="of 1002 documents have no word") as parts:
        two = copy.copy(fitted).set_params(n_jobs=2).transform(X)  # same model
    assert len(parts) == 1
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(one[-2:], 0)
    shipped = fitted._worker_copy()
    assert "dv_" not in vars(shipped)  # workers infer without the trained vectors


def test_the_noise_distribution_travels_with_the_pickle(fitted):
    # Workers unpickle the estimator on every call: they take the noise
    # distribution gensim made, rather than recompute it word by word.
    shipped = fitted.__getstate__()["_inference_table"]
    np.testing.assert_array_equal(shipped.cum_table, fitted._model.cum_table)
    restored = pickle.loads(pickle.dumps(fitted))
    made_again = copy.copy(fitted._model)
    made_again.make_cum_table()
    assert restored._model.cum_table.dtype == made_again.cum_table.dtype
    np.testing.assert_array_equal(restored._model.cum_table, made_again.cum_table)


def test_a_stream_trains_as_the_list_does(tmp_path, fitted, corpus):
    path = tmp_path / "reviews.txt"
    path.write_text("\n".join(corpus) + "\n", encoding="utf-8")
    streamed = make()
    rows = streamed.fit_transform(LineCorpus(path))
    np.testing.assert_array_equal(streamed.dv_.vectors, fitted.dv_.vectors)
    np.testing.assert_array_equal(rows, fitted.transform(corpus))
    np.testing.assert_array_equal(streamed.transform(LineCorpus(path)), rows)


def test_memory_maps_a_model_that_infers_the_same_rows(tmp_path, fitted, corpus):
    first = make(memory=tmp_path, dm=1, hs=1, remove_components=1).fit(corpus)
    second = make(memory=tmp_path, dm=1, hs=1).fit(corpus)
    plain = make(dm=1, hs=1).fit(corpus)
    assert isinstance(second.dv_.vectors, np.memmap)  # mapped, not trained
    assert isinstance(second._model.syn1neg, np.memmap)
    np.testing.assert_array_equal(second.dv_.vectors, plain.dv_.vectors)
    np.testing.assert_array_equal(second.wv_.vectors, plain.wv_.vectors)
    expected = plain.transform(corpus)
    np.testing.assert_array_equal(second.transform(corpus), expected)
    assert first.components_.shape == (1, 12) and second.components_.shape == (0, 12)
    # A pickle holds the arrays, not the mapping.
    restored = pickle.loads(pickle.dumps(second))
    assert not isinstance(restored._model.syn1neg, np.memmap)
    np.testing.assert_array_equal(restored.transform(corpus), expected)


def test_build_analyzer_gives_the_tokens_transform_infers_from(fitted, corpus):
    analyzer = fitted.build_analyzer()
    document = "A GRIPPING, if over-long film: zzqx!"
    tokens = analyzer(document)
    assert tokens == re.findall(fitted.token_pattern, document.lower())
    # Words outside the vocabulary are kept (inference skips them).
    assert "zzqx" in tokens and "zzqx" not in fitted.wv_.key_to_index
    # The document and its tokens, given as tokens, infer the same row.
    row = fitted.transform([document])
    assert row.any()
    np.testing.assert_array_equal(fitted.transform([tokens]), row)
    # An unknown word plays no part: the row of the known words alone.
    known = [token for token in tokens if token in fitted.wv_.key_to_index]
    assert len(known) < len(tokens)
    np.testing.assert_array_equal(fitted.transform([known]), row)
    # Another tokenizer, another analyzer: transform follows it.
    cased = make(lowercase=False).fit(corpus)
    assert cased.build_analyzer()("Good FILM") == ["Good", "FILM"]
    with pytest.warns(UserWarning, match="1 of 1 documents have no word"):
        assert not cased.transform(["Good FILM"]).any()  # unknown as cased


def test_remove_components_and_norm_apply(fitted, corpus):
    with pytest.warns(UserWarning, match="have no word"):
        rows = make(norm="l2", remove_components=2).fit_transform(corpus)
        raw = fitted.transform(corpus)
    known = np.abs(raw).sum(axis=1) > 0
    np.testing.assert_allclose(np.linalg.norm(rows[known], axis=1), 1, rtol=1e-5)
    np.testing.assert_array_equal(rows[~known], 0)
    assert not np.allclose(rows, raw / np.linalg.norm(raw, axis=1, keepdims=True))


@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        (["a good movie", None], ValueError, "None"),
        (["a good movie", float("nan")], ValueError, "missing value"),
        ([], ValueError, "no document"),
    ],
)
def test_bad_documents_are_refused_clearly(X, error, match):
    with pytest.raises(error, match=match):
        make().fit(X)


def test_an_empty_vocabulary_says_what_to_do(corpus):
    with pytest.raises(ValueError, match="Empty vocabulary.*Lower min_count"):
        make(min_count=100_000).fit(corpus)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"vector_size": 0}, "vector_size"),
        ({"window": 2**31}, "window"),
        ({"dm": 2}, "dm"),
        ({"dm_mean": 2}, "dm_mean"),
        ({"alpha": float("inf")}, "alpha"),
        ({"infer_epochs": 0}, "infer_epochs"),
        ({"infer_alpha": 0.0}, "infer_alpha"),
        ({"sample": 2.0}, "sample"),
        ({"pooling": "max"}, "pooling"),
        ({"hs": 0, "negative": 0}, "no output layer"),
        ({"dm": 1, "dm_concat": 1, "window": 5000}, "window <= 4999"),
        ({"dm": 1, "dm_concat": 1, "window": 4000, "vector_size": 300_000}, "index"),
    ],
)
def test_hyperparameters_are_bounded(params, match, corpus):
    with pytest.raises((ValueError, TypeError), match=match):
        Doc2VecVectorizer(**params).fit(corpus[:20])


def test_pooling_and_weighting_are_not_parameters():
    params = Doc2VecVectorizer().get_params()
    assert not {"pooling", "weighting", "sif_a"} & set(params)
    assert {"remove_components", "norm", "infer_epochs", "infer_alpha"} <= set(params)


def test_skops_needs_to_trust_no_gensim_model(fitted, corpus):
    sio = pytest.importorskip("skops.io")
    data = sio.dumps(fitted)
    trusted = sio.get_untrusted_types(data=data)
    assert set(trusted) == {
        "gensim.models.keyedvectors.KeyedVectors",
        "skw2v._doc2vec.Doc2VecVectorizer",
    }
    restored = sio.loads(data, trusted=trusted)
    np.testing.assert_array_equal(restored.transform(corpus), fitted.transform(corpus))
