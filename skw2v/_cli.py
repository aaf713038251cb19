"""The ``skw2v`` command line (also ``python -m skw2v``).

Every subcommand prints a readable table, or JSON with ``--json``. Exit codes:
0 on success, 1 when the user's files or words are the problem (reported as one
line on stderr, without a traceback), 2 for a usage error (argparse's code),
3 for an unexpected failure: a bug in skw2v, reported as such, with its
traceback under ``--debug``.

``train`` trains word2vec, fastText or Doc2Vec (``--model``) through the
model's estimator, with that estimator's defaults (an option left out is not
passed) and checks. For Doc2Vec, OUT holds the trained document vectors, one
per document (a non-blank line of the corpus, in ``LineCorpus`` order) keyed by
its position as a string ("0", "1", ...), and ``--word-vectors`` writes the
word vectors when the mode trains them.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path

from gensim.models import KeyedVectors

from ._corpus import LineCorpus
from ._doc2vec import Doc2VecVectorizer
from ._fasttext import FastTextVectorizer
from ._formats import WRITABLE, supported
from ._word2vec import Word2VecVectorizer

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3

#: Output format of ``train``, from the output file's extension.
FORMAT_BY_SUFFIX = {
    suffix: name for name, fmt in WRITABLE.items() for suffix in fmt.suffixes
}

#: What ``train --format`` says about choosing the format.
FORMAT_HELP = (
    "output format (default from OUT's extension: "
    + ", ".join(f"{'/'.join(fmt.suffixes)} {name}" for name, fmt in WRITABLE.items())
    + "; otherwise word2vec-binary)"
)

#: Datasets ``evaluate`` uses unless told otherwise.
DEFAULT_SIMILARITY = ("wordsim353", "simlex999")
DEFAULT_ANALOGIES = "google"


#: The models ``train --model`` trains, by name: the estimator of each.
TRAINED_MODELS = {
    estimator._spec.name: estimator
    for estimator in (Word2VecVectorizer, FastTextVectorizer, Doc2VecVectorizer)
}

#: The defaults of ``train``, by model: its estimator's. An option left out
#: is not passed, so that the estimator's own default applies.
TRAIN_DEFAULTS = {
    model: {
        name: parameter.default
        for name, parameter in inspect.signature(estimator).parameters.items()
    }
    for model, estimator in TRAINED_MODELS.items()
}

#: The options of ``train`` that only some models take (by argparse's name),
#: and the hyperparameter whose models take each: ``--word-vectors`` is for the
#: models whose OUT holds document vectors, those with ``dm``.
MODEL_OPTIONS = {
    "sg": "sg",
    "min_n": "min_n",
    "max_n": "max_n",
    "bucket": "bucket",
    "dm": "dm",
    "no_dbow_words": "dbow_words",
    "word_vectors": "dm",
}


class CommandError(Exception):
    """An expected failure: reported as one line on stderr, exit code 1."""


# -- argument types -----------------------------------------------------------------


def _bounded(kind: type, low, *, inclusive: bool) -> Callable[[str], float]:
    """Return an argparse type for numbers ``>= low`` (or ``> low``)."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected {'an integer' if kind is int else 'a number'}, got {text!r}"
            ) from None
        if value < low or (value == low and not inclusive):
            relation = ">=" if inclusive else ">"
            raise argparse.ArgumentTypeError(f"must be {relation} {low}, got {text}")
        return value

    return parse


_positive_int = _bounded(int, 1, inclusive=True)
_non_negative_int = _bounded(int, 0, inclusive=True)
_non_negative_float = _bounded(float, 0, inclusive=True)


# -- helpers ------------------------------------------------------------------------


def _load(args):
    """Load the VECTORS argument with the loading options of the command."""
    from ._loading import load_vectors

    cache_dir = False if args.no_cache else args.cache_dir
    return load_vectors(
        args.vectors,
        limit=args.limit,
        cache_dir=cache_dir,
        allow_pickle=args.allow_pickle,
    )


def _require_words(wv, words: list[str]) -> None:
    """Fail with one line naming every word the vectors do not have."""
    from ._vectors import WordTable

    table = WordTable(wv)
    unknown = table.missing(words)
    if not unknown:
        return
    hints = []
    for word in unknown:
        other = table.other_casing(word)
        if other is not None:
            hints.append(f"{word!r} -> {other!r}")
    hint = f" (other casing exists: {', '.join(hints)})" if hints else ""
    listed = ", ".join(map(repr, unknown))
    raise CommandError(f"not in the vocabulary of {len(wv)} words: {listed}{hint}")


def _emit(args, payload: dict, text: str) -> None:
    """Print the JSON payload with --json, else the readable text."""
    if args.json:
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print(text)


def _neighbour_table(pairs: list[tuple[str, float]]) -> str:
    from ._evaluation import format_table

    rows = [
        (str(rank), word, f"{score:.4f}")
        for rank, (word, score) in enumerate(pairs, start=1)
    ]
    return format_table(("rank", "word", "score"), rows)


def _say(message: str) -> None:
    """Report progress on stderr (stdout stays for the results)."""
    print(message, file=sys.stderr, flush=True)


# -- subcommands --------------------------------------------------------------------


def _run_demo(args) -> None:
    from ._demo import run_demo

    run_demo(quick=args.quick, n_jobs=args.n_jobs)


def _models_taking(hyperparameter: str) -> list[str]:
    """Return the names of the models whose estimator has ``hyperparameter``."""
    return [
        name
        for name, estimator in TRAINED_MODELS.items()
        if hyperparameter in estimator._spec.hyperparameters
    ]


def _refuse_other_models_options(args) -> None:
    """Fail with one line naming the options given that ``--model`` does not take."""
    spec = TRAINED_MODELS[args.model]._spec
    refused: dict[str, list[str]] = {}
    for name, hyperparameter in MODEL_OPTIONS.items():
        if getattr(args, name) is None or hyperparameter in spec.hyperparameters:
            continue
        models = " or ".join(_models_taking(hyperparameter))
        refused.setdefault(models, []).append(f"--{name.replace('_', '-')}")
    if refused:  # the options of the first other model given
        models, options = next(iter(refused.items()))
        raise CommandError(f"{', '.join(options)}: only for --model {models}")


def _output_format(path: Path, fmt: str | None) -> str:
    """Return the format to write ``path`` in: ``fmt``, else from its suffix."""
    return fmt or FORMAT_BY_SUFFIX.get(path.suffix.lower(), "word2vec-binary")


def _output_path(text: str) -> Path:
    """Return the path of an output file, refusing one in a missing directory."""
    path = Path(text)
    if not path.parent.is_dir():
        raise CommandError(f"output directory {str(path.parent)!r} does not exist")
    return path


def _algorithm(params: dict) -> str:
    """Name what ``train`` trains, for its progress line and its JSON."""
    if "dm" in params:
        return "PV-DM" if params["dm"] else "PV-DBOW"
    return "Skip-Gram" if params["sg"] else "CBOW"


def _document_table(dv: KeyedVectors) -> KeyedVectors:
    """Return the document vectors ``dv_`` keyed by position as strings ("0", ...)."""
    table = KeyedVectors(dv.vector_size, count=0)
    table.add_vectors([str(position) for position in range(len(dv))], dv.vectors)
    return table


def _word_vectors_output(args, params: dict, out: Path) -> tuple[Path | None, str]:
    """Return the file and format of ``--word-vectors`` (None without it).

    Refuses the Doc2Vec modes that train no word vectors, and OUT itself.
    """
    if params.get("dm") and args.no_dbow_words:
        raise CommandError(
            "--no-dbow-words: only for PV-DBOW (PV-DM always trains word "
            "vectors); drop --dm or --no-dbow-words"
        )
    if args.word_vectors is None:
        return None, ""
    if not (params["dm"] or params["dbow_words"]):
        raise CommandError(
            "--word-vectors: PV-DBOW with --no-dbow-words trains no word "
            "vectors; drop --no-dbow-words (or train PV-DM with --dm)"
        )
    words_out = _output_path(args.word_vectors)
    if words_out.resolve() == out.resolve():
        raise CommandError(
            "--word-vectors: the same file as OUT, which holds the document "
            "vectors; give the word vectors another file"
        )
    return words_out, _output_format(words_out, args.format)


def _run_train(args) -> None:
    out = _output_path(args.output)
    fmt = _output_format(out, args.format)
    _refuse_other_models_options(args)
    estimator = TRAINED_MODELS[args.model]
    spec = estimator._spec
    corpus = LineCorpus(args.corpus)
    given = {
        "vector_size": args.vector_size,
        "window": args.window,
        "min_count": args.min_count,
        "negative": args.negative,
        "sample": args.sample,
        "epochs": args.epochs,
        "min_n": args.min_n,
        "max_n": args.max_n,
        "bucket": args.bucket,
        "sg": args.sg and 1,
        "dm": args.dm and 1,
        "dbow_words": args.no_dbow_words and 0,
    }
    # An option left out is not passed: the estimator's own default applies.
    params = {name: value for name, value in given.items() if value is not None}
    params.update(hs=int(args.hs), n_jobs=args.workers, random_state=args.seed)
    vectorizer = estimator(
        **params, lowercase=not args.keep_case, verbose=0 if args.quiet else 1
    )
    params = vectorizer.get_params()
    # Refused before anything is said or trained, in the command's name.
    spec.check(params, caller="skw2v train")
    words_out, words_fmt = _word_vectors_output(args, params, out)
    documents = "dm" in params
    algorithm = _algorithm(params)
    name = f"Doc2Vec {algorithm}" if documents else f"{algorithm} {args.model}"
    if not args.quiet:
        _say(
            f"Training {name} on {len(corpus.files)} file(s) in "
            f"{str(corpus.path)!r}: {params['vector_size']} dims, window "
            f"{params['window']}, {params['epochs']} epochs, {args.workers} worker(s)"
        )
    started = time.perf_counter()
    # The corpus streams from disk, straight into training.
    vectorizer.fit(corpus)
    # Doc2Vec's vocabulary, whether or not its mode trains word vectors.
    wv = vectorizer._model.wv if documents else vectorizer.wv_
    table = _document_table(vectorizer.dv_) if documents else wv
    WRITABLE[fmt].save(table, out)
    if words_out is not None:
        WRITABLE[words_fmt].save(wv, words_out)
    seconds = time.perf_counter() - started
    payload = {
        "output": str(out),
        "format": fmt,
        "model": args.model,
        "algorithm": algorithm,
        **({"documents": len(table)} if documents else {}),
        "words": len(wv),
        "dims": table.vector_size,
        "seconds": round(seconds, 3),
    }
    if words_out is not None:
        payload.update(word_vectors=str(words_out), word_vectors_format=words_fmt)
    if documents:
        saved = f"{len(table)} documents x {table.vector_size} dims to {out} ({fmt})"
        if words_out is not None:
            saved += f" and {len(wv)} words to {words_out} ({words_fmt})"
    else:
        saved = f"{len(wv)} words x {wv.vector_size} dims to {out} ({fmt})"
    # Only gensim's format keeps a fastText table's n-gram vectors.
    words_only = getattr(wv, "bucket", 0) and fmt != "gensim"
    _emit(
        args,
        payload,
        f"Saved {saved} in {seconds:.1f} s."
        + (
            " The n-gram vectors are not in this format: save as .kv (gensim) "
            "to keep the vectors of unseen words."
            if words_only
            else ""
        ),
    )


def _run_similar(args) -> None:
    wv = _load(args)
    _require_words(wv, [args.word])
    pairs = wv.most_similar(args.word, topn=args.topn)
    payload = {
        "word": args.word,
        "neighbours": [{"word": w, "similarity": float(s)} for w, s in pairs],
    }
    _emit(args, payload, f"Nearest words to {args.word!r}:\n{_neighbour_table(pairs)}")


def _run_analogy(args) -> None:
    wv = _load(args)
    _require_words(wv, [args.a, args.b, args.c])
    solve = wv.most_similar_cosmul if args.method == "3cosmul" else wv.most_similar
    pairs = solve(positive=[args.b, args.c], negative=[args.a], topn=args.topn)
    question = f"{args.a} is to {args.b} as {args.c} is to ?"
    payload = {
        "question": [args.a, args.b, args.c],
        "method": args.method,
        "answers": [{"word": w, "score": float(s)} for w, s in pairs],
    }
    _emit(args, payload, f"{question} ({args.method})\n{_neighbour_table(pairs)}")


def _run_evaluate(args) -> None:
    from ._evaluation import (
        _TooFewPairs,
        evaluate_analogies,
        evaluate_similarity,
        format_table,
    )

    wv = _load(args)
    options = {
        "restrict_vocab": args.restrict_vocab,
        "case_insensitive": not args.case_sensitive,
        "oov": args.oov,
    }
    similarity, rows = [], []
    for dataset in args.similarity or DEFAULT_SIMILARITY:
        try:
            result = evaluate_similarity(wv, dataset, **options).as_dict()
        except _TooFewPairs as exc:
            result = {
                "dataset": str(dataset),
                "spearman": None,
                "pearson": None,
                "n_found": exc.n_found,
                "n_pairs": exc.n_pairs,
                "coverage": exc.n_found / exc.n_pairs,
            }
        similarity.append(result)
        rows.append(
            (
                result["dataset"],
                "-" if result["spearman"] is None else f"{result['spearman']:.3f}",
                "-" if result["pearson"] is None else f"{result['pearson']:.3f}",
                f"{result['n_found']}/{result['n_pairs']}",
                f"{100 * result['coverage']:.1f}%",
            )
        )
    analogies = evaluate_analogies(wv, args.analogies, method=args.method, **options)
    payload = {
        "vectors": str(args.vectors),
        "words": len(wv),
        "similarity": similarity,
        "analogies": analogies.as_dict(),
    }
    headers = ("dataset", "spearman", "pearson", "pairs known", "coverage")
    text = (
        f"Word similarity (correlation with human scores, oov={args.oov!r}):\n"
        + format_table(headers, rows)
        + f"\n\nWord analogies:\n{analogies}"
    )
    _emit(args, payload, text)


def _run_info(args) -> None:
    import numpy as np

    wv = _load(args)
    sample = [str(word) for word in wv.index_to_key[: args.words]]
    path = Path(args.vectors)
    payload = {
        "path": str(path),
        "file_bytes": path.stat().st_size,
        "words": len(wv),
        "dims": wv.vector_size,
        "dtype": str(wv.vectors.dtype),
        "memory_mapped": isinstance(wv.vectors, np.memmap),
        "first_words": sample,
    }
    text = "\n".join(
        [
            f"file:          {path} ({path.stat().st_size / 1e6:.1f} MB)",
            f"words:         {len(wv)}",
            f"dimensions:    {wv.vector_size}",
            f"dtype:         {wv.vectors.dtype}",
            f"memory-mapped: {'yes' if payload['memory_mapped'] else 'no'}",
            f"first words:   {' '.join(sample)}",
        ]
    )
    _emit(args, payload, text)


def _run_cache(args) -> None:
    import numpy as np

    from ._cache import resolve_cache_dir
    from ._loading import clear_registry, load_vectors

    if args.no_cache:
        raise CommandError("cache with --no-cache has nothing to do")
    # Tables this process already holds are forgotten, so that the entry is
    # looked for (and built when missing) in this cache directory.
    clear_registry()
    started = time.perf_counter()
    wv = load_vectors(
        args.vectors,
        limit=args.limit,
        cache_dir=args.cache_dir,
        allow_pickle=args.allow_pickle,
        verbose=1,
    )
    seconds = time.perf_counter() - started
    where = resolve_cache_dir(args.cache_dir)
    mapped = isinstance(wv.vectors, np.memmap)
    payload = {
        "vectors": str(args.vectors),
        "cache_dir": str(where),
        "memory_mapped": mapped,
        "words": len(wv),
        "dims": wv.vector_size,
        "seconds": round(seconds, 3),
    }
    if not mapped:
        raise CommandError(
            f"{args.vectors} was loaded but not cached in {where}: the warning "
            "above says why (a directory that cannot be written, or a gensim "
            "pickle, which is never cached)"
        )
    outcome = "later loads map the cached copy"
    _emit(
        args,
        payload,
        f"Cached {len(wv)} words x {wv.vector_size} dims of {args.vectors} in "
        f"{where} ({seconds:.1f} s); {outcome}.",
    )


# -- the parser ---------------------------------------------------------------------


def _vectors_options() -> argparse.ArgumentParser:
    """Options shared by the commands that read a VECTORS file."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "vectors",
        metavar="VECTORS",
        help=f"word-vector file, format detected from its bytes: {supported()}",
    )
    parent.add_argument(
        "--limit",
        type=_positive_int,
        metavar="N",
        help="read only the first N words of the file (the most frequent ones)",
    )
    parent.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="cache for memory-mapped copies (default $SKW2V_CACHE_DIR, else "
        "~/.cache/skw2v)",
    )
    parent.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the cache"
    )
    parent.add_argument(
        "--allow-pickle",
        action="store_true",
        help="allow VECTORS to be a Python pickle (gensim's .save() files), "
        "which runs the code it holds: only for files you trust",
    )
    parent.add_argument("--json", action="store_true", help="print JSON")
    return parent


def _vectors_command(commands, vectors, run, *, help: str, description: str):
    """Add the subcommand ``run`` names (``_run_similar`` -> ``similar``) on VECTORS."""
    name = run.__name__.removeprefix("_run_")
    command = commands.add_parser(
        name, parents=[vectors], help=help, description=description
    )
    command.set_defaults(run=run)
    return command


def _default_help(name: str, style: str) -> str:
    """Say the default of option ``name``: word2vec's, then any other model's."""
    defaults = {
        model: style.format(defaults[name])
        for model, defaults in TRAIN_DEFAULTS.items()
        if name in defaults
    }
    first, *others = defaults.items()
    differ = [f"{model} {value}" for model, value in others if value != first[1]]
    return "; ".join([f"default {first[1]}", *differ])


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="skw2v",
        description="word2vec sentence vectors for scikit-learn.",
        epilog="Exit codes: 0 success, 1 error in the input files or words, "
        "2 invalid command line, 3 a bug in skw2v (--debug shows its traceback).",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"skw2v {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="print the traceback of a failure (before the command: skw2v --debug "
        "COMMAND ...)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    vectors = _vectors_options()

    demo = commands.add_parser(
        "demo",
        help="grid-search word2vec for sentiment on the bundled movie reviews",
        description=(
            "Train word2vec inside a GridSearchCV on the bundled movie reviews "
            "(CBOW vs Skip-Gram x pooling x weighting, each fold trained once "
            "with memory=), then the few-labels learning curve (word2vec trained "
            "on the unlabelled text against TF-IDF and the bundled GloVe), "
            "nearest neighbours and an analogy."
        ),
    )
    demo.add_argument(
        "--quick", action="store_true", help="tiny grid, few epochs (seconds)"
    )
    demo.add_argument(
        "--n-jobs", type=int, default=2, help="parallel grid-search fits (default 2)"
    )
    demo.set_defaults(run=_run_demo)

    train = commands.add_parser(
        "train",
        help="train word or document vectors on a text corpus and save them",
        description=(
            "Train word2vec, fastText or Doc2Vec on CORPUS, a UTF-8 text file "
            "with one document per line or a directory of such files, streamed "
            "from disk. Lines are lowercased and tokenized as skw2v's vectorizers "
            "do. Each model's defaults are its estimator's (Word2VecVectorizer, "
            "FastTextVectorizer: gensim's, with one thread; Doc2VecVectorizer's "
            "differ from gensim's in dm, dbow_words and epochs). "
            "Doc2Vec writes to OUT a vector per document (per non-blank line, in "
            "the order they are read), keyed by its position: 0, 1, 2, ..."
        ),
    )
    train.add_argument("corpus", metavar="CORPUS", help="text file or directory")
    train.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="file to write"
    )
    train.add_argument(
        "--format",
        choices=tuple(WRITABLE),
        help=FORMAT_HELP,
    )
    train.add_argument(
        "--model",
        choices=tuple(TRAINED_MODELS),
        default="word2vec",
        help="the model trained (default word2vec); fastText also learns "
        "vectors of character n-grams, which give unseen words a vector; "
        "doc2vec learns a vector per document",
    )
    train.add_argument(
        "--sg",
        action="store_true",
        default=None,
        help="Skip-Gram (default CBOW; word2vec and fastText only)",
    )
    train.add_argument(
        "--dm",
        action="store_true",
        default=None,
        help="PV-DM, distributed memory (doc2vec only; default PV-DBOW, "
        "distributed bag of words)",
    )
    train.add_argument(
        "--no-dbow-words",
        action="store_true",
        default=None,
        help="PV-DBOW without word vectors, about 3 times as fast (doc2vec "
        "only; by default PV-DBOW also trains Skip-Gram word vectors)",
    )
    train.add_argument(
        "--word-vectors",
        metavar="PATH",
        help="also write the word vectors of doc2vec to PATH (format chosen as "
        "for OUT: --format, else PATH's extension)",
    )
    train.add_argument(
        "--hs", action="store_true", help="hierarchical softmax output layer"
    )
    # Hyperparameters with each estimator's defaults: (name, type, help).
    for name, kind, text in [
        ("vector_size", _positive_int, "dimensions of the vectors"),
        ("window", _positive_int, "context words on each side"),
        ("min_count", _non_negative_int, "ignore rarer words"),
        ("epochs", _positive_int, "passes over the corpus"),
        ("negative", _non_negative_int, "noise words for negative sampling (0: none)"),
        ("sample", _non_negative_float, "down-sampling threshold of frequent words"),
    ]:
        train.add_argument(
            f"--{name.replace('_', '-')}",
            type=kind,
            metavar="X" if kind is _non_negative_float else "N",
            help=f"{text} ({_default_help(name, '{:g}')})",
        )
    for name, text in [
        ("min_n", "shortest character n-grams"),
        ("max_n", "longest character n-grams"),
        ("bucket", "number of n-gram vectors"),
    ]:
        train.add_argument(
            f"--{name.replace('_', '-')}",
            type=_non_negative_int,
            metavar="N",
            help=f"{text} (fastText only; {_default_help(name, '{:_}')})",
        )
    train.add_argument(
        "--workers",
        type=_positive_int,
        default=1,  # Word2VecVectorizer's n_jobs=None
        metavar="N",
        help="training threads (default 1, as Word2VecVectorizer: with --seed, "
        "the vectors are reproducible; more threads train faster but their "
        "vectors vary slightly from run to run)",
    )
    train.add_argument("--seed", type=_non_negative_int, metavar="N", help="seed")
    train.add_argument(
        "--keep-case", action="store_true", help="do not lowercase the text"
    )
    train.add_argument("--quiet", action="store_true", help="no progress report")
    train.add_argument("--json", action="store_true", help="print JSON")
    train.set_defaults(run=_run_train)

    similar = _vectors_command(
        commands,
        vectors,
        _run_similar,
        help="nearest words to a word",
        description="List the words with the highest cosine similarity to WORD.",
    )
    similar.add_argument("word", metavar="WORD")
    similar.add_argument("--topn", type=_positive_int, default=10, metavar="N")

    analogy = _vectors_command(
        commands,
        vectors,
        _run_analogy,
        help="solve 'A is to B as C is to ?'",
        description="Answer 'A is to B as C is to ?' with the words closest to "
        "B - A + C (e.g. man king woman -> queen).",
    )
    analogy.add_argument("a", metavar="A")
    analogy.add_argument("b", metavar="B")
    analogy.add_argument("c", metavar="C")
    analogy.add_argument("--topn", type=_positive_int, default=5, metavar="N")
    analogy.add_argument("--method", choices=("3cosadd", "3cosmul"), default="3cosadd")

    evaluate = _vectors_command(
        commands,
        vectors,
        _run_evaluate,
        help="word similarity and analogy benchmark scores",
        description="Score the vectors on word similarity (Spearman and Pearson "
        "correlation with human judgements) and word analogies (accuracy per "
        "section), with the coverage of each dataset.",
    )
    evaluate.add_argument(
        "--similarity",
        nargs="+",
        metavar="DATASET",
        help="similarity datasets: wordsim353, simlex999 or tab-separated files "
        "(default: wordsim353 simlex999)",
    )
    evaluate.add_argument(
        "--analogies",
        default=DEFAULT_ANALOGIES,
        metavar="DATASET",
        help="analogy dataset: google or a file in its format (default google)",
    )
    evaluate.add_argument("--method", choices=("3cosadd", "3cosmul"), default="3cosadd")
    evaluate.add_argument(
        "--restrict-vocab",
        type=_positive_int,
        default=300_000,
        metavar="N",
        help="only the N most frequent words count as known (default 300000)",
    )
    evaluate.add_argument(
        "--case-sensitive", action="store_true", help="match words' case exactly"
    )
    evaluate.add_argument(
        "--oov",
        choices=("skip", "penalize"),
        default="skip",
        help="pairs/questions with unknown words: left out (skip, default) or "
        "scored as similarity 0 / wrong answer (penalize)",
    )

    info = _vectors_command(
        commands,
        vectors,
        _run_info,
        help="size, dimensions and first words of a vectors file",
        description="Describe a vectors file.",
    )
    info.add_argument(
        "--words",
        type=_non_negative_int,
        default=10,
        metavar="N",
        help="how many of the first words to show (default 10)",
    )

    _vectors_command(
        commands,
        vectors,
        _run_cache,
        help="build the memory-mapped cache of a vectors file",
        description="Parse VECTORS once and store a memory-mappable copy in the "
        "cache, so that later loads (any process) map it instead of parsing. "
        "An existing, up-to-date copy is reused.",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            args.run(args)
    except KeyboardInterrupt:
        _say("skw2v: interrupted")
        return 130
    except Exception as exc:
        return _report(args, exc)
    return EXIT_OK


def _report(args, exc: Exception) -> int:
    """Report a failure as one line on stderr (and its traceback with --debug).

    Returns the exit code: ``EXIT_ERROR`` for what is wrong with the user's
    files or words, ``EXIT_BUG`` for anything else.
    """
    if args.debug:
        traceback.print_exception(exc)
    code = EXIT_ERROR
    if isinstance(exc, (CommandError, OSError, ValueError)):
        message = str(exc)
    elif isinstance(exc, MemoryError):
        message = "not enough memory (the file may announce more than it holds)"
    else:
        code = EXIT_BUG
        what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        hint = "" if args.debug else "; run again with --debug for the traceback"
        message = (
            f"internal error, a bug in skw2v ({what}); please report it with the "
            f"command that caused it{hint}"
        )
    _say(f"skw2v {args.command}: error: {' '.join(message.split())}")
    return code


def _show_warning(message, category, filename, lineno, file=None, line=None):
    """Print a warning as one line on stderr, without the source location."""
    _say(f"skw2v: warning: {' '.join(str(message).split())}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
