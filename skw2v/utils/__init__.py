"""Utilities for developers of text estimators: the skw2v estimator checks."""
