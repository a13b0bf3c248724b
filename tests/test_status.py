"""Legal status, term and market coverage (patentnav.status)."""

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest

import patentnav
from patentnav.model.schema import LEGAL_EVENT
from patentnav.status import (
    EPC_STATES,
    classify_events,
    legal_event_table,
    map_legal_status,
    market_coverage,
    patent_status,
)

D = dt.date


def corpus(**cols):
    arrays = {}
    for k, v in cols.items():
        if k in ("filing_date", "grant_date", "earliest_priority_date", "publication_date"):
            arrays[k] = pa.array(v, pa.date32())
        elif k in ("family_members", "family_jurisdictions"):
            arrays[k] = pa.array(v, pa.list_(pa.string()))
        elif k == "legal_events":
            arrays[k] = pa.array(v, pa.list_(LEGAL_EVENT))
        else:
            arrays[k] = pa.array(v, pa.string())
    return patentnav.Corpus(pa.table(arrays))


def one(as_of, **cols):
    cols = {k: [v] for k, v in cols.items()}
    cols.setdefault("publication_number", ["XX-1-A"])
    return patent_status(corpus(**cols), as_of=as_of).iloc[0]


# --- INPADOC table ------------------------------------------------------------------
def test_event_table_stripped_and_classified():
    t = legal_event_table()
    assert len(t) == 4397
    assert not t["code"].str.contains(" $").any()
    r = classify_events("US", ["FP  ", "FPAY", "NOPE"])
    assert r["event_class"].tolist()[:2] == ["H", "U"]
    assert r["influence"].tolist()[:2] == ["-", "+"]
    assert r["event_class"].isna().tolist() == [False, False, True]
    r = classify_events(["EP", "EP", "CN"], ["18D", "PG25", "MM4A"])
    assert r["event_class"].tolist() == ["B", "H", "H"]
    assert r["partial"].tolist() == [False, True, False]


# --- term -----------------------------------------------------------------------------
def test_expiry_exactly_20_years():
    kw = dict(jurisdiction="US", kind="B2", document_type="granted_patent",
              filing_date=D(2000, 3, 1), grant_date=D(2003, 1, 1))
    assert one(D(2020, 2, 29), **kw)["status"] == "in_force"
    r = one(D(2020, 3, 1), **kw)
    assert r["status"] == "expired" and r["expiry_date"] == D(2020, 3, 1)
    assert r["assumed_date"] == D(2020, 3, 1) and r["years_left"] == 0


def test_leap_day_filing():
    r = one(D(2010, 1, 1), jurisdiction="EP", kind="B1", document_type="granted_patent",
            filing_date=D(2004, 2, 29), grant_date=D(2008, 1, 1))
    assert r["expiry_date"] == D(2024, 2, 29)


def test_us_pre_1995_term():
    r = one(D(2000, 1, 1), jurisdiction="US", kind="A", document_type="granted_patent",
            filing_date=D(1990, 1, 1), grant_date=D(1995, 1, 1))
    assert r["expiry_date"] == D(2012, 1, 1)  # 17 years from grant > 20 from filing


def test_us_design_14_15_years():
    base = dict(jurisdiction="US", kind="S", document_type="design", grant_date=D(2016, 6, 1))
    r = one(D(2020, 1, 1), filing_date=D(2015, 5, 12), **base)
    assert r["expiry_date"] == D(2030, 6, 1) and r["status"] == "in_force"
    r = one(D(2020, 1, 1), filing_date=D(2015, 5, 13), **base)
    assert r["expiry_date"] == D(2031, 6, 1)
    assert one(D(2031, 6, 1), filing_date=D(2015, 5, 13), **base)["status"] == "expired"
    assert one(D(2031, 5, 31), filing_date=D(2015, 5, 13), **base)["status"] == "in_force"


def test_cn_utility_model_and_design():
    r = one(D(2021, 1, 1), jurisdiction="CN", kind="U", document_type="utility_model",
            filing_date=D(2011, 1, 1), grant_date=D(2011, 9, 1))
    assert r["status"] == "expired" and r["expiry_date"] == D(2021, 1, 1)
    r = one(D(2022, 1, 1), jurisdiction="CN", kind="S", document_type="design",
            filing_date=D(2021, 6, 1), grant_date=D(2021, 12, 1))
    assert r["expiry_date"] == D(2036, 6, 1) and r["status"] == "in_force"


# --- status rules ---------------------------------------------------------------------
def test_pending_application_and_not_yet_filed():
    kw = dict(jurisdiction="US", kind="A1", document_type="application", filing_date=D(2015, 1, 1))
    r = one(D(2018, 1, 1), **kw)
    assert r["status"] == "pending" and r["assumed_date"] == D(2015, 1, 1)
    assert one(D(2014, 12, 31), **kw)["status"] == "unknown"
    assert one(D(2035, 1, 1), **kw)["status"] == "expired"


def test_granted_after_as_of_was_pending():
    r = one(D(2016, 1, 1), jurisdiction="US", kind="B1", document_type="granted_patent",
            filing_date=D(2014, 1, 1), grant_date=D(2017, 1, 1))
    assert r["status"] == "pending"


def test_lapse_and_withdrawal_events_and_revival():
    ev_lapse = [{"date": D(2012, 5, 1), "code": "FP", "description": "lapsed"}]
    kw = dict(jurisdiction="US", kind="B2", document_type="granted_patent",
              filing_date=D(2005, 1, 1), grant_date=D(2008, 1, 1))
    r = one(D(2013, 1, 1), legal_events=ev_lapse, **kw)
    assert r["status"] == "lapsed" and r["assumed_date"] == D(2012, 5, 1) and "FP" in r["reason"]
    assert one(D(2012, 4, 30), legal_events=ev_lapse, **kw)["status"] == "in_force"  # event after as_of
    # EP lapse in one contracting state (PG25) does not lapse the European patent
    r = one(D(2013, 1, 1), jurisdiction="EP", kind="B1", document_type="granted_patent",
            filing_date=D(2005, 1, 1), grant_date=D(2008, 1, 1),
            legal_events=[{"date": D(2012, 1, 1), "code": "PG25", "description": None}])
    assert r["status"] == "in_force"
    # EP application deemed withdrawn, then re-established (class C, +)
    app = dict(jurisdiction="EP", kind="A1", document_type="application", filing_date=D(2010, 1, 1))
    ev = [{"date": D(2012, 1, 1), "code": "18D", "description": None}]
    assert one(D(2013, 1, 1), legal_events=ev, **app)["status"] == "withdrawn_or_refused"
    t = legal_event_table()
    revive = t[(t.authority == "EP") & (t.event_class == "C") & (t.influence == "+")].code.iloc[0]
    ev2 = ev + [{"date": D(2012, 6, 1), "code": revive, "description": None}]
    assert one(D(2013, 1, 1), legal_events=ev2, **app)["status"] == "pending"


@pytest.mark.parametrize("text,dtype,expected", [
    ("ACTIVE", "granted_patent", "in_force"),
    ("PENDING", "application", "pending"),
    ("EXPIRED", "granted_patent", "expired"),
    ("DISCONTINUED", "granted_patent", "lapsed"),
    ("DISCONTINUED", "application", "withdrawn_or_refused"),
    ("有权", "granted_patent", "in_force"),
    ("审中", "application", "pending"),
    ("审中-实审", "application", "pending"),
    ("失效", "granted_patent", "lapsed"),
    ("失效-未缴年费", "granted_patent", "lapsed"),
    ("撤回", "application", "withdrawn_or_refused"),
    ("视为撤回", "application", "withdrawn_or_refused"),
    ("驳回", "application", "withdrawn_or_refused"),
    ("失效-期限届满", "granted_patent", "expired"),
])
def test_legal_status_text(text, dtype, expected):
    assert map_legal_status([text], [dtype]).tolist() == [expected]
    r = one(D(2018, 1, 1), jurisdiction="CN", kind="A", document_type=dtype,
            filing_date=D(2012, 1, 1), grant_date=D(2015, 1, 1) if dtype != "application" else None,
            legal_status=text)
    assert r["status"] == expected and text in r["reason"]


def test_unknown_status_text_falls_back_and_term_wins():
    r = one(D(2018, 1, 1), jurisdiction="US", kind="A1", document_type="application",
            filing_date=D(2012, 1, 1), legal_status="UNKNOWN")
    assert r["status"] == "pending"
    r = one(D(2018, 1, 1), jurisdiction="US", kind="B1", document_type="granted_patent",
            filing_date=D(1990, 1, 1), grant_date=D(1992, 1, 1), legal_status="ACTIVE")
    assert r["status"] == "expired"


def test_wo_international_phase():
    kw = dict(jurisdiction="WO", kind="A1", document_type="application",
              filing_date=D(2016, 1, 10), earliest_priority_date=D(2015, 1, 10))
    assert one(D(2017, 8, 9), **kw)["status"] == "pending"
    r = one(D(2017, 8, 10), **kw)
    assert r["status"] == "lapsed" and r["assumed_date"] == D(2017, 8, 10)


# --- market coverage --------------------------------------------------------------------
def test_market_coverage_routes_and_pct_boundary():
    c = corpus(
        publication_number=["WO-1-A1", "EP-2-B1", "US-3-B2", "CN-4-A"],
        jurisdiction=["WO", "EP", "US", "CN"],
        kind=["A1", "B1", "B2", "A"],
        document_type=["application", "granted_patent", "granted_patent", "application"],
        filing_date=[D(2016, 1, 10), D(2010, 1, 1), D(2010, 1, 1), D(2015, 1, 1)],
        grant_date=[None, D(2014, 3, 5), D(2013, 1, 1), None],
        earliest_priority_date=[D(2015, 1, 10), D(2009, 1, 1), D(2009, 1, 1), D(2015, 1, 1)],
        family_members=[[], [], ["JP-123-B2"], []],
        family_jurisdictions=[[], [], ["EP"], []],
    )
    markets = ["US", "EP", "DE", "JP", "CN"]

    def get(as_of):
        cov = market_coverage(c, markets, as_of=as_of)
        assert len(cov) == 4 * len(markets)
        return cov.set_index(["publication_number", "market"])

    cov = get(D(2017, 7, 9))  # day before the 30-month deadline
    r = cov.loc[("WO-1-A1", "US")]
    assert r.covered and r.route == "pct_window" and r.deadline == D(2017, 7, 10)
    cov = get(D(2017, 7, 10))  # on the deadline: closed for US/CN/JP, open for EP/DE (31 m)
    assert not cov.loc[("WO-1-A1", "US")].covered
    assert cov.loc[("WO-1-A1", "US")].route == "pct_window"
    assert cov.loc[("WO-1-A1", "EP")].covered and cov.loc[("WO-1-A1", "EP")].deadline == D(2017, 8, 10)
    assert cov.loc[("WO-1-A1", "DE")].covered
    cov = get(D(2017, 8, 10))
    assert not cov.loc[("WO-1-A1", "EP")].covered
    # EP grant: own EP, validation in DE with 3-month deadline, not US
    assert cov.loc[("EP-2-B1", "EP")].route == "own"
    r = cov.loc[("EP-2-B1", "DE")]
    assert r.covered and r.route == "ep_validation" and r.deadline == D(2014, 6, 5)
    assert not cov.loc[("EP-2-B1", "US")].covered and pd.isna(cov.loc[("EP-2-B1", "US")].route)
    # family: JP via member, EP via family jurisdiction, DE via EP family member
    assert cov.loc[("US-3-B2", "JP")].route == "family"
    assert cov.loc[("US-3-B2", "EP")].route == "family"
    assert cov.loc[("US-3-B2", "DE")].route == "ep_validation"
    assert not cov.loc[("US-3-B2", "CN")].covered
    assert cov.loc[("CN-4-A", "CN")].route == "own"
    assert cov.covered.sum() == 7
    assert "DE" in EPC_STATES and "GB" in EPC_STATES and len(EPC_STATES) == 39
    st = patent_status(c, as_of=D(2017, 7, 10), markets=markets)
    assert st["markets_covered"].tolist() == ["EP,DE", "EP,DE", "US,EP,DE,JP", "CN"]


# --- real data ------------------------------------------------------------------------------
DRONES_2018 = {"pending": 5637, "in_force": 1581, "lapsed": 1198, "expired": 654, "unknown": 1}


def _loop_status(r, as_of):
    """Independent, row-by-row statement of the rules that apply to the drones corpus."""
    from patentnav.status import _add_months  # only for the 31-month date
    import pandas as pd

    def add_years(d, y):
        try:
            return d.replace(year=d.year + y)
        except ValueError:
            return d.replace(year=d.year + y, day=28)

    typ, f, g = r["document_type"], r["filing_date"], r["grant_date"] or r["publication_date"]
    if typ == "amended":
        typ = "granted_patent" if r["kind"][0] in "BC" else "application"
    if f is not None and f > as_of:
        return "unknown"
    if typ == "limited_patent":
        exp = add_years(f, 8)
    elif typ in ("granted_patent", "application", "search_report"):
        exp = add_years(f, 20)
        if r["jurisdiction"] == "US" and typ == "granted_patent" and f < D(1995, 6, 8):
            exp = max(exp, add_years(g, 17))
    else:
        return "unknown"
    if exp <= as_of:
        return "expired"
    if typ in ("granted_patent", "limited_patent"):
        return "in_force" if g <= as_of else "pending"
    if r["jurisdiction"] == "WO":
        p = r["earliest_priority_date"] or f
        end = _add_months(pd.Series([pd.Timestamp(p)]), 31)[0].date()
        return "lapsed" if end <= as_of else "pending"
    return "pending"


def test_drones_status_counts(drones):
    as_of = D(2018, 1, 1)
    s = patent_status(drones, as_of=as_of)
    assert len(s) == len(drones) and set(s.status) <= set(patentnav.status.STATUSES)
    assert s.status.value_counts().to_dict() == DRONES_2018
    rows = drones.table.select(["jurisdiction", "kind", "document_type", "filing_date", "grant_date",
                                "publication_date", "earliest_priority_date"]).to_pylist()
    loop = [_loop_status(r, as_of) for r in rows]
    assert loop == s.status.tolist()
    assert s.reason.notna().all()
    cov = market_coverage(drones, ["US", "EP", "CN"], as_of=as_of)
    assert len(cov) == 3 * len(drones)
    assert cov[(cov.market == "US") & (cov.route == "own")].shape[0] == 6073


def test_empty_corpus_and_odd_events():
    c = patentnav.Corpus()
    assert patent_status(c, as_of=D(2018, 1, 1), markets=["US"]).shape[0] == 0
    assert market_coverage(c, ["US"]).shape[0] == 0
    ev = [{"date": None, "code": "FP", "description": None},
          {"date": D(2010, 1, 1), "code": "ZZZZ", "description": "unknown code"},
          {"date": D(2010, 1, 1), "code": "FPAY", "description": "fee paid"}]
    r = one(D(2012, 1, 1), jurisdiction="US", kind="B2", document_type="granted_patent",
            filing_date=D(2005, 1, 1), grant_date=D(2008, 1, 1), legal_events=ev)
    assert r["status"] == "in_force"
    assert map_legal_status([None, "", "???"]).tolist() == [None, None, None]


def test_add_years_and_months_against_dateutil():
    """Term arithmetic: whole years are 12 months; 29 Feb falls to 28 Feb in common years, a day
    past the month's end is clipped (oracle: dateutil.relativedelta); null dates and counts stay null."""
    import datetime as _dt

    import pandas as pd
    from dateutil.relativedelta import relativedelta

    from patentnav.status import _add_months, _add_years

    days = [_dt.date(2016, 2, 29), _dt.date(2015, 1, 31), _dt.date(1999, 12, 31), _dt.date(2000, 8, 15), None]
    d = pd.Series(pd.to_datetime(days))
    for n in (0, 1, 3, 20, -4):
        got = _add_years(d, n)
        want = [None if x is None else x + relativedelta(years=n) for x in days]
        assert [None if pd.isna(v) else v.date() for v in got] == want
    for n in (1, 13, 31, -1):
        got = _add_months(d, n)
        want = [None if x is None else x + relativedelta(months=n) for x in days]
        assert [None if pd.isna(v) else v.date() for v in got] == want
    assert _add_years(d, [1, None, 1, 1, 1]).isna().tolist() == [False, True, False, False, True]


def test_add_months_on_random_dates_against_dateutil():
    """The integer calendar arithmetic of _add_months (Hinnant's civil_from_days/days_from_civil)
    against dateutil on random days of 1800-2150 (leap days, month ends, before 1970) and
    random month counts."""
    import numpy as np
    from dateutil.relativedelta import relativedelta

    from patentnav.status import _add_months

    rng = np.random.default_rng(7)
    days = np.concatenate([rng.integers(-60000, 60000, 3000), [-1, 0, 59, 789, 10956, 11016, -25508, 47541]])
    d = pd.Series((days * 86_400 * 10**9).view("datetime64[ns]"))
    months = rng.integers(-300, 300, len(d))
    got = _add_months(d, months)
    want = [x.date() + relativedelta(months=int(k)) for x, k in zip(d, months)]
    assert [v.date() for v in got] == want


def test_reasons_are_the_sentences_of_their_codes(drones):
    """patent_status builds its reasons in Arrow, per rule: each must be the sentence its code,
    detail and dates give (the per-document definition)."""
    as_of = D(2018, 1, 1)
    s = patent_status(drones, as_of=as_of)

    def day(v):
        return "?" if v is None else v.isoformat()

    def sentence(r):
        a, e, x = day(r["assumed_date"]), day(r["expiry_date"]), r["reason_detail"]
        return {
            "not_yet_filed": "not yet filed on as_of 2018-01-01",
            "legal_event": f"legal event {x} on {a}",
            "term_ended": f"term ended on {e} ({r['term_rule'] if isinstance(r['term_rule'], str) else ''})",
            "legal_status": f"legal_status '{x}' (as exported; undated)",
            "granted": f"granted {a}, term runs to {e}, no lapse event",
            "granted_after_as_of": f"application filed {a} granted only on {x} (after as_of)",
            "pct_ended": f"international phase ended {a} (31 months from priority, PCT Art. 22/39); rights only via "
                         "national/regional entries",
            "pct_open": f"international application, national-phase entry possible until {x}",
            "application": f"application filed {a}, no withdrawal/refusal event, term to {e}",
            "application_undated": "application, filing date unknown, no withdrawal/refusal event",
            "sir": "US statutory invention registration: defensive publication, no enforceable right",
            "no_rule": "no rule applies (document type or dates unknown)",
        }[r["reason_code"]]

    assert s["reason_code"].nunique() >= 4
    assert s["reason"].tolist() == [sentence(r) for r in s.to_dict("records")]
    ev = [{"date": D(2012, 5, 1), "code": "FP", "description": None}]
    r = one(D(2018, 1, 1), jurisdiction="US", kind="B2", document_type="granted_patent",
            filing_date=D(2005, 1, 1), grant_date=D(2008, 1, 1), legal_events=ev)
    assert r["reason"] == sentence(r) and r["reason_code"] == "legal_event"
    r = one(D(2018, 1, 1), jurisdiction="CN", kind="B", document_type="granted_patent", legal_status="有权",
            filing_date=D(2012, 1, 1), grant_date=D(2015, 1, 1))
    assert r["reason"] == sentence(r) and r["reason_code"] == "legal_status"
