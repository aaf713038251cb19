"""Resolving casings: the word table's way against scanning every token, one run.

``PretrainedEmbeddingVectorizer`` (and ``AvgWord2VecTransformer`` with
``lowercase=True``) find a token the table lacks through its casings. The
baseline is how skw2v did it before the word table: build the set of all the
batch's tokens, rewrite the missing ones, then look every token up. The word
table looks every token up first and examines only the tokens it did not find.
Both must give the same row ids, which the script asserts before printing.

    python benchmarks/bench_casings.py
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from gensim.models import KeyedVectors

from skw2v import Word2VecVectorizer
from skw2v._text import build_tokenizer
from skw2v._vectors import WordTable, casing_aliases, token_ids
from skw2v.datasets import load_movie_reviews


def scan_every_token(wv, tokens):
    """The former path: rewrite through a set of all tokens, then look up."""
    known, keys, aliases = wv.key_to_index, wv.index_to_key, casing_aliases(wv)
    rewrites = {}
    for token in set(tokens).difference(known):
        lower = token.lower()
        if lower in known:
            rewrites[token] = lower
        elif lower in aliases:
            rewrites[token] = keys[aliases[lower]]
    if rewrites:
        tokens = list(map(rewrites.get, tokens, tokens))
    return token_ids(tokens, known)


def best(repeat, function, *args, **kwargs):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function(*args, **kwargs)
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--copies", type=int, default=5)
    args = parser.parse_args()

    reviews = load_movie_reviews().data
    trained = Word2VecVectorizer(vector_size=50, min_count=2, epochs=1, random_state=0)
    wv = trained.fit(reviews).wv_
    # A cased table, as pretrained ones are: every 7th word stored capitalized.
    cased = KeyedVectors(vector_size=wv.vector_size)
    keys = [k.capitalize() if i % 7 == 0 else k for i, k in enumerate(wv.index_to_key)]
    cased.add_vectors(keys, wv.vectors)
    tokens, lengths = build_tokenizer().flat(reviews * args.copies)
    table = WordTable(cased, casings=True)
    casing_aliases(cased)  # built once per table, outside the timings
    print(
        f"{len(tokens):,} tokens, table of {len(cased):,} words; best of {args.repeat}"
    )
    print(f"{'path':<42} {'ns/token':>9} {'speed-up':>9}")
    old_s, old_ids = best(args.repeat, scan_every_token, cased, tokens)
    print(f"{'scan every token (before)':<42} {old_s / len(tokens) * 1e9:9.1f}")
    for label, lowercase in [
        ("raw text (lowercase tokens)", True),
        ("tokenized input", False),
    ]:
        new_s, (_, new_ids, _) = best(
            args.repeat, table.resolve, tokens, lengths, lowercase=lowercase
        )
        np.testing.assert_array_equal(old_ids, new_ids)
        print(
            f"{'word table, ' + label:<42} {new_s / len(tokens) * 1e9:9.1f} "
            f"{old_s / new_s:8.2f}x"
        )


if __name__ == "__main__":
    main()
