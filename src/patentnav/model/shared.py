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


def forget(corpus) -> None:
    """Drop what is kept for ``corpus`` (to free its memory before the corpus itself)."""
    try:
        _STORE.pop(corpus, None)
    except TypeError:
        pass


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
