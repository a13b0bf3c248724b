"""CNIPA's statistical high-value invention patent definition (landscape.high_value)."""

import pandas as pd

from patentnav.landscape.high_value import UNKNOWN_CRITERIA, high_value_inventions
from portfolio_corpus import D, corpus, ev

AS_OF = D(2024, 6, 30)


def _sample():
    # 1: CN invention in force, SEI (B64U drones are SEI 2.x? use G06N AI), filed 2012 -> maintained > 10y
    # 2: CN invention in force, filed 2020, no SEI code, family member in US -> overseas
    # 3: CN invention in force, filed 2020, no SEI, family only CN + WO -> no criterion
    # 4: CN utility model in force, SEI code -> out of scope (not an invention)
    # 5: US invention in force, SEI -> out of scope with scope="CN", in scope with scope=None
    # 6: CN invention, no family data at all -> overseas unknown
    return corpus(
        publication_number=["CN-1-B", "CN-2-B", "CN-3-B", "CN-4-U", "US-5-B2", "CN-6-B"],
        jurisdiction=["CN", "CN", "CN", "CN", "US", "CN"],
        kind=["B", "B", "B", "U", "B2", "B"],
        document_type=["granted_patent", "granted_patent", "granted_patent", "utility_model", "granted_patent",
                       "granted_patent"],
        filing_date=[D(2012, 3, 1), D(2020, 1, 1), D(2020, 1, 1), D(2020, 1, 1), D(2019, 1, 1), D(2021, 1, 1)],
        grant_date=[D(2015, 1, 1), D(2022, 1, 1), D(2022, 1, 1), D(2020, 9, 1), D(2021, 1, 1), D(2023, 1, 1)],
        ipc=[["G06N3/08"], ["A47G19/00"], ["A47G19/00"], ["G06N3/08"], ["G06N3/08"], ["A47G19/00"]],
        family_jurisdictions=[["CN"], ["CN", "US"], ["CN", "WO"], ["CN"], ["US", "CN"], []],
        family_size=[1, 2, 2, 1, 2, None],
        legal_status=["有权", "有权", "有权", "有权", "ACTIVE", None],  # 6: no status evidence
    )


def test_hand_computed_criteria():
    hv = high_value_inventions(_sample(), as_of=AS_OF)
    assert hv["hv_in_scope"].tolist() == [True, True, True, False, False, True]
    assert hv["hv_sei"].tolist() == [True, False, False, True, True, False]
    assert hv["hv_overseas_family"].tolist()[:5] == [False, True, False, False, True]
    assert pd.isna(hv["hv_overseas_family"].iloc[5])
    assert hv["hv_maintained_10y"].tolist()[:5] == [True, False, False, False, False]
    assert pd.isna(hv["hv_maintained_10y"].iloc[5])  # the evidence rule: no legal events, no status text
    assert hv["high_value"].tolist() == [True, True, False, False, False, False]  # 6: SEI tested (no), so "no"
    assert hv["hv_criteria"].tolist()[:2] == ["sei,maintained_10y", "overseas_family"]
    assert hv["hv_pledge_high"].isna().all() and hv["hv_award"].isna().all()
    assert hv.attrs["unknown_criteria"] == list(UNKNOWN_CRITERIA)


def test_scope_any_office():
    hv = high_value_inventions(_sample(), as_of=AS_OF, scope=None)
    assert hv["high_value"].tolist() == [True, True, False, False, True, False]


def test_ten_years_is_strict_and_needs_in_force():
    c = corpus(publication_number=["CN-1-B", "CN-2-B"], jurisdiction=["CN", "CN"], kind=["B", "B"],
               document_type=["granted_patent", "granted_patent"], filing_date=[D(2014, 6, 30), D(2014, 6, 29)],
               grant_date=[D(2016, 1, 1), D(2016, 1, 1)], ipc=[["A47G19/00"], ["A47G19/00"]], family_size=[1, 1],
               legal_events=[[ev(D(2020, 7, 1), "PC01")]] * 2)  # any legal event: the status rests on evidence
    hv = high_value_inventions(c, as_of=AS_OF)
    assert hv["hv_maintained_10y"].tolist() == [False, True]  # exactly 10 years is not "over 10"
    lapsed = high_value_inventions(c, as_of=D(2040, 1, 1))  # expired: not maintained, not in scope
    assert not lapsed["high_value"].any() and not lapsed["hv_maintained_10y"].any()


def test_maintained_needs_status_evidence():
    """Without legal events or a status text, an old grant is "in force" only by the rule "granted,
    no lapse recorded": maintained over 10 years is unknown, not yes; with nothing else to test,
    high_value is unknown too (the portfolio and the quality profiles read the same columns)."""
    cols = dict(publication_number=["CN-1-B", "CN-2-B", "CN-3-B"], jurisdiction=["CN"] * 3, kind=["B"] * 3,
                document_type=["granted_patent"] * 3, filing_date=[D(2010, 1, 1)] * 3, grant_date=[D(2012, 1, 1)] * 3,
                ipc=[[], [], []])
    bare = high_value_inventions(corpus(**cols), as_of=AS_OF)
    assert bare["hv_in_scope"].all() and bare["hv_maintained_10y"].isna().all()
    assert bare["high_value"].isna().all() and bare["hv_criteria"].tolist() == ["", "", ""]
    known = high_value_inventions(corpus(**cols, legal_status=["有权", None, None],
                                         legal_events=[[], [ev(D(2015, 1, 1), "CF01")], []]),
                                  as_of=AS_OF)
    assert known["hv_maintained_10y"].tolist()[:2] == [True, False] and pd.isna(known["hv_maintained_10y"].iloc[2])
    assert known["high_value"].tolist()[:1] == [True] and not known["hv_in_scope"].iloc[1]


def test_bundled_sample_has_no_cn_documents(drones):
    hv = high_value_inventions(drones, as_of="2018-01-01")
    assert not hv["high_value"].any()
    assert "lower bound" in hv.attrs["note"]
