"""fastText against word2vec: the n-gram table's size, and where subwords win.

Three measurements on the bundled movie reviews, in one run, each with
word2vec beside fastText trained with the same settings (Skip-Gram, 100
dimensions, window 5, 10 epochs, ``min_count=2``, one thread, seed 0):

1. ``bucket``: accuracy (LogisticRegression on SIF-weighted means, 3-fold,
   vectors trained in-fold), fit time and the n-gram table's memory, for
   gensim's default of 2,000,000 buckets and smaller tables;
2. unseen words: vocabulary words of at least 6 letters with one interior
   letter deleted (a word that the vocabulary lacks), and whether the word
   is among the 10 nearest words of the misspelling's vector; word2vec has
   no vector for it;
3. little text: vectors and classifier trained on the first 300, 1,000 or
   3,000 reviews of a shuffle, scored on 3,000 others, with the share of the
   test tokens the vocabulary lacks.

    python benchmarks/bench_fasttext.py [--quick]

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
            f"{scores['fit_time'].mean():>8.1f}{table:>10.0f}"
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
    # WordSim-353: Spearman over every pair; a word without a vector scores
    # 0 with every word (Bojanowski et al.'s convention for word2vec).
    from gensim.test.utils import datapath
    from scipy.stats import spearmanr

    rows = [
        line.lower().split("\t")
        for line in open(datapath("wordsim353.tsv"), encoding="utf-8")
        if not line.startswith("#")
    ]
    human = [float(r[2]) for r in rows]
    known = [
        a in word2vec.key_to_index and b in word2vec.key_to_index for a, b, _ in rows
    ]
    w2v = [
        word2vec.similarity(a, b) if k else 0.0
        for (a, b, _), k in zip(rows, known, strict=True)
    ]
    ft = [wv.similarity(a, b) for a, b, _ in rows]
    print(
        f"   WordSim-353 ({len(rows)} pairs, {np.mean(known):.0%} with both words "
        "in the vocabulary), Spearman:"
    )
    print(f"{'model':<12}{'all pairs':>11}{'in vocabulary':>15}")
    known_idx = np.flatnonzero(known)
    for name, scores in (("word2vec", w2v), ("fastText", ft)):
        inside = spearmanr(np.take(human, known_idx), np.take(scores, known_idx))[0]
        print(f"{name:<12}{spearmanr(human, scores)[0]:>11.3f}{inside:>15.3f}")


def little_text(texts, labels, epochs: int) -> None:
    print("\n3. little text: vectors and classifier trained on n reviews")
    order = np.random.RandomState(0).permutation(len(texts))
    test = order[-3000:]
    print(f"{'n':>6}{'unseen tokens':>15}{'word2vec':>10}{'fastText':>10}")
    for n in (300, 1000, 3000):
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
    started = time.perf_counter()
    bucket_table(texts, labels, epochs, buckets)
    unseen_words(list(texts), epochs)
    little_text(texts, labels, epochs)
    print(f"\n({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
