"""Issue 16 (mem2 lane): the landscape report lets ``cited_publications`` go as soon as the
citation graph is built (the graph keeps whether each document lists references,
:attr:`CitationGraph.listing`, and forgets its reference to the column), not after the
key-patents step. Checked against the former reads of the column, copied here as oracles, on
random inputs and edge cases (empty, nulls, one row): the same values bit for bit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import patentnav
from patentnav.landscape.citations import citation_graph, listing_documents
from patentnav.landscape.indicators import REPORT_COLUMNS, quality_table
from patentnav.model.corpus import Corpus
from patentnav.model.schema import is_empty_column

from test_cite_lane import random_corpus


# --- former definitions (integ aacfbab), the oracles -------------------------------------------


def _has_refs_old(t) -> np.ndarray:
    """indicators._quality_indicators: documents listing cited publications."""
    return np.asarray(pc.greater(pc.list_value_length(t["cited_publications"]), 0).to_numpy(), dtype=bool)


def _citing_old(t) -> int:
    """LandscapeContext.citation_arcs without arcs: documents listing cited publications."""
    return int(pc.sum(pc.greater(pc.list_value_length(t["cited_publications"]), 0)).as_py() or 0)


# --- tests ---------------------------------------------------------------------------------------


def _lists(rng, n: int, chunks: int = 1) -> pa.ChunkedArray:
    rows = [None if rng.random() < 0.2 else [None if rng.random() < 0.1 else "US-1"] * int(rng.integers(0, 3))
            for _ in range(n)]
    cuts = sorted(rng.integers(0, n + 1, size=chunks - 1).tolist()) if n else []
    bounds = [0] + cuts + [n]
    return pa.chunked_array([pa.array(rows[a:b], pa.list_(pa.string())) for a, b in zip(bounds[:-1], bounds[1:])],
                            pa.list_(pa.string()))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("n", [0, 1, 2, 57])
def test_listing_documents(seed, n):
    rng = np.random.default_rng(seed)
    col = _lists(rng, n, chunks=1 + seed % 3)
    t = pa.table({"cited_publications": col})
    got = listing_documents(col)
    assert got.dtype == bool and np.array_equal(got, _has_refs_old(t))
    assert int(got.sum()) == _citing_old(t)


def test_listing_documents_all_null_and_empty():
    for rows in ([None, None], [[], []], [[], None, [None]]):
        col = pa.chunked_array([pa.array(rows, pa.list_(pa.string()))])
        t = pa.table({"cited_publications": col})
        assert np.array_equal(listing_documents(col), _has_refs_old(t))
        assert int(listing_documents(col).sum()) == _citing_old(t)


@pytest.mark.parametrize("seed", range(4))
def test_forget_references(seed):
    """The graph keeps ``listing`` (equal to the former read of the column) and no reference to
    the column; aggregating families then raises rather than matching nothing."""
    c = random_corpus(seed, n=120)
    g = citation_graph(c)
    assert g.listing is None and g._source is not None
    arcs = (g.src.copy(), g.dst.copy(), g.n_references.copy())
    g.forget_references()
    assert np.array_equal(g.listing, _has_refs_old(c.table)) and g._source is False
    assert np.array_equal(g.src, arcs[0]) and np.array_equal(g.dst, arcs[1]) and np.array_equal(g.n_references, arcs[2])
    with pytest.raises(RuntimeError):
        g.to_families(np.arange(g.n).astype(str))
    g.forget_references()  # again: nothing changes
    assert np.array_equal(g.listing, _has_refs_old(c.table))


def test_forget_references_without_source():
    """A graph built without the corpus has nothing to forget: ``listing`` stays None."""
    c = random_corpus(1, n=30)
    g = citation_graph(c)
    g._source = None
    g.forget_references()
    assert g.listing is None and g._source is None


def _copy(c) -> Corpus:
    return Corpus(c.table)


@pytest.mark.parametrize("make", [lambda: patentnav.datasets.drones(), lambda: random_corpus(3, n=200),
                                  lambda: random_corpus(4, n=1)])
def test_quality_table_after_the_column_went(make):
    """The quality table of a corpus whose cited_publications was emptied after the graph forgot
    its references equals the table of the intact corpus (values, types, notes)."""
    base = make()
    a = _copy(base)
    want = quality_table(a, graph=citation_graph(a), columns=REPORT_COLUMNS)
    b = _copy(base)
    g = citation_graph(b)
    g.forget_references()
    b._release_columns("cited_publications")
    assert is_empty_column(b.table["cited_publications"])
    got = quality_table(b, graph=g, columns=REPORT_COLUMNS)
    pd.testing.assert_frame_equal(got, want)
    assert got.attrs == want.attrs


def test_context_lets_the_column_go_with_the_graph():
    """In the report's section loop the context's own corpus loses cited_publications when the
    graph is built; citation_arcs (also without arcs) and the quality table are unchanged."""
    from patentnav.report.context import landscape_context

    for corpus in (patentnav.datasets.drones(), random_corpus(7, n=80, p_null=1.0), random_corpus(8, n=120)):
        ref = landscape_context(corpus, region="US", lang="en")
        want_arcs, want_q = ref.citation_arcs, ref.quality_table
        ctx = landscape_context(corpus, region="US", lang="en")
        ctx.release_memory = True
        if not ctx._owns_corpus:
            continue
        g = ctx.citation_graph
        assert is_empty_column(ctx.corpus.table["cited_publications"]) and g.listing is not None
        assert not is_empty_column(corpus.table["cited_publications"]) or _citing_old(corpus.table) == 0
        arcs = ctx.citation_arcs
        assert arcs.n == want_arcs.n and arcs.citing == want_arcs.citing
        assert np.array_equal(arcs.src, want_arcs.src) and np.array_equal(arcs.dst, want_arcs.dst)
        pd.testing.assert_frame_equal(ctx.quality_table, want_q)


def _summary_counts_old(g) -> tuple[int, int]:
    """CitationGraph.summary's nodes cited / citing in the corpus, as computed before."""
    return (int((np.bincount(g.src, minlength=g.n).astype(np.int64) > 0).sum()),
            int((np.bincount(g.dst, minlength=g.n).astype(np.int64) > 0).sum()))


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n", [0, 1, 2, 150])
def test_summary_distinct_counts(seed, n):
    from patentnav.landscape.citations import _distinct_count

    c = random_corpus(seed, n=n)
    g = citation_graph(c)
    s = g.summary
    assert (s["nodes_cited_in_corpus"], s["nodes_citing_in_corpus"]) == _summary_counts_old(g)
    rng = np.random.default_rng(seed)
    for dtype in (np.int32, np.int64):
        m = int(rng.integers(1, 50))
        x = rng.integers(0, m, size=int(rng.integers(0, 200))).astype(dtype)
        assert _distinct_count(x, m) == int((np.bincount(x, minlength=m) > 0).sum())
    assert _distinct_count(np.zeros(0, np.int32), 0) == 0


def _relative_old(df: pd.DataFrame) -> None:
    """quality.documents._relative before the means were let go column by column (integ aacfbab)."""
    from patentnav.quality.documents import CONTINUOUS, LENGTHS, SHARES, _cohort_means, _group_ids

    by = ["cohort_year", "cohort_field"]
    mean = _cohort_means(df, [c for c in CONTINUOUS + SHARES if c not in LENGTHS], _group_ids(df, by))
    mean.update(_cohort_means(df, list(LENGTHS), _group_ids(df, by + ["claim_length_unit"])))
    for c in CONTINUOUS:
        with np.errstate(divide="ignore", invalid="ignore"):
            df[f"{c}_rel"] = np.where(mean[c] > 0, df[c].to_numpy() / mean[c], np.nan)
        df[f"{c}_expected"] = np.where(df[c].notna(), mean[c], np.nan)
    for c in SHARES:
        df[f"{c}_expected"] = np.where(df[c].notna(), mean[c], np.nan)


def _quality_frame(seed: int, n: int) -> pd.DataFrame:
    from patentnav.quality.documents import CONTINUOUS, SHARES

    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"cohort_year": pd.array(rng.choice([2001, 2002, None], size=n), dtype="Int64"),
                       "cohort_field": pd.array(rng.choice(["a", "b", None], size=n), dtype="str"),
                       "claim_length_unit": pd.array(rng.choice(["words", "han", None], size=n), dtype="str")})
    for c in CONTINUOUS:
        v = rng.gamma(2.0, 3.0, size=n) * rng.choice([0.0, 1.0], size=n, p=[0.1, 0.9])
        v[rng.random(n) < 0.2] = np.nan
        df[c] = v
    for c in SHARES:
        v = rng.choice([0.0, 1.0], size=n)
        v[rng.random(n) < 0.3] = np.nan
        df[c] = v
    return df


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n", [0, 1, 2, 300])
def test_relative_same_as_before(seed, n):
    from patentnav.quality.documents import _relative_columns

    a, b = _quality_frame(seed, n), _quality_frame(seed, n)
    for c, v in _relative_columns(a).items():  # in its order, as the former _relative added them
        a[c] = v
    _relative_old(b)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
