"""The private scikit-learn API that skw2v relies on, imported in one place.

scikit-learn >= 1.6 provides everything below. Third-party estimators use these
helpers too (``_fit_context`` runs parameter validation, ``_param_validation``
holds the constraint classes); keeping the imports here means a future rename in
scikit-learn is a one-file change. We do not depend on ``sklearn-compat`` because
it caps the scikit-learn version from above.
"""

from sklearn.base import _clone_parametrized, _fit_context
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
    validate_parameter_constraints,
    validate_params,
)

__all__ = [
    "HasMethods",
    "Interval",
    "StrOptions",
    "_clone_parametrized",
    "_fit_context",
    "validate_parameter_constraints",
    "validate_params",
]
