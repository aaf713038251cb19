"""fastText against word2vec: the n-gram table's size, and where subwords win.

Three measurements on the bundled movie reviews, in one run, each with
word2vec beside fastText trained with the same settings (Skip-Gram, 100
dimensions, window 5, 10 epochs, ``min_count=2``, one thread, seed 0):

1. ``bucket``: accuracy (LogisticRegression on SIF-weighted means, 3-fold,
   vectors trained in-fold), fit time and the n-gram table's memory, for
   gensim's default of 2,000,000 buckets and smaller tables;
2. unseen words: vocabulary words of at least 6 letters with one interior
   letter deleted (a word that the vocabulary lacks), and whether the word
   is among the 10 nearest words of the misspelling's vector (word2vec has
   no vector for it); and analogies, semantic and syntactic (gensim's
   ``questions-words.txt``) among the vocabulary's words;
3. little text: vectors and classifier trained on the first 2,000, 4,000 or
   7,000 reviews of a shuffle, scored on 3,000 others, with the share of the
   test tokens the vocabulary lacks.

    python benchmarks/bench_fasttext.py [--quick] [--part N ...]

``--quick`` trains 3 epochs and fewer bucket sizes, to check the script.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline

from skw2v import FastTextVectorizer, Word2VecVectorizer
from skw2v._models import GENSIM_FASTTEXT_BUCKET
from skw2v.datasets import load_movie_reviews


def settings(epochs: int) -> dict:
    return {
        "sg": 1,
        "vector_size": 100,
        "epochs": epochs,
        "min_count": 2,
        "weighting": "sif",
        "random_state": 0,
    }


def classify(vectorizer) -> object:
    return make_pipeline(vectorizer, LogisticRegression(max_iter=2000))


def bucket_table(texts, labels, epochs: int, buckets) -> None:
    print("1. bucket: accuracy (3-fold), fit time, n-gram table (100-d float32)")
    print(f"{'model':<28}{'accuracy':>10}{'fit s':>8}{'table MB':>10}")
    folds = StratifiedKFold(3, shuffle=True, random_state=0)
    candidates = [("word2vec", Word2VecVectorizer(**settings(epochs)))]
    candidates += [
        (
            f"fastText bucket={bucket:,}",
            FastTextVectorizer(**settings(epochs), bucket=bucket),
        )
        for bucket in buckets
    ]
    for name, vectorizer in candidates:
        scores = cross_validate(classify(vectorizer), texts, labels, cv=folds)
        table = getattr(vectorizer, "bucket", 0) * 100 * 4 / 2**20
        print(
            f"{name:<28}{scores['test_score'].mean():>10.3f}"
            f"{scores['fit_time'].min():>8.1f}{table:>10.0f}"
        )


def misspelled(word: str, rng: np.random.RandomState) -> str:
    position = rng.randint(1, len(word) - 1)
    return word[:position] + word[position + 1 :]


def unseen_words(texts, epochs: int) -> None:
    print("\n2. unseen words: a misspelled word's nearest words, and word pairs")
    word2vec = Word2VecVectorizer(**settings(epochs)).fit(texts).wv_
    wv = FastTextVectorizer(**settings(epochs)).fit(texts).wv_
    rng = np.random.RandomState(0)
    words = [w for w in wv.index_to_key if len(w) >= 6 and w.isalpha()]
    pairs = []
    for word in rng.permutation(words)[:500]:
        typo = misspelled(str(word), rng)
        if typo not in wv.key_to_index:
            pairs.append((str(word), typo))
    hits = sum(
        word in {w for w, _ in wv.similar_by_vector(wv[typo], topn=10)}
        for word, typo in pairs
    )
    typo_cosine = np.mean([wv.similarity(word, typo) for word, typo in pairs])
    others = rng.permutation(len(pairs))
    other_cosine = np.mean(
        [wv.similarity(pairs[i][0], pairs[j][1]) for i, j in enumerate(others)]
    )
    print(
        f"   fastText finds the word among the 10 nearest of its misspelling "
        f"for {hits / len(pairs):.1%} of {len(pairs)} words (e.g. {pairs[0][1]!r} "
        f"for {pairs[0][0]!r}); cosine {typo_cosine:.3f} to the word, "
        f"{other_cosine:.3f} to another word's misspelling. word2vec has no vector."
    )
    # Analogies among the vocabulary's words: the same questions for both
    # (the same vocabulary), by section kind.
    from skw2v.evaluation import evaluate_analogies

    print(f"{'model':<12}{'semantic':>10}{'syntactic':>11}   (analogies, 3CosAdd)")
    for name, vectors in (("word2vec", word2vec), ("fastText", wv)):
        sections = evaluate_analogies(vectors).sections
        kinds = [
            [s for s in sections if s.name.startswith("gram") == syntactic]
            for syntactic in (False, True)
        ]
        shares = [
            sum(s.n_correct for s in kind) / max(1, sum(s.n_found for s in kind))
            for kind in kinds
        ]
        found = [sum(s.n_found for s in kind) for kind in kinds]
        print(f"{name:<12}{shares[0]:>10.1%}{shares[1]:>11.1%}   ({found} questions)")


def little_text(texts, labels, epochs: int) -> None:
    print("\n3. little text: vectors and classifier trained on n reviews")
    order = np.random.RandomState(0).permutation(len(texts))
    test = order[-3000:]
    print(f"{'n':>6}{'unseen tokens':>15}{'word2vec':>10}{'fastText':>10}")
    for n in (2000, 4000, 7000):
        train = order[:n]
        scores = []
        for vectorizer in (
            Word2VecVectorizer(**settings(epochs)),
            FastTextVectorizer(**settings(epochs)),
        ):
            model = classify(vectorizer).fit(texts[train], labels[train])
            scores.append(model.score(texts[test], labels[test]))
        report = model[0].coverage(texts[test])
        unseen = report["n_subword"] / report["n_tokens"]
        print(f"{n:>6}{unseen:>15.1%}{scores[0]:>10.3f}{scores[1]:>10.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--part", type=int, choices=(1, 2, 3), action="append", help="run these only"
    )
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message=".*have no word in the vocabulary")
    epochs = 3 if args.quick else 10
    buckets = (
        (GENSIM_FASTTEXT_BUCKET, 50_000)
        if args.quick
        else (GENSIM_FASTTEXT_BUCKET, 500_000, 200_000, 50_000)
    )
    reviews = load_movie_reviews()
    texts, labels = np.asarray(reviews.data, dtype=object), reviews.target
    parts = set(args.part or (1, 2, 3))
    started = time.perf_counter()
    if 1 in parts:
        bucket_table(texts, labels, epochs, buckets)
    if 2 in parts:
        unseen_words(list(texts), epochs)
    if 3 in parts:
        little_text(texts, labels, epochs)
    print(f"\n({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
