"""Legal, technical and economic indicators of the portfolio (portfolio.legal / portfolio.indicators),
each against a hand-computed case."""

import math

import numpy as np
import pandas as pd
import pytest

from patentnav.portfolio.indicators import (
    cohort_percentile,
    gni_weights,
    market_coverage_index,
    radicalness,
    value_indicators,
)
from patentnav.portfolio.legal import classify_transactions, legal_profile
from patentnav.status import patent_status
from portfolio_corpus import D, corpus, ev

AS_OF = D(2024, 1, 1)


# --- legal events -----------------------------------------------------------------------
@pytest.mark.parametrize("office,code,desc,kind", [
    ("CN", "PE01", None, "pledge"), ("CN", "PC01", None, "pledge_release"), ("CN", "PM01", None, "pledge"),
    ("CN", "EE01", None, "licence"), ("CN", "EC01", None, "licence_end"), ("CN", "OL01", None, "licence_offer"),
    ("CN", "TR01", None, "transfer"), ("CN", "C41", None, "transfer"), ("CN", "CP01", None, None),
    ("CN", "IW01", None, "invalidation"), ("CN", "IP01", None, "invalidation"), ("EP", "27W", None, "invalidation"),
    ("EP", "26", None, "challenge"), ("US", "IPR", None, "challenge"), ("US", "AS", "SECURITY AGREEMENT", "pledge"),
    ("US", "AS", "RELEASE BY SECURED PARTY", "pledge_release"),
    ("US", "AS", "ASSIGNMENT OF ASSIGNORS INTEREST", "transfer"), ("FR", "GC", None, "pledge"),
    ("FR", "RG", None, "pledge_release"), ("AU", "GM", None, "pledge"), ("DE", "R088", None, "licence"),
    ("EP", "111L", None, "licence"), ("US", "FP", None, None), ("CN", "C17", None, None),
])
def test_event_kinds_from_the_inpadoc_table(office, code, desc, kind):
    got = classify_transactions([office], [code], [desc])["kind"].iloc[0]
    assert (got if isinstance(got, str) else None) == kind


def _legal_corpus():
    return corpus(
        publication_number=["CN-1-B", "CN-2-B", "CN-3-B", "CN-4-B"], jurisdiction=["CN"] * 4, kind=["B"] * 4,
        document_type=["granted_patent"] * 4, filing_date=[D(2015, 1, 1)] * 4, grant_date=[D(2017, 1, 1)] * 4,
        legal_events=[
            [ev(D(2019, 1, 1), "PE01"), ev(D(2020, 1, 1), "PC01")],  # pledged, then released
            [ev(D(2019, 1, 1), "PE01"), ev(D(2020, 1, 1), "PC01"), ev(D(2021, 1, 1), "PE01")],  # pledged again
            [ev(D(2018, 1, 1), "EE01"), ev(D(2019, 6, 1), "TR01"), ev(D(2025, 1, 1), "PE01")],  # pledge after as_of
            [],
        ])


def test_active_pledge_is_pe01_without_later_pc01():
    lp = legal_profile(_legal_corpus(), as_of=AS_OF)
    assert lp["active_pledge"].tolist() == [False, True, False, False]
    assert lp["pledges"].tolist() == [1, 2, 0, 0]
    assert lp["licences"].tolist() == [0, 0, 1, 0] and lp["active_licence"].tolist() == [False, False, True, False]
    assert lp["transfers"].tolist() == [0, 0, 1, 0]
    assert lp["transactions"].tolist() == [1, 2, 2, 0]
    assert lp.attrs["with_events"] == 3


def test_no_events_means_unknown_note(drones):
    lp = legal_profile(drones, as_of=AS_OF)
    assert lp.attrs["with_events"] == 0 and "cannot be seen" in lp.attrs["note"]


# --- market coverage (Patent Asset Index) --------------------------------------------------
def test_market_coverage_hand_computed():
    c = corpus(publication_number=["US-1-B2", "CN-2-B", "EP-3-B1", "WO-4-A1", "TW-5-B"],
               jurisdiction=["US", "CN", "EP", "WO", "TW"],
               family_jurisdictions=[["US", "CN"], ["CN"], ["EP", "DE"], ["WO"], ["TW"]])
    mc, markets, missing = market_coverage_index(c)
    us, cn, de, fr, gb = 20562615, 13184125, 3912934, 2751955, 2748376
    assert math.isclose(mc[0], (us + cn) / us)
    assert math.isclose(mc[1], cn / us)
    assert math.isclose(mc[2], (de + fr + gb) / us)  # EP stands for DE, FR, GB; DE counted once
    assert mc[3] == 0 and markets[3] == 0  # WO is no market
    assert markets.tolist()[:3] == [2, 1, 3]
    assert missing == {"TW": 1}
    assert gni_weights()["US"] == 1.0


# --- radicalness (Shane 2001; OECD 2013) ---------------------------------------------------
def test_radicalness_hand_computed():
    from patentnav.landscape.citations import citation_graph
    from patentnav.landscape.incidence import code_incidence

    # P (A01B, B64C) cites X (A01B), Y (B64C, G06F), Z (H04W): pairs (X,A01B) (Y,B64C) (Y,G06F) (Z,H04W)
    # -> 4 pairs, 2 of them in P's own subclasses -> radicalness 0.5; X, Y, Z cite nothing -> NaN
    c = corpus(publication_number=["US-1-B2", "US-2-B2", "US-3-B2", "US-4-B2"],
               ipc=[["A01B1/00", "B64C39/02"], ["A01B3/00"], ["B64C1/00", "G06F3/01"], ["H04W4/00"]],
               cited_publications=[["US-2-B2", "US-3-B2", "US-4-B2"], [], [], []],
               publication_date=[D(2020, 1, 1), D(2015, 1, 1), D(2015, 1, 1), D(2015, 1, 1)])
    g = citation_graph(c)
    r = radicalness(g, code_incidence(c, "ipc", "subclass").matrix)
    assert r[0] == 0.5 and np.isnan(r[1:]).all()


# --- cohort percentile, breakthrough, value index -------------------------------------------
def test_mid_rank_percentile():
    v = pd.Series([10, 20, 20, 40, np.nan, 5])
    keys = [np.array(["a", "a", "a", "a", "a", "b"])]
    p = cohort_percentile(v, keys)
    # cohort a: 10 -> rank 1, 20 & 20 -> 2.5, 40 -> 4, n = 4 -> (r - .5)/4; cohort b alone -> 0.5
    assert np.allclose(p[[0, 1, 2, 3, 5]], [0.125, 0.5, 0.5, 0.875, 0.5]) and np.isnan(p[4])


def _cohort_corpus(n=120, top=5):
    fwd = list(range(n))
    fwd[-1] = 1000  # top 1%: fewer than 1.2 of the 120 documents cited more -> documents 119 and 118
    return corpus(
        publication_number=[f"US-{i}-B2" for i in range(n)], jurisdiction=["US"] * n, kind=["B2"] * n,
        document_type=["granted_patent"] * n, filing_date=[D(2010, 1, 1)] * n, grant_date=[D(2012, 1, 1)] * n,
        ipc=[["B64C39/02"]] * n, forward_citations=fwd, family_size=[1 + i % 3 for i in range(n)],
        cited_npl=[["npl"]] * 2 + [[]] * (n - 2), cited_publications=[["US-99-B2"]] * 1 + [[]] * (n - 1))


def test_breakthrough_tech_relevance_and_value_index():
    c = _cohort_corpus()
    st = patent_status(c, as_of=AS_OF)
    v = value_indicators(c, st, as_of=AS_OF)
    assert v["breakthrough"].fillna(False).tolist() == [False] * 118 + [True, True]
    mean = (sum(range(119)) + 1000) / 120
    assert math.isclose(v["tech_relevance"].iloc[60], 60 / mean)
    assert math.isclose(v["forward_citations_norm"].iloc[60], 60 / 1000)
    # value index = mean of the forward-citation and family-size percentiles
    fam_p = cohort_percentile(v["family_size"], [np.zeros(120)])
    assert math.isclose(v["value_index"].iloc[7], (v["forward_citations_pct"].iloc[7] + fam_p[7]) / 2)
    assert v.attrs["value_components"] == ["forward_citations", "family_size"]
    # NPL share: document 0 has 1 NPL + 1 patent reference, document 1 one NPL only
    assert v["npl_share"].iloc[0] == 0.5 and v["npl_share"].iloc[1] == 1.0 and np.isnan(v["npl_share"].iloc[2])
    # maintenance ratio: filed 2010-01-01, in force on 2024-01-01 -> 14 of 20 years
    assert math.isclose(v["maintenance_ratio"].iloc[0], (pd.Timestamp("2024-01-01") - pd.Timestamp("2010-01-01")).days
                        / (pd.Timestamp("2030-01-01") - pd.Timestamp("2010-01-01")).days)


def test_breakthrough_undefined_in_small_cohorts(drones):
    st = patent_status(drones, as_of="2018-01-01")
    v = value_indicators(drones, st, as_of="2018-01-01")
    small = v["cohort_size"] < 100
    assert v.loc[small, "breakthrough"].isna().all()
    assert v["market_coverage"].isna().all()  # the Lens sample has no family jurisdictions: unknown, not 0
    assert "cannot be computed" in v.attrs["availability"]["market_coverage"]
    assert v["value_index"].between(0, 1).all()
