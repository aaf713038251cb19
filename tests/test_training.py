"""Training (``skw2v/_training.py``): gensim parity, reproducibility, fine-tuning."""

import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors, Word2Vec
from gensim.models.word2vec import MAX_WORDS_IN_BATCH
from gensim.test.utils import datapath
from sklearn.base import clone
from sklearn.utils._param_validation import InvalidParameterError

from skw2v import LineCorpus, Word2VecVectorizer, _token_file
from skw2v._cli import main
from skw2v._text import TokenStream, build_tokenizer


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sg": 1, "window": 2, "negative": 3, "sample": 0},
        {"sg": 1, "hs": 1, "negative": 0, "shrink_windows": False},
        {"cbow_mean": 0, "ns_exponent": 0.5, "alpha": 0.05, "min_alpha": 0.01},
        {"max_final_vocab": 300, "epochs": 2},
    ],
)
def test_vectors_are_bit_identical_to_gensim_with_the_same_parameters(
    params, small_corpus
):
    X, _ = small_corpus
    vectorizer = Word2VecVectorizer(vector_size=16, random_state=1, **params).fit(X)
    tokenize = build_tokenizer()
    model = Word2Vec(
        [tokenize(doc) for doc in X], vector_size=16, seed=1, workers=1, **params
    )
    assert vectorizer.wv_.index_to_key == model.wv.index_to_key
    np.testing.assert_array_equal(vectorizer.wv_.vectors, model.wv.vectors)


def test_parameters_change_the_model(small_corpus):
    X, _ = small_corpus
    base = Word2VecVectorizer(vector_size=16, random_state=0).fit(X)
    skip_gram = Word2VecVectorizer(vector_size=16, random_state=0, sg=1).fit(X)
    assert base.wv_.index_to_key == skip_gram.wv_.index_to_key
    assert not np.allclose(base.wv_.vectors, skip_gram.wv_.vectors)
    rare = Word2VecVectorizer(vector_size=16, random_state=0, min_count=1).fit(X)
    assert len(rare.wv_) > len(base.wv_)


_FIT_IN_A_SUBPROCESS = textwrap.dedent(
    """
    import sys
    import numpy as np
    from skw2v import Word2VecVectorizer
    from skw2v.datasets import load_movie_reviews

    X = load_movie_reviews().data[:1500]
    wv = Word2VecVectorizer(vector_size=16, min_count=2, random_state=7).fit(X).wv_
    np.save(sys.argv[1], wv.vectors)
    """
)


def test_same_random_state_gives_bit_identical_vectors_across_processes(
    reviews, tmp_path
):
    in_process = (
        Word2VecVectorizer(vector_size=16, min_count=2, random_state=7)
        .fit(reviews.data[:1500])
        .wv_.vectors
    )
    for hash_seed in ("1", "2"):
        out = tmp_path / f"vectors{hash_seed}.npy"
        subprocess.run(
            [sys.executable, "-c", _FIT_IN_A_SUBPROCESS, str(out)],
            check=True,
            env={"PYTHONHASHSEED": hash_seed, "PATH": ""},
        )
        np.testing.assert_array_equal(np.load(out), in_process)


def test_random_state_none_draws_a_new_seed(small_corpus):
    X, _ = small_corpus
    first = Word2VecVectorizer(vector_size=8, epochs=1).fit(X).wv_.vectors
    second = Word2VecVectorizer(vector_size=8, epochs=1).fit(X).wv_.vectors
    assert not np.array_equal(first, second)
    rng = np.random.RandomState(0)
    third = Word2VecVectorizer(vector_size=8, epochs=1, random_state=rng).fit(X)
    assert third.random_state is rng  # the parameter is never replaced


def test_multithreaded_training_works(small_corpus):
    X, _ = small_corpus
    vectorizer = Word2VecVectorizer(vector_size=16, n_jobs=2, random_state=0).fit(X)
    assert vectorizer.transform(X[:3]).shape == (3, 16)
    assert vectorizer.n_jobs == 2


@pytest.mark.parametrize("n_jobs", [1, 3])  # 3: trained from the token file
def test_documents_longer_than_gensims_sentence_limit_are_fully_used(n_jobs):
    # "tail" occurs only past gensim's 10,000-word sentence limit.
    doc = ["head", "body"] * (MAX_WORDS_IN_BATCH // 2) + ["tail", "body"] * 50
    params = {"vector_size": 8, "min_count": 1, "sample": 0}  # no subsampling
    untrained = Word2Vec(seed=0, workers=1, **params)
    untrained.build_vocab([doc])
    initial = untrained.wv["tail"].copy()
    gensim_direct = Word2Vec([doc], seed=0, workers=1, **params)
    np.testing.assert_array_equal(gensim_direct.wv["tail"], initial)  # never trained
    ours = Word2VecVectorizer(random_state=0, n_jobs=n_jobs, **params).fit([doc])
    assert not np.array_equal(ours.wv_["tail"], initial)


def test_verbose_reports_every_epoch(small_corpus, capsys, monkeypatch):
    X, _ = small_corpus
    Word2VecVectorizer(vector_size=8, epochs=2, verbose=1).fit(X[:50])
    assert "word2vec" in capsys.readouterr().err  # the tqdm bar
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # as if tqdm were absent
    Word2VecVectorizer(vector_size=8, epochs=2, verbose=1).fit(X[:50])
    err = capsys.readouterr().err
    assert "[Word2VecVectorizer] epoch 1/2" in err and "epoch 2/2" in err
    Word2VecVectorizer(vector_size=8, epochs=2).fit(X[:50])
    assert capsys.readouterr().err == ""  # silent by default


def test_empty_vocabulary_says_so_and_suggests_lowering_min_count():
    with pytest.raises(
        ValueError, match="Empty vocabulary.*min_count=5.*Lower min_count"
    ):
        Word2VecVectorizer().fit(["a rare sentence", "another one"])
    with pytest.raises(ValueError, match="Empty vocabulary.*0 tokens"):
        Word2VecVectorizer(min_count=1).fit(["", "  ", "..."])


def test_no_output_layer_is_refused():
    with pytest.raises(ValueError, match="hs=0 and negative=0"):
        Word2VecVectorizer(negative=0, min_count=1).fit(["good movie"])


# -- init_vectors: fine-tuning pretrained vectors --------------------------------------


@pytest.fixture(scope="module")
def splits(reviews):
    """A larger split to pretrain on, and a smaller one to fine-tune on."""
    rng = np.random.default_rng(0)
    order = rng.permutation(len(reviews.data))
    return [reviews.data[i] for i in order[:6000]], [
        reviews.data[i] for i in order[6000:9000]
    ]


@pytest.fixture(scope="module")
def pretrained(splits):
    params = {"vector_size": 24, "min_count": 3, "epochs": 5, "random_state": 0}
    return Word2VecVectorizer(**params).fit(splits[0]).wv_


def _mean_cosine(a: KeyedVectors, b: KeyedVectors, words) -> float:
    x, y = a[words], b[words]
    cos = (x * y).sum(1) / np.linalg.norm(x, axis=1) / np.linalg.norm(y, axis=1)
    return float(cos.mean())


def test_fine_tuning_moves_vectors_but_stays_close(pretrained, splits):
    params = {"vector_size": 24, "min_count": 3, "epochs": 5, "random_state": 1}
    tuned = Word2VecVectorizer(init_vectors=pretrained, **params).fit(splits[1])
    scratch = Word2VecVectorizer(**params).fit(splits[1])
    covered = [w for w in tuned.wv_.index_to_key if w in pretrained.key_to_index]
    assert tuned.n_words_initialized_ == len(covered) > 1000
    tuned_cos = _mean_cosine(tuned.wv_, pretrained, covered)
    scratch_cos = _mean_cosine(scratch.wv_, pretrained, covered)
    assert tuned_cos < 0.999, "training did not move the pretrained vectors"
    assert tuned_cos > scratch_cos + 0.3, (tuned_cos, scratch_cos)
    # The pretrained table itself is left untouched.
    again = Word2VecVectorizer(**{**params, "random_state": 0}).fit(splits[0])
    np.testing.assert_array_equal(again.wv_.vectors, pretrained.vectors)


def test_init_vectors_from_a_file_and_shared_by_clone(pretrained, splits, tmp_path):
    path = tmp_path / "pretrained.bin"
    pretrained.save_word2vec_format(str(path), binary=True)
    params = {"vector_size": 24, "min_count": 3, "epochs": 1, "random_state": 1}
    from_file = Word2VecVectorizer(init_vectors=path, **params).fit(splits[1][:500])
    in_memory = Word2VecVectorizer(init_vectors=pretrained, **params)
    in_memory.fit(splits[1][:500])
    np.testing.assert_allclose(from_file.wv_.vectors, in_memory.wv_.vectors, atol=1e-5)
    assert clone(in_memory).init_vectors is pretrained


def test_dimension_mismatch(pretrained, splits):
    vectorizer = Word2VecVectorizer(init_vectors=pretrained, vector_size=10)
    with pytest.raises(ValueError, match="24 dimensions.*set vector_size=24"):
        vectorizer.fit(splits[1][:200])


def test_init_vectors_that_are_not_vectors(splits):
    with pytest.raises(TypeError, match="must be a gensim KeyedVectors"):
        Word2VecVectorizer(init_vectors=3.0).fit(splits[1][:200])


LEE = datapath("lee_background.cor")


# -- parameters beyond what gensim's compiled code accepts ----------------------------

#: Values that passed validation once and then crashed the interpreter (alpha
#: beyond float32), killed a training thread while the caller waited forever
#: (window, negative beyond a C int), ended in NaN (ns_exponent) or tried to
#: start 2**31 threads.
BEYOND_GENSIM = [
    ("alpha", 1e39),
    ("alpha", float("inf")),
    ("min_alpha", 1e300),
    ("window", 2**31),
    ("negative", 2**31),
    ("vector_size", 2**31),
    ("epochs", 2**31),
    ("min_count", 2**63),
    ("ns_exponent", -1e9),
    ("ns_exponent", float("nan")),
    ("sample", float("inf")),
    ("n_jobs", 2**31),
    ("n_jobs", 0),
]


@pytest.mark.parametrize(("name", "value"), BEYOND_GENSIM)
def test_parameters_beyond_gensims_range_are_refused(name, value, small_corpus):
    X, _ = small_corpus
    vectorizer = Word2VecVectorizer(**{name: value})
    with pytest.raises(InvalidParameterError, match=name):
        vectorizer.fit(X[:20])


@pytest.mark.parametrize(
    ("option", "value", "name"),
    [
        ("--window", 2**31, "window"),
        ("--negative", 2**31, "negative"),
        ("--vector-size", 2**31, "vector_size"),
        ("--epochs", 2**31, "epochs"),
        ("--sample", 1e300, "sample"),
        ("--workers", 2**31, "n_jobs"),
    ],
)
def test_cli_refuses_them_in_one_line(option, value, name, tmp_path, capsys):
    argv = ["train", LEE, "-o", str(tmp_path / "v.bin"), "--quiet", option, str(value)]
    assert main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and name in err[0]
    assert not (tmp_path / "v.bin").exists()


@pytest.mark.parametrize(
    ("name", "value"),
    [("alpha", 1.0), ("ns_exponent", -10.0), ("ns_exponent", 10.0), ("sample", 1.0)],
)
def test_the_bounds_themselves_train_to_finite_vectors(name, value, small_corpus):
    X, _ = small_corpus
    vectorizer = Word2VecVectorizer(
        vector_size=8, min_count=2, epochs=1, random_state=0, **{name: value}
    ).fit(X[:200])
    assert np.isfinite(vectorizer.wv_.vectors).all()


# -- a failure inside gensim's threads ----------------------------------------------

FAILING_LATER = """
import sys
from skw2v import Word2VecVectorizer, _token_file
from skw2v._models import WORD2VEC
from skw2v._training import train_model

# Several threads would train from a token file, written in the counting pass;
# the corpus is read by gensim's threads only without it.
_token_file._trains_from_file = lambda documents, workers: False

class Corpus:  # sound for the vocabulary pass, then {failure} in training
    passes = 0
    def __iter__(self):
        Corpus.passes += 1
        for i in range(2000):
            if Corpus.passes > 1 and i == 1000:
                {failure}
            yield ["a", "b", "c", "d"]

params = Word2VecVectorizer(min_count=1, n_jobs={n_jobs}).get_params()
try:
    train_model(WORD2VEC, Corpus(), params)
except Exception as exc:
    print(type(exc).__name__, exc)
"""


@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        ('raise OSError("the disk went away")', "OSError the disk went away"),
        ('yield [["a"], ["b"]]', "TypeError unhashable type: 'list'"),  # in a worker
    ],
    ids=["in the job producer", "in a worker"],
)
def test_a_failure_in_gensims_threads_is_raised_not_a_hang(failure, expected, n_jobs):
    # Plain gensim waits forever in both cases; a fresh process with a time
    # limit turns a regression into a failure instead of a hung test suite.
    script = FAILING_LATER.format(failure=failure, n_jobs=n_jobs)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == expected, done.stderr[-2000:]


# -- several threads: training from a token file (corpus_file) --------------------


@pytest.fixture
def token_files(tmp_path, monkeypatch):
    """Put the token files in tmp_path, and record each one written."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("JOBLIB_TEMP_FOLDER", str(tmp_path))
    written = []
    original = _token_file._TokenFile.__init__

    def init(self, handle):
        original(self, handle)
        written.append(self)

    monkeypatch.setattr(_token_file._TokenFile, "__init__", init)
    return written


def untrained_vectors(documents, **params):
    model = Word2Vec(**params)
    model.build_vocab(documents)
    return model.wv


def test_several_threads_train_from_a_token_file_then_remove_it(
    small_corpus, token_files, tmp_path
):
    X, _ = small_corpus
    params = {"vector_size": 16, "min_count": 2, "sg": 1, "random_state": 0}
    one = Word2VecVectorizer(**params).fit(X)
    two = Word2VecVectorizer(n_jobs=3, **params).fit(X)
    (token_file,) = token_files  # one file, for the one fit with three threads
    assert token_file.faithful and not Path(token_file.path).exists()
    assert list(tmp_path.glob("skw2v-corpus-*")) == []
    # The same counting pass: the same vocabulary and counts.
    assert two.wv_.index_to_key == one.wv_.index_to_key
    assert two.wv_.expandos["count"].tolist() == one.wv_.expandos["count"].tolist()
    tokens = build_tokenizer().batch(X)
    initial = untrained_vectors(tokens, vector_size=16, min_count=2, seed=0)
    for vectorizer in (one, two):  # both trained from the same start
        assert not np.allclose(vectorizer.wv_.vectors, initial.vectors)

    # And they learn alike: the similarities between the 100 most frequent
    # words agree (correlation 0.8 measured; 0.13 with another random_state).
    def similarities(wv):
        normed = wv.get_normed_vectors()[:100]
        return (normed @ normed.T)[np.triu_indices(100, 1)]

    agreement = np.corrcoef(similarities(one.wv_), similarities(two.wv_))[0, 1]
    assert agreement > 0.5


def test_a_list_trains_from_a_file_from_three_threads_a_stream_from_two(
    small_corpus, token_files, tmp_path
):
    # The fastest path measured on 2 cores (benchmarks/bench_threads.py).
    X, _ = small_corpus
    path = tmp_path / "reviews.txt"
    path.write_text("\n".join(X[:300]), encoding="utf-8")
    params = {"vector_size": 8, "min_count": 2, "epochs": 1}
    Word2VecVectorizer(n_jobs=2, **params).fit(X[:300])
    assert token_files == []
    Word2VecVectorizer(n_jobs=2, **params).fit(LineCorpus(path))
    assert len(token_files) == 1
    Word2VecVectorizer(n_jobs=3, **params).fit(X[:300])
    assert len(token_files) == 2


def test_tokens_that_a_line_format_would_change_train_from_the_corpus(token_files):
    # Tokens with a space (or empty ones) would come back different from a file.
    documents = [["new york", "is", "big", ""], ["new york", "is", "old"]] * 50
    vectorizer = Word2VecVectorizer(vector_size=8, min_count=1, n_jobs=3, sample=0)
    vectorizer.fit(documents)
    (token_file,) = token_files
    assert not token_file.faithful
    assert {"new york", ""} <= set(vectorizer.wv_.index_to_key)
    initial = untrained_vectors(documents, vector_size=8, min_count=1, seed=1)
    assert not np.allclose(vectorizer.wv_["new york"], initial["new york"])


def test_the_token_file_is_removed_when_reading_the_corpus_fails(token_files, tmp_path):
    class Failing:
        def __iter__(self):
            yield "a good movie"
            raise OSError("the disk went away")

    with pytest.raises(OSError, match="the disk went away"):
        Word2VecVectorizer(min_count=1, n_jobs=2).fit(Failing())
    assert len(token_files) == 1 and list(tmp_path.glob("skw2v-corpus-*")) == []


def test_a_streamed_corpus_is_written_as_its_tokenizers_text(
    small_corpus, token_files, tmp_path
):
    # A LineCorpus through the default tokenizer is written as the text the
    # tokenizer computes, not as lists joined back: the same counting pass as
    # one thread's (gensim's), and the same tokens when gensim reads the file.
    X, _ = small_corpus
    long_line = " ".join(X[:40] * 30)  # over 20,000 tokens: gensim cuts it
    n_pieces = -(-len(build_tokenizer()(long_line)) // MAX_WORDS_IN_BATCH)
    assert n_pieces == 3
    path = tmp_path / "reviews.txt"
    path.write_text("\n".join([*X, long_line, "?!", *X[:50]]), encoding="utf-8")
    params = {"min_count": 2, "epochs": 1, "keep_model": True, "random_state": 0}
    one = Word2VecVectorizer(**params).fit(LineCorpus(path))
    two = Word2VecVectorizer(n_jobs=2, **params).fit(LineCorpus(path))
    assert len(token_files) == 1 and token_files[0].faithful
    assert two.wv_.index_to_key == one.wv_.index_to_key
    assert two.wv_.expandos["count"].tolist() == one.wv_.expandos["count"].tolist()
    assert two.model_.corpus_count == one.model_.corpus_count == len(X) + 51 + n_pieces
    assert two.model_.corpus_total_words == one.model_.corpus_total_words


def test_gensim_reads_the_tokens_back_from_the_token_file(tmp_path):
    # Text that str.split and gensim's C++ reader could cut differently: Unicode
    # and ASCII control whitespace, NUL, tabs, stray apostrophes, no word at all.
    from gensim.models.word2vec_corpusfile import CythonLineSentence

    documents = [
        "Café\u00a0noir, l'été\u2003dernier",
        "tab\there\x0bvt\x0cff\x1cfs\x85nel\u3000日本語です",
        "a NUL\x00inside, 'quoted' isn't it''",
        "?!",
        "",
        "ÉCOLE Straße İstanbul ǅemal",
    ]
    tokenizer = build_tokenizer()
    stream = TokenStream(documents, tokenizer, characters=2**20)
    model = Word2Vec(min_count=1)
    with _token_file._TokenFile.for_training(stream, workers=2) as token_file:
        token_file.count_into(model, stream, update=False)
        lines = list(CythonLineSentence(token_file.path.encode()))
        read_back = [[token.decode() for token in line] for line in lines]
    expected = [tokens for tokens in tokenizer.batch(documents) if tokens]
    assert read_back == expected  # gensim skips the lines without a token
    assert model.corpus_count == len(documents)
    assert model.corpus_total_words == sum(map(len, expected))


def test_no_character_is_both_a_word_character_and_whitespace():
    # Why the default tokenizer's text needs no check before gensim reads it:
    # its tokens are runs of word characters and apostrophes, and no word
    # character is whitespace for str.split or for gensim's C++ reader.
    import re

    word = re.compile(r"\w")
    assert not [
        c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and word.match(c)
    ]


@pytest.mark.parametrize("max_vocab_size", [None, 500])  # 500: gensim counts
def test_the_token_file_path_counts_the_same_vocabulary(
    max_vocab_size, small_corpus, token_files
):
    X, _ = small_corpus
    params = {"min_count": 2, "max_vocab_size": max_vocab_size, "epochs": 1}
    one = Word2VecVectorizer(**params).fit(X)
    two = Word2VecVectorizer(n_jobs=3, **params).fit(X)
    assert len(token_files) == 1
    assert two.wv_.index_to_key == one.wv_.index_to_key
    np.testing.assert_array_equal(
        two.wv_.expandos["sample_int"], one.wv_.expandos["sample_int"]
    )
    with pytest.raises(ValueError, match="Empty vocabulary.*3 training documents"):
        Word2VecVectorizer(n_jobs=3).fit(["a rare sentence", "another one", ""])


def test_n_jobs_none_trains_one_thread_inside_a_joblib_context(small_corpus):
    import joblib

    X, _ = small_corpus
    with joblib.parallel_config(n_jobs=4):  # as a grid search on Dask sets it
        vectorizer = Word2VecVectorizer(min_count=2, epochs=1, keep_model=True)
        assert vectorizer.fit(X[:200]).model_.workers == 1
        vectorizer.set_params(n_jobs=-1).fit(X[:200])
        assert vectorizer.model_.workers == joblib.cpu_count()
