"""Co-classification networks (patentnav.landscape.cooccurrence) and their exports.

Oracles: a naive pair loop over documents (Counter over itertools.combinations, then a
networkx graph), EconGeo's relatedness(method="association") transcribed to numpy, and
hand-computed values on a 3-item example.
"""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET
from collections import Counter

import networkx as nx
import numpy as np
import pyarrow as pa
import pytest
import scipy.sparse as sp

from patentnav.landscape.cooccurrence import CoOccurrence, cooccurrence, to_networkx
from patentnav.landscape.export import (
    vosviewer_text,
    write_gexf,
    write_graphml,
    write_vosviewer,
    write_vosviewer_map,
    write_vosviewer_network,
    xml_text,
)
from patentnav.landscape.incidence import Incidence, code_incidence, incidence


# --- oracles (test-only) -----------------------------------------------------------------------

def naive(docs):
    """(occurrences, pair counts, graph) by looping over documents."""
    occ, pairs = Counter(), Counter()
    for d in docs:
        items = sorted(set(d))
        occ.update(items)
        pairs.update(itertools.combinations(items, 2))
    g = nx.Graph()
    g.add_nodes_from(occ)
    g.add_edges_from((a, b, {"count": k}) for (a, b), k in pairs.items())
    return occ, pairs, g


def naive_strengths(occ, pairs):
    s = Counter()
    for (a, b), k in pairs.items():
        s[a] += k
        s[b] += k
    total = sum(s.values())
    return {
        "association": {p: total * k / (s[p[0]] * s[p[1]]) for p, k in pairs.items()},
        "cosine": {p: k / math.sqrt(occ[p[0]] * occ[p[1]]) for p, k in pairs.items()},
        "jaccard": {p: k / (occ[p[0]] + occ[p[1]] - k) for p, k in pairs.items()},
    }, s, total


def econgeo_association(mat: np.ndarray) -> np.ndarray:
    """EconGeo (R) relatedness(mat, method = "association"), line by line."""
    cij = mat.astype(float).copy()
    np.fill_diagonal(cij, 0)
    si_col = cij.sum(axis=0)
    n = len(si_col)
    si = np.tile(si_col, (n, 1))  # matrix(si, byrow = TRUE): si[i, j] = S_j
    sj = np.tile(si_col[:, None], (1, n))  # byrow = FALSE: sj[i, j] = S_i
    t = cij.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        sa = (cij / t) / ((si / t) * (sj / t))
    sa[np.isnan(sa)] = 0
    np.fill_diagonal(sa, 0)
    return sa


def random_docs(seed, n_docs=400, n_items=30):
    rng = np.random.default_rng(seed)
    items = [f"I{k:02d}" for k in range(n_items)]
    p = 1.0 / np.arange(1, n_items + 1)
    p /= p.sum()
    docs = []
    for _ in range(n_docs):
        k = rng.poisson(2.5)  # zero-code documents included; repeats within a document too
        docs.append(list(rng.choice(items, size=k, p=p)))
    return docs


def edge_dict(co: CoOccurrence, col="count"):
    e = co.edges()
    return {(a, b): v for a, b, v in zip(e["source"], e["target"], e[col])}


# --- counts against the naive loop --------------------------------------------------------------

@pytest.mark.parametrize("seed", range(6))
def test_counts_match_naive_pair_loop(seed):
    docs = random_docs(seed)
    co = cooccurrence(incidence(pa.array(docs, pa.list_(pa.string()))), normalize=None)
    occ, pairs, g = naive(docs)
    assert co.items.tolist() == sorted(occ)
    assert dict(zip(co.items, co.occurrences.tolist())) == dict(occ)
    assert edge_dict(co) == dict(pairs)
    assert co.n_nodes == g.number_of_nodes() and co.n_edges == g.number_of_edges()
    # the matrix itself: symmetric, diagonal = occurrences
    C = co.counts
    assert sp.issparse(C) and (C != C.T).nnz == 0
    assert C.diagonal().tolist() == co.occurrences.tolist()
    # the graph: same nodes, edges and counts as the naive networkx graph
    h = to_networkx(co)
    assert set(h.nodes) == set(g.nodes)
    assert {frozenset(e): d["count"] for *e, d in h.edges(data=True)} == {frozenset(e): d["count"] for *e, d in g.edges(data=True)}


@pytest.mark.parametrize("normalize", ["association", "cosine", "jaccard"])
@pytest.mark.parametrize("seed", range(3))
def test_strengths_match_naive(seed, normalize):
    docs = random_docs(100 + seed)
    co = cooccurrence(incidence(pa.array(docs, pa.list_(pa.string()))), normalize=normalize)
    occ, pairs, _ = naive(docs)
    want, s, total = naive_strengths(occ, pairs)
    got = edge_dict(co, "strength")
    assert got.keys() == want[normalize].keys()
    for p in got:
        assert got[p] == pytest.approx(want[normalize][p], rel=1e-12)
    assert dict(zip(co.items, co.link_strength.tolist())) == {i: s[i] for i in co.items}
    assert co.total == total


@pytest.mark.parametrize("dense_max,chunk,heavy,small_k", [
    (0, 1 << 24, 1024, 24), (2048, 7, 1024, 24), (0, 5, 1024, 0), (2048, 1 << 24, 3, 24),
    (0, 11, 3, 2), (0, 1, 0, 24), (2048, 1 << 24, 1024, 0), (2048, 13, 1024, 3),
])
def test_counting_paths_agree(monkeypatch, dense_max, chunk, heavy, small_k):
    """Dense or sorted key counting, chunks of documents, pairing row by row or at once,
    and the sparse product for heavy documents all give the same matrix."""
    import importlib

    # the package re-exports the function under the module's name: take the module itself
    mod = importlib.import_module("patentnav.landscape.cooccurrence")

    docs = random_docs(21, n_docs=300) + [[f"I{k:02d}" for k in range(0, 30, 2)]]  # one long document
    ref = cooccurrence(incidence(pa.array(docs, pa.list_(pa.string()))))
    monkeypatch.setattr(mod, "_DENSE_KEYS_MAX_ITEMS", dense_max)
    monkeypatch.setattr(mod, "_PAIR_CHUNK", chunk)
    monkeypatch.setattr(mod, "_HEAVY_ROW", heavy)
    monkeypatch.setattr(mod, "_SMALL_K", small_k)
    co = cooccurrence(incidence(pa.array(docs, pa.list_(pa.string()))))
    occ, pairs, _ = naive(docs)
    assert edge_dict(co) == dict(pairs)
    assert (co.counts != ref.counts).nnz == 0
    np.testing.assert_array_equal(co.strength.toarray(), ref.strength.toarray())


def test_counts_do_not_overflow_int8():
    # Incidence matrices are int8 (values 0/1); 300 documents with the same pair must count 300
    docs = [["A", "B"]] * 300 + [["A"]] * 10
    co = cooccurrence(incidence(pa.array(docs)))
    assert co.counts.toarray().tolist() == [[310, 300], [300, 300]]


def test_non_binary_hand_made_incidence_is_binarised():
    m = sp.csr_matrix(np.array([[2, 1, 0], [1, 3, 1], [0, 0, 0]], dtype=np.int8))
    inc = Incidence(m, np.array(["a", "b", "c"], dtype=object), np.array(["d0", "d1", "d2"], dtype=object))
    co = cooccurrence(inc, normalize=None)
    assert co.counts.toarray().tolist() == [[2, 2, 1], [2, 2, 1], [1, 1, 1]]


# --- association strength by hand, and EconGeo's formula ----------------------------------------

HAND_DOCS = [["A", "B"], ["A", "B", "C"], ["A", "C"], ["C"]]
# C = X'X = [[3, 2, 2], [2, 2, 1], [2, 1, 3]]; s = (4, 3, 3); 2m = T = 10


def test_association_strength_by_hand():
    co = cooccurrence(incidence(pa.array(HAND_DOCS)))
    assert co.counts.toarray().tolist() == [[3, 2, 2], [2, 2, 1], [2, 1, 3]]
    assert co.link_strength.tolist() == [4, 3, 3]
    assert co.total == 10
    S = co.strength.toarray()
    expected = np.array([[0, 10 * 2 / (4 * 3), 10 * 2 / (4 * 3)],
                         [10 * 2 / (4 * 3), 0, 10 * 1 / (3 * 3)],
                         [10 * 2 / (4 * 3), 10 * 1 / (3 * 3), 0]])
    np.testing.assert_allclose(S, expected, rtol=1e-15)
    assert S[0, 1] == pytest.approx(5 / 3) and S[1, 2] == pytest.approx(10 / 9)


def test_association_strength_equals_econgeo():
    co = cooccurrence(incidence(pa.array(HAND_DOCS)))
    np.testing.assert_allclose(co.strength.toarray(), econgeo_association(co.counts.toarray()), rtol=1e-14)
    # and on a larger random matrix (isolated items give 0 in EconGeo, no edge here)
    docs = random_docs(7, n_docs=300, n_items=25)
    co = cooccurrence(incidence(pa.array(docs, pa.list_(pa.string()))))
    np.testing.assert_allclose(co.strength.toarray(), econgeo_association(co.counts.toarray()), rtol=1e-12)


def test_cosine_and_jaccard_by_hand():
    inc = incidence(pa.array(HAND_DOCS))
    cos = edge_dict(cooccurrence(inc, normalize="cosine"), "strength")
    assert cos[("A", "B")] == pytest.approx(2 / math.sqrt(6))
    assert cos[("A", "C")] == pytest.approx(2 / 3)
    assert cos[("B", "C")] == pytest.approx(1 / math.sqrt(6))
    jac = edge_dict(cooccurrence(inc, normalize="jaccard"), "strength")
    assert jac == pytest.approx({("A", "B"): 2 / 3, ("A", "C"): 1 / 2, ("B", "C"): 1 / 4})


# --- filters ----------------------------------------------------------------------------------------

def test_edge_filters_keep_nodes_and_normalisation():
    docs = random_docs(11)
    inc = incidence(pa.array(docs, pa.list_(pa.string())))
    full = cooccurrence(inc)
    counts = edge_dict(full)
    f = cooccurrence(inc, min_count=5)
    assert f.n_nodes == full.n_nodes  # isolated nodes stay
    assert f.link_strength.tolist() == full.link_strength.tolist() and f.total == full.total
    fe, ae = edge_dict(f, "strength"), edge_dict(full, "strength")
    assert fe == {p: v for p, v in ae.items() if counts[p] >= 5}
    assert all(v >= 5 for v in edge_dict(f).values())
    g = cooccurrence(inc, min_strength=1.0)
    assert edge_dict(g, "strength") == {p: v for p, v in ae.items() if v >= 1.0}
    both = cooccurrence(inc, min_count=3, min_strength=1.2)
    assert set(edge_dict(both)) == {p for p, v in ae.items() if v >= 1.2 and counts[p] >= 3}


def test_node_filter_is_applied_before_normalisation():
    docs = random_docs(12)
    inc = incidence(pa.array(docs, pa.list_(pa.string())))
    co = cooccurrence(inc, min_occurrences=20)
    keep = inc.item_counts() >= 20
    assert co.items.tolist() == inc.items[keep].tolist()
    ref = cooccurrence(inc.restrict_items(keep))
    assert edge_dict(co, "strength") == edge_dict(ref, "strength")
    assert co.occurrences.min() >= 20


def test_parameter_errors():
    inc = incidence(pa.array(HAND_DOCS))
    with pytest.raises(ValueError, match="min_strength"):
        cooccurrence(inc, normalize=None, min_strength=0.5)
    with pytest.raises(ValueError, match="normalize"):
        cooccurrence(inc, normalize="pmi")
    with pytest.raises(ValueError):
        cooccurrence(inc, min_count=0)
    with pytest.raises(TypeError):
        cooccurrence([["A", "B"]])


def test_empty_and_codeless():
    co = cooccurrence(incidence(pa.array([[], [], None], pa.list_(pa.string()))))
    assert co.n_nodes == 0 and co.n_edges == 0 and co.total == 0 and co.n_documents == 3
    assert to_networkx(co).number_of_nodes() == 0
    co = cooccurrence(incidence(pa.array([["A"], ["B"]])))
    assert co.n_nodes == 2 and co.n_edges == 0 and co.link_strength.tolist() == [0, 0]


def test_large_item_space_stays_sparse():
    # 70k items (subgroup scale): a dense 70k x 70k matrix would need 39 GB
    rng = np.random.default_rng(0)
    n_docs, n_items = 100_000, 70_000
    k = rng.poisson(3, n_docs) + 1
    rows = np.repeat(np.arange(n_docs), k)
    cols = rng.integers(0, n_items, k.sum())
    m = sp.csr_matrix((np.ones(len(rows), np.int8), (rows, cols)), shape=(n_docs, n_items))
    m.data[:] = 1
    inc = Incidence(m, np.array([f"c{i}" for i in range(n_items)], dtype=object), np.arange(n_docs).astype(str))
    co = cooccurrence(inc)
    assert sp.issparse(co.counts) and sp.issparse(co.strength)
    used = len(np.unique(cols))  # items no document carries are dropped
    assert co.counts.shape == (used, used) and co.counts.nnz < 2_000_000
    m32 = m.astype(np.int32)
    assert co.n_edges == sp.triu(m32.T @ m32, k=1).nnz  # scipy's sparse product as the oracle here


# --- the bundled drone sample --------------------------------------------------------------------

def _naive_codes(drones, field, cut):
    return naive([[cut(c) for c in codes] for codes in drones[field].to_pylist()])


# measured on patentnav.datasets.drones() (9,071 Lens documents; 74 without IPC codes)
DRONES = {
    ("ipc", "subclass"): (425, 3561),
    ("ipc", "main_group"): (2104, 15228),
    ("cpc", "subclass"): (461, 6391),
}


@pytest.mark.parametrize("field,level", list(DRONES))
def test_drones_nodes_and_edges(drones, field, level):
    co = cooccurrence(drones, field=field, level=level)
    assert (co.n_nodes, co.n_edges) == DRONES[(field, level)]
    assert co.n_documents == 9071 and co.field == field and co.level == level
    # cross-check with the naive loop; truncation by string (canonical codes), not truncate_array
    cut = (lambda c: c[:4]) if level == "subclass" else (lambda c: c.split("/")[0] + "/00")
    occ, pairs, g = _naive_codes(drones, field, cut)
    assert (g.number_of_nodes(), g.number_of_edges()) == DRONES[(field, level)]
    assert edge_dict(co) == dict(pairs)
    assert dict(zip(co.items, co.occurrences.tolist())) == dict(occ)


def test_drones_level_truncation(drones):
    sub = cooccurrence(drones, level="subclass")
    mg = cooccurrence(drones, level="main_group")
    assert mg.n_nodes > sub.n_nodes and mg.n_edges > sub.n_edges
    assert {c[:4] for c in mg.items} == set(sub.items)
    # aggregating the main-group incidence to subclasses gives the subclass network exactly
    inc = code_incidence(drones, level="main_group")
    parent = np.array([c[:4] for c in inc.items])
    subs, col = np.unique(parent, return_inverse=True)
    P = sp.csr_matrix((np.ones(len(col), np.int32), (np.arange(len(col)), col)), shape=(len(col), len(subs)))
    X = (inc.matrix.astype(np.int32) @ P).tocsr()
    X.data[:] = 1
    agg = cooccurrence(Incidence(X.astype(np.int8), subs.astype(object), inc.documents))
    assert agg.items.tolist() == sub.items.tolist()
    assert (agg.counts != sub.counts).nnz == 0
    np.testing.assert_allclose(agg.strength.toarray(), sub.strength.toarray())
    # a main group never co-occurs more often than its subclasses do
    assert sub.occurrences.max() >= mg.occurrences.max()


def test_drones_graph_attributes(drones):
    co = cooccurrence(drones, min_count=2)
    g = to_networkx(co)
    assert (g.number_of_nodes(), g.number_of_edges()) == (co.n_nodes, co.n_edges)
    b64c = g.nodes["B64C"]
    assert b64c["label"] == "B64C" and b64c["occurrences"] == int(co.occurrences[list(co.items).index("B64C")])
    assert "AEROPLANES" in b64c["title"].upper()
    u, v, d = next(iter(g.edges(data=True)))
    assert set(d) == {"count", "strength"} and d["count"] >= 2 and d["strength"] > 0
    assert isinstance(d["count"], int) and isinstance(d["strength"], float)
    cpc = to_networkx(cooccurrence(drones, field="cpc"))
    ys = [n for n in cpc if n.startswith("Y")]
    assert ys and all("title" not in cpc.nodes[n] for n in ys)  # CPC-only: no IPC title
    assert all("title" not in d for _, d in to_networkx(co, titles=False).nodes(data=True))


# --- exports ------------------------------------------------------------------------------------------

def _same_graph(h: nx.Graph, g: nx.Graph, node_map=lambda n: n):
    assert set(h.nodes) == {node_map(n) for n in g.nodes}
    for n, d in g.nodes(data=True):
        hd = h.nodes[node_map(n)]
        for k, v in d.items():
            assert hd[k] == (xml_text(v) if isinstance(v, str) else v), (n, k)
    assert h.number_of_edges() == g.number_of_edges()
    for u, v, d in g.edges(data=True):
        hd = h.edges[node_map(u), node_map(v)]
        assert hd["count"] == d["count"] and hd["strength"] == d["strength"]


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_xml_round_trip_drones(drones, tmp_path, fmt):
    co = cooccurrence(drones, min_count=3)
    path = tmp_path / f"g.{fmt}"
    (write_gexf if fmt == "gexf" else write_graphml)(co, path)
    h = (nx.read_gexf if fmt == "gexf" else nx.read_graphml)(path)
    _same_graph(h, to_networkx(co))


def _read_vos_map(path):
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""  # final newline, nothing after it
    header = lines[0].split("\t")
    rows = [ln.split("\t") for ln in lines[1:-1]]
    assert all(len(r) == len(header) for r in rows), "a value broke the columns"
    return header, rows


def _read_vos_network(path):
    out = []
    for ln in path.read_text(encoding="utf-8").splitlines():
        a, b, w = ln.split("\t")
        out.append((int(a), int(b), float(w)))
    return out


def test_vosviewer_round_trip_drones(drones, tmp_path):
    co = cooccurrence(drones, min_count=2)
    ids = write_vosviewer(co, tmp_path / "map.txt", tmp_path / "network.txt")
    header, rows = _read_vos_map(tmp_path / "map.txt")
    assert header == ["id", "label", "weight<Occurrences>"]
    assert [int(r[0]) for r in rows] == list(range(1, co.n_nodes + 1))
    assert [r[1] for r in rows] == co.items.tolist()
    assert [int(r[2]) for r in rows] == co.occurrences.tolist()
    label = {int(r[0]): r[1] for r in rows}
    links = _read_vos_network(tmp_path / "network.txt")
    assert len(links) == co.n_edges
    got = {tuple(sorted((label[a], label[b]))): w for a, b, w in links}
    assert got == {p: float(k) for p, k in edge_dict(co).items()}
    assert ids["B64C"] == co.items.tolist().index("B64C") + 1
    # normalised strengths, exactly (repr of floats)
    write_vosviewer_network(co, tmp_path / "as.txt", weight="strength")
    got = {tuple(sorted((label[a], label[b]))): w for a, b, w in _read_vos_network(tmp_path / "as.txt")}
    assert got == edge_dict(co, "strength")


def test_vosviewer_clusters_layout_descriptions(drones, tmp_path):
    co = cooccurrence(drones, min_occurrences=50)
    g = to_networkx(co)
    comms = nx.community.greedy_modularity_communities(g, weight="strength")
    pos = nx.spring_layout(g, seed=1)
    write_vosviewer_map(g, tmp_path / "map.txt", clusters=comms, layout=pos, descriptions=True)
    header, rows = _read_vos_map(tmp_path / "map.txt")
    assert header == ["id", "label", "description", "x", "y", "cluster", "weight<Occurrences>"]
    clusters = {r[1]: int(r[5]) for r in rows}
    for k, members in enumerate(comms, start=1):
        assert all(clusters[m] == k for m in members)
    assert all(1 <= c <= 1000 for c in clusters.values())
    r = rows[[x[1] for x in rows].index("B64C")]
    assert float(r[3]) == pos["B64C"][0] and float(r[4]) == pos["B64C"][1]
    assert "AEROPLANES" in r[2].upper()
    with pytest.raises(ValueError, match="1 to 1000"):
        write_vosviewer_map(g, tmp_path / "bad.txt", clusters={n: 0 for n in g})


NASTY = [
    "tab\tinside",
    "new\nline",
    "cr\r\nlf",
    "<script>alert('x')</script>",
    'quote"d',
    "semi;colon, comma",
    "=HYPERLINK(\"http://evil\")",
    "ctl\x01\x0bchar",
    "line\u2028separator",
    "&amp; entity",
    "ok",
]


def test_nasty_labels_never_break_files(tmp_path):
    docs = [NASTY[: k + 2] for k in range(len(NASTY) - 1)] + [[NASTY[0], NASTY[3]]]
    co = cooccurrence(incidence(pa.array(docs)))
    assert co.n_nodes == len(NASTY)
    g = to_networkx(co)
    for n in g:
        g.nodes[n]["title"] = "<b>" + n + "</b>"  # descriptions go through HTML escaping

    # VOSviewer: one line per item, columns intact
    write_vosviewer(g, tmp_path / "map.txt", tmp_path / "net.txt", descriptions=True)
    header, rows = _read_vos_map(tmp_path / "map.txt")
    assert len(rows) == len(NASTY)
    labels = [r[1] for r in rows]
    for lab in labels:
        assert not any(ch in lab for ch in "\t\r\n\x01\x0b\u2028")
    assert vosviewer_text("tab\tinside") in labels and "tab inside" in labels
    assert '"quote""d"' in labels and '"semi;colon, comma"' in labels
    assert "'=HYPERLINK" in next(lab for lab in labels if "HYPERLINK" in lab)
    assert all("<" not in r[2] for r in rows)  # HTML-escaped descriptions
    assert "&lt;script&gt;" in rows[[r[1] for r in rows].index("<script>alert('x')</script>")][2]
    assert len(_read_vos_network(tmp_path / "net.txt")) == co.n_edges

    # GEXF and GraphML: parse, no injected element, labels read back as written
    for write, read, name in ((write_gexf, nx.read_gexf, "g.gexf"), (write_graphml, nx.read_graphml, "g.graphml")):
        path = tmp_path / name
        write(g, path)
        tree = ET.parse(path)
        assert not [el for el in tree.iter() if el.tag.split("}")[-1] == "script"]
        h = read(path)
        _same_graph(h, g, node_map=xml_text)
        assert h.nodes["tab\tinside"]["label"] == "tab\tinside"
        assert h.nodes["<script>alert('x')</script>"]["label"] == "<script>alert('x')</script>"
        assert h.nodes["ctl\ufffd\ufffdchar"]["label"] == "ctl\ufffd\ufffdchar"
        assert h.nodes["cr\nlf"]["label"] == "cr\nlf"


def test_xml_ids_made_unique(tmp_path):
    g = nx.Graph()
    g.add_edge("a\x01", "a\x02", count=1, strength=1.0)
    write_graphml(g, tmp_path / "g.graphml")
    h = nx.read_graphml(tmp_path / "g.graphml")
    assert sorted(h.nodes) == ["a\ufffd", "a\ufffd~2"] and h.number_of_edges() == 1
