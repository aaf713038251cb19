"""The gensim models skw2v trains, described once each.

A ``ModelSpec`` says everything skw2v needs to know about one gensim model
class: its hyperparameters (their scikit-learn constraints, and the names
gensim gives them where skw2v's differ), the rules that involve several of
them, how its progress is labelled and what its ``memory=`` cache entries hold.
Training (``_training.py``), the cache (``_memory.py``), the estimator and the
command line all read it, so that a hyperparameter is written in two places
only: here, and in the estimator's ``__init__`` (which scikit-learn needs
explicit), whose agreement with the spec is tested.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any

import numpy as np
from gensim.models import Doc2Vec, FastText, Word2Vec
from joblib import effective_n_jobs
from sklearn.utils import check_random_state

from ._compat import Interval, validate_parameter_constraints

#: The largest value of a C ``int``, where gensim's compiled training code
#: keeps counts and sizes: a larger value overflows inside its worker threads.
C_INT_MAX = 2**31 - 1

#: The largest finite float32: gensim's learning rates are float32, and a rate
#: beyond it becomes infinite inside the compiled training loop.
FLOAT32_MAX = float(np.finfo(np.float32).max)

#: Thread counts beyond this are refused (joblib's -1 means all CPUs).
MAX_THREADS = 1024


def _count(low: int) -> list[Interval]:
    """Return the constraint of an integer from ``low`` to what a C int holds."""
    return [Interval(Integral, low, C_INT_MAX, closed="both")]


def _flag() -> list[Interval]:
    """Return the constraint of a 0 or 1 switch (gensim's ``sg``, ``hs``...)."""
    return [Interval(Integral, 0, 1, closed="both")]


#: ``n_jobs``: 1 to MAX_THREADS, or -1 (all CPUs), -2 (all but one)...
N_JOBS_CONSTRAINT = [
    Interval(Integral, 1, MAX_THREADS, closed="both"),
    Interval(Integral, -MAX_THREADS, -1, closed="both"),
    None,
]


def n_threads(n_jobs) -> int:
    """Return the training threads of ``n_jobs``: None is 1, always.

    Unlike joblib's ``effective_n_jobs``, None stays 1 inside a
    ``joblib.parallel_config`` context (a grid search on Dask, say): training
    with one thread is what makes an int ``random_state`` reproducible.
    """
    return 1 if n_jobs is None else effective_n_jobs(n_jobs)


def gensim_seed(random_state) -> int:
    """Return the ``seed`` gensim gets: an int unchanged, else one drawn."""
    if isinstance(random_state, Integral):
        return int(random_state)
    rng = check_random_state(random_state)
    return int(rng.randint(np.iinfo(np.int32).max))


@dataclass(frozen=True)
class Hyperparameter:
    """One training hyperparameter, as skw2v validates it and gensim takes it.

    Parameters
    ----------
    constraints : list
        Its scikit-learn constraints (as in ``_parameter_constraints``). Every
        number is bounded to what gensim's compiled code accepts, so that no
        value that passes validation can crash or hang a training thread.
    gensim_name : str or None, default=None
        gensim's name for it, when it differs from skw2v's; None: the same.
    to_gensim : callable or None, default=None
        Turns skw2v's value into gensim's; None passes it unchanged.
    own_default : str or None, default=None
        Why the estimator's default is not gensim's; None: it is gensim's.
    """

    constraints: list
    gensim_name: str | None = None
    to_gensim: Callable[[Any], Any] | None = None
    own_default: str | None = None


#: The hyperparameters every gensim model takes, under scikit-learn's names.
RUNTIME_HYPERPARAMETERS = {
    "n_jobs": Hyperparameter(
        N_JOBS_CONSTRAINT,
        gensim_name="workers",
        to_gensim=n_threads,
        own_default="None trains with one thread (gensim starts 3), so that an "
        "int random_state makes training reproducible",
    ),
    "random_state": Hyperparameter(
        ["random_state"],
        gensim_name="seed",
        to_gensim=gensim_seed,
        own_default="None draws a seed per fit, as scikit-learn's estimators "
        "do (gensim's seed is always 1)",
    ),
}


def _needs_an_output_layer(params: Mapping[str, Any], model: str) -> None:
    """Refuse ``hs=0`` with ``negative=0``: no output layer, nothing to train."""
    if params["hs"] == 0 and params["negative"] == 0:
        raise ValueError(
            f"With hs=0 and negative=0 {model} has no output layer, so nothing to "
            "train; set negative > 0 (negative sampling) or hs=1 (hierarchical "
            "softmax)."
        )


@dataclass(frozen=True)
class ModelSpec:
    """What skw2v knows of one gensim model class.

    Parameters
    ----------
    name : str
        The model's name, lowercase (``"word2vec"``): in cache keys, manifests
        and progress bars.
    model_class : type
        The gensim model class (``gensim.models.Word2Vec``).
    hyperparameters : dict of str to Hyperparameter
        The training hyperparameters, by skw2v's names, in the order of the
        estimator's ``__init__``.
    rules : tuple of callable, default=()
        Checks that involve several hyperparameters, which gensim does not
        make itself: each takes the parameters and the model's name, and
        raises ``ValueError`` with a message that says what to change.
    cache_layout : str, default="vectors"
        What an entry of the ``memory=`` cache holds: ``"vectors"``, the word
        vectors alone, or ``"fasttext"``, with their n-gram vectors too (the
        layouts of the vector cache, ``_cache.LAYOUTS``).
    """

    name: str
    model_class: type
    hyperparameters: Mapping[str, Hyperparameter]
    rules: tuple[Callable[[Mapping[str, Any], str], None], ...] = ()
    cache_layout: str = "vectors"
    constraints: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        constraints = {
            name: hyperparameter.constraints
            for name, hyperparameter in self.hyperparameters.items()
        }
        object.__setattr__(self, "constraints", constraints)

    @property
    def estimator_name(self) -> str:
        """The name of the estimator that trains the model (``Word2VecVectorizer``)."""
        return f"{self.model_class.__name__}Vectorizer"

    @property
    def progress_label(self) -> str:
        """The prefix of the progress lines training prints."""
        return f"[{self.estimator_name}]"

    def check(self, params: Mapping[str, Any], *, caller: str) -> None:
        """Validate the hyperparameters in ``params`` (by skw2v's names).

        Checks their constraints, then the rules that involve several of them.
        ``caller`` is named in the messages.
        """
        validate_parameter_constraints(self.constraints, params, caller_name=caller)
        for rule in self.rules:
            rule(params, self.name)

    def gensim_parameters(self, params: Mapping[str, Any]) -> dict:
        """Return the arguments of ``model_class`` for the hyperparameters."""
        arguments = {}
        for name, hyperparameter in self.hyperparameters.items():
            value = params[name]
            if hyperparameter.to_gensim is not None:
                value = hyperparameter.to_gensim(value)
            arguments[hyperparameter.gensim_name or name] = value
        return arguments

    def new_model(self, params: Mapping[str, Any]):
        """Return an untrained model with the hyperparameters in ``params``."""
        return self.model_class(**self.gensim_parameters(params))


#: The hyperparameters of word2vec's training, shared by fastText.
_WORD2VEC_HYPERPARAMETERS = {
    "vector_size": Hyperparameter(_count(1)),
    "window": Hyperparameter(_count(1)),
    "min_count": Hyperparameter(_count(0)),
    "sg": Hyperparameter(_flag()),
    "hs": Hyperparameter(_flag()),
    "negative": Hyperparameter(_count(0)),
    # count ** ns_exponent must stay a finite, non-zero float64 for every
    # count a corpus can have.
    "ns_exponent": Hyperparameter([Interval(Real, -10, 10, closed="both")]),
    "cbow_mean": Hyperparameter(_flag()),
    "sample": Hyperparameter([Interval(Real, 0, 1, closed="both")]),
    "alpha": Hyperparameter([Interval(Real, 0, FLOAT32_MAX, closed="right")]),
    "min_alpha": Hyperparameter([Interval(Real, 0, FLOAT32_MAX, closed="both")]),
    "epochs": Hyperparameter(_count(1)),
    "max_vocab_size": Hyperparameter([*_count(1), None]),
    "max_final_vocab": Hyperparameter([*_count(1), None]),
    "shrink_windows": Hyperparameter(["boolean"]),
}

WORD2VEC = ModelSpec(
    name="word2vec",
    model_class=Word2Vec,
    hyperparameters={**_WORD2VEC_HYPERPARAMETERS, **RUNTIME_HYPERPARAMETERS},
    rules=(_needs_an_output_layer,),
    cache_layout="vectors",
)

#: fastText's default number of n-gram buckets, and gensim's.
FASTTEXT_BUCKET, GENSIM_FASTTEXT_BUCKET = 200_000, 2_000_000

FASTTEXT = ModelSpec(
    name="fasttext",
    model_class=FastText,
    hyperparameters={
        **_WORD2VEC_HYPERPARAMETERS,
        "min_n": Hyperparameter(_count(1)),
        "max_n": Hyperparameter(_count(1)),
        "bucket": Hyperparameter(
            _count(0),
            own_default=f"gensim's {GENSIM_FASTTEXT_BUCKET:_} buckets hold "
            f"{GENSIM_FASTTEXT_BUCKET:_} x vector_size floats (800 MB at 100 "
            "dimensions) per model, per grid-search candidate in flight, for no "
            "measured gain in accuracy (docs/benchmarks.md)",
        ),
        **RUNTIME_HYPERPARAMETERS,
    },
    rules=(_needs_an_output_layer,),
    cache_layout="fasttext",
)

#: The longest window of PV-DM with concatenation: gensim's compiled code
#: holds the ``2 * window`` context words of a position in an array of 10,000.
DM_CONCAT_MAX_WINDOW = 4999


def _concatenation_fits(params: Mapping[str, Any], model: str) -> None:
    """Refuse a PV-DM concatenation layer that gensim's compiled code cannot hold."""
    if not (params["dm"] and params["dm_concat"]):
        return
    window, vector_size = params["window"], params["vector_size"]
    if window > DM_CONCAT_MAX_WINDOW:
        raise ValueError(
            f"With dm=1 and dm_concat=1 {model} concatenates the 2 * window context "
            f"words of each position, at most {2 * DM_CONCAT_MAX_WINDOW}: use "
            f"window <= {DM_CONCAT_MAX_WINDOW} (got {window}), or dm_concat=0."
        )
    if (1 + 2 * window) * vector_size > C_INT_MAX:
        raise ValueError(
            f"With dm=1 and dm_concat=1 {model}'s input layer has (1 + 2 * window) "
            f"* vector_size = {(1 + 2 * window) * vector_size} values, more than "
            f"its compiled code can index ({C_INT_MAX}); lower window or vector_size."
        )


DOC2VEC = ModelSpec(
    name="doc2vec",
    model_class=Doc2Vec,
    hyperparameters={
        "dm": Hyperparameter(
            _flag(),
            own_default="0 trains PV-DBOW, which classifies the movie reviews "
            "better than gensim's PV-DM (docs/beyond-averaging.md)",
        ),
        "dbow_words": Hyperparameter(
            _flag(),
            own_default="1 trains word vectors with PV-DBOW, which classifies the "
            "movie reviews better than gensim's 0 (docs/beyond-averaging.md)",
        ),
        "dm_mean": Hyperparameter(
            [*_flag(), None],
            gensim_name="cbow_mean",
            to_gensim=lambda dm_mean: 1 if dm_mean is None else dm_mean,
            own_default="None is the mean, as in gensim; passed as gensim's "
            "cbow_mean, because gensim 4's Doc2Vec ignores its own dm_mean "
            "(it always takes the mean)",
        ),
        "dm_concat": Hyperparameter(_flag()),
        "vector_size": WORD2VEC.hyperparameters["vector_size"],
        "window": WORD2VEC.hyperparameters["window"],
        **{
            name: WORD2VEC.hyperparameters[name]
            for name in (
                "min_count",
                "hs",
                "negative",
                "ns_exponent",
                "sample",
                "alpha",
                "min_alpha",
            )
        },
        "epochs": Hyperparameter(
            _count(1),
            own_default="20 passes classify the movie reviews better than "
            "gensim's 10 (docs/beyond-averaging.md)",
        ),
        **{
            name: WORD2VEC.hyperparameters[name]
            for name in (
                "max_vocab_size",
                "max_final_vocab",
                "shrink_windows",
            )
        },
        **RUNTIME_HYPERPARAMETERS,
    },
    rules=(_needs_an_output_layer, _concatenation_fits),
    cache_layout="doc2vec",
)
