"""Sparse incidence matrices: documents x items (codes, applicants, ...), the base of every
co-occurrence, specialisation and clustering computation in :mod:`patentnav.landscape`.

An incidence matrix ``X`` has one row per corpus document (in corpus order) and one column
per distinct item; ``X[d, i] = 1`` when document ``d`` carries item ``i`` (binary: an item
listed twice on a document counts once). Built from Arrow list columns without Python
loops over documents: flatten, truncate the distinct values, factorize, and assemble a
``scipy.sparse.csr_matrix``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from ..classify.ipc import LEVELS, truncate_array

__all__ = ["Incidence", "incidence", "code_incidence"]


class Incidence:
    """A documents x items binary matrix with its labels.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix, shape (n_documents, n_items), dtype int32 (0/1; int32 so
        that products such as X.T @ X count without overflow)
    items : numpy.ndarray of str
        Column labels, sorted (so that results do not depend on input order).
    documents : numpy.ndarray of str
        Row labels (publication numbers, corpus order). Made without labels, an incidence
        numbers its rows ``"0"``, ``"1"``, ... when ``documents`` is first read (a million
        such strings take about 70 MiB: most analyses never read them).
    """

    def __init__(self, matrix: sp.csr_matrix, items: np.ndarray, documents: np.ndarray | None = None):
        self.matrix = matrix
        self.items = items
        self._documents = documents

    @property
    def documents(self) -> np.ndarray:
        if self._documents is None:
            self._documents = np.arange(self.matrix.shape[0]).astype(str).astype(object)
        return self._documents

    @property
    def shape(self) -> tuple[int, int]:
        return self.matrix.shape

    def item_counts(self) -> np.ndarray:
        """Documents per item (column sums)."""
        return np.asarray(self.matrix.sum(axis=0)).ravel()

    def restrict_items(self, mask: np.ndarray) -> "Incidence":
        """Keep the items where ``mask`` is True."""
        idx = np.flatnonzero(mask)
        return Incidence(self.matrix[:, idx].tocsr(), self.items[idx], self._documents)

    def __repr__(self) -> str:
        return f"Incidence({self.shape[0]:,} documents x {self.shape[1]:,} items, {self.matrix.nnz:,} entries)"


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
    flat = pc.list_flatten(lists)  # the values of the valid lists, in row order
    uniques, codes = _item_codes(flat, transform)
    m = _binary_csr(_row_ends(lists), codes, (n, len(uniques)))
    docs = None if documents is None else np.asarray(documents, dtype=object)
    return Incidence(m, np.asarray(uniques, dtype=object), docs)


def _item_codes(flat: pa.Array, transform=None) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct items of the flat values (after ``transform``) and the column of each
    value (int32; -1 for a null value or one the transform maps to null). Arrow
    dictionary-encodes the values: Python sees the distinct values only (the transform and
    the sort too)."""
    enc = pc.dictionary_encode(flat)
    distinct = enc.dictionary if transform is None else transform(enc.dictionary)
    dvalid = np.asarray(pc.is_valid(distinct).to_numpy(zero_copy_only=False), dtype=bool)
    dvalues = np.asarray(distinct.to_numpy(zero_copy_only=False), dtype=object)[dvalid]
    uniques, inverse = np.unique(dvalues, return_inverse=True) if len(dvalues) else (np.zeros(0, dtype=object), np.zeros(0, np.int64))
    code_of = np.full(len(distinct) + 1, -1, dtype=np.int32)  # the last slot: null values
    code_of[np.flatnonzero(dvalid)] = inverse
    indices = enc.indices if enc.indices.null_count == 0 else pc.fill_null(enc.indices, len(distinct))
    return uniques, code_of[indices.to_numpy(zero_copy_only=False)]


def _row_ends(lists: pa.Array) -> np.ndarray:
    """Position in ``list_flatten(lists)`` where each row's values end (int64; null lists hold none)."""
    lens = pc.list_value_length(lists)
    if lens.null_count:
        lens = pc.fill_null(lens, 0)
    return np.cumsum(lens.to_numpy(zero_copy_only=False), dtype=np.int64)


def _binary_csr(ends: np.ndarray, codes: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    """Canonical binary int32 CSR of the values ``codes`` (column per flat value, -1: dropped)
    whose rows end at ``ends``: built in CSR layout (indptr from the kept values before each
    row's end), sorted and deduplicated in place by scipy; equal to
    ``csr_matrix((ones, (rows, codes)))`` with summed duplicates set to 1 (tested)."""
    keep = codes >= 0
    idx_dtype = np.int32 if max(shape[1], len(codes)) < 2**31 - 1 else np.int64
    kept = np.zeros(len(codes) + 1, dtype=idx_dtype)  # kept values before each position
    np.cumsum(keep, out=kept[1:])
    indptr = np.zeros(shape[0] + 1, dtype=idx_dtype)
    indptr[1:] = kept[ends]
    indices = codes[keep].astype(idx_dtype, copy=False)
    m = sp.csr_matrix((np.ones(len(indices), dtype=np.int32), indices, indptr), shape=shape)
    m.sum_duplicates()  # sorts each row's columns, merges repeated items
    m.data[:] = 1  # binary
    return m


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
