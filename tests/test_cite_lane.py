"""Issue 16 (cite lane): the faster citation graph, quality-table and main-path code against
the former definitions, copied here as oracles, on random inputs and edge cases (empty, nulls,
one row). Results must be the same bit for bit."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import scipy.sparse as sp

import patentnav
from patentnav.landscape.citations import CitationGraph, _window_counts, citation_graph, windowed_forward_citations
from patentnav.landscape.indicators import _diversity, _fractional_classes, _row_sums_of_squares


def corpus(**cols) -> patentnav.Corpus:
    return patentnav.Corpus(pa.table(cols))


def random_corpus(seed: int, n: int = 300, p_null: float = 0.1) -> patentnav.Corpus:
    """Documents citing each other (exact, kind-less, external, self, blank and null references)."""
    rng = np.random.default_rng(seed)
    kinds = ["A", "B1", "B2", "A1"]
    pubs = [f"{rng.choice(['US', 'EP'])}-{rng.integers(1, max(n // 2, 2))}-{rng.choice(kinds)}" for _ in range(n)]
    refs = []
    for i in range(n):
        if rng.random() < p_null:
            refs.append(None)
            continue
        row = []
        for _ in range(rng.integers(0, 8)):
            r = rng.random()
            if r < 0.5:
                row.append(pubs[rng.integers(0, n)])
            elif r < 0.7:
                row.append(pubs[rng.integers(0, n)].rsplit("-", 1)[0])
            elif r < 0.8:
                row.append(pubs[i])
            elif r < 0.85:
                row.append(rng.choice(["", "  ", None]))
            else:
                row.append(f"WO-{rng.integers(1, 50)}-A1")
        refs.append(row)
    start = dt.date(2000, 1, 1)
    dates = [None if rng.random() < p_null else start + dt.timedelta(days=int(rng.integers(0, 9000)))
             for _ in range(n)]
    if n:
        dates[0] = dt.date(2004, 2, 29)
    return corpus(publication_number=pubs, cited_publications=pa.array(refs, pa.list_(pa.string())),
                  publication_date=pa.array(dates, pa.date32()))


# --- CitationGraph.matrix ------------------------------------------------------------------


def _matrix_oracle(g: CitationGraph) -> sp.csr_matrix:
    """The former ``CitationGraph.matrix``."""
    return sp.csr_matrix((np.ones(len(g.src), dtype=np.int32), (g.src, g.dst)), shape=(g.n, g.n))


def _same_csr(a: sp.csr_matrix, b: sp.csr_matrix) -> None:
    assert a.shape == b.shape and a.dtype == b.dtype
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)


@pytest.mark.parametrize("seed", range(6))
def test_matrix_matches_former_definition(seed):
    g = citation_graph(random_corpus(seed, n=[0, 1, 2, 50, 300, 300][seed]))
    _same_csr(g.matrix, _matrix_oracle(g))
    _same_csr(g._csr(np.float64), _matrix_oracle(g).astype(np.float64))  # what quality_indicators takes
    fam = g.to_families(np.array([p.split("-")[1] for p in g.nodes], dtype=object))
    _same_csr(fam.matrix, _matrix_oracle(fam))


def test_matrix_of_unsorted_or_repeated_arcs():
    g = CitationGraph(np.array(["a", "b", "c"], dtype=object), np.array([2, 0, 0, 1]), np.array([0, 1, 1, 2]),
                      *(np.zeros(3, dtype=np.int64),) * 3)
    _same_csr(g.matrix, _matrix_oracle(g))
    empty = CitationGraph(np.array([], dtype=object), np.zeros(0, np.int32), np.zeros(0, np.int32),
                          *(np.zeros(0, dtype=np.int64),) * 3)
    _same_csr(empty.matrix, _matrix_oracle(empty))


# --- windowed forward citations --------------------------------------------------------------


def _windowed_oracle(corpus, years=5, graph=None, date="publication_date"):
    """The former ``windowed_forward_citations``."""
    from patentnav.landscape.citations import _date_keys

    if graph is None:
        graph = citation_graph(corpus)
    n = graph.n
    keys, valid = _date_keys(corpus[date])
    s, d = graph.src, graph.dst
    ks, kd, vs, vd = keys[s], keys[d], valid[s], valid[d]
    both = vs & vd
    early = kd < ks
    inwin = both & ~early & (kd <= ks + years * 10_000)
    fw = np.bincount(s[inwin], minlength=n)
    total = np.bincount(s, minlength=n)
    before = np.bincount(s[both & early], minlength=n)
    undated = np.bincount(s[vs & ~vd], minlength=n)
    dates = pd.to_datetime(pd.Series(corpus[date].to_pandas(date_as_object=False)))
    end = dates + pd.DateOffset(years=years)
    latest = dates.max()
    complete = (end <= latest) if pd.notna(latest) else pd.Series(False, index=end.index)
    complete = complete.where(dates.notna(), other=pd.NA).astype("boolean")
    idx = pd.Index(graph.nodes, name="publication_number")

    def col(values, mask=None):
        out = pd.array(values.astype(np.int64), dtype="Int64")
        if not graph.has_citation_data:
            out[:] = pd.NA
        elif mask is not None:
            out[~mask] = pd.NA
        return out

    return pd.DataFrame({
        "forward_window": col(fw, valid), "forward_in_corpus": col(total), "citing_before": col(before),
        "citing_undated": col(undated), "window_end": end.dt.date.to_numpy(), "window_complete": complete.to_numpy(),
    }, index=idx)


def _random_and_edge_corpora():
    yield from (random_corpus(s, n=n, p_null=p) for s, n, p in
                [(0, 300, 0.1), (1, 300, 0.0), (2, 50, 0.5), (3, 1, 0.0), (4, 1, 1.0), (5, 0, 0.0)])
    yield corpus(publication_number=["US-1-A", "US-2-A"],
                 cited_publications=pa.array([None, None], pa.list_(pa.string())),
                 publication_date=pa.array([dt.date(2001, 1, 1), None], pa.date32()))
    yield corpus(publication_number=["US-1-A", "US-2-A"],
                 cited_publications=pa.array([[], ["US-1"]], pa.list_(pa.string())),
                 publication_date=pa.array([None, None], pa.date32()))


@pytest.mark.parametrize("years", [1, 5])
def test_windowed_forward_citations_matches_former_definition(years):
    for c in _random_and_edge_corpora():
        g = citation_graph(c)
        new, old = windowed_forward_citations(c, years, graph=g), _windowed_oracle(c, years, graph=g)
        pd.testing.assert_frame_equal(new, old, check_exact=True)
        w = _window_counts(c, years, g, "publication_date")
        # what quality_indicators reads: the same arrays as through the frame
        a, b = w.forward_window.to_numpy(), old["forward_window"].to_numpy()
        assert a.dtype == b.dtype and pd.Series(a).equals(pd.Series(b))
        assert w.complete.dtype == old["window_complete"].to_numpy().dtype
        assert pd.Series(w.complete).equals(pd.Series(old["window_complete"].to_numpy()))


# --- Herfindahl diversity -------------------------------------------------------------------------


def _diversity_oracle(a, xf, has_class):
    """The former ``_diversity``."""
    a = sp.csr_matrix(a, dtype=np.float64)
    m = a @ xf
    n = a @ has_class
    sumsq = np.asarray(m.multiply(m).sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        unc = np.where(n > 0, 1.0 - sumsq / np.square(n), np.nan)
        cor = np.where(n > 1, unc * n / (n - 1.0), np.nan)
    unc = np.where(np.abs(unc) < 1e-12, 0.0, unc)
    cor = np.where(np.abs(cor) < 1e-12, 0.0, cor)
    return cor, unc, n.astype(np.int64)


def _bits(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.float64).view(np.int64)


@pytest.mark.parametrize("seed", range(8))
def test_diversity_matches_former_definition_bit_for_bit(seed):
    rng = np.random.default_rng(seed)
    n, k = [(0, 3), (1, 1), (2, 4), (40, 5), (300, 30), (300, 300), (500, 2), (200, 600)][seed]
    # long rows (past numpy's pairwise-summation blocks of 8 and 128) and empty ones
    dens = min(1.0, 150 / max(n, 1)) if seed in (5, 7) else 0.05
    a = sp.random(n, n, density=dens, format="csr", random_state=seed, data_rvs=lambda s: np.ones(s))
    classes = sp.random(n, k, density=min(1.0, 3 / k), format="csr", random_state=seed + 100,
                        data_rvs=lambda s: np.ones(s))
    xf, has = _fractional_classes(classes)
    for new, old in zip(_diversity(a, xf, has), _diversity_oracle(a, xf, has)):
        assert new.dtype == old.dtype and np.array_equal(_bits(new), _bits(old))


@pytest.mark.parametrize("sort", [False, True])
def test_row_sums_of_squares_both_scipy_branches(sort):
    rng = np.random.default_rng(7)
    for n, k in [(0, 0), (1, 1), (5, 1), (200, 400), (50, 2000)]:
        a = sp.random(n, n, density=0.9 if n < 60 else 0.3, format="csr", random_state=1)
        x = sp.random(n, k, density=0.5 if k else 0, format="csr", random_state=2) if n and k else sp.csr_matrix((n, k))
        m = a @ x
        if sort:
            m.sort_indices()
        expected = np.asarray(m.multiply(m).sum(axis=1)).ravel()
        got = _row_sums_of_squares(m.copy())
        assert np.array_equal(_bits(got), _bits(expected))
    del rng


def test_quality_table_unchanged_on_random_corpora():
    """The table the report reads, against the former windowed frame and diversity."""
    from patentnav.landscape import indicators

    for c in _random_and_edge_corpora():
        if not len(c):
            continue
        tbl = c.table
        n = len(c)
        cols = {k: tbl[k] for k in ("publication_number", "cited_publications", "publication_date")}
        cols["ipc"] = pa.array([["H04L 9/00", "G06F 3/00", "A61K 31/00"][: 1 + i % 3] if i % 5 else None
                                for i in range(n)], pa.list_(pa.string()))
        cols["filing_date"] = cols["grant_date"] = tbl["publication_date"]
        c2 = corpus(**cols)
        g = citation_graph(c2)
        new = indicators._quality_indicators(c2, 5, "wipo", g, "subclass")
        saved = indicators._window_counts, indicators._diversity
        try:
            def old_counts(corpus, years, graph, date):
                f = _windowed_oracle(corpus, years, graph, date)
                return type("W", (), {"forward_window": f["forward_window"].array,
                                      "complete": f["window_complete"].to_numpy()})
            indicators._window_counts, indicators._diversity = old_counts, _diversity_oracle
            old = indicators._quality_indicators(c2, 5, "wipo", g, "subclass")
        finally:
            indicators._window_counts, indicators._diversity = saved
        pd.testing.assert_frame_equal(new, old, check_exact=True)
        assert new.attrs == old.attrs


# --- main path ------------------------------------------------------------------------------

from patentnav.landscape import mainpath as mp  # noqa: E402


def _grouped_oracle(key, kmax):
    """The former ``_grouped`` (always through scipy's COO -> CSR)."""
    m = key.size
    it = mp._index_dtype(max(m, int(kmax) + 1))
    if m == 0:
        return np.zeros(0, dtype=it), np.zeros(int(kmax) + 2, dtype=it)
    a = sp.csr_array((np.ones(m, dtype=np.int8), (key.astype(it, copy=False), np.arange(m, dtype=it))),
                     shape=(int(kmax) + 1, m))
    return a.indices, a.indptr


@pytest.mark.parametrize("seed", range(5))
def test_grouped_matches_former_definition(seed):
    rng = np.random.default_rng(seed)
    for m, kmax in [(0, 0), (0, 5), (1, 0), (1, 7), (50, 3), (1000, 999)]:
        key = rng.integers(0, kmax + 1, m)
        for k in (key, np.sort(key), np.sort(key)[::-1].copy(), key.astype(np.int32)):
            for new, old in zip(mp._grouped(k, kmax), _grouped_oracle(k, kmax)):
                assert new.dtype == old.dtype and np.array_equal(new, old)
            assert np.array_equal(mp._grouped(k, kmax)[0], np.argsort(k, kind="stable"))


def _measure_oracle(wt, name, s, d):
    """The former ``_measure``."""
    i, j = mp._FACTORS[name]
    k = mp.MEASURES.index(name)
    fs, bd = np.ascontiguousarray(wt.f[:, i])[s], np.ascontiguousarray(wt.b[:, j])[d]
    if wt.log:
        fs += bd
        fs -= wt.scale[k]
        return np.exp2(fs, out=fs)
    with np.errstate(over="ignore", invalid="ignore"):
        x = fs * bd
    if wt.scale is not None and wt.scale[k] > 0:
        x = x / wt.scale[k]
    return x


def _max_path_oracle(sweep, w_arcs, n):
    """The former ``_Sweep.max_path``."""
    x = np.zeros(n)
    ws = w_arcs[sweep.perm]
    for a0, a1, g0, g1 in sweep.segments:
        v = x[sweep.frm[a0:a1]] + ws[a0:a1]
        x[sweep.targets[g0:g1]] = np.maximum.reduceat(v, sweep.starts[g0:g1] - a0)
    return x


def _random_dag(seed, n, m):
    rng = np.random.default_rng(seed)
    s = rng.integers(0, max(n, 1), m)
    d = rng.integers(0, max(n, 1), m)
    return mp.citation_dag(np.minimum(s, d), np.maximum(s, d), n)  # i < j: acyclic once self-loops go


@pytest.mark.parametrize("seed", range(6))
def test_measure_max_path_and_global_path_match_former_definitions(seed, monkeypatch):
    n, m = [(1, 0), (2, 1), (30, 80), (300, 3000), (2000, 2_500_000 // 1000), (400, 20_000)][seed]
    dag = _random_dag(seed, n, m)
    rng = np.random.default_rng(seed)
    for log in (False, True):
        f, b = (rng.random((dag.n, 2)) * (10 if log else 1e3) for _ in range(2))
        for scale in (None, np.array([3.0, 0.0, 7.5])):
            wt = mp._Weights(f, b, log, scale if not log else [1.5, 2.0, 0.5], {})
            for name in mp.MEASURES:
                new, old = mp._measure(wt, name, dag.src, dag.dst), _measure_oracle(wt, name, dag.src, dag.dst)
                assert np.array_equal(_bits(new), _bits(old))
    w = rng.random(dag.m) * 10
    for direction in ("forward", "backward"):
        sw = dag._sweep(direction)
        assert np.array_equal(_bits(sw.max_path(w, dag.n)), _bits(_max_path_oracle(sw, w, dag.n)))
    # the whole global search, with the former pieces patched in
    new = mp.global_main_path(mp.citation_dag(dag.src, dag.dst, dag.n))
    monkeypatch.setattr(mp, "_measure", _measure_oracle)
    monkeypatch.setattr(mp._Sweep, "max_path", _max_path_oracle)
    monkeypatch.setattr(mp, "_combine_gathered", lambda op, x, v, idx: op(x, v[idx], out=x))
    old = mp.global_main_path(mp.citation_dag(dag.src, dag.dst, dag.n))
    pd.testing.assert_frame_equal(new.arcs, old.arcs, check_exact=True)
    assert new.path_weight == old.path_weight


def test_combine_gathered_blocks():
    rng = np.random.default_rng(3)
    v = rng.random(50)
    idx = rng.integers(0, 50, 1000)
    for op in (np.add, np.multiply):
        x = rng.random(1000)
        expected = op(x, v[idx])
        got = mp._combine_gathered(op, x.copy(), v, idx, chunk=7)
        assert np.array_equal(_bits(got), _bits(expected))
    assert mp._combine_gathered(np.add, np.zeros(0), v, np.zeros(0, np.int64)).size == 0
