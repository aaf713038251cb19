"""Analogy offsets (man -> woman, king -> queen) in vectors trained offline.

``king - man + woman ~ queen`` works in vectors trained on billions of words
because the pairs share one offset: the arrows man -> woman and king -> queen
are nearly parallel. :func:`skw2v.plotting.plot_analogies` draws those arrows.
This example trains word2vec on the text available without a network, gensim's
``lee_background.cor`` (300 news articles, 60,000 tokens) plus the bundled movie
reviews (220,000 tokens), and shows how far a corpus of this size gets.

What comes out, honestly: not far. Three analogies are answered right: "his -
he + she" gives "her", "man - he + she" gives "woman" and "actor - man + woman"
gives "actress". "girl" and "wife" rank in the top few dozen of 5,900 words,
and the famous "king -> queen" fails completely (queen ranks in the
thousands): "king" occurs 23 times, mostly as in "Stephen King" or "The Lion
King". The offsets are only loosely parallel: the cosine between a pair's
offset and the mean offset of the other pairs is about +0.25 for he -> she,
his -> her and boy -> girl, near zero for king -> queen and actor -> actress
(which is answered right because "actress" is close to "actor", not because the
offset matches), and negative for husband -> wife. Averaged over the pairs it
is about +0.1, below what one set of random word pairs reaches 5% of the time
(about +0.15). In the picture most arrows point to the right, a few elsewhere.
It takes vectors trained on far more text (e.g. Google News, loaded with
:func:`skw2v.load_vectors`) for the arrows to line up. Training uses one
thread, so the numbers are the same on every run.

Run ``python examples/plot_analogy_offsets.py --out offsets.png``; ``--quick``
(or ``SKW2V_EXAMPLES_QUICK=1``) trains for two epochs only, to check that the
script runs. Needs matplotlib: ``pip install -e ".[plot]"``.
"""

# %%
import argparse
import os
import time

import matplotlib.pyplot as plt
import numpy as np
from gensim.test.utils import datapath

from skw2v import Word2VecVectorizer
from skw2v.datasets import load_movie_reviews
from skw2v.plotting import plot_analogies

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument(
    "--out", default="analogy_offsets.png", help="where to save the PNG picture"
)
parser.add_argument("--quick", action="store_true", help="two epochs, a smoke test")
args = parser.parse_args()
quick = args.quick or os.environ.get("SKW2V_EXAMPLES_QUICK", "0") not in ("", "0")

# %%
# Both corpora, one document per article or review. On this little text CBOW
# solves more of these analogies than Skip-Gram, and many epochs help.
with open(datapath("lee_background.cor"), encoding="utf-8") as lee_file:
    news = lee_file.read().splitlines()
corpus = news + load_movie_reviews().data
start = time.perf_counter()
vectorizer = Word2VecVectorizer(
    sg=0,
    vector_size=100,
    window=5,
    min_count=5,
    epochs=2 if quick else 40,
    random_state=0,
    n_jobs=1,
).fit(corpus)
wv = vectorizer.wv_
print(
    f"Trained on {len(corpus)} documents in {time.perf_counter() - start:.1f} s "
    f"(epochs={vectorizer.epochs}): {len(wv)} words x {wv.vector_size} dimensions"
)

# %%
# The analogies, answered the usual way (3CosAdd over unit vectors, the three
# question words excluded): "a is to b as c is to ?".
questions = [
    ("he", "she", "his", "her"),
    ("he", "she", "man", "woman"),
    ("man", "woman", "actor", "actress"),
    ("man", "woman", "boy", "girl"),
    ("man", "woman", "husband", "wife"),
    ("man", "woman", "king", "queen"),
]
print("\nquestion                    expected  top 3 answers (rank of the expected)")
for a, b, c, expected in questions:
    if not all(word in wv for word in (a, b, c, expected)):
        print(f"{a} : {b} :: {c} : ?  (a word is not in the vocabulary)")
        continue
    answers = wv.most_similar(positive=[b, c], negative=[a], topn=len(wv))
    ranked = [word for word, _ in answers]
    top = ", ".join(f"{word} {score:.2f}" for word, score in answers[:3])
    question = f"{a} : {b} :: {c} : ?"
    print(
        f"{question:<28}{expected:<10}{top}  "
        f"(#{ranked.index(expected) + 1} of {len(ranked)})"
    )

# %%
# How parallel are the offsets? For each pair, the cosine between its offset
# (between unit vectors) and the mean offset of the other pairs: 1 is perfectly
# parallel, 0 is unrelated. The same for pairs of random frequent words gives
# the baseline: what chance alone produces in these vectors.
pairs = [
    ("man", "woman"),
    ("he", "she"),
    ("his", "her"),
    ("actor", "actress"),
    ("boy", "girl"),
    ("husband", "wife"),
    ("king", "queen"),
]
pairs = [(a, b) for a, b in pairs if a in wv and b in wv]
unit = wv.vectors / np.linalg.norm(wv.vectors, axis=1, keepdims=True)


def parallelism(rows):
    """Cosine of each offset with the others' mean; ``rows[..., k, :]`` = pair k."""
    offsets = unit[rows[..., 1]] - unit[rows[..., 0]]
    n_pairs = offsets.shape[-2]
    others = (offsets.sum(axis=-2, keepdims=True) - offsets) / (n_pairs - 1)
    dots = np.einsum("...ij,...ij->...i", offsets, others)
    return dots / (np.linalg.norm(offsets, axis=-1) * np.linalg.norm(others, axis=-1))


rows = np.array([[wv.key_to_index[a], wv.key_to_index[b]] for a, b in pairs])
cosines = parallelism(rows)
rng = np.random.default_rng(0)
n_frequent = min(2000, len(wv))
random_rows = np.stack(
    [rng.choice(n_frequent, size=(len(pairs), 2), replace=False) for _ in range(500)]
)
random_means = parallelism(random_rows).mean(axis=1)
print("\npair              cosine with the other pairs' mean offset")
for (a, b), cosine in zip(pairs, cosines, strict=True):
    print(f"{a + ' -> ' + b:<18}{cosine:+.2f}")
print(
    f"mean              {cosines.mean():+.2f}   (random pairs of frequent words: "
    f"{random_means.mean():+.2f} on average, {np.quantile(random_means, 0.95):+.2f} "
    "at the 95th percentile)"
)

# %%
# The arrows, after a PCA projection of the pairs' words to 2-D.
ax = plot_analogies(wv, pairs, random_state=0)
ax.set_title(
    "Analogy offsets in word2vec trained on lee_background.cor + movie reviews\n"
    f"(CBOW, {wv.vector_size} dims, {vectorizer.epochs} epochs)"
)
ax.figure.tight_layout()
ax.figure.savefig(args.out, dpi=110)
print(f"\nSaved the picture to {args.out}")
plt.close(ax.figure)
