"""Datasets shipped with skw2v, loaded without any download."""

from ._movie_reviews import load_movie_reviews

__all__ = ["load_movie_reviews"]
