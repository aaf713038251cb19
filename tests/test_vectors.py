"""The word table (``skw2v/_vectors.py``): one lookup rule for every caller."""

import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.models.fasttext import load_facebook_vectors
from gensim.test.utils import datapath
from scipy import stats

from skw2v import (
    AvgWord2VecTransformer,
    EmbeddingSequencer,
    PretrainedEmbeddingVectorizer,
    Word2VecVectorizer,
)
from skw2v._cli import main
from skw2v._vectors import WordTable, first_casings
from skw2v.evaluation import evaluate_similarity

pytestmark = pytest.mark.filterwarnings("ignore:.*have no word in the vocabulary")


@pytest.fixture
def cased():
    """Keys in several casings; row order is frequency order."""
    wv = KeyedVectors(vector_size=3)
    keys = ["Paris", "PARIS", "rome", "Rome", "Berlin", "New_York", "is", "big"]
    rng = np.random.default_rng(0)
    wv.add_vectors(keys, rng.normal(size=(len(keys), 3)).astype(np.float32))
    return wv


def test_the_casing_rule(cased):
    table = WordTable(cased, casings=True)
    words = ["Paris", "paris", "pArIs", "ROME", "rome", "berlin", "london"]
    rows = table.rows(words)
    # As written; else the lowercase form; else the first casing (lowest row).
    assert [cased.index_to_key[r] if r >= 0 else None for r in rows] == [
        "Paris",
        "Paris",
        "Paris",
        "rome",
        "rome",
        "Berlin",
        None,
    ]
    assert WordTable(cased).rows(words).tolist()[:2] == [0, -1]  # exact only
    assert first_casings(cased.index_to_key)["paris"] == 0
    assert first_casings(cased.index_to_key)["rome"] == 2
    assert table.other_casing("ROME") == "rome" and table.other_casing("Paris") is None


def test_canonical_tokens_follow_the_rule(cased):
    table = WordTable(cased, casings=True, max_phrase_words=2)
    tokens = ["paris", "is", "big", "new", "york", "ROME", "london"]
    rewritten, lengths = table.canonical(tokens, np.array([3, 4]))
    assert rewritten == ["Paris", "is", "big", "New_York", "rome", "london"]
    assert lengths.tolist() == [3, 3]
    # Lowercase tokens over a table whose lowercase forms are all keys: as is.
    lower = KeyedVectors(vector_size=1)
    lower.add_vectors(["a", "A"], np.ones((2, 1), np.float32))
    same, _ = WordTable(lower, casings=True).canonical(["a", "b"], np.array([2]))
    assert same == ["a", "b"]


def test_the_same_rule_for_fine_tuning_the_sequencer_and_the_cli(
    cased, tmp_path, capsys
):
    sequencer = EmbeddingSequencer(vectors=cased, random_state=0).fit(
        ["paris rome berlin london"]
    )
    assert sequencer.coverage_["missing_words"] == ["london"]
    rows = sequencer.embedding_matrix_[[sequencer.vocabulary_[w] for w in ("paris",)]]
    np.testing.assert_array_equal(rows[0], cased["Paris"])

    path = tmp_path / "cased.bin"
    cased.save_word2vec_format(str(path), binary=True)
    assert main(["similar", str(path), "ROME", "--no-cache"]) == 1
    assert "'ROME' -> 'rome'" in capsys.readouterr().err


def test_folded_benchmark_lookup_uses_the_first_casing(cased, tmp_path):
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("paris\trome\t1\nparis\tberlin\t2\nrome\tberlin\t3\n")
    unit = cased.vectors / np.linalg.norm(cased.vectors, axis=1, keepdims=True)
    first = {"paris": 0, "rome": 2, "berlin": 4}  # first casings' rows
    cosines = [
        float(unit[first[a]] @ unit[first[b]])
        for a, b in [("paris", "rome"), ("paris", "berlin"), ("rome", "berlin")]
    ]
    result = evaluate_similarity(cased, pairs, case_insensitive=True)
    assert result.n_found == 3
    assert result.spearman == pytest.approx(stats.spearmanr(cosines, [1, 2, 3])[0])


@pytest.mark.parametrize("pooling", ["mean", "max", "mean+max"])
@pytest.mark.parametrize("weighting", [None, "tfidf", "sif"])
def test_in_memory_table_gives_the_same_rows_in_both_estimators(
    cased, small_corpus, pooling, weighting
):
    X = ["Paris is big", "paris IS BIG rome", "berlin and london", "nothing"]
    params = {"pooling": pooling, "weighting": weighting}
    average = AvgWord2VecTransformer(vectors=cased, **params).fit(X)
    pretrained = PretrainedEmbeddingVectorizer(vectors=cased, **params).fit(X)
    np.testing.assert_array_equal(average.transform(X), pretrained.transform(X))
    assert np.any(average.transform(["paris"]))  # found through its casing

    fasttext = load_facebook_vectors(datapath("lee_fasttext_new.bin"))
    docs = small_corpus[0][:50] + ["governmentalist hyperreviewing"]
    average = AvgWord2VecTransformer(vectors=fasttext, **params).fit(docs)
    pretrained = PretrainedEmbeddingVectorizer(vectors=fasttext, **params).fit(docs)
    rows = average.transform(docs)
    np.testing.assert_array_equal(rows, pretrained.transform(docs))
    assert np.any(rows[-1])  # subword vectors for words the table lacks


def test_word2vec_looks_its_own_tokens_up_as_written(fitted_vectorizer):
    assert not WordTable(fitted_vectorizer.wv_).casings
    assert isinstance(fitted_vectorizer, Word2VecVectorizer)
    assert fitted_vectorizer._word_table().casings is False


def test_fasttext_words_are_never_missing():
    fasttext = load_facebook_vectors(datapath("lee_fasttext_new.bin"))
    table = WordTable(fasttext)
    assert table.has_subwords and table.missing(["qwertyuiop"]) == []
    assert table.rows(["qwertyuiop"]).tolist() == [-1]  # no row of its own
