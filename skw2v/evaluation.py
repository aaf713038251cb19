"""Intrinsic evaluation of word vectors, and scorers for model selection.

- :func:`evaluate_similarity` correlates cosine similarities with human
  judgements (WordSim-353, SimLex-999, or your own file);
- :func:`evaluate_analogies` measures accuracy on "a is to b as c is to d"
  questions (Google's analogy set, or your own file), overall and per section;
- :func:`make_similarity_scorer` and :func:`make_analogy_scorer` turn them into
  scorers, so that ``GridSearchCV`` can choose embedding hyperparameters
  without labels.

Every function accepts the vectors in any form skw2v accepts elsewhere: a gensim
``KeyedVectors`` or model, a fitted skw2v estimator, or the path of a vectors
file.
"""

from ._evaluation import (
    AnalogyResult,
    AnalogySection,
    SimilarityResult,
    evaluate_analogies,
    evaluate_similarity,
    make_analogy_scorer,
    make_similarity_scorer,
)

__all__ = [
    "AnalogyResult",
    "AnalogySection",
    "SimilarityResult",
    "evaluate_analogies",
    "evaluate_similarity",
    "make_analogy_scorer",
    "make_similarity_scorer",
]
