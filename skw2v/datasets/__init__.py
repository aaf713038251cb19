"""Datasets shipped with skw2v, loaded without any download."""

from ._glove import load_glove_50d
from ._movie_reviews import load_movie_reviews

__all__ = ["load_glove_50d", "load_movie_reviews"]
