"""Frozen, fine-tuned or learned: word embeddings in a small PyTorch model.

The classic advice for word vectors in a neural network: start from frozen
pretrained vectors, fine-tune them if accuracy is poor, and learn them from
scratch only with a lot of data. This example compares the three on the
bundled movie reviews with :class:`skw2v.EmbeddingSequencer`, which turns the
texts into padded index sequences and builds the matching embedding matrix.

The "pretrained" vectors are trained by :class:`skw2v.Word2VecVectorizer` on a
larger split of the reviews that the classifier never sees; with real
pretrained vectors pass a file instead (``EmbeddingSequencer(vectors=path)``).

Needs PyTorch: ``pip install torch`` (on CPU-only machines pick the CPU build
and install it before the ``torch`` extra, which would pull in CUDA). Run
``python examples/torch_embeddings.py --quick`` for a run of a few seconds.
"""

# %%
import argparse
import sys

try:
    import torch
except ImportError:
    print(
        "This example needs PyTorch, which is not installed. Install it yourself "
        "(a CPU build is enough), e.g. pip install torch, then run it again."
    )
    sys.exit(0)

import numpy as np
from sklearn.model_selection import train_test_split

from skw2v import EmbeddingSequencer, Word2VecVectorizer
from skw2v.datasets import load_movie_reviews

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--quick", action="store_true", help="small data, few epochs")
args = parser.parse_args()

# %%
# Three disjoint splits: pretraining text, classifier training, test.
reviews = load_movie_reviews()
texts, labels = np.array(reviews.data, dtype=object), reviews.target
pre_texts, rest, _, rest_y = train_test_split(
    texts, labels, train_size=0.5, random_state=0, stratify=labels
)
train_x, test_x, train_y, test_y = train_test_split(
    rest, rest_y, test_size=0.4, random_state=0, stratify=rest_y
)
if args.quick:
    train_x, train_y, test_x, test_y = (
        train_x[:800],
        train_y[:800],
        test_x[:400],
        test_y[:400],
    )
epochs = 3 if args.quick else 12
dims = 32 if args.quick else 100

pretrained = Word2VecVectorizer(
    vector_size=dims, min_count=2, epochs=5 if args.quick else 15, sg=1, random_state=0
).fit(list(pre_texts))
print(f"pretrained vectors: {len(pretrained.wv_)} words x {dims} dims")


# %%
class MeanEmbeddingClassifier(torch.nn.Module):
    """Average the embeddings of a text's words, then a linear layer."""

    def __init__(self, matrix: np.ndarray, *, freeze: bool):
        super().__init__()
        self.embedding = torch.nn.Embedding.from_pretrained(
            torch.from_numpy(matrix), freeze=freeze, padding_idx=0
        )
        self.output = torch.nn.Linear(matrix.shape[1], 2)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        mask = (ids > 0).unsqueeze(-1).float()
        summed = (self.embedding(ids) * mask).sum(1)
        return self.output(summed / mask.sum(1).clamp(min=1))


def accuracy(vectors, *, freeze: bool) -> float:
    torch.manual_seed(0)
    sequencer = EmbeddingSequencer(
        vectors=vectors, vector_size=dims, max_length=60, random_state=0
    )
    train_ids = torch.from_numpy(sequencer.fit_transform(list(train_x)))
    test_ids = torch.from_numpy(sequencer.transform(list(test_x)))
    model = MeanEmbeddingClassifier(sequencer.embedding_matrix_, freeze=freeze)
    optimizer = torch.optim.Adam(
        [p for p in model.parameters() if p.requires_grad], lr=0.01
    )
    target = torch.from_numpy(np.asarray(train_y, dtype=np.int64))
    for _ in range(epochs):
        for batch in torch.randperm(len(train_ids)).split(64):
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(
                model(train_ids[batch]), target[batch]
            )
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        predicted = model(test_ids).argmax(1).numpy()
    coverage = sequencer.coverage_
    print(
        f"  vocabulary {coverage['n_words']} words, {coverage['n_found']} with a "
        f"pretrained vector"
    )
    return float((predicted == np.asarray(test_y)).mean())


# %%
results = {}
for name, vectors, freeze in [
    ("learned from scratch", None, False),
    ("frozen pretrained", pretrained, True),
    ("fine-tuned pretrained", pretrained, False),
]:
    print(name)
    results[name] = accuracy(vectors, freeze=freeze)

print(f"\n{len(train_x)} training and {len(test_x)} test reviews, {epochs} epochs")
for name, score in results.items():
    print(f"{name:<24} test accuracy {score:.3f}")
