"""Data derived from a corpus once and shared by every analysis of it.

A :class:`~patentnav.Corpus` never changes its table, so what is computed from the table
alone (the documents x codes incidence at a level, the publication numbers as Python
strings and their row index, ...) is kept with the corpus and handed to the next analysis
instead of being computed again: the landscape report's steps all use one incidence per
level, one row index (docs/performance.md, "computed once").

The store holds the corpus weakly: its entries go when the corpus goes. What it hands out
is shared by every caller: read it, never modify it in place.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable, Hashable

import numpy as np

__all__ = ["shared", "publication_numbers", "publication_rank", "row_index", "forget"]

_STORE: "weakref.WeakKeyDictionary[Any, dict]" = weakref.WeakKeyDictionary()


def shared(corpus, key: Hashable, make: Callable[[], Any]) -> Any:
    """``make()``, computed once per corpus and ``key`` and kept while the corpus lives.

    Objects that cannot be weakly referenced (a plain table, a duck-typed corpus) are not
    kept: ``make()`` runs on every call.
    """
    try:
        store = _STORE.get(corpus)
        if store is None:
            store = _STORE[corpus] = {}
    except TypeError:
        return make()
    if key not in store:
        store[key] = make()
    return store[key]


def forget(corpus, *keys: Hashable) -> None:
    """Drop what is kept for ``corpus`` (to free its memory before the corpus itself): every
    entry, or those ``keys`` name. A key names the entry made with it and, as a prefix, every
    entry whose key is a longer tuple starting with it (a string ``s`` as the tuple ``(s,)``):
    ``forget(c, "quality_table")`` drops the quality tables of every argument set,
    ``forget(c, ("code_incidence", "ipc"))`` every IPC incidence. The next :func:`shared`
    call makes a dropped entry again."""
    try:
        store = _STORE.get(corpus)
    except TypeError:
        return
    if store is None:
        return
    if not keys:
        _STORE.pop(corpus, None)
        return
    prefixes = [k if isinstance(k, tuple) else (k,) for k in keys]
    for k in list(store):
        t = k if isinstance(k, tuple) else (k,)
        if any(t[:len(p)] == p for p in prefixes):
            del store[k]


def publication_numbers(corpus) -> np.ndarray:
    """The publication numbers as a NumPy object array (corpus order), made once."""
    return shared(corpus, "publication_numbers", lambda: corpus["publication_number"].to_numpy())


def publication_rank(corpus) -> np.ndarray:
    """Dense rank (0-based, int64) of each publication number in ascending string order
    (Arrow's byte order of UTF-8, which is code-point order, as Python's): sorting by it is
    sorting by the number, without Python strings. Made once."""
    import pyarrow.compute as pc

    return shared(corpus, "publication_rank", lambda: pc.rank(corpus.table["publication_number"], sort_keys="ascending",
                                                              tiebreaker="dense").to_numpy().astype(np.int64) - 1)


def row_index(corpus):
    """A :class:`pandas.Index` of the publication numbers: ``row_index(c).get_indexer(numbers)``
    gives the rows of publication numbers (-1 where absent), made once."""
    import pandas as pd

    return shared(corpus, "row_index", lambda: pd.Index(publication_numbers(corpus)))
