"""skw2v.evaluation: agreement with gensim's benchmarks, datasets, scorers, errors."""

import json
import math

import numpy as np
import pytest
from gensim.models import KeyedVectors, Word2Vec
from gensim.test.utils import datapath
from scipy import stats
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import InvalidParameterError

from skw2v import Word2VecVectorizer
from skw2v._text import build_tokenizer
from skw2v.evaluation import (
    AnalogyResult,
    SimilarityResult,
    evaluate_analogies,
    evaluate_similarity,
    make_analogy_scorer,
    make_similarity_scorer,
)

QUESTIONS = datapath("questions-words.txt")


@pytest.fixture(scope="module")
def lee_lines():
    with open(datapath("lee_background.cor"), encoding="utf-8") as lines:
        return [line.strip() for line in lines]


@pytest.fixture(scope="module")
def lee_model(lee_lines):
    """word2vec on lee_background.cor with the case kept (many words have two
    casings, which exercises the case-insensitive matching)."""
    tokenize = build_tokenizer(lowercase=False)
    return Word2Vec(
        [tokenize(line) for line in lee_lines],
        vector_size=32,
        min_count=2,
        epochs=30,
        seed=0,
        workers=1,
    )


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


# -- agreement with gensim ----------------------------------------------------------


@pytest.mark.parametrize("case_insensitive", [True, False])
def test_analogies_match_gensim_per_section(lee_model, case_insensitive):
    # restrict_vocab below the vocabulary size, so that restriction is tested too
    # (and gensim's question-by-question loop stays fast).
    wv = lee_model.wv
    score, gensim_sections = wv.evaluate_word_analogies(
        QUESTIONS, restrict_vocab=3000, case_insensitive=case_insensitive
    )
    result = evaluate_analogies(
        wv, restrict_vocab=3000, case_insensitive=case_insensitive
    )
    *per_section, total = gensim_sections
    assert [s.name for s in result.sections] == [s["section"] for s in per_section]
    assert [s.n_correct for s in result.sections] == [
        len(s["correct"]) for s in per_section
    ]
    assert [s.n_found for s in result.sections] == [
        len(s["correct"]) + len(s["incorrect"]) for s in per_section
    ]
    assert result.total.n_found > 300
    assert result.accuracy == pytest.approx(score)
    assert result.total.n_questions == 19544


@pytest.mark.filterwarnings("ignore:Call to deprecated `init_sims`")  # gensim's
@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
def test_analogy_answers_are_gensim_answers(lee_model, tmp_path, method):
    # Questions whose expected word is gensim's own answer: every one of them is
    # correct exactly when skw2v gives the same answer as gensim.
    wv = lee_model.wv
    solve = wv.most_similar if method == "3cosadd" else wv.most_similar_cosmul
    with open(QUESTIONS, encoding="utf-8") as lines:
        questions = [
            line.split()[:3]
            for line in lines
            if not line.startswith(":") and all(w in wv for w in line.split()[:3])
        ][:150]
    answers = [solve(positive=[b, c], negative=[a], topn=2) for a, b, c in questions]
    for rank, expected_accuracy in [(0, 1.0), (1, 0.0)]:
        lines = [": gensim"] + [
            f"{a} {b} {c} {answer[rank][0]}"
            for (a, b, c), answer in zip(questions, answers, strict=True)
        ]
        path = _write(tmp_path / f"answers{rank}.txt", "\n".join(lines))
        result = evaluate_analogies(
            wv, path, method=method, case_insensitive=False, restrict_vocab=None
        )
        assert result.total.n_found == 150
        assert result.accuracy == expected_accuracy


@pytest.mark.parametrize(("case_insensitive", "correct"), [(True, 1), (False, 0)])
def test_casings_of_question_and_answer_words(tmp_path, case_insensitive, correct):
    # king - man + woman is nearest to "King", then "Queen". Case-insensitively
    # "King" is the question word "king" (never an answer) and "Queen" is the
    # expected "queen": one correct answer, as in gensim. Case-sensitively the
    # answer is "King", wrong for both questions.
    wv = KeyedVectors(vector_size=3)
    wv.add_vectors(
        ["man", "woman", "king", "King", "queen", "Queen", "monarch", "apple"],
        np.array(
            [
                [1.0, 0.0, 0.0],
                [0.0, 1.0, 0.0],
                [1.0, 0.0, 1.0],
                [0.0, 1.0, 1.0],
                [0.0, -1.0, 0.0],
                [0.05, 1.0, 0.9],
                [0.1, 1.0, 1.0],
                [-1.0, -1.0, 0.0],
            ],
            dtype=np.float32,
        ),
    )
    path = _write(
        tmp_path / "royals.txt",
        ": royals\nman king woman monarch\nman king woman queen\n",
    )
    result = evaluate_analogies(wv, path, case_insensitive=case_insensitive)
    _, sections = wv.evaluate_word_analogies(
        str(path), case_insensitive=case_insensitive
    )
    assert result.sections[0].n_correct == len(sections[0]["correct"]) == correct
    assert result.sections[0].n_found == 2


@pytest.mark.parametrize("dataset", ["wordsim353", "simlex999"])
@pytest.mark.parametrize("oov", ["skip", "penalize"])
def test_similarity_matches_gensim(lee_model, dataset, oov):
    wv = lee_model.wv
    pearson, spearman, oov_percent = wv.evaluate_word_pairs(
        datapath(f"{dataset}.tsv" if dataset == "wordsim353" else f"{dataset}.txt"),
        restrict_vocab=3000,
        dummy4unknown=oov == "penalize",
    )
    result = evaluate_similarity(wv, dataset, restrict_vocab=3000, oov=oov)
    assert result.spearman == pytest.approx(spearman.statistic, rel=1e-6)
    assert result.pearson == pytest.approx(pearson.statistic, rel=1e-5)
    assert 100 * (1 - result.coverage) == pytest.approx(oov_percent)
    assert 0 < result.n_found < result.n_pairs


def test_all_vector_sources_give_the_same_result(
    lee_model, fitted_vectorizer, tmp_path
):
    path = tmp_path / "lee.bin"
    lee_model.wv.save_word2vec_format(str(path), binary=True)
    expected = evaluate_similarity(lee_model.wv)
    for source in (lee_model, path, str(path)):
        assert evaluate_similarity(source) == expected
    from_estimator = evaluate_analogies(fitted_vectorizer)
    assert from_estimator == evaluate_analogies(fitted_vectorizer.wv_)


def test_user_similarity_file_with_header_and_comments(lee_model, tmp_path):
    wv = lee_model.wv
    pairs = [("police", "officers", 8.0), ("fire", "fires", 9.5), ("fire", "said", 1.0)]
    pairs += [("Sydney", "Melbourne", 7.0), ("zzzunknown", "police", 5.0)]
    text = "# my pairs\nfirst\tsecond\tscore\n\n" + "".join(
        f"{a}\t{b}\t{s}\n" for a, b, s in pairs
    )
    result = evaluate_similarity(wv, _write(tmp_path / "mine.tsv", text))
    known = pairs[:4]
    cosines = [wv.similarity(a, b) for a, b, _ in known]
    human = [s for _, _, s in known]
    assert result.n_found == 4
    assert result.n_pairs == 5
    assert result.spearman == pytest.approx(stats.spearmanr(human, cosines).statistic)
    assert result.pearson == pytest.approx(stats.pearsonr(human, cosines).statistic)
    assert result.dataset.endswith("mine.tsv")


def test_penalized_analogies_count_unknown_questions_as_wrong(lee_model):
    skipped = evaluate_analogies(lee_model, restrict_vocab=3000)
    penalized = evaluate_analogies(lee_model, restrict_vocab=3000, oov="penalize")
    assert penalized.total.n_correct == skipped.total.n_correct
    assert penalized.accuracy == skipped.total.n_correct / 19544
    empty = next(s for s in skipped.sections if s.n_found == 0)
    assert math.isnan(empty.accuracy)
    penalized_empty = next(s for s in penalized.sections if s.name == empty.name)
    assert penalized_empty.accuracy == 0.0


def test_restrict_vocab_limits_known_words(lee_model):
    small = evaluate_similarity(lee_model, restrict_vocab=500)
    large = evaluate_similarity(lee_model, restrict_vocab=None)
    assert small.n_found < large.n_found
    assert evaluate_analogies(lee_model, restrict_vocab=500).total.n_found < (
        evaluate_analogies(lee_model, restrict_vocab=None).total.n_found
    )


# -- results print well -------------------------------------------------------------


def test_results_print_and_serialize(lee_model):
    similarity = evaluate_similarity(lee_model, "simlex999")
    assert isinstance(similarity, SimilarityResult)
    line = str(similarity)
    assert line.startswith("simlex999: Spearman ")
    assert f"{similarity.n_found} of 999 pairs" in line
    assert json.loads(json.dumps(similarity.as_dict()))["n_pairs"] == 999

    analogies = evaluate_analogies(lee_model, method="3cosmul")
    assert isinstance(analogies, AnalogyResult)
    table = str(analogies).splitlines()
    assert table[0].startswith("google (3cosmul): accuracy ")
    assert len(table) == 2 + 14 + 1  # title, header, 14 sections, total
    assert table[-1].split()[0] == "total"
    assert "AnalogyResult(dataset='google', method='3cosmul'" in repr(analogies)
    as_dict = json.loads(json.dumps(analogies.as_dict()))
    assert len(as_dict["sections"]) == 14
    frame = analogies.to_frame()
    assert frame.shape[0] == 15
    assert frame.loc["total", "n_questions"] == 19544


# -- bad input ----------------------------------------------------------------------


def test_unknown_dataset_name(lee_model):
    with pytest.raises(FileNotFoundError, match="neither a built-in dataset"):
        evaluate_similarity(lee_model, "wordsim999")
    with pytest.raises(FileNotFoundError, match="'google'"):
        evaluate_analogies(lee_model, "questions.txt")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a\tb\t1\nc\td\tlots\n", "Line 2 of .* is not 'word1<TAB>word2<TAB>score'"),
        ("a b 1\n", "Line 1 of .* is not 'word1<TAB>word2<TAB>score'"),
        ("# only a comment\n", "contains no word pair"),
    ],
)
def test_malformed_similarity_file(lee_model, tmp_path, text, message):
    with pytest.raises(ValueError, match=message):
        evaluate_similarity(lee_model, _write(tmp_path / "pairs.tsv", text))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a b c d\n", "comes before the first ': section' line"),
        (": s\na b c\n", "Line 2 of .* is not a question of four words"),
        ("\n: empty\n", "contains no analogy question"),
    ],
)
def test_malformed_analogy_file(lee_model, tmp_path, text, message):
    with pytest.raises(ValueError, match=message):
        evaluate_analogies(lee_model, _write(tmp_path / "questions.txt", text))


def test_dataset_not_utf8(lee_model, tmp_path):
    path = tmp_path / "latin1.tsv"
    path.write_bytes("caf\xe9\tcoffee\t9\n".encode("latin-1"))
    with pytest.raises(ValueError, match="is not UTF-8 text"):
        evaluate_similarity(lee_model, path)


def test_too_few_known_pairs():
    wv = KeyedVectors(vector_size=2)
    wv.add_vectors(["love", "sex"], np.eye(2, dtype=np.float32))
    with pytest.raises(ValueError, match="Only 1 of the 353 pairs of wordsim353"):
        evaluate_similarity(wv)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda wv: evaluate_analogies(wv, method="3cosmax"), "'method' parameter"),
        (lambda wv: evaluate_similarity(wv, oov="zero"), "'oov' parameter"),
        (lambda wv: evaluate_similarity(wv, restrict_vocab=0), "'restrict_vocab'"),
        (lambda wv: evaluate_analogies(wv, dataset=3), "'dataset' parameter"),
        (lambda wv: make_similarity_scorer(correlation="kendall"), "'correlation'"),
        (lambda wv: make_analogy_scorer(oov="drop"), "'oov' parameter"),
    ],
)
def test_invalid_parameters(lee_model, call, message):
    with pytest.raises(InvalidParameterError, match=message):
        call(lee_model.wv)


def test_bad_vectors():
    with pytest.raises(TypeError, match="must be a gensim KeyedVectors"):
        evaluate_similarity({"good": [1.0, 0.0]})
    with pytest.raises(NotFittedError, match="unfitted Word2VecVectorizer"):
        evaluate_analogies(Word2VecVectorizer())
    with pytest.raises(ValueError, match="hold no word"):
        evaluate_analogies(KeyedVectors(vector_size=2))


def test_vectors_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="Word-vector file not found"):
        evaluate_similarity(tmp_path / "missing.bin")


# -- scorers ------------------------------------------------------------------------


def test_grid_search_with_similarity_scorer_on_lee(lee_lines):
    scorer = make_similarity_scorer()
    vectorizer = Word2VecVectorizer(
        vector_size=16, min_count=2, epochs=5, random_state=0
    )
    grid = {"window": [2, 8], "vector_size": [8, 16]}
    cv = KFold(n_splits=2)
    search = GridSearchCV(vectorizer, grid, scoring=scorer, cv=cv).fit(lee_lines)

    means = search.cv_results_["mean_test_score"]
    assert np.all(np.isfinite(means))
    assert len(np.unique(means)) == 4  # the score depends on the training
    assert search.best_score_ == means.max()
    assert search.best_params_ == search.cv_results_["params"][means.argmax()]
    # A split's score is the penalized Spearman of the vectors fit on that fold.
    train, _ = next(cv.split(lee_lines))
    params = search.cv_results_["params"][0]
    fold_model = clone(vectorizer).set_params(**params)
    fold_model.fit([lee_lines[i] for i in train])
    expected = evaluate_similarity(fold_model, oov="penalize").spearman
    assert search.cv_results_["split0_test_score"][0] == pytest.approx(expected)
    # The refit best estimator scores what evaluate_similarity says.
    best = search.best_estimator_
    assert scorer(best, lee_lines) == evaluate_similarity(best, oov="penalize").spearman


@pytest.mark.filterwarnings("ignore:.*no word in the vocabulary:UserWarning")
def test_analogy_scorer_reads_a_pipeline_step(small_corpus):
    X, y = small_corpus
    pipeline = Pipeline(
        [
            ("w2v", Word2VecVectorizer(vector_size=16, min_count=2, random_state=0)),
            ("clf", LogisticRegression()),
        ]
    ).fit(X, y)
    scorer = make_analogy_scorer(method="3cosmul")
    vectors = pipeline.named_steps["w2v"].wv_
    expected = evaluate_analogies(vectors, method="3cosmul", oov="penalize")
    assert scorer(pipeline, X, y) == expected.accuracy
    assert scorer(pipeline) == scorer(pipeline.named_steps["w2v"])
    pearson = make_similarity_scorer("simlex999", correlation="pearson")
    assert (
        pearson(pipeline)
        == evaluate_similarity(vectors, "simlex999", oov="penalize").pearson
    )


def test_scorer_repr_and_early_errors():
    assert repr(make_similarity_scorer("simlex999", oov="skip")) == (
        "make_similarity_scorer(dataset='simlex999', restrict_vocab=300000, "
        "case_insensitive=True, oov='skip')"
    )
    with pytest.raises(FileNotFoundError, match="neither a built-in dataset"):
        make_analogy_scorer("no-such-file.txt")
    with pytest.raises(NotFittedError, match="fit it first"):
        make_similarity_scorer()(Word2VecVectorizer())
