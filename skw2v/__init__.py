"""skw2v: word2vec sentence vectors as scikit-learn transformers.

The public API:

- [`Word2VecVectorizer`][skw2v.Word2VecVectorizer] trains word2vec on your documents and
  returns one vector per document;
- [`FastTextVectorizer`][skw2v.FastTextVectorizer] does the same with fastText, whose
  subword n-grams give vectors to words never seen in training;
- [`Doc2VecVectorizer`][skw2v.Doc2VecVectorizer] trains Doc2Vec on your documents and
  infers one document vector per document, deterministically;
- [`AvgWord2VecTransformer`][skw2v.AvgWord2VecTransformer] pools documents over word
  vectors you already have;
- [`PretrainedEmbeddingVectorizer`][skw2v.PretrainedEmbeddingVectorizer] pools documents
  over pretrained vectors from a file (Google News, GloVe, fastText) or memory;
- [`EmbeddingSequencer`][skw2v.EmbeddingSequencer] gives padded index sequences and an
  embedding matrix for Keras/PyTorch models;
- [`LineCorpus`][skw2v.LineCorpus] streams documents from text files, one per
  line, for corpora larger than memory;
- [`load_vectors`][skw2v.load_vectors] loads pretrained vectors once per process
  (word2vec, GloVe, fastText, gensim files), memory-mapped from a cache afterwards;
  [`clear_registry`][skw2v.clear_registry] forgets the tables loaded;
- ``skw2v.datasets`` holds the bundled movie-review data and GloVe vectors;
- [`skw2v.evaluation`][skw2v.evaluation] scores word vectors on word similarity and
  analogies, and makes label-free scorers for ``GridSearchCV``.

The ``skw2v`` command (also ``python -m skw2v``) trains, inspects and evaluates
vectors: ``skw2v train``, ``similar``, ``analogy``, ``evaluate``, ``info``,
``cache`` and ``demo``.
"""

from ._average import AvgWord2VecTransformer
from ._corpus import LineCorpus
from ._doc2vec import Doc2VecVectorizer
from ._fasttext import FastTextVectorizer
from ._loading import clear_registry, load_vectors
from ._pretrained import PretrainedEmbeddingVectorizer
from ._sequences import EmbeddingSequencer
from ._word2vec import Word2VecVectorizer

__version__ = "0.1.0"

__all__ = [
    "AvgWord2VecTransformer",
    "Doc2VecVectorizer",
    "EmbeddingSequencer",
    "FastTextVectorizer",
    "LineCorpus",
    "PretrainedEmbeddingVectorizer",
    "Word2VecVectorizer",
    "__version__",
    "clear_registry",
    "load_vectors",
]
