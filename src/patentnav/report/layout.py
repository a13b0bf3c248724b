"""Kamada-Kawai positions of a small weighted graph, without networkx.

:func:`kamada_kawai` gives, bit for bit, what ``networkx.kamada_kawai_layout(G, weight="weight")``
(networkx 3.x) gives for a graph whose nodes are ``0 .. n-1`` in that order: the same
shortest-path distances (Dijkstra), the same start on a circle, the same L-BFGS-B
minimisation of the same stress function (Kamada & Kawai 1989, "An algorithm for drawing
general undirected graphs", Inf. Process. Lett. 31(1)), the same rescaling. The report's
field map is its only user; importing networkx for it cost 0.15-0.25 s of every report.
"""

from __future__ import annotations

import numpy as np

__all__ = ["kamada_kawai", "shortest_path_lengths"]

#: The distance networkx gives a pair of nodes without a path between them.
UNREACHABLE = 1e6


def shortest_path_lengths(n: int, a: np.ndarray, b: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``n x n`` shortest-path lengths over the undirected edges ``(a[i], b[i], weight[i])``
    (Dijkstra 1959, :func:`scipy.sparse.csgraph.dijkstra`); :data:`UNREACHABLE` where there
    is no path. Each length is the sum of the edge weights from the source, added in path
    order, as networkx adds them; floating-point addition is monotone, so every Dijkstra
    finds the same (smallest) such sum. Pairs must be distinct (one edge per pair, no loops)
    and weights positive."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import dijkstra

    if n == 0:
        return np.zeros((0, 0))
    graph = sp.csr_matrix((np.asarray(weight, dtype=np.float64), (np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64))),
                          shape=(n, n))
    dist = dijkstra(graph, directed=False)
    return np.where(np.isinf(dist), UNREACHABLE, dist)


def _rescale(pos: np.ndarray, scale: float = 1) -> np.ndarray:
    """Centre ``pos`` and scale its largest coordinate to ``scale`` (networkx ``rescale_layout``)."""
    pos -= pos.mean(axis=0)
    lim = np.abs(pos).max()
    if lim > 0:
        pos *= scale / lim
    return pos


def _circle(n: int) -> np.ndarray:
    """The start positions: ``n >= 2`` points on the unit circle, angles in float32 (networkx
    ``circular_layout`` in two dimensions, centre 0)."""
    theta = (np.linspace(0, 1, n + 1)[:-1] * 2 * np.pi).astype(np.float32)
    return _rescale(np.column_stack([np.cos(theta), np.sin(theta), np.zeros((n, 0))]), scale=1) + np.zeros(2)


def _stress(pos_vec: np.ndarray, invdist: np.ndarray, meanweight: float, dim: int) -> tuple[float, np.ndarray]:
    """Kamada-Kawai stress and its gradient, with a small pull of the mean position to the origin
    (networkx ``_kamada_kawai_costfn``, term for term)."""
    n = invdist.shape[0]
    pos_arr = pos_vec.reshape((n, dim))
    delta = pos_arr[:, np.newaxis, :] - pos_arr[np.newaxis, :, :]
    nodesep = np.linalg.norm(delta, axis=-1)
    direction = np.einsum("ijk,ij->ijk", delta, 1 / (nodesep + np.eye(n) * 1e-3))
    offset = nodesep * invdist - 1.0
    offset[np.diag_indices(n)] = 0
    cost = 0.5 * np.sum(offset**2)
    grad = np.einsum("ij,ij,ijk->ik", invdist, offset, direction) - np.einsum("ij,ij,ijk->jk", invdist, offset, direction)
    sumpos = np.sum(pos_arr, axis=0)
    cost += 0.5 * meanweight * np.sum(sumpos**2)
    grad += meanweight * sumpos
    return (cost, grad.ravel())


def kamada_kawai(dist: np.ndarray) -> np.ndarray:
    """Positions (``n x 2``) of ``n >= 2`` nodes whose preferred distances are ``dist``
    (:func:`shortest_path_lengths`): L-BFGS-B from the circle (networkx ``_kamada_kawai_solve``),
    then centred and scaled to [-1, 1]."""
    from scipy.optimize import minimize

    n = dist.shape[0]
    meanwt = 1e-3
    invdist = 1 / (dist + np.eye(n) * 1e-3)
    result = minimize(_stress, _circle(n).ravel(), method="L-BFGS-B", args=(invdist, meanwt, 2), jac=True)
    return _rescale(result.x.reshape((-1, 2)), scale=1) + np.zeros(2)
