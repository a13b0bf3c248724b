"""Main path analysis of citation networks (Hummon & Doreian 1989; Batagelj 2003; Liu & Lu 2012).

Arcs point from the **cited** document to the **citing** one (the direction in which knowledge
flows), so sources are the oldest documents and sinks the newest. The pipeline is:

1. :func:`citation_dag` collapses duplicate arcs, removes self-loops and breaks cycles
   deterministically (every removed arc is reported), then orders the nodes topologically by
   *levels* (Kahn's algorithm, one frontier at a time).
2. :func:`arc_weights` gives the traversal weights SPC, SPLC and SPNP of every arc from four
   node counts (N-, N+, N-a, N+a), each one pass over the levels.
3. :func:`global_main_path`, :func:`local_main_path` (forward / backward) and
   :func:`key_route_main_path` extract main paths; ties are always kept, so each result is a
   subgraph (:class:`MainPath`), exportable to networkx and printable as text.

Everything is vectorised with numpy / scipy: the only Python loops run over topological levels
(the depth of the network), never over arcs, nodes or paths. Arcs are grouped by counting sorts
(:func:`_grouped`) and indices are int32 below 2**31 nodes, so time is O(n + m) per sort and per
sweep; memory O(n + m). A search evaluates its own measure on every arc and the three measures
on the arcs of the path only. Definitions, the cycle rule, tie handling
and the reference check are in ``docs/methods.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, connected_components

__all__ = [
    "MEASURES",
    "CitationDAG",
    "MainPath",
    "citation_dag",
    "break_cycles",
    "topological_levels",
    "node_counts",
    "arc_weights",
    "exact_arc_weights",
    "global_main_path",
    "local_main_path",
    "key_route_main_path",
    "main_path",
]

#: Traversal weights computed by :func:`arc_weights`.
MEASURES = ("spc", "splc", "spnp")

#: Relative tolerance under which two weights (or two path weights) count as tied.
TIE_RTOL = 1e-12

_REMOVED_COLUMNS = ["src", "dst", "src_label", "dst_label", "reason", "component"]


# --------------------------------------------------------------------------- input


def _index_dtype(n: int):
    """int32 node and arc indices while they fit (half the memory and bandwidth of int64)."""
    return np.int32 if n < np.iinfo(np.int32).max else np.int64


def _int_array(a, name: str) -> np.ndarray:
    a = np.asarray(a)
    if a.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if a.size == 0:
        return np.zeros(0, dtype=np.int64)
    if not np.issubdtype(a.dtype, np.integer):
        if np.issubdtype(a.dtype, np.floating) and np.all(np.isfinite(a)) and np.all(a == np.round(a)):
            a = a.astype(np.int64)
        else:
            raise TypeError(f"{name} must hold integer node indices, not {a.dtype}")
    return a


def _arcs_from_input(src, dst, n):
    """(src, dst, n) from two index arrays or from a square scipy.sparse adjacency; the index
    arrays in :func:`_index_dtype` (not copied when they already are)."""
    if sp.issparse(src):
        if dst is not None:
            raise TypeError("pass either a sparse adjacency or two arrays src, dst, not both")
        if src.shape[0] != src.shape[1]:
            raise ValueError(f"the adjacency must be square, not {src.shape}")
        if n is not None and n != src.shape[0]:
            raise ValueError(f"n={n} does not match the adjacency shape {src.shape}")
        coo = sp.coo_array(src)
        nz = np.asarray(coo.data) != 0
        it = _index_dtype(src.shape[0])
        return coo.row[nz].astype(it), coo.col[nz].astype(it), src.shape[0]
    if dst is None:
        raise TypeError("dst is required when src is not a sparse adjacency")
    s, d = _int_array(src, "src"), _int_array(dst, "dst")
    if s.shape != d.shape:
        raise ValueError(f"src and dst differ in length ({s.size} != {d.size})")
    hi = int(max(s.max(initial=-1), d.max(initial=-1))) + 1
    if n is None:
        n = hi
    n = int(n)
    if s.size and (min(s.min(), d.min()) < 0 or hi > n):
        raise ValueError(f"node indices must lie in [0, {n})")
    it = _index_dtype(n)
    return s.astype(it, copy=False), d.astype(it, copy=False), n


def _check_dates(n: int, dates):
    """``dates`` as a one-value-per-node array (or None)."""
    if dates is None:
        return None
    d = dates.to_numpy() if isinstance(dates, (pd.Series, pd.Index)) else np.asarray(dates)
    if d.shape != (n,):
        raise ValueError(f"dates must have one value per node ({n}), not shape {d.shape}")
    return d


def _rank(n: int, dates) -> np.ndarray:
    """Position of every node in the deterministic node order: by date (missing last), then index."""
    idx = np.arange(n)
    d = _check_dates(n, dates)
    if d is None:
        return idx
    if np.issubdtype(d.dtype, np.datetime64):
        missing = np.isnat(d)
        key = d.astype("datetime64[ns]").astype(np.int64)
    elif np.issubdtype(d.dtype, np.number) or d.dtype == bool:
        key = d.astype(np.float64)
        missing = np.isnan(key)
    else:
        t = pd.to_datetime(pd.Series(d, dtype=object), errors="coerce").to_numpy()
        missing = np.isnat(t)
        key = t.astype("datetime64[ns]").astype(np.int64)
    key = np.where(missing, 0, key)
    order = np.lexsort((idx, key, missing))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = idx
    return rank


# --------------------------------------------------------------------------- topological levels


def _ragged_positions(starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, s + l)`` for every (s, l), without a Python loop."""
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.cumsum(lens) - lens
    return np.repeat(starts - offsets, lens) + np.arange(total, dtype=np.int64)


def _grouped(key: np.ndarray, kmax: int) -> tuple[np.ndarray, np.ndarray]:
    """(perm, indptr): ``perm`` is ``np.argsort(key, kind="stable")`` for integer keys in
    [0, kmax], and ``perm[indptr[k]:indptr[k + 1]]`` are the positions holding key ``k``.

    A counting sort, O(m + kmax) instead of O(m log m): scipy's COO -> CSR conversion (one C
    pass) places the entries row by row in input order, here row ``key[i]`` and column ``i``, so
    the CSR column indices are the positions sorted by key, ties by position. Indices are int32
    below 2**31 entries.
    """
    m = key.size
    it = _index_dtype(max(m, int(kmax) + 1))
    if m == 0:
        return np.zeros(0, dtype=it), np.zeros(int(kmax) + 2, dtype=it)
    if bool((key[1:] >= key[:-1]).all()):  # already grouped (e.g. arcs sorted by source): no sort
        indptr = np.zeros(int(kmax) + 2, dtype=it)
        np.cumsum(np.bincount(key, minlength=int(kmax) + 1), out=indptr[1:])
        return np.arange(m, dtype=it), indptr
    a = sp.csr_array((np.ones(m, dtype=np.int8), (key.astype(it, copy=False), np.arange(m, dtype=it))),
                     shape=(int(kmax) + 1, m))
    return a.indices, a.indptr


def _stable_argsort(key: np.ndarray, kmax: int) -> np.ndarray:
    """``np.argsort(key, kind="stable")`` for integer keys in [0, kmax] (counting sort, :func:`_grouped`)."""
    return _grouped(key, kmax)[0]


def _levels(src: np.ndarray, dst: np.ndarray, n: int) -> np.ndarray:
    """Kahn's algorithm frontier by frontier; level -1 marks nodes on or behind a cycle."""
    level = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return level
    perm, indptr = _grouped(src, n - 1)
    heads = dst[perm]
    del perm
    indeg = np.bincount(dst, minlength=n)
    frontier = np.flatnonzero(indeg == 0)
    k = 0
    while frontier.size:
        level[frontier] = k
        if frontier.size == 1:  # fast path for thin (chain-like) parts of the network
            f = int(frontier[0])
            t = heads[indptr[f]:indptr[f + 1]]
        else:
            starts = indptr[frontier]
            t = heads[_ragged_positions(starts, indptr[frontier + 1] - starts)]
        if t.size == 0:
            break
        np.subtract.at(indeg, t, 1)
        ready = t[indeg[t] == 0]  # a node entered by several frontier arcs appears repeatedly
        frontier = np.unique(ready) if ready.size > 1 else ready
        k += 1
    return level


def topological_levels(src, dst=None, n: int | None = None) -> np.ndarray:
    """Topological level of every node: 0 for nodes without incoming arcs, else 1 + the largest
    level of their predecessors (the length of the longest path reaching them).

    Computed by Kahn's algorithm one frontier at a time (numpy over each frontier). Raises
    ``ValueError`` when the graph has a cycle (use :func:`break_cycles` or :func:`citation_dag`).
    """
    s, d, n = _arcs_from_input(src, dst, n)
    level = _levels(s, d, n)
    if (level < 0).any():
        raise ValueError(f"the graph has cycles ({int((level < 0).sum())} nodes cannot be ordered)")
    return level


# --------------------------------------------------------------------------- cleaning and cycles


def _break_cycles(s, d, n, dates):
    """(keep mask, component, levels of the kept graph). ``component`` is None when no arc closes
    a cycle, else the strong component of every arc removed for a cycle (-1 elsewhere); a removed
    arc is a self-loop when ``s == d``, else a cycle arc. The date order (:func:`_rank`) and the
    arc copies are made only when there is something to remove."""
    keep = s != d
    component, rank = None, None
    for _ in range(n + 1):
        ks, kd = (s, d) if keep.all() else (s[keep], d[keep])
        level = _levels(ks, kd, n)
        if (level >= 0).all():
            break
        if rank is None:
            rank = _rank(n, dates)
            component = np.full(s.size, -1, dtype=np.int64)
        a = sp.csr_array((np.ones(ks.size, dtype=np.int8), (ks, kd)), shape=(n, n))
        _, comp = connected_components(a, directed=True, connection="strong")
        size = np.bincount(comp, minlength=n)
        back = (comp[ks] == comp[kd]) & (size[comp[ks]] > 1) & (rank[ks] > rank[kd])
        idx = np.flatnonzero(keep)[back]
        keep[idx] = False
        component[idx] = comp[s[idx]]
    return keep, component, level


def break_cycles(src, dst=None, n: int | None = None, *, dates=None, labels=None):
    """Make a citation graph acyclic, deterministically.

    Rule: nodes are ordered by ``dates`` (earliest first, missing dates last), ties and undated
    graphs by node index. Within every strongly connected component of more than one node
    (scipy ``connected_components(connection="strong")``) the arcs whose source comes **later**
    in that order than their target (a document "cited" by an older one) are removed. The order is
    total, so the remaining arcs of a component follow it and the graph is acyclic after one
    round; the round is repeated, as a safeguard, until Kahn's algorithm orders every node.
    Self-loops are removed first. Arcs outside cycles are never touched, even when they go back
    in time.

    Duplicated arcs are *not* handled here (:func:`citation_dag` collapses them first); a
    duplicated cycle arc is removed, and reported, once per copy.

    Returns
    -------
    keep : numpy.ndarray of bool, one per input arc
    removed : pandas.DataFrame
        Columns ``src, dst, src_label, dst_label, reason`` (``"self-loop"`` or ``"cycle"``) and
        ``component`` (the strong component the arc closed a cycle in; -1 for self-loops), in
        input order.
    """
    s, d, n = _arcs_from_input(src, dst, n)
    _check_dates(n, dates)
    keep, component, _ = _break_cycles(s, d, n, dates)
    return keep, _removed_table(s, d, _labels(n, labels), keep, component)


def _removed_table(s, d, lab, keep, component) -> pd.DataFrame:
    removed = np.flatnonzero(~keep)
    rs, rd = s[removed].astype(np.int64), d[removed].astype(np.int64)
    return pd.DataFrame(
        {
            "src": rs,
            "dst": rd,
            "src_label": lab[rs],
            "dst_label": lab[rd],
            "reason": np.where(rs == rd, "self-loop", "cycle").astype(str),
            "component": (np.full(removed.size, -1, dtype=np.int64) if component is None
                          else component[removed]),
        },
        columns=_REMOVED_COLUMNS,
    )


def _labels(n: int, labels) -> np.ndarray:
    if labels is None:
        return np.arange(n)
    lab = labels.to_numpy() if isinstance(labels, (pd.Series, pd.Index)) else np.asarray(labels)
    if lab.shape != (n,):
        raise ValueError(f"labels must have one value per node ({n}), not shape {lab.shape}")
    return lab


# --------------------------------------------------------------------------- the DAG


@dataclass
class _Sweep:
    """Arcs sorted for one propagation direction: grouped by the node that receives values
    (``to``), groups ordered by that node's level (ascending forwards, descending backwards)."""

    perm: np.ndarray  # arc positions in sweep order
    frm: np.ndarray  # node each sorted arc reads from
    starts: np.ndarray  # first sorted arc of each group
    lens: np.ndarray  # arcs per group
    targets: np.ndarray  # receiving node of each group
    segments: list  # (arc0, arc1, group0, group1) per level, in processing order

    @classmethod
    def build(cls, frm, to, rank, level, descending: bool):
        """``rank``: position of every node in a topological order (by level)."""
        m, n = frm.size, rank.size
        key = rank[to]
        if descending:
            key = (n - 1) - key
        perm, indptr = _grouped(key, max(n - 1, 0))  # one group per receiving node, in rank order
        del key
        size = np.diff(indptr)
        has = np.flatnonzero(size)
        starts, lens = indptr[has], size[has]
        targets = to[perm[starts]]
        glev = level[targets]
        gnew = np.ones(starts.size, dtype=bool)
        gnew[1:] = glev[1:] != glev[:-1]
        g0 = np.flatnonzero(gnew)
        g1 = np.append(g0[1:], starts.size)
        a0 = starts[g0]
        a1 = np.append(starts, m)[g1]
        segments = list(zip(a0.tolist(), a1.tolist(), g0.tolist(), g1.tolist()))
        return cls(perm, frm[perm], starts, lens, targets, segments)

    # Two counts are propagated at once. They are stored as the real and imaginary parts of one
    # complex128 vector: numpy gathers and scatters 1-D arrays about ten times faster than the
    # rows of an (n, 2) array, and complex addition adds both parts.

    def sum(self, base: np.ndarray) -> np.ndarray | None:
        """X[v] = base[v] + sum of X over the arcs into v (in this sweep's direction), for the two
        columns of ``base`` (n, 2); None as soon as a value overflows float64."""
        b = np.ascontiguousarray(base, dtype=np.float64).view(np.complex128).ravel()
        x = b.copy()
        for a0, a1, g0, g1 in self.segments:
            t = self.targets[g0:g1]
            v = b[t] + np.add.reduceat(x[self.frm[a0:a1]], self.starts[g0:g1] - a0)
            if v.view(np.float64).max() == np.inf:
                return None
            x[t] = v
        return x.view(np.float64).reshape(-1, 2)

    def sum_exact(self, base: np.ndarray) -> np.ndarray:
        """The recursion of :meth:`sum` on one column of Python integers (object array): exact at
        any size, about ten times slower than the float sweep."""
        x = np.array(base, dtype=object)
        for a0, a1, g0, g1 in self.segments:
            t = self.targets[g0:g1]
            x[t] = base[t] + np.add.reduceat(x[self.frm[a0:a1]], self.starts[g0:g1] - a0)
        return x

    def logsum(self, logbase: np.ndarray) -> np.ndarray:
        """The same recursion on base-2 logarithms (log-sum-exp), which cannot overflow."""
        lb = np.ascontiguousarray(logbase, dtype=np.float64)
        x = lb.view(np.complex128).ravel().copy()
        for a0, a1, g0, g1 in self.segments:
            t = self.targets[g0:g1]
            v = x[self.frm[a0:a1]].view(np.float64).reshape(-1, 2)
            idx = self.starts[g0:g1] - a0
            mx = np.maximum.reduceat(v, idx, axis=0)
            v -= np.repeat(mx, self.lens[g0:g1], axis=0)
            s = np.add.reduceat(np.exp2(v, out=v), idx, axis=0)
            r = np.logaddexp2(np.take(lb, t, axis=0), mx + np.log2(s))
            x[t] = r.view(np.complex128).ravel()
        return x.view(np.float64).reshape(-1, 2)

    def max_path(self, w_arcs: np.ndarray, n: int) -> np.ndarray:
        """X[v] = max over arcs (u, v) of X[u] + w(u, v); 0 where no arc enters."""
        x = np.zeros(n)
        for a0, a1, g0, g1 in self.segments:  # the weights gathered level by level: no arc-sized copy
            v = x[self.frm[a0:a1]] + w_arcs[self.perm[a0:a1]]
            x[self.targets[g0:g1]] = np.maximum.reduceat(v, self.starts[g0:g1] - a0)
        return x

    def group_max(self, w_arcs: np.ndarray, n: int) -> np.ndarray:
        """Largest weight among the arcs of each receiving node (-inf where none)."""
        out = np.full(n, -np.inf)
        if self.perm.size:
            out[self.targets] = np.maximum.reduceat(w_arcs[self.perm], self.starts)
        return out


@dataclass
class CitationDAG:
    """An acyclic citation network ready for main path analysis (build with :func:`citation_dag`).

    Attributes
    ----------
    n : int
        Number of nodes (documents); isolated nodes included.
    src, dst : numpy.ndarray of int32 (int64 from 2**31 nodes on)
        The kept arcs (cited -> citing), in input order (first occurrence of duplicates).
    labels : numpy.ndarray
        Node labels (default: the node indices).
    level : numpy.ndarray of int64
        Topological level of every node (0 = no incoming arc).
    removed : pandas.DataFrame
        Arcs removed to break cycles and self-loops (see :func:`break_cycles`).
    n_input_arcs, n_duplicates : int
        Arcs given, and extra copies of repeated arcs that were collapsed.
    dates : numpy.ndarray or None
    """

    n: int
    src: np.ndarray
    dst: np.ndarray
    labels: np.ndarray
    level: np.ndarray
    removed: pd.DataFrame
    n_input_arcs: int = 0
    n_duplicates: int = 0
    dates: np.ndarray | None = None
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    # -- structure
    @property
    def m(self) -> int:
        """Number of arcs."""
        return int(self.src.size)

    @property
    def depth(self) -> int:
        """Number of topological levels."""
        return int(self.level.max(initial=-1)) + 1

    @property
    def indegree(self) -> np.ndarray:
        if "indegree" not in self._cache:
            self._cache["indegree"] = np.bincount(self.dst, minlength=self.n)
        return self._cache["indegree"]

    @property
    def outdegree(self) -> np.ndarray:
        if "outdegree" not in self._cache:
            self._cache["outdegree"] = np.bincount(self.src, minlength=self.n)
        return self._cache["outdegree"]

    @property
    def sources(self) -> np.ndarray:
        """Nodes with outgoing but no incoming arcs (isolated nodes excluded)."""
        return np.flatnonzero((self.indegree == 0) & (self.outdegree > 0))

    @property
    def sinks(self) -> np.ndarray:
        """Nodes with incoming but no outgoing arcs (isolated nodes excluded)."""
        return np.flatnonzero((self.outdegree == 0) & (self.indegree > 0))

    def topological_order(self) -> np.ndarray:
        """Node indices by level, then index."""
        return _stable_argsort(self.level, self.depth)

    def summary(self) -> dict:
        r = self.removed["reason"]
        return {
            "nodes": self.n,
            "input_arcs": self.n_input_arcs,
            "duplicate_arcs": self.n_duplicates,
            "self_loops": int((r == "self-loop").sum()),
            "cycle_arcs_removed": int((r == "cycle").sum()),
            "arcs": self.m,
            "sources": int(self.sources.size),
            "sinks": int(self.sinks.size),
            "levels": self.depth,
        }

    def _sweep(self, direction: str) -> _Sweep:
        if direction not in self._cache:
            if "rank" not in self._cache:
                it = _index_dtype(self.n)
                rank = np.empty(self.n, dtype=it)
                rank[self.topological_order()] = np.arange(self.n, dtype=it)
                self._cache["rank"] = rank
            rank = self._cache["rank"]
            if direction == "forward":  # values flow src -> dst, in increasing level
                self._cache[direction] = _Sweep.build(self.src, self.dst, rank, self.level, False)
            else:  # values flow dst -> src, in decreasing level
                self._cache[direction] = _Sweep.build(self.dst, self.src, rank, self.level, True)
        return self._cache[direction]

    # -- weights
    def node_counts(self) -> pd.DataFrame:
        """See :func:`node_counts`."""
        return node_counts(self)

    def weights(self, normalize: bool = False) -> pd.DataFrame:
        """See :func:`arc_weights` (cached)."""
        key = ("weights", bool(normalize))
        if key not in self._cache:
            try:
                self._cache[key] = arc_weights(self, normalize=normalize)
            except OverflowError as e:
                self._cache[key] = e
        if isinstance(self._cache[key], OverflowError):
            raise self._cache[key]
        return self._cache[key]

    def _path_weights(self) -> "_Weights":
        """How the weights used to select paths are computed: from raw counts, or normalised ones
        when the counts overflow (path selection is invariant to a constant factor per measure).
        Only the measure a search uses is evaluated on every arc (:meth:`_path_weight`); the
        arcs of a path get all three. Cached."""
        key = ("path_weights",)
        if key not in self._cache:
            try:
                self._cache[key] = _weights(self, False)
            except OverflowError:
                self._cache[key] = _weights(self, True)
        return self._cache[key]

    def _path_weight(self, name: str) -> np.ndarray:
        """The measure ``name`` of every arc, as :meth:`_path_weights` computes it (cached)."""
        key = ("path_weight", name)
        if key not in self._cache:
            self._cache[key] = _measure(self._path_weights(), name, self.src, self.dst)
        return self._cache[key]


def citation_dag(src, dst=None, n: int | None = None, *, labels=None, dates=None) -> CitationDAG:
    """Clean a citation graph into a :class:`CitationDAG`.

    Parameters
    ----------
    src, dst : array-like of int
        Arcs from the cited node ``src[i]`` to the citing node ``dst[i]``; or ``src`` a square
        ``scipy.sparse`` adjacency (``A[i, j] != 0`` for an arc i -> j) and ``dst`` omitted.
    n : int, optional
        Number of nodes (default: largest index + 1, or ``len(labels)``).
    labels : array-like, optional
        One label per node (e.g. publication numbers).
    dates : array-like, optional
        One date per node (datetime64, strings, or numbers such as years); used only to break
        cycles (see :func:`break_cycles`).

    Steps: duplicate arcs collapsed (first occurrence kept, count in ``n_duplicates``),
    self-loops and cycle arcs removed (table in ``removed``), topological levels computed.

    Examples
    --------
    >>> dag = citation_dag([0, 1, 2, 2], [1, 2, 0, 3])
    >>> dag.removed[["src", "dst", "reason"]].values.tolist()
    [[2, 0, 'cycle']]
    >>> dag.level.tolist()
    [0, 1, 2, 3]
    """
    if n is None and labels is not None and not sp.issparse(src):
        n = len(labels)
    s, d, n = _arcs_from_input(src, dst, n)
    lab = _labels(n, labels)
    _check_dates(n, dates)
    n_input = int(s.size)
    if s.size:
        s, d = _dedupe(s, d, n)
    n_dup = n_input - int(s.size)
    keep, component, level = _break_cycles(s, d, n, dates)
    removed = _removed_table(s, d, lab, keep, component)
    if len(removed):
        s, d = s[keep], d[keep]
    del keep
    dts = None
    if dates is not None:
        dts = dates.to_numpy() if isinstance(dates, (pd.Series, pd.Index)) else np.asarray(dates)
    return CitationDAG(n, s, d, lab, level, removed, n_input, n_dup, dts)


def _dedupe(s: np.ndarray, d: np.ndarray, n: int):
    """Drop repeated arcs, keeping the first occurrence (input order preserved)."""
    if _strictly_increasing(s, d):  # e.g. a CitationGraph's arcs: sorted and unique already
        return s, d
    code = s * np.int64(n) + d
    srt = np.sort(code)
    rep = srt[1:] == srt[:-1]
    if not rep.any():
        return s, d
    dup = srt[1:][rep]
    # candidates: arcs whose source and target both occur in a repeated arc (cheap gathers)
    src_hit = np.zeros(n, dtype=bool)
    src_hit[dup // n] = True
    dst_hit = np.zeros(n, dtype=bool)
    dst_hit[dup % n] = True
    cand = np.flatnonzero(src_hit[s] & dst_hit[d])
    sub = code[cand]
    o = np.argsort(sub, kind="stable")
    later = np.zeros(o.size, dtype=bool)
    later[1:] = sub[o][1:] == sub[o][:-1]
    keep = np.ones(s.size, dtype=bool)
    keep[cand[o][later]] = False
    return s[keep], d[keep]


def _strictly_increasing(s: np.ndarray, d: np.ndarray) -> bool:
    """Whether the arcs are sorted by (s, d) without repeats (O(m), no sort)."""
    if s.size < 2:
        return True
    a, b = s[:-1], s[1:]
    return bool(((b > a) | ((b == a) & (d[1:] > d[:-1]))).all())


def _as_dag(x) -> CitationDAG:
    if isinstance(x, CitationDAG):
        return x
    if sp.issparse(x):
        return citation_dag(x)
    if isinstance(x, tuple) and len(x) in (2, 3):
        return citation_dag(*x)
    raise TypeError("expected a CitationDAG, a sparse adjacency or a tuple (src, dst[, n])")


# --------------------------------------------------------------------------- weights


def _counts(dag: CitationDAG, log: bool):
    """(F, B): F[:, 0] = N-, F[:, 1] = N-a; B[:, 0] = N+, B[:, 1] = N+a (base-2 logs if log).

    Without ``log``, (None, None) when a count overflows float64."""
    fbase = np.ones((dag.n, 2))
    fbase[:, 0] = dag.indegree == 0
    bbase = np.ones((dag.n, 2))
    bbase[:, 0] = dag.outdegree == 0
    fw, bw = dag._sweep("forward"), dag._sweep("backward")
    if not log:
        with np.errstate(over="ignore", invalid="ignore"):
            f = fw.sum(fbase)
            return (None, None) if f is None else (f, bw.sum(bbase))
    with np.errstate(divide="ignore"):
        return fw.logsum(np.log2(fbase)), bw.logsum(np.log2(bbase))


def node_counts(dag) -> pd.DataFrame:
    """Path counts per node (float64; ``inf`` where they overflow).

    ``n_minus`` (N-): paths from a source to the node (1 at a source); ``n_plus`` (N+): paths from
    the node to a sink (1 at a sink); ``n_minus_a`` (N-a): paths from *any* node to it, the empty
    path included (1 + the sum over predecessors); ``n_plus_a`` (N+a): likewise to any node.
    """
    dag = _as_dag(dag)
    f, b = _counts(dag, log=False)
    if f is None or b is None:
        lf, lb = _counts(dag, log=True)
        with np.errstate(over="ignore"):
            f, b = np.exp2(lf), np.exp2(lb)  # inf where the count overflows
    return pd.DataFrame(
        {"node": np.arange(dag.n), "label": dag.labels, "level": dag.level,
         "n_minus": f[:, 0], "n_plus": b[:, 0], "n_minus_a": f[:, 1], "n_plus_a": b[:, 1]}
    )


def arc_weights(dag, *, normalize: bool = False) -> pd.DataFrame:
    """Traversal weights of every arc (Hummon & Doreian 1989; Batagelj 2003).

    For an arc (u, v): ``SPC = N-(u) N+(v)`` (source-to-sink paths through it),
    ``SPLC = N-a(u) N+(v)`` (paths from any node to a sink through it),
    ``SPNP = N-a(u) N+a(v)`` (paths from any node to any node through it); see
    :func:`node_counts` for N-, N+, N-a, N+a.

    Counts are float64: exact up to 2**53 (about 9e15), relative precision 1e-16 beyond. When a
    count overflows float64 (past 1.8e308), ``normalize=False`` raises ``OverflowError`` (the
    sweep stops at the first overflowing level), while ``normalize=True`` recomputes the counts
    as base-2 logarithms (log-sum-exp), which cannot overflow; shares below 1e-308 then
    underflow to 0.

    Parameters
    ----------
    dag : CitationDAG (or what :func:`citation_dag` accepts as a tuple / sparse adjacency)
    normalize : bool
        Divide each measure by its total number of paths: SPC by the source-to-sink paths,
        SPLC by the paths (of one arc or more) ending at a sink, SPNP by all paths of one arc or
        more. Each normalised weight is the share of those paths that use the arc, in [0, 1].

    Returns
    -------
    pandas.DataFrame
        One row per arc of ``dag`` (same order): ``src, dst, src_label, dst_label, spc, splc,
        spnp``. ``attrs["total_paths"]`` holds the three totals as floats or, when they overflow,
        ``attrs["log_total_paths"]`` their natural logarithms; ``attrs["normalized"]`` the flag.
    """
    dag = _as_dag(dag)
    spc, splc, spnp, attrs = _arc_values(dag, normalize)
    return _arc_frame(dag, None, spc, splc, spnp, attrs)


class _Weights(NamedTuple):
    """The node counts the arc weights are products of, and how they are scaled."""

    f: np.ndarray  # (n, 2): N-, N-a (base-2 logarithms when log)
    b: np.ndarray  # (n, 2): N+, N+a (likewise)
    log: bool  # counts overflowed float64: weights are shares of all paths, from logs
    scale: np.ndarray | list | None  # totals dividing each measure (log: their base-2 logs); None: raw
    attrs: dict


#: The counts of each measure: (column of F at the source, column of B at the target).
_FACTORS = {"spc": (0, 0), "splc": (1, 0), "spnp": (1, 1)}


def _weights(dag: "CitationDAG", normalize: bool) -> _Weights:
    """The counts and totals of :func:`arc_weights` (OverflowError without ``normalize`` when a
    count overflows float64)."""
    s, d = dag.src, dag.dst
    sources = (dag.indegree == 0) & (dag.outdegree > 0)
    sinks = (dag.outdegree == 0) & (dag.indegree > 0)
    f, b = _counts(dag, log=False)
    ok = f is not None and b is not None
    if ok:
        with np.errstate(over="ignore", invalid="ignore"):
            totals = np.array([b[sources, 0].sum(), (f[sinks, 1] - 1).sum(), (f[:, 1] - 1).sum()])
        ok = bool(np.isfinite(totals).all() and _finite_products(f[:, 1], s, b[:, 1], d))  # spnp >= spc, splc
    attrs = {"normalized": bool(normalize)}
    if ok:
        attrs["total_paths"] = dict(zip(MEASURES, totals.tolist()))
        return _Weights(f, b, False, totals if normalize else None, attrs)
    if not normalize:
        raise OverflowError("path counts exceed float64 (1.8e308); use normalize=True (log space)")
    lf, lb = _counts(dag, log=True)
    with np.errstate(divide="ignore"):
        lfa = lf[:, 1] + np.log1p(-np.exp2(-lf[:, 1])) / np.log(2)  # log2(N-a - 1)
    ltot = [_logsumexp2(lb[sources, 0]), _logsumexp2(lfa[sinks]), _logsumexp2(lfa)]
    attrs["log_total_paths"] = dict(zip(MEASURES, (float(x * np.log(2)) for x in ltot)))
    return _Weights(lf, lb, True, ltot, attrs)


def _finite_products(f: np.ndarray, s: np.ndarray, b: np.ndarray, d: np.ndarray, chunk: int = 1 << 20) -> bool:
    """Whether ``f[s] * b[d]`` is finite for every arc (counts are >= 0: when ``max f * max b`` is
    finite, so is every product; else evaluated in chunks, without arc-sized temporaries)."""
    with np.errstate(over="ignore", invalid="ignore"):
        if s.size == 0 or np.isfinite(f.max() * b.max()):
            return True
        return all(np.isfinite(f[s[i:i + chunk]] * b[d[i:i + chunk]]).all() for i in range(0, s.size, chunk))


def _measure(wt: _Weights, name: str, s: np.ndarray, d: np.ndarray) -> np.ndarray:
    """The weight ``name`` of the arcs (s, d): ``F[s, i] * B[d, j]`` (:func:`arc_weights`), scaled."""
    i, j = _FACTORS[name]
    k = MEASURES.index(name)
    fs, b = np.ascontiguousarray(wt.f[:, i])[s], np.ascontiguousarray(wt.b[:, j])  # 1-D gathers
    if wt.log:
        _combine_gathered(np.add, fs, b, d)
        fs -= wt.scale[k]
        return np.exp2(fs, out=fs)
    with np.errstate(over="ignore", invalid="ignore"):
        x = _combine_gathered(np.multiply, fs, b, d)
    if wt.scale is not None and wt.scale[k] > 0:
        x = x / wt.scale[k]
    return x


def _combine_gathered(op, x: np.ndarray, values: np.ndarray, idx: np.ndarray, chunk: int = 1 << 20) -> np.ndarray:
    """``x = op(x, values[idx])`` in place, block by block: the same numbers as the whole-array
    expression without its arc-sized gathered temporary."""
    for i in range(0, x.size, chunk):
        xs = x[i:i + chunk]
        op(xs, values[idx[i:i + chunk]], out=xs)
    return x


def _arc_values(dag: "CitationDAG", normalize: bool):
    """(spc, splc, spnp, attrs) of every arc: the numbers of :func:`arc_weights`."""
    wt = _weights(dag, normalize)
    return (*(_measure(wt, m, dag.src, dag.dst) for m in MEASURES), wt.attrs)


def _arc_frame(dag: "CitationDAG", idx, spc, splc, spnp, attrs) -> pd.DataFrame:
    """The arc table of :func:`arc_weights` for the arcs ``idx`` (None: all); ``spc, splc, spnp``
    are already those of ``idx``. Labels are looked up for these arcs only; ``src, dst`` are int64
    whatever the DAG's index type."""
    s, d = (dag.src, dag.dst) if idx is None else (dag.src[idx], dag.dst[idx])
    s, d = s.astype(np.int64, copy=False), d.astype(np.int64, copy=False)
    default = dag._cache.get("default_labels")
    if default is None:
        default = dag._cache["default_labels"] = bool(
            dag.labels.dtype.kind in "iu" and np.array_equal(dag.labels, np.arange(dag.n))
        )
    sl, dl = (s, d) if default else (dag.labels[s], dag.labels[d])
    table = pd.DataFrame(
        {"src": s, "dst": d, "src_label": sl, "dst_label": dl, "spc": spc, "splc": splc, "spnp": spnp},
        copy=False,
    )
    table.attrs.update(attrs)
    return table


#: Largest integer up to which every float64 integer is exact (2**53).
EXACT_FLOAT_INT = 2 ** 53


def exact_arc_weights(dag, arcs=None) -> pd.DataFrame:
    """Exact SPC, SPLC and SPNP as Python integers, for printing counts past float64's 2**53.

    The node counts N-, N-a, N+, N+a (see :func:`node_counts`) are propagated with Python
    integers over the same topological sweeps as :func:`arc_weights`, so every digit is right
    at any size (float64 keeps 15-16 significant digits and overflows past 1.8e308). The
    sweeps visit every arc once with object arithmetic, about ten times slower than the
    float sweep; call it for the few arcs of a main path.

    Parameters
    ----------
    dag : CitationDAG (or what :func:`citation_dag` accepts)
    arcs : array-like of int, optional
        Rows of the DAG's arc table (the ``arc`` column of :attr:`MainPath.arcs`); default all.

    Returns
    -------
    pandas.DataFrame
        ``arc, src, dst, src_label, dst_label, spc, splc, spnp`` with object columns of ``int``.

    Examples
    --------
    >>> k = 60  # a chain of 60 diamonds: 2**60 source-to-sink paths
    >>> src = [3 * i + j for i in range(k) for j in (0, 0, 1, 2)]
    >>> dst = [3 * i + j for i in range(k) for j in (1, 2, 3, 3)]
    >>> exact_arc_weights(citation_dag(src, dst), [0])["spc"].tolist() == [2 ** 59]
    True
    """
    dag = _as_dag(dag)
    idx = np.arange(dag.m) if arcs is None else np.asarray(arcs, dtype=np.int64)
    fw, bw = dag._sweep("forward"), dag._sweep("backward")
    one = np.ones(dag.n, dtype=np.int64)
    n_minus = fw.sum_exact((dag.indegree == 0).astype(np.int64))
    n_minus_a = fw.sum_exact(one)
    n_plus = bw.sum_exact((dag.outdegree == 0).astype(np.int64))
    n_plus_a = bw.sum_exact(one)
    s, d = dag.src[idx].astype(np.int64), dag.dst[idx].astype(np.int64)
    return pd.DataFrame({
        "arc": idx, "src": s, "dst": d, "src_label": dag.labels[s], "dst_label": dag.labels[d],
        "spc": n_minus[s] * n_plus[d], "splc": n_minus_a[s] * n_plus[d], "spnp": n_minus_a[s] * n_plus_a[d],
    })


def _logsumexp2(x: np.ndarray) -> float:
    x = x[np.isfinite(x)]
    if x.size == 0:
        return -np.inf
    mx = x.max()
    return float(mx + np.log2(np.exp2(x - mx).sum()))


# --------------------------------------------------------------------------- main paths


@dataclass
class MainPath:
    """A main path: the subgraph of a :class:`CitationDAG` made of the selected arcs (all ties kept).

    Attributes
    ----------
    kind : str
        ``"global"``, ``"local-forward"``, ``"local-backward"``, ``"key-route-local"`` or
        ``"key-route-global"``.
    weight : str
        The measure used (``"spc"``, ``"splc"``, ``"spnp"``, or ``"custom"``).
    arcs : pandas.DataFrame
        The selected arcs in topological order: ``arc`` (row in the DAG's arc table), ``src,
        dst, src_label, dst_label, spc, splc, spnp`` and ``weight`` (the measure used).
    nodes : numpy.ndarray of int
        Nodes of the subgraph in topological order (level, then index).
    path_weight : float or None
        Global search: the total weight of the best source-to-sink path (each of the tied best
        paths has it). Key-route searches: the key-route threshold weight. Otherwise None.
    """

    kind: str
    weight: str
    arcs: pd.DataFrame
    nodes: np.ndarray
    path_weight: float | None
    dag: CitationDAG = field(repr=False)
    #: True when path counts overflowed float64 and the weights are shares of all paths.
    normalized: bool = False

    @property
    def node_labels(self) -> list:
        return self.dag.labels[self.nodes].tolist()

    @property
    def total_weight(self) -> float:
        """Sum of the weights of all arcs of the subgraph."""
        return float(self.arcs["weight"].sum())

    def is_chain(self) -> bool:
        """True when the subgraph is a single path."""
        return len(self.arcs) == len(self.nodes) - 1 and (
            len(self.arcs) == 0
            or (self.arcs["src"].is_unique and self.arcs["dst"].is_unique)
        )

    def to_networkx(self):
        """The subgraph as a ``networkx.DiGraph``; node keys are the labels when they are unique,
        else the indices; node attributes ``index, label, level``; arc attributes ``spc, splc,
        spnp, weight``."""
        import networkx as nx

        g = nx.DiGraph(kind=self.kind, measure=self.weight, path_weight=self.path_weight)
        labels = self.dag.labels
        use_labels = pd.Index(labels).is_unique
        names = dict(zip(self.nodes.tolist(), labels[self.nodes].tolist()))
        key = names.__getitem__ if use_labels else int
        for i, lev in zip(self.nodes.tolist(), self.dag.level[self.nodes].tolist()):
            g.add_node(key(i), index=i, label=names[i], level=lev)
        cols = [c for c in ("spc", "splc", "spnp", "weight") if c in self.arcs]
        rec = self.arcs[["src", "dst", *cols]].to_dict("records")
        g.add_edges_from((key(r["src"]), key(r["dst"]), {c: float(r[c]) for c in cols}) for r in rec)
        return g

    def render(self, max_arcs: int = 60) -> str:
        """Plain-text rendering (for the CLI)."""
        title = {
            "global": "Global main path",
            "local-forward": "Local forward main path",
            "local-backward": "Local backward main path",
            "key-route-local": "Key-route main path (local search)",
            "key-route-global": "Key-route main path (global search)",
        }.get(self.kind, self.kind)
        head = f"{title} by {self.weight.upper()}: {len(self.nodes)} nodes, {len(self.arcs)} arcs"
        if self.kind == "global" and self.path_weight is not None:
            head += f", path weight {_fmt(self.path_weight)}"
        lines = [head]
        if len(self.arcs) == 0:
            return "\n".join(lines + ["  (empty)"])
        if self.is_chain():
            labels = [str(x) for x in self.dag.labels[self.nodes[: max_arcs + 1]].tolist()]
            more = len(self.nodes) - len(labels)
            lines.append("  " + " -> ".join(labels) + (f" -> ... ({more} more)" if more else ""))
        rows = self.arcs[["src_label", "dst_label", "weight"]].to_numpy(dtype=object)
        width = max(len(str(a)) for a in rows[:max_arcs, 0])
        for a, b, w in rows[:max_arcs]:
            lines.append(f"  {str(a):<{width}} -> {b}  {_fmt(w)}")
        if len(rows) > max_arcs:
            lines.append(f"  ... {len(rows) - max_arcs} more arcs")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


def _fmt(x) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else f"{x:.6g}"


def _weight_vector(dag: CitationDAG, weight):
    """(name, weights, w): how the reported arc weights are computed, and the weight vector."""
    if isinstance(weight, str):
        name = weight.lower()
        if name not in MEASURES:
            raise ValueError(f"weight must be one of {MEASURES} or an array, not {weight!r}")
        return name, dag._path_weights(), dag._path_weight(name)
    w = np.asarray(weight, dtype=np.float64)
    if w.shape != (dag.m,):
        raise ValueError(f"weight array must have one value per arc ({dag.m})")
    if not np.isfinite(w).all():
        raise ValueError("weights must be finite")
    return "custom", dag._path_weights(), w


def _reach(n: int, frm: np.ndarray, to: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Nodes reachable from ``starts`` (included) along the arcs frm -> to."""
    mask = np.zeros(n, dtype=bool)
    if starts.size == 0:
        return mask
    starts = np.unique(starts)
    rows = np.concatenate([frm, np.full(starts.size, n)])
    cols = np.concatenate([to, starts])
    g = sp.csr_array((np.ones(rows.size, dtype=np.int8), (rows, cols)), shape=(n + 1, n + 1))
    found = breadth_first_order(g, n, directed=True, return_predecessors=False)
    mask[found[found < n]] = True
    return mask


def _near_max(w: np.ndarray, best: np.ndarray, rtol: float) -> np.ndarray:
    return w >= best - rtol * np.abs(best)


def _result(dag, kind, name, wt, w, sel, path_weight) -> MainPath:
    idx = np.flatnonzero(sel)
    s, d = dag.src[idx], dag.dst[idx]
    order = np.lexsort((d, s, dag.level[s]))
    idx = idx[order]
    s, d = s[order], d[order]
    arcs = _arc_frame(dag, idx, *(_measure(wt, m, s, d) for m in MEASURES), {})
    arcs.insert(0, "arc", idx)
    arcs["weight"] = w[idx]
    arcs.attrs = {}
    nodes = np.unique(np.concatenate([s, d])).astype(np.int64)
    nodes = nodes[np.lexsort((nodes, dag.level[nodes]))]
    normalized = name != "custom" and bool(wt.attrs.get("normalized", False))
    return MainPath(kind, name, arcs, nodes, path_weight, dag, normalized)


def _best(dag: CitationDAG, name: str, w: np.ndarray):
    """(best_to, best_from): heaviest path weight from a source to each node / from each node to
    a sink (cached per measure)."""
    key = ("best", name)
    if name != "custom" and key in dag._cache:
        return dag._cache[key]
    out = dag._sweep("forward").max_path(w, dag.n), dag._sweep("backward").max_path(w, dag.n)
    if name != "custom":
        dag._cache[key] = out
    return out


def global_main_path(dag, weight="spc", *, rtol: float = TIE_RTOL) -> MainPath:
    """The source-to-sink path(s) of largest total weight (Liu & Lu 2012, "global search").

    Dynamic programming over the topological levels: ``best_to[v]`` (heaviest path from a source
    to v) forwards and ``best_from[v]`` (heaviest path from v to a sink) backwards; the optimum
    is ``max best_from[source]``, and an arc (u, v) lies on an optimal path exactly when
    ``best_to[u] + w(u, v) + best_from[v]`` equals the optimum (within ``rtol``). All tied
    optimal paths are kept; ``path_weight`` is the optimum.
    """
    dag = _as_dag(dag)
    name, wt, w = _weight_vector(dag, weight)
    if dag.m == 0:
        return _result(dag, "global", name, wt, w, np.zeros(0, bool), 0.0)
    bt, bf = _best(dag, name, w)
    sel, opt = _on_best_paths(bt, w, bf, dag.src, dag.dst, rtol)
    return _result(dag, "global", name, wt, w, sel, opt)


def _through(bt: np.ndarray, w: np.ndarray, bf: np.ndarray, src: np.ndarray, dst: np.ndarray, i: int, j: int):
    """``bt[src] + w + bf[dst]`` (the weight of the heaviest source-to-sink path through each
    arc) for the arcs ``i:j``, added in that order."""
    t = bt[src[i:j]]
    t += w[i:j]
    t += bf[dst[i:j]]
    return t


def _on_best_paths(bt, w, bf, src, dst, rtol: float, chunk: int = 1 << 20) -> tuple[np.ndarray, float]:
    """(sel, opt): ``opt`` the largest :func:`_through` weight, ``sel`` the arcs whose weight
    reaches ``opt - rtol * |opt|``. Block by block (the path weights are computed twice rather
    than kept for every arc): the numbers of the whole-array expression."""
    blocks = range(0, src.size, chunk)
    opt = float(np.max([_through(bt, w, bf, src, dst, i, i + chunk).max() for i in blocks]))
    low = opt - rtol * abs(opt)
    sel = np.empty(src.size, dtype=bool)
    for i in blocks:
        np.greater_equal(_through(bt, w, bf, src, dst, i, i + chunk), low, out=sel[i:i + chunk])
    return sel, opt


def _choices(dag, name, w, rtol):
    """Arcs that are the heaviest out of their source node (out) and into their target (in)."""
    key = ("choices", name, rtol)
    if name != "custom" and key in dag._cache:
        return dag._cache[key]
    max_out = dag._sweep("backward").group_max(w, dag.n)
    max_in = dag._sweep("forward").group_max(w, dag.n)
    out = _near_max(w, max_out[dag.src], rtol), _near_max(w, max_in[dag.dst], rtol)
    if name != "custom":
        dag._cache[key] = out
    return out


def local_main_path(dag, weight="spc", direction: str = "forward", *, rtol: float = TIE_RTOL) -> MainPath:
    """Local (greedy) main path search (Hummon & Doreian 1989; Verspagen 2007).

    ``direction="forward"``: start at the heaviest arc(s) leaving a source, then from each
    reached node follow its heaviest outgoing arc(s) until sinks. ``"backward"``: start at the
    heaviest arc(s) entering a sink and follow the heaviest incoming arc(s) back to sources.
    Ties (within ``rtol``) are all followed, so the result may branch.
    """
    dag = _as_dag(dag)
    if direction not in ("forward", "backward"):
        raise ValueError("direction must be 'forward' or 'backward'")
    name, wt, w = _weight_vector(dag, weight)
    kind = f"local-{direction}"
    if dag.m == 0:
        return _result(dag, kind, name, wt, w, np.zeros(0, bool), None)
    out_ok, in_ok = _choices(dag, name, w, rtol)
    if direction == "forward":
        ends = (dag.indegree == 0)[dag.src]
        best = w[ends].max()
        start = ends & _near_max(w, best, rtol)
        reached = _reach(dag.n, dag.src[out_ok], dag.dst[out_ok], dag.dst[start])
        sel = start | (out_ok & reached[dag.src])
    else:
        ends = (dag.outdegree == 0)[dag.dst]
        best = w[ends].max()
        start = ends & _near_max(w, best, rtol)
        reached = _reach(dag.n, dag.dst[in_ok], dag.src[in_ok], dag.src[start])
        sel = start | (in_ok & reached[dag.dst])
    return _result(dag, kind, name, wt, w, sel, None)


def key_route_main_path(dag, k: int = 10, weight="spc", search: str = "local", *, rtol: float = TIE_RTOL) -> MainPath:
    """Key-route main paths (Liu & Lu 2012).

    The key routes are the ``k`` heaviest arcs (all arcs tied with the k-th are included). From
    each key route (u, v) the path is extended forwards from v to sinks and backwards from u to
    sources, and the union is returned:

    * ``search="local"``: following the heaviest outgoing (forwards) / incoming (backwards)
      arcs, ties all followed (key-route local search);
    * ``search="global"``: along the heaviest paths v -> sink and source -> u (key-route global
      search), i.e. the best source-to-sink path through each key route.

    ``path_weight`` is the weight of the k-th key route (the threshold).
    """
    dag = _as_dag(dag)
    if search not in ("local", "global"):
        raise ValueError("search must be 'local' or 'global'")
    if int(k) < 1:
        raise ValueError("k must be >= 1")
    name, wt, w = _weight_vector(dag, weight)
    kind = f"key-route-{search}"
    if dag.m == 0:
        return _result(dag, kind, name, wt, w, np.zeros(0, bool), None)
    kk = min(int(k), dag.m)
    thr = float(np.partition(w, dag.m - kk)[dag.m - kk])
    key = _near_max(w, thr, rtol)
    if search == "local":
        fwd_ok, back_ok = _choices(dag, name, w, rtol)
    else:
        bt, bf = _best(dag, name, w)
        back_ok = _near_max(bt[dag.src] + w, bt[dag.dst], rtol)  # on a best path source -> dst
        fwd_ok = _near_max(w + bf[dag.dst], bf[dag.src], rtol)  # on a best path src -> sink
    fr = _reach(dag.n, dag.src[fwd_ok], dag.dst[fwd_ok], dag.dst[key])
    br = _reach(dag.n, dag.dst[back_ok], dag.src[back_ok], dag.src[key])
    sel = key | (fwd_ok & fr[dag.src]) | (back_ok & br[dag.dst])
    return _result(dag, kind, name, wt, w, sel, thr)


def main_path(dag, kind: str = "global", weight="spc", *, k: int = 10, rtol: float = TIE_RTOL) -> MainPath:
    """Dispatch by name: ``"global"``, ``"local-forward"``, ``"local-backward"``,
    ``"key-route"`` (= ``"key-route-local"``) or ``"key-route-global"``."""
    if kind == "global":
        return global_main_path(dag, weight, rtol=rtol)
    if kind in ("local-forward", "local-backward"):
        return local_main_path(dag, weight, kind.split("-")[1], rtol=rtol)
    if kind in ("key-route", "key-route-local", "key-route-global"):
        search = "global" if kind.endswith("global") else "local"
        return key_route_main_path(dag, k, weight, search, rtol=rtol)
    raise ValueError(f"unknown main path kind {kind!r}")
