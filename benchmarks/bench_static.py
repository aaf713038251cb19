"""Static embedding models: skw2v against model2vec and WordLlama, in one run.

The model is WordLlama's (``l2_supercat``, 256 dimensions, the Llama-2
tokenizer: 32,000 tokens), as its wheel ships it, and the same weights and
tokenizer saved as a Model2Vec folder by model2vec itself
(``StaticModel.save_pretrained``), so that both libraries run on the same
model. The documents are the bundled movie reviews, ``--copies`` times (as
distinct strings: over 2 x 2 million characters, so that ``n_jobs=2`` uses two
worker processes).

1. Rows: ``PretrainedEmbeddingVectorizer(vectors=folder).transform`` against
   ``StaticModel.encode`` (Model2Vec folder) and ``WordLlama.embed`` (WordLlama
   folder), asserted equal to 1e-6 before anything is printed.
2. Speed, in documents per second (best of ``--repeat`` rounds, each contender
   once per round): ``transform`` with ``n_jobs=1`` and ``2`` against
   ``encode`` (its defaults: threads for more than 10,000 texts) and ``embed``.
3. Accuracy on the movie reviews (LogisticRegression, 70/30 splits, mean over
   ``--n-draws`` draws) of WordLlama-256 next to the bundled GloVe-50 and a
   Skip-Gram table trained on each draw's training texts, all frozen, with 100
   labels and with all of them; and Skip-Gram-256 trained on them from
   WordLlama's vectors (``init_vectors=folder``: each word starts from the mean
   of its tokens' vectors) next to the same from random vectors.

    python benchmarks/bench_static.py
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import wordllama
from joblib.externals.loky import get_reusable_executor
from model2vec import StaticModel
from safetensors.numpy import load_file
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import make_pipeline
from tokenizers import Tokenizer
from wordllama import WordLlama

from skw2v import PretrainedEmbeddingVectorizer
from skw2v._demo import (
    _classifier,
    few_labels_curve,
    format_curve,
    glove_model,
    word2vec_model,
)
from skw2v.datasets import load_movie_reviews

WORDLLAMA = Path(wordllama.__file__).parent


def copies(docs: list[str], n: int) -> list[str]:
    """Repeat ``docs`` ``n`` times as distinct string objects (see bench_pooling)."""
    return [(doc + " ")[:-1] for _ in range(n) for doc in docs]


def model2vec_folder(folder: Path) -> Path:
    """Save WordLlama's weights and tokenizer as a Model2Vec model."""
    weights = load_file(str(WORDLLAMA / "weights" / "l2_supercat_256.safetensors"))
    tokenizer = Tokenizer.from_file(
        str(WORDLLAMA / "tokenizers" / "l2_supercat_tokenizer_config.json")
    )
    vectors = weights["embedding.weight"].astype(np.float32)
    StaticModel(vectors, tokenizer, normalize=False).save_pretrained(folder)
    return folder


def wordllama_model(texts: list):
    """Pool WordLlama's 256-d token vectors (mean, frozen) for a classifier."""
    vectorizer = PretrainedEmbeddingVectorizer(WORDLLAMA).fit(texts)
    return make_pipeline(FrozenEstimator(vectorizer), _classifier())


def speed(docs: list[str], folder: Path, repeat: int) -> None:
    """Check equal rows, then print documents per second of each contender."""
    m2v = StaticModel.from_pretrained(folder)
    llama = WordLlama.load(cache_dir=WORDLLAMA, disable_download=True)
    ours = {
        name: PretrainedEmbeddingVectorizer(vectors=source).fit(docs[:10])
        for name, source in (("model2vec", folder), ("wordllama", WORDLLAMA))
    }
    parallel = clone(ours["model2vec"]).set_params(n_jobs=2).fit(docs[:10])
    parallel.transform(docs[:10])  # the worker processes start here
    contenders = {
        "StaticModel.encode (model2vec)": lambda: m2v.encode(docs),
        "transform, Model2Vec folder": lambda: ours["model2vec"].transform(docs),
        "transform, n_jobs=2": lambda: parallel.transform(docs),
        "WordLlama.embed (wordllama)": lambda: llama.embed(docs),
        "transform, WordLlama folder": lambda: ours["wordllama"].transform(docs),
    }
    times = {name: [] for name in contenders}
    results = {}
    for _ in range(repeat):
        for name, function in contenders.items():
            started = time.perf_counter()
            results[name] = function()
            times[name].append(time.perf_counter() - started)
    for reference, mine in [
        ("StaticModel.encode (model2vec)", "transform, Model2Vec folder"),
        ("StaticModel.encode (model2vec)", "transform, n_jobs=2"),
        ("WordLlama.embed (wordllama)", "transform, WordLlama folder"),
    ]:
        gap = np.abs(results[mine] - results[reference]).max()
        assert gap <= 1e-6, f"{mine} differs from {reference} by {gap}"
        print(f"rows equal: {mine} = {reference} (largest difference {gap:.1e})")
    print(f"\n{len(docs):,} documents ({sum(map(len, docs)) / 1e6:.1f} M characters)")
    baselines = {"model2vec": "StaticModel.encode (model2vec)"}
    baselines["wordllama"] = "WordLlama.embed (wordllama)"
    for name, seconds in times.items():
        base = baselines["wordllama" if "WordLlama" in name else "model2vec"]
        ratio = min(times[base]) / min(seconds)
        rate = len(docs) / min(seconds)
        print(f"  {name:<32} {rate:>10,.0f} docs/s  {ratio:5.2f}x")
    get_reusable_executor().shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--n-draws", type=int, default=3)
    parser.add_argument("--random-state", type=int, default=10)
    parser.add_argument("--n-jobs", type=int, default=2, help="draws in parallel")
    args = parser.parse_args()
    reviews = load_movie_reviews()
    with tempfile.TemporaryDirectory(prefix="skw2v-static-") as tmp:
        os.environ["SKW2V_CACHE_DIR"] = str(Path(tmp) / "cache")
        folder = model2vec_folder(Path(tmp) / "l2_supercat_m2v")
        print(f"{os.cpu_count()} CPUs; model: WordLlama l2_supercat, 32,000 x 256")
        speed(copies(reviews.data, args.copies), folder, args.repeat)
        models = {
            "WordLlama-256": wordllama_model,
            "GloVe-50": glove_model,
            "Skip-Gram (trained)": word2vec_model(),
            "Skip-Gram-256": word2vec_model(vector_size=256),
            "Skip-Gram-256 from WordLlama": word2vec_model(
                vector_size=256, init_vectors=WORDLLAMA
            ),
        }
        print(
            f"\nMovie reviews, 70/30 splits, {args.n_draws} draws (seeds "
            f"{args.random_state}...), frozen vectors + LogisticRegression; "
            "test accuracy, mean +- std:"
        )
        curve = few_labels_curve(
            reviews.data,
            reviews.target,
            models,
            sizes=(100, "all"),
            n_draws=args.n_draws,
            random_state=args.random_state,
            n_jobs=args.n_jobs,
        )
        print(format_curve(curve))


if __name__ == "__main__":
    main()
