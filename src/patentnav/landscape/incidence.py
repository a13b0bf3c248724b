"""Sparse incidence matrices: documents x items (codes, applicants, ...), the base of every
co-occurrence, specialisation and clustering computation in :mod:`patentnav.landscape`.

An incidence matrix ``X`` has one row per corpus document (in corpus order) and one column
per distinct item; ``X[d, i] = 1`` when document ``d`` carries item ``i`` (binary: an item
listed twice on a document counts once). Built from Arrow list columns without Python
loops over documents: flatten, truncate the distinct values, factorize, and assemble a
``scipy.sparse.csr_matrix``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from ..classify.ipc import LEVELS, truncate_array

__all__ = ["Incidence", "incidence", "code_incidence"]


@dataclass
class Incidence:
    """A documents x items binary matrix with its labels.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix, shape (n_documents, n_items), dtype int32 (0/1; int32 so
        that products such as X.T @ X count without overflow)
    items : numpy.ndarray of str
        Column labels, sorted (so that results do not depend on input order).
    documents : numpy.ndarray of str
        Row labels (publication numbers, corpus order).
    """

    matrix: sp.csr_matrix
    items: np.ndarray
    documents: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.matrix.shape

    def item_counts(self) -> np.ndarray:
        """Documents per item (column sums)."""
        return np.asarray(self.matrix.sum(axis=0)).ravel()

    def restrict_items(self, mask: np.ndarray) -> "Incidence":
        """Keep the items where ``mask`` is True."""
        idx = np.flatnonzero(mask)
        return Incidence(self.matrix[:, idx].tocsr(), self.items[idx], self.documents)


def incidence(lists, documents=None, transform=None) -> Incidence:
    """Binary incidence matrix of a list column.

    Parameters
    ----------
    lists : pyarrow list<string> array (or chunked array)
        One list of items per document, e.g. ``corpus["ipc"]``.
    documents : array-like of str, optional
        Row labels (default ``0..n-1`` as strings).
    transform : callable(pa.Array) -> pa.Array, optional
        Applied to the flattened values before counting (e.g. truncation to a level);
        values it maps to null are dropped.

    Examples
    --------
    >>> inc = incidence(pa.array([["H04W72/04", "H04W72/04", "G06F3/01"], ["G06F3/01"], []]))
    >>> inc.items.tolist(), inc.matrix.toarray().tolist()
    (['G06F3/01', 'H04W72/04'], [[1, 1], [1, 0], [0, 0]])
    """
    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    n = len(lists)
    lists = pc.fill_null(lists, pa.scalar([], lists.type))
    flat = pc.list_flatten(lists)
    rows = pc.list_parent_indices(lists).to_numpy()
    # integer codes of the flat values from an Arrow dictionary: Python sees the distinct
    # values only (the transform and the sort too)
    enc = pc.dictionary_encode(flat)
    distinct = enc.dictionary if transform is None else transform(enc.dictionary)
    dvalid = np.asarray(pc.is_valid(distinct).to_numpy(zero_copy_only=False), dtype=bool)
    dvalues = np.asarray(distinct.to_numpy(zero_copy_only=False), dtype=object)[dvalid]
    uniques, inverse = np.unique(dvalues, return_inverse=True) if len(dvalues) else (np.zeros(0, dtype=object), np.zeros(0, np.int64))
    code_of = np.full(len(distinct) + 1, -1, dtype=np.int64)  # the last slot: null values
    code_of[np.flatnonzero(dvalid)] = inverse
    idx = np.asarray(pc.fill_null(enc.indices, len(distinct)).to_numpy(zero_copy_only=False), dtype=np.int64)
    codes = code_of[idx]
    keep = codes >= 0
    m = sp.csr_matrix((np.ones(int(keep.sum()), dtype=np.int32), (rows[keep], codes[keep])), shape=(n, len(uniques)))
    m.sum_duplicates()
    m.data[:] = 1  # binary
    docs = np.asarray(documents if documents is not None else np.arange(n).astype(str), dtype=object)
    return Incidence(m, np.asarray(uniques, dtype=object), docs)


def code_incidence(corpus, field: str = "ipc", level: str = "subclass") -> Incidence:
    """Documents x classification codes at a hierarchy level.

    Parameters
    ----------
    corpus : Corpus
    field : {"ipc", "cpc"}
    level : {"section", "class", "subclass", "main_group", "subgroup"}
        Codes are truncated with :func:`patentnav.classify.ipc.truncate_array` (over the
        distinct codes only).

    Made once per corpus, field and level (:mod:`patentnav.model.shared`): every analysis
    of the corpus gets the same :class:`Incidence`; do not modify it in place.
    """
    if field not in ("ipc", "cpc"):
        raise ValueError(f"field must be 'ipc' or 'cpc', not {field!r}")
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    from ..model.shared import publication_numbers, shared

    transform = None if level == "subgroup" else (lambda a: truncate_array(a, level))
    return shared(corpus, ("code_incidence", field, level),
                  lambda: incidence(corpus[field], publication_numbers(corpus), transform))
