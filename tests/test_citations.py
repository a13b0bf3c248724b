"""Citation graph, windowed forward citations, families, coupling and co-citation
(patentnav.landscape.citations), on hand-made corpora with known structure, against a
brute-force Python oracle, and on the real USPTO XML sample."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

import patentnav
from patentnav.landscape.citations import (
    CitationGraph,
    bibliographic_coupling,
    citation_graph,
    co_citation,
    family_keys,
    kindless,
    windowed_forward_citations,
)

USPTO = Path(__file__).parent / "data" / "uspto-grant-xml"
D = dt.date


def corpus(**cols) -> patentnav.Corpus:
    return patentnav.Corpus(pa.table(cols))


def arcs(g: CitationGraph) -> set[tuple[str, str]]:
    return set(map(tuple, g.arcs().values.tolist()))


# --- matching ------------------------------------------------------------------------------


def test_kindless_helper():
    assert kindless(["US-9123456-B2", "US-9123456", "US-D448703-S", "WO-2016123456-A1"]).to_pylist() == [
        "US-9123456", "US-9123456", "US-D448703", "WO-2016123456"]


def test_match_without_kind_and_application_vs_grant():
    c = corpus(
        publication_number=["US-9123456-B2", "US-9500000-B1", "US-9600000-B2", "US-9700000-B2"],
        cited_publications=[
            [],
            ["US-9123456"],  # no kind -> the B2
            ["US-9123456-A"],  # another kind (old US grants are cited as A) -> the B2
            ["US-20150123456-A1"],  # the pre-grant publication: another number, no match
        ],
    )
    g = citation_graph(c)
    assert arcs(g) == {("US-9123456-B2", "US-9500000-B1"), ("US-9123456-B2", "US-9600000-B2")}
    assert g.n_external.tolist() == [0, 0, 0, 1]
    s = g.summary
    assert (s["matched_exact"], s["matched_kindless"], s["matched_ambiguous"]) == (0, 2, 0)
    # exact matches only
    g2 = citation_graph(c, kind_fallback=False)
    assert len(g2.src) == 0 and g2.n_external.tolist() == [0, 1, 1, 1]


def test_exact_match_wins_and_kindless_links_every_kind():
    c = corpus(
        publication_number=["EP-1000000-A1", "EP-1000000-B1", "DE-1-A1", "DE-2-A1"],
        cited_publications=[[], [], ["EP-1000000-B1"], ["EP-1000000"]],
    )
    g = citation_graph(c)
    assert arcs(g) == {
        ("EP-1000000-B1", "DE-1-A1"),  # exact: the B1 only
        ("EP-1000000-A1", "DE-2-A1"), ("EP-1000000-B1", "DE-2-A1"),  # no kind: both publications
    }
    s = g.summary
    assert (s["matched_exact"], s["matched_kindless"], s["matched_ambiguous"]) == (1, 1, 1)


def test_external_counts_duplicates_and_totals():
    c = corpus(
        publication_number=["US-1-B2", "US-2-B2", "US-3-B2"],
        cited_publications=[
            ["JP-2001000001-A", "JP-2001000001-A", "WO-2000000001-A1"],  # a repeated reference counts once
            ["US-1-B2", "US-1", "CN-100000000-C"],  # two spellings of one document: two references, one arc
            [],
        ],
    )
    g = citation_graph(c)
    assert arcs(g) == {("US-1-B2", "US-2-B2")}
    assert g.n_references.tolist() == [2, 3, 0]
    assert g.n_external.tolist() == [2, 1, 0]
    s = g.summary
    assert s["references"] == 5 and s["references_external"] == 3 and s["references_in_corpus"] == 2
    assert s["arcs"] == 1 and s["nodes_with_references"] == 2
    assert s["nodes_cited_in_corpus"] == 1 and s["nodes_citing_in_corpus"] == 1


def test_self_citation_dropped_and_counted():
    c = corpus(
        publication_number=["US-1-B2", "US-2-B2", "EP-5-A1", "EP-5-B1"],
        cited_publications=[["US-1-B2", "US-2-B2"], ["US-2"], [], ["EP-5"]],
    )
    g = citation_graph(c)
    # US-2-B2 cites itself (without kind): dropped; EP-5-B1 cites "EP-5" = its own number and the A1
    assert arcs(g) == {("US-2-B2", "US-1-B2"), ("EP-5-A1", "EP-5-B1")}
    assert g.n_self.tolist() == [1, 1, 0, 0]  # references resolving only to the citing document
    assert g.summary["self_citations"] == 2
    assert g.summary["self_pairs_dropped"] == 3  # the EP-5 self pair too
    assert g.n_external.tolist() == [0, 0, 0, 0]
    assert (g.src != g.dst).all()


def test_matrix_orientation_and_degrees():
    c = corpus(publication_number=["A-1-A", "A-2-A", "A-3-A"], cited_publications=[[], ["A-1-A"], ["A-1-A", "A-2-A"]])
    g = citation_graph(c)
    m = g.matrix
    assert m.shape == (3, 3) and m.format == "csr"
    assert m.toarray().tolist() == [[0, 1, 1], [0, 0, 1], [0, 0, 0]]  # A[cited, citing]
    assert g.in_corpus_forward().tolist() == [2, 1, 0]
    assert g.in_corpus_backward().tolist() == [0, 1, 2]


def test_to_networkx():
    c = corpus(publication_number=["A-1-A", "A-2-A", "A-3-A"], cited_publications=[[], ["A-1-A", "X-9"], []])
    nxg = citation_graph(c).to_networkx(year=[2000, 2001, 2002])
    assert list(nxg.edges) == [("A-1-A", "A-2-A")]
    assert sorted(nxg.nodes) == ["A-1-A", "A-2-A", "A-3-A"]  # isolated nodes kept
    assert nxg.nodes["A-2-A"] == {"n_references": 2, "n_external": 1, "n_self": 0, "year": 2001}


def test_empty_and_no_citation_data():
    g = citation_graph(corpus(publication_number=["A-1-A", "A-2-A"]))
    assert not g.has_citation_data and len(g.src) == 0 and g.matrix.nnz == 0
    g0 = citation_graph(patentnav.Corpus())
    assert g0.n == 0 and g0.summary["arcs"] == 0


# --- brute-force oracle for the matching rule ------------------------------------------------


def _oracle_graph(pubs: list[str], cited: list[list[str]]):
    key = {p: "-".join(p.split("-")[:2]) for p in pubs}
    arcs_, ext, selfc = set(), [], []
    for i, refs in enumerate(cited):
        e = s = 0
        for r in dict.fromkeys(refs):
            targets = [j for j, p in enumerate(pubs) if p == r]
            if not targets:
                k = "-".join(r.split("-")[:2])
                targets = [j for j, p in enumerate(pubs) if key[p] == k]
            if not targets:
                e += 1
            elif all(j == i for j in targets):
                s += 1
            arcs_ |= {(pubs[j], pubs[i]) for j in targets if j != i}
        ext.append(e)
        selfc.append(s)
    return arcs_, ext, selfc


def _random_corpus(rng: np.random.Generator, n: int = 80, pool_extra: int = 40):
    nums = rng.choice(np.arange(1, 60), size=n, replace=True)
    kinds = rng.choice(["A1", "B1", "B2", "A"], size=n)
    pubs = list(dict.fromkeys(f"XX-{a}-{k}" for a, k in zip(nums, kinds)))
    n = len(pubs)
    pool = [p for p in pubs] + ["-".join(p.split("-")[:2]) for p in pubs] + [f"XX-{a}-C" for a in range(1, 60)] \
        + [f"YY-{a}-A" for a in range(pool_extra)]
    cited = [list(rng.choice(pool, size=rng.integers(0, 9), replace=True)) for _ in range(n)]
    return pubs, cited


@pytest.mark.parametrize("seed", range(5))
def test_graph_matches_oracle(seed):
    rng = np.random.default_rng(seed)
    pubs, cited = _random_corpus(rng)
    c = corpus(publication_number=pubs, cited_publications=cited)
    g = citation_graph(c)
    o_arcs, o_ext, o_self = _oracle_graph(pubs, cited)
    assert arcs(g) == o_arcs
    assert g.n_external.tolist() == o_ext
    assert g.n_self.tolist() == o_self
    assert g.n_references.tolist() == [len(set(r)) for r in cited]
    # sorted unique arcs
    k = g.src * g.n + g.dst
    assert (np.diff(k) > 0).all()


# --- windowed forward citations -------------------------------------------------------------


def test_window_edges_exactly_five_years():
    c = corpus(
        publication_number=["P-1-A", "C-1-A", "C-2-A", "C-3-A", "C-4-A", "C-5-A", "L-1-A", "C-6-A", "C-7-A"],
        publication_date=[D(2010, 3, 15), D(2015, 3, 15), D(2015, 3, 16), D(2010, 3, 15), D(2010, 3, 14), None,
                          D(2012, 2, 29), D(2017, 2, 28), D(2017, 3, 1)],
        cited_publications=[[], ["P-1"], ["P-1"], ["P-1"], ["P-1"], ["P-1"], [], ["L-1"], ["L-1"]],
    )
    fw = windowed_forward_citations(c)
    p = fw.loc["P-1-A"]
    # C-1 on the 5th anniversary (in), C-2 a day later (out), C-3 the same day (in),
    # C-4 the day before publication (not counted, reported), C-5 undated (not counted, reported)
    assert p["forward_window"] == 2
    assert p["forward_in_corpus"] == 5
    assert p["citing_before"] == 1 and p["citing_undated"] == 1
    assert p["window_end"] == D(2015, 3, 15)
    # a 29 February publication: the window ends on 28 February
    l1 = fw.loc["L-1-A"]
    assert l1["forward_window"] == 1 and l1["window_end"] == D(2017, 2, 28)
    # an undated document has no windowed count
    assert fw.loc["C-5-A"].isna()["forward_window"]
    # window complete iff it ends on or before the latest publication date (2017-03-01)
    assert bool(fw.loc["P-1-A", "window_complete"]) and not bool(fw.loc["C-1-A", "window_complete"])
    assert bool(fw.loc["L-1-A", "window_complete"])
    # years parameter
    assert windowed_forward_citations(c, years=6).loc["P-1-A", "forward_window"] == 3


def test_window_null_without_citation_data():
    c = corpus(publication_number=["A-1-A", "A-2-A"], publication_date=[D(2000, 1, 1), D(2001, 1, 1)])
    fw = windowed_forward_citations(c)
    assert fw["forward_window"].isna().all() and fw["forward_in_corpus"].isna().all()


def test_window_vectorised_against_oracle():
    rng = np.random.default_rng(7)
    pubs, cited = _random_corpus(rng, n=150)
    days = rng.integers(0, 365 * 12, size=len(pubs))
    dates = [D(2000, 1, 1) + dt.timedelta(days=int(x)) for x in days]
    c = corpus(publication_number=pubs, cited_publications=cited, publication_date=dates)
    g = citation_graph(c)
    fw = windowed_forward_citations(c, graph=g)

    def anniversary(d: dt.date, y: int) -> dt.date:
        try:
            return d.replace(year=d.year + y)
        except ValueError:  # 29 February
            return d.replace(year=d.year + y, day=28)

    expected = np.zeros(len(pubs), dtype=int)
    for s, d in zip(g.src, g.dst):
        if dates[s] <= dates[d] <= anniversary(dates[s], 5):
            expected[s] += 1
    assert fw["forward_window"].to_numpy(dtype=int).tolist() == expected.tolist()


# --- families --------------------------------------------------------------------------------


def test_family_aggregation():
    c = corpus(
        publication_number=["US-1-B2", "EP-1-A1", "US-2-B2", "EP-2-A1", "CN-3-A"],
        family_id=["F1", "F1", "F2", "F2", None],  # CN-3-A: its own family
        cited_publications=[
            [],
            ["US-1"],  # within F1: dropped
            ["US-1-B2", "X-9-A"],
            ["EP-1-A1", "US-1", "X-9-B"],  # F2 -> F1 again (deduped); X-9 once for the family
            ["US-2-B2", "EP-2"],
        ],
    )
    keys = family_keys(c)
    assert keys.tolist() == ["F1", "F1", "F2", "F2", "CN-3-A"]
    g = citation_graph(c)
    f = g.to_families(keys)
    assert f.level == "family"
    assert f.nodes.tolist() == ["F1", "F2", "CN-3-A"]
    assert arcs(f) == {("F1", "F2"), ("F2", "CN-3-A")}
    assert f.stats["within_family_arcs"] == 1
    assert f.n_references.tolist() == [1, 3, 2]  # F2: US-1, EP-1, X-9 (kind-less, distinct)
    assert f.n_external.tolist() == [0, 1, 0]
    assert f.n_self.tolist() == [1, 0, 0]  # F1's "US-1" resolves inside the family only
    assert f.matrix.toarray().tolist() == [[0, 1, 0], [0, 0, 1], [0, 0, 0]]
    with pytest.raises(ValueError):
        f.to_families(["a", "b", "c"])
    with pytest.raises(ValueError):
        g.to_families(["a"])


# --- coupling and co-citation ------------------------------------------------------------------


def _oracle_coupling(cited: list[list[str]]) -> dict[tuple[int, int], int]:
    sets = [{"-".join(r.split("-")[:2]) for r in refs} for refs in cited]
    out = {}
    for i, j in itertools.combinations(range(len(cited)), 2):
        w = len(sets[i] & sets[j])
        if w:
            out[(i, j)] = w
    return out


def _as_dict(m) -> dict[tuple[int, int], int]:
    u = m.tocoo()
    return {(int(i), int(j)): int(w) for i, j, w in zip(u.row, u.col, u.data) if i < j}


@pytest.mark.parametrize("seed", range(4))
def test_coupling_matches_oracle(seed):
    rng = np.random.default_rng(100 + seed)
    pubs, cited = _random_corpus(rng, n=60)
    c = corpus(publication_number=pubs, cited_publications=cited)
    b = bibliographic_coupling(c)
    m = b.matrix
    assert m.shape == (len(pubs), len(pubs)) and (m != m.T).nnz == 0 and m.diagonal().sum() == 0
    oracle = _oracle_coupling(cited)
    assert _as_dict(m) == oracle
    assert b.labels.tolist() == pubs
    b2 = bibliographic_coupling(c, min_weight=2)
    assert _as_dict(b2.matrix) == {k: w for k, w in oracle.items() if w >= 2}


@pytest.mark.parametrize("seed", range(4))
def test_co_citation_matches_oracle(seed):
    rng = np.random.default_rng(200 + seed)
    pubs, cited = _random_corpus(rng, n=60)
    c = corpus(publication_number=pubs, cited_publications=cited)
    g = citation_graph(c)
    # in-corpus: number of corpus documents citing both (arcs of the graph)
    citing_sets = [set() for _ in pubs]
    for s, d in zip(g.src, g.dst):
        citing_sets[s].add(d)
    oracle = {}
    for i, j in itertools.combinations(range(len(pubs)), 2):
        w = len(citing_sets[i] & citing_sets[j])
        if w:
            oracle[(i, j)] = w
    cc = co_citation(c)
    assert _as_dict(cc.matrix) == oracle and cc.matrix.diagonal().sum() == 0
    assert _as_dict(co_citation(g, min_weight=2).matrix) == {k: w for k, w in oracle.items() if w >= 2}
    # all references: pairs of (kind-less) references cited together by a corpus document
    cr = co_citation(c, scope="references")
    refsets = [{"-".join(r.split("-")[:2]) for r in refs} for refs in cited]
    labels = cr.labels.tolist()
    assert labels == sorted(set().union(*refsets))
    pair_oracle: dict[tuple[int, int], int] = {}
    pos = {lab: k for k, lab in enumerate(labels)}
    for s in refsets:
        for a, b in itertools.combinations(sorted(pos[x] for x in s), 2):
            pair_oracle[(a, b)] = pair_oracle.get((a, b), 0) + 1
    assert _as_dict(cr.matrix) == pair_oracle


def test_coupling_counts_out_of_corpus_references_and_exports():
    c = corpus(
        publication_number=["A-1-A", "A-2-A", "A-3-A"],
        cited_publications=[["X-1-A", "X-2-A", "X-3"], ["X-1-B", "X-2-A"], ["Y-1-A"]],
    )
    b = bibliographic_coupling(c)
    assert b.matrix.toarray().tolist() == [[0, 2, 0], [2, 0, 0], [0, 0, 0]]
    assert b.edges().to_dict("records") == [{"source": "A-1-A", "target": "A-2-A", "weight": 2}]
    assert bibliographic_coupling(c, kind_fallback=False).matrix[0, 1] == 1  # X-1-A != X-1-B
    nxg = b.to_networkx()
    assert sorted(nxg.nodes) == ["A-1-A", "A-2-A", "A-3-A"] and nxg["A-1-A"]["A-2-A"]["weight"] == 2
    assert b.strength().tolist() == [2, 2, 0]
    with pytest.raises(ValueError):
        co_citation(c, scope="nope")
    with pytest.raises(TypeError):
        co_citation(citation_graph(c), scope="references")


# --- the real USPTO sample -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def uspto():
    return patentnav.read(*sorted(USPTO.glob("*.xml")))


def test_uspto_sample_has_no_in_corpus_arcs(uspto):
    """421 grants from ten weekly files of 2005-2013: 9,155 cited patent references, none of
    which is another document of the sample (checked by hand with and without kind codes)."""
    g = citation_graph(uspto)
    s = g.summary
    assert s["nodes"] == 421
    assert s["arcs"] == 0
    assert s["nodes_with_references"] == 420
    assert s["references"] == 9151  # distinct per document (9,155 listed)
    assert s["references_external"] == 9151
    assert s["self_citations"] == 0 and s["matched_exact"] == 0 and s["matched_kindless"] == 0
    # coupling works on out-of-corpus references: 68 coupled pairs, total weight 672;
    # two design patents of the 2012 sample share 69 references
    b = bibliographic_coupling(uspto)
    assert b.matrix.nnz == 2 * 68 and int(b.edges()["weight"].sum()) == 672
    top = b.edges().iloc[0]
    assert (top["source"], top["target"], top["weight"]) == ("US-D656472-S1", "US-D680087-S1", 69)
    rows = uspto.table.select(["cited_publications"]).to_pylist()
    assert _as_dict(b.matrix) == _oracle_coupling([r["cited_publications"] for r in rows])
    cr = co_citation(uspto, scope="references")
    assert len(cr.labels) == 8640 and cr.matrix.nnz // 2 == 296_988


def test_scale_is_vectorised():
    """100,000 documents and about 750,000 references in seconds (a Python loop over
    documents or references would take minutes)."""
    rng = np.random.default_rng(0)
    n = 100_000
    pubs = [f"US-{i}-B2" for i in range(1, n + 1)]
    k = rng.integers(0, 16, size=n)
    flat = rng.integers(1, 2 * n, size=int(k.sum()))
    offsets = np.concatenate([[0], np.cumsum(k)])
    refs = pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)),
                                    pa.array([f"US-{x}" for x in flat.tolist()], pa.string()))
    dates = pa.array(rng.integers(10_000, 16_000, size=n).astype(np.int32)).cast(pa.date32())
    c = patentnav.Corpus(pa.table({"publication_number": pubs, "cited_publications": refs, "publication_date": dates}))
    t0 = time.perf_counter()
    g = citation_graph(c)
    fw = windowed_forward_citations(c, graph=g)
    elapsed = time.perf_counter() - t0
    assert g.summary["references"] > 700_000 and len(g.src) > 300_000
    assert int(fw["forward_in_corpus"].sum()) == len(g.src)
    assert elapsed < 30, elapsed


# --- the vectorised implementation against the previous one (sort-based, kept here verbatim) ----


def _previous_graph(corpus, kind_fallback=True):
    """The matching of citation_graph before the counting-sort rewrite: (src, dst, n_refs, n_ext,
    n_self, stats, refs (citing, key), pairs (citing, key, target))."""
    import pyarrow.compute as pc

    from patentnav.landscape.citations import _np_str

    def codes_of(arr):
        return pc.dictionary_encode(arr.cast(pa.string())).indices.to_numpy(zero_copy_only=False).astype(np.int64)

    def unique(a):
        a = np.sort(a, kind="stable")
        return a if len(a) < 2 else a[np.concatenate([[True], a[1:] != a[:-1]])]

    def unique_index(a):
        order = np.argsort(a, kind="stable")
        s = a[order]
        return order if len(s) < 2 else order[np.concatenate([[True], s[1:] != s[:-1]])]

    pub = corpus["publication_number"].combine_chunks().cast(pa.string())
    n = len(pub)
    lists = corpus["cited_publications"].combine_chunks()
    if lists.null_count:
        lists = pc.fill_null(lists, pa.scalar([], lists.type))
    flat = pc.list_flatten(lists)
    parent = pc.list_parent_indices(lists).to_numpy().astype(np.int64)
    ok = pc.and_(pc.is_valid(flat), pc.not_equal(pc.utf8_trim_whitespace(flat), "")).fill_null(False)
    okn = np.asarray(ok.to_numpy(zero_copy_only=False), dtype=bool)
    flat = flat.filter(ok).cast(pa.string())
    parent = parent[okn]
    enc = pc.dictionary_encode(pa.concat_arrays([pub, flat]))
    codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    kind_less = codes_of(kindless(enc.dictionary))
    width = len(enc.dictionary)
    pub_code, pub_k = codes[:n].copy(), kind_less[codes[:n]]
    first = unique_index(parent * width + codes[n:])
    citing, ref_code = parent[first], codes[n:][first]
    ref_k = kind_less[ref_code]
    nr = len(citing)
    doc_of = np.full(width, -1, dtype=np.int64)
    doc_of[pub_code[::-1]] = np.arange(n, dtype=np.int64)[::-1]
    exact = doc_of[ref_code]
    m_exact = exact >= 0
    r_idx = np.flatnonzero(m_exact)
    tgt = exact[m_exact]
    n_kindless = n_ambiguous = 0
    if kind_fallback and nr and (~m_exact).any():
        order = np.argsort(pub_k, kind="stable")
        sorted_k = pub_k[order]
        rest = np.flatnonzero(~m_exact)
        lo = np.searchsorted(sorted_k, ref_k[rest], "left")
        cnt = np.searchsorted(sorted_k, ref_k[rest], "right") - lo
        within = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        r_idx = np.concatenate([r_idx, np.repeat(rest, cnt)])
        tgt = np.concatenate([tgt, order[np.repeat(lo, cnt) + within]])
        n_kindless = int((cnt > 0).sum())
        n_ambiguous = int((cnt > 1).sum())
    c_of_pair = citing[r_idx]
    is_self = tgt == c_of_pair
    arc_any = np.bincount(r_idx[~is_self], minlength=nr) > 0
    self_any = np.bincount(r_idx[is_self], minlength=nr) > 0
    status = np.where(arc_any, 2, np.where(self_any, 1, 0))
    key = unique(tgt[~is_self] * max(n, 1) + c_of_pair[~is_self])
    stats = {"matched_exact": int(m_exact.sum()), "matched_kindless": n_kindless,
             "matched_ambiguous": n_ambiguous, "self_pairs_dropped": int(is_self.sum())}
    return (key // max(n, 1), key % max(n, 1), np.bincount(citing, minlength=n),
            np.bincount(citing[status == 0], minlength=n), np.bincount(citing[status == 1], minlength=n), stats,
            (citing, ref_k), (c_of_pair, ref_k[r_idx], tgt))


def _messy_corpus(rng: np.random.Generator, n: int = 300):
    """Repeated publication rows, references repeated within a document, blank, white-space and
    null references, null lists, kind-less and kind-variant references, self-citations."""
    nums = rng.integers(1, n // 2, size=n)
    kinds = rng.choice(["A1", "B1", "B2", "A", ""], size=n)
    pubs = [f"{cc}-{a}-{k}" if k else f"{cc}-{a}" for cc, a, k in zip(rng.choice(["US", "EP"], size=n), nums, kinds)]
    pool = pubs + ["-".join(p.split("-")[:2]) for p in pubs] + [f"US-{a}-C" for a in range(n // 2)] \
        + ["", "  ", "X", "-1-A", None]
    cited = []
    for i in range(n):
        k = int(rng.integers(0, 12))
        refs = [pool[j] for j in rng.integers(0, len(pool), size=k)]
        if k and rng.random() < 0.3:
            refs.append(refs[0])  # a repeat
        if rng.random() < 0.1:
            refs.append(pubs[i])  # itself
        cited.append(None if rng.random() < 0.05 else refs)
    return pubs, cited


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("kind_fallback", [True, False])
def test_graph_equals_previous_implementation(seed, kind_fallback):
    rng = np.random.default_rng(seed)
    pubs, cited = _messy_corpus(rng)
    c = corpus(publication_number=pubs, cited_publications=pa.array(cited, pa.list_(pa.string())))
    g = citation_graph(c, kind_fallback=kind_fallback)
    src, dst, n_refs, n_ext, n_self, stats, refs, pairs = _previous_graph(c, kind_fallback)
    assert g.src.tolist() == src.tolist() and g.dst.tolist() == dst.tolist()
    assert g.src.dtype == np.int32 and g.dst.dtype == np.int32
    assert g.n_references.tolist() == n_refs.tolist()
    assert g.n_external.tolist() == n_ext.tolist()
    assert g.n_self.tolist() == n_self.tolist()
    assert g.stats == stats
    # the matching tables family aggregation uses: the same rows; kind-less key codes differ
    # between the implementations, so they are compared through the partitions they induce
    new_refs, new_pairs = g._matching()

    def distinct(*cols):
        return len(set(zip(*(np.asarray(x).tolist() for x in cols))))

    assert sorted(new_refs["citing"].tolist()) == sorted(refs[0].tolist())
    assert sorted(zip(new_pairs["citing"].tolist(), new_pairs["target"].tolist())) == \
        sorted(zip(pairs[0].tolist(), pairs[2].tolist()))
    assert distinct(new_refs["key"]) == distinct(refs[1])
    assert distinct(new_refs["citing"], new_refs["key"]) == distinct(*refs)
    assert distinct(new_pairs["key"], new_pairs["target"]) == distinct(pairs[1], pairs[2])
    assert distinct(np.concatenate([new_refs["key"], new_pairs["key"]])) == distinct(np.concatenate([refs[1], pairs[1]]))


@pytest.mark.parametrize("seed", range(4))
def test_families_equal_previous_implementation(seed):
    """to_families (which matches the references again) against the previous family rule fed by
    the previous matching tables."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    pubs, cited = _messy_corpus(rng, 200)
    fam = [f"F{x}" if x >= 0 else None for x in rng.integers(-20, 60, size=len(pubs))]
    c = corpus(publication_number=pubs, cited_publications=pa.array(cited, pa.list_(pa.string())), family_id=fam)
    keys = family_keys(c)
    f = citation_graph(c).to_families(keys)
    *_, refs, pairs = _previous_graph(c)
    codes, labels = pd.factorize(np.asarray(keys, dtype=object), sort=False)
    fr = pd.DataFrame({"fam": codes[refs[0]], "key": refs[1]}).drop_duplicates(ignore_index=True)
    pc_ = codes[pairs[0]]
    fp = pd.DataFrame({"fam": pc_, "key": pairs[1], "outside": codes[pairs[2]] != pc_})
    resolved = fp.groupby(["fam", "key"], sort=False)["outside"].any().rename("outside").reset_index()
    fr = fr.merge(resolved, on=["fam", "key"], how="left")
    fa = fr["fam"].to_numpy(dtype=np.int64)
    external = fr["outside"].isna().to_numpy()
    selfonly = ~external & ~fr["outside"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    nf = len(labels)
    assert f.nodes.tolist() == list(labels)
    assert f.n_references.tolist() == np.bincount(fa, minlength=nf).tolist()
    assert f.n_external.tolist() == np.bincount(fa[external], minlength=nf).tolist()
    assert f.n_self.tolist() == np.bincount(fa[selfonly], minlength=nf).tolist()


def test_unique_pairs_against_numpy():
    from patentnav.landscape.citations import _distinct_in_rows, _unique_pairs

    rng = np.random.default_rng(0)
    for grouped in (False, True):
        rows = rng.integers(0, 50, size=2000)
        cols = rng.integers(0, 30, size=2000)
        if grouped:
            rows = np.sort(rows)
            start = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=60))]).astype(np.int32)
            indptr, got = _distinct_in_rows(start, cols.astype(np.int32), 30)
        else:
            indptr, got = _unique_pairs(rows, cols, 60, 30)
        ref = np.unique(rows * 30 + cols)
        assert got.tolist() == (ref % 30).tolist()
        assert np.repeat(np.arange(60), np.diff(indptr)).tolist() == (ref // 30).tolist()
    indptr, got = _unique_pairs(np.zeros(0, np.int64), np.zeros(0, np.int64), 5, 5)
    assert indptr.tolist() == [0] * 6 and got.size == 0


def test_chunked_columns_give_the_same_graph():
    """References are read chunk by chunk (no copy of the list column): a corpus whose columns
    come in several chunks, some sliced, gives the graph of the one-chunk corpus."""
    rng = np.random.default_rng(7)
    pubs, cited = _messy_corpus(rng, 120)
    t = pa.table({"publication_number": pubs, "cited_publications": pa.array(cited, pa.list_(pa.string()))})
    chunked = pa.concat_tables([t.slice(0, 40), t.slice(40, 1), t.slice(41, 79)])
    c1, c3 = patentnav.Corpus(t), patentnav.Corpus(chunked)
    assert c3["cited_publications"].num_chunks > 1
    g1, g3 = citation_graph(c1), citation_graph(c3)
    for a in ("src", "dst", "n_references", "n_external", "n_self"):
        assert getattr(g1, a).tolist() == getattr(g3, a).tolist()
    assert g1.stats == g3.stats


def test_cached_graph_does_not_keep_its_corpus_alive(drones):
    """The shared quality table caches (graph, table) weakly keyed by the corpus: the graph
    must not hold the corpus, or the corpus and its whole cache would never be freed."""
    import gc
    import weakref

    from patentnav.landscape import citation_graph
    from patentnav.model.shared import shared

    c = drones.harmonize_applicants()
    shared(c, ("test_graph",), lambda: citation_graph(c))
    ref = weakref.ref(c)
    del c
    gc.collect()
    assert ref() is None
