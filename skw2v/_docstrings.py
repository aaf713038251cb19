"""Descriptions of the parameters and attributes that several estimators share.

Each is written once, here. A docstring names one with a line holding only
``{{name}}``, indented as the entry it stands for, and ``fill_doc``
replaces that line with the entry, when the class is defined. The rendered
documentation, ``help()`` and the doctests all see the filled docstring.
"""

from __future__ import annotations

import re
import textwrap

from ._pooling import POOLINGS, WEIGHTINGS
from ._text import DEFAULT_TOKEN_PATTERN


def _options(registry: dict) -> str:
    """List a registry's names as a numpydoc value set: ``"a", "b"``."""
    return ", ".join(f'"{name}"' for name in registry)


_ENTRIES = {
    "pooling": f"""\
pooling : {{{_options(POOLINGS)}}}, default="mean"
    How the (weighted) vectors of a document's known words are combined:
    ``"mean"`` divides their sum by the number of known tokens, ``"sum"``
    adds them, ``"max"`` takes the element-wise maximum, ``"mean+max"``
    puts the mean and the maximum side by side (twice as many columns).""",
    "weighting": f"""\
weighting : {{None, {_options(WEIGHTINGS)}}}, default=None
    Scale each token's vector before pooling. ``"tfidf"``: by the word's
    smooth inverse document frequency in the training documents,
    ``ln((1 + n) / (1 + df)) + 1`` as in scikit-learn (a word repeated in a
    document counts each time, which makes the term frequency). ``"sif"``:
    by the smooth inverse frequency ``sif_a / (sif_a + p(w))`` of Arora,
    Liang & Ma (2017), ``p(w)`` being the word's share of the training
    tokens; words of the vectors absent from the training documents get
    ``p(w)`` from their frequency rank in the vectors by Zipf's law
    (``1 / ((rank + 1) H)``, ``H`` the harmonic number of the vocabulary
    size). None weighs every token 1.""",
    "sif_a": """\
sif_a : float, default=1e-3
    The ``a`` of ``weighting="sif"``: the smaller, the more frequent words
    are played down.""",
    "remove_components": """\
remove_components : int, default=0
    Remove from every output row its projection on the first
    ``remove_components`` principal directions of the training documents'
    pooled vectors (learned in fit, not centered, as Arora, Liang & Ma do);
    combined with ``weighting="sif"`` this is their SIF embedding.""",
    "norm": """\
norm : {None, "l2"}, default=None
    If ``"l2"``, every non-zero output row is scaled to unit Euclidean norm.""",
    "n_jobs": """\
n_jobs : int or None, default=None
    Worker processes for ``transform``. A large batch of raw text (at
    least two million characters per worker) is cut into one part per
    worker process, which tokenizes and pools it and writes its rows into a
    shared output. A memory-mapped table is shared, and a table read from a
    file is reopened by each worker, memory-mapped from the cache (see
    ``load_vectors``); a table in memory over 16 MB is copied to each call's
    workers, so the batch must then be larger (by 1 character per 20 bytes
    of table). Smaller batches and tokenized documents are pooled in this
    process. The first such call starts the processes (as long as importing
    skw2v takes); joblib keeps them for later calls. None means 1, -1 all
    CPUs. Results do not depend on it.""",
    "lowercase_casings": """\
lowercase : bool, default=True
    Convert raw documents to lowercase before tokenizing (already tokenized
    documents are used as given), and find a token the vectors lack through
    its casings: as written, then in lowercase, then in the table's most
    frequent casing, so that "paris" finds "Paris".""",
    "token_pattern": f"""\
token_pattern : str or None, default=r"{DEFAULT_TOKEN_PATTERN}"
    Regular expression that matches a token. The default keeps single-letter
    words ("a", "i") and contractions ("don't", "it's") whole; ``None`` means
    the default. Ignored when ``tokenizer`` is given.""",
    "tokenizer": """\
tokenizer : callable or None, default=None
    A function ``str -> list[str]`` that replaces the regular expression
    (after lowercasing, with ``lowercase=True``).""",
    "word2vec_vector_size": """\
vector_size : int, default=100
    Dimensionality of the word vectors (and of the output).""",
    "word2vec_window": """\
window : int, default=5
    Maximum distance between the current and a predicted word.""",
    "min_count": """\
min_count : int, default=5
    Ignore words with a total frequency lower than this.""",
    "word2vec_sg": """\
sg : {0, 1}, default=0
    Training algorithm: 1 for Skip-Gram, 0 for CBOW.""",
    "hs": """\
hs : {0, 1}, default=0
    1 for hierarchical softmax; 0 for negative sampling (if ``negative > 0``).""",
    "negative": """\
negative : int, default=5
    Number of noise words drawn for negative sampling (0 disables it; then
    ``hs`` must be 1).""",
    "ns_exponent": """\
ns_exponent : float, default=0.75
    Exponent of the word frequencies from which noise words are drawn.""",
    "word2vec_cbow_mean": """\
cbow_mean : {1, 0}, default=1
    With CBOW, 1 averages the context vectors, 0 sums them.""",
    "sample": """\
sample : float, default=1e-3
    Threshold for down-sampling frequent words (0 disables it).""",
    "alpha": """\
alpha : float, default=0.025
    Initial learning rate.""",
    "word2vec_min_alpha": """\
min_alpha : float, default=1e-4
    Learning rate at the end of training (it decays linearly).""",
    "word2vec_epochs": """\
epochs : int, default=5
    Passes over the corpus.""",
    "max_vocab_size": """\
max_vocab_size : int or None, default=None
    Cap on the vocabulary while it is being counted (prunes rare words to
    bound memory); None means no cap.""",
    "max_final_vocab": """\
max_final_vocab : int or None, default=None
    Keep at most this many words, raising ``min_count`` as needed.""",
    "shrink_windows": """\
shrink_windows : bool, default=True
    Sample the effective window size uniformly from ``[1, window]`` for each
    word, as the original word2vec does.""",
    "training_runtime": """\
n_jobs : int or None, default=None
    Worker threads for training, and parallel workers for ``transform``
    as in [`AvgWord2VecTransformer`][skw2v.AvgWord2VecTransformer] (where results do
    not depend on it). None means 1, which together with an int
    ``random_state`` makes training reproducible; -1 means all CPUs.
    With several threads on a streamed corpus (from 3 threads on a
    list), the pass that counts the words also writes the tokens to a
    temporary file (on disk for a stream, in memory under ``/dev/shm``
    for a list when there is room; removed afterwards), and each thread
    trains on its own part of that file (gensim's ``corpus_file`` mode),
    which scales with the cores where gensim's single reading thread
    would not; with 2 threads a list trains faster from that reading
    thread. The order in which threads update the shared vectors
    varies from run to run, so vectors differ slightly between runs even
    with a fixed ``random_state``.
random_state : int, RandomState instance or None, default=None
    Seed of the vector initialisation and of the sampling during training.
    An int is passed to gensim as ``seed`` unchanged. With an int and one
    worker, two fits give bit-identical vectors, also in different processes.""",
    "lowercase_trained": """\
lowercase : bool, default=True
    Convert raw documents to lowercase before tokenizing. Already tokenized
    documents are used exactly as given, and every token is looked up as
    written: the vocabulary holds this estimator's own tokens. With
    ``init_vectors``, a word finds its pretrained vector through its casings
    too (as in ``PretrainedEmbeddingVectorizer``).""",
    "init_vectors_static": """\
A static embedding model (its folder, or the table
[`load_vectors`][skw2v.load_vectors] gives for it) gives every word the
model's vector for it: the mean of the vectors of the tokens the model's
tokenizer splits the word into (the row of the word as a one-word
document, before the model's normalization).""",
    "keep_model": """\
keep_model : bool, default=False
    Keep the whole gensim model (with its training state, about twice the
    size of the vectors) in ``model_``, e.g. to continue training it. By
    default only the vectors are kept.""",
    "verbose_training": """\
verbose : int, default=0
    Report progress once per epoch (a tqdm bar when tqdm is installed).""",
    "memory": """\
memory : str, PathLike, joblib.Memory or None, default=None
    Cache the trained vectors in this directory (a ``joblib.Memory``
    lends its ``location``), as ``Pipeline(memory=...)`` caches fitted
    steps: a later fit with the same training hyperparameters,
    ``random_state``, ``n_jobs``, training tokens (so the same documents
    and tokenizer) and ``init_vectors`` maps the vectors from the cache
    instead of training again. In a grid search, candidates that differ
    only in ``pooling``, ``weighting``, ``sif_a``, ``remove_components``,
    ``norm`` or the classifier's parameters train once per fold; the
    results are the same, value for value, as without ``memory``. The
    entries are data only (``.npy`` and JSON, never pickles), written
    atomically, memory-mapped by every process that reads them, and
    rebuilt with a warning when damaged. With ``random_state=None`` the
    vectors of an earlier fit are reused as they are, not redrawn. The
    cache is not used with ``keep_model=True`` or by ``partial_fit``, and
    vectors read from it have no word counts (``wv_.get_vecattr(word,
    "count")``). Delete the directory to clear it.""",
    "fit_parameters": """\
Parameters
----------
X : iterable of str or of list of str, pandas Series or one-column DataFrame
    Training documents: raw text, or already tokenized documents. A corpus
    that can be read again (a [`LineCorpus`][skw2v.LineCorpus], or any object
    whose ``__iter__`` starts over) is streamed, a batch at a time, once per
    pass, never held in memory; a one-shot iterator (a generator) raises
    ``TypeError``.
y : None
    Ignored; present for compatibility with scikit-learn pipelines.""",
    "X": """\
X : iterable of str or of list of str, pandas Series or one-column DataFrame
    Documents: raw text, or already tokenized documents. An iterable that is
    not a list, an array or a pandas object (a
    [`LineCorpus`][skw2v.LineCorpus], a generator) is read a batch at a time.""",
    "word_weights_": """\
word_weights_ : ndarray of shape (n_words,) or None
    The weight of each word of ``wv_`` (in its row order); None without
    ``weighting``.""",
    "unseen_word_weight_": """\
unseen_word_weight_ : float or None
    The weight of a word outside ``wv_`` that still gets a vector (from
    fastText subwords); None without ``weighting``.""",
    "components_": """\
components_ : ndarray of shape (remove_components, n_features_out)
    The directions removed from every output row.""",
}

#: The parameters of the pooling step, in their usual order, as one entry.
_ENTRIES["pooling_steps"] = "\n".join(
    _ENTRIES[name]
    for name in ("pooling", "weighting", "sif_a", "remove_components", "norm")
)

#: The hyperparameters of word2vec training, in gensim's order, as one entry.
_ENTRIES["word2vec_hyperparameters"] = "\n".join(
    _ENTRIES[name]
    for name in (
        "word2vec_vector_size",
        "word2vec_window",
        "min_count",
        "word2vec_sg",
        "hs",
        "negative",
        "ns_exponent",
        "word2vec_cbow_mean",
        "sample",
        "alpha",
        "word2vec_min_alpha",
        "word2vec_epochs",
        "max_vocab_size",
        "max_final_vocab",
        "shrink_windows",
    )
)

_MARKER = re.compile(r"^(?P<indent> *)\{\{(?P<name>\w+)\}\}$", re.MULTILINE)


def _entry(match: re.Match) -> str:
    return textwrap.indent(_ENTRIES[match["name"]], match["indent"])


def fill_doc(obj):
    """Replace the ``{{name}}`` lines of docstrings by the shared entries.

    Fills the docstring of ``obj`` and, for a class, those of the methods it
    defines. A name not described here is an error when the class is defined.
    """
    targets = [obj]
    if isinstance(obj, type):
        targets += [member for member in vars(obj).values() if callable(member)]
    for target in targets:
        if target.__doc__ and "{{" in target.__doc__:
            target.__doc__ = _MARKER.sub(_entry, target.__doc__)
    return obj
