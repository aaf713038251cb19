"""Benchmark scores and evaluation speed on gensim's lee_background.cor.

1. Quality. Vectors trained by ``skw2v train`` (the command line, streaming the
   file) are scored with skw2v.evaluation, next to gensim's ``Word2Vec`` trained
   directly with the same parameters and scored with gensim's own
   ``evaluate_word_pairs`` / ``evaluate_word_analogies``:

   - "gensim, same tokens": the lines tokenized as skw2v does (lowercased,
     punctuation dropped), so the two runs must agree exactly;
   - "gensim, simple_preprocess": gensim's usual tokenizer, for reference.

   The scores of a 300-document corpus are small and noisy, so they are
   averaged over several seeds (one worker thread, so each run is
   reproducible).

2. Speed of the analogy benchmark: skw2v's batched matrix products against
   gensim's question-by-question ``evaluate_word_analogies``, on the same
   vectors and questions in the same run.

Run ``python benchmarks/bench_lee.py`` (about five minutes on two cores) or
``--quick`` (a smoke run).
"""

import argparse
import contextlib
import io
import tempfile
import time
from pathlib import Path

import numpy as np
from gensim.models import KeyedVectors, Word2Vec
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

from skw2v._cli import main as skw2v_main
from skw2v._text import build_tokenizer
from skw2v.evaluation import evaluate_analogies, evaluate_similarity

LEE = datapath("lee_background.cor")
QUESTIONS = datapath("questions-words.txt")
PAIRS = {
    "wordsim353": datapath("wordsim353.tsv"),
    "simlex999": datapath("simlex999.txt"),
}

SETTINGS = {
    "CBOW": {"sg": 0, "vector_size": 100, "window": 5, "min_count": 2, "epochs": 30},
    "Skip-Gram": {
        "sg": 1,
        "vector_size": 100,
        "window": 5,
        "min_count": 2,
        "epochs": 30,
    },
}


def skw2v_train(settings: dict, seed: int, out: Path) -> KeyedVectors:
    argv = ["train", LEE, "-o", str(out), "--workers", "1", "--seed", str(seed)]
    argv += ["--quiet", "--vector-size", str(settings["vector_size"])]
    argv += ["--window", str(settings["window"]), "--min-count"]
    argv += [str(settings["min_count"]), "--epochs", str(settings["epochs"])]
    argv += ["--sg"] if settings["sg"] else []
    with contextlib.redirect_stdout(io.StringIO()):  # the "Saved ..." line
        assert skw2v_main(argv) == 0
    return KeyedVectors.load_word2vec_format(str(out), binary=True)


def gensim_train(settings: dict, seed: int, tokenize) -> KeyedVectors:
    with open(LEE, encoding="utf-8") as lines:
        corpus = [tokens for tokens in map(tokenize, lines) if tokens]
    return Word2Vec(corpus, seed=seed, workers=1, **settings).wv


def skw2v_scores(wv) -> dict:
    scores = {
        name: evaluate_similarity(wv, name).spearman
        for name in ("wordsim353", "simlex999")
    }
    analogies = evaluate_analogies(wv)
    scores["analogy acc"] = analogies.accuracy
    scores["analogy cover"] = analogies.coverage
    return scores


def gensim_scores(wv) -> dict:
    scores = {
        name: wv.evaluate_word_pairs(path)[1].statistic for name, path in PAIRS.items()
    }
    accuracy, sections = wv.evaluate_word_analogies(QUESTIONS)
    asked = len(sections[-1]["correct"]) + len(sections[-1]["incorrect"])
    scores["analogy acc"] = accuracy
    scores["analogy cover"] = asked / 19544
    return scores


def quality(seeds: list[int], settings: dict) -> None:
    tokenize = build_tokenizer()
    columns = ["wordsim353", "simlex999", "analogy acc", "analogy cover"]
    print(
        f"Scores on lee_background.cor (mean over seeds {seeds}; Spearman for "
        "similarity, 3CosAdd accuracy on the questions whose words are known):"
    )
    print(f"{'setting':<10} {'vectors':<28}" + "".join(f"{c:>15}" for c in columns))
    with tempfile.TemporaryDirectory() as tmp:
        for name, params in settings.items():
            runs = {
                "skw2v train": [],
                "gensim, same tokens": [],
                "gensim, simple_prep.": [],
            }
            identical = True
            for seed in seeds:
                ours = skw2v_train(params, seed, Path(tmp) / "lee.bin")
                same = gensim_train(params, seed, tokenize)
                identical &= np.array_equal(ours.vectors, same.vectors)
                runs["skw2v train"].append(skw2v_scores(ours))
                runs["gensim, same tokens"].append(gensim_scores(same))
                simple = gensim_train(params, seed, simple_preprocess)
                runs["gensim, simple_prep."].append(gensim_scores(simple))
            for label, scores in runs.items():
                means = [np.mean([s[c] for s in scores]) for c in columns]
                print(f"{name:<10} {label:<28}" + "".join(f"{m:>15.3f}" for m in means))
            same = "identical" if identical else "DIFFERENT"
            print(f"{'':<10} skw2v's vectors vs gensim's on the same tokens: {same}")


def speed(n_words: int, n_questions: int) -> None:
    print("\nAnalogy evaluation speed (same vectors, same questions, this run):")
    with open(LEE, encoding="utf-8") as lines:
        tokenize = build_tokenizer()
        corpus = [tokenize(line) for line in lines]
    lee = Word2Vec(corpus, vector_size=100, min_count=1, epochs=5, seed=0, workers=1).wv
    # A larger table for timing only: every word of the Google questions plus
    # random filler words, random vectors (accuracy is meaningless here).
    with open(QUESTIONS, encoding="utf-8") as lines:
        question_lines = [line for line in lines if not line.startswith(":")]
    words = sorted({w for line in question_lines for w in line.split()})
    keys = words + [f"filler{i}" for i in range(n_words - len(words))]
    big = KeyedVectors(vector_size=300)
    rng = np.random.default_rng(0)
    big.add_vectors(keys, rng.standard_normal((len(keys), 300), dtype=np.float32))
    with tempfile.TemporaryDirectory() as tmp:
        subset = Path(tmp) / "questions.txt"
        step = max(1, len(question_lines) // n_questions)
        subset.write_text(": sample\n" + "".join(question_lines[::step][:n_questions]))
        header = ("questions", "gensim s", "skw2v s", "speed-up")
        print(f"{'vectors':<34}" + "".join(f"{h:>10}" for h in header))
        for label, wv, dataset in [
            (f"lee ({len(lee)} words x 100)", lee, QUESTIONS),
            (f"random ({len(big)} words x 300)", big, str(subset)),
        ]:
            started = time.perf_counter()
            g_accuracy, sections = wv.evaluate_word_analogies(
                dataset, case_insensitive=True
            )
            g_seconds = time.perf_counter() - started
            started = time.perf_counter()
            result = evaluate_analogies(wv, dataset)
            s_seconds = time.perf_counter() - started
            asked = result.total.n_found
            assert asked == len(sections[-1]["correct"]) + len(
                sections[-1]["incorrect"]
            )
            assert result.total.n_correct == len(sections[-1]["correct"])
            print(
                f"{label:<34}{asked:>10}{g_seconds:>10.2f}{s_seconds:>10.2f}"
                f"{g_seconds / s_seconds:>9.0f}x"
            )


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one seed, few epochs")
    args = parser.parse_args()
    if args.quick:
        settings = {name: {**s, "epochs": 5} for name, s in SETTINGS.items()}
        quality([0], settings)
        speed(n_words=20_000, n_questions=300)
    else:
        quality([0, 1, 2], SETTINGS)
        speed(n_words=100_000, n_questions=2000)


if __name__ == "__main__":
    run()
