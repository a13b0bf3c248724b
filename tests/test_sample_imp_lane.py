"""imp lane (issue 16, sample report start-up and writers): each rewritten function against
its former definition (copied here as the oracle), on random inputs and edge cases."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest


# ------------------------------------------------------------------ field-map layout without networkx

def _field_layout_oracle(W, AS, a_idx, b_idx):
    """The former ``patentnav.report.direction._field_layout`` (networkx ``kamada_kawai_layout``)."""
    import networkx as nx

    strength_of = W.sum(axis=1)
    linked = [k for k in range(len(W)) if strength_of[k] > 0]
    G = nx.Graph()
    G.add_nodes_from(linked)
    G.add_weighted_edges_from((int(a), int(b), 1.0 / (1.0 + float(np.log1p(AS[a, b])))) for a, b in zip(a_idx, b_idx))
    pos = {k: (0.0, 0.0) for k in range(len(W))}
    if len(G) > 1:
        pos.update({k: tuple(v) for k, v in nx.kamada_kawai_layout(G, weight="weight").items()})
    isolated = [k for k in range(len(W)) if strength_of[k] <= 0]
    if isolated:
        radius = 1.15 * max((math.hypot(*pos[k]) for k in linked), default=1.0)
        for m, k in enumerate(isolated):
            angle = 2 * math.pi * m / len(isolated) + math.pi / 4
            pos[k] = (radius * math.cos(angle), radius * math.sin(angle))
    return pos


def _weights(rng, n, density, isolated=0.0, integer=True):
    """A field x field weight matrix as ``_field_weights`` makes it (symmetric, >= 0, diagonal 0)
    with its association strength."""
    W = rng.integers(1, 40, size=(n, n)).astype(float) if integer else rng.random((n, n)) * 10
    W *= rng.random((n, n)) < density
    W = np.triu(W, 1)
    W = W + W.T
    drop = rng.random(n) < isolated
    W[drop, :] = 0
    W[:, drop] = 0
    strength_of = W.sum(axis=1)
    total = strength_of.sum()
    denom = np.outer(np.where(strength_of > 0, strength_of, 1.0), np.where(strength_of > 0, strength_of, 1.0))
    return W, np.where(W > 0, W * total / denom, 0.0)


def _same_layout(W, AS):
    from patentnav.report.direction import _field_layout

    a_idx, b_idx = np.nonzero(np.triu(W, 1))
    new, old = _field_layout(W, AS, a_idx, b_idx), _field_layout_oracle(W, AS, a_idx, b_idx)
    assert list(new) == list(old)
    for k in old:  # bit for bit, not approximately
        assert [float(v).hex() for v in new[k]] == [float(v).hex() for v in old[k]], k


@pytest.mark.parametrize("seed", range(12))
def test_field_layout_matches_networkx_on_random_maps(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 40))
    _same_layout(*_weights(rng, n, density=float(rng.uniform(0.05, 0.9)), isolated=float(rng.uniform(0, 0.3)),
                           integer=bool(seed % 2)))


@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_field_layout_matches_networkx_on_tiny_maps(n):
    rng = np.random.default_rng(n)
    _same_layout(*_weights(rng, n, density=1.0))
    _same_layout(np.zeros((n, n)), np.zeros((n, n)))  # no links at all: every field on the ring


def test_field_layout_matches_networkx_on_disconnected_parts():
    W = np.zeros((9, 9))
    for a, b, w in [(0, 1, 5), (1, 2, 1), (3, 4, 7), (5, 6, 2), (6, 7, 2), (5, 7, 9)]:
        W[a, b] = W[b, a] = w
    strength_of = W.sum(axis=1)
    denom = np.outer(np.where(strength_of > 0, strength_of, 1.0), np.where(strength_of > 0, strength_of, 1.0))
    _same_layout(W, np.where(W > 0, W * strength_of.sum() / denom, 0.0))


def test_shortest_path_lengths_match_networkx():
    import networkx as nx

    from patentnav.report.layout import UNREACHABLE, shortest_path_lengths

    rng = np.random.default_rng(7)
    for n in (1, 5, 25):
        pairs = [(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < 0.2]
        a = np.array([p[0] for p in pairs], dtype=np.int64)
        b = np.array([p[1] for p in pairs], dtype=np.int64)
        w = rng.random(len(pairs)) + 0.01
        G = nx.Graph()
        G.add_nodes_from(range(n))
        G.add_weighted_edges_from(zip(a.tolist(), b.tolist(), w.tolist()))
        expected = np.full((n, n), UNREACHABLE)
        for s, lengths in nx.shortest_path_length(G, weight="weight"):
            for t, d in lengths.items():
                expected[s, t] = d
        assert np.array_equal(shortest_path_lengths(n, a, b, w), expected)
    assert shortest_path_lengths(0, np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.array([])).shape == (0, 0)


def test_sample_report_imports_no_networkx():
    """The report's field map is laid out without networkx (its import cost 0.15-0.25 s)."""
    code = ("import sys, patentnav\nfrom patentnav.report.direction import _field_layout\nimport numpy as np\n"
            "W = np.array([[0, 2, 1], [2, 0, 0], [1, 0, 0]], float)\n"
            "_field_layout(W, W, *np.nonzero(np.triu(W, 1)))\nprint('networkx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
