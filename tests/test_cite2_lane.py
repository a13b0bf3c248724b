"""Issue 16 (cite2 lane): the faster citation matching (kind-less keys on the bytes, the
numbers' keys looked up rather than every key encoded, threaded exact look-up) and the graph's
Arrow labels, against the former definitions copied here as oracles, on random inputs and edge
cases (empty, nulls, one row). Results must be the same bit for bit."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import patentnav
from patentnav.landscape import citations as C
from patentnav.landscape.citations import (_Resolved, _blank, _codes, _distinct_in_rows, _grouped, _index_dtype,
                                           _index_in, _kindless_regex, _np_bool, citation_graph, kindless)

from test_cite_lane import random_corpus


# --- former definitions (main f69b343), the oracles --------------------------------------------


def _kindless_old(numbers) -> pa.Array:
    arr = numbers if isinstance(numbers, (pa.Array, pa.ChunkedArray)) else pa.array(list(numbers), pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pc.replace_substring_regex(arr.cast(pa.string()), r"^([^-]+-[^-]+)-.*$", r"\1")


def _resolve_old(corpus, pub: pa.Array, kind_fallback: bool, all_keys: bool = False) -> _Resolved:
    n = len(pub)
    lists = corpus["cited_publications"]
    if isinstance(lists, pa.Array):
        lists = pa.chunked_array([lists])
    if lists.null_count:
        lists = pc.fill_null(lists, pa.scalar([], lists.type))
    flat = pc.list_flatten(lists).cast(pa.string())
    ends = np.cumsum(pc.list_value_length(lists).to_numpy())
    code = pc.fill_null(pc.index_in(flat, value_set=pub), -1).to_numpy()
    valid = _np_bool(pc.is_valid(flat))
    other = valid & (code < 0)
    enc = pc.dictionary_encode(flat.filter(pa.array(other)).combine_chunks())
    rest = enc.dictionary
    width = n + len(rest)
    it = _index_dtype(max(width, len(code) + 1))
    code = np.array(code, dtype=it)
    code[other] = enc.indices.to_numpy(zero_copy_only=False).astype(it) + n
    blank = np.concatenate([_np_bool(_blank(pub)), _np_bool(_blank(rest))])
    ok = valid & ~blank[code]
    kept = np.zeros(len(ok) + 1, dtype=it)
    np.cumsum(ok, dtype=it, out=kept[1:])
    indptr, ref_code = _distinct_in_rows(np.concatenate([np.zeros(1, it), kept[ends]]), code[ok], width)
    key_of = _codes(_kindless_old(pa.concat_arrays([pub, rest])), it)
    exact = ref_code < n
    pair_ref = np.arange(len(ref_code), dtype=it)[exact]
    pair_tgt = ref_code[exact]
    n_exact = len(pair_ref)
    n_kindless = n_ambiguous = 0
    if kind_fallback and n_exact < len(ref_code):
        pub_key = key_of[:n]
        n_keys = int(key_of.max()) + 1
        order, start = _grouped(pub_key, n_keys - 1)
        rest_ref = np.arange(len(ref_code), dtype=it)[~exact]
        k = key_of[ref_code[rest_ref]]
        lo = start[k]
        cnt = start[k + 1] - lo
        within = np.arange(int(cnt.sum()), dtype=it) - np.repeat(np.cumsum(cnt) - cnt, cnt).astype(it)
        pair_ref = np.concatenate([pair_ref, np.repeat(rest_ref, cnt)])
        pair_tgt = np.concatenate([pair_tgt, order[np.repeat(lo, cnt) + within]])
        n_kindless = int((cnt > 0).sum())
        n_ambiguous = int((cnt > 1).sum())
    return _Resolved(indptr, ref_code, key_of, pair_ref, pair_tgt.astype(it, copy=False), n_exact, n_kindless, n_ambiguous)


def _old_graph(corpus, monkeypatch, kind_fallback=True):
    with monkeypatch.context() as m:
        m.setattr(C, "_resolve", _resolve_old)
        g = citation_graph(corpus, kind_fallback=kind_fallback)
    return g


def assert_same_graph(g, o):
    assert g.n == o.n
    assert g.nodes.dtype == object and g.nodes.tolist() == [str(x) if x is not None else None for x in o.nodes.tolist()]
    for a in ("src", "dst", "n_references", "n_external", "n_self"):
        x, y = getattr(g, a), getattr(o, a)
        assert x.dtype == y.dtype and np.array_equal(x, y), a
    assert g.stats == o.stats and g.has_citation_data == o.has_citation_data and g.summary == o.summary
    assert g.arcs().equals(o.arcs())


def corpus(**cols) -> patentnav.Corpus:
    return patentnav.Corpus(pa.table(cols))


# --- kindless ----------------------------------------------------------------------------------

EDGE = ["US-1-A", "US-1-A\nB", "U\nS-1-A", "US-1\n-A", "US-1-\n", "US-1-", "US-1", "-1-A", "US--A", "US-1--",
        "é-ü-ß", "a-b-c-d", "", "-", "--", "---", "a-b-\nc\n", "a-b-c\n", "中国-1-文", None, " - - ", "a-\n-b"]


def test_kindless_edge_cases():
    a = pa.array(EDGE, pa.string())
    assert kindless(a).equals(_kindless_old(a))
    for i in range(len(EDGE)):  # one row, and slices with an offset
        assert kindless(a.slice(i, 1)).equals(_kindless_old(a.slice(i, 1)))
        assert kindless(a.slice(i)).equals(_kindless_old(a.slice(i)))
    assert kindless(pa.array([], pa.string())).equals(_kindless_old(pa.array([], pa.string())))
    assert kindless(pa.array([None, None], pa.string())).to_pylist() == [None, None]
    assert kindless(EDGE).equals(_kindless_old(EDGE))  # a list
    assert kindless(pa.chunked_array([EDGE[:5], EDGE[5:]])).equals(_kindless_old(pa.array(EDGE)))
    assert kindless(pa.array(EDGE, pa.large_string())).equals(_kindless_old(pa.array(EDGE)))
    assert _kindless_regex(pa.array(EDGE)).equals(_kindless_old(pa.array(EDGE)))


@pytest.mark.parametrize("seed", range(6))
def test_kindless_random(seed):
    rng = random.Random(seed)
    alpha = ["-", "-", "-", "a", "B", "1", "\n", "é", "中", " ", "x"]
    for _ in range(300):
        m = rng.randint(0, 30)
        xs = ["".join(rng.choice(alpha) for _ in range(rng.randint(0, 9))) if rng.random() > 0.1 else None
              for _ in range(m)]
        a = pa.array(xs, pa.string())
        if m > 3 and rng.random() < 0.5:
            a = a.slice(rng.randint(0, 2), m - 3)
        assert kindless(a).equals(_kindless_old(a))


# --- exact look-up in threads --------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_index_in_sliced_threads(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    pub = pa.array([f"US-{i}-A" for i in rng.permutation(50)] + ["US-3-A"], pa.string())  # a repeated number
    vals = [None if rng.random() < 0.1 else f"US-{rng.integers(0, 80)}-A" for _ in range(int(rng.integers(0, 400)))]
    flat = pa.chunked_array([pa.array(vals[:len(vals) // 3], pa.string()), pa.array(vals[len(vals) // 3:], pa.string())])
    want = pc.fill_null(pc.index_in(flat, value_set=pub), -1).to_numpy()
    assert np.array_equal(_index_in(flat, pub), want)
    monkeypatch.setattr(C, "_SLICE", 7)
    monkeypatch.setattr(pa, "cpu_count", lambda: 3)
    got = _index_in(flat, pub)
    assert got.dtype == np.int32 and got.flags.writeable and np.array_equal(got, want)
    assert np.array_equal(_index_in(flat.combine_chunks(), pub), want)


# --- the graph against the former matching -------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("kind_fallback", [True, False])
def test_graph_random(seed, kind_fallback, monkeypatch):
    c = random_corpus(seed, n=[0, 1, 2, 40, 300][seed % 5], p_null=0.1 + 0.02 * seed)
    assert_same_graph(citation_graph(c, kind_fallback=kind_fallback), _old_graph(c, monkeypatch, kind_fallback))


@pytest.mark.parametrize("seed", range(6))
def test_graph_random_threaded_and_families(seed, monkeypatch):
    base = random_corpus(100 + seed, n=400)
    lists = base["cited_publications"].combine_chunks()
    tripled = pa.array([x + x[::-1] + x if x is not None else None for x in lists.to_pylist()],
                       pa.list_(pa.string()))  # repeated references within a document
    c = corpus(publication_number=base["publication_number"], cited_publications=tripled)
    o = _old_graph(c, monkeypatch)
    calls = []
    with monkeypatch.context() as m:
        m.setattr(C, "_SLICE", 50)
        m.setattr(pa, "cpu_count", lambda: 2)
        slice_ = C._index_in_slice
        m.setattr(C, "_index_in_slice", lambda v, s: calls.append(len(v)) or slice_(v, s))
        g = citation_graph(c)
    assert len(calls) >= 2 and calls[0] < len(pc.list_flatten(tripled))  # looked up in slices
    assert_same_graph(g, o)
    fam = np.array([p.rsplit("-", 2)[1] for p in c["publication_number"].to_pylist()], dtype=object)
    with monkeypatch.context() as m:
        m.setattr(C, "_resolve", _resolve_old)
        fo = o.to_families(fam)
    assert_same_graph(g.to_families(fam), fo)


def test_graph_edge_cases(monkeypatch):
    cases = [
        corpus(publication_number=pa.array([], pa.string()), cited_publications=pa.array([], pa.list_(pa.string()))),
        corpus(publication_number=["US-1-A"], cited_publications=pa.array([None], pa.list_(pa.string()))),
        corpus(publication_number=["US-1-A"], cited_publications=[["US-1", "US-1-B", "", None]]),
        corpus(publication_number=["US-1-A", "US-1-B"], cited_publications=[["US-1-C"], ["US-1"]]),
        corpus(publication_number=["US-1-A", "US-1-A", "EP-2"], cited_publications=[["EP-2-B1"], ["US-1-A", "EP-2"], []]),
        corpus(publication_number=["a-b-c\n", "a-b-d", "x"], cited_publications=[["a-b-z", "a-b-c\n"], ["a-b-c"], ["x-"]]),
        corpus(publication_number=["US-1-A", "US-2-A"], cited_publications=[["WO-1-A", "WO-1-A"], ["WO-1"]]),
    ]
    for c in cases:
        for kf in (True, False):
            assert_same_graph(citation_graph(c, kind_fallback=kf), _old_graph(c, monkeypatch, kf))


def test_labels_are_the_arrow_column():
    c = random_corpus(7, n=50)
    g = citation_graph(c)
    assert isinstance(g.labels, (pa.Array, pa.ChunkedArray))
    assert g.nodes.tolist() == c["publication_number"].to_pylist() and g.n == 50
    fw = C.windowed_forward_citations(c, graph=g)
    assert fw.index.tolist() == g.nodes.tolist()
    engine_like = C.CitationGraph(np.array(["a", "b"], dtype=object), np.array([0]), np.array([1]),
                                  np.zeros(2, np.int64), np.zeros(2, np.int64), np.zeros(2, np.int64))
    assert engine_like.n == 2 and engine_like.nodes.tolist() == ["a", "b"]
    assert engine_like.arcs().values.tolist() == [["a", "b"]]
