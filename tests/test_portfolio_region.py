"""The portfolio's region part reads the gap analysis (one bring-in / free-to-use implementation)
and the geo module's location evidence; CNIPA's high-value flags are the same in the portfolio and
in the quality profiles; gaps() counts harmonised holders for library users too."""

import re

import numpy as np
import pandas as pd
import pytest

import patentnav
from patentnav.landscape.gaps import gaps
from patentnav.portfolio import portfolio
from patentnav.report.portfolio_model import build_portfolio_report
from portfolio_corpus import D, corpus

PUB = re.compile(r"\b[A-Z]{2}-[0-9A-Z]+-[A-Z][0-9]?\b")


def _column(table: dict, key: str) -> list:
    j = [c["key"] for c in table["columns"]].index(key)
    return [r[j] for r in table["rows"]]


def _pubs(table: dict, key: str) -> set[str]:
    return {p for cell in _column(table, key) for p in PUB.findall(str(cell))}


@pytest.fixture(scope="module")
def cutoff(landscape_reports):
    return landscape_reports["zh"]["meta"]["cutoff"]


@pytest.fixture(scope="module")
def cn(drones, cutoff):
    """Region CN at the landscape report's cut-off (its statuses: the same date)."""
    return portfolio(drones, region="CN", as_of=cutoff)


@pytest.fixture(scope="module")
def gap(drones, cutoff):
    return gaps(drones, "CN", cutoff=cutoff)


# --- one implementation of live / ended rights -------------------------------------------------
def test_landscape_and_portfolio_agree_on_live_and_ended_rights(landscape_reports, cn, gap, cutoff):
    """At one cut-off, no right is free to use in one report and a live target in the other."""
    paths = next(s for s in landscape_reports["zh"]["sections"] if s["id"] == "paths")
    tabs = {t["id"]: t for t in paths["tables"]}
    live_l, ended_l = _pubs(tabs["acquisition"], "key_patents"), _pubs(tabs["free_to_use"], "free_to_use")
    live_p, ended_p = set(cn.bring_in["publication_number"]), set(cn.free_to_use["publication_number"])
    assert live_l and ended_l and live_p and ended_p
    assert not live_l & ended_p and not ended_l & live_p
    # they overlap where both list a right, so the check bites: the same ended rights, the same live ones
    assert ended_l & ended_p and live_l & live_p
    # every listed right has the one classification of the gap analysis (status from patentnav.status)
    rights = gap.rights.set_index("publication_number")["right"]
    assert set(rights[list(live_l | live_p)]) == {"live"} and set(rights[list(ended_l | ended_p)]) == {"ended"}
    assert cn.params["as_of"] == cutoff == gap.params["cutoff"]


def test_bring_in_ranks_the_gap_analysis_rights(cn, gap):
    tr = gap.technology_rights(cn.bring_in["technology"].unique())
    key = tr.set_index(["technology", "publication_number"])
    for x in cn.bring_in.itertuples():
        row = key.loc[(x.technology, x.publication_number)]
        assert row["right"] == "live" and pd.isna(row["region_evidence"])  # no applicant placed in CN
        assert (x.status, x.years_left, x.expiry_date) == (row["status"], row["years_left"], row["expiry_date"])
    for tech, sub in cn.bring_in.groupby("technology", sort=False):
        pending = (sub["status"] == "pending").to_numpy()
        assert not (pending[:-1] & ~pending[1:]).any()  # in force first, then pending (as gaps ranks targets)
    # live rights of the gap technologies whose applicants are placed in CN by their first filing only: left out, counted
    top = gap.technology_rights(gap.table[gap.table["category"].isin(["fill_now", "long_term"])].head(15)["technology"])
    proxy = top[(top["right"] == "live") & top["region_evidence"].notna() & ~top["located"]]
    assert cn.params["first_filed_left_out"] == proxy["publication_number"].nunique() > 0
    free = gap.technology_rights(cn.free_to_use["technology"].unique()).set_index(["technology", "publication_number"])
    assert all(free.loc[(x.technology, x.publication_number), "right"] == "ended" for x in cn.free_to_use.itertuples())
    # withdrawn applications teach as much as expired patents: the gap analysis's ended rights, not only grants
    assert set(cn.free_to_use["status"]) <= {"expired", "lapsed", "withdrawn_or_refused"}


def test_portfolio_growth_window_stays_at_the_data_cut_off(drones):
    """A status date past the end of the data moves the statuses, not the world-growth window:
    the gap categories stay those of the data's cut-off."""
    late = portfolio(drones, region="CN", as_of="2024-01-01")
    g = gaps(drones, "CN")
    assert late.pools["technology"].tolist() == ["G06Q"]
    assert set(late.bring_in["technology"]) <= set(g.table.loc[g.table["category"].isin(["fill_now", "long_term"]), "technology"])


# --- location evidence ---------------------------------------------------------------------------
def test_region_holders_carry_their_evidence(cn):
    """The sample has no addresses: every CN applicant is there by its first filing, Ericsson on one
    document (WO-2017177361-A1), DJI on 36; none is called local."""
    ev = cn.selection.holder_evidence.set_index("applicant")
    assert not ev["located"].any() and set(ev["evidence"]) == {"priority"} and cn.selection.located is False
    eri = ev.loc["ERICSSON TELEFON AB L M (PUBL)"]
    assert (eri["documents"], eri["evidence"]) == (1, "priority")
    assert "WO-2017177361-A1" in set(cn.rights["publication_number"])
    assert ev.loc["SZ DJI TECHNOLOGY CO LTD", "documents"] == 36
    for lang, first in (("en", "first filed in CN"), ("zh", "在 CN 首次申请")):
        rep = build_portfolio_report(cn, lang)
        assert first in rep["meta"]["title"]
        inv = next(s for s in rep["sections"] if s["id"] == "inventory")
        holders = next(t for t in inv["tables"] if t["id"] == "holders")
        row = holders["rows"][_column(holders, "applicant").index("ERICSSON TELEFON AB L M (PUBL)")]
        assert row[-1] == first
        region = next(s for s in rep["sections"] if s["id"] == "region")
        pools = next(t for t in region["tables"] if t["id"] == "pools")
        assert _column(pools, "located_holders") == [0]
        assert all(first in b for b in _column(pools, "basis"))
        bring = next(t for t in region["tables"] if t["id"] == "bring_in")
        assert _column(bring, "holder_region")[0] == ("US (priority country)" if lang == "en" else "US（优先权国家）")
    en = build_portfolio_report(cn, "en")
    text = " ".join(p for s in en["sections"] for p in s["paragraphs"])
    assert "not pools of local holders" in text and "0 located there" in text


def test_prospects_say_where_they_are_and_why(cn):
    p = cn.prospects.set_index("firm")
    assert {"region", "evidence", "located"} <= set(cn.prospects.columns)
    assert (p.loc["IBM", "region"], p.loc["IBM", "evidence"], bool(p.loc["IBM", "located"])) == ("US", "priority", False)


def _located_corpus():
    """Region CN with located holders (applicant country), a first filer and US holders: B is a CN gap."""
    rows = [  # (applicants, applicant countries, priority countries, ipc)
        (["ALPHA CO LTD"], ["CN"], ["CN"], ["A01B1/00"]), (["ALPHA CO LTD"], ["CN"], ["CN"], ["A01B1/00"]),
        (["BETA CO LTD"], ["CN"], ["CN"], ["A01B1/00"]), (["ALPHA CO LTD"], ["CN"], ["CN"], ["B01B1/00"]),
        (["BETA CO LTD"], ["CN"], ["CN"], ["B01B1/00"]), (["GAMMA INC"], [], ["CN"], ["B01B1/00"]),
    ] + [([f"US FIRM {i} INC"], ["US"], ["US"], ["B01B1/00"]) for i in range(6)] \
      + [(["US FIRM 0 INC"], ["US"], ["US"], ["A01B1/00"])]
    n = len(rows)
    return corpus(publication_number=[f"US-{9000001 + i}-B2" for i in range(n)], jurisdiction=["US"] * n, kind=["B2"] * n,
                  document_type=["granted_patent"] * n, filing_date=[D(2015, 1, 1)] * n, grant_date=[D(2017, 1, 3)] * n,
                  publication_date=[D(2017, 1, 3)] * n, earliest_priority_date=[D(2015, 1, 1)] * n,
                  applicants=[r[0] for r in rows], applicant_countries=[r[1] for r in rows],
                  priority_countries=[r[2] for r in rows], ipc=[r[3] for r in rows], title=[f"T{i}" for i in range(n)])


def test_pools_of_located_holders_are_local_and_first_filers_are_marked():
    r = portfolio(_located_corpus(), region="CN", as_of=D(2018, 1, 1))
    ev = r.selection.holder_evidence.set_index("applicant")
    assert ev.loc["ALPHA CO LTD", "evidence"] == "applicant_country" and ev.loc["GAMMA INC", "evidence"] == "priority"
    assert r.selection.located
    pool = r.pools.set_index("technology").loc["B01B"]
    assert (pool["holders"], pool["located_holders"], pool["basis"]) == (3, 2, "mixed")
    assert dict(zip(pool["holder_names"], pool["holder_evidence"]))["GAMMA INC"] == "priority"
    rep = build_portfolio_report(r, "en")
    assert rep["meta"]["title"].startswith("Patent portfolio of region CN")
    # GAMMA's document is first filed in CN: not brought in, counted as left out
    assert "US-9000006-B2" not in set(r.bring_in["publication_number"]) and r.params["first_filed_left_out"] == 1
    assert set(r.bring_in["holder"]) <= {f"US FIRM {i} INC" for i in range(6)}
    assert set(r.bring_in["holder_evidence"]) == {"applicant_country"}


# --- CNIPA high value: one rule ------------------------------------------------------------------
def _same_flags(c, rights: pd.DataFrame, as_of: str) -> int:
    from patentnav.quality import high_value, maintenance

    q = high_value(c, status=maintenance(c, as_of=as_of)).set_index("publication_number")
    q = q.loc[rights["publication_number"]]
    pairs = (("hv_in_scope", "eligible"), ("hv_sei", "sei"), ("hv_overseas_family", "overseas_family"),
             ("hv_maintained_10y", "maintained_10y"), ("high_value", "high_value"))
    for pf, ql in pairs:
        a = pd.array(rights[pf].to_numpy(), dtype="boolean")
        b = pd.array(q[ql].to_numpy(), dtype="boolean")
        assert (pd.isna(a) == pd.isna(b)).all() and (a[~pd.isna(a)] == b[~pd.isna(b)]).all(), pf
    return int(rights["hv_in_scope"].sum())


def test_high_value_flags_are_the_same_in_portfolio_and_quality(drones, cn, cutoff):
    eligible = _same_flags(drones, cn.rights, cutoff)
    dji = portfolio(drones, holders="SZ DJI TECHNOLOGY CO LTD", as_of=cutoff)
    eligible += _same_flags(drones, dji.rights, cutoff)
    assert eligible > 0 and cn.rights["hv_maintained_10y"].isna().all()  # no legal data: never "maintained"


def test_high_value_flags_agree_on_the_uspto_xml_sample():
    from conftest import DATA

    xml = patentnav.read(DATA / "uspto-grant-xml")
    cut = str(pd.Timestamp(xml.table["publication_date"].to_pandas().max()).date())
    r = portfolio(xml, region="US", as_of=cut)
    assert _same_flags(xml, r.rights, cut) > 50
    # old grants in force without legal data: "maintained" unknown, not yes (the evidence rule, in one place)
    old = r.rights[r.rights["hv_in_scope"] & (pd.to_datetime(r.rights["filing_date"]) < pd.Timestamp(cut) - pd.DateOffset(years=10))]
    assert len(old) and old["hv_maintained_10y"].isna().all()


# --- harmonised names in gaps() ------------------------------------------------------------------
def _dji_variants():
    names = ["深圳市大疆创新科技有限公司", "大疆创新科技有限公司", "深圳大疆创新科技有限公司", "ACME ROBOTICS INC"]
    rows = [(names[i % 3], "CN", ["B64C39/02"]) for i in range(6)] + [(names[3], "US", ["G05D1/00"])] * 4
    n = len(rows)
    return corpus(publication_number=[f"CN-{100001 + i}-A" for i in range(n)], jurisdiction=["CN"] * n, kind=["A"] * n,
                  document_type=["application"] * n, filing_date=[D(2016, 1, 1)] * n, publication_date=[D(2017, 1, 1)] * n,
                  earliest_priority_date=[D(2016, 1, 1)] * n, applicants=[[r[0]] for r in rows],
                  priority_countries=[[r[1]] for r in rows], ipc=[r[2] for r in rows])


def test_gaps_counts_harmonised_holders_of_a_raw_corpus():
    c = _dji_variants()
    assert not patentnav.names.is_harmonized(c)
    raw = gaps(c, "CN", harmonize=False).table.set_index("technology").loc["B64C"]
    hm = gaps(c, "CN").table.set_index("technology").loc["B64C"]
    assert len([h for h in raw["holders"] if "大疆" in h]) == 3  # three spellings, three "holders"
    assert len(hm["holders"]) == 1 and "大疆创新科技有限公司" in hm["holders"][0]
    assert gaps(c, "CN").params["names"] == "harmonized_here" and gaps(c, "CN", harmonize=False).params["names"] == "raw"
    h = c.harmonize_applicants()
    assert gaps(h, "CN").params["names"] == "harmonized"
    assert np.array_equal(gaps(h, "CN").table["holders"].map(tuple), gaps(c, "CN").table["holders"].map(tuple))
