"""Main path analysis (patentnav.landscape.mainpath): the published sample network of the
Wikipedia article "Main path analysis" (shared/reference/README.md), brute-force path
enumeration oracles on small random DAGs (networkx.all_simple_paths, test-only), cycle breaking,
edge cases and property tests."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from patentnav.landscape import mainpath as mp
from patentnav.landscape.mainpath import (
    arc_weights,
    break_cycles,
    citation_dag,
    global_main_path,
    key_route_main_path,
    local_main_path,
    main_path,
    node_counts,
    topological_levels,
)

# --------------------------------------------------------------------------- reference network

EDGES = "A-C C-E C-H E-G G-H H-K B-C B-D B-J D-F D-I F-H F-I I-L I-M J-M M-N".split()
SPC = [2, 2, 2, 2, 2, 5, 2, 5, 1, 3, 2, 1, 2, 2, 2, 1, 3]
SPLC = [2, 3, 3, 4, 5, 12, 2, 5, 1, 6, 4, 3, 6, 6, 6, 2, 9]
LABELS = sorted(set("".join(EDGES).replace("-", "")))  # A..N
IX = {lab: i for i, lab in enumerate(LABELS)}
SRC = [IX[e[0]] for e in EDGES]
DST = [IX[e[2]] for e in EDGES]


@pytest.fixture(scope="module")
def ref():
    return citation_dag(SRC, DST, labels=LABELS)


def arcset(path):
    return {f"{a}-{b}" for a, b in zip(path.arcs["src_label"], path.arcs["dst_label"])}


def test_reference_weights_in_published_order(ref):
    w = arc_weights(ref)
    assert [f"{a}-{b}" for a, b in zip(w["src_label"], w["dst_label"])] == EDGES
    assert w["spc"].tolist() == SPC
    assert w["splc"].tolist() == SPLC
    by = w.set_index(w["src_label"] + "-" + w["dst_label"])
    assert by.loc["B-D", "spc"] == 5
    assert by.loc["D-F", "splc"] == 6
    assert by.loc["H-K", "spc"] == 5
    assert w.attrs["total_paths"] == {"spc": 10.0, "splc": 27.0, "spnp": 64.0}
    assert list(w.columns) == ["src", "dst", "src_label", "dst_label", "spc", "splc", "spnp"]


def test_reference_node_counts(ref):
    c = node_counts(ref).set_index("label")
    assert c.loc["B", "n_plus"] == 8 and c.loc["H", "n_minus"] == 5 and c.loc["K", "n_minus_a"] == 13
    assert ref.summary() == {
        "nodes": 14, "input_arcs": 17, "duplicate_arcs": 0, "self_loops": 0,
        "cycle_arcs_removed": 0, "arcs": 17, "sources": 2, "sinks": 3, "levels": 6,
    }


def test_reference_global_main_path(ref):
    p = global_main_path(ref)
    assert p.node_labels == ["B", "D", "F", "I", "M", "N"]
    assert p.path_weight == 15 and p.total_weight == 15
    assert p.is_chain()
    assert "H-K" not in arcset(p)
    text = p.render()
    assert "B -> D -> F -> I -> M -> N" in text and "path weight 15" in text


def test_reference_local_forward_ties_at_I(ref):
    p = local_main_path(ref, "spc", "forward")
    assert arcset(p) == {"B-D", "D-F", "F-I", "I-L", "I-M", "M-N"}
    assert {"I-L", "I-M"} <= arcset(p)
    assert "H-K" not in arcset(p)
    assert not p.is_chain()


def test_reference_local_backward(ref):
    p = local_main_path(ref, "spc", "backward")
    # heaviest sink arc H->K (5); into H: C->H and G->H tie (2); into C: A->C and B->C tie
    assert arcset(p) == {"H-K", "C-H", "G-H", "E-G", "C-E", "A-C", "B-C"}


def test_reference_key_route_finds_H_K(ref):
    for k in (1, 2):  # H->K ties with B->D at the top (SPC 5): both are key routes
        p = key_route_main_path(ref, k=k)
        assert {"H-K", "B-D"} <= arcset(p)
        assert p.path_weight == 5
    p = key_route_main_path(ref, k=2)
    assert arcset(p) == {"B-D", "D-F", "F-I", "I-L", "I-M", "M-N",
                         "H-K", "C-H", "G-H", "E-G", "C-E", "A-C", "B-C"}
    g = key_route_main_path(ref, k=2, search="global")
    # best path through H->K: B-D-F-H (5+3+1 = 9) beats A-C-E-G-H (8)
    assert arcset(g) == {"B-D", "D-F", "F-I", "I-M", "M-N", "F-H", "H-K"}
    assert main_path(ref, "key-route", k=2).arcs.equals(p.arcs)


def test_reference_other_measures_and_dispatch(ref):
    src, dst = np.array(SRC), np.array(DST)
    for m in ("splc", "spnp"):
        p = main_path(ref, "global", m)
        best, arcs = oracle_global(src, dst, 14, arc_weights(ref)[m].to_numpy())
        assert p.path_weight == best and selected(p) == arcs
    with pytest.raises(ValueError):
        main_path(ref, "nope")
    with pytest.raises(ValueError):
        main_path(ref, "global", "foo")


def test_networkx_export(ref):
    g = global_main_path(ref).to_networkx()
    assert isinstance(g, nx.DiGraph)
    assert list(nx.topological_sort(g)) == ["B", "D", "F", "I", "M", "N"]
    assert g["B"]["D"]["spc"] == 5 and g["B"]["D"]["weight"] == 5 and g["D"]["F"]["splc"] == 6
    assert g.nodes["B"]["level"] == 0 and g.nodes["N"]["index"] == IX["N"]
    assert all(isinstance(v, str) for v in g.nodes)


def test_log_space_matches_float(ref, monkeypatch):
    exact = arc_weights(ref, normalize=True)
    assert exact["spc"].tolist() == pytest.approx([x / 10 for x in SPC])
    monkeypatch.setattr(mp._Sweep, "sum", lambda self, base: None)  # force the overflow path
    logged = arc_weights(ref, normalize=True)
    for m in mp.MEASURES:
        np.testing.assert_allclose(logged[m], exact[m], rtol=1e-12)
    assert logged.attrs["log_total_paths"]["spc"] == pytest.approx(math.log(10))
    with pytest.raises(OverflowError):
        arc_weights(ref)


# --------------------------------------------------------------------------- oracles (test-only)


def random_dag(seed, n=None, p=None):
    rng = np.random.default_rng(seed)
    n = n or int(rng.integers(2, 9))
    p = p or float(rng.uniform(0.2, 0.6))
    perm = rng.permutation(n)  # node indices are not a topological order
    pairs = [(i, j) for i, j in itertools.combinations(range(n), 2) if rng.random() < p]
    src = np.array([perm[i] for i, _ in pairs], dtype=np.int64)
    dst = np.array([perm[j] for _, j in pairs], dtype=np.int64)
    return src, dst, n


def to_nx(src, dst, n):
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(src.tolist(), dst.tolist()))
    return g


def all_paths(g, starts, ends):
    for x in starts:
        for y in ends:
            if x != y:
                yield from nx.all_simple_paths(g, x, y)


def oracle_weights(src, dst, n):
    """Count, for every arc, the enumerated paths through it (definitions of SPC/SPLC/SPNP)."""
    g = to_nx(src, dst, n)
    sources = [v for v in g if g.in_degree(v) == 0 and g.out_degree(v) > 0]
    sinks = [v for v in g if g.out_degree(v) == 0 and g.in_degree(v) > 0]
    out = {}
    for name, starts, ends in (("spc", sources, sinks), ("splc", list(g), sinks), ("spnp", list(g), list(g))):
        count = dict.fromkeys(zip(src.tolist(), dst.tolist()), 0)
        total = 0
        for path in all_paths(g, starts, ends):
            total += 1
            for e in zip(path, path[1:]):
                count[e] += 1
        out[name] = (np.array([count[e] for e in zip(src.tolist(), dst.tolist())], dtype=float), total)
    return out


def oracle_global(src, dst, n, w):
    g = to_nx(src, dst, n)
    wt = dict(zip(zip(src.tolist(), dst.tolist()), w))
    sources = [v for v in g if g.in_degree(v) == 0 and g.out_degree(v) > 0]
    sinks = [v for v in g if g.out_degree(v) == 0 and g.in_degree(v) > 0]
    paths = [(sum(wt[e] for e in zip(p, p[1:])), p) for p in all_paths(g, sources, sinks)]
    best = max(v for v, _ in paths)
    arcs = {e for v, p in paths if math.isclose(v, best) for e in zip(p, p[1:])}
    return best, arcs


def greedy(start_arcs, step):
    """Follow all heaviest arcs from the heads of start_arcs (step(v) -> tied best arcs)."""
    chosen, todo, seen = set(start_arcs), [e[1] for e in start_arcs], set()
    while todo:
        v = todo.pop()
        if v in seen:
            continue
        seen.add(v)
        for e in step(v):
            chosen.add(e)
            todo.append(e[1])
    return chosen


def oracle_local(src, dst, n, w, direction):
    arcs = list(zip(src.tolist(), dst.tolist()))
    wt = dict(zip(arcs, w))
    g = to_nx(src, dst, n)
    if direction == "backward":  # reverse the graph, then search forwards
        arcs = [(b, a) for a, b in arcs]
        wt = {(b, a): x for (a, b), x in wt.items()}
        g = g.reverse()
    start = [e for e in arcs if g.in_degree(e[0]) == 0]
    best = max(wt[e] for e in start)
    start = [e for e in start if wt[e] == best]

    def step(v):
        outs = list(g.out_edges(v))
        if not outs:
            return []
        mx = max(wt[e] for e in outs)
        return [e for e in outs if wt[e] == mx]

    chosen = greedy(start, step)
    return chosen if direction == "forward" else {(b, a) for a, b in chosen}


def oracle_key_route(src, dst, n, w, k, search):
    arcs = list(zip(src.tolist(), dst.tolist()))
    wt = dict(zip(arcs, w))
    thr = sorted(w, reverse=True)[min(k, len(w)) - 1]
    keys = [e for e in arcs if wt[e] >= thr]
    g = to_nx(src, dst, n)
    chosen = set(keys)
    if search == "local":
        rg = g.reverse()

        def fwd(v):
            outs = list(g.out_edges(v))
            mx = max((wt[e] for e in outs), default=None)
            return [e for e in outs if wt[e] == mx]

        def back(v):
            outs = list(rg.out_edges(v))
            mx = max((wt[(b, a)] for a, b in outs), default=None)
            return [e for e in outs if wt[(e[1], e[0])] == mx]

        chosen |= greedy([(None, e[1]) for e in keys], fwd) - {(None, e[1]) for e in keys}
        chosen |= {(b, a) for a, b in greedy([(None, e[0]) for e in keys], back) if a is not None}
        return chosen
    sources = [v for v in g if g.in_degree(v) == 0 and g.out_degree(v) > 0]
    sinks = [v for v in g if g.out_degree(v) == 0 and g.in_degree(v) > 0]
    paths = [list(zip(p, p[1:])) for p in all_paths(g, sources, sinks)]
    for key in keys:
        through = [(sum(wt[e] for e in p), p) for p in paths if key in p]
        best = max(v for v, _ in through)
        chosen |= {e for v, p in through if math.isclose(v, best) for e in p}
    return chosen


def selected(path):
    return set(zip(path.arcs["src"].tolist(), path.arcs["dst"].tolist()))


SEEDS = range(40)


@pytest.mark.parametrize("seed", SEEDS)
def test_weights_against_path_enumeration(seed):
    src, dst, n = random_dag(seed)
    if src.size == 0:
        return
    w = arc_weights((src, dst, n))
    oracle = oracle_weights(src, dst, n)
    for m in mp.MEASURES:
        np.testing.assert_array_equal(w[m].to_numpy(), oracle[m][0], err_msg=m)
        assert w.attrs["total_paths"][m] == oracle[m][1]
        wn = arc_weights((src, dst, n), normalize=True)
        np.testing.assert_allclose(wn[m].to_numpy(), oracle[m][0] / oracle[m][1])


@pytest.mark.parametrize("seed", SEEDS)
def test_paths_against_oracles(seed):
    src, dst, n = random_dag(seed)
    if src.size == 0:
        return
    dag = citation_dag(src, dst, n)
    weights = dag.weights()
    for m in mp.MEASURES:
        w = weights[m].to_numpy()
        best, arcs = oracle_global(src, dst, n, w)
        p = global_main_path(dag, m)
        assert p.path_weight == best and selected(p) == arcs
        for direction in ("forward", "backward"):
            assert selected(local_main_path(dag, m, direction)) == oracle_local(src, dst, n, w, direction)
        for k in (1, 3):
            for search in ("local", "global"):
                got = selected(key_route_main_path(dag, k, m, search))
                assert got == oracle_key_route(src, dst, n, w, k, search), (m, k, search)


def test_custom_weight_array():
    src, dst, n = random_dag(7, n=8, p=0.5)
    dag = citation_dag(src, dst, n)
    w = np.random.default_rng(1).random(dag.m)
    best, arcs = oracle_global(src, dst, n, w)
    p = global_main_path(dag, w)
    assert p.weight == "custom" and p.path_weight == pytest.approx(best) and selected(p) == arcs
    assert selected(local_main_path(dag, w)) == oracle_local(src, dst, n, w, "forward")
    with pytest.raises(ValueError):
        global_main_path(dag, w[:-1])


# --------------------------------------------------------------------------- cycles, cleaning


def test_three_cycle_and_self_loop():
    # 0 -> 1 -> 2 -> 0 is a cycle, 3 -> 3 a self-loop, 2 -> 4 and 3 -> 4 ordinary arcs
    src = [0, 1, 2, 3, 2, 3]
    dst = [1, 2, 0, 3, 4, 4]
    dag = citation_dag(src, dst, labels=list("abcde"))
    r = dag.removed
    assert r[["src", "dst", "reason"]].values.tolist() == [[2, 0, "cycle"], [3, 3, "self-loop"]]
    assert r[["src_label", "dst_label"]].values.tolist() == [["c", "a"], ["d", "d"]]
    assert r["component"].iloc[1] == -1
    assert list(zip(dag.src.tolist(), dag.dst.tolist())) == [(0, 1), (1, 2), (2, 4), (3, 4)]
    assert nx.is_directed_acyclic_graph(to_nx(dag.src, dag.dst, dag.n))
    assert (dag.level[dag.dst] > dag.level[dag.src]).all()
    assert dag.summary()["self_loops"] == 1 and dag.summary()["cycle_arcs_removed"] == 1
    # deterministic: the same arcs removed whatever the input order
    for seed in range(5):
        o = np.random.default_rng(seed).permutation(len(src))
        d2 = citation_dag(np.array(src)[o], np.array(dst)[o])
        assert sorted(map(tuple, d2.removed[["src", "dst"]].values.tolist())) == [(2, 0), (3, 3)]


def test_cycle_rule_uses_dates():
    src, dst = [0, 1, 2], [1, 2, 0]
    # node 1 is the oldest: the arc that ends in it (0 -> 1) goes back in time
    keep, removed = break_cycles(src, dst, dates=["2010-05-01", "2001-01-01", "2005-01-01"])
    assert keep.tolist() == [False, True, True]
    assert removed[["src", "dst", "reason"]].values.tolist() == [[0, 1, "cycle"]]
    # years as numbers; a missing date counts as the latest
    keep, _ = break_cycles(src, dst, dates=[2003.0, np.nan, 2001.0])
    assert keep.tolist() == [True, False, True]
    keep, _ = break_cycles(src, dst, dates=np.array(["2003-01-01", "NaT", "2001-01-01"], dtype="datetime64[D]"))
    assert keep.tolist() == [True, False, True]


def test_arcs_outside_cycles_are_kept_even_against_time():
    # 2 -> 0 goes back in index order but closes no cycle
    dag = citation_dag([2, 0], [0, 1])
    assert dag.m == 2 and dag.removed.empty


def test_nested_cycles_and_two_components():
    src = [0, 1, 2, 1, 3, 2, 5, 6, 7, 7]
    dst = [1, 2, 0, 0, 1, 3, 6, 7, 5, 8]
    dag = citation_dag(src, dst)
    assert nx.is_directed_acyclic_graph(to_nx(dag.src, dag.dst, dag.n))
    removed = set(map(tuple, dag.removed[["src", "dst"]].values.tolist()))
    assert removed == {(2, 0), (1, 0), (3, 1), (7, 5)}
    assert (dag.removed["reason"] == "cycle").all()
    with pytest.raises(ValueError, match="cycles"):
        topological_levels(src, dst)


def test_duplicates_collapsed_first_occurrence_kept():
    dag = citation_dag([0, 1, 0, 0, 1], [1, 2, 1, 2, 2])
    assert dag.n_duplicates == 2 and dag.n_input_arcs == 5
    assert list(zip(dag.src.tolist(), dag.dst.tolist())) == [(0, 1), (1, 2), (0, 2)]


def test_sparse_adjacency_input(ref):
    a = sp.csr_array((np.ones(len(SRC)), (SRC, DST)), shape=(14, 14))
    dag = citation_dag(a, labels=LABELS)
    w = arc_weights(dag).sort_values(["src", "dst"]).reset_index(drop=True)
    r = arc_weights(ref).sort_values(["src", "dst"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(w, r, check_like=True)
    assert global_main_path(a).path_weight == 15
    with pytest.raises(ValueError):
        citation_dag(sp.csr_array((2, 3)))


def test_topological_levels():
    lev = topological_levels([3, 3, 1, 0], [1, 2, 2, 1], 5)
    assert lev.tolist() == [0, 1, 2, 0, 0]


def test_input_validation():
    with pytest.raises(ValueError):
        citation_dag([0, 1], [1])
    with pytest.raises(ValueError):
        citation_dag([0, 5], [1, 2], n=3)
    with pytest.raises(TypeError):
        citation_dag([0.5], [1.0])
    with pytest.raises(ValueError):
        citation_dag([0], [1], labels=["a", "b", "c"], n=2)
    with pytest.raises(ValueError):
        key_route_main_path(citation_dag([0], [1]), k=0)


# --------------------------------------------------------------------------- edge cases


def test_empty_graph():
    for dag in (citation_dag([], []), citation_dag([], [], n=4)):
        w = arc_weights(dag)
        assert len(w) == 0 and list(w.columns)[-3:] == ["spc", "splc", "spnp"]
        for kind in ("global", "local-forward", "local-backward", "key-route", "key-route-global"):
            p = main_path(dag, kind)
            assert len(p.arcs) == 0 and len(p.nodes) == 0
            assert "(empty)" in p.render()
            assert p.to_networkx().number_of_nodes() == 0
    assert global_main_path(citation_dag([], [])).path_weight == 0


def test_single_arc():
    dag = citation_dag([0], [1], labels=["old", "new"])
    w = arc_weights(dag)
    assert w[["spc", "splc", "spnp"]].values.tolist() == [[1, 1, 1]]
    for kind in ("global", "local-forward", "local-backward", "key-route", "key-route-global"):
        p = main_path(dag, kind)
        assert p.node_labels == ["old", "new"]
    assert "old -> new" in global_main_path(dag).render()


def test_disconnected_components_and_isolated_nodes():
    # chain 0-1-2 (SPC 1 each), and a second component 3 -> {4, 5} -> 6 (SPC 2, 1, 1, ...)
    src = [0, 1, 3, 3, 4, 5]
    dst = [1, 2, 4, 5, 6, 6]
    dag = citation_dag(src, dst, n=8)  # node 7 isolated
    w = arc_weights(dag)
    assert w["spc"].tolist() == [1, 1, 1, 1, 1, 1]
    assert w.attrs["total_paths"]["spc"] == 3
    assert sorted(dag.sources.tolist()) == [0, 3] and sorted(dag.sinks.tolist()) == [2, 6]
    # SPC ties everywhere: the global path is every best path (weight 2), local forward all ties
    p = global_main_path(dag)
    assert p.path_weight == 2 and selected(p) == set(zip(src, dst))
    assert 7 not in p.nodes


def test_overflow_raises_or_normalises():
    # a chain of 1100 diamonds: 2**1100 source-sink paths (beyond float64)
    k = 1100
    v = lambda i: 3 * i  # noqa: E731  hub nodes; 3i+1, 3i+2 the two middles
    src = np.concatenate([[v(i), v(i), v(i) + 1, v(i) + 2] for i in range(k)])
    dst = np.concatenate([[v(i) + 1, v(i) + 2, v(i + 1), v(i + 1)] for i in range(k)])
    dag = citation_dag(src, dst)
    with pytest.raises(OverflowError):
        arc_weights(dag)
    w = arc_weights(dag, normalize=True)
    np.testing.assert_allclose(w["spc"], 0.5)
    assert w.attrs["log_total_paths"]["spc"] == pytest.approx(k * math.log(2))
    assert np.isfinite(w[["spc", "splc", "spnp"]].to_numpy()).all()
    assert (w[["splc", "spnp"]].to_numpy() <= 1).all()
    p = global_main_path(dag)  # falls back to the normalised weights
    assert len(p.nodes) == 3 * k + 1 and p.path_weight == pytest.approx(k)
    assert np.isinf(node_counts(dag)["n_plus"].iloc[0])
    text = p.render(max_arcs=5)  # every arc ties (SPC share 0.5): not a chain, arcs listed
    assert len(text.splitlines()) == 7 and text.endswith("... 4395 more arcs")


def test_render_long_chain():
    dag = citation_dag(np.arange(9), np.arange(1, 10))
    text = global_main_path(dag).render(max_arcs=3)
    assert text.splitlines()[1] == "  0 -> 1 -> 2 -> 3 -> ... (6 more)"
    assert len(text.splitlines()) == 6 and str(global_main_path(dag)).startswith("Global main path by SPC")


# --------------------------------------------------------------------------- properties


@st.composite
def dags(draw):
    n = draw(st.integers(1, 30))
    perm = draw(st.permutations(range(n)))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=80))
    pairs = [(min(a, b), max(a, b)) for a, b in pairs if a != b]
    src = np.array([perm[a] for a, _ in pairs], dtype=np.int64)
    dst = np.array([perm[b] for _, b in pairs], dtype=np.int64)
    return src, dst, n


@settings(max_examples=150, deadline=None)
@given(dags())
def test_property_weights(g):
    src, dst, n = g
    dag = citation_dag(src, dst, n)
    assert dag.removed.empty and dag.m + dag.n_duplicates == src.size
    assert (dag.level[dag.dst] > dag.level[dag.src]).all()
    w = arc_weights(dag)
    tot = w.attrs["total_paths"]
    for m in mp.MEASURES:
        assert (w[m] >= 1).all()  # every arc lies on a source-sink path
        assert (w[m] <= tot[m]).all()
    assert (w["spc"] <= w["splc"]).all() and (w["splc"] <= w["spnp"]).all()
    if dag.m:
        src_arcs = (dag.indegree == 0)[dag.src]
        assert w["spc"][src_arcs].sum() == tot["spc"]
        p = global_main_path(dag)
        assert p.path_weight >= w["spc"].max()
        assert p.arcs["src"].iloc[0] in dag.sources and p.arcs["dst"].iloc[-1] in dag.sinks
        lf = local_main_path(dag)
        assert set(lf.arcs["src"]) - set(lf.arcs["dst"]) <= set(dag.sources.tolist())
        assert set(lf.arcs["dst"]) - set(lf.arcs["src"]) <= set(dag.sinks.tolist())


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=40))
def test_property_cycle_breaking(n, pairs):
    pairs = [(a % n, b % n) for a, b in pairs]
    src = np.array([a for a, _ in pairs], dtype=np.int64)
    dst = np.array([b for _, b in pairs], dtype=np.int64)
    dag = citation_dag(src, dst, n)
    assert nx.is_directed_acyclic_graph(to_nx(dag.src, dag.dst, n))
    assert dag.m + dag.n_duplicates + len(dag.removed) == src.size
    # only arcs inside strong components, against index order, are removed
    comp = {v: i for i, c in enumerate(nx.strongly_connected_components(to_nx(src, dst, n))) for v in c}
    for a, b, reason in dag.removed[["src", "dst", "reason"]].itertuples(index=False):
        assert (reason == "self-loop" and a == b) or (comp[a] == comp[b] and a > b)


def test_exact_weights_match_floats_and_keep_every_digit(ref):
    from patentnav.landscape.mainpath import exact_arc_weights

    exact = exact_arc_weights(ref)
    floats = arc_weights(ref)
    for m in mp.MEASURES:
        assert all(isinstance(v, int) for v in exact[m])
        assert exact[m].tolist() == [int(v) for v in floats[m]]
    assert exact["spc"].tolist() == SPC
    # 3**40 source-to-sink paths through stages of three parallel documents: float64 rounds
    k = 40
    src = np.concatenate([[4 * i] * 3 + [4 * i + 1, 4 * i + 2, 4 * i + 3] for i in range(k)])
    dst = np.concatenate([[4 * i + 1, 4 * i + 2, 4 * i + 3] + [4 * i + 4] * 3 for i in range(k)])
    dag = citation_dag(src, dst)
    e = exact_arc_weights(dag, [0, dag.m - 1])
    assert e["spc"].tolist() == [3 ** 39, 3 ** 39] and float(3 ** 39) != 3 ** 39
    # oracle: Python-integer path counts over networkx's topological order
    g = nx.DiGraph(list(zip(src.tolist(), dst.tolist())))
    order = list(nx.topological_sort(g))
    n_minus_a = {}
    for v in order:
        n_minus_a[v] = 1 + sum(n_minus_a[u] for u in g.predecessors(v))
    n_plus_a = {}
    for v in reversed(order):
        n_plus_a[v] = 1 + sum(n_plus_a[w] for w in g.successors(v))
    assert e["spnp"].tolist() == [n_minus_a[s] * n_plus_a[d] for s, d in zip(e["src"], e["dst"])]
    assert e["spnp"].iloc[0] > 2 ** 53
    assert int(arc_weights(dag)["spc"].iloc[0]) != 3 ** 39  # what printing the float would show


# --------------------------------------------------------------------------- sorting helpers, index types


@pytest.mark.parametrize("seed", range(5))
def test_counting_sort_equals_stable_argsort(seed):
    rng = np.random.default_rng(seed)
    kmax = int(rng.integers(0, 40))
    key = rng.integers(0, kmax + 1, size=int(rng.integers(0, 3000)))
    perm, indptr = mp._grouped(key, kmax)
    assert perm.tolist() == np.argsort(key, kind="stable").tolist()
    assert np.diff(indptr).tolist() == np.bincount(key, minlength=kmax + 1).tolist()
    assert mp._stable_argsort(key.astype(np.int32), kmax).tolist() == perm.tolist()


def test_strictly_increasing_definition():
    rng = np.random.default_rng(1)
    for _ in range(50):
        s = rng.integers(0, 4, size=int(rng.integers(0, 8)))
        d = rng.integers(0, 4, size=s.size)
        code = s * 4 + d
        assert mp._strictly_increasing(s, d) == bool((np.diff(code) > 0).all())


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("overflow", [False, True])
def test_path_weights_equal_arc_weights(seed, overflow, monkeypatch):
    """The weights a search evaluates (one measure on every arc, three on the path's arcs) are
    exactly the columns of arc_weights, raw or, when the counts overflow, normalised."""
    if overflow:
        monkeypatch.setattr(mp._Sweep, "sum", lambda self, base: None)
    rng = np.random.default_rng(seed)
    n = 60
    pairs = {(int(a), int(b)) for a, b in rng.integers(0, n, size=(300, 2)) if a < b}
    src, dst = np.array(sorted(pairs)).T
    dag = citation_dag(src, dst, n)
    assert dag.src.dtype == np.int32
    table = arc_weights(dag, normalize=overflow)
    for m in mp.MEASURES:
        assert np.array_equal(dag._path_weight(m), table[m].to_numpy())
        for kind in ("global", "local-forward", "key-route"):
            p = main_path(dag, kind, m)
            assert p.normalized == overflow
            for c in mp.MEASURES:
                assert np.array_equal(p.arcs[c].to_numpy(), table[c].to_numpy()[p.arcs["arc"].to_numpy()])
            assert p.arcs["src"].dtype == np.int64 and p.nodes.dtype == np.int64
    assert table["src"].dtype == np.int64 and dag.removed["src"].dtype == np.int64


def test_cycles_with_int32_arcs_and_unsorted_duplicates():
    """Unsorted input with repeats and cycles: dedupe keeps first occurrences, cycle arcs are
    reported with their component, as with int64 input."""
    src = np.array([3, 0, 1, 2, 0, 2, 4, 4], dtype=np.int32)
    dst = np.array([4, 1, 2, 0, 1, 2, 3, 5], dtype=np.int32)
    a = citation_dag(src, dst, 6)
    b = citation_dag(src.astype(np.int64), dst.astype(np.int64), 6)
    assert a.src.tolist() == b.src.tolist() and a.dst.tolist() == b.dst.tolist() and a.n_duplicates == 1
    pd.testing.assert_frame_equal(a.removed, b.removed)
    assert sorted(a.removed["reason"]) == ["cycle", "cycle", "self-loop"]
    assert (a.removed.loc[a.removed["reason"] == "self-loop", "component"] == -1).all()


def test_finite_products_definition():
    f = np.array([1e200, 1.0, 3.0])
    b = np.array([1.0, 1e200, 2.0])
    s, d = np.array([0, 1, 2], dtype=np.int32), np.array([0, 1, 2], dtype=np.int32)
    assert mp._finite_products(f, s, b, d, chunk=2)  # max f * max b overflows, no product does
    assert not mp._finite_products(f, np.array([0, 2]), b, np.array([1, 2]), chunk=1)  # 1e400
    assert mp._finite_products(f, s[:0], b, d[:0])
