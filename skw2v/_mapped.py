"""Tables mapped from a cache entry: their words are found without building a dict.

gensim's ``KeyedVectors`` holds its words twice, as the list ``index_to_key``
and the dict ``key_to_index``. For a table of a million words, building them
in a new process takes longer than everything else a fit does (mapping the
vectors is nearly free), and the casing rule of ``_vectors`` needs a third map
of the same size (lowercase form -> row of its first casing). A grid-search
worker would pay for all three, to look up the few thousand words of its
documents.

So a cache entry also stores, as plain arrays:

- its words, as one UTF-8 text joined by newlines, with the byte offset of
  each word (``KeyText``);
- two lookup indexes (``HashIndex``): the CRC-32 of each word's UTF-8 bytes,
  sorted, with the word's row; and the same for each lowercase form that is
  not a word itself, with the row of its first casing.

A lookup hashes the distinct words asked for, finds their hashes by binary
search and compares the bytes of the candidates, so a hash collision costs one
comparison and never gives a wrong row. ``index_to_key`` and ``key_to_index``
are still there, for gensim and for users, built on first use
(``MappedKeyedVectors``); once ``key_to_index`` is built, lookups use it. The
entry's indexes stop being used as soon as the words may have changed: when
either attribute is assigned (gensim's ``sort_by_descending_frequency``, a
temporary vocabulary in ``evaluate_word_analogies``) or no longer has one item
per word (``add_vectors``).
"""

from __future__ import annotations

import copyreg
import gc
import zlib
from collections.abc import Iterable, Sequence

import numpy as np
from gensim.models import KeyedVectors
from gensim.models.fasttext import FastTextKeyedVectors

from ._compact import QuantizedKeyedVectors


def encode(word: str) -> bytes:
    """Return the UTF-8 bytes of a word (lone surrogates kept, as Python has them)."""
    return word.encode("utf-8", "surrogatepass")


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


def word_hashes(encoded: Sequence[bytes]) -> np.ndarray:
    """Return the CRC-32 of each encoded word (stable across processes)."""
    return np.fromiter(map(zlib.crc32, encoded), dtype=np.uint32, count=len(encoded))


class KeyText:
    """The words of a table as one UTF-8 text, joined by newlines.

    Word ``i`` is ``blob[offsets[i]:offsets[i + 1] - 1]``: ``offsets`` has one
    item more than there are words, and each word is followed by one byte (a
    newline, or the end of the text). A word may hold a newline itself: the
    offsets, not the newlines, say where words end.
    """

    def __init__(self, blob: bytes, offsets: np.ndarray):
        self.blob = blob
        self.offsets = offsets

    @classmethod
    def from_encoded(cls, encoded: Sequence[bytes]) -> KeyText:
        """Join encoded words."""
        sizes = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum(sizes + 1, out=offsets[1:])
        return cls(b"\n".join(encoded), offsets)

    def check(self) -> None:
        """Raise ValueError unless the offsets cut the text into its words."""
        offsets, size = self.offsets, len(self.blob)
        if (
            offsets.dtype != np.int64
            or offsets.ndim != 1
            or not len(offsets)
            or offsets[0] != 0
            or offsets[-1] != size + 1
            or not (np.diff(offsets) >= 1).all()
        ):
            raise ValueError("the offsets of the words do not fit their text")
        text = np.frombuffer(self.blob, dtype=np.uint8)
        if len(offsets) > 2 and not (text[offsets[1:-1] - 1] == ord("\n")).all():
            raise ValueError("the words are not separated where their offsets say")

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def encoded(self, row: int) -> bytes:
        """Return the UTF-8 bytes of word ``row``."""
        return self.blob[self.offsets[row] : self.offsets[row + 1] - 1]

    def word(self, row: int) -> str:
        """Return word ``row``."""
        return _decode(self.encoded(row))

    def words(self) -> list[str]:
        """Return every word, in row order."""
        words = _decode(self.blob).split("\n")
        if len(words) == len(self):
            return words  # no word holds a newline: the fast way is exact
        return list(map(self.word, range(len(self))))


class HashIndex:
    """Find the rows of words through the sorted CRC-32 of their UTF-8 bytes.

    Parameters
    ----------
    hashes : ndarray of shape (n,), dtype uint32
        The hashes of the indexed words, sorted.
    rows : ndarray of shape (n,), dtype int64
        The row of ``keys`` each of these words stands for.
    keys : KeyText
        The words of the table, against which every candidate is compared, so
        that a collision is harmless.
    lowercase : bool
        Whether the indexed words are the lowercase forms of their rows' words
        (the casing index) rather than the words themselves.
    """

    def __init__(
        self, hashes: np.ndarray, rows: np.ndarray, keys: KeyText, *, lowercase: bool
    ):
        self.hashes = hashes
        self.rows = rows
        self.keys = keys
        self.lowercase = lowercase

    @staticmethod
    def arrays(
        encoded: Sequence[bytes], rows: Iterable[int]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return the sorted hashes and their rows, for encoded words and rows."""
        hashes = word_hashes(encoded)
        order = np.argsort(hashes, kind="stable")
        rows = np.fromiter(rows, dtype=np.int64, count=len(encoded))
        return hashes[order], rows[order]

    def check(self) -> None:
        """Raise ValueError unless the arrays form an index of rows of ``keys``."""
        hashes, rows, n_rows = self.hashes, self.rows, len(self.keys)
        if (
            hashes.dtype != np.uint32
            or rows.dtype != np.int64
            or hashes.ndim != 1
            or hashes.shape != rows.shape
            or len(rows) > n_rows
        ):
            raise ValueError("a lookup index has the wrong shape")
        if len(rows) and (rows.min() < 0 or rows.max() >= n_rows):
            raise ValueError("a lookup index points outside the table")
        if not (hashes[1:] >= hashes[:-1]).all():
            raise ValueError("a lookup index is not sorted")

    def __len__(self) -> int:
        return len(self.rows)

    def find(self, words: Iterable[str]) -> dict[str, int]:
        """Map each of ``words`` that the index holds to its row."""
        distinct = list(dict.fromkeys(words))
        encoded = list(map(encode, distinct))
        hashes = word_hashes(encoded)
        last = np.searchsorted(self.hashes, hashes, side="right")
        position = np.searchsorted(self.hashes, hashes, side="left")
        asked = np.flatnonzero(last > position)  # the words with a candidate
        position = position[asked]
        found = {}
        while asked.size:  # one round per candidate: more than one is rare
            rows = self.rows[position]
            same = self._same(rows, asked.tolist(), distinct, encoded)
            for i, row in zip(asked[same].tolist(), rows[same].tolist(), strict=True):
                found[distinct[i]] = row
            position = position[~same] + 1
            asked = asked[~same]
            left = position < last[asked]
            asked, position = asked[left], position[left]
        return found

    def _same(
        self,
        rows: np.ndarray,
        asked: list[int],
        words: list[str],
        encoded: list[bytes],
    ) -> np.ndarray:
        """Tell, for each candidate row, whether it stands for its word."""
        blob, offsets = self.keys.blob, self.keys.offsets
        starts, stops = offsets[rows].tolist(), (offsets[rows + 1] - 1).tolist()
        spans = zip(asked, starts, stops, strict=True)
        if self.lowercase:
            same = (_decode(blob[a:b]).lower() == words[i] for i, a, b in spans)
        else:
            same = (blob[a:b] == encoded[i] for i, a, b in spans)
        return np.fromiter(same, dtype=bool, count=len(asked))


class MappedEntry:
    """What a cache entry knows about its words: their text and two indexes."""

    def __init__(self, keys: KeyText, key_index: HashIndex, casing_index: HashIndex):
        self.keys = keys
        self.key_index = key_index
        self.casing_index = casing_index

    @classmethod
    def from_arrays(
        cls,
        keys: bytes,
        key_offsets: np.ndarray,
        key_hashes: np.ndarray,
        key_rows: np.ndarray,
        casing_hashes: np.ndarray,
        casing_rows: np.ndarray,
    ) -> MappedEntry:
        """Rebuild, and check, the words of an entry from its arrays."""
        text = KeyText(keys, np.asarray(key_offsets))  # plain views, not memmaps
        text.check()
        key_index = HashIndex(
            np.asarray(key_hashes), np.asarray(key_rows), text, lowercase=False
        )
        casing_index = HashIndex(
            np.asarray(casing_hashes), np.asarray(casing_rows), text, lowercase=True
        )
        key_index.check()
        casing_index.check()
        if len(key_index) != len(text):
            raise ValueError("the word index does not hold every word")
        return cls(text, key_index, casing_index)


def entry_arrays(keys: Sequence[str], aliases: dict[str, int]) -> dict[str, np.ndarray]:
    """Return the arrays that ``MappedEntry.from_arrays`` takes, as a cache stores them.

    ``aliases`` maps the lowercase forms that are not keys to the row of their
    first casing (``_vectors.casing_aliases``).
    """
    encoded = list(map(encode, keys))
    text = KeyText.from_encoded(encoded)
    key_hashes, key_rows = HashIndex.arrays(encoded, range(len(encoded)))
    forms = list(map(encode, aliases))
    casing_hashes, casing_rows = HashIndex.arrays(forms, aliases.values())
    return {
        "keys": np.frombuffer(text.blob, dtype=np.uint8),
        "key_offsets": text.offsets,
        "key_hashes": key_hashes,
        "key_rows": key_rows,
        "casing_hashes": casing_hashes,
        "casing_rows": casing_rows,
    }


#: The names of the arrays of ``entry_arrays``, in its order.
ENTRY_KEY_ARRAYS = (
    "keys",
    "key_offsets",
    "key_hashes",
    "key_rows",
    "casing_hashes",
    "casing_rows",
)


# -- the table --------------------------------------------------------------------

_ENTRY, _LIST, _DICT = "_skw2v_entry", "_index_to_key", "_key_to_index"


class _LazyKeys:
    """``index_to_key`` and ``key_to_index`` built on first use from a cache entry.

    Pickled and copied, the table is a plain gensim one with both built: a
    pickle never needs skw2v to be loaded.
    """

    @property
    def index_to_key(self) -> list:
        state = self.__dict__
        if _LIST not in state:
            state[_LIST] = state[_ENTRY].keys.words()
        return state[_LIST]

    @index_to_key.setter
    def index_to_key(self, value: list) -> None:
        self.__dict__[_LIST] = value
        self.__dict__.pop(_ENTRY, None)  # the words may have changed

    @property
    def key_to_index(self) -> dict:
        state = self.__dict__
        if _DICT not in state:
            keys = self.index_to_key
            enabled = gc.isenabled()
            gc.disable()  # a million small objects would trigger many useless passes
            try:
                state[_DICT] = dict(zip(keys, range(len(keys)), strict=True))
            finally:
                if enabled:
                    gc.enable()
        return state[_DICT]

    @key_to_index.setter
    def key_to_index(self, value: dict) -> None:
        self.index_to_key  # noqa: B018  (built while the entry still holds the words)
        self.__dict__[_DICT] = value
        self.__dict__.pop(_ENTRY, None)

    def __len__(self) -> int:
        state = self.__dict__
        if _LIST in state:
            return len(state[_LIST])
        return len(state[_ENTRY].keys)

    def __reduce_ex__(self, protocol):
        lazy = (_ENTRY, _LIST, _DICT)
        state = {k: v for k, v in self.__dict__.items() if k not in lazy}
        state.update(index_to_key=self.index_to_key, key_to_index=self.key_to_index)
        plain = next(
            c
            for c in type(self).__mro__
            if c.__module__.startswith("gensim") or c is QuantizedKeyedVectors
        )
        # copyreg's reconstructor (not __newobj__, which must name the class
        # of the object itself): the pickle names gensim's class only (an int8
        # table's, which scales its rows, is skw2v's).
        return copyreg._reconstructor, (plain, object, None), state


class MappedKeyedVectors(_LazyKeys, KeyedVectors):
    """A ``KeyedVectors`` mapped from a cache entry (see the module)."""


class MappedFastTextKeyedVectors(_LazyKeys, FastTextKeyedVectors):
    """A ``FastTextKeyedVectors`` mapped from a cache entry (see the module)."""


class MappedQuantizedKeyedVectors(_LazyKeys, QuantizedKeyedVectors):
    """An int8 table (``skw2v/_compact.py``) mapped from a cache entry."""


def attach(kv: _LazyKeys, entry: MappedEntry) -> None:
    """Give a freshly made mapped table its words, to be built on first use."""
    kv.__dict__.pop(_LIST, None)
    kv.__dict__.pop(_DICT, None)
    kv.__dict__[_ENTRY] = entry


def mapped_entry(wv: KeyedVectors) -> MappedEntry | None:
    """Return the entry that still describes the words of ``wv``, if any."""
    state = getattr(wv, "__dict__", {})
    entry = state.get(_ENTRY)
    if entry is None:
        return None
    n_words = len(entry.keys)
    if any(name in state and len(state[name]) != n_words for name in (_LIST, _DICT)):
        return None  # words were added or removed in place
    return entry


def key_lookup(wv: KeyedVectors, words: Sequence[str]):
    """Return a mapping from (at least) each of ``words`` in ``wv`` to its row.

    ``key_to_index`` itself once built; for a mapped table whose dict is not
    built, the rows of just these words, from the entry's index.
    """
    entry = mapped_entry(wv)
    if entry is None or _DICT in wv.__dict__:
        return wv.key_to_index
    return entry.key_index.find(words)
