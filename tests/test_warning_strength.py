"""Tests of patentnav.warning.strength.patent_strength, checked by hand on a small corpus."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from patentnav.model.corpus import Corpus
from patentnav.status import patent_status
from patentnav.warning.strength import BREADTH_CAP, STRENGTH_COMPONENTS, patent_strength

AS_OF = "2020-01-01"
TRANSPORT = "B64C39/024"   # WIPO field "Transport"
AUDIOVISUAL = "H04N5/232"  # WIPO field "Audio-visual technology"

_BASE = dict(jurisdiction="US", kind="B2", document_type="granted_patent")

ROWS = [
    # cohort (2010, Transport): maxima fc 10, family 8, claims 20
    dict(_BASE, publication_number="US-1-B2", filing_date="2010-03-01", grant_date="2012-05-01", ipc=[TRANSPORT],
         forward_citations=10, family_size=4, claims_count=20, family_jurisdictions=["CN", "EP", "US", "WO"]),
    dict(_BASE, publication_number="US-2-B2", filing_date="2010-06-01", grant_date="2012-06-01", ipc=[TRANSPORT],
         forward_citations=5, family_size=8, claims_count=10, family_jurisdictions=["US"]),
    dict(_BASE, publication_number="US-6-B2", filing_date="2010-09-01", grant_date="2013-01-01", ipc=[TRANSPORT],
         forward_citations=None, family_size=2, claims_count=15, family_jurisdictions=["WO"]),
    # lapsed (legal status) although its term runs: remaining term 0
    dict(_BASE, publication_number="US-7-B2", filing_date="2010-02-01", grant_date="2012-02-01", ipc=[TRANSPORT],
         forward_citations=1, family_size=1, claims_count=1, family_jurisdictions=[], legal_status="LAPSED"),
    # cohort (2010, Audio-visual): alone; an application without claims count
    dict(publication_number="US-3-A1", jurisdiction="US", kind="A1", document_type="application",
         filing_date="2010-01-15", ipc=[AUDIOVISUAL], forward_citations=3, family_size=2, claims_count=None,
         family_jurisdictions=["JP"]),
    # cohort (2011, Transport): alone; zero citations in a cohort whose maximum is 0
    dict(_BASE, publication_number="US-4-B2", filing_date="2011-04-01", grant_date="2013-04-01", ipc=[TRANSPORT],
         forward_citations=0, family_size=1, claims_count=5, family_jurisdictions=[]),
    # cohort (1998, Transport): alone, expired on 2018-01-05, 13 offices with US (WO not counted)
    dict(_BASE, publication_number="US-5-A", kind="A", filing_date="1998-01-05", grant_date="2000-01-05", ipc=[TRANSPORT],
         forward_citations=7, family_size=13, claims_count=30,
         family_jurisdictions=["AT", "AU", "BR", "CA", "CN", "DE", "EP", "ES", "FR", "GB", "JP", "KR", "WO"]),
]


def _corpus(rows):
    df = pd.DataFrame(rows)
    df["publication_date"] = df.get("grant_date", df["filing_date"]).fillna(df["filing_date"])
    return Corpus.from_pandas(df)


def _years_left(filing):
    """Years from AS_OF to filing + 20 years, as patent_status rounds them."""
    f = dt.date.fromisoformat(filing)
    expiry = f.replace(year=f.year + 20)
    return round(max((expiry - dt.date.fromisoformat(AS_OF)).days, 0) / 365.25, 2)


# hand-computed components: forward citations, family size, market breadth, claims, remaining term
NAN = np.nan
EXPECTED = {
    "US-1-B2": (10 / 10, 4 / 8, 3 / 10, 20 / 20, _years_left("2010-03-01") / 20),  # CN, EP, US (WO not counted)
    "US-2-B2": (5 / 10, 8 / 8, 1 / 10, 10 / 20, _years_left("2010-06-01") / 20),
    "US-6-B2": (NAN, 2 / 8, 1 / 10, 15 / 20, _years_left("2010-09-01") / 20),      # only WO in the family: US alone
    "US-7-B2": (1 / 10, 1 / 8, 1 / 10, 1 / 20, 0.0),                                # lapsed: no term left
    "US-3-A1": (3 / 3, 2 / 2, 2 / 10, NAN, _years_left("2010-01-15") / 20),         # own US + JP
    "US-4-B2": (0.0, 1 / 1, 1 / 10, 5 / 5, _years_left("2011-04-01") / 20),
    "US-5-A": (1.0, 1.0, 1.0, 1.0, 0.0),                                           # 13 offices -> capped at 1
}


@pytest.fixture(scope="module")
def corpus():
    return _corpus(ROWS)


@pytest.fixture(scope="module")
def strength(corpus):
    return patent_strength(corpus, as_of=AS_OF)


def test_status_of_the_fixture(corpus):
    st = patent_status(corpus, as_of=AS_OF).set_index("publication_number")
    assert st.loc["US-5-A", "status"] == "expired"
    assert st.loc["US-7-B2", "status"] == "lapsed"
    assert st.loc["US-3-A1", "status"] == "pending"
    assert st.loc["US-1-B2", "status"] == "in_force"
    assert _years_left("2010-03-01") == st.loc["US-1-B2", "years_left"] == 10.16


def test_components_by_hand(strength):
    s = strength.set_index("publication_number")
    assert list(s.index) == [r["publication_number"] for r in ROWS]  # corpus order
    for pub, want in EXPECTED.items():
        got = s.loc[pub, list(STRENGTH_COMPONENTS)].to_numpy(dtype=float)
        np.testing.assert_allclose(got, np.array(want, dtype=float), rtol=0, atol=1e-12, err_msg=pub)


def test_strength_is_mean_of_available_components(strength):
    s = strength.set_index("publication_number")
    for pub, want in EXPECTED.items():
        vals = [v for v in want if not np.isnan(v)]
        assert s.loc[pub, "strength"] == pytest.approx(sum(vals) / len(vals)), pub
        assert s.loc[pub, "strength_n"] == len(vals), pub
    # e.g. US-1-B2: (1 + 0.5 + 0.3 + 1 + 10.16 / 20) / 5
    assert s.loc["US-1-B2", "strength"] == pytest.approx((1 + 0.5 + 0.3 + 1 + 0.508) / 5)
    # US-6-B2 has no forward-citation count: mean of the other four
    assert s.loc["US-6-B2", "strength"] == pytest.approx((0.25 + 0.1 + 0.75 + 10.67 / 20) / 4)
    assert strength["strength"].between(0, 1).all()


def test_raw_values_reported(strength):
    s = strength.set_index("publication_number")
    assert s.loc["US-1-B2", "offices"] == 3
    assert s.loc["US-5-A", "offices"] == 13  # 12 family offices besides WO + own US
    assert s.loc["US-6-B2", "offices"] == 1
    assert s.loc["US-3-A1", "offices"] == 2
    assert s.loc["US-1-B2", "forward_citations_raw"] == 10
    assert np.isnan(s.loc["US-6-B2", "forward_citations_raw"])
    assert s.loc["US-2-B2", "family_size_raw"] == 8
    assert np.isnan(s.loc["US-3-A1", "claims_raw"])
    assert s.loc["US-7-B2", "years_left"] > 10  # the term runs, but the patent lapsed
    assert s.loc["US-5-A", "years_left"] == 0
    assert BREADTH_CAP == 10


def test_all_components_used(strength):
    assert strength.attrs["components_used"] == list(STRENGTH_COMPONENTS)
    assert strength.attrs["components_missing"] == []
    assert "as counted by the source" in strength.attrs["note"]


def test_cohort_depends_on_year_and_field():
    """Moving US-2 into another filing year or another field takes it out of US-1's cohort."""
    base = [dict(r) for r in ROWS[:2]]  # US-1 (fc 10, family 4) and US-2 (fc 5, family 8), 2010 Transport
    other_year = [base[0], dict(base[1], filing_date="2011-06-01")]
    other_field = [base[0], dict(base[1], ipc=[AUDIOVISUAL])]
    for rows in (other_year, other_field):
        s = patent_strength(_corpus(rows), as_of=AS_OF).set_index("publication_number")
        assert s.loc["US-1-B2", "family_size"] == 1.0  # now the maximum of its own cohort
        assert s.loc["US-2-B2", "forward_citations"] == 1.0
    same = patent_strength(_corpus(base), as_of=AS_OF).set_index("publication_number")
    assert same.loc["US-1-B2", "family_size"] == 0.5 and same.loc["US-2-B2", "forward_citations"] == 0.5


def test_status_argument_supplies_years_left(corpus):
    st = patent_status(corpus, as_of="2025-01-01")
    s = patent_strength(corpus, status=st).set_index("publication_number")
    # on 2025-01-01 US-1-B2 has 5.16 years left
    assert s.loc["US-1-B2", "remaining_term"] == pytest.approx(round((dt.date(2030, 3, 1) - dt.date(2025, 1, 1)).days / 365.25, 2) / 20)
    assert s.loc["US-1-B2", "remaining_term"] == pytest.approx(5.16 / 20)


def test_missing_components_excluded_and_reported():
    rows = [{k: v for k, v in r.items() if k not in ("claims_count", "family_jurisdictions")} for r in ROWS[:3]]
    s = patent_strength(_corpus(rows), as_of=AS_OF)
    assert s.attrs["components_used"] == ["forward_citations", "family_size", "remaining_term"]
    assert s.attrs["components_missing"] == ["market_breadth", "claims"]
    assert "not in the data: market_breadth, claims" in s.attrs["note"]
    assert s["market_breadth"].isna().all() and s["claims"].isna().all()
    x = s.set_index("publication_number")
    # US-1-B2: (10/10 + 4/8 + 10.16/20) / 3
    assert x.loc["US-1-B2", "strength"] == pytest.approx((1.0 + 0.5 + 0.508) / 3)
    assert x.loc["US-1-B2", "strength_n"] == 3
    # US-6-B2 lacks forward citations too: (2/8 + 10.67/20) / 2
    assert x.loc["US-6-B2", "strength"] == pytest.approx((0.25 + 10.67 / 20) / 2)
    assert x.loc["US-6-B2", "strength_n"] == 2


def test_no_citation_data_at_all():
    rows = [{k: v for k, v in r.items() if k != "forward_citations"} for r in ROWS[:2]]
    s = patent_strength(_corpus(rows), as_of=AS_OF)
    assert "forward_citations" not in s.attrs["components_used"]
    assert s["forward_citations"].isna().all()
    x = s.set_index("publication_number")
    assert x.loc["US-2-B2", "strength"] == pytest.approx((1.0 + 0.1 + 0.5 + 10.41 / 20) / 4)


# --- the bundled drone sample ---------------------------------------------------------------
@pytest.fixture(scope="module")
def drone_strength(drones):
    return patent_strength(drones, as_of="2026-11-27")


def test_drones_strength_range_and_components(drones, drone_strength):
    s = drone_strength
    assert len(s) == len(drones) == 9071
    assert s["publication_number"].tolist()[:5] == drones.table["publication_number"].to_pylist()[:5]
    assert s["strength"].between(0, 1).all()
    for c in STRENGTH_COMPONENTS:
        v = s[c].dropna()
        assert v.between(0, 1).all(), c
    assert s.attrs["components_used"] == ["forward_citations", "family_size", "remaining_term"]
    assert s.attrs["components_missing"] == ["market_breadth", "claims"]
    assert s["market_breadth"].isna().all() and s["claims"].isna().all()
    assert (s["strength_n"] <= 3).all() and (s["strength_n"] >= 2).all()
    # each cohort's maximum reaches 1
    assert s["forward_citations"].max() == 1.0 and s["family_size"].max() == 1.0


def test_drones_strength_is_the_mean(drone_strength):
    s = drone_strength
    comp = s[["forward_citations", "family_size", "remaining_term"]].to_numpy(dtype=float)
    np.testing.assert_allclose(s["strength"].to_numpy(), np.nanmean(comp, axis=1), rtol=1e-12)
