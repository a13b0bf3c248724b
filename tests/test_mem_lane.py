"""Peak memory of the landscape report (lane ``mem``): each rewritten function against its
former definition (copied here as the oracle) on random inputs and edge cases.

- :func:`patentnav.landscape.mainpath.global_main_path` selects the arcs on the best paths
  block by block (:func:`~patentnav.landscape.mainpath._on_best_paths`) instead of keeping
  the path weight of every arc;
- the report's main path reads the graph's arcs (:attr:`LandscapeContext.citation_arcs`,
  taken in the key-patents step so that the graph and ``cited_publications`` go before the
  main path), labels the path's arcs only, and looks up the path's documents only
  (:meth:`LandscapeContext.documents_at`);
- after key_patents the quality table keeps the columns the quality section reads
  (:data:`~patentnav.report.context.QUALITY_SECTION_COLUMNS`): the same document quality.
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
import scipy.sparse as sp

from patentnav.landscape import citation_dag, main_path
from patentnav.landscape import mainpath as M
from patentnav.report import context
from patentnav.report.context import QUALITY_SECTION_COLUMNS, landscape_context

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "benchmarks"))  # synthetic.py


# ------------------------------------------------------------------ oracles (former definitions)

def _global_main_path_before(dag, weight="spc", *, rtol=M.TIE_RTOL):
    """global_main_path as it was: the path weight of every arc as one array."""
    dag = M._as_dag(dag)
    name, wt, w = M._weight_vector(dag, weight)
    if dag.m == 0:
        return M._result(dag, "global", name, wt, w, np.zeros(0, bool), 0.0)
    bt, bf = M._best(dag, name, w)
    through = bt[dag.src]
    through += w
    M._combine_gathered(np.add, through, bf, dag.dst)
    opt = float(through.max())
    sel = through >= opt - rtol * abs(opt)
    return M._result(dag, "global", name, wt, w, sel, opt)


def _main_path_chart_before(ctx) -> dict:
    """report.direction._main_path_chart as it was: the DAG labelled with every publication
    number, the frame of every document."""
    from patentnav.model.shared import row_index
    from patentnav.report.direction import _path_nodes
    from patentnav.report.labels import L
    from patentnav.report.parts import _chart, rnd

    lang, cg, corpus = ctx.lang, ctx.citation_graph, ctx.corpus
    if len(cg.src) == 0:
        citing = int(pc.sum(pc.greater(pc.list_value_length(corpus.table["cited_publications"]), 0)).as_py() or 0)
        note = L("ch.main_path.none", lang, citing=f"{citing:,}") if citing else L("ch.main_path.nocite", lang)
        return _chart("main_path", L("ch.main_path", lang), "main_path", {"nodes": [], "edges": []}, note)
    dates = corpus.table["publication_date"].to_numpy() if "publication_date" in corpus.table.column_names else None
    dag = citation_dag(cg.src, cg.dst, len(cg.nodes), labels=cg.nodes, dates=dates)
    mp = main_path(dag, kind="global", weight="spc")
    seen, edges = [], []
    arcs = mp.arcs.sort_values(["src_label", "dst_label"]) if len(mp.arcs) else mp.arcs
    for r in arcs.itertuples():
        for lab in (str(r.src_label), str(r.dst_label)):
            if lab not in seen:
                seen.append(lab)
        edges.append({"source": str(r.src_label), "target": str(r.dst_label), "weight": rnd(r.weight)})
    removed = len(dag.removed)
    at = row_index(corpus).get_indexer(seen)
    nodes = _path_nodes(ctx.documents.iloc[at] if len(at) and (at >= 0).all() else ctx.documents, seen)
    note = L("ch.main_path.note", lang, nodes=f"{len(cg.nodes):,}", arcs=f"{len(cg.src):,}", removed=f"{removed:,}")
    return _chart("main_path", L("ch.main_path", lang), "main_path", {"nodes": nodes, "edges": edges}, note)


# ------------------------------------------------------------------ global main path

def _random_dag(rng, n, m, ties=False):
    src = rng.integers(0, n, m)
    dst = rng.integers(0, n, m)
    if ties:  # a layered graph: many equal path counts
        src, dst = np.minimum(src, dst), np.maximum(src, dst)
    return citation_dag(src, dst, n, dates=rng.integers(0, 5, n))


def _same_path(a, b):
    pd.testing.assert_frame_equal(a.arcs, b.arcs)
    assert a.path_weight == b.path_weight or (a.path_weight != a.path_weight and b.path_weight != b.path_weight)
    assert np.array_equal(a.nodes, b.nodes) and a.kind == b.kind and a.normalized == b.normalized


@pytest.mark.parametrize("seed", range(12))
def test_global_main_path_as_before(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    m = int(rng.integers(0, 4 * n + 1))
    for ties in (False, True):
        for weight in ("spc", "splc", "spnp", "custom"):
            state = rng.bit_generator.state
            dag = _random_dag(rng, n, m, ties)
            rng.bit_generator.state = state
            again = _random_dag(rng, n, m, ties)  # the same DAG, its own caches
            w = rng.integers(0, 3, dag.m).astype(float) if weight == "custom" else weight
            _same_path(M.global_main_path(dag, w), _global_main_path_before(again, w))


def test_global_main_path_edge_cases():
    for src, dst, n in (([], [], 0), ([], [], 3), ([0], [1], 2), ([0, 0], [1, 1], 2), ([0, 1, 2], [1, 2, 0], 3)):
        a = M.global_main_path(citation_dag(np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), n))
        b = _global_main_path_before(citation_dag(np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), n))
        _same_path(a, b)


def test_on_best_paths_blocks():
    """Blocks smaller than the arcs: the same selection and optimum as the whole arrays."""
    rng = np.random.default_rng(3)
    for m in (0, 1, 5, 17, 64):
        n = 9
        src, dst = rng.integers(0, n, m).astype(np.int32), rng.integers(0, n, m).astype(np.int32)
        bt, bf = rng.integers(0, 4, n).astype(float), rng.integers(0, 4, n).astype(float)
        w = rng.integers(0, 4, m).astype(float) / 3
        if m == 0:
            continue  # global_main_path returns before (no arc)
        through = bt[src] + w + bf[dst]
        opt = float(through.max())
        for chunk in (1, 2, 5, 1 << 20):
            sel, got = M._on_best_paths(bt, w, bf, src, dst, 1e-12, chunk=chunk)
            assert got == opt and np.array_equal(sel, through >= opt - 1e-12 * abs(opt))


def test_global_main_path_overflowing_counts():
    """Path counts past float64: the normalised (log-space) weights, selected as before."""
    k = 1100  # a chain of diamonds: 2**1100 paths
    src = [3 * i + j for i in range(k) for j in (0, 0, 1, 2)]
    dst = [3 * i + j for i in range(k) for j in (1, 2, 3, 3)]
    _same_path(M.global_main_path(citation_dag(src, dst)), _global_main_path_before(citation_dag(src, dst)))


# ------------------------------------------------------------------ the report's main path

@pytest.fixture(scope="module")
def synthetic():
    from synthetic import synthetic_corpus

    return synthetic_corpus(3000, seed=2)


def _ctx(corpus):
    return landscape_context(corpus, region="US", lang="en")


def test_main_path_chart_as_before(synthetic):
    from patentnav.report.direction import _main_path_chart

    old = _main_path_chart_before(_ctx(synthetic))
    ctx = _ctx(synthetic)
    ctx.citation_arcs  # taken in the key-patents step
    ctx.release("key_patents")
    assert "citation_graph" not in ctx.__dict__
    new = _main_path_chart(ctx)
    assert new == old and new["data"]["edges"]
    assert "documents" not in ctx.__dict__  # the path's documents only


def _with_column(corpus, name, values):
    t = corpus.table
    i = t.schema.get_field_index(name)
    return type(corpus)(t.set_column(i, t.schema.field(i), pa.array(values, t.schema.field(i).type)))


def test_main_path_chart_edge_cases(synthetic):
    """No arc (citing documents or none), titles and dates missing, one document."""
    from patentnav.report.direction import _main_path_chart

    c = synthetic
    refs = c.table["cited_publications"].to_pylist()
    some = _with_column(c, "cited_publications", [["XX-1-A"] if i % 7 == 0 else [] for i in range(len(c))])
    none = _with_column(c, "cited_publications", [[] for _ in range(len(c))])
    untitled = _with_column(_with_column(c, "title", [None] * len(c)), "earliest_priority_date", [None] * len(c))
    one = type(c)(c.table.slice(0, 1))
    loop = _with_column(type(c)(c.table.slice(0, 2)), "cited_publications",
                        [[c.table["publication_number"][1].as_py()], [c.table["publication_number"][0].as_py()]])
    assert refs
    for corpus in (some, none, untitled, one, loop):
        old = _main_path_chart_before(_ctx(corpus))
        ctx = _ctx(corpus)
        ctx.citation_arcs
        ctx.release("key_patents")
        assert _main_path_chart(ctx) == old


def test_documents_at(synthetic):
    ctx = _ctx(_with_column(synthetic, "title", [None if i % 3 else f"t{i}" for i in range(len(synthetic))]))
    docs = ctx.documents
    for rows in ([0], [5, 2, 5], list(range(len(docs)))[::-7], [len(docs) - 1]):
        got, want = ctx.documents_at(np.array(rows)), docs.iloc[rows].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want)


def test_citation_arcs(synthetic):
    ctx = _ctx(synthetic)
    g, a = ctx.citation_graph, ctx.citation_arcs
    assert a.src is g.src and a.dst is g.dst and a.n == len(g.nodes) and a.citing is None


# ------------------------------------------------------------------ the quality table after key_patents

def test_narrowed_quality_table_same_document_quality(synthetic):
    from patentnav.quality import document_quality

    ctx = _ctx(synthetic)
    full = ctx.quality_table
    ctx.release_memory = True
    ctx.release("key_patents")
    narrow = ctx.quality_table
    assert list(narrow.columns) == [c for c in full.columns if c in QUALITY_SECTION_COLUMNS]
    assert set(QUALITY_SECTION_COLUMNS) <= set(narrow.columns) and narrow.attrs == full.attrs
    a, b = document_quality(ctx.corpus, table=full), document_quality(ctx.corpus, table=narrow)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs == b.attrs
    assert context.RELEASE_AFTER["key_patents"]["narrow"]["quality_table"] == QUALITY_SECTION_COLUMNS


def test_not_narrowed_outside_the_section_loop(synthetic):
    ctx = _ctx(synthetic)
    full = ctx.quality_table
    ctx.release("key_patents")
    assert ctx.quality_table is full


# ------------------------------------------------------------------ claim indicators without publication numbers

def _with_claim_indicators_before(table, corpus, wanted=None):
    """indicators._with_claim_indicators as it was: claim_indicators with its publication numbers."""
    from patentnav.landscape.claims import claim_indicators

    ci = claim_indicators(corpus)
    out = table.assign(**{c: ci[c].to_numpy() for c in ci.columns if c != "publication_number" and c not in table.columns
                          and (wanted is None or c in wanted)})
    out.attrs.update(table.attrs)
    out.attrs["availability"] = {**table.attrs.get("availability", {}), **ci.attrs["availability"]}
    return out


def _claims_corpora(drones):
    import patentnav

    xml = patentnav.read(pathlib.Path(__file__).resolve().parent / "data" / "uspto-grant-xml")  # claims text
    return [drones, xml, type(xml)(xml.table.slice(0, 1)), type(xml)(xml.table.slice(0, 0))]


def test_claim_indicators_without_numbers(drones):
    from patentnav.landscape.claims import _claim_indicators, claim_indicators

    for corpus in _claims_corpora(drones):
        full = claim_indicators(corpus, chunk_size=7)
        got = _claim_indicators(corpus, chunk_size=7, numbers=False)
        pd.testing.assert_frame_equal(got, full.drop(columns=["publication_number"]))
        assert got.attrs == full.attrs


def test_with_claim_indicators_as_before(drones):
    from patentnav.landscape.indicators import REPORT_COLUMNS, _with_claim_indicators

    for corpus in _claims_corpora(drones):
        base = pd.DataFrame({"quality_index": np.arange(len(corpus), dtype=float)})
        base.attrs["availability"] = {"quality_index": "x"}
        for wanted in (None, set(REPORT_COLUMNS)):
            a, b = _with_claim_indicators(base, corpus, wanted), _with_claim_indicators_before(base, corpus, wanted)
            pd.testing.assert_frame_equal(a, b)
            assert a.attrs == b.attrs


# ------------------------------------------------------------------ generality / originality by row blocks

def _diversity_before(a, xf, has_class):
    """indicators._diversity as it was: the whole product a @ xf at once."""
    from patentnav.landscape.indicators import _row_sums_of_squares

    a = sp.csr_matrix(a, dtype=np.float64)
    m = a @ xf
    n = a @ has_class
    del a
    sumsq = _row_sums_of_squares(m)
    del m
    with np.errstate(divide="ignore", invalid="ignore"):
        unc = np.where(n > 0, 1.0 - sumsq / np.square(n), np.nan)
        cor = np.where(n > 1, unc * n / (n - 1.0), np.nan)
    unc = np.where(np.abs(unc) < 1e-12, 0.0, unc)
    cor = np.where(np.abs(cor) < 1e-12, 0.0, cor)
    return cor, unc, n.astype(np.int64)


def _row_sums_of_squares_before(m):
    """indicators._row_sums_of_squares as it was (one function, one branch taken)."""
    d, indptr = m.data, m.indptr
    out = np.zeros(m.shape[0], dtype=np.float64)
    if d.size == 0:
        return out
    np.multiply(d, d, out=d)
    rows = np.flatnonzero(np.diff(indptr))
    cols = m.indices
    inner = np.ones(cols.size, dtype=bool)
    inner[indptr[1:-1][indptr[1:-1] < cols.size]] = False
    inner[0] = False
    canonical = bool((cols[1:] > cols[:-1])[inner[1:]].all())
    if canonical:
        out[rows] = np.add.reduceat(d, indptr[rows])
    else:
        starts = d.size - indptr[rows[::-1] + 1]
        out[rows] = np.add.reduceat(d[::-1], starts)[::-1]
    return out


def _same_arrays(x, y):
    for u, v in zip(x, y):
        assert u.dtype == v.dtype and np.array_equal(u, v, equal_nan=True) and u.tobytes() == v.tobytes()


@pytest.mark.parametrize("seed", range(10))
def test_diversity_by_blocks_as_before(seed):
    from patentnav.landscape.indicators import _diversity, _fractional_classes, _row_sums_of_squares

    rng = np.random.default_rng(seed)
    n_docs = int(rng.integers(1, 40))
    n_classes = int(rng.integers(1, 6)) if seed % 3 else 1  # one class: every product row sorted (canonical)
    a = sp.random(n_docs, n_docs, density=float(rng.uniform(0, 0.4)), random_state=seed, format="csr")
    a.data[:] = 1.0
    x = sp.random(n_docs, n_classes, density=float(rng.uniform(0, 0.8)), random_state=seed + 1, format="csr")
    x.data[:] = 1.0
    xf, has = _fractional_classes(x)
    for m in (a, a.T.tocsr()):
        want = _diversity_before(m, xf, has)
        for block in (1, 2, 3, 7, 1 << 20):
            _same_arrays(_diversity(m, xf, has, block=block), want)
            _same_arrays(_diversity(sp.csr_matrix(m, dtype=np.int8), xf, has, block=block), want)  # int8 values
        p = (sp.csr_matrix(m) @ xf)
        _same_arrays([_row_sums_of_squares(p.copy())], [_row_sums_of_squares_before(p.copy())])


def test_diversity_edge_cases():
    from patentnav.landscape.indicators import _diversity, _fractional_classes

    for n_docs, n_classes in ((0, 0), (1, 1), (3, 2)):
        a = sp.csr_matrix((n_docs, n_docs))
        xf, has = _fractional_classes(sp.csr_matrix((n_docs, n_classes)))
        for block in (1, 2):
            _same_arrays(_diversity(a, xf, has, block=block), _diversity_before(a, xf, has))


@pytest.mark.parametrize("seed", range(8))
def test_linked_counts_as_matrix_products(seed):
    """N of generality and originality: ``a @ has`` and ``a.T @ has`` (former expressions, on
    the float64 matrix) from the int8 matrix block by block."""
    from patentnav.landscape.indicators import _linked_counts, _linked_counts_t, _row_blocks

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 50))
    a = sp.random(n, n, density=float(rng.uniform(0, 0.5)), random_state=seed, format="csr")
    a.data[:] = 1.0
    has = (rng.random(n) < 0.7).astype(np.float64)
    a8 = sp.csr_matrix(a, dtype=np.int8)
    for block in (1, 3, 8, 1 << 20):
        got = _linked_counts(a8, has, block)
        assert got.dtype == np.float64 and got.tobytes() == np.asarray(a @ has).tobytes()
        got = _linked_counts_t(a8, has, block)
        assert got.tobytes() == np.asarray(a.T @ has).tobytes()
        spans = [(i, j) for i, j, _ in _row_blocks(a8, block)]
        assert spans[0][0] == 0 and spans[-1][1] == n and all(x[1] == y[0] and x[0] < x[1] for x, y in zip(spans, spans[1:]))


# ------------------------------------------------------------------ raw columns not kept, dropped early

def test_quality_table_drops_raw_columns_early_as_before(drones, synthetic, monkeypatch):
    """The quality table with some columns: the same frame and attrs whether the raw columns
    it does not keep are dropped early (``keep``) or carried to the end (as before)."""
    import patentnav
    from patentnav.landscape import indicators as I
    from patentnav.landscape.citations import citation_graph

    xml = patentnav.read(pathlib.Path(__file__).resolve().parent / "data" / "uspto-grant-xml")
    real = I._quality_indicators
    subsets = [I.REPORT_COLUMNS, ("quality_index",), ("patent_scope", "backward_citations_norm", "cohort_size"),
               ("originality", "generality_n", "grant_lag_norm"), None]
    for corpus in (drones, synthetic, xml, type(xml)(xml.table.slice(0, 1))):
        g = citation_graph(corpus)
        for cols in subsets:
            for comps in (None, I.QUALITY_INDEX_6):
                got = I._quality_table(corpus, comps, 5, "wipo", "mean", g, cols)
                monkeypatch.setattr(I, "_quality_indicators", lambda *a: real(*a[:6]))  # keep ignored
                want = I._quality_table(corpus, comps, 5, "wipo", "mean", g, cols)
                monkeypatch.setattr(I, "_quality_indicators", real)
                pd.testing.assert_frame_equal(got, want)
                assert got.attrs == want.attrs
