"""OECD-style quality indicators (patentnav.landscape.indicators): values by hand on small
corpora, a brute-force oracle for the Herfindahl-type indices, cohort normalisation, the
composite with missing components, and availability notes on the bundled real data."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import scipy.sparse as sp

import patentnav
from patentnav.landscape.citations import citation_graph
from patentnav.landscape.indicators import (
    COLUMN_DOCS,
    QUALITY_INDEX_4,
    QUALITY_INDEX_6,
    REPORT_COLUMNS,
    availability_table,
    cohorts,
    composite_index,
    herfindahl_diversity,
    key_patents,
    normalise_by_cohort,
    quality_indicators,
    quality_table,
)

USPTO = Path(__file__).parent / "data" / "uspto-grant-xml"
D = dt.date


def corpus(**cols) -> patentnav.Corpus:
    return patentnav.Corpus(pa.table(cols))


@pytest.fixture(scope="module")
def hand():
    """P cited by C1..C4 (two in A01B, two in B64C); Q cited by C1 only; R uncited;
    O cites C1, C2 (A01B) and C3 (B64C); M cited by D1 (A01B and B64C) and D2 (A01B)."""
    rows = [
        # number, ipc, cited, filing, publication, grant, claims, family
        ("P-1-B1", ["G06F3/01"], [], D(2009, 1, 1), D(2010, 1, 1), D(2011, 1, 1), 10, 3),
        ("Q-1-B1", ["G06F3/01"], [], D(2009, 6, 1), D(2010, 1, 1), None, 5, 1),
        ("R-1-B1", ["G06F3/01", "G06F17/30", "H04W4/00"], [], D(2009, 1, 1), D(2010, 1, 1), D(2010, 12, 31), 20, 6),
        ("C-1-A1", ["A01B1/00"], ["P-1", "Q-1-B1"], D(2010, 1, 1), D(2011, 1, 1), None, None, None),
        ("C-2-A1", ["A01B3/00", "A01B1/02"], ["P-1-A"], D(2010, 1, 1), D(2012, 1, 1), None, None, None),
        ("C-3-A1", ["B64C39/02"], ["P-1-B1"], D(2010, 1, 1), D(2015, 1, 1), None, None, None),
        ("C-4-A1", ["B64C1/00"], ["P-1-B1"], D(2010, 1, 1), D(2015, 1, 2), None, None, None),
        ("O-1-A1", [], ["C-1-A1", "C-2-A1", "C-3-A1", "Z-9-A"], D(2016, 1, 1), D(2017, 1, 1), None, None, None),
        ("M-1-B1", ["H04W4/00"], [], D(2009, 1, 1), D(2010, 1, 1), None, None, None),
        ("D-1-A1", ["A01B1/00", "B64C1/00"], ["M-1-B1"], D(2011, 1, 1), D(2012, 1, 1), None, None, None),
        ("D-2-A1", ["A01B1/00"], ["M-1-B1"], D(2011, 1, 1), D(2012, 1, 1), None, None, None),
    ]
    cols = list(zip(*rows))
    return corpus(
        publication_number=list(cols[0]), ipc=list(cols[1]), cited_publications=list(cols[2]),
        filing_date=list(cols[3]), publication_date=list(cols[4]), grant_date=list(cols[5]),
        claims_count=pa.array(cols[6], pa.int32()), family_size=pa.array(cols[7], pa.int32()),
    )


def test_generality_and_originality_by_hand(hand):
    q = quality_indicators(hand)
    assert q.index.name == "publication_number" and q.index.tolist() == hand["publication_number"].to_pylist()
    p = q.loc["P-1-B1"]
    # four citing patents, two subclasses equally: G = 1 - (0.5^2 + 0.5^2) = 0.5; G* = 0.5 * 4/3
    assert p["generality_n"] == 4
    assert p["generality_uncorrected"] == pytest.approx(0.5)
    assert p["generality"] == pytest.approx(0.5 * 4 / 3)
    # one citing patent: uncorrected 0, corrected undefined (N - 1 = 0)
    assert q.loc["Q-1-B1", "generality_n"] == 1
    assert q.loc["Q-1-B1", "generality_uncorrected"] == 0.0
    assert math.isnan(q.loc["Q-1-B1", "generality"])
    # never cited: undefined, not 0
    assert q.loc["R-1-B1", "generality_n"] == 0 and math.isnan(q.loc["R-1-B1", "generality_uncorrected"])
    # a citing patent in two subclasses spreads a weight of 1: s = (0.75, 0.25), G = 0.375, G* = 0.75
    assert q.loc["M-1-B1", "generality_uncorrected"] == pytest.approx(0.375)
    assert q.loc["M-1-B1", "generality"] == pytest.approx(0.75)
    # O cites two A01B and one B64C document (the Z-9 reference leaves the corpus):
    # 1 - (4/9 + 1/9) = 4/9; corrected 4/9 * 3/2 = 2/3
    o = q.loc["O-1-A1"]
    assert o["originality_n"] == 3
    assert o["originality_uncorrected"] == pytest.approx(4 / 9)
    assert o["originality"] == pytest.approx(2 / 3)
    # C-1 cites P and Q, both G06F: concentration 1, diversity 0
    assert q.loc["C-1-A1", "originality_uncorrected"] == 0.0 and q.loc["C-1-A1", "originality"] == 0.0


def test_other_indicators_by_hand(hand):
    q = quality_indicators(hand)
    assert q["backward_citations"].tolist()[3:8] == [2, 1, 1, 1, 4]
    assert q.loc["P-1-B1", "backward_citations"] == 0  # the corpus has citation data: an empty list is 0
    assert q.loc["P-1-B1", "forward_citations_5y"] == 3  # C-4 is published a day after the window end
    assert q.loc["P-1-B1", "forward_window_complete"]
    assert q.loc["C-4-A1", "forward_citations_5y"] == 0 and not q.loc["C-4-A1", "forward_window_complete"]
    assert q.loc["R-1-B1", "patent_scope"] == 2  # G06F (twice) and H04W
    assert pd.isna(q.loc["O-1-A1", "patent_scope"])  # no IPC: unknown
    assert q.loc["P-1-B1", "grant_lag"] == pytest.approx(730 / 365.25)
    assert pd.isna(q.loc["Q-1-B1", "grant_lag"])
    assert q.loc["R-1-B1", "claims"] == 20 and pd.isna(q.loc["C-1-A1", "claims"])
    assert q.loc["P-1-B1", "family_size"] == 3
    assert q["forward_citations_source"].isna().all()
    assert q.attrs["available"]["forward_citations_source"] is False
    assert q.attrs["availability"]["forward_citations_source"] == (
        "forward_citations_source: not given by the source (0 of 11 documents have forward_citations)")


def test_forward_source_column_is_labelled_apart():
    assert "source count, all years, worldwide" in COLUMN_DOCS["forward_citations_source"]
    c = corpus(publication_number=["A-1-A"], forward_citations=pa.array([7], pa.int32()))
    q = quality_indicators(c)
    assert q.loc["A-1-A", "forward_citations_source"] == 7
    assert pd.isna(q.loc["A-1-A", "forward_citations_5y"])  # never substituted
    assert "source count, all years, worldwide" in q.attrs["availability"]["forward_citations_source"]


def test_backward_null_for_source_files_without_citations():
    c = corpus(publication_number=["A-1-A", "A-2-A", "B-1-A"], cited_publications=[["X-1"], [], []],
               source_file=["a.xml", "a.xml", "b.csv"])
    q = quality_indicators(c)
    assert q["backward_citations"].tolist()[:2] == [1, 0] and pd.isna(q.loc["B-1-A", "backward_citations"])
    assert "null for 1 documents from source files that list no citations" in q.attrs["availability"]["backward_citations"]


def test_negative_grant_lag_is_null():
    c = corpus(publication_number=["A-1-A", "A-2-A"], filing_date=[D(2010, 1, 1), D(2010, 1, 1)],
               grant_date=[D(2009, 1, 1), D(2011, 1, 1)])
    q = quality_indicators(c)
    assert pd.isna(q.loc["A-1-A", "grant_lag"]) and q.loc["A-2-A", "grant_lag"] == pytest.approx(365 / 365.25)
    assert "1 negative lags" in q.attrs["availability"]["grant_lag"]


# --- Herfindahl-type index against a brute-force oracle --------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_herfindahl_diversity_matches_oracle(seed):
    rng = np.random.default_rng(seed)
    n, k = 40, 6
    a = (rng.random((n, n)) < 0.15).astype(int)
    x = (rng.random((n, k)) < 0.3).astype(int)
    cor, unc, nn = herfindahl_diversity(sp.csr_matrix(a), sp.csr_matrix(x))
    for i in range(n):
        linked = [j for j in range(n) if a[i, j] and x[j].sum() > 0]
        assert nn[i] == len(linked)
        if not linked:
            assert math.isnan(unc[i]) and math.isnan(cor[i])
            continue
        shares = np.zeros(k)
        for j in linked:
            shares += x[j] / x[j].sum()
        shares /= len(linked)
        g = 1 - float((shares ** 2).sum())
        assert unc[i] == pytest.approx(g, abs=1e-12)
        if len(linked) > 1:
            assert cor[i] == pytest.approx(g * len(linked) / (len(linked) - 1), abs=1e-12)
        else:
            assert math.isnan(cor[i])


# --- cohorts, normalisation, composite ---------------------------------------------------------


def test_cohorts_wipo_and_section():
    c = corpus(publication_number=["A-1-A", "A-2-A", "A-3-A", "A-4-A"],
               ipc=[["B64U10/13", "B64C39/02"], ["H04W4/00"], [], ["G06F3/01"]],
               filing_date=[D(2015, 5, 1), D(2015, 1, 1), None, D(2015, 2, 2)])
    w = cohorts(c)
    # B64U is not in the WIPO concordance: the next code gives the field
    f = w["cohort_field"].tolist()
    assert f[:2] + f[3:] == ["Transport", "Digital communication", "Computer technology"] and pd.isna(f[2])
    assert w["cohort_year"].tolist()[:2] == [2015, 2015] and pd.isna(w["cohort_year"].iloc[2])
    assert w["cohort_size"].tolist() == [1, 1, 1, 1]
    s = cohorts(c, field="section")
    f = s["cohort_field"].tolist()
    assert f[:2] + f[3:] == ["B", "H", "G"] and pd.isna(f[2])
    n = cohorts(c, field=None)
    assert n["cohort_size"].tolist() == [3, 3, 1, 3]
    with pytest.raises(ValueError):
        cohorts(c, field="cpc")


def test_normalise_by_cohort_max_and_mean():
    df = pd.DataFrame({
        "cohort_year": pd.array([2010, 2010, 2010, 2011, 2011, None], dtype="Int64"),
        "cohort_field": ["X", "X", "X", "X", "X", "X"],
        "family_size": pd.array([2, 4, None, 0, 0, 5], dtype="Int64"),
        "grant_lag": [1.0, 3.0, 2.0, np.nan, 4.0, 2.0],
    }, index=pd.Index(list("abcdef"), name="publication_number"))
    n = normalise_by_cohort(df)
    assert n["family_size_norm"].tolist()[:2] == [0.5, 1.0]
    assert math.isnan(n["family_size_norm"].iloc[2])  # null stays null
    assert n["family_size_norm"].tolist()[3:] == [0.0, 0.0, 1.0]  # cohort max 0 -> 0; null year: own cohort
    # grant lag reversed: 1 - lag / cohort max (shorter is better)
    assert n["grant_lag_norm"].iloc[:3].tolist() == pytest.approx([1 - 1 / 3, 0.0, 1 - 2 / 3])
    assert math.isnan(n["grant_lag_norm"].iloc[3]) and n["grant_lag_norm"].iloc[4] == 0.0
    m = normalise_by_cohort(df, method="mean")
    assert m["family_size_norm"].tolist()[:2] == pytest.approx([2 / 3, 4 / 3])
    assert m["family_size_norm"].tolist()[3:] == [1.0, 1.0, 1.0]  # cohort mean 0: each equals the average
    # grant lag reversed as cohort mean / lag: half the average lag scores 2
    assert m["grant_lag_norm"].iloc[:3].tolist() == pytest.approx([2.0, 2 / 3, 1.0])
    with pytest.raises(ValueError):
        normalise_by_cohort(df, method="median")


def test_composite_with_missing_components():
    norm = pd.DataFrame({
        "forward_citations_5y_norm": [1.0, 0.0, np.nan],
        "family_size_norm": [0.5, 1.0, 0.25],
        "claims_norm": [np.nan, np.nan, np.nan],
        "generality_norm": [np.nan, 0.5, np.nan],
    }, index=pd.Index(["a", "b", "c"], name="publication_number"))
    norm.attrs["available"] = {"forward_citations_5y": True, "family_size": True, "claims": False, "generality": True}
    norm.attrs["availability"] = {"claims": "claims: no claims in this corpus (0 of 3 documents have claims_count)"}
    c = composite_index(norm, QUALITY_INDEX_4)
    assert c["quality_index"].tolist() == pytest.approx([0.75, 0.5, 0.25])
    assert c["quality_index_n"].tolist() == [2, 3, 1]
    assert c.attrs["components_used"] == ["forward_citations_5y", "family_size", "generality"]
    assert c.attrs["components_missing"] == ["claims"]
    assert c.attrs["note"] == ("quality_index = mean of forward_citations_5y_norm, family_size_norm, generality_norm; "
                               "not available: claims: no claims in this corpus (0 of 3 documents have claims_count)")
    # a component absent from the table is reported missing too
    c6 = composite_index(norm, QUALITY_INDEX_6)
    assert c6.attrs["components_missing"] == ["claims", "backward_citations", "grant_lag"]


def test_quality_table_and_key_patents(hand):
    """The OECD 2013 scale (cohort maximum, capped at 1)."""
    t = quality_table(hand, method="max")
    assert t.attrs["components_used"] == list(QUALITY_INDEX_4) and t.attrs["method"] == "max"
    assert t.loc["P-1-B1", "forward_citations_5y_norm"] == 1.0
    assert t.loc["P-1-B1", "cohort_size"] == 3
    kp = key_patents(hand, top=3, method="max")
    assert kp["rank"].tolist() == [1, 2, 3]
    assert list(kp.columns[:5]) == ["rank", "publication_number", "title", "quality_index", "quality_index_n"]
    for c in QUALITY_INDEX_4:
        assert c in kp.columns and f"{c}_norm" in kp.columns
    # complete records first: P (4 components, 0.75), then R and Q (3; generality undefined)
    assert kp["publication_number"].tolist() == ["P-1-B1", "R-1-B1", "Q-1-B1"]
    assert kp["quality_index_n"].tolist() == [4, 3, 3]
    # P in cohort (2009, Computer technology) with Q and R: forward 3/3, family 3/6, claims 10/20,
    # generality 2/3 / 2/3 (the only defined value) -> (1 + 0.5 + 0.5 + 1) / 4
    assert kp["quality_index"].tolist() == pytest.approx([0.75, (0 + 1 + 1) / 3, (1 / 3 + 1 / 6 + 1 / 4) / 3])
    t = quality_table(hand, method="max")
    # M-1 has a higher index (1.0) on two components only: ranked after the complete records
    assert t.loc["M-1-B1", "quality_index"] == 1.0 and t.loc["M-1-B1", "quality_index_n"] == 2
    assert key_patents(hand, top=4, method="max")["publication_number"].iloc[3] == "M-1-B1"


def test_composite_on_the_cohort_mean_scale(hand):
    """Default scale: each component / its cohort mean (Hall, Jaffe & Trajtenberg 2001), not capped."""
    t = quality_table(hand)
    assert t.attrs["method"] == "mean"
    # P in cohort (2009, Computer technology) with Q and R: forward (5 years) 3 of a mean (3+1+0)/3,
    # family 3 of (3+1+6)/3, claims 10 of (10+5+20)/3, generality: P's is the only defined value (1)
    p = t.loc["P-1-B1"]
    assert p["forward_citations_5y_norm"] == pytest.approx(9 / 4)  # above 1: not capped
    assert p["quality_index"] == pytest.approx((9 / 4 + 9 / 10 + 30 / 35 + 1.0) / 4)


def test_key_patents_tie_break_on_cohort_size():
    c = corpus(publication_number=["A-1-A", "B-1-A", "B-2-A"], family_size=pa.array([1, 4, 2], pa.int32()),
               ipc=[["H04W4/00"], ["G06F3/01"], ["G06F3/01"]], filing_date=[D(2010, 1, 1)] * 3)
    kp = key_patents(c, method="max")
    # A-1 and B-1 are both cohort maxima (1.0); B-1's cohort has two documents
    assert kp["publication_number"].tolist() == ["B-1-A", "A-1-A", "B-2-A"]
    assert kp["quality_index"].tolist() == [1.0, 1.0, 0.5]
    # on the cohort-mean scale B-1 (4 against a mean of 3) leads; A-1 alone in its cohort is average (1)
    kp = key_patents(c)
    assert kp["publication_number"].tolist() == ["B-1-A", "A-1-A", "B-2-A"]
    assert kp["quality_index"].tolist() == pytest.approx([4 / 3, 1.0, 2 / 3])
    assert kp.attrs["components_used"] == ["family_size"]


# --- real data ------------------------------------------------------------------------------------


def test_drones_availability(drones):
    q = quality_indicators(drones)
    notes = q.attrs["availability"]
    assert notes["originality"] == ("originality: no backward citations in this corpus "
                                    "(0 of 9,071 documents have cited_publications)")
    assert notes["generality"] == ("generality: no backward citations in this corpus "
                                   "(0 of 9,071 documents have cited_publications)")
    assert notes["backward_citations"] == ("backward_citations: no backward citations in this corpus "
                                           "(0 of 9,071 documents have cited_publications)")
    assert notes["claims"] == "claims: no claims in this corpus (0 of 9,071 documents have claims_count)"
    assert notes["forward_citations_5y"].startswith(
        "forward_citations_5y: no citation data in this corpus (0 of 9,071 documents have cited_publications)")
    assert notes["forward_citations_source"] == ("forward_citations_source (source count, all years, worldwide): "
                                                 "given for 9,071 of 9,071 documents")
    assert notes["patent_scope"] == "patent_scope: IPC codes for 8,997 of 9,071 documents; null where none is given"
    assert notes["grant_lag"] == ("grant_lag: filing and grant dates for 2,123 of 9,071 documents; "
                                  "2 negative lags (grant before filing) set to null")
    assert q.attrs["available"] == {
        "forward_citations_5y": False, "forward_citations_source": True, "backward_citations": False,
        "family_size": True, "patent_scope": True, "claims": False, "generality": False,
        "originality": False, "grant_lag": True,
    }
    # null, never 0, where the corpus lacks the input
    for col in ("forward_citations_5y", "backward_citations", "claims", "generality", "originality"):
        assert q[col].isna().all(), col
    counts = q.notna().sum()
    assert (counts["family_size"], counts["patent_scope"], counts["grant_lag"], counts["forward_citations_source"]) == (
        9071, 8997, 2123, 9071)
    assert int(q["forward_citations_source"].sum()) == 78_232
    av = availability_table(q)
    assert av.set_index("indicator").loc["claims", "documents"] == 0
    kp = key_patents(drones, top=20)
    assert len(kp) == 20 and kp.attrs["components_used"] == ["family_size"]
    assert kp.attrs["components_missing"] == ["forward_citations_5y", "claims", "generality"]
    assert "claims: no claims in this corpus (0 of 9,071 documents have claims_count)" in kp.attrs["note"]
    # the OECD max scale cannot tell the top apart: every one of the 20 is its cohort's best (1.00)
    assert (key_patents(drones, top=20, method="max")["quality_index"] == 1.0).all()
    # the cohort-mean scale (default) does: ten distinct values at the top, led by US-9117318-B2
    # (family of 113 in its 2014 "Control" cohort of 92 documents)
    top = kp.head(10)
    assert top["quality_index"].is_monotonic_decreasing and top["quality_index"].nunique() == 10
    lead = kp.iloc[0]
    assert lead["publication_number"] == "US-9117318-B2" and lead["family_size"] == 113
    assert (lead["cohort_year"], lead["cohort_field"], lead["cohort_size"]) == (2014, "Control", 92)
    raw = quality_indicators(drones)
    cohort = raw[(raw["cohort_year"] == 2014) & (raw["cohort_field"] == "Control")]
    assert len(cohort) == 92
    assert lead["quality_index"] == pytest.approx(113 / cohort["family_size"].astype(float).mean())


def test_uspto_sample_indicators():
    u = patentnav.read(*sorted(USPTO.glob("*.xml")))
    g = citation_graph(u)
    q = quality_indicators(u, graph=g)
    notes = q.attrs["availability"]
    # 0 in-corpus arcs: the windowed count is observed (0) for every document, generality defined for none
    assert (q["forward_citations_5y"] == 0).all()
    assert notes["forward_citations_5y"].startswith(
        "forward_citations_5y: 0 in-corpus citation arcs from the 420 of 421 documents that list cited_publications")
    assert q["generality"].isna().all() and q["originality"].isna().all()
    assert q.attrs["available"]["generality"] is False
    assert "9,151 references leave the corpus" in notes["originality"]
    assert int(q["backward_citations"].sum()) == 9151 and int((q["backward_citations"] == 0).sum()) == 1
    assert q["claims"].notna().sum() == 421 and q["family_size"].isna().all()
    assert q["patent_scope"].notna().sum() == 201
    kp = key_patents(u, graph=g)
    assert kp.attrs["components_used"] == ["forward_citations_5y", "claims"]


# --- the vectorised implementations equal their plain definitions ---------------------------------


def _cohorts_reference(c, field):
    """The definition of :func:`cohorts`: the field of each document's first code that has
    one, mapped code by code; cohort sizes by grouping on the (year, field) labels."""
    from patentnav.classify.wipo import wipo_field

    rule = {"wipo": lambda s: getattr(wipo_field(s), "field_en", None), "section": lambda s: s[0] if s else None}
    fields = []
    for codes in c["ipc"].to_pylist():
        found = [rule[field](s) for s in (codes or []) if s] if field else ["all"]
        fields.append(next((f for f in found if f is not None), None))
    years = [None if d is None else d.year for d in c["filing_date"].to_pylist()]
    keys = pd.Series(list(zip(years, fields)))
    return years, fields, keys.map(keys.value_counts()).tolist()


@pytest.mark.parametrize("seed", range(3))
def test_cohorts_match_their_definition(seed):
    rng = np.random.default_rng(seed)
    pool = ["H04W4/00", "G06F3/01", "B64U10/13", "B64C39/02", "A01B1/00", "", None, "Z99Z1/00", "H01L21/00"]
    n = 300
    ipc = [None if rng.random() < 0.05 else [pool[i] for i in rng.integers(0, len(pool), rng.integers(0, 4))]
           for _ in range(n)]
    dates = [None if rng.random() < 0.1 else D(int(rng.integers(2005, 2009)), 1, 1) for _ in range(n)]
    c = corpus(publication_number=[f"X-{i}-A" for i in range(n)], ipc=pa.array(ipc, pa.list_(pa.string())),
               filing_date=pa.array(dates, pa.date32()))
    for field in ("wipo", "section", None):
        years, fields, sizes = _cohorts_reference(c, field)
        w = cohorts(c, field=field)
        assert [None if pd.isna(y) else y for y in w["cohort_year"]] == years
        assert [None if pd.isna(f) else f for f in w["cohort_field"]] == fields
        assert w["cohort_size"].tolist() == sizes and w.index.tolist() == c["publication_number"].to_pylist()


@pytest.mark.parametrize("method", ["max", "mean"])
def test_normalise_by_cohort_equals_grouped_transform(method):
    """One grouped pass over integer cohort codes gives, bit for bit, each column's
    ``groupby(year, field).transform(method)`` (pandas' compensated sums included)."""
    rng = np.random.default_rng(7)
    n = 5000
    df = pd.DataFrame({
        "cohort_year": pd.array(np.where(rng.random(n) < 0.05, None, rng.integers(2000, 2010, n)), dtype="Int64"),
        "cohort_field": np.where(rng.random(n) < 0.05, None, rng.choice(["X", "Y", "Z"], n)).astype(object),
        "claims": pd.array(np.where(rng.random(n) < 0.2, None, rng.integers(0, 40, n)), dtype="Int64"),
        "generality": np.where(rng.random(n) < 0.3, np.nan, rng.random(n) / 3),
        "grant_lag": np.where(rng.random(n) < 0.3, np.nan, rng.random(n) * 7),
    })
    got = normalise_by_cohort(df, method=method)
    for c in ("claims", "generality", "grant_lag"):
        v = pd.to_numeric(df[c], errors="coerce").astype("float64")
        stat = v.groupby([df["cohort_year"], df["cohort_field"]], dropna=False).transform(method).to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(stat > 0, v / stat, np.where(v.isna(), np.nan, 0.0 if method == "max" else 1.0))
            if c == "grant_lag":
                r = 1.0 - r if method == "max" else np.where(r > 0, 1.0 / r, np.nan)
        assert np.array_equal(got[f"{c}_norm"].to_numpy(), r, equal_nan=True), c


def test_key_patents_equals_the_full_sort():
    """Sorting only the candidate rows gives the head of the full sort: ties, nulls, every top."""
    rng = np.random.default_rng(3)
    n = 400
    pubs = [f"P-{i:04d}-A" for i in rng.permutation(n)]
    c = corpus(publication_number=pubs, title=[None if i % 7 == 0 else f"t{i}" for i in range(n)])
    table = pd.DataFrame({
        "quality_index": np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 6, n) / 4),
        "quality_index_n": rng.integers(0, 3, n),
        "cohort_size": rng.integers(1, 4, n),
        "cohort_year": 2010, "cohort_field": "X", "forward_citations_source": 1,
    }, index=pd.Index(pubs, name="publication_number"))
    table.loc[table["quality_index"].isna(), "quality_index_n"] = 0
    table.attrs["components_used"] = []
    full = table.assign(title=pd.Series(c["title"].to_pandas().to_numpy(), index=table.index)).reset_index()
    full = full.sort_values(["quality_index_n", "quality_index", "cohort_size", "publication_number"],
                            ascending=[False, False, False, True], na_position="last", kind="mergesort")
    for top in (0, 1, 5, 17, 60, 200, n - 1, n, n + 5):
        kp = key_patents(c, top=top, table=table)
        want = full.head(top)
        assert kp["publication_number"].tolist() == want["publication_number"].tolist(), top
        assert kp["title"].dtype == want["title"].dtype and kp["title"].isna().tolist() == want["title"].isna().tolist()


@pytest.mark.parametrize("data", ["hand", "drones"])
def test_report_columns_are_the_full_tables(data, request):
    """``columns=``: the same columns, values and notes as the full table, without computing
    the rest (originality: its availability and note from N alone)."""
    c = request.getfixturevalue(data)
    full = quality_table(c)
    lean = quality_table(c, columns=REPORT_COLUMNS)
    assert list(lean.columns) == [x for x in full.columns if x in REPORT_COLUMNS] == list(REPORT_COLUMNS)
    pd.testing.assert_frame_equal(lean, full[list(REPORT_COLUMNS)], check_exact=True)
    assert lean.attrs == full.attrs
    pd.testing.assert_frame_equal(key_patents(c, top=5, table=lean), key_patents(c, top=5, table=full), check_exact=True)
    only = quality_table(c, columns=["originality_n", "patent_scope_norm"])
    pd.testing.assert_frame_equal(only, full[["originality_n", "patent_scope_norm"]], check_exact=True)
