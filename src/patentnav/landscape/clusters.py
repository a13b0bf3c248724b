"""Technology fields: Leiden clustering of co-classification (or text, or coupling) graphs,
the assignment of patents to fields, and a description of every field.

Methods and sources are in ``docs/methods.md``; in short:

* :func:`leiden` runs the Leiden algorithm (Traag, Waltman & van Eck 2019, *From Louvain to
  Leiden: guaranteeing well-connected communities*, Sci. Rep. 9: 5233) of
  ``graspologic-native`` on a symmetric weighted ``scipy.sparse`` matrix, maximising
  modularity at a resolution; deterministic for a seed.
* :func:`modularity` is Newman's weighted modularity
  ``Q = 1/(2m) sum_ij [A_ij - gamma k_i k_j / (2m)] delta(c_i, c_j)``.
* :func:`adjusted_rand_index` (Hubert & Arabie 1985) compares two partitions; the mean
  pairwise ARI over several seeds measures the stability of a clustering.
* :func:`technology_fields` clusters the codes of a corpus on their co-classification graph
  (``X'X`` off the diagonal, association-strength or count weights), assigns each patent to
  the field holding the largest share of its codes and describes each field (size, share,
  growth, age, applicants, cited patents, characteristic codes by lift and terms by
  class-based TF-IDF).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field as _field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from .._arrow import join_text
from .cooccurrence import _binary, association_strength
from .incidence import Incidence, code_incidence, incidence

__all__ = [
    "leiden",
    "modularity",
    "adjusted_rand_index",
    "partition_stability",
    "technology_fields",
    "TechnologyFields",
]

#: Leiden iterations by default: 2 reaches the known optimum of the karate club
#: (Q = 0.4198) for every seed in 0..19, 1 only for about half of them.
DEFAULT_ITERATIONS = 2


# --- graphs and partitions --------------------------------------------------------------------
def _as_adjacency(adjacency) -> sp.csr_matrix:
    """Validated float64 CSR copy: square, symmetric, finite, non-negative, no self-loops."""
    if sp.issparse(adjacency):
        A = sp.csr_matrix(adjacency, dtype=np.float64, copy=True)
    else:
        arr = np.asarray(adjacency, dtype=np.float64)
        if arr.ndim != 2:
            raise ValueError("adjacency must be a 2-d (sparse) matrix")
        A = sp.csr_matrix(arr)
    if A.shape[0] != A.shape[1]:
        raise ValueError(f"adjacency must be square, not {A.shape}")
    A.sum_duplicates()
    if A.nnz:
        if not np.all(np.isfinite(A.data)):
            raise ValueError("adjacency has non-finite weights")
        if A.data.min() < 0:
            raise ValueError("adjacency has negative weights; modularity needs weights >= 0")
    A.setdiag(0)
    A.eliminate_zeros()
    if A.nnz:
        diff = abs(A - A.T)
        if diff.nnz and diff.max() > 1e-9 * A.data.max():
            raise ValueError("adjacency must be symmetric (an undirected graph); use (A + A.T) / 2 or A.maximum(A.T)")
    A.sort_indices()
    return A


def _canonical(raw: np.ndarray) -> np.ndarray:
    """Relabel clusters 0..k-1 by size (descending), then by their smallest node index."""
    raw = np.asarray(raw, dtype=np.int64)
    if raw.size == 0:
        return raw
    _, inv = np.unique(raw, return_inverse=True)
    k = int(inv.max()) + 1
    sizes = np.bincount(inv, minlength=k)
    first = np.full(k, len(inv), dtype=np.int64)
    np.minimum.at(first, inv, np.arange(len(inv)))
    order = np.lexsort((first, -sizes))
    new = np.empty(k, dtype=np.int64)
    new[order] = np.arange(k)
    return new[inv]


def modularity(adjacency, labels, resolution: float = 1.0) -> float:
    """Weighted modularity of a partition (Newman 2004; Reichardt & Bornholdt 2006 resolution).

    ``Q = 1/(2m) * sum_ij [A_ij - gamma * k_i k_j / (2m)] * delta(c_i, c_j)`` with
    ``k_i = sum_j A_ij`` and ``2m = sum_ij A_ij``. Self-loops are ignored (removed, as in
    :func:`leiden`). NaN for a graph without edges.

    Parameters
    ----------
    adjacency : scipy.sparse matrix or 2-d array, symmetric, weights >= 0
    labels : array of int, one community per node
    resolution : float
        ``gamma``; 1 is the standard modularity.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.karate_club_graph()
    >>> A = nx.to_scipy_sparse_array(g, weight=None)
    >>> round(modularity(A, [g.nodes[v]["club"] == "Officer" for v in g]), 4)  # the two clubs
    0.3582
    """
    A = _as_adjacency(adjacency)
    labels = np.asarray(labels)
    if labels.shape != (A.shape[0],):
        raise ValueError(f"labels must have one entry per node ({A.shape[0]}), not shape {labels.shape}")
    _, lab = np.unique(labels, return_inverse=True)
    return _modularity(A, lab, resolution)


def _modularity(A: sp.csr_matrix, lab: np.ndarray, resolution: float = 1.0) -> float:
    two_m = float(A.data.sum())
    if two_m <= 0:
        return float("nan")
    coo = A.tocoo()
    inside = float(coo.data[lab[coo.row] == lab[coo.col]].sum())
    k = np.asarray(A.sum(axis=1)).ravel()
    K = np.bincount(lab, weights=k)
    return inside / two_m - resolution * float(np.dot(K, K)) / (two_m * two_m)


def leiden(adjacency, resolution: float = 1.0, seed: int = 42, iterations: int = DEFAULT_ITERATIONS,
           hierarchical: bool = False, max_cluster_size: int = 1000, randomness: float = 0.001,
           trials: int = 1) -> tuple[np.ndarray, float]:
    """Leiden communities of a weighted undirected graph (``graspologic_native``), maximising
    modularity.

    Parameters
    ----------
    adjacency : scipy.sparse matrix or 2-d array
        Symmetric, weights >= 0; the diagonal (self-loops) is ignored.
    resolution : float
        > 0; higher gives more, smaller communities.
    seed : int
        Seed of graspologic's generator: the same graph, parameters and seed give the same
        labels (checked across processes; see ``tests/test_clusters.py``).
    iterations : int
        Full Leiden cycles, each starting from the previous partition (default 2).
    hierarchical : bool
        Use ``hierarchical_leiden``: communities of ``max_cluster_size`` nodes or more are
        clustered again, recursively; the labels returned are the final (leaf) communities.
    max_cluster_size : int
        See ``hierarchical``.
    randomness : float
        Leiden's refinement randomness (graspologic default 0.001).
    trials : int
        Independent runs, keeping the best (not with ``hierarchical``).

    Returns
    -------
    labels : numpy.ndarray of int64
        Community of every node, numbered 0..k-1 by decreasing size (ties: smallest node
        index first). Nodes without edges are singleton communities.
    modularity : float
        Standard modularity (resolution 1) of ``labels`` by :func:`modularity`, whatever the
        resolution used for the optimisation; NaN for a graph without edges.

    Examples
    --------
    >>> import networkx as nx
    >>> A = nx.to_scipy_sparse_array(nx.karate_club_graph(), weight=None)
    >>> labels, q = leiden(A, seed=42)
    >>> round(q, 4), int(labels.max()) + 1
    (0.4198, 4)
    """
    import graspologic_native as gn

    if resolution <= 0:
        raise ValueError("resolution must be > 0")
    if iterations < 1:
        raise ValueError("iterations must be >= 1")
    A = _as_adjacency(adjacency)
    n = A.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64), float("nan")
    if A.nnz == 0:
        return np.arange(n, dtype=np.int64), float("nan")
    seed = int(seed)
    if hierarchical:
        up = sp.triu(A, k=1).tocoo()
        order = np.lexsort((up.col, up.row))
        edges = [(str(i), str(j), float(w)) for i, j, w in
                 zip(up.row[order].tolist(), up.col[order].tolist(), up.data[order].tolist())]
        clusters = gn.hierarchical_leiden(edges, resolution=float(resolution), randomness=float(randomness),
                                          iterations=int(iterations), use_modularity=True,
                                          max_cluster_size=int(max_cluster_size), seed=seed)
        raw = np.full(n, -1, dtype=np.int64)
        for c in clusters:
            if c.is_final_cluster:
                raw[int(c.node)] = int(c.cluster)
    else:
        _, mapping = gn.leiden_csr(A.indptr.astype(np.int64), A.indices.astype(np.int32), A.data, n,
                                   resolution=float(resolution), randomness=float(randomness),
                                   iterations=int(iterations), use_modularity=True, seed=seed,
                                   trials=int(trials))
        raw = np.full(n, -1, dtype=np.int64)
        nodes = np.fromiter(mapping.keys(), dtype=np.int64, count=len(mapping))
        raw[nodes] = np.fromiter(mapping.values(), dtype=np.int64, count=len(mapping))
    missing = raw < 0  # nodes without edges: their own communities
    if missing.any():
        raw[missing] = raw.max() + 1 + np.arange(int(missing.sum()))
    labels = _canonical(raw)
    _, lab = np.unique(labels, return_inverse=True)
    return labels, _modularity(A, lab, 1.0)


def adjusted_rand_index(a, b) -> float:
    """Adjusted Rand index of two partitions of the same items (Hubert & Arabie 1985).

    From the contingency table ``n_ij`` with row sums ``a_i``, column sums ``b_j``::

        index    = sum_ij C(n_ij, 2)
        expected = sum_i C(a_i, 2) * sum_j C(b_j, 2) / C(n, 2)
        maximum  = (sum_i C(a_i, 2) + sum_j C(b_j, 2)) / 2
        ARI      = (index - expected) / (maximum - expected)

    1 for identical partitions (up to renaming), about 0 for independent ones, negative
    below chance. When the denominator is 0 (both partitions put everything in one cluster,
    or everything in singletons, or n < 2) the result is 1.0, as in scikit-learn.

    >>> adjusted_rand_index([0, 0, 1, 1], [5, 5, 3, 3]), round(adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]), 4)
    (1.0, -0.5)
    """
    a = np.asarray(a)
    b = np.asarray(b)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("the two labelings must be 1-d and of the same length")
    n = a.shape[0]
    if n < 2:
        return 1.0
    _, ia = np.unique(a, return_inverse=True)
    _, ib = np.unique(b, return_inverse=True)
    kb = int(ib.max()) + 1
    _, nij = np.unique(ia.astype(np.int64) * kb + ib, return_counts=True)

    def comb2(x):
        x = np.asarray(x, dtype=np.float64)
        return x * (x - 1.0) / 2.0

    index = comb2(nij).sum()
    sa = comb2(np.bincount(ia)).sum()
    sb = comb2(np.bincount(ib)).sum()
    expected = sa * sb / comb2(n)
    maximum = (sa + sb) / 2.0
    if maximum == expected:
        return 1.0
    return float((index - expected) / (maximum - expected))


def partition_stability(adjacency, seeds=(42, 43, 44, 45, 46), **leiden_kwargs) -> float:
    """Mean pairwise adjusted Rand index of :func:`leiden` labels across seeds (1 = every
    seed gives the same partition)."""
    runs = [leiden(adjacency, seed=s, **leiden_kwargs)[0] for s in seeds]
    return _mean_pairwise_ari(runs)


def _mean_pairwise_ari(runs: list[np.ndarray]) -> float:
    vals = [adjusted_rand_index(runs[i], runs[j]) for i in range(len(runs)) for j in range(i + 1, len(runs))]
    return float(np.mean(vals)) if vals else float("nan")


# --- graph builders ---------------------------------------------------------------------------
def _code_graph(inc: Incidence, weight: str, min_count: int, co=None):
    """(adjacency, codes, occurrences) of the co-classification graph of the kept codes
    (``co``: the same :class:`CoOccurrence`, when an engine has computed it)."""
    from .cooccurrence import cooccurrence

    normalize = "association" if weight == "association" else None
    if co is None:
        co = cooccurrence(inc, normalize=normalize, min_occurrences=min_count)
    elif co.normalize != normalize or co.params.get("min_occurrences") != min_count or co.params.get("min_count", 1) != 1:
        raise ValueError(f"the precomputed co-occurrence must have normalize={normalize!r}, min_occurrences={min_count} "
                         "and no edge filter")
    if weight == "association":
        A = co.strength if co.strength is not None else sp.csr_matrix(co.counts.shape)
    else:
        A = sp.csr_matrix(co.counts, dtype=np.float64, copy=True)
        A.setdiag(0)
        A.eliminate_zeros()
    return sp.csr_matrix(A, dtype=np.float64), np.asarray(co.items, dtype=object), np.asarray(co.occurrences)


def _knn_graph(V: sp.csr_matrix, k: int, max_cells: int = 1 << 24) -> sp.csr_matrix:
    """Symmetric k-nearest-neighbour graph of L2-normalised rows (cosine weights > 0).

    Exact: rows are compared with all rows in dense blocks of at most ``max_cells``
    similarities; each row keeps its ``k`` most similar other rows (ties at the k-th
    similarity: lower index first, so the graph does not depend on the sort algorithm),
    then the graph is made symmetric with ``max(S, S')``.
    """
    n = V.shape[0]
    V = sp.csr_matrix(V, dtype=np.float32)
    VT = V.T.tocsr()
    k = min(k, n - 1)
    if n < 2 or k < 1:
        return sp.csr_matrix((n, n))
    b = max(1, min(n, max_cells // n))
    rows, cols, vals = [], [], []
    for start in range(0, n, b):
        stop = min(n, start + b)
        S = (V[start:stop] @ VT).toarray()
        S[np.arange(stop - start), np.arange(start, stop)] = -np.inf  # no self-loops
        kth = -np.partition(-S, k - 1, axis=1)[:, k - 1]
        gt = S > kth[:, None]
        eq = S == kth[:, None]
        need = k - gt.sum(axis=1)
        take = gt | (eq & (np.cumsum(eq, axis=1, dtype=np.int32) <= need[:, None]))
        take &= S > 0
        r, c = np.nonzero(take)
        rows.append(r + start)
        cols.append(c)
        vals.append(S[r, c].astype(np.float64))
    r, c, d = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    G = sp.csr_matrix((d, (r, c)), shape=(n, n))
    G = G.maximum(G.T).tocsr()
    G.sort_indices()
    return G


# --- technology fields --------------------------------------------------------------------------
@dataclass
class TechnologyFields:
    """Result of :func:`technology_fields`.

    Attributes
    ----------
    fields : pandas.DataFrame
        One row per field, ``field`` 0..k-1, sorted by size (descending) then label:
        ``label``, ``size`` (patents), ``share`` (of the corpus), ``growth`` (CAGR over the
        growth window, NaN when its first year has no patent),
        ``mean_age`` (years), ``n_nodes`` (graph nodes: codes, or patents for the text and
        coupling bases), ``codes`` and ``code_titles`` (characteristic codes by lift),
        ``terms`` (by c-TF-IDF), ``top_applicants`` [(name, patents)], ``top_patents``
        [(publication number, forward citations)].
    labels : numpy.ndarray of int64
        Field of every patent, corpus order; -1 = unassigned.
    publication_numbers : numpy.ndarray of str
    codes : pandas.DataFrame or None
        Co-occurrence basis: one row per graph node (``code``, ``title``, ``occurrences``,
        ``community`` = Leiden community, ``field`` = final field or -1 when its community
        was dissolved or won no patent).
    field_codes, field_terms, yearly : pandas.DataFrame
        Long tables: (field, rank, code, title, patents, support, lift); (field, rank, term,
        weight); (field, year, patents, incomplete) over every year of the corpus (year of
        ``growth_by``; ``incomplete`` as in :func:`patentnav.landscape.trends.annual_counts`).
    quality : dict
        ``modularity`` (of the Leiden partition of the graph), ``n_fields``, ``coverage``
        (share of eligible patents assigned: patents with codes at the level / with text /
        with citations, by basis), ``coverage_all`` (share of the corpus), ``stability``
        (mean pairwise ARI over ``stability_seeds``, or None), ``n_nodes``, ``n_edges``.
    adjacency : scipy.sparse.csr_matrix
        The graph clustered; ``nodes`` its node labels (codes or publication numbers).
    params : dict
        Every parameter, plus ``cutoff``, ``growth_window`` and ``applicant_column`` used.
    """

    fields: pd.DataFrame
    labels: np.ndarray
    publication_numbers: np.ndarray
    codes: pd.DataFrame | None
    field_codes: pd.DataFrame
    field_terms: pd.DataFrame
    yearly: pd.DataFrame
    quality: dict
    adjacency: sp.csr_matrix
    nodes: np.ndarray
    params: dict = _field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.fields)

    def __repr__(self) -> str:
        q = self.quality
        return (f"TechnologyFields({q['n_fields']} fields, basis={self.params.get('basis')!r}, "
                f"modularity {q['modularity']:.3f}, coverage {q['coverage']:.1%})")

    def assignment(self) -> pd.DataFrame:
        """One row per patent: ``publication_number``, ``field`` (-1 unassigned), ``label``."""
        lab = self.fields.set_index("field")["label"]
        return pd.DataFrame({
            "publication_number": self.publication_numbers,
            "field": self.labels,
            "label": pd.Series(self.labels).map(lab).to_numpy(),
        })


def _assign_by_codes(X: sp.csr_matrix, node_labels: np.ndarray, occurrences: np.ndarray,
                     min_size: int) -> np.ndarray:
    """Field of each patent: the community holding most of its (kept) codes.

    ``X`` is the binary patents x codes incidence of the graph's nodes (its entries are
    counted). Ties: the community with more code occurrences (sum over its codes of their
    patents), then the lower community id. Communities that end with fewer than ``min_size``
    patents are dissolved and their patents re-assigned among the others, until none is too
    small. :func:`_assign_communities` on the incidence's own columns.
    """
    node_labels = np.asarray(node_labels, dtype=np.int64)
    return _assign_communities(_binary_rows(X), node_labels, occurrences, min_size)


def _binary_rows(m) -> sp.csr_matrix:
    """``m`` itself when it is a canonical CSR matrix of ones (an :class:`Incidence`'s), else its
    canonical binary copy (:func:`patentnav.landscape.cooccurrence._binary`)."""
    if sp.issparse(m) and m.format == "csr" and m.has_canonical_format and bool((m.data == 1).all()):
        return m
    return _binary(m)


def _assign_communities(X: sp.csr_matrix, community: np.ndarray, occurrences: np.ndarray, min_size: int,
                        node_labels: np.ndarray | None = None) -> np.ndarray:
    """:func:`_assign_by_codes` for a canonical binary CSR incidence ``X`` whose column ``j``
    belongs to community ``community[j]`` (-1: a code outside the graph, ignored);
    ``node_labels`` (default ``community``) and ``occurrences`` are those of the graph's nodes.

    The counts ``M = X P`` (patents x communities) are built from ``X``'s entries without a
    product or a float copy (:func:`_community_counts`); each patent's best community is the
    largest of one integer key per entry, ``count * k + (k - 1 - priority)`` with ``priority``
    the community's place by (occurrences descending, id), per row by ``maximum.reduceat``.
    """
    n = X.shape[0]
    node_labels = community[community >= 0] if node_labels is None else node_labels
    k = int(node_labels.max()) + 1 if len(node_labels) else 0
    if k == 0:
        return np.full(n, -1, dtype=np.int64)
    M = _community_counts(X, community, k)
    weight = np.bincount(node_labels, weights=np.asarray(occurrences).astype(np.float64), minlength=k)
    by_priority = np.lexsort((np.arange(k), -weight))  # communities, the preferred first
    priority = np.empty(k, dtype=np.int64)
    priority[by_priority] = np.arange(k)
    key = M.data.astype(np.int64) * k + (k - 1 - priority[M.indices])
    rows = np.flatnonzero(np.diff(M.indptr))  # patents with a kept code
    starts = M.indptr[:-1][rows]
    alive = np.ones(k, dtype=bool)
    while True:
        best = np.maximum.reduceat(np.where(alive[M.indices], key, -1), starts) if len(rows) else key[:0]
        out = np.full(n, -1, dtype=np.int64)
        got = best >= 0
        out[rows[got]] = by_priority[k - 1 - best[got] % k]
        sizes = np.bincount(out[out >= 0], minlength=k)
        small = alive & (sizes < max(min_size, 1))
        if not small.any():
            return out
        alive &= ~small


def _community_counts(X: sp.csr_matrix, community: np.ndarray, k: int) -> sp.csr_matrix:
    """Patents x communities: the entries of each row of the binary CSR ``X`` in each
    community (``community`` per column, -1: none), i.e. ``X @ P`` for the columns x communities
    indicator ``P``, as canonical int64 CSR without zero entries."""
    c = community[X.indices]
    keep = c >= 0
    kept = np.zeros(len(c) + 1, dtype=np.int64)  # kept entries before each position
    np.cumsum(keep, out=kept[1:])
    M = sp.csr_matrix((np.ones(int(kept[-1]), dtype=np.int64), c[keep], kept[X.indptr]), shape=(X.shape[0], k))
    M.sum_duplicates()  # sorts each row's communities and adds their codes
    return M


def _reference_days(corpus) -> np.ndarray:
    """Days since 1970-01-01 of the earliest priority date, else filing, else publication date
    (NaN when none)."""
    t = corpus.table
    d = pc.coalesce(t["earliest_priority_date"], t["filing_date"], t["publication_date"])
    days = pc.cast(d, pa.int32()).to_numpy(zero_copy_only=False)
    return np.where(pd.isna(days), np.nan, days).astype(np.float64)


def _texts(corpus, text_fields, rows: np.ndarray | None = None) -> pa.Array | None:
    """The ``text_fields`` of every patent (or of ``rows``) joined by a space (Arrow; null where
    all are empty)."""
    if not text_fields:
        return None
    cols = [corpus[col].combine_chunks() for col in text_fields]
    if rows is not None:
        cols = [c.take(pa.array(rows)) for c in cols]
    return join_text([c.cast(pa.large_string()) for c in cols], " ")


def _lexsort_ints(keys) -> np.ndarray:
    """``np.lexsort(keys)`` (last key primary) of non-negative integer keys, as one stable
    argsort of a single int64 key when their ranges multiply to less than 2**63 (one pass
    instead of one per key; the same order)."""
    keys = [np.asarray(k, dtype=np.int64) for k in keys]
    if not len(keys[0]):
        return np.zeros(0, dtype=np.int64)
    spans = [int(k.max()) + 1 for k in keys]
    if int(np.prod([float(s) for s in spans])) >= 2 ** 62 or min(int(k.min()) for k in keys) < 0:
        return np.lexsort(keys)
    combined = np.zeros(len(keys[0]), dtype=np.int64)
    for k, span in zip(reversed(keys), reversed(spans)):
        combined *= span
        combined += k
    return np.argsort(combined, kind="stable")


def _top_applicants(corpus, app_col: str, labels: np.ndarray, k: int, top: int) -> dict:
    """Per field: the ``top`` applicants by documents ``[(name, documents), ...]`` (ties: name),
    from the shared documents x applicants incidence (fields x documents times documents x names)."""
    from ..model.shared import shared
    from .incidence import incidence

    H = shared(corpus, ("list_incidence", app_col), lambda: incidence(corpus.table[app_col]))
    idx = np.flatnonzero(labels >= 0)
    F = sp.csr_matrix((np.ones(len(idx)), (labels[idx], idx)), shape=(k, len(labels)))
    C = (F @ H.matrix).tocoo()  # F is float64: the product is too, no float copy of H
    docs = C.data.astype(np.int64)  # whole counts of documents
    order = _lexsort_ints((C.col, docs.max(initial=0) - docs, C.row))
    r, c, v = C.row[order], C.col[order], C.data[order]
    keep = np.arange(len(r)) - np.searchsorted(r, r, side="left") < top
    r, c, v = r[keep], c[keep], v[keep].astype(np.int64)
    bounds = np.searchsorted(r, np.arange(k + 1))
    names = H.items
    return {f: list(zip(names[c[lo:hi]].tolist(), v[lo:hi].tolist()))
            for f, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:])) if hi > lo}


def _top_cited(corpus, labels: np.ndarray, top: int) -> dict:
    """Per field: the ``top`` patents by forward citations ``[(number, citations or None), ...]``
    (ties: publication number)."""
    from ..model.shared import publication_numbers, publication_rank

    fc = corpus.table["forward_citations"].to_numpy(zero_copy_only=False)
    fc = np.where(pd.isna(fc), -1, fc).astype(np.int64)
    idx = np.flatnonzero(labels >= 0)
    idx = idx[_lexsort_ints((publication_rank(corpus)[idx], fc.max(initial=0) - fc[idx], labels[idx]))]
    f = labels[idx]
    idx = idx[np.arange(len(idx)) - np.searchsorted(f, f, side="left") < top]
    f = labels[idx]
    pubs = publication_numbers(corpus)
    bounds = np.searchsorted(f, np.arange(int(f.max()) + 2 if len(f) else 1))
    return {g: [(pubs[d], (int(fc[d]) if fc[d] >= 0 else None)) for d in idx[lo:hi]]
            for g, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:])) if hi > lo}


#: Share of assigned documents below which :func:`_assigned_term_counts` tokenises their texts only.
_TAKE_TEXTS_SHARE = 0.75


def _assigned_term_counts(corpus, text_fields, labels: np.ndarray, tokens: list | None = None
                          ) -> tuple[sp.csr_matrix, np.ndarray]:
    """Documents x terms counts of the assigned documents (``labels >= 0``; other rows empty)
    and their terms: the terms in at least 2 of these documents, else all of theirs.

    One tokenisation of the texts (``tokens``: token lists already made, one per document), as
    integer codes (:func:`patentnav.text.token_codes`), no Python list per document: of the
    assigned documents' texts only when they are fewer than :data:`_TAKE_TEXTS_SHARE` of all
    (else taking them out costs more than tokenising the others). A term of unassigned
    documents only has no document here and is dropped: the result is the same either way (tested).
    """
    from ..text import token_codes

    keep = labels >= 0
    # the assigned texts are taken out (a copy) only when that saves much tokenising
    assigned = np.flatnonzero(keep) if keep.sum() < _TAKE_TEXTS_SHARE * len(keep) else None
    if tokens is not None:
        texts = tokens if assigned is None else [tokens[i] for i in assigned]
    else:
        texts = _texts(corpus, text_fields, assigned)
    rows, codes, terms = token_codes(texts)
    if assigned is not None:
        rows = assigned[rows]
    dtm = _csr_counts(rows, codes, keep, (len(labels), len(terms)))
    del rows, codes
    df = np.bincount(dtm.indices, minlength=dtm.shape[1])
    cols = np.flatnonzero(df >= 2) if (df >= 2).any() else np.flatnonzero(df)
    return _keep_columns(dtm, cols), terms[cols]


def _csr_counts(rows: np.ndarray, codes: np.ndarray, keep_row: np.ndarray, shape: tuple[int, int]
                ) -> sp.csr_matrix:
    """Canonical int32 CSR counts of the ``(rows[i], codes[i])`` pairs (``rows`` sorted) whose
    row has ``keep_row``: built in place of CSR (indptr from the row counts), no COO copies; equal
    to ``csr_matrix((ones, (rows, codes)))`` with summed duplicates (tested)."""
    indices = codes[keep_row[rows]].astype(np.int32)
    n_row = np.bincount(rows, minlength=shape[0])
    n_row[~keep_row] = 0
    indptr = np.zeros(shape[0] + 1, dtype=np.int32 if len(indices) < 2**31 else np.int64)
    np.cumsum(n_row, out=indptr[1:])
    m = sp.csr_matrix((np.ones(len(indices), dtype=np.int32), indices, indptr), shape=shape)
    m.sum_duplicates()  # sorts the columns of each row and sums repeated terms, in place
    return m


def _keep_columns(m: sp.csr_matrix, cols: np.ndarray) -> sp.csr_matrix:
    """``m[:, cols]`` for sorted distinct ``cols`` of a canonical CSR matrix (columns renumbered,
    order kept), by masking its entries instead of scipy's column indexing copies."""
    new = np.full(m.shape[1], -1, dtype=np.int32)
    new[cols] = np.arange(len(cols), dtype=np.int32)
    idx = new[m.indices]
    ok = idx >= 0
    kept = np.zeros(len(ok) + 1, dtype=m.indptr.dtype)  # kept entries before each position
    np.cumsum(ok, out=kept[1:])
    indptr = kept[m.indptr]
    return sp.csr_matrix((m.data[ok], idx[ok], indptr), shape=(m.shape[0], len(cols)))


def _describe(corpus, labels: np.ndarray, k: int, inc: Incidence, *, n_codes: int, n_terms: int,
              top: int, min_support: float, cutoff, growth_years: int, growth_by: str, text_fields,
              tokens: list | None = None) -> dict:
    """Per-field descriptions for fields 0..k-1 (provisional ids)."""
    from ..classify.titles import ipc_title
    from ..text import class_term_counts, class_tfidf

    t = corpus.table
    n = len(labels)
    assigned = np.flatnonzero(labels >= 0)
    size = np.bincount(labels[assigned], minlength=k)

    # growth and yearly counts: patentnav.landscape.trends (complete years only)
    from .trends import annual_counts, growth as _growth

    days = _reference_days(corpus)
    if cutoff is None:
        cutoff = pc.max(t["publication_date"]).as_py()  # None: no dates at all
    elif isinstance(cutoff, str):
        cutoff = dt.date.fromisoformat(cutoff)
    elif isinstance(cutoff, dt.datetime):
        cutoff = cutoff.date()
    growth = np.full(k, np.nan)
    window = (None, None)
    yearly = pd.DataFrame({"field": pd.Series(dtype=np.int64), "year": pd.Series(dtype=np.int64),
                           "patents": pd.Series(dtype=np.int64), "incomplete": pd.Series(dtype=bool)})
    if cutoff is not None:
        counts = annual_counts(corpus, by=growth_by, cutoff=cutoff, group=labels, group_name="field")
        gr = _growth(counts, window=growth_years)
        if isinstance(gr.cagr, pd.Series):
            growth = gr.cagr.reindex(range(k)).to_numpy(dtype=float)
        window = (gr.start, gr.end)
        y = counts.reset_index().rename(columns={"count": "patents"})
        if len(y):
            yearly = (y[y["field"] >= 0][["field", "year", "patents", "incomplete"]]
                      .sort_values(["field", "year"]).reset_index(drop=True))
    cut_days = (cutoff - dt.date(1970, 1, 1)).days if cutoff is not None else np.nan
    age = (cut_days - days) / 365.25
    age_ok = (labels >= 0) & ~np.isnan(age)
    age_sum = np.bincount(labels[age_ok], weights=age[age_ok], minlength=k)
    age_n = np.bincount(labels[age_ok], minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_age = np.where(age_n > 0, age_sum / np.maximum(age_n, 1), np.nan)

    # applicants (harmonised when the corpus has them)
    app_col = "applicants_harmonized"
    if pc.sum(pc.list_value_length(t[app_col])).as_py() in (None, 0):
        app_col = "applicants"
    top_apps = _top_applicants(corpus, app_col, labels, k, top)
    top_pats = _top_cited(corpus, labels, top)

    # characteristic codes by lift
    X = inc.matrix
    has_code = np.asarray(X.sum(axis=1)).ravel() > 0
    N = int(has_code.sum())
    n_c = np.asarray(X.sum(axis=0)).ravel()
    idx = np.flatnonzero((labels >= 0) & has_code)
    N_f = np.bincount(labels[idx], minlength=k)
    n_cf = class_term_counts(X, labels, k).tocoo()  # fields x codes: patents of the field with the code
    fr, fcode, sup = n_cf.row, n_cf.col, n_cf.data
    lift = (sup / np.maximum(N_f[fr], 1)) / (n_c[fcode] / max(N, 1))
    need = np.maximum(2.0, np.ceil(min_support * N_f[fr]))
    keep = sup >= need
    fr, fcode, sup, lift = fr[keep], fcode[keep], sup[keep], lift[keep]
    order = np.lexsort((inc.items[fcode].astype(str), -sup, -lift, fr))
    fr, fcode, sup, lift = fr[order], fcode[order], sup[order], lift[order]
    start = np.searchsorted(fr, fr, side="left")
    rank = np.arange(len(fr)) - start
    keep = rank < n_codes
    fcodes = pd.DataFrame({
        "field": fr[keep].astype(np.int64), "rank": rank[keep].astype(np.int64) + 1,
        "code": inc.items[fcode[keep]].astype(str), "patents": sup[keep].astype(np.int64),
        "support": sup[keep] / np.maximum(N_f[fr[keep]], 1), "lift": lift[keep],
    })
    fcodes["title"] = [ipc_title(c) for c in fcodes["code"]]
    fcodes = fcodes[["field", "rank", "code", "title", "patents", "support", "lift"]]

    # characteristic terms by class-based TF-IDF
    fterms = pd.DataFrame({"field": pd.Series(dtype=np.int64), "rank": pd.Series(dtype=np.int64),
                           "term": pd.Series(dtype=object), "weight": pd.Series(dtype=np.float64)})
    if text_fields and k:
        dtm, terms = _assigned_term_counts(corpus, text_fields, labels, tokens)
        if dtm.nnz:
            W = class_tfidf(class_term_counts(dtm, labels, k)).tocoo()
            wr, wc, wv = W.row, W.col, W.data
            order = np.lexsort((terms[wc].astype(str), -wv, wr))
            wr, wc, wv = wr[order], wc[order], wv[order]
            rank = np.arange(len(wr)) - np.searchsorted(wr, wr, side="left")
            keep = rank < n_terms
            fterms = pd.DataFrame({"field": wr[keep].astype(np.int64), "rank": rank[keep].astype(np.int64) + 1,
                                   "term": terms[wc[keep]].astype(str), "weight": wv[keep]})

    codes_by = {f: g for f, g in fcodes.groupby("field")}
    terms_by = {f: g["term"].tolist() for f, g in fterms.groupby("field")}
    rows = []
    for f in range(k):
        g = codes_by.get(f)
        codes = g["code"].tolist() if g is not None else []
        ctitles = g["title"].tolist() if g is not None else []
        terms = terms_by.get(f, [])
        label = " / ".join(terms[:3]) if terms else (" / ".join(codes[:2]) if codes else f"field {f}")
        rows.append({
            "label": label, "size": int(size[f]), "share": size[f] / n if n else np.nan,
            "growth": float(growth[f]), "mean_age": float(mean_age[f]),
            "codes": codes, "code_titles": ctitles, "terms": terms,
            "top_applicants": top_apps.get(f, []), "top_patents": top_pats.get(f, []),
        })
    return {
        "rows": rows, "field_codes": fcodes, "field_terms": fterms, "yearly": yearly,
        "cutoff": cutoff, "window": window, "applicant_column": app_col,
    }


def technology_fields(corpus, field: str = "ipc", level: str = "main_group", resolution: float = 1.0,
                      seed: int = 42, min_count: int = 3, weight: str = "association",
                      basis: str = "cooccurrence", *, min_size: int = 5, iterations: int = DEFAULT_ITERATIONS,
                      stability: int = 5, n_codes: int = 5, n_terms: int = 10, top: int = 5,
                      min_support: float = 0.05, cutoff: dt.date | str | None = None, growth_years: int = 5,
                      growth_by: str = "publication",
                      k: int = 10, text_fields: tuple[str, ...] = ("title", "abstract"),
                      incidence: Incidence | None = None, cooccurrence=None) -> TechnologyFields:
    """Technology fields of a corpus: Leiden clusters, patents assigned, fields described.

    Parameters
    ----------
    corpus : Corpus
    field : {"ipc", "cpc"}
        Classification used for the co-occurrence graph and the characteristic codes.
    level : {"section", "class", "subclass", "main_group", "subgroup"}
    resolution : float
        Modularity resolution of :func:`leiden` (higher: more, smaller fields).
    seed : int
        Leiden seed; the result is deterministic for a seed.
    min_count : int
        Co-occurrence basis: codes on fewer patents are left out of the graph (and so do not
        count for the assignment).
    weight : {"association", "count"}
        Edge weights of the code graph (co-occurrence basis) or of the coupling graph:
        association strength ``2m c_ij / (s_i s_j)`` (van Eck & Waltman 2009) or raw counts.
    basis : {"cooccurrence", "text", "coupling"}
        ``"cooccurrence"``: codes are clustered on their co-classification graph and each
        patent goes to the field holding the largest share of its codes (ties: the field with
        more code occurrences, then the lower id; patents without kept codes are unassigned).
        ``"text"``: patents are clustered on the symmetric ``k``-nearest-neighbour cosine
        graph of their TF-IDF vectors (title + abstract; terms in at least 2 and at most 50%
        of the documents). ``"coupling"``: patents are clustered on their bibliographic
        coupling graph (shared ``cited_publications``; Kessler 1963). Patents without text /
        citations, or without any neighbour, are unassigned.
    min_size : int
        Fields with fewer patents are dissolved (co-occurrence: their patents re-assigned to
        the next best field; text/coupling: unassigned).
    iterations : int
        Leiden iterations.
    stability : int
        Seeds (``seed .. seed + stability - 1``) for the mean pairwise ARI of the graph
        partitions; 0 or 1 skips it (``quality["stability"]`` None).
    n_codes, n_terms, top : int
        Characteristic codes and terms per field; top applicants and most cited patents.
    min_support : float
        A characteristic code must be on at least this share of the field's patents (and on
        at least 2 of them).
    cutoff : date or ISO string, optional
        Corpus cut-off, the date the data are complete to (default: the latest publication
        date). Growth and yearly counts come from :func:`patentnav.landscape.trends.annual_counts`
        (``by=growth_by``, documents, grouped by field) and
        :func:`patentnav.landscape.trends.growth`: ``growth`` is the compound annual growth
        rate ``(n_end / n_start) ** (1 / growth_years) - 1`` with ``end`` the last complete
        year (publication years: complete once over; priority/filing years: 18 months later)
        and ``start = end - growth_years`` (clipped to the first year of the corpus); NaN when
        ``n_start = 0``; with no publication date and no ``cutoff``, growth and age are NaN. Mean age is the mean of
        ``cutoff - date`` in years of 365.25 days, ``date`` the earliest priority date, else
        the filing date, else the publication date.
    growth_years : int
        CAGR window in years (default 5: from the 6th-last to the last complete year).
    growth_by : {"publication", "priority", "filing"}
        Year used for growth and the yearly table (default publication: a publication year
        is complete as soon as it is over, with no publication-lag censoring).
    k : int
        Neighbours per patent for ``basis="text"``.
    text_fields : tuple of str
        Columns joined for the terms (and for the text basis).
    incidence, cooccurrence : optional
        The documents x codes :class:`Incidence` of ``field`` at ``level`` (rows in corpus
        order) and its :class:`~patentnav.landscape.cooccurrence.CoOccurrence`
        (``min_occurrences=min_count``, normalised as ``weight``), when an engine
        (:mod:`patentnav.engine`) has aggregated them; computed here otherwise.

    Returns
    -------
    TechnologyFields

    Examples
    --------
    >>> import patentnav
    >>> tf = technology_fields(patentnav.datasets.drones(), level="subclass", stability=0)
    >>> tf.quality["n_fields"] > 5, tf.quality["coverage"] > 0.9
    (True, True)
    """
    if basis not in ("cooccurrence", "text", "coupling"):
        raise ValueError(f"basis must be 'cooccurrence', 'text' or 'coupling', not {basis!r}")
    if weight not in ("association", "count"):
        raise ValueError(f"weight must be 'association' or 'count', not {weight!r}")
    if min_count < 1:
        raise ValueError("min_count must be >= 1")
    if basis == "text" and not text_fields:
        raise ValueError("basis='text' needs text_fields (e.g. ('title', 'abstract'))")
    if growth_years < 1:
        raise ValueError("growth_years must be >= 1")
    params = dict(field=field, level=level, resolution=resolution, seed=seed, min_count=min_count, weight=weight,
                  basis=basis, min_size=min_size, iterations=iterations, stability=stability, n_codes=n_codes,
                  n_terms=n_terms, top=top, min_support=min_support, growth_years=growth_years,
                  growth_by=growth_by, k=k,
                  text_fields=tuple(text_fields))
    n = len(corpus)
    from ..model.shared import publication_numbers

    pubs = publication_numbers(corpus)  # made once per corpus (shared, read only)
    inc = incidence if incidence is not None else code_incidence(corpus, field, level)
    lk = dict(resolution=resolution, iterations=iterations)

    codes_df = None
    toks = None
    if basis == "cooccurrence":
        A, nodes, occ = _code_graph(inc, weight, min_count, cooccurrence)
        if len(nodes) == 0:
            from ..i18n import LocalizedError

            raise LocalizedError("err.fields_no_codes", field=field, level=level, min_count=min_count, n=n)
        node_labels, Q = leiden(A, seed=seed, **lk)
        graph_labels = node_labels
        community = np.full(len(inc.items), -1, dtype=np.int64)  # of each code (-1: not a node)
        community[pd.Index(inc.items).get_indexer(nodes)] = node_labels
        prov = _assign_communities(_binary_rows(inc.matrix), community, occ, min_size, node_labels)
        eligible = np.asarray(inc.matrix.sum(axis=1)).ravel() > 0
    else:
        if basis == "text":
            from ..text import document_term_matrix, tfidf, tokenize_many

            toks = tokenize_many(_texts(corpus, text_fields))
            dtm, _ = document_term_matrix(toks, min_df=2, max_df=0.5)
            V = tfidf(dtm)
            eligible = np.diff(V.indptr) > 0
            A = _knn_graph(V, k)
        else:
            from .incidence import incidence as list_incidence  # (the parameter shadows the module's name)

            B = list_incidence(corpus["cited_publications"]).matrix
            Bi = sp.csr_matrix((np.ones(B.nnz, dtype=np.int64), B.indices, B.indptr), shape=B.shape)
            eligible = np.diff(Bi.indptr) > 0
            C = sp.csr_matrix(Bi @ Bi.T)
            C.setdiag(0)
            C.eliminate_zeros()
            A = association_strength(C) if weight == "association" else sp.csr_matrix(C, dtype=np.float64)
        nodes = pubs
        connected = np.diff(sp.csr_matrix(A).indptr) > 0
        idx = np.flatnonzero(connected)
        sub = sp.csr_matrix(A)[idx][:, idx]
        sub_labels, Q = leiden(sub, seed=seed, **lk) if len(idx) else (np.zeros(0, np.int64), float("nan"))
        graph_labels = sub_labels
        prov = np.full(n, -1, dtype=np.int64)
        prov[idx] = sub_labels
        sizes = np.bincount(prov[prov >= 0], minlength=int(prov.max()) + 1 if len(idx) else 0)
        prov[(prov >= 0) & (sizes[np.maximum(prov, 0)] < max(min_size, 1))] = -1
        A = sub
    # compact provisional ids 0..k-1 (in the order of the Leiden communities)
    live = np.unique(prov[prov >= 0])
    remap = np.full(int(prov.max()) + 2 if len(live) else 1, -1, dtype=np.int64)
    remap[live] = np.arange(len(live))
    prov = np.where(prov >= 0, remap[np.maximum(prov, 0)], -1)
    kf = len(live)

    desc = _describe(corpus, prov, kf, inc, n_codes=n_codes, n_terms=n_terms, top=top, min_support=min_support,
                     cutoff=cutoff, growth_years=growth_years, growth_by=growth_by, text_fields=text_fields,
                     tokens=toks)
    rows = desc["rows"]
    order = sorted(range(kf), key=lambda f: (-rows[f]["size"], rows[f]["label"], f))
    final = np.empty(kf, dtype=np.int64)
    final[order] = np.arange(kf)
    labels = np.where(prov >= 0, final[np.maximum(prov, 0)], -1) if kf else prov

    n_nodes = np.zeros(kf, dtype=np.int64)
    if basis == "cooccurrence":
        comm_field = np.full(int(node_labels.max()) + 1, -1, dtype=np.int64)
        comm_field[live] = final
        node_field = comm_field[node_labels]
        n_nodes = np.bincount(node_field[node_field >= 0], minlength=kf)
        from ..classify.titles import ipc_title

        codes_df = pd.DataFrame({"code": nodes.astype(str), "title": [ipc_title(c) for c in nodes],
                                 "occurrences": occ.astype(np.int64), "community": node_labels,
                                 "field": node_field})
    else:
        n_nodes = np.bincount(labels[labels >= 0], minlength=kf)

    fields = pd.DataFrame([dict(field=int(final[f]), n_nodes=int(n_nodes[final[f]]), **rows[f]) for f in order],
                          columns=["field", "label", "size", "share", "growth", "mean_age", "n_nodes", "codes",
                                   "code_titles", "terms", "top_applicants", "top_patents"])

    def _renum(df):
        df = df.copy()
        df["field"] = final[df["field"].to_numpy()] if len(df) else df["field"]
        return df.sort_values(list(df.columns[:2])).reset_index(drop=True)

    fcodes = _renum(desc["field_codes"])
    fterms = _renum(desc["field_terms"])
    yearly = _renum(desc["yearly"])

    stab = None
    if stability and stability > 1:
        seeds = [seed + i for i in range(stability)]
        runs = [graph_labels] + [leiden(A, seed=s, **lk)[0] for s in seeds[1:]]
        stab = _mean_pairwise_ari(runs)
    n_elig = int(eligible.sum())
    n_assigned = int((labels >= 0).sum())
    quality = {
        "modularity": float(Q), "n_fields": kf,
        "coverage": n_assigned / n_elig if n_elig else float("nan"),
        "coverage_all": n_assigned / n if n else float("nan"),
        "stability": stab, "stability_seeds": stability if stab is not None else 0,
        "n_nodes": int(A.shape[0]), "n_edges": int(sp.triu(A, k=1).nnz),
    }
    params.update(cutoff=desc["cutoff"], growth_window=desc["window"], applicant_column=desc["applicant_column"])
    return TechnologyFields(fields=fields, labels=labels, publication_numbers=np.asarray(pubs, dtype=object),
                            codes=codes_df, field_codes=fcodes, field_terms=fterms, yearly=yearly, quality=quality,
                            adjacency=A, nodes=np.asarray(nodes if basis == "cooccurrence" else pubs[idx], dtype=object),
                            params=params)
