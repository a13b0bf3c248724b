"""End-to-end tests of patentnav.warning.screen on the bundled drone sample.

The legal status is fixed on 2026-11-27 so that the results do not depend on the day the
tests run. The relevance index is built once per module and passed to every screen.
"""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import patentnav
from patentnav.landscape.citations import family_keys
from patentnav.model.corpus import Corpus
from patentnav.names.normalize import normalize_names
from patentnav.report import to_json
from patentnav.report.warn_model import build_warning_report
from patentnav.warning import ProductProfile, read_litigation, screen
from patentnav.warning.relevance import RelevanceIndex
from patentnav.warning.risk import grade_of, suggest_actions
from patentnav.warning.screen import FREEDOM_MIN_RELEVANCE, monitor, own_patent_mask

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "examples" / "drone_product.toml"
AS_OF = "2026-11-27"
SINCE = "2017-06-01"
DJI = "SZ DJI TECHNOLOGY CO LTD"
DEAD = {"expired", "lapsed", "withdrawn_or_refused"}


def _key(name):
    return normalize_names(pa.array([name], pa.string())).to_pylist()[0]


def _keys(names):
    names = [n for n in (names or []) if n]
    return set(normalize_names(pa.array(names, pa.string())).to_pylist()) if names else set()


@pytest.fixture(scope="module")
def corpus():
    return patentnav.datasets.drones().harmonize_applicants()


@pytest.fixture(scope="module")
def index(corpus):
    return RelevanceIndex.build(corpus)


@pytest.fixture(scope="module")
def profile():
    return ProductProfile.from_file(PROFILE)


@pytest.fixture(scope="module")
def result(corpus, index, profile):
    """US and DE, with monitoring since 2017-06-01."""
    return screen(corpus, profile, markets=["US", "DE"], as_of=AS_OF, index=index, since=SINCE)


@pytest.fixture(scope="module")
def family_of(corpus):
    return pd.Series(family_keys(corpus.table), index=corpus.table["publication_number"].to_pylist())


# --- contract ---------------------------------------------------------------------------------
RISK_COLUMNS = [
    "market", "rank", "publication_number", "title", "holder", "holder_type", "holder_reason", "holder_rule", "holder_match",
    "holder_match_other", "status", "status_reason", "status_code", "status_detail", "assumed_date", "expiry_date", "years_left", "route", "route_reason", "deadline", "relevance", "reads_on",
    "code_agreement", "code_score", "dense_score", "strength", "s_forward_citations", "s_family_size", "s_market_breadth",
    "s_claims", "s_remaining_term", "in_force", "status_factor", "route_factor", "holder_factor", "modifier", "risk",
    "if_granted_risk", "grant_probability", "grade", "action", "evidence", "channels", "matched_features", "matched_terms",
    "matched_glosses", "matched_codes", "prior_art", "family_members", "holder_cases", "patent_cases", "row",
]


def test_result_contract(result):
    r = result.risks
    assert list(r.columns[:3]) == ["market", "rank", "publication_number"]
    assert list(r.columns) == RISK_COLUMNS
    assert len(r) > 0 and r.index.equals(pd.RangeIndex(len(r)))
    assert set(r["market"]) == {"US", "DE"}
    assert list(result.markets.columns) == ["market", "screened", "threatening", "high", "medium", "watch", "low",
                                           "max_risk", "grade", "unassessed", "office_documents", "family_data",
                                           "assessable"]
    assert result.markets["market"].tolist() == ["US", "DE"]
    assert result.freedom is not None and result.monitoring is not None
    p = result.params
    assert p["as_of"] == AS_OF and p["markets"] == ["US", "DE"] and p["since"] == SINCE
    assert p["documents"] == 9071 and p["candidates"] == 300
    assert p["data_cutoff"] == "2017-12-28"
    assert p["strength_components"] == ["forward_citations", "family_size", "remaining_term"]
    assert p["litigation_cases"] is None
    assert p["profile"]["name"].startswith("SkyLens Mini 3")


def test_ranks_and_order_per_market(result):
    for m, g in result.risks.groupby("market", sort=False):
        assert g["rank"].tolist() == list(range(1, len(g) + 1)), m
        order = g["grade"].map({"high": 0, "medium": 1, "watch": 2, "low": 3}).to_numpy()
        assert (np.diff(order) >= 0).all(), m  # high, medium, watch (may be granted), then low
        for _, gg in g.groupby("grade"):
            assert (np.diff(gg["risk"].to_numpy()) <= 0).all(), m  # by risk within a grade


def test_markets_summary_matches_risks(result):
    for s in result.markets.itertuples():
        g = result.risks[result.risks["market"] == s.market]
        assert s.screened == 300
        assert s.threatening == len(g) > 0
        assert (s.high, s.medium, s.watch, s.low) == tuple(int((g["grade"] == k).sum())
                                                            for k in ("high", "medium", "watch", "low"))
        assert s.high + s.medium + s.watch + s.low == s.threatening
        assert s.max_risk == g["risk"].max()
        assert s.grade == g["grade"].iloc[0]  # the worst grade comes first


def test_known_values_on_the_sample(result):
    """Pinned on the bundled sample at as_of 2026-11-27 (change deliberately)."""
    m = result.markets.set_index("market")
    assert m.loc["US", "threatening"] == 183 and m.loc["DE", "threatening"] == 3
    assert m.loc["US", "office_documents"] == 6073 and m.loc["DE", "office_documents"] == 167  # EP counts for DE
    assert m["assessable"].all() and not m["family_data"].any()
    assert m.loc["US", "grade"] == "medium" and m.loc["DE", "grade"] == "low"
    top = result.risks[result.risks["market"] == "US"].iloc[0]
    assert top["publication_number"] == "US-9567078-B2" and top["risk"] == 28.0 and top["action"] == "review"


def test_score_decomposition_is_consistent(result, profile):
    r = result.risks
    np.testing.assert_allclose(r["in_force"], r["status_factor"] * r["route_factor"])
    np.testing.assert_allclose(r["modifier"], 0.5 + 0.3 * r["strength"].fillna(0).clip(0, 1) + 0.2 * r["holder_factor"])
    expect = np.round(100 * r["relevance"].clip(0, 1) * r["in_force"] * r["modifier"], 1)
    np.testing.assert_allclose(r["risk"], expect, atol=1e-9)
    plain = r["grade"] != "watch"
    assert r.loc[plain, "grade"].tolist() == grade_of(r.loc[plain, "risk"]).tolist()
    w = r[~plain]
    assert (w["status"] == "pending").all() and (grade_of(w["risk"]) == "low").all()
    assert grade_of(w["if_granted_risk"]).tolist() == [g for g in grade_of(w["if_granted_risk"]) if g in ("high", "medium")]
    horizon = pd.Timestamp(profile.launch_date) + pd.DateOffset(years=2)
    assert r["action"].tolist() == suggest_actions(r, horizon).tolist()
    assert r["relevance"].between(0, 1).all() and r["strength"].between(0, 1).all()
    # prior-art hints only for high and medium risks
    for g, pa_ in zip(r["grade"], r["prior_art"]):
        assert isinstance(pa_, list)
        if g in ("low", "watch"):
            assert pa_ == []
    assert any(len(x) > 0 for x in r.loc[r["grade"] == "medium", "prior_art"])


# --- own patents --------------------------------------------------------------------------------
def test_own_patents_are_never_threats(corpus, index, profile, result):
    dji = _key(DJI)
    assert dji  # "SZ DJI TECH"
    # without the own name, DJI patents are among the risks
    assert any(_key(h) == dji for h in result.risks["holder"] if h)
    own = profile.with_options(own_names=list(profile.own_names) + [DJI])
    r = screen(corpus, own, markets=["US", "DE"], as_of=AS_OF, index=index)
    assert r.params["own_documents"] > 0 and r.params["own_in_candidates"] > 0
    assert r.params["own_documents"] == int(own_patent_mask(corpus, [DJI]).sum())
    assert not any(_key(h) == dji for h in r.risks["holder"] if h)
    mask = own_patent_mask(corpus, [DJI])
    own_pubs = set(np.asarray(corpus.table["publication_number"].to_pylist(), dtype=object)[mask])
    assert not own_pubs & set(r.risks["publication_number"])
    assert not own_pubs & set(r.freedom["publication_number"])
    assert r.params["candidates"] == 300  # own documents do not take candidate slots


def test_own_patent_mask_normalises_names():
    c = Corpus.from_pandas(pd.DataFrame({
        "publication_number": ["US-1-B2", "US-2-B2", "US-3-B2", "US-4-B2"],
        "applicants": [["SZ DJI Technology Co., Ltd."], ["PARROT DRONES", "ACME INC"], ["ACME INC"], []],
    }))
    assert own_patent_mask(c, [DJI]).tolist() == [True, False, False, False]
    assert own_patent_mask(c, ["Parrot Drones"]).tolist() == [False, True, False, False]
    assert own_patent_mask(c, []).tolist() == [False] * 4


# --- status, families, markets ----------------------------------------------------------------
def test_dead_documents_never_in_risks(result):
    r = result.risks
    assert not r["status"].isin(DEAD).any()
    assert (r["in_force"] > 0).all()
    assert set(r["status"]) <= {"in_force", "pending", "unknown"}


def test_one_row_per_family_and_market(result, family_of):
    r = result.risks
    fam = family_of.reindex(r["publication_number"]).to_numpy()
    assert not pd.isna(fam).any()
    assert not pd.DataFrame({"m": r["market"], "f": fam}).duplicated().any()
    for pub, members, f in zip(r["publication_number"], r["family_members"], fam):
        assert pub in members and members == sorted(members)
        assert set(family_of.reindex(members)) == {f}
    # the sample has no family identifiers: every document is its own family
    assert all(len(m) == 1 for m in r["family_members"])


def test_second_market_de(result):
    de = result.risks[result.risks["market"] == "DE"]
    assert len(de) > 0
    assert set(de["route"]) <= {"own", "family", "ep_validation", "pct_window"}
    assert (de["route"] == "ep_validation").any()
    ep = de[de["route"] == "ep_validation"]
    assert ep["publication_number"].str.startswith("EP-").all()
    assert (ep["route_factor"] == 0.8).all()
    assert ep["route_reason"].str.contains("EPC contracting state").all()
    pct = result.risks[result.risks["route"] == "pct_window"]
    assert (pd.to_datetime(pct["deadline"]) > pd.Timestamp(AS_OF)).all()
    us = result.risks[result.risks["market"] == "US"]
    assert (us["route"] == "own").any()
    assert set(result.markets["market"]) == {"US", "DE"}


def test_no_market_is_an_error(corpus, index):
    p = ProductProfile(name="x", features=("gimbal",))
    with pytest.raises(ValueError, match="no target market"):
        screen(corpus, p, as_of=AS_OF, index=index)


# --- freedom ------------------------------------------------------------------------------------
def test_freedom_rows(result, family_of):
    f = result.freedom
    assert len(f) > 0
    assert list(f.columns) == ["publication_number", "title", "holder", "status", "status_reason", "ended",
                               "relevance", "matched_features"]
    assert set(f["status"]) <= {"expired", "lapsed"}
    # granted rights only: a WO after its international phase or a lapsed application is no freedom
    assert not f["publication_number"].str.startswith("WO-").any()
    assert (f["relevance"] >= FREEDOM_MIN_RELEVANCE).all()
    assert (np.diff(f["relevance"].to_numpy()) <= 0).all()
    fam = family_of.reindex(f["publication_number"])
    assert not fam.duplicated().any()
    risk_fams = set(family_of.reindex(result.risks["publication_number"]))
    assert not set(fam) & risk_fams
    expired = f[f["status"] == "expired"]
    assert (pd.to_datetime(expired["ended"]) <= pd.Timestamp(AS_OF)).all()


# --- monitoring ------------------------------------------------------------------------------------
def test_monitoring(result, corpus, profile):
    mon = result.monitoring
    assert len(mon) > 0
    assert list(mon.columns) == ["publication_number", "publication_date", "title", "applicants", "why",
                                 "matched_codes", "relevance"]
    assert (pd.to_datetime(mon["publication_date"]) >= pd.Timestamp(SINCE)).all()
    rel = mon["relevance"].to_numpy(dtype=float)
    assert (np.diff(rel) <= 1e-12).all()  # most relevant first
    assert set(mon["why"]) <= {"codes", "competitor", "codes+competitor"}
    assert {"codes", "competitor", "codes+competitor"} <= set(mon["why"])
    comp = _keys(profile.competitors)
    for why, apps in zip(mon["why"], mon["applicants"]):
        if "competitor" in why:
            assert _keys(apps) & comp, apps
    codes_rows = mon[mon["why"].str.startswith("codes")]
    assert all(len(c) > 0 for c in codes_rows["matched_codes"])
    assert all(c == [] for c in mon.loc[mon["why"] == "competitor", "matched_codes"])
    assert mon["relevance"].between(0, 1).all()
    assert not mon["publication_number"].duplicated().any()
    # every competitor publication since the date is listed
    pub = pd.to_datetime(corpus.table["publication_date"].to_pandas())
    comp_new = own_patent_mask(corpus, profile.competitors) & (pub >= pd.Timestamp(SINCE)).to_numpy()
    listed = set(mon.loc[mon["why"].str.contains("competitor"), "publication_number"])
    assert listed == set(np.asarray(corpus.table["publication_number"].to_pylist(), dtype=object)[comp_new])


def test_monitor_alone_without_index(corpus):
    mon = monitor(corpus, "2017-12-01", competitors=[DJI])
    assert len(mon) > 0 and set(mon["why"]) == {"competitor"}
    assert mon["relevance"].isna().all()
    assert (pd.to_datetime(mon["publication_date"]) >= pd.Timestamp("2017-12-01")).all()
    assert monitor(corpus, "2030-01-01", codes=["B64C 39/024"], competitors=[DJI]).empty


# --- report -------------------------------------------------------------------------------------
def test_report_is_deterministic(result, corpus, index, profile):
    a = to_json(build_warning_report(result, "en"))
    assert a == to_json(build_warning_report(result, "en"))
    again = screen(corpus, profile, markets=["US", "DE"], as_of=AS_OF, index=index, since=SINCE)
    assert to_json(build_warning_report(again, "en")) == a
    assert to_json(build_warning_report(again, "zh")) == to_json(build_warning_report(result, "zh"))


def test_report_sections(result):
    rep = build_warning_report(result, "en")
    assert [s["id"] for s in rep["sections"]] == ["product", "risks", "details", "freedom", "monitoring"]
    assert rep["meta"]["region"] == "US, DE"
    risks = next(s for s in rep["sections"] if s["id"] == "risks")
    ids = [t["id"] for t in risks["tables"]]
    assert ids == ["markets", "risks_US", "watch_US", "unassessed_US", "risks_DE"]
    us = next(t for t in risks["tables"] if t["id"] == "risks_US")
    assert len(us["rows"]) == 30 and us["rows"][0][1] == "US-9567078-B2"


def test_chinese_report_has_no_english_prose(result):
    rep = build_warning_report(result, "zh")
    texts = [p for s in rep["sections"] for p in s["paragraphs"]]
    texts += [c["note"] for s in rep["sections"] for c in s["charts"] if c.get("note")]
    texts += [t["note"] for s in rep["sections"] for t in s["tables"] if t.get("note")]
    texts += rep["meta"]["caveats"]
    assert len(texts) > 10
    for text in texts:
        assert re.search(r"[\u4e00-\u9fff]", text), text
        assert not re.search(r"\b(the|and|of|is|are|not|no|for|with)\b", text, re.IGNORECASE), text


# --- holders: litigation and NPE --------------------------------------------------------------
def _top_holder(result):
    us = result.risks[result.risks["market"] == "US"]
    return us["holder"].iloc[0]


def test_npe_names_make_holder_likely_npe(corpus, index, profile, result):
    holder = _top_holder(result)
    assert holder == "SZ DJI TECHNOLOGY CO LTD"
    r = screen(corpus, profile, markets=["US", "DE"], as_of=AS_OF, index=index, npe_names=[holder])
    rows = r.risks[r.risks["holder"] == holder]
    assert len(rows) > 0
    assert (rows["holder_type"] == "likely_npe").all()
    assert (rows["holder_factor"] == 1.0).all()
    assert rows["holder_reason"].str.contains("npe_names").all()
    before = result.risks.set_index(["market", "publication_number"])["risk"]
    after = rows.set_index(["market", "publication_number"])["risk"]
    assert (after >= before.reindex(after.index)).all()
    assert (after > before.reindex(after.index)).any()
    # 100 * relevance * in_force * (0.5 + 0.3 * strength + 0.2)
    np.testing.assert_allclose(
        rows["risk"], np.round(100 * rows["relevance"] * rows["in_force"] * (0.7 + 0.3 * rows["strength"]), 1), atol=1e-9)
    others = r.risks[r.risks["holder"] != holder].set_index(["market", "publication_number"])
    base = result.risks.set_index(["market", "publication_number"])
    assert others["holder_type"].equals(base.loc[others.index, "holder_type"])
    assert others["risk"].equals(base.loc[others.index, "risk"])


def test_litigation_raises_holder_factor(corpus, index, profile, result, tmp_path):
    us = result.risks[result.risks["market"] == "US"]
    holder = _top_holder(result)
    other = us[us["holder"] != holder].iloc[0]  # another holder's patent, litigated by a third party
    p = tmp_path / "cases.csv"
    p.write_text("case_id,plaintiff,defendant,patent,filed\n"
                 f"1:20-cv-00001,{holder},ACME INC,US-1234567-B2,2020-01-15\n"
                 f"2:21-cv-00002,SOMEBODY LLC,ACME INC,{other['publication_number']},2021-03-01\n", encoding="utf-8")
    lit = read_litigation(p)
    assert len(lit.cases) == 2
    r = screen(corpus, profile, markets=["US", "DE"], as_of=AS_OF, index=index, litigation=lit)
    assert r.params["litigation_cases"] == 2
    rows = r.risks[r.risks["holder"] == holder]
    assert len(rows) > 0
    assert (rows["holder_cases"] == 1).all()
    assert (rows["holder_type"] == "firm").all()  # 1 case is below the NPE threshold
    assert (rows["holder_factor"] >= 0.9).all()
    before = result.risks.set_index(["market", "publication_number"])["risk"]
    after = rows.set_index(["market", "publication_number"])["risk"]
    assert (after >= before.reindex(after.index)).all()
    assert (after > before.reindex(after.index)).any()
    lit_row = r.risks[(r.risks["market"] == "US") & (r.risks["publication_number"] == other["publication_number"])]
    assert len(lit_row) == 1
    assert lit_row["patent_cases"].item() == 1 and lit_row["holder_factor"].item() == 1.0
    assert lit_row["risk"].item() >= other["risk"]
    untouched = r.risks[(r.risks["holder"] != holder) & (r.risks["patent_cases"] == 0)]
    untouched = untouched.set_index(["market", "publication_number"])
    base = result.risks.set_index(["market", "publication_number"])
    assert untouched["holder_factor"].equals(base.loc[untouched.index, "holder_factor"])
    assert (untouched["holder_cases"] == 0).all()
    # the litigation caveat disappears from the report
    rep = build_warning_report(r, "en")
    assert len(rep["meta"]["caveats"]) == len(build_warning_report(result, "en")["meta"]["caveats"]) - 1


# --- family handling on a small corpus with family identifiers ---------------------------------------
T1 = "Foldable arm drone with gimbal camera stabilisation"
T2 = "Gimbal camera stabilisation for a drone"
T3 = "Obstacle avoidance drone with stereo vision sensors"


def _doc(pub, title, filed, family, fam_j, ipc, holder, granted=None, **kw):
    j, _, kind = pub.split("-")
    d = dict(publication_number=pub, jurisdiction=j, kind=kind, title=title, filing_date=filed,
             document_type="granted_patent" if granted else "application", grant_date=granted,
             publication_date=granted or kw.pop("published", None), family_id=family, family_jurisdictions=fam_j,
             ipc=ipc, applicants=[holder], family_size=len(fam_j))
    d.update(kw)
    return d


FAMILY_ROWS = [
    # F1: a US grant, its US application and the European patent
    _doc("US-100-B2", T1, "2015-01-10", "F1", ["EP", "US"], ["B64C39/024"], "ACME DRONES INC", "2016-05-01",
         forward_citations=5),
    _doc("US-2015000001-A1", T1, "2015-01-10", "F1", ["EP", "US"], ["B64C39/024"], "ACME DRONES INC",
         published="2015-07-10", forward_citations=1),
    _doc("EP-200-B1", T1, "2015-01-12", "F1", ["EP", "US"], ["B64C39/024"], "ACME DRONES INC", "2017-01-04",
         forward_citations=2),
    # F2: expired everywhere -> freedom, once
    _doc("US-300-B2", T2, "2000-01-05", "F2", ["EP", "US"], ["B64C39/024"], "OLD CAMERA CORP", "2002-01-05",
         forward_citations=9),
    _doc("EP-301-B1", T2, "2000-01-06", "F2", ["EP", "US"], ["B64C39/024"], "OLD CAMERA CORP", "2003-01-06",
         forward_citations=1),
    # F3: the grant lapsed but a continuation is pending -> a risk, not freedom
    _doc("US-400-B2", T3, "2014-03-01", "F3", ["US"], ["G05D1/10"], "VISION LABS INC", "2016-03-01",
         legal_status="LAPSED", forward_citations=3),
    _doc("US-2020000002-A1", T3, "2016-02-01", "F3", ["US"], ["G05D1/10"], "VISION LABS INC",
         published="2020-08-01", forward_citations=0),
    _doc("US-500-B2", "Battery charger for electric vehicles", "2015-01-01", "F5", ["US"], ["B60L53/10"], "CAR CO",
         "2017-01-01", forward_citations=0),
    # own patent
    _doc("US-600-B2", "Foldable arm drone", "2016-01-01", "F6", ["US"], ["B64C39/024"], "SKYLENS", "2018-01-01",
         forward_citations=0),
]
FAMILY_PROFILE = ProductProfile(name="test drone", features=("foldable arm drone", "gimbal camera stabilisation",
                                                             "obstacle avoidance drone with stereo vision sensors"),
                                codes=("B64C 39/024",), own_names=("SkyLens",), markets=("US", "DE"))


def test_family_members_merged_into_one_row():
    c = Corpus.from_pandas(pd.DataFrame(FAMILY_ROWS))
    r = screen(c, FAMILY_PROFILE, as_of=AS_OF)
    risks = r.risks
    assert r.params["own_documents"] == 1 and "US-600-B2" not in set(risks["publication_number"])
    us = risks[risks["market"] == "US"]
    # F1: one row, the granted US patent (in force, strongest) speaks for the family
    f1 = us[us["family_members"].map(lambda m: "US-100-B2" in m)]
    assert len(f1) == 1
    assert f1["publication_number"].item() == "US-100-B2"
    assert f1["family_members"].item() == ["EP-200-B1", "US-100-B2", "US-2015000001-A1"]
    assert f1["status"].item() == "in_force" and f1["route"].item() == "own"
    # F3: the lapsed grant is not the representative, the pending continuation is
    f3 = us[us["family_members"].map(lambda m: "US-2020000002-A1" in m)]
    assert f3["publication_number"].tolist() == ["US-2020000002-A1"]
    assert f3["family_members"].item() == ["US-2020000002-A1"]
    assert f3["action"].item() == "monitor_prosecution"
    assert us["rank"].tolist() == list(range(1, len(us) + 1))
    fam = {p: d["family_id"] for p, d in ((d["publication_number"], d) for d in FAMILY_ROWS)}
    keys = [(m, fam[p]) for m, p in zip(risks["market"], risks["publication_number"])]
    assert len(keys) == len(set(keys))
    # DE through the European patent
    de = risks[risks["market"] == "DE"]
    assert len(de) == 1 and (de["route"] == "ep_validation").all()
    # freedom: F2 once (expired everywhere), F3 not (a member is pending), F1 not
    assert r.freedom["publication_number"].tolist() == ["EP-301-B1"]
    assert r.freedom["status"].tolist() == ["expired"]


def test_lapsed_european_patent_gives_no_de_risk():
    rows = [dict(d) for d in FAMILY_ROWS]
    ep = next(d for d in rows if d["publication_number"] == "EP-200-B1")
    ep["legal_status"] = "LAPSED"
    c = Corpus.from_pandas(pd.DataFrame(rows))
    r = screen(c, FAMILY_PROFILE, as_of=AS_OF)
    # the only right in Germany of family F1 was the European patent, and it has lapsed
    de = r.risks[r.risks["market"] == "DE"]
    assert de.empty, de[["publication_number", "status", "route", "route_reason", "risk"]].to_string()


# --- review findings ---------------------------------------------------------------------------------
def test_documents_not_filed_by_the_status_date_threaten_nothing(corpus, index, profile):
    r = screen(corpus, profile, markets=["US"], as_of="2016-01-01", index=index)
    filing = pd.to_datetime(corpus.table["filing_date"].to_pandas()).to_numpy()
    pubs = corpus.table["publication_number"].to_numpy()
    filed = pd.Series(filing, index=pubs).reindex(r.risks["publication_number"])
    assert len(r.risks) > 0 and (filed <= pd.Timestamp("2016-01-01")).all()


def test_statutory_invention_registration_is_no_risk(corpus, index):
    target = ProductProfile(name="target", features=("frangible target with hydraulic warhead simulator",),
                            codes=("F41J 9/08",), markets=("US",))
    r = screen(corpus, target, as_of=AS_OF, index=index)
    assert "US-H485-H" not in set(r.risks["publication_number"])


def test_markets_without_data_are_not_assessable(corpus, index, profile):
    from patentnav.report.warn_model import build_warning_report

    r = screen(corpus, profile, markets=["US", "JP"], as_of=AS_OF, index=index)
    m = r.markets.set_index("market")
    assert not m.loc["JP", "assessable"] and m.loc["JP", "office_documents"] == 0
    rep = build_warning_report(r, lang="en")
    risks = next(s for s in rep["sections"] if s["id"] == "risks")
    assert any(p.startswith("JP: not assessable") for p in risks["paragraphs"])
    assert not any(t["id"] == "risks_JP" for t in risks["tables"])  # no empty table or chart


def test_empty_profile_is_an_error(corpus, index):
    with pytest.raises(ValueError, match="nothing to screen"):
        screen(corpus, ProductProfile(name="x", markets=("US",)), as_of=AS_OF, index=index)


def test_text_that_matches_nothing_says_so_first(corpus, index):
    """Chinese text none of whose words (or their English glosses) occur in the corpus: the
    codes still find patents, but they are listed as not assessed by text, never graded,
    and the report says so first."""
    from patentnav.report.warn_model import build_warning_report

    zh = ProductProfile(name="无人机", features=("齉齾龘",), codes=("B64C 39/024",), markets=("US",))
    r = screen(corpus, zh, as_of=AS_OF, index=index)
    assert r.params["text_terms_in_corpus"] == 0 and r.params["candidates"] == 0 and r.risks.empty
    assert len(r.unassessed) > 0 and (r.unassessed["evidence"] == "codes_only").all()
    rep = build_warning_report(r, lang="zh")
    assert "没有一个" in rep["meta"]["caveats"][0]
    en = build_warning_report(r, lang="en")
    assert en["meta"]["caveats"][0].startswith("None of the product's words")


def test_chinese_only_profile_finds_english_patents_with_evidence(corpus, index):
    """examples/drone_product_zh.toml (Chinese only, no English word) on the bundled English
    sample: gloss evidence in both languages, no grade above low without text evidence, and
    the directly relevant pending applications listed as watch."""
    zh = ProductProfile.from_file(ROOT / "examples" / "drone_product_zh.toml")
    assert not re.search(r"[A-Za-z]{3,}", " ".join(zh.features + zh.keywords))
    r = screen(corpus, zh, as_of=AS_OF, index=index)
    rk = r.risks
    flagged = rk[rk["grade"].isin(["high", "medium", "watch"])]
    assert len(flagged) >= 10
    assert (flagged["evidence"] == "text").all() and (flagged["reads_on"] > 0).all()
    assert flagged["matched_glosses"].map(len).gt(0).all()
    assert all("gloss" in ch for ch in flagged["channels"])
    watch = set(rk.loc[rk["grade"] == "watch", "publication_number"])
    assert {"US-20160340021-A1", "US-20170163896-A1", "US-20170076616-A1"} <= watch  # foldable drone, camera gimbal, obstacle avoidance
    gimbal = rk.set_index("publication_number").loc["US-20170163896-A1"]
    assert "云台 → gimbal" in gimbal["matched_glosses"]
    assert r.params["corpus_language"] == "en" and r.params["text_terms_in_corpus"] > 50
    # codes-only patents are listed apart, not graded
    assert (r.unassessed["evidence"] != "text").all()
    assert not set(r.unassessed["publication_number"]) & set(rk["publication_number"])


def test_generic_words_do_not_drive_the_top(result):
    """Issue 12: the top of the list is not made of patents matched only by field words
    (unmanned, aerial, vehicle); foldable, gimbal and obstacle-avoidance applications are
    listed above the lows as watch."""
    us = result.risks[result.risks["market"] == "US"]
    generic = {"unmanned", "aerial", "vehicle", "drone", "uav"}
    for terms in us.head(10)["matched_terms"]:
        assert set(terms) - generic, terms
    watch = us[us["grade"] == "watch"]
    assert {"US-20160340021-A1", "US-20170163896-A1", "US-20170076616-A1"} <= set(watch["publication_number"])
    first_low = us.index[us["grade"] == "low"][0]
    assert (watch.index < first_low).all()
    assert watch["if_granted_risk"].ge(25).all() and (watch["action"] == "monitor_prosecution").all()
    assert (watch["grant_probability"] == 0.56).all()
    # the former medium risks on generic words alone are now low
    assert us.set_index("publication_number").loc["US-9731821-B2", "grade"] == "low"


def test_unmatched_codes_and_prior_art_dates(result, corpus):
    assert {"B64U10/13", "B64U20/87"} <= set(result.params["codes_unmatched"])
    assert "B64C39/024" not in result.params["codes_unmatched"]
    pub = pd.Series(pd.to_datetime(corpus.table["publication_date"].to_pandas()).to_numpy(),
                    index=corpus.table["publication_number"].to_numpy())
    prio = pd.Series(pd.to_datetime(corpus.table["earliest_priority_date"].to_pandas()).to_numpy(),
                     index=corpus.table["publication_number"].to_numpy())
    hinted = result.risks[result.risks["prior_art"].map(len) > 0]
    assert len(hinted) > 0
    for p, hints in zip(hinted["publication_number"], hinted["prior_art"]):
        for h in hints:  # every hint was published before the flagged patent's priority date
            assert pub[h.split(" ")[0]] < prio[p]


def test_low_risks_are_not_told_to_wait_for_expiry(result):
    assert (result.risks.loc[result.risks["action"] == "wait_for_expiry", "grade"].isin(["high", "medium"])).all()
    assert (result.risks["relevance"] >= 0.1).all()
