"""Intrinsic evaluation of word vectors, and scorers for model selection.

- [`evaluate_similarity`][skw2v.evaluation.evaluate_similarity] correlates cosine
  similarities with human judgements (WordSim-353, SimLex-999, or your own file);
- [`evaluate_analogies`][skw2v.evaluation.evaluate_analogies] measures accuracy on "a is
  to b as c is to d" questions (Google's analogy set, or your own file), overall and per
  section;
- [`make_similarity_scorer`][skw2v.evaluation.make_similarity_scorer] and
  [`make_analogy_scorer`][skw2v.evaluation.make_analogy_scorer] turn them into scorers,
  so that ``GridSearchCV`` can choose embedding hyperparameters without labels.

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
