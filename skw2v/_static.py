"""Static embedding models: a table of token vectors and the tokenizer it was made for.

Model2Vec's models, sentence-transformers' ``StaticEmbedding`` and WordLlama
are all one matrix of token vectors plus a subword tokenizer. A model is a
folder, recognized from the files in it (``LAYOUTS``):

- **Model2Vec**: ``model.safetensors`` (``embeddings``, optionally per-token
  ``weights`` and a ``mapping`` of tokens to rows), ``tokenizer.json`` and
  ``config.json`` (``normalize``, ``max_length``);
- **sentence-transformers**: ``modules.json`` whose first module is a
  ``StaticEmbedding`` (its folder holds ``model.safetensors`` and
  ``tokenizer.json``), optionally followed by ``Normalize``;
- **WordLlama**: ``weights/NAME_DIM.safetensors`` and
  ``tokenizers/NAME_tokenizer_config.json``, as its wheel and its cache
  folder hold them (or one weights file of such a folder).

Everything is read as data: the weights with ``safetensors`` (numpy), the
tokenizer with ``tokenizers`` (``Tokenizer.from_file``, JSON), the
configuration with ``json``; nothing can run code. A damaged or lying file is
a ``ValueError`` that names it.

``StaticModelFiles.parse`` turns a model into a ``KeyedVectors`` whose row
``i`` is the vector of token id ``i`` (its keys are the tokens), which
``skw2v/_loading.py`` caches and maps like every table. ``StaticTokenizer``
splits documents as the model's own library does (normalization, truncation,
prompt, dropped unknown token), straight into those row ids; it is attached
to the table it belongs to (``attach_tokenizer``, ``static_tokenizer``).
``_StaticModelMixin`` makes a vectorizer over such a table pool its tokens,
whichever estimator holds it; ``StaticWordTable`` gives words the model's
vectors, for training to start from (``init_vectors``).
"""

from __future__ import annotations

import json
import os
import re
import weakref
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import numpy as np
from gensim.models import KeyedVectors

from ._cache import file_version
from ._compact import row_scales
from ._pooling import concatenate_rows, pool_ids, token_documents
from ._text import DEFAULT_TOKEN_PATTERN, all_str, flatten
from ._vectors import WordTable, check_finite

#: The layouts, as messages describe what each needs.
LAYOUTS = {
    "model2vec": "Model2Vec (model.safetensors, tokenizer.json, config.json)",
    "sentence-transformers": (
        "sentence-transformers static model (modules.json listing a "
        "StaticEmbedding module, whose folder holds model.safetensors and "
        "tokenizer.json)"
    ),
    "wordllama": (
        "WordLlama (weights/NAME_DIM.safetensors and "
        "tokenizers/NAME_tokenizer_config.json)"
    ),
}

#: Model2Vec's defaults for what its config.json may leave out.
_MODEL2VEC_MAX_LENGTH = 512

#: Documents encoded per call of the tokenizer; larger batches are encoded in
#: threads, one batch each (the tokenizer releases the GIL). Its own threads
#: are off once ``TOKENIZERS_PARALLELISM=false``, which model2vec sets.
BATCH_DOCUMENTS = 1024

_WORDLLAMA_WEIGHTS = re.compile(r"(?P<name>.+)_(?P<dim>\d+)(?P<binary>_binary)?")


def describe_layouts() -> str:
    """Return the static-model layouts, for messages."""
    return "; ".join(LAYOUTS.values())


def _needs(package: str) -> None:
    raise ImportError(
        f"Reading a static embedding model needs the {package!r} package: "
        "pip install 'skw2v[static]'."
    )


def _import_tokenizers():
    try:
        import tokenizers
    except ImportError:
        _needs("tokenizers")
    return tokenizers


def _read_json(path: Path, kind: type) -> dict | list:
    """Read a small JSON file of a model; a damaged one is a ValueError naming it."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(
            f"Could not read {str(path)!r} as JSON ({exc}): the file is damaged; "
            "download the model again."
        ) from exc
    if not isinstance(value, kind):
        raise ValueError(
            f"{str(path)!r} holds a JSON {type(value).__name__}, not the "
            f"{kind.__name__} of its layout: the file is damaged or of another model."
        )
    return value


# -- the files of a model -----------------------------------------------------------


@dataclass(frozen=True)
class StaticModelFiles:
    """The files of a static model and what its configuration says.

    Duck-types a ``VectorFormat`` for ``_loading._load_file``: ``name``,
    ``layout`` and ``parse``.

    Parameters
    ----------
    name : str
        The layout, a key of ``LAYOUTS``.
    source : Path
        What the model was given as: its folder, or a WordLlama weights file.
    weights : Path
        The safetensors file of the token vectors.
    tensor : tuple of str
        The names the vectors may have in it, the first one found is read.
    tokenizer : Path
        The ``tokenizers`` JSON file.
    settings : tuple of Path
        The configuration files read (their changes make another model).
    normalize : bool
        Whether the model's rows are scaled to unit length.
    max_length : int or None
        Model2Vec's truncation, in tokens (None: none, or the tokenizer's own).
    drop_unknown : bool
        Whether the unknown token is left out of the mean (Model2Vec).
    prompt : str
        Text put before every document (sentence-transformers' default prompt).
    """

    name: str
    source: Path
    weights: Path
    tensor: tuple[str, ...]
    tokenizer: Path
    settings: tuple[Path, ...] = ()
    normalize: bool = False
    max_length: int | None = None
    drop_unknown: bool = False
    prompt: str = ""
    layout: str = field(default="vectors", init=False)

    @property
    def paths(self) -> tuple[Path, ...]:
        """Every file the model is made of."""
        return (self.weights, self.tokenizer, *self.settings)

    @property
    def description(self) -> str:
        """The layout, as messages name it."""
        return LAYOUTS[self.name]

    def version(self) -> tuple:
        """Return ``VERSION_FIELDS``' values for the files together (JSON-safe).

        Each field joins the values of every file, so that a change in any
        file makes another version.
        """
        versions = [file_version(path, path.stat()) for path in self.paths]
        return tuple(
            "|".join(map(str, values)) for values in zip(*versions, strict=True)
        )

    # -- reading -------------------------------------------------------------------

    def parse(self, path: Path, info: dict, *, limit, verbose) -> KeyedVectors:
        """Read the token vectors: row ``i`` is token id ``i``, keyed by its token."""
        tokens = token_names(read_tokenizer(self.tokenizer))
        table = self._table(len(tokens))
        kv = KeyedVectors(table.shape[1], count=0, dtype=np.float32)
        kv.add_vectors(tokens, table)
        return check_finite(kv, name=repr(str(self.weights)))

    def _table(self, n_tokens: int) -> np.ndarray:
        """Return the ``(n_tokens, dim)`` float32 vectors of the token ids."""
        tensors = read_tensors(self.weights)
        name = next((name for name in self.tensor if name in tensors), None)
        if name is None:
            raise ValueError(
                f"{str(self.weights)!r} holds no tensor named "
                f"{' or '.join(map(repr, self.tensor))} (it holds "
                f"{sorted(tensors)}), so it is not the weights of a {self.description}."
            )
        vectors = _checked(self.weights, name, tensors[name], ndim=2)
        mapping = tensors.get("mapping") if self.name == "model2vec" else None
        weights = tensors.get("weights") if self.name == "model2vec" else None
        if mapping is not None:
            mapping = _checked(self.weights, "mapping", mapping, ndim=1, kinds="iu")
            if len(mapping) != n_tokens or not (
                (mapping >= 0).all() and (mapping < len(vectors)).all()
            ):
                raise ValueError(
                    f"The token mapping of {str(self.weights)!r} does not map the "
                    f"{n_tokens} tokens of {str(self.tokenizer)!r} to its "
                    f"{len(vectors)} rows: the files do not belong together."
                )
            vectors = vectors[mapping]
        elif len(vectors) != n_tokens:
            raise ValueError(
                f"{str(self.tokenizer)!r} has {n_tokens} tokens but "
                f"{str(self.weights)!r} has {len(vectors)} rows of vectors: the "
                "files do not belong together; download the model again."
            )
        table = np.array(vectors, dtype=np.float32)
        if weights is not None:  # Model2Vec multiplies each token's vector
            weights = _checked(self.weights, "weights", weights, ndim=1)
            if len(weights) != n_tokens:
                raise ValueError(
                    f"{str(self.weights)!r} has {len(weights)} token weights for "
                    f"{n_tokens} tokens: the file is damaged."
                )
            table *= weights.astype(np.float32)[:, None]
        return table

    def open_tokenizer(self) -> StaticTokenizer:
        """Return the model's tokenizer, set up as the model's library sets it up."""
        tokenizer = read_tokenizer(self.tokenizer)
        tokenizer.no_padding()
        if self.name == "wordllama":
            tokenizer.no_truncation()  # as WordLlama's embed
        elif self.name == "model2vec":
            if self.max_length is None:
                tokenizer.no_truncation()
            else:
                tokenizer.enable_truncation(self.max_length)
        unknown = _unknown_id(tokenizer) if self.drop_unknown else None
        max_characters = None
        if self.name == "model2vec" and self.max_length is not None:
            # Model2Vec cuts each text to max_length times the median token
            # length before tokenizing.
            names = token_names(tokenizer)
            median = int(np.median(np.fromiter(map(len, names), np.int64)))
            max_characters = self.max_length * median
        return StaticTokenizer(
            self, tokenizer, unknown_id=unknown, max_characters=max_characters
        )


def _checked(
    path: Path, name: str, array: np.ndarray, *, ndim: int, kinds: str = "fiu"
) -> np.ndarray:
    """Refuse a tensor of the wrong rank or type, naming the file."""
    if array.ndim != ndim or array.dtype.kind not in kinds or 0 in array.shape[1:]:
        raise ValueError(
            f"The tensor {name!r} of {str(path)!r} is {array.dtype} of shape "
            f"{array.shape}; a static model's needs {ndim} dimensions of numbers. "
            "The file is damaged or of another kind of model."
        )
    return array


#: The safetensors types numpy reads.
_NUMPY_DTYPES = {"BOOL", "U8", "I8", "U16", "I16", "U32", "I32", "U64", "I64"} | {
    "F16",
    "F32",
    "F64",
}


def _read(path: Path, read, damaged):
    """Return ``read()``; any error of the Rust readers is ``damaged(path, exc)``."""
    try:
        return read()
    except Exception as exc:
        raise damaged(path, exc) from exc
    except BaseException as exc:  # a Rust panic is a BaseException
        if type(exc).__name__ != "PanicException":
            raise
        raise damaged(path, exc) from exc


def read_tensors(path: Path) -> dict[str, np.ndarray]:
    """Read every tensor of a safetensors file as numpy arrays (data only)."""
    try:
        from safetensors import safe_open
    except ImportError:
        _needs("safetensors")

    def read() -> tuple[dict, dict]:
        with safe_open(str(path), framework="np") as fh:
            dtypes = {name: fh.get_slice(name).get_dtype() for name in fh.keys()}
            if not set(dtypes.values()) <= _NUMPY_DTYPES:
                return dtypes, {}
            return dtypes, {name: fh.get_tensor(name) for name in dtypes}

    dtypes, tensors = _read(path, read, _damaged_weights)
    unreadable = {n: dtype for n, dtype in dtypes.items() if dtype not in _NUMPY_DTYPES}
    if unreadable:
        raise ValueError(
            f"{str(path)!r} holds tensors of types numpy cannot read "
            f"({unreadable}): save the weights in float32 or float16 first "
            "(with torch: tensor.float())."
        )
    return tensors


def _damaged_weights(path: Path, exc: BaseException) -> ValueError:
    return ValueError(
        f"Could not read the safetensors file {str(path)!r} ({exc}): its header "
        "does not describe its bytes, so it is truncated or damaged; download the "
        "model again."
    )


def read_tokenizer(path: Path):
    """Read a ``tokenizers`` JSON file; a damaged one is a ValueError naming it."""
    tokenizers = _import_tokenizers()
    return _read(
        path, lambda: tokenizers.Tokenizer.from_file(str(path)), _damaged_tokenizer
    )


def _damaged_tokenizer(path: Path, exc: BaseException) -> ValueError:
    return ValueError(
        f"Could not read the tokenizer {str(path)!r} ({exc}): it is not a "
        "tokenizer.json of the tokenizers library, or it is damaged; download "
        "the model again."
    )


def token_names(tokenizer) -> list[str]:
    """Return the token of each id, in id order; an id without one gets a name."""
    vocabulary = tokenizer.get_vocab(with_added_tokens=True)
    n_ids = max(vocabulary.values(), default=-1) + 1
    names: list[str | None] = [None] * n_ids
    for token, token_id in vocabulary.items():
        names[token_id] = token
    return [f"[skw2v: id {i}]" if n is None else n for i, n in enumerate(names)]


def _unknown_id(tokenizer) -> int | None:
    """Return the id of the unknown token, as Model2Vec finds it."""
    model = tokenizer.model
    if hasattr(model, "unk_token"):  # WordPiece, BPE, WordLevel
        token = model.unk_token
        return None if token is None else tokenizer.token_to_id(token)
    return json.loads(tokenizer.to_str())["model"].get("unk_id")  # Unigram


# -- recognizing a folder -----------------------------------------------------------


def find_static_model(vectors) -> StaticModelFiles | None:
    """Return the static model at ``vectors``, or None when it is not one.

    ``vectors`` is a folder in one of ``LAYOUTS``, or one weights file of a
    WordLlama folder. A safetensors file of no known layout, or a folder that
    holds some of a layout's files but not all, is a ValueError saying what
    is missing; any other path is left to the word-vector formats.
    """
    path = Path(os.fspath(vectors)).expanduser()
    if path.is_dir():
        for recognize in (_model2vec, _sentence_transformers, _wordllama_folder):
            model = recognize(path)
            if model is not None:
                return model
        if (path / "tokenizer.json").exists() or (path / "model.safetensors").exists():
            raise ValueError(
                f"{str(path)!r} looks like a model folder but has not every file "
                f"of a layout skw2v reads: {describe_layouts()}."
            )
        return None
    if path.suffix == ".safetensors" and path.is_file():
        model = _wordllama_weights(path)
        if model is None:
            raise ValueError(
                f"{str(path)!r} is a safetensors file outside a WordLlama folder: "
                "pass the folder of the model instead, in one of these layouts: "
                f"{describe_layouts()}."
            )
        return model
    return None


def _model2vec(folder: Path) -> StaticModelFiles | None:
    files = [folder / name for name in ("model.safetensors", "tokenizer.json")]
    config_path = folder / "config.json"
    if not all(path.is_file() for path in [*files, config_path]):
        return None
    config = _read_json(config_path, dict)
    normalize = config.get("normalize", False)
    max_length = config.get("max_length", _MODEL2VEC_MAX_LENGTH)
    if not isinstance(normalize, bool) or not (
        max_length is None
        or (isinstance(max_length, int) and not isinstance(max_length, bool))
        and max_length > 0
    ):
        raise ValueError(
            f"{str(config_path)!r} says normalize={normalize!r} and "
            f"max_length={max_length!r}; Model2Vec needs a boolean and a positive "
            "integer (or null). The file is damaged."
        )
    return StaticModelFiles(
        name="model2vec",
        source=folder,
        weights=files[0],
        tensor=("embeddings",),
        tokenizer=files[1],
        settings=(config_path,),
        normalize=normalize,
        max_length=max_length,
        drop_unknown=True,
    )


def _sentence_transformers(folder: Path) -> StaticModelFiles | None:
    modules_path = folder / "modules.json"
    if not modules_path.is_file():
        return None
    modules = _read_json(modules_path, list)
    if not all(isinstance(m, dict) and isinstance(m.get("type"), str) for m in modules):
        raise ValueError(
            f"{str(modules_path)!r} is not a list of modules with a type each: "
            "the file is damaged."
        )
    kinds = [module["type"].rsplit(".", 1)[-1] for module in modules]
    if not kinds or kinds[0] != "StaticEmbedding":
        return None  # a transformer model, not a static one
    if any(kind != "Normalize" for kind in kinds[1:]):
        raise ValueError(
            f"{str(modules_path)!r} lists the modules {kinds}: skw2v computes a "
            "StaticEmbedding optionally followed by Normalize, not the others. "
            "Use sentence-transformers itself for this model."
        )
    module = folder / str(modules[0].get("path", ""))
    weights, tokenizer = module / "model.safetensors", module / "tokenizer.json"
    for path in (weights, tokenizer):
        if not path.is_file():
            raise ValueError(
                f"{str(modules_path)!r} lists a StaticEmbedding module in "
                f"{str(module)!r}, which lacks {path.name}: download the model again."
            )
    settings = [modules_path]
    prompt = ""
    config_path = folder / "config_sentence_transformers.json"
    if config_path.is_file():
        settings.append(config_path)
        config = _read_json(config_path, dict)
        prompts, default = (
            config.get("prompts") or {},
            config.get("default_prompt_name"),
        )
        if default is not None:
            prompt = prompts.get(default) if isinstance(prompts, dict) else None
            if not isinstance(prompt, str):
                raise ValueError(
                    f"{str(config_path)!r} names the default prompt {default!r}, "
                    "which its prompts do not hold: the file is damaged."
                )
    return StaticModelFiles(
        name="sentence-transformers",
        source=folder,
        weights=weights,
        tensor=("embedding.weight", "embeddings"),
        tokenizer=tokenizer,
        settings=tuple(settings),
        normalize=len(kinds) > 1,
        prompt=prompt,
    )


def _wordllama_folder(folder: Path) -> StaticModelFiles | None:
    if not ((folder / "weights").is_dir() and (folder / "tokenizers").is_dir()):
        return None
    found = [
        model
        for path in sorted((folder / "weights").glob("*.safetensors"))
        if not path.stem.endswith("_binary")
        and (model := _wordllama_weights(path, source=folder)) is not None
    ]
    if len(found) > 1:
        raise ValueError(
            f"The WordLlama folder {str(folder)!r} holds several models "
            f"({[str(model.weights.name) for model in found]}); pass the weights "
            "file of the one to use, e.g. "
            f"vectors={str(found[0].weights)!r}."
        )
    return found[0] if found else None


def _wordllama_weights(
    path: Path, source: Path | None = None
) -> StaticModelFiles | None:
    match = _WORDLLAMA_WEIGHTS.fullmatch(path.stem)
    folder = path.parent.parent
    if match is None or path.parent.name != "weights":
        return None
    if match["binary"]:
        raise ValueError(
            f"{str(path)!r} holds WordLlama's binarized weights (bits, not "
            "vectors); pass the float weights of the same model, "
            f"{match['name']}_{match['dim']}.safetensors."
        )
    tokenizer = folder / "tokenizers" / f"{match['name']}_tokenizer_config.json"
    if not tokenizer.is_file():
        return None
    return StaticModelFiles(
        name="wordllama",
        source=path if source is None else source,
        weights=path,
        tensor=("embedding.weight",),
        tokenizer=tokenizer,
    )


# -- tokenizing documents into rows -------------------------------------------------


class StaticTokenizer:
    """Splits documents into the row ids of a static model's table.

    As the model's library does: its tokenizer (normalization included), no
    special tokens, its truncation, and Model2Vec's cut of long texts and
    dropping of the unknown token (given as row -1, which pooling skips).
    Raw documents are encoded as text; tokenized ones (lists of words) as
    pre-tokenized input, each word split into its tokens.

    Parameters
    ----------
    files : StaticModelFiles
        The model.
    tokenizer : tokenizers.Tokenizer
        Its tokenizer, without padding.
    unknown_id : int or None
        The id left out (row -1), if any.
    max_characters : int or None
        Where each text is cut before tokenizing, if anywhere.
    """

    def __init__(
        self,
        files: StaticModelFiles,
        tokenizer,
        *,
        unknown_id: int | None = None,
        max_characters: int | None = None,
    ):
        self.files = files
        self.tokenizer = tokenizer
        self.unknown_id = unknown_id
        self.max_characters = max_characters

    @property
    def normalize(self) -> bool:
        """Whether the model scales its rows to unit length."""
        return self.files.normalize

    def _texts(self, documents: list[str]) -> list[str]:
        prompt, cut = self.files.prompt, self.max_characters
        if prompt:
            documents = [prompt + doc for doc in documents]
        if cut is not None:
            documents = [doc[:cut] for doc in documents]
        return documents

    def _batch_encoder(self, *, offsets: bool = False) -> Callable[..., list]:
        """Return the tokenizer's call that encodes a batch of texts."""
        one_batch = self.tokenizer.encode_batch
        if not offsets:
            one_batch = getattr(self.tokenizer, "encode_batch_fast", one_batch)
        return one_batch

    @staticmethod
    def _in_batches(texts: list, function: Callable[[list], object]) -> list:
        """Return ``function`` of each batch of ``texts``, in threads when several."""
        batches = [
            texts[start : start + BATCH_DOCUMENTS]
            for start in range(0, len(texts), BATCH_DOCUMENTS)
        ]
        if len(batches) < 2:
            return [function(texts)]
        with ThreadPoolExecutor(min(len(batches), os.cpu_count() or 1)) as pool:
            return list(pool.map(function, batches))

    def encode(self, documents: list, *, offsets: bool = False) -> list:
        """Return the ``tokenizers.Encoding`` of each checked document.

        With ``offsets``, also those of the texts tokenized (as
        ``_texts`` prepares them), which ``tokens`` reads.
        """
        one_batch = self._batch_encoder(offsets=offsets)

        def encode(texts: list, **options) -> list:
            parts = self._in_batches(texts, lambda batch: one_batch(batch, **options))
            return list(chain.from_iterable(parts))

        if all_str(documents):
            return encode(self._texts(documents), add_special_tokens=False)
        raw = [i for i, doc in enumerate(documents) if isinstance(doc, str)]
        words = [i for i, doc in enumerate(documents) if not isinstance(doc, str)]
        encodings: list = [None] * len(documents)
        texts = self._texts([documents[i] for i in raw])
        for i, encoding in zip(
            raw, encode(texts, add_special_tokens=False), strict=True
        ):
            encodings[i] = encoding
        pretokenized = [list(map(str, documents[i])) for i in words]
        for i, encoding in zip(
            words,
            encode(pretokenized, is_pretokenized=True, add_special_tokens=False),
            strict=True,
        ):
            encodings[i] = encoding
        return encodings

    def ids(self, documents: list) -> tuple[np.ndarray, np.ndarray]:
        """Return the row ids of checked documents' tokens, flat, and their counts."""
        if all_str(documents):
            # Each thread also flattens its batch's ids, while the others
            # tokenize (without the GIL).
            one_batch = self._batch_encoder()
            parts = self._in_batches(
                self._texts(documents),
                lambda batch: _flat_ids(one_batch(batch, add_special_tokens=False)),
            )
        else:
            parts = [_flat_ids(self.encode(documents))]
        ids = concatenate_rows([ids for ids, _ in parts])
        lengths = concatenate_rows([lengths for _, lengths in parts])
        if self.unknown_id is not None:
            ids[ids == self.unknown_id] = -1
        return ids, lengths

    def tokens(self, documents: list) -> list[list[str]]:
        """Return the tokens of checked documents, as the model's vocabulary has them.

        A token that the model leaves out (the unknown token, for Model2Vec)
        is given as the text it stands for, so that coverage reports it.
        """
        encodings = self.encode(documents, offsets=True)
        texts = [
            self._texts([doc])[0] if isinstance(doc, str) else doc for doc in documents
        ]
        result = []
        for doc, encoding in zip(texts, encodings, strict=True):
            tokens = list(encoding.tokens)
            if self.unknown_id is not None:
                for i, token_id in enumerate(encoding.ids):
                    if token_id == self.unknown_id:
                        start, end = encoding.offsets[i]
                        word = (
                            doc if isinstance(doc, str) else doc[encoding.word_ids[i]]
                        )
                        tokens[i] = word[start:end]
            result.append(tokens)
        return result


def _flat_ids(encodings: list) -> tuple[np.ndarray, np.ndarray]:
    """Return the token ids of encodings, one after the other, and their counts."""
    lengths = np.fromiter(map(len, encodings), np.int64, count=len(encodings))
    ids = np.fromiter(
        chain.from_iterable(encoding.ids for encoding in encodings),
        np.int64,
        count=int(lengths.sum()),
    )
    return ids, lengths


class RowKeys(Sequence):
    """The tokens of row ids, looked up only when asked for (pooling never does).

    Parameters
    ----------
    wv : KeyedVectors
        The model's table.
    ids : ndarray of int64
        Row ids; -1 (a token left out) reads as the empty string.
    """

    def __init__(self, wv: KeyedVectors, ids: np.ndarray):
        self.wv = wv
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, position):
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        row = int(self.ids[position])
        return self.wv.index_to_key[row] if row >= 0 else ""


class StaticWordTable(WordTable):
    """A static model's table, giving each word the model's vector for it.

    A word's vector is the mean of the vectors of the tokens the model's
    tokenizer splits it into (the row of the word as a tokenized one-word
    document, before any normalization); a word made only of tokens the model
    leaves out has none. All words are encoded in one call and pooled in one
    sparse product. Used where pretrained vectors give words their starting
    vector (``copy_rows_into``); casings are the tokenizer's.

    Parameters
    ----------
    wv : KeyedVectors
        The model's table of token vectors.
    static : StaticTokenizer
        Its tokenizer.
    """

    def __init__(self, wv: KeyedVectors, static: StaticTokenizer):
        super().__init__(wv)
        self.static = static

    def word_vectors(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        ids, lengths = self.static.ids([[word] for word in words])
        vectors, _ = pool_ids(ids, lengths, self.wv.vectors, scales=row_scales(self.wv))
        known = np.bincount(token_documents(lengths)[ids >= 0], minlength=len(words))
        positions = np.flatnonzero(known)
        return positions, vectors[positions]


def word_table(wv: KeyedVectors, *, casings: bool = False) -> WordTable:
    """Return the table that gives words their vectors from ``wv``.

    A static model's table gives each word the mean of its tokens' vectors
    (``StaticWordTable``); a word table, its rows (through its casings, with
    ``casings``).
    """
    static = static_tokenizer(wv)
    if static is not None:
        return StaticWordTable(wv, static)
    return WordTable(wv, casings=casings)


# -- which table has which tokenizer -------------------------------------------------

#: Per table loaded from a static model: its tokenizer.
_tokenizers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def attach_tokenizer(wv: KeyedVectors, files: StaticModelFiles) -> KeyedVectors:
    """Give the table of a static model its tokenizer (once per table)."""
    if wv not in _tokenizers:
        _tokenizers[wv] = files.open_tokenizer()
    return wv


def static_tokenizer(wv) -> StaticTokenizer | None:
    """Return the tokenizer of a static model's table, or None for a word table."""
    try:
        return _tokenizers.get(wv)
    except TypeError:  # not weak-referenceable: not a table of ours
        return None


# -- vectorizers over a static model's table ----------------------------------------


class _StaticModelMixin:
    """Pool the table of a static model by the model's tokens, not by words.

    What every vectorizer over word vectors given to it does when its ``wv_``
    is the table of a static model (``static_tokenizer``): documents are split
    into row ids by the model's tokenizer (``_static``), the parameters of
    word tokenization are refused, and ``norm=None`` follows the model's own
    normalization. Over a word table the estimator's own rules apply. Put it
    before ``_BaseEmbeddingVectorizer`` in the bases; ``_fit_vectors`` calls
    ``_find_static`` once ``wv_`` is set.
    """

    #: The parameters of word tokenization and their defaults (those the
    #: estimator has are refused for a static model).
    _word_parameters = (
        ("lowercase", True),
        ("token_pattern", DEFAULT_TOKEN_PATTERN),
        ("tokenizer", None),
        ("max_phrase_words", 1),
    )

    def _find_static(self) -> StaticTokenizer | None:
        """Set ``_static``, the tokenizer of ``wv_`` (None for a word table)."""
        self._static = static = static_tokenizer(self.wv_)
        if static is not None:
            self._check_static_parameters(static)
        return static

    def _check_static_parameters(self, static: StaticTokenizer) -> None:
        """Refuse the parameters of word tokenization for a static model."""
        names = [name for name, _ in self._word_parameters if hasattr(self, name)]
        changed = [
            f"{name}={getattr(self, name)!r}"
            for name, default in self._word_parameters
            if name in names and getattr(self, name) != default
        ]
        if changed:
            raise ValueError(
                f"{', '.join(changed)} cannot apply to the static model "
                f"{str(static.files.source)!r} ({static.files.name}): its documents "
                "are split by the model's own tokenizer "
                f"({static.files.tokenizer.name}, which also sets its casing), into "
                "the tokens its vectors were made for, not into words. Leave "
                f"{', '.join(names[:-1])} and {names[-1]} at their defaults."
            )

    def _new_pooler(self):
        pooler = super()._new_pooler()
        static = self.__dict__.get("_static")
        if static is not None and static.normalize and self.norm is None:
            pooler.norm = "l2"  # the model's own rows are of unit length
        return pooler

    def _resolve(self, documents, token_docs=None):
        static = self.__dict__.get("_static")
        if static is None:
            return super()._resolve(documents, token_docs)
        ids, lengths = static.ids(documents)
        return RowKeys(self.wv_, ids), ids, lengths

    def _resolves_without_gil(self) -> bool:
        # The model's tokenizer runs in compiled code, without the GIL.
        static = self.__dict__.get("_static") is not None
        return static or super()._resolves_without_gil()

    def _canonical_tokens(self, documents):
        static = self.__dict__.get("_static")
        if static is None:
            return super()._canonical_tokens(documents)
        return flatten(static.tokens(documents))

    def _analyzer(self, tokenizer):
        static = self.__dict__.get("_static")
        if static is None or not hasattr(self, "wv_"):
            return super()._analyzer(tokenizer)
        return lambda doc: static.tokens([doc])[0]

    def __setstate__(self, state):
        super().__setstate__(state)
        # A table unpickled with its tokenizer gets it back, so that it is a
        # static model's table again for every estimator given it (a clone's).
        static, wv = self.__dict__.get("_static"), self.__dict__.get("wv_")
        if static is not None and wv is not None:
            _tokenizers.setdefault(wv, static)
