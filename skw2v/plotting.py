"""Pictures of word vectors in 2-D (needs matplotlib: ``pip install "skw2v[plot]"``).

- [`plot_embeddings`][skw2v.plotting.plot_embeddings] draws words as labelled points,
  coloured by group, after a PCA or t-SNE projection;
- [`plot_analogies`][skw2v.plotting.plot_analogies] draws word pairs as arrows (man ->
  woman, king -> queen), to show whether related pairs share an offset.

Both accept the vectors in any form skw2v accepts elsewhere (a gensim
``KeyedVectors`` or model, or a fitted vectorizer) and return the matplotlib
``Axes``. Importing this module does not import matplotlib; calling a function
without matplotlib installed raises an ``ImportError`` that names the extra.
"""

from ._plotting import plot_analogies, plot_embeddings

__all__ = ["plot_analogies", "plot_embeddings"]
