"""The word table (``skw2v/_vectors.py``): one lookup rule for every caller."""

from collections import Counter

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
    load_vectors,
)
from skw2v._cli import main
from skw2v._text import flatten
from skw2v._vectors import WordTable, first_casings
from skw2v.evaluation import evaluate_similarity

LEE_FASTTEXT = datapath("lee_fasttext_new.bin")

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


# -- casings, phrases and subwords through the estimators ------------------------------


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
    docs = list(map(PretrainedEmbeddingVectorizer().build_analyzer(), reviews.data))
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
    words = vectorizer._word_table()
    ids, table, _ = words.pooling_table(
        *words.resolve(["the", "governmentalist", "the"], np.array([3]))[:2]
    )
    assert len(table) == 2 and ids[0] == ids[2] != ids[1]
    np.testing.assert_array_equal(table[ids[0]], vectorizer.wv_["the"])
    np.testing.assert_allclose(
        table[ids[1]], vectorizer.wv_.get_vector("governmentalist"), rtol=1e-5
    )
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


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_tables_in_memory_with_non_finite_values_are_refused(value):
    wv = KeyedVectors(vector_size=2)
    wv.add_vectors(["good", "bad", "movie"], np.array([[1, 0], [0, value], [1, 1]]))
    for estimator in (
        AvgWord2VecTransformer(vectors=wv, norm="l2"),
        PretrainedEmbeddingVectorizer(vectors=wv),
        EmbeddingSequencer(vectors=wv),
        Word2VecVectorizer(min_count=1, vector_size=2, init_vectors=wv),
    ):
        with pytest.raises(ValueError, match=r"1 rows with NaN or infinite.*'bad'"):
            estimator.fit(["good bad movie"])
    wv.vectors[1] = [0, 1]  # repaired: the check is once per table, when it passes
    rows = AvgWord2VecTransformer(vectors=wv, norm="l2").fit_transform(["bad"])
    np.testing.assert_array_equal(rows, [[0, 1]])
