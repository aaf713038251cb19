"""scikit-learn's own checks, then skw2v's text checks, on every public estimator."""

import pytest
from gensim.models import KeyedVectors
from sklearn.utils import estimator_checks as sk_checks
from sklearn.utils.estimator_checks import parametrize_with_checks

from skw2v import (
    AvgWord2VecTransformer,
    Doc2VecVectorizer,
    EmbeddingSequencer,
    FastTextVectorizer,
    PretrainedEmbeddingVectorizer,
    Word2VecVectorizer,
)
from skw2v.utils.estimator_checks import check_id, text_estimator_checks


def _estimators():
    # Small, fast settings; every parameter is still validated and used.
    vectorizer = Word2VecVectorizer(vector_size=16, min_count=2, epochs=3)
    pretrained = _pretrained_vectorizer()
    return [
        vectorizer,
        FastTextVectorizer(vector_size=16, min_count=2, epochs=3, bucket=1000),
        Doc2VecVectorizer(vector_size=16, min_count=2, epochs=3),
        AvgWord2VecTransformer(vectors=pretrained),
        # Every pooling step at once: weighting, concatenation, component removal.
        AvgWord2VecTransformer(
            vectors=pretrained,
            pooling="mean+max",
            weighting="sif",
            remove_components=1,
            norm="l2",
        ),
        # In-memory vectors: no file, so no cache is written anywhere.
        PretrainedEmbeddingVectorizer(vectors=_Vectors.of(pretrained.wv_)),
    ]


class _Vectors(KeyedVectors):
    """KeyedVectors whose repr has no memory address, for stable test IDs."""

    @classmethod
    def of(cls, wv: KeyedVectors) -> "_Vectors":
        vectors = cls(vector_size=wv.vector_size)
        vectors.add_vectors(wv.index_to_key, wv.vectors)
        return vectors

    def __repr__(self) -> str:
        return f"KeyedVectors({len(self)} words)"


def _pretrained_vectorizer():
    from skw2v.datasets import load_movie_reviews

    return Word2VecVectorizer(vector_size=16, min_count=1, random_state=0).fit(
        load_movie_reviews().data[::5]
    )


#: The text -> sentence-vector transformers, which also get skw2v's text checks.
ESTIMATORS = _estimators()
#: Every public estimator. EmbeddingSequencer outputs index sequences, not
#: float32 vectors, so the text checks do not apply to it (tests/test_sequences.py
#: covers its contract); scikit-learn's checks do.
ALL_ESTIMATORS = [*ESTIMATORS, EmbeddingSequencer(max_length=8)]


# With string input declared (and 2-D arrays not accepted), scikit-learn skips
# the checks that feed numeric arrays; what it still yields must pass.
@parametrize_with_checks(ALL_ESTIMATORS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


# The shared checks that do apply to a text transformer, called directly because
# parametrize_with_checks does not yield them for string-only estimators.
SKLEARN_CHECKS = [
    sk_checks.check_estimator_cloneable,
    sk_checks.check_estimator_repr,
    sk_checks.check_no_attributes_set_in_init,
    sk_checks.check_get_params_invariance,
    sk_checks.check_set_params,
    sk_checks.check_parameters_default_constructible,
    sk_checks.check_do_not_raise_errors_in_init_or_set_params,
    sk_checks.check_mixin_order,
    sk_checks.check_valid_tag_types,
    sk_checks.check_param_validation,
    sk_checks.check_transformers_unfitted,
]


@pytest.mark.parametrize("estimator", ALL_ESTIMATORS, ids=check_id)
@pytest.mark.parametrize("check", SKLEARN_CHECKS, ids=check_id)
def test_applicable_sklearn_checks(estimator, check):
    check(type(estimator).__name__, estimator)


@pytest.mark.parametrize(
    "estimator, check",
    [pair for est in ESTIMATORS for pair in text_estimator_checks(est)],
    ids=check_id,
)
def test_text_checks(estimator, check):
    check(estimator)
