"""Document vectors beyond averaging: accuracy and speed of each model, in one run.

Part 1, accuracy: every estimator is a Pipeline (its vectors trained inside
each fold, standardized but for TF-IDF, then a logistic regression), scored
by stratified 5-fold cross-validation on the bundled movie reviews (10,662
snippets), each fold once: Word2Vec Skip-Gram (mean, SIF), FastText
Skip-Gram (SIF), Doc2Vec (PV-DBOW, PV-DM, PV-DBOW with word vectors) and
TF-IDF of unigrams and bigrams, with the mean fit and transform (predict)
time per fold.

Part 2, longer documents: the 50 news articles of gensim's Lee corpus
(``lee.cor``, about 80 words each), whose 1,225 pairs were rated for
similarity by people (``similarities0-1.txt``); every estimator is fitted on
the 300 other articles of ``lee_background.cor``, then transforms the 50, and
the Pearson correlation of the cosine similarities with the mean human ratings
is averaged over ``--seeds`` seeds (the same settings as part 1).

Part 3, inference: documents per second of ``Doc2VecVectorizer.transform``
against gensim's own loop, ``[model.infer_vector(words) for words in docs]``
on the same tokens (same model, same epochs), and ``n_jobs=2`` against one job
(best of ``--repeat``, alternating, so that the load of the shared machine
touches both alike; and a first call, which starts the worker processes); then
both on growing batches, to show from which batch size two processes pay.

    python benchmarks/bench_models.py               # ~10 minutes on 2 cores
    python benchmarks/bench_models.py --subset 2000 # a quick look
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from bench_pooling import best_time  # this folder's scripts share their timer
from gensim.test.utils import datapath
from joblib.externals.loky import get_reusable_executor
from scipy.stats import pearsonr
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics.pairwise import cosine_similarity
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skw2v import Doc2VecVectorizer, FastTextVectorizer, Word2VecVectorizer
from skw2v.datasets import load_movie_reviews


def estimators(vector_size: int) -> dict:
    """Return the vectorizers compared, by name (each followed by the classifier)."""
    word2vec = {"vector_size": vector_size, "min_count": 2, "epochs": 20, "sg": 1}
    doc2vec = {"vector_size": vector_size}  # the estimator's defaults otherwise
    return {
        "Word2Vec Skip-Gram, mean": Word2VecVectorizer(**word2vec),
        "Word2Vec Skip-Gram, SIF": Word2VecVectorizer(
            **word2vec, weighting="sif", remove_components=1
        ),
        "FastText Skip-Gram, SIF": FastTextVectorizer(
            **word2vec, weighting="sif", remove_components=1
        ),
        "Doc2Vec PV-DBOW": Doc2VecVectorizer(**doc2vec, dm=0, dbow_words=0),
        "Doc2Vec PV-DM": Doc2VecVectorizer(**doc2vec, dm=1),
        "Doc2Vec PV-DBOW + words": Doc2VecVectorizer(**doc2vec, dm=0, dbow_words=1),
        "TF-IDF unigrams + bigrams": TfidfVectorizer(ngram_range=(1, 2), min_df=2),
    }


def accuracy(X, y, folds: int, vector_size: int) -> None:
    cv = StratifiedKFold(folds, shuffle=True, random_state=0)
    header = (
        f"{'estimator':<28} {'accuracy':>9} {'+/-':>6} {'fit s':>7} {'transform s':>12}"
    )
    print(header)
    print("-" * len(header))
    for name, vectorizer in estimators(vector_size).items():
        if "random_state" in vectorizer.get_params():
            vectorizer.set_params(random_state=0)
        # Dense vectors are standardized (as in bench_accuracy.py); TF-IDF
        # rows are already scaled.
        scaler = [] if isinstance(vectorizer, TfidfVectorizer) else [StandardScaler()]
        pipeline = make_pipeline(vectorizer, *scaler, LogisticRegression(max_iter=2000))
        scores = cross_validate(pipeline, X, y, cv=cv)
        accuracies = scores["test_score"]
        print(
            f"{name:<28} {accuracies.mean():9.3f} {accuracies.std():6.3f} "
            f"{scores['fit_time'].mean():7.1f} {scores['score_time'].mean():12.2f}",
            flush=True,
        )


def read_lines(name: str) -> list[str]:
    with open(datapath(name), encoding="latin-1") as lines:
        return [line.strip() for line in lines]


def lee_similarity(seeds: int, vector_size: int) -> None:
    background, articles = read_lines("lee_background.cor"), read_lines("lee.cor")
    ratings = np.loadtxt(datapath("similarities0-1.txt"))
    pairs = np.triu_indices(len(articles), k=1)  # the ratings' upper triangle
    header = f"{'estimator':<28} {'Pearson r':>9} {'+/-':>6}"
    print(header)
    print("-" * len(header))
    for name, vectorizer in estimators(vector_size).items():
        correlations = []
        for seed in range(seeds if "random_state" in vectorizer.get_params() else 1):
            if "random_state" in vectorizer.get_params():
                vectorizer.set_params(random_state=seed)
            X = vectorizer.fit(background).transform(articles)
            similarities = cosine_similarity(X)[pairs]
            correlations.append(pearsonr(similarities, ratings[pairs]).statistic)
        print(
            f"{name:<28} {np.mean(correlations):9.3f} {np.std(correlations):6.3f}",
            flush=True,
        )


def inference(X, repeat: int, vector_size: int) -> None:
    serial = Doc2VecVectorizer(vector_size=vector_size, random_state=0, keep_model=True)
    serial.fit(X)
    model = serial.model_
    tokens = serial._tokenizer().documents(X)
    parallel = clone(serial)
    parallel.__dict__.update(serial.__dict__)  # the same fitted model
    parallel.set_params(n_jobs=2)
    get_reusable_executor().shutdown(wait=True)  # no worker process running
    cold, _ = best_time(1, lambda: parallel.transform(X))
    times = {"gensim": [], 1: [], 2: []}
    contenders = {
        "gensim": lambda: [model.infer_vector(words) for words in tokens],
        1: lambda: serial.transform(X),
        2: lambda: parallel.transform(X),
    }
    results = {}
    for _ in range(repeat):
        for key, function in contenders.items():
            seconds, results[key] = best_time(1, function)
            times[key].append(seconds)
    np.testing.assert_array_equal(results[1], results[2])
    gensim, one, two = (min(times[key]) for key in ("gensim", 1, 2))
    what = f"inference of {len(X)} documents"
    header = f"{what:<44} {'docs/s':>8} {'vs gensim':>10} {'vs 1 job':>9}"
    print(header)
    print("-" * len(header))
    for what, seconds in [
        ("gensim's infer_vector loop (tokens given)", gensim),
        ("transform, n_jobs=1 (tokenizes too)", one),
        ("transform, n_jobs=2, processes started", two),
        ("transform, n_jobs=2, first call (starts them)", cold),
    ]:
        print(
            f"{what:<44} {len(X) / seconds:8.0f} {gensim / seconds:9.2f}x "
            f"{one / seconds:8.2f}x"
        )
    print("n_jobs=2 gives the rows of n_jobs=1, bit for bit.\n")
    break_even(X, serial, parallel, repeat)


def break_even(X, serial, parallel, repeat: int) -> None:
    """Time n_jobs=2 against one job on growing batches, processes forced.

    Where two processes start to pay sets ``PROCESS_MIN_CHARACTERS``.
    """
    threshold = Doc2VecVectorizer._process_min_characters
    print(
        f"batches sent to 2 processes whatever their size (transform uses them "
        f"from {threshold:,} characters per worker):"
    )
    Doc2VecVectorizer._process_min_characters = 0
    try:
        for n_documents in (100, 200, 400, 800, 1600, 3200):
            docs = X[:n_documents]
            one = best_time(repeat, lambda docs=docs: serial.transform(docs))[0]
            two = best_time(repeat, lambda docs=docs: parallel.transform(docs))[0]
            print(
                f"  {n_documents:5d} documents, {sum(map(len, docs)):8,d} characters: "
                f"1 job {one * 1000:6.0f} ms, 2 jobs {two * 1000:6.0f} ms, "
                f"{one / two:4.2f}x",
                flush=True,
            )
    finally:
        Doc2VecVectorizer._process_min_characters = threshold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--subset", type=int, default=None, help="first N reviews")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--vector-size", type=int, default=100)
    parser.add_argument("--seeds", type=int, default=5, help="of the Lee corpus")
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore", UserWarning)  # documents with no known word
    reviews = load_movie_reviews()
    X, y = reviews.data, reviews.target
    if args.subset:
        order = np.random.default_rng(0).permutation(len(X))[: args.subset]
        X, y = [X[i] for i in order], y[order]
    print(
        f"{len(X)} movie reviews, {args.vector_size}-d vectors, one run; "
        "2 cores shared with other work, so times vary.\n"
    )
    if not args.skip_accuracy:
        accuracy(X, y, args.folds, args.vector_size)
        print("\nLee corpus: 50 news articles, similarity against human ratings\n")
        lee_similarity(args.seeds, args.vector_size)
        print()
    inference(X, args.repeat, args.vector_size)


if __name__ == "__main__":
    main()
