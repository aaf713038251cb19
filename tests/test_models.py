"""The gensim models described once (``skw2v/_models.py``), and what reads them."""

import inspect
import json
from dataclasses import replace

import numpy as np
import pytest
from gensim.models import FastText, Word2Vec

from skw2v import Doc2VecVectorizer, FastTextVectorizer, Word2VecVectorizer
from skw2v._memory import cached_training
from skw2v._models import DOC2VEC, FASTTEXT, WORD2VEC, ModelSpec
from skw2v._training import train_model

#: Each estimator with its spec.
ESTIMATORS = [
    (Word2VecVectorizer, WORD2VEC),
    (FastTextVectorizer, FASTTEXT),
    (Doc2VecVectorizer, DOC2VEC),
]

#: The hyperparameters whose default is not gensim's, by spec: the documented
#: exceptions (``Hyperparameter.own_default``), listed here once more so that
#: a new one is a deliberate change of this list too.
OWN_DEFAULTS = {
    "word2vec": {"n_jobs", "random_state"},
    "fasttext": {"n_jobs", "random_state", "bucket"},
    "doc2vec": {"dm", "dbow_words", "dm_mean", "epochs", "n_jobs", "random_state"},
}


def _gensim_signature(model_class) -> dict:
    """Return the parameters of ``model_class`` and of the classes it passes on to.

    gensim's Doc2Vec passes its other keyword arguments on to Word2Vec.
    """
    parameters = {}
    for cls in reversed(model_class.__mro__):
        if cls.__module__.startswith("gensim.models") and "__init__" in vars(cls):
            parameters.update(inspect.signature(cls).parameters)
    return parameters


@pytest.mark.parametrize(("estimator", "spec"), ESTIMATORS)
def test_the_estimators_init_and_its_spec_agree(estimator, spec):
    init = inspect.signature(estimator).parameters
    gensim = _gensim_signature(spec.model_class)
    # Every hyperparameter of the spec, in the spec's order, in __init__.
    assert [name for name in init if name in spec.hyperparameters] == list(
        spec.hyperparameters
    )
    own = {name for name, h in spec.hyperparameters.items() if h.own_default}
    assert own == OWN_DEFAULTS[spec.name]
    for name, hyperparameter in spec.hyperparameters.items():
        gensim_default = gensim[hyperparameter.gensim_name or name].default
        if name in own:
            assert init[name].default != gensim_default, name
        else:
            assert init[name].default == gensim_default, name
        assert estimator._parameter_constraints[name] is spec.constraints[name]
    assert estimator._spec is spec


def test_the_gensim_names_and_values_of_the_runtime_parameters():
    params = {**dict.fromkeys(WORD2VEC.hyperparameters, 0), "n_jobs": None}
    arguments = WORD2VEC.gensim_parameters(params)
    assert "n_jobs" not in arguments and "random_state" not in arguments
    assert arguments["workers"] == 1  # None: one thread, never joblib's context
    assert arguments["seed"] == 0  # an int unchanged
    rng = np.random.RandomState(3)
    drawn = WORD2VEC.gensim_parameters({**params, "random_state": rng})["seed"]
    assert drawn == np.random.RandomState(3).randint(np.iinfo(np.int32).max)


def test_the_gensim_model_gets_every_hyperparameter():
    # None of these is gensim's default: a hyperparameter the spec lost on its
    # way to gensim would keep its default instead.
    params = {
        "vector_size": 7,
        "window": 3,
        "min_count": 2,
        "sg": 1,
        "hs": 1,
        "negative": 2,
        "ns_exponent": 0.5,
        "cbow_mean": 0,
        "sample": 0.01,
        "alpha": 0.05,
        "min_alpha": 0.001,
        "epochs": 3,
        "max_vocab_size": 1000,
        "max_final_vocab": 100,
        "shrink_windows": False,
        "n_jobs": 2,
        "random_state": 11,
    }
    assert set(params) == set(WORD2VEC.hyperparameters)
    model = WORD2VEC.new_model(params)
    assert isinstance(model, Word2Vec)
    expected = {**params, "workers": 2, "seed": 11}
    del expected["n_jobs"], expected["random_state"]
    assert {name: getattr(model, name) for name in expected} == expected
    # fastText: the same, and its n-grams' lengths and table.
    ngrams = {"min_n": 2, "max_n": 4, "bucket": 100}
    model = FASTTEXT.new_model({**params, **ngrams})
    assert isinstance(model, FastText)
    assert {name: getattr(model.wv, name) for name in ngrams} == ngrams
    assert {name: getattr(model, name) for name in expected} == expected


def test_the_rules_involving_several_parameters():
    params = Word2VecVectorizer(negative=0).get_params()
    with pytest.raises(
        ValueError,
        match=r"^With hs=0 and negative=0 word2vec has no output layer, so nothing "
        r"to train; set negative > 0 \(negative sampling\) or hs=1 \(hierarchical "
        r"softmax\)\.$",
    ):
        WORD2VEC.check(params, caller="test")
    WORD2VEC.check({**params, "hs": 1}, caller="test")  # one output layer is enough
    with pytest.raises(ValueError, match="The 'window' parameter of test must"):
        WORD2VEC.check({**params, "hs": 1, "window": 0}, caller="test")


def test_the_progress_label_comes_from_the_model_class():
    assert WORD2VEC.estimator_name == "Word2VecVectorizer"
    assert WORD2VEC.progress_label == "[Word2VecVectorizer]"
    fasttext = replace(WORD2VEC, name="fasttext", model_class=FastText)
    assert fasttext.progress_label == "[FastTextVectorizer]"
    assert FASTTEXT.progress_label == "[FastTextVectorizer]"


def test_train_model_trains_the_specs_class(small_corpus, capsys, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # the plain progress lines
    X, _ = small_corpus
    tokens = [doc.split() for doc in X[:200]]
    params = {
        **Word2VecVectorizer(vector_size=8, epochs=2, random_state=0).get_params(),
        "min_count": 2,
    }
    fasttext = replace(WORD2VEC, name="fasttext", model_class=FastText)
    model, n_initialized = train_model(fasttext, tokens, params, verbose=1)
    assert type(model) is FastText and n_initialized is None
    assert model.wv.vectors_ngrams.shape[1] == 8
    assert "[FastTextVectorizer] epoch 2/2" in capsys.readouterr().err


def _manifests(location) -> dict:
    """Return the manifests of the entries under ``location``, by kind."""
    manifests = [
        json.loads(path.read_text())
        for path in location.glob("skw2v-trained-*/*/entry/manifest.json")
    ]
    return {manifest["kind"]: manifest for manifest in manifests}


def test_cached_training_is_keyed_and_laid_out_by_the_spec(tmp_path):
    tokens = [["good", "movie", "bad", "film"]] * 30
    model = FastText(tokens, vector_size=8, min_count=1, epochs=1, seed=0, workers=1)
    trained = []

    def train():
        trained.append(1)
        return model.wv, None

    key = {"vector_size": 8}
    cached_training(WORD2VEC, tmp_path, tokens, key, train)
    # Another model with the same parameters and tokens: another entry, laid
    # out as its spec says, from which the n-gram vectors come back.
    fasttext = replace(WORD2VEC, name="fasttext", cache_layout="fasttext")
    assert isinstance(fasttext, ModelSpec)
    cached_training(fasttext, tmp_path, tokens, key, train)
    wv, _ = cached_training(fasttext, tmp_path, tokens, key, train)
    assert len(trained) == 2  # once per model; the second fasttext one mapped
    assert isinstance(wv.vectors_ngrams, np.memmap)
    np.testing.assert_array_equal(wv.vectors_ngrams, model.wv.vectors_ngrams)
    np.testing.assert_array_equal(wv["unseen"], model.wv["unseen"])
    manifests = _manifests(tmp_path)
    assert set(manifests) == {"trained word2vec", "trained fasttext"}
    assert manifests["trained word2vec"]["layout"] == "vectors"
    assert manifests["trained fasttext"]["layout"] == "fasttext"
