"""The skw2v command line, run in-process through ``main`` (and once as a module)."""

import gzip
import json
import subprocess
import sys

import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.test.utils import datapath

from skw2v import (
    Doc2VecVectorizer,
    FastTextVectorizer,
    LineCorpus,
    Word2VecVectorizer,
    load_vectors,
)
from skw2v._cli import main
from skw2v.datasets import load_movie_reviews
from skw2v.evaluation import evaluate_analogies, evaluate_similarity

LEE = datapath("lee_background.cor")
TRAIN_OPTIONS = ["--vector-size", "16", "--min-count", "2", "--workers", "1"]
TRAIN_OPTIONS += ["--seed", "0", "--quiet"]


@pytest.fixture(scope="module")
def lee_lines():
    with open(LEE, encoding="utf-8") as lines:
        return lines.read().splitlines()


@pytest.fixture(scope="module")
def lee_vectors(tmp_path_factory):
    """Vectors trained by ``skw2v train`` on lee_background.cor, once."""
    path = tmp_path_factory.mktemp("train") / "lee.bin"
    assert main(["train", LEE, "-o", str(path), "--epochs", "10", *TRAIN_OPTIONS]) == 0
    return path


def run(capsys, *argv):
    """Run the command line; return (exit code, stdout, stderr)."""
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def assert_one_line_error(code, err, expected_code, fragment):
    assert code == expected_code
    lines = err.strip().splitlines()
    assert "Traceback" not in err
    assert fragment in lines[-1]
    if expected_code in (1, 3):
        assert len(lines) == 1


# -- train --------------------------------------------------------------------------


def test_train_streams_the_same_vectors_as_the_vectorizer(lee_vectors, lee_lines):
    saved = KeyedVectors.load_word2vec_format(str(lee_vectors), binary=True)
    fitted = Word2VecVectorizer(
        vector_size=16, min_count=2, epochs=10, random_state=0
    ).fit(lee_lines)
    assert saved.index_to_key == fitted.wv_.index_to_key
    np.testing.assert_array_equal(saved.vectors, fitted.wv_.vectors)


def test_train_defaults_are_the_vectorizers(tmp_path):
    # Trained with every default but the seed: any default of the command that
    # differed from the estimator's (window, sample, alpha, ...) would change
    # the vectors. One thread, as the vectorizer's n_jobs=None.
    out = tmp_path / "v.bin"
    assert main(["train", LEE, "-o", str(out), "--seed", "0", "--quiet"]) == 0
    saved = KeyedVectors.load_word2vec_format(str(out), binary=True)
    fitted = Word2VecVectorizer(n_jobs=1, random_state=0).fit(LineCorpus(LEE))
    assert saved.vector_size == 100
    assert saved.index_to_key == fitted.wv_.index_to_key
    np.testing.assert_array_equal(saved.vectors, fitted.wv_.vectors)
    # Without --seed, a seed is drawn per run (random_state=None).
    assert main(["train", LEE, "-o", str(out), "--quiet", "--epochs", "1"]) == 0
    first = KeyedVectors.load_word2vec_format(str(out), binary=True).vectors
    assert main(["train", LEE, "-o", str(out), "--quiet", "--epochs", "1"]) == 0
    second = KeyedVectors.load_word2vec_format(str(out), binary=True).vectors
    assert not np.array_equal(first, second)


def test_train_fasttext_keeps_the_ngrams_in_gensims_format(tmp_path, capsys, lee_lines):
    out = tmp_path / "lee.kv"
    payload = run_json(
        capsys,
        "train",
        LEE,
        "-o",
        out,
        "--model",
        "fasttext",
        "--bucket",
        "5000",
        "--min-n",
        "2",
        *TRAIN_OPTIONS,
    )
    assert payload["model"] == "fasttext" and payload["format"] == "gensim"
    saved = KeyedVectors.load(str(out))
    fitted = FastTextVectorizer(
        vector_size=16, min_count=2, bucket=5000, min_n=2, random_state=0
    ).fit(lee_lines)
    assert (saved.min_n, saved.max_n, saved.bucket) == (2, 6, 5000)
    np.testing.assert_array_equal(saved.vectors_ngrams, fitted.wv_.vectors_ngrams)
    np.testing.assert_array_equal(saved["unseenword"], fitted.wv_["unseenword"])
    # A word2vec format holds the words only, and the command says so.
    code, out_text, _ = run(
        capsys,
        "train",
        LEE,
        "-o",
        tmp_path / "lee.bin",
        "--model",
        "fasttext",
        "--bucket",
        "5000",
        *TRAIN_OPTIONS,
    )
    assert code == 0 and "save as .kv (gensim)" in out_text
    # The n-gram options are fastText's.
    code, _, err = run(capsys, "train", LEE, "-o", tmp_path / "v.bin", "--bucket", "9")
    assert_one_line_error(code, err, 1, "--bucket: only for --model fasttext")


def test_train_validates_through_the_shared_rules(tmp_path, capsys):
    code, _, err = run(
        capsys, "train", LEE, "-o", tmp_path / "v.bin", "--window", "0", "--quiet"
    )
    assert code == 2 and "must be >= 1" in err  # argparse's own bound
    code, _, err = run(
        capsys, "train", LEE, "-o", tmp_path / "v.bin", "--negative", "0"
    )
    assert_one_line_error(code, err, 1, "hs=0 and negative=0")


def test_train_on_a_directory_equals_the_single_file(tmp_path, capsys, lee_lines):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("\n".join(lee_lines[:100]) + "\n\n")
    (corpus / "b.txt").write_text("\n".join(lee_lines[100:200]))
    with gzip.open(corpus / "sub" / "c.txt.gz", "wt", encoding="utf-8") as part:
        part.write("\n".join(lee_lines[200:]))
    (corpus / ".hidden").write_text("ignored ignored ignored\n" * 50)
    options = ["--epochs", "2", *TRAIN_OPTIONS, "--json"]
    code, out, err = run(capsys, "train", corpus, "-o", tmp_path / "dir.bin", *options)
    assert code == 0, err
    summary = json.loads(out)
    assert summary["format"] == "word2vec-binary"
    assert main(["train", LEE, "-o", str(tmp_path / "file.bin"), *options]) == 0
    from_dir = KeyedVectors.load_word2vec_format(str(tmp_path / "dir.bin"), binary=True)
    from_file = KeyedVectors.load_word2vec_format(
        str(tmp_path / "file.bin"), binary=True
    )
    assert "ignored" not in from_dir
    assert summary["words"] == len(from_dir) == len(from_file)
    np.testing.assert_array_equal(from_dir.vectors, from_file.vectors)


@pytest.mark.parametrize(
    ("name", "fmt", "load"),
    [
        ("v.txt", None, lambda p: KeyedVectors.load_word2vec_format(p)),
        ("v.vec", None, lambda p: KeyedVectors.load_word2vec_format(p)),
        ("v.kv", None, KeyedVectors.load),
        ("v", "gensim", KeyedVectors.load),
        ("v.out", "word2vec-text", lambda p: KeyedVectors.load_word2vec_format(p)),
    ],
)
def test_train_output_formats(tmp_path, capsys, name, fmt, load):
    out = tmp_path / name
    extra = ["--format", fmt] if fmt else []
    code, stdout, err = run(
        capsys, "train", LEE, "-o", out, "--epochs", "1", "--vector-size", "8",
        "--min-count", "10", "--quiet", "--sg", *extra,
    )  # fmt: skip
    assert code == 0, err
    assert f"to {out}" in stdout
    wv = load(str(out))
    assert wv.vector_size == 8
    assert len(wv) == int(stdout.split()[1])


def test_train_reports_progress_on_stderr(tmp_path, capsys):
    code, out, err = run(
        capsys, "train", LEE, "-o", tmp_path / "v.bin", "--epochs", "2",
        "--vector-size", "8", "--workers", "1",
    )  # fmt: skip
    assert code == 0
    assert "Training CBOW word2vec on 1 file(s)" in err
    assert "2/2" in err  # the per-epoch progress report
    assert out.startswith("Saved ")


@pytest.fixture(scope="module")
def review_lines(tmp_path_factory):
    """A file of 400 movie reviews, one per line; returns its path and lines."""
    lines = load_movie_reviews().data[:400]
    path = tmp_path_factory.mktemp("reviews") / "reviews.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, lines


DOC2VEC_OPTIONS = ["--model", "doc2vec", "--epochs", "3", *TRAIN_OPTIONS]


@pytest.mark.parametrize("dm", [0, 1])
def test_train_doc2vec_writes_a_vector_per_line(tmp_path, capsys, review_lines, dm):
    corpus, lines = review_lines
    out, words = tmp_path / "docs.bin", tmp_path / "words.txt"
    mode = ["--dm"] if dm else []
    payload = run_json(
        capsys, "train", corpus, "-o", out, "--word-vectors", words,
        *mode, *DOC2VEC_OPTIONS,
    )  # fmt: skip
    fitted = Doc2VecVectorizer(
        dm=dm, vector_size=16, min_count=2, epochs=3, random_state=0
    ).fit(lines)
    saved = load_vectors(out, cache_dir=False)
    assert saved.index_to_key == [str(i) for i in range(len(lines))]
    np.testing.assert_array_equal(saved.vectors, fitted.dv_.vectors)
    saved_words = load_vectors(words, cache_dir=False)
    assert saved_words.index_to_key == fitted.wv_.index_to_key
    np.testing.assert_allclose(saved_words.vectors, fitted.wv_.vectors, atol=1e-6)
    assert payload["algorithm"] == ("PV-DM" if dm else "PV-DBOW")
    assert (payload["documents"], payload["words"]) == (len(lines), len(fitted.wv_))
    assert payload["format"] == "word2vec-binary"
    assert payload["word_vectors_format"] == "word2vec-text"


def test_train_doc2vec_defaults_and_report(tmp_path, capsys, review_lines):
    # Doc2VecVectorizer's own defaults (20 epochs, not word2vec's 5): PV-DBOW
    # without word vectors, every other option left out.
    corpus, lines = review_lines
    out = tmp_path / "docs.kv"
    code, stdout, err = run(
        capsys, "train", corpus, "-o", out, "--model", "doc2vec",
        "--no-dbow-words", "--seed", "0",
    )  # fmt: skip
    assert code == 0, err
    assert "Training Doc2Vec PV-DBOW on 1 file(s)" in err
    assert "100 dims, window 5, 20 epochs, 1 worker(s)" in err
    assert "20/20" in err  # the per-epoch progress report
    fitted = Doc2VecVectorizer(dbow_words=0, n_jobs=1, random_state=0).fit(lines)
    assert stdout.startswith(f"Saved {len(lines)} documents x 100 dims to {out}")
    saved = load_vectors(out, cache_dir=False, allow_pickle=True)
    np.testing.assert_array_equal(saved.vectors, fitted.dv_.vectors)
    assert saved.most_similar("0", topn=1)[0][0] in saved.index_to_key


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        (
            ["--model", "doc2vec", "--sg"],
            "--sg: only for --model word2vec or fasttext",
        ),
        (
            ["--model", "doc2vec", "--bucket", "9"],
            "--bucket: only for --model fasttext",
        ),
        (["--dm"], "--dm: only for --model doc2vec"),
        (["--model", "fasttext", "--no-dbow-words"], "--no-dbow-words: only for"),
        (["--word-vectors", "w.bin"], "--word-vectors: only for --model doc2vec"),
        (
            ["--model", "doc2vec", "--no-dbow-words", "--word-vectors", "w.bin"],
            "PV-DBOW with --no-dbow-words trains no word vectors",
        ),
        (
            ["--model", "doc2vec", "--dm", "--no-dbow-words"],
            "--no-dbow-words: only for PV-DBOW (PV-DM always trains word vectors)",
        ),
        (
            ["--model", "doc2vec", "--word-vectors", "./v.bin"],
            "--word-vectors: the same file as OUT",
        ),
        (
            ["--model", "doc2vec", "--word-vectors", "no/such/dir/w.bin"],
            "output directory 'no/such/dir' does not exist",
        ),
        (["--model", "doc2vec", "--negative", "0"], "hs=0 and negative=0 doc2vec"),
    ],
)
def test_train_refuses_another_models_options(
    tmp_path, monkeypatch, capsys, options, fragment
):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "train", LEE, "-o", "v.bin", *options)
    assert_one_line_error(code, err, 1, fragment)
    assert not (tmp_path / "v.bin").exists()  # refused before training


def test_train_help_states_each_models_defaults(capsys):
    code, out, _ = run(capsys, "train", "--help")
    assert code == 0
    epochs = Doc2VecVectorizer().epochs
    expected = f"passes over the corpus (default {Word2VecVectorizer().epochs}; "
    assert expected + f"doc2vec {epochs})" in " ".join(out.split())


# -- reading vectors ----------------------------------------------------------------


def test_similar(lee_vectors, capsys):
    wv = KeyedVectors.load_word2vec_format(str(lee_vectors), binary=True)
    expected = wv.most_similar("police", topn=4)
    payload = run_json(capsys, "similar", lee_vectors, "police", "--topn", 4)
    assert [n["word"] for n in payload["neighbours"]] == [w for w, _ in expected]
    assert [n["similarity"] for n in payload["neighbours"]] == pytest.approx(
        [s for _, s in expected], abs=1e-6
    )
    code, out, _ = run(capsys, "similar", lee_vectors, "police", "--topn", 4)
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "Nearest words to 'police':"
    assert lines[1].split() == ["rank", "word", "score"]
    assert lines[2].split()[:2] == ["1", expected[0][0]]
    assert len(lines) == 2 + 4


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
@pytest.mark.filterwarnings("ignore:Call to deprecated `init_sims`")  # gensim's
def test_analogy(lee_vectors, capsys, method):
    wv = KeyedVectors.load_word2vec_format(str(lee_vectors), binary=True)
    solve = wv.most_similar_cosmul if method == "3cosmul" else wv.most_similar
    expected = solve(positive=["sydney", "australia"], negative=["melbourne"], topn=3)
    payload = run_json(
        capsys, "analogy", lee_vectors, "melbourne", "sydney", "australia",
        "--topn", 3, "--method", method,
    )  # fmt: skip
    assert payload["question"] == ["melbourne", "sydney", "australia"]
    assert [a["word"] for a in payload["answers"]] == [w for w, _ in expected]
    code, out, _ = run(capsys, "analogy", lee_vectors, "man", "king", "woman")
    assert code == 0
    assert out.startswith("man is to king as woman is to ? (3cosadd)\nrank")


def test_evaluate(lee_vectors, capsys):
    wv = KeyedVectors.load_word2vec_format(str(lee_vectors), binary=True)
    payload = run_json(capsys, "evaluate", lee_vectors)
    assert [s["dataset"] for s in payload["similarity"]] == ["wordsim353", "simlex999"]
    for entry in payload["similarity"]:
        expected = evaluate_similarity(wv, entry["dataset"])
        assert entry["spearman"] == pytest.approx(expected.spearman)
        assert entry["n_found"] == expected.n_found
    expected = evaluate_analogies(wv)
    assert payload["analogies"]["n_correct"] == expected.total.n_correct
    assert payload["analogies"]["n_found"] == expected.total.n_found
    assert len(payload["analogies"]["sections"]) == 14

    code, out, _ = run(capsys, "evaluate", lee_vectors, "--similarity", "simlex999")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split()[:3] == ["dataset", "spearman", "pearson"]
    assert lines[2].startswith("simlex999 ")
    assert "google (3cosadd): accuracy" in out
    assert lines[-1].split()[0] == "total"


def test_evaluate_options_and_a_dataset_without_coverage(lee_vectors, tmp_path, capsys):
    pairs = tmp_path / "rare.tsv"
    pairs.write_text("zyzzyva\tquixotic\t5\nabcdefg\tquixotic\t3\n")
    payload = run_json(
        capsys, "evaluate", lee_vectors, "--similarity", pairs, "wordsim353",
        "--oov", "penalize", "--method", "3cosmul", "--restrict-vocab", 1000,
    )  # fmt: skip
    rare, wordsim = payload["similarity"]
    assert rare["spearman"] is None
    assert (rare["n_found"], rare["n_pairs"]) == (0, 2)
    expected = evaluate_similarity(lee_vectors, restrict_vocab=1000, oov="penalize")
    assert wordsim["spearman"] == pytest.approx(expected.spearman)
    assert payload["analogies"]["method"] == "3cosmul"
    assert payload["analogies"]["oov"] == "penalize"


def test_info(lee_vectors, capsys):
    wv = KeyedVectors.load_word2vec_format(str(lee_vectors), binary=True)
    payload = run_json(capsys, "info", lee_vectors, "--words", 5)
    assert payload["words"] == len(wv)
    assert payload["dims"] == 16
    assert payload["first_words"] == wv.index_to_key[:5]
    code, out, _ = run(capsys, "info", lee_vectors)
    assert code == 0
    assert f"words:         {len(wv)}" in out.splitlines()


def test_cache_builds_a_memory_mapped_copy(lee_vectors, tmp_path, capsys):
    cache_dir = tmp_path / "my-cache"
    payload = run_json(capsys, "cache", lee_vectors, "--cache-dir", cache_dir)
    assert payload["cache_dir"] == str(cache_dir)
    assert payload["words"] > 0
    assert payload["memory_mapped"] is True
    assert list(cache_dir.rglob("*.npy"))  # the mappable table was written
    code, _, err = run(capsys, "cache", lee_vectors, "--no-cache")
    assert_one_line_error(code, err, 1, "nothing to do")


# -- errors and help ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "code", "fragment"),
    [
        (["info", "missing.bin"], 1, "Word-vector file not found: 'missing.bin'"),
        (["similar", "{vectors}", "zyzzyva"], 1, "not in the vocabulary of"),
        (["similar", "{vectors}", "Police"], 1, "'Police' -> 'police'"),
        (["analogy", "{vectors}", "man", "qq", "zz"], 1, "'qq', 'zz'"),
        (["evaluate", "{vectors}", "--analogies", "nope"], 1, "neither a built-in"),
        (["train", "missing.txt", "-o", "x.bin"], 1, "corpus not found"),
        (["train", LEE, "-o", "no/such/dir/x.bin"], 1, "does not exist"),
        (["train", LEE, "-o", "x.bin", "--negative", "0"], 1, "nothing to train"),
        (["train", LEE, "-o", "x.bin", "--vector-size", "0"], 2, "must be >= 1"),
        (["train", LEE, "-o", "x.bin", "--sample", "lots"], 2, "expected a number"),
        (["train", LEE], 2, "required: -o/--output"),
        (["similar", "{vectors}"], 2, "required: WORD"),
        (["info", "{vectors}", "--json", "--bogus"], 2, "unrecognized arguments"),
        ([], 2, "required: COMMAND"),
    ],
)
def test_errors_exit_codes(
    lee_vectors, tmp_path, monkeypatch, capsys, argv, code, fragment
):
    monkeypatch.chdir(tmp_path)
    argv = [arg.replace("{vectors}", str(lee_vectors)) for arg in argv]
    exit_code, _, err = run(capsys, *argv)
    assert_one_line_error(exit_code, err, code, fragment)


def test_corpus_errors(tmp_path, capsys):
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("fine line\nun caf\xe9 noir\n".encode("latin-1"))
    code, _, err = run(capsys, "train", latin1, "-o", tmp_path / "v.bin", "--quiet")
    assert_one_line_error(code, err, 1, "is not UTF-8 text (line 2, byte 7")
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "train", empty, "-o", tmp_path / "v.bin")
    assert_one_line_error(code, err, 1, "contains no file")
    code, _, err = run(
        capsys, "train", LEE, "-o", tmp_path / "v.bin", "--min-count", 10**5, "--quiet"
    )
    assert_one_line_error(code, err, 1, "Empty vocabulary")


@pytest.mark.parametrize(
    "command", ["demo", "train", "similar", "analogy", "evaluate", "info", "cache"]
)
def test_every_subcommand_has_help(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert out.startswith(f"usage: skw2v {command}")


def test_python_m_skw2v_help():
    done = subprocess.run(
        [sys.executable, "-m", "skw2v", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    for command in ("demo", "train", "similar", "analogy", "evaluate", "info", "cache"):
        assert command in done.stdout
    assert "Exit codes" in done.stdout


@pytest.mark.filterwarnings("ignore:.*no word in the vocabulary:UserWarning")
def test_demo_quick(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the plot goes into the current directory
    code, out, _ = run(capsys, "demo", "--quick", "--n-jobs", 1)
    assert code == 0
    assert "Cross-validated accuracy" in out
    table_header = out.split("Cross-validated accuracy")[1].splitlines()[1]
    assert table_header.split()[:4] == ["model", "pooling", "weighting", "cv"]
    for line in ("Held-out accuracy, best word2vec pipeline: 0.",
                 "Held-out accuracy, TF-IDF bigrams:         0."):  # fmt: skip
        assert line in out
    assert "Few labels, lots of text" in out and "TF-IDF bigrams" in out
    if (tmp_path / "skw2v-few-labels.png").exists():
        assert f"Plot written to {(tmp_path / 'skw2v-few-labels.png').resolve()}" in out
    else:
        assert "Install matplotlib" in out
    assert "king - man + woman = queen" in out


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("skw2v 0.")


def test_an_unexpected_error_is_reported_as_a_bug(lee_vectors, capsys, monkeypatch):
    import skw2v._cli

    def failing(args):
        raise RuntimeError("something\nunexpected")

    monkeypatch.setattr(skw2v._cli, "_load", failing)
    code, _, err = run(capsys, "info", lee_vectors)
    assert_one_line_error(
        code, err, 3, "bug in skw2v (RuntimeError: something unexpected)"
    )
    assert "--debug for the traceback" in err and "Traceback" not in err
    code, _, err = run(capsys, "--debug", "info", lee_vectors)
    assert code == 3 and "Traceback (most recent call last)" in err
    assert 'raise RuntimeError("something' in err and "--debug for" not in err


def test_debug_shows_the_traceback_of_a_users_error(tmp_path, capsys):
    code, _, err = run(capsys, "--debug", "info", tmp_path / "missing.bin")
    assert code == 1 and "Traceback" in err and "FileNotFoundError" in err
    assert err.strip().splitlines()[-1].startswith("skw2v info: error: Word-vector")


def test_cache_into_an_unusable_directory_fails(lee_vectors, tmp_path, capsys):
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("x")
    code, out, err = run(capsys, "cache", lee_vectors, "--cache-dir", not_a_directory)
    lines = [line for line in err.strip().splitlines() if line.startswith("skw2v")]
    assert code == 1 and "Cached" not in out
    assert lines[0].startswith("skw2v: warning: Could not write the vector cache")
    assert "not cached" in lines[-1] and len(lines) == 2
