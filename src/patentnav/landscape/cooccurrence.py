"""Co-classification (co-occurrence) networks of IPC/CPC codes, and their normalisation.

From a binary documents x items incidence ``X`` (:mod:`patentnav.landscape.incidence`)
the raw co-occurrence matrix is ``C = X'X``: ``C[i, j]`` (i != j) is the number of documents
carrying both items, ``C[i, i]`` the number of documents carrying item ``i`` (its
*occurrences*). ``C`` is computed by enumerating each document's pairs (vectorised, see
:func:`_upper_keys`) and kept sparse: 1M documents over 650 subclasses give a 650 x 650
matrix, and at subgroup level a 70k x 70k matrix stays sparse.

Normalisations (van Eck, N.J. & Waltman, L. 2009, *How to normalize cooccurrence data? An
analysis of some well-known similarity measures*, JASIST 60(8): 1635-1651), for an edge
``i != j`` with ``c = C[i, j]``:

``"association"`` (default; VOSviewer's association strength)
    ``AS_ij = 2m * c_ij / (s_i * s_j)`` with ``s_i = sum_{j != i} C[i, j]`` the *total
    link strength* of ``i`` (row sum of ``C`` without its diagonal) and
    ``2m = sum_i s_i`` (every co-occurrence counted from both ends). This is VOSviewer's
    convention (Waltman, van Eck & Noyons 2010, J. Informetrics 4: 629-635) and,
    identically, EconGeo's ``relatedness(method = "association")``:
    ``(c_ij / T) / ((S_i / T) (S_j / T)) = c_ij T / (S_i S_j)`` with the diagonal zeroed and
    ``T = sum(C)`` = ``2m``. ``AS_ij = 1`` is the number of co-occurrences expected if
    the items co-occurred at random given their total link strengths; > 1 is more.
``"cosine"``
    ``c_ij / sqrt(n_i n_j)`` with ``n_i = C[i, i]`` the occurrences: the cosine of the two
    binary incidence columns (Salton's cosine). In [0, 1].
``"jaccard"``
    ``c_ij / (n_i + n_j - c_ij)``: the Jaccard index of the two document sets. In [0, 1].
``None``
    No strength; only counts.

Cosine and Jaccard here use occurrences (documents per item), which makes them the textbook
set similarities; EconGeo's ``cosine`` and ``jaccard`` use the co-occurrence totals ``S_i``
instead and therefore differ. See ``docs/methods.md``.

Order of operations (documented because it changes numbers):

1. node filter: items with fewer than ``min_occurrences`` documents are dropped (the
   incidence columns are removed before the product);
2. ``C`` over the kept items; ``s_i``, ``2m`` and the strengths are computed on this matrix,
   as VOSviewer does on the network of the items that pass its occurrence threshold;
3. edge filters: edges with ``c_ij < min_count`` or strength ``< min_strength`` are
   removed; this does not change ``s_i``, ``2m`` or any other edge's strength. Nodes left
   without edges stay (isolated) nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field as _field
from functools import lru_cache

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .incidence import Incidence, code_incidence

__all__ = ["association_strength", "CoOccurrence", "cooccurrence", "cooccurrence_from_pairs", "to_networkx", "NORMALIZATIONS"]

NORMALIZATIONS: tuple[str, ...] = ("association", "cosine", "jaccard")


@dataclass
class CoOccurrence:
    """A co-occurrence network: raw counts, strengths and item labels.

    Attributes
    ----------
    counts : scipy.sparse.csr_matrix, shape (n, n), int64, symmetric
        Off-diagonal: documents carrying both items (edges that passed the filters only);
        diagonal: documents carrying the item (``occurrences``).
    strength : scipy.sparse.csr_matrix, shape (n, n), float64, symmetric, or None
        The chosen normalisation on the same off-diagonal pattern as ``counts`` (zero
        diagonal). None when ``normalize=None``.
    items : numpy.ndarray of str
        Node labels (codes), sorted.
    occurrences : numpy.ndarray of int64
        Documents per item (``n_i``, the diagonal of ``counts``).
    link_strength : numpy.ndarray of int64
        Total link strength ``s_i = sum_{j != i} C[i, j]`` before the edge filters (the
        ``s_i`` of the association strength; VOSviewer's "total link strength").
    total : int
        ``2m = sum_i s_i`` (``T`` in EconGeo), before the edge filters.
    normalize : str or None
    n_documents : int
        Rows of the incidence the matrix was computed from.
    field, level : str or None
        Where the items came from (None for an :class:`Incidence` given directly).
    """

    counts: sp.csr_matrix
    strength: sp.csr_matrix | None
    items: np.ndarray
    occurrences: np.ndarray
    link_strength: np.ndarray
    total: int
    normalize: str | None
    n_documents: int
    field: str | None = None
    level: str | None = None
    params: dict = _field(default_factory=dict)

    @property
    def n_nodes(self) -> int:
        return len(self.items)

    @property
    def n_edges(self) -> int:
        """Undirected edges (pairs ``i < j`` with a nonzero count)."""
        return int(self.counts.nnz - np.count_nonzero(self.counts.diagonal())) // 2

    def __repr__(self) -> str:
        what = f"{self.field} {self.level}" if self.field else "items"
        return (f"CoOccurrence({what}: {self.n_nodes:,} nodes, {self.n_edges:,} edges, "
                f"{self.n_documents:,} documents, normalize={self.normalize!r})")

    def _upper(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
        """(rows, cols, counts, strengths) of the upper triangle, sorted by (row, col)."""
        C = self.counts
        rows = np.repeat(np.arange(C.shape[0]), np.diff(C.indptr))
        up = C.indices > rows
        r, c, d = rows[up], C.indices[up].astype(np.int64), C.data[up]
        w = None
        if self.strength is not None:
            S = self.strength
            srows = np.repeat(np.arange(S.shape[0]), np.diff(S.indptr))
            sup = S.indices > srows
            if not (np.array_equal(srows[sup], r) and np.array_equal(S.indices[sup], c)):
                raise ValueError("counts and strength have different edges")
            w = S.data[sup]
        return r, c, d, w

    def edges(self) -> pd.DataFrame:
        """One row per undirected edge (``source < target`` in item order).

        Columns ``source``, ``target`` (labels), ``count`` and, when normalised,
        ``strength``.
        """
        r, c, d, s = self._upper()
        df = pd.DataFrame({"source": self.items[r], "target": self.items[c], "count": d.astype(np.int64)})
        if s is not None:
            df["strength"] = s
        return df

    def nodes(self) -> pd.DataFrame:
        """One row per item: ``item``, ``occurrences``, ``link_strength``, ``degree``."""
        r, c, _, _ = self._upper()
        degree = np.bincount(r, minlength=self.n_nodes) + np.bincount(c, minlength=self.n_nodes)
        return pd.DataFrame({"item": self.items, "occurrences": self.occurrences,
                             "link_strength": self.link_strength, "degree": degree})

    def to_networkx(self, titles: bool | None = None):
        """See :func:`to_networkx`."""
        return to_networkx(self, titles=titles)


def _as_incidence(obj, field: str, level: str) -> tuple[Incidence, str | None, str | None]:
    if isinstance(obj, Incidence):
        return obj, None, None
    from ..model.corpus import Corpus

    if isinstance(obj, Corpus):
        return code_incidence(obj, field=field, level=level), field, level
    raise TypeError(f"expected a Corpus or an Incidence, not {type(obj).__name__}")


def cooccurrence(corpus_or_incidence, field: str = "ipc", level: str = "subclass", min_count: int = 1,
                 min_strength: float | None = None, normalize: str | None = "association",
                 min_occurrences: int = 1) -> CoOccurrence:
    """Co-occurrence (co-classification) network of codes.

    Parameters
    ----------
    corpus_or_incidence : Corpus or Incidence
        A corpus (codes of ``field`` truncated to ``level``, see
        :func:`patentnav.landscape.incidence.code_incidence`) or a ready incidence, used as
        is (``field`` and ``level`` are then ignored; any binary documents x items
        incidence works, e.g. applicants).
    field : {"ipc", "cpc"}
    level : {"section", "class", "subclass", "main_group", "subgroup"}
    min_count : int
        Edge filter: keep pairs co-occurring in at least this many documents.
    min_strength : float, optional
        Edge filter on the normalised strength (needs ``normalize``).
    normalize : {"association", "cosine", "jaccard"} or None
        See the module docstring and ``docs/methods.md``.
    min_occurrences : int
        Node filter, applied first: keep items carried by at least this many documents.
        Strengths are computed among the kept items.

    Returns
    -------
    CoOccurrence

    Examples
    --------
    >>> import pyarrow as pa
    >>> from patentnav.landscape.incidence import incidence
    >>> inc = incidence(pa.array([["A", "B"], ["A", "B", "C"], ["A", "C"], ["C"]]))
    >>> co = cooccurrence(inc)
    >>> co.counts.toarray().tolist()
    [[3, 2, 2], [2, 2, 1], [2, 1, 3]]
    >>> co.edges()[["source", "target", "count"]].values.tolist()
    [['A', 'B', 2], ['A', 'C', 2], ['B', 'C', 1]]
    """
    _check_options(normalize, min_count, min_strength, min_occurrences)

    inc, fld, lvl = _as_incidence(corpus_or_incidence, field, level)
    items = np.asarray(inc.items, dtype=object)
    X = _binary(inc.matrix)
    n_docs = X.shape[0]

    # 1. node filter (also drops items no document carries, possible in a hand-made incidence)
    occ = np.bincount(X.indices, minlength=X.shape[1]).astype(np.int64)
    keep = occ >= min_occurrences
    if not keep.all():
        idx = np.flatnonzero(keep)
        X = _binary(X[:, idx])
        items, occ = items[idx], occ[idx]
    n = len(items)

    # 2. C = X'X as CSR-ordered (row, col, value) entries, both triangles and the diagonal;
    #    every kept item has occurrences >= 1, so every row has its diagonal entry
    rows, cols, vals = _full_counts(X, n, occ)
    return _network(rows, cols, vals, items, occ, n_docs, normalize, min_count, min_strength, min_occurrences, fld, lvl)


def cooccurrence_from_pairs(items, occurrences, i, j, counts, n_documents: int, normalize: str | None = "association",
                            min_count: int = 1, min_strength: float | None = None, min_occurrences: int = 1,
                            field: str | None = None, level: str | None = None) -> CoOccurrence:
    """A :class:`CoOccurrence` from counts aggregated elsewhere (e.g. by an out-of-core engine,
    :mod:`patentnav.engine`): the same filters and normalisations as :func:`cooccurrence`.

    Parameters
    ----------
    items : array of str, sorted
        Every item carried by at least one document.
    occurrences : array of int
        Documents per item (``C[i, i]``).
    i, j, counts : arrays of int
        The strictly upper triangle of ``C = X'X``: item indices ``i < j`` and the documents
        carrying both (each pair once).
    n_documents : int
        Documents of the incidence (including those without items).
    """
    _check_options(normalize, min_count, min_strength, min_occurrences)
    items = np.asarray(items, dtype=object)
    occ = np.asarray(occurrences, dtype=np.int64)
    i, j, counts = (np.asarray(a, dtype=np.int64) for a in (i, j, counts))
    keep = occ >= min_occurrences  # node filter: pair counts among kept items do not change
    if not keep.all():
        new = np.cumsum(keep) - 1
        ok = keep[i] & keep[j]
        i, j, counts = new[i[ok]], new[j[ok]], counts[ok]
        items, occ = items[keep], occ[keep]
    n = len(items)
    d = np.flatnonzero(occ != 0)
    C = sp.coo_matrix((np.concatenate([counts, counts, occ[d]]),
                       (np.concatenate([i, j, d]), np.concatenate([j, i, d]))), shape=(n, n)).tocsr()
    C.sum_duplicates()
    C.sort_indices()
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(C.indptr))
    return _network(rows, C.indices.astype(np.int64), C.data.astype(np.int64), items, occ, int(n_documents),
                    normalize, min_count, min_strength, min_occurrences, field, level)


def _check_options(normalize, min_count, min_strength, min_occurrences) -> None:
    if normalize is not None and normalize not in NORMALIZATIONS:
        raise ValueError(f"normalize must be one of {', '.join(NORMALIZATIONS)} or None, not {normalize!r}")
    if min_strength is not None and normalize is None:
        raise ValueError("min_strength needs a normalisation (normalize='association', 'cosine' or 'jaccard')")
    if min_count < 1 or min_occurrences < 1:
        raise ValueError("min_count and min_occurrences must be >= 1")


def _network(rows, cols, vals, items, occ, n_docs, normalize, min_count, min_strength, min_occurrences, fld, lvl):
    """Steps 2-3 of :func:`cooccurrence` on the CSR-ordered entries of ``C``: strengths, edge filters."""
    n = len(items)
    s = np.bincount(rows, weights=vals, minlength=n).astype(np.int64) - occ
    total = int(s.sum())
    w = None
    if normalize is not None:
        with np.errstate(divide="ignore", invalid="ignore"):  # diagonal of isolated items
            if normalize == "association":
                w = _association(vals, rows, cols, s, total)
            elif normalize == "cosine":  # c_ij / sqrt(n_i n_j)
                of = occ.astype(np.float64)
                w = of[rows]
                w *= of[cols]
                np.sqrt(w, out=w)
                np.divide(vals, w, out=w)
            else:  # jaccard: c_ij / (n_i + n_j - c_ij)
                w = (occ[rows] + occ[cols] - vals).astype(np.float64)
                np.divide(vals, w, out=w)

    # 3. edge filters (symmetric: both entries of a pair pass or fail together)
    if min_count > 1 or min_strength is not None:
        diag = rows == cols
        keep = diag | (vals >= min_count)
        if min_strength is not None:
            keep &= diag | (w >= min_strength)
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
        if w is not None:
            w = w[keep]
    idx_dtype = np.int32 if len(rows) < 2**31 else np.int64
    indptr = _indptr(rows, n).astype(idx_dtype)
    cols = cols.astype(idx_dtype, copy=False)
    counts = sp.csr_matrix((vals, cols, indptr), shape=(n, n))
    counts.has_sorted_indices = True
    strength = None
    if w is not None:  # the same entries without the diagonal (one per row)
        off = rows != cols
        strength = sp.csr_matrix((w[off], cols[off], indptr - np.arange(n + 1, dtype=idx_dtype)), shape=(n, n))
        strength.has_sorted_indices = True
    out = CoOccurrence(
        counts=counts, strength=strength, items=items, occurrences=occ, link_strength=s, total=total,
        normalize=normalize, n_documents=n_docs, field=fld, level=lvl,
        params={"min_count": min_count, "min_strength": min_strength, "min_occurrences": min_occurrences},
    )
    return out


# --- the product X'X, by enumerating pairs ---------------------------------------------------------

#: Pair keys are counted in a dense array of n*n integers when n is at most this (<= 32 MiB);
#: above, by sorting. Either way the result is sparse.
_DENSE_KEYS_MAX_ITEMS = 2048
#: Documents are processed in chunks of at most this many pairs (bounds the memory).
_PAIR_CHUNK = 1 << 24
#: Groups of documents with at most this many items are paired row by row (see _pair_keys).
_SMALL_K = 24
#: Documents with more items than this go through a sparse matrix product instead
#: (must stay below 2**15: row lengths are sorted as 16-bit integers).
_HEAVY_ROW = 1024


def _association(vals, rows, cols, s, total) -> np.ndarray:
    """``2m c_ij / (s_i s_j)`` for entries (rows, cols, vals), computed in place of a float buffer."""
    sf = np.asarray(s, dtype=np.float64)
    w = sf[rows]
    w *= sf[cols]
    np.divide(vals, w, out=w)
    w *= total
    return w


def association_strength(C) -> sp.csr_matrix:
    """VOSviewer's association strength ``2m c_ij / (s_i s_j)`` of any symmetric sparse count
    matrix (the diagonal is ignored; ``s_i`` row sums without it, ``2m`` their total), e.g. a
    patent x patent coupling graph. :func:`cooccurrence` uses the same formula."""
    C = sp.csr_matrix(C, dtype=np.float64)
    C.setdiag(0)
    C.eliminate_zeros()
    s = np.asarray(C.sum(axis=1)).ravel()
    coo = C.tocoo()
    with np.errstate(divide="ignore", invalid="ignore"):
        w = _association(coo.data, coo.row, coo.col, s, s.sum())
    out = sp.csr_matrix((w, (coo.row, coo.col)), shape=C.shape)
    out.sort_indices()
    return out


def _binary(m) -> sp.csr_matrix:
    """Canonical (sorted, no duplicates, no explicit zeros) binary int32 CSR (never shares data with ``m``)."""
    if not (sp.issparse(m) and m.format == "csr" and m.has_canonical_format and m.data.all()):
        m = sp.csr_matrix(m, copy=True)
        m.sum_duplicates()
        m.eliminate_zeros()
    return sp.csr_matrix((np.ones(m.nnz, dtype=np.int32), m.indices.astype(np.int32), m.indptr.copy()),
                         shape=m.shape)


def _upper_keys(X: sp.csr_matrix, n: int):
    """The strictly upper triangle of X'X for a canonical binary CSR ``X``, as pair keys ``i * n + j``.

    Returns ``("dense", array of n * n counts)`` when ``n <= _DENSE_KEYS_MAX_ITEMS``, else
    ``("sparse", sorted unique keys, counts)``. Each document's pairs are enumerated with
    vectorised block arithmetic (:func:`_pair_keys`; work proportional to the number of
    pairs, as in a sparse product) and counted by key: several times faster than scipy's
    ``X.T @ X`` at a million documents.
    """
    k = np.diff(X.indptr).astype(np.int64)
    heavy = k > _HEAVY_ROW
    dense = np.zeros(n * n, dtype=np.int64) if n <= _DENSE_KEYS_MAX_ITEMS else None
    key_dtype = np.int32 if n * n < 2**31 else np.int64  # 32-bit keys: less memory traffic
    keys_parts, count_parts = [], []

    light = X[np.flatnonzero(~heavy)] if heavy.any() else X
    pairs = np.diff(light.indptr).astype(np.int64)
    pairs = pairs * (pairs - 1) // 2
    cum = np.cumsum(pairs)
    lo, n_rows = 0, light.shape[0]
    while lo < n_rows:
        done = cum[lo - 1] if lo else 0
        hi = max(int(np.searchsorted(cum, done + _PAIR_CHUNK, side="right")), lo + 1)
        key = _pair_keys(light.indptr, light.indices, lo, hi, n, int(cum[hi - 1] - done), key_dtype)
        lo = hi
        if not len(key):
            continue
        if dense is not None:
            if lo >= n_rows and not keys_parts and done == 0:  # the only chunk: no extra copy
                dense = np.bincount(key, minlength=n * n)
            else:
                dense += np.bincount(key, minlength=n * n)
        else:
            uk, uc = _count_sorted(key)
            keys_parts.append(uk)
            count_parts.append(uc)
            if len(keys_parts) > 1 and sum(map(len, keys_parts)) > 4 * _PAIR_CHUNK:  # bound the memory
                keys_parts, count_parts = map(lambda x: [x], _merge_keys(keys_parts, count_parts))
    if heavy.any():  # documents with very many items: a sparse product over those rows only
        Xh = X[np.flatnonzero(heavy)]
        up = sp.triu(Xh.T.tocsr() @ Xh, k=1).tocoo()
        hk = up.row.astype(np.int64) * n + up.col.astype(np.int64)
        if dense is not None:
            np.add.at(dense, hk, up.data.astype(np.int64))
        else:
            keys_parts.append(hk)
            count_parts.append(up.data.astype(np.int64))

    if dense is not None:
        return "dense", dense
    if not keys_parts:
        return "sparse", np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return ("sparse", *_merge_keys(keys_parts, count_parts))


def _count_sorted(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values (int64, sorted) and their counts; sorts ``key`` in place."""
    key.sort()
    first = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    counts = np.diff(np.append(first, len(key))).astype(np.int64)
    return key[first].astype(np.int64), counts


def _merge_keys(keys_parts: list, count_parts: list) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique keys and summed counts of several (keys, counts) parts."""
    if len(keys_parts) == 1:
        return keys_parts[0], count_parts[0]
    key, inv = np.unique(np.concatenate(keys_parts), return_inverse=True)
    return key, np.bincount(inv, weights=np.concatenate(count_parts)).astype(np.int64)


@lru_cache(maxsize=2048)
def _triu(k: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(k, 1)


def _pair_keys(indptr: np.ndarray, indices: np.ndarray, lo: int, hi: int, n: int, total: int,
               dtype=np.int64) -> np.ndarray:
    """Keys ``a * n + b`` of all pairs (a < b) of items within each of the rows lo..hi-1
    (column indices sorted per row); ``total`` is their number.

    Rows are grouped by length k; a group's items form a (k, m) array (row t: the t-th item
    of each of the m documents). For small k each of the k(k-1)/2 item positions (a, b)
    adds two contiguous rows into the output; for larger k the rows are taken at
    ``triu_indices(k, 1)`` in one step.
    """
    ip = indptr[lo:hi + 1]
    lens = np.diff(ip)
    # rows ordered by length (a stable radix sort on 16-bit lengths: rows here have <= _HEAVY_ROW items)
    order = np.argsort(lens.astype(np.int16), kind="stable")
    sorted_lens = lens[order]
    cuts = np.flatnonzero(np.diff(sorted_lens)) + 1
    starts = ip[:-1][order]
    out = np.empty(total, dtype=dtype)
    pos = 0
    nn = dtype(n)
    for g0, g1 in zip([0, *cuts.tolist()], [*cuts.tolist(), len(lens)]):
        k = int(sorted_lens[g0])
        if k < 2:
            continue
        m = g1 - g0
        items = indices[np.arange(k)[:, None] + starts[None, g0:g1]].astype(dtype, copy=False)
        if k <= _SMALL_K:
            scaled = items * nn
            for a in range(k - 1):
                for b in range(a + 1, k):
                    np.add(scaled[a], items[b], out=out[pos:pos + m])
                    pos += m
        else:
            p, q = _triu(k)
            o = out[pos:pos + m * len(p)].reshape(len(p), m)
            np.multiply(items[p], nn, out=o)
            o += items[q]
            pos += m * len(p)
    return out[:pos]


def _indptr(rows: np.ndarray, n: int) -> np.ndarray:
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return indptr


def _full_counts(X: sp.csr_matrix, n: int, occ: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All nonzero entries of the symmetric ``C = X'X`` (diagonal ``occ``) in CSR order."""
    if n == 0:
        z = np.zeros(0, dtype=np.int64)
        return z, z, z
    got = _upper_keys(X, n) if n > 1 and X.nnz else ("sparse", np.zeros(0, np.int64), np.zeros(0, np.int64))
    if got[0] == "dense":
        full = got[1].reshape(n, n)
        full = full + full.T
        full[np.diag_indices(n)] = occ
        key = np.flatnonzero(full.ravel() != 0)  # on a boolean mask: several times faster
        return key // n, key % n, full.ravel()[key]
    _, key, val = got
    r, c = key // n, key % n
    # layout without sorting: in each row, lower-triangle entries (the upper triangle in CSC
    # order, from scipy's linear csr -> csc pass), then the diagonal, then upper entries
    e = len(key)
    nu = np.bincount(r, minlength=n).astype(np.int64)
    up_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(nu, out=up_ptr[1:])
    t = sp.csr_matrix((np.arange(e, dtype=np.int64), c, up_ptr), shape=(n, n)).tocsc()
    lo_ptr = t.indptr.astype(np.int64)
    nl = np.diff(lo_ptr)
    nd = (occ != 0).astype(np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(nl + nd + nu, out=indptr[1:])
    size = int(indptr[-1])
    rows = np.repeat(np.arange(n, dtype=np.int64), nl + nd + nu)
    cols = np.empty(size, dtype=np.int64)
    vals = np.empty(size, dtype=np.int64)
    lrow = np.repeat(np.arange(n, dtype=np.int64), nl)
    lpos = indptr[lrow] + (np.arange(e, dtype=np.int64) - lo_ptr[lrow])
    cols[lpos] = t.indices
    vals[lpos] = val[t.data]
    upos = indptr[r] + nl[r] + nd[r] + (np.arange(e, dtype=np.int64) - up_ptr[r])
    cols[upos] = c
    vals[upos] = val
    drows = np.flatnonzero(nd)
    dpos = indptr[drows] + nl[drows]
    cols[dpos] = drows
    vals[dpos] = occ[drows]
    return rows, cols, vals

def _titles(result: CoOccurrence, titles: bool | None) -> dict:
    if titles is None:
        titles = result.field in ("ipc", "cpc")
    if not titles:
        return {}
    from ..classify.titles import ipc_title

    out = {}
    for item in result.items:
        t = ipc_title(item) if isinstance(item, str) else None
        if t is not None:
            out[item] = t
    return out


def to_networkx(result: CoOccurrence, titles: bool | None = None):
    """An undirected weighted :class:`networkx.Graph` of a co-occurrence result.

    Nodes are the item labels (codes) with attributes ``label``, ``occurrences``,
    ``link_strength`` and, where the IPC scheme has one, ``title``
    (:func:`patentnav.classify.titles.ipc_title`; CPC-only and post-2020 codes have none).
    Edges carry ``count`` and, when normalised, ``strength``. Isolated nodes (kept items
    without any edge) are included. Pass ``weight="strength"`` (or ``"count"``) to networkx
    algorithms.

    Parameters
    ----------
    titles : bool, optional
        Look up IPC titles; default: when the result was built from a corpus's ``ipc`` or
        ``cpc`` field.
    """
    import networkx as nx

    g = nx.Graph()
    g.graph.update({"field": result.field or "", "level": result.level or "",
                    "normalize": result.normalize or "", "n_documents": int(result.n_documents)})
    tt = _titles(result, titles)
    items = result.items.tolist()
    nodes = []
    for item, n_i, s_i in zip(items, result.occurrences.tolist(), result.link_strength.tolist()):
        attrs = {"label": str(item), "occurrences": n_i, "link_strength": s_i}
        if item in tt:
            attrs["title"] = tt[item]
        nodes.append((item, attrs))
    g.add_nodes_from(nodes)
    r, c, d, s = result._upper()
    us = [items[i] for i in r.tolist()]
    vs = [items[j] for j in c.tolist()]
    if s is None:
        g.add_edges_from(zip(us, vs, ({"count": k} for k in d.tolist())))
    else:
        g.add_edges_from(zip(us, vs, ({"count": k, "strength": x} for k, x in zip(d.tolist(), s.tolist()))))
    return g
