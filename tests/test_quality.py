"""Filing-quality profiles (patentnav.quality): shrinkage, maintenance, high-value criteria,
group profiles and the `patentnav quality` command."""

from __future__ import annotations

import csv
import datetime as dt
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from click.testing import CliRunner

import patentnav
from patentnav.cli.main import main
from patentnav.model.schema import LEGAL_EVENT
from patentnav.quality import (CONTINUOUS, SHARES, document_quality, high_value, maintenance, quality_profiles,
                               shrink_means, wilson_interval)

from conftest import DATA

D = dt.date


def corpus(**cols):
    arrays = {}
    for k, v in cols.items():
        if k in ("filing_date", "grant_date", "publication_date"):
            arrays[k] = pa.array(v, pa.date32())
        elif k in ("family_jurisdictions", "ipc", "applicants", "agents"):
            arrays[k] = pa.array(v, pa.list_(pa.string()))
        elif k == "legal_events":
            arrays[k] = pa.array(v, pa.list_(LEGAL_EVENT))
        elif k == "family_size":
            arrays[k] = pa.array(v, pa.int32())
        else:
            arrays[k] = pa.array(v, pa.string())
    return patentnav.Corpus(pa.table(arrays))


# --- statistics ------------------------------------------------------------------------


def test_between_group_variance_matches_statsmodels_dersimonian_laird():
    """tau2 and the noise variances against statsmodels' DerSimonian-Laird meta-analysis."""
    from statsmodels.stats.meta_analysis import combine_effects

    rng = np.random.default_rng(3)
    sizes = np.array([3, 8, 20, 50, 5, 12])
    true = rng.normal(1.0, 0.3, len(sizes))
    groups = np.repeat(np.arange(len(sizes)), sizes)
    x = rng.normal(true[groups], 0.8)
    r = shrink_means(x, groups, len(sizes))
    sigma2 = r.attrs["sigma2"]
    means = np.array([x[groups == g].mean() for g in range(len(sizes))])
    res = combine_effects(means, sigma2 / sizes, method_re="dl")
    assert r.attrs["tau2"] == pytest.approx(res.tau2, rel=1e-9)
    assert r.attrs["mu"] == pytest.approx(res.mean_effect_re, rel=1e-9)
    # sigma2: pooled within-group variance, by a plain loop
    ssw = sum(((x[groups == g] - means[g]) ** 2).sum() for g in range(len(sizes)))
    assert sigma2 == pytest.approx(ssw / (len(x) - len(sizes)))
    b = (sigma2 / sizes) / (sigma2 / sizes + res.tau2)
    np.testing.assert_allclose(r["estimate"], res.mean_effect_re + (1 - b) * (means - res.mean_effect_re))


def test_a_holder_with_three_patents_cannot_top_the_table():
    rng = np.random.default_rng(0)
    # 3 lucky patents at 2.0; a holder with 200 patents truly at 1.4; 40 ordinary holders at 1.0
    x = np.r_[np.full(3, 2.0), rng.normal(1.4, 0.5, 200), rng.normal(1.0, 0.5, 800)]
    g = np.r_[np.zeros(3, int), np.ones(200, int), np.repeat(np.arange(2, 42), 20)]
    r = shrink_means(x, g, 42)
    assert r.loc[0, "mean"] > r.loc[1, "mean"]  # raw means: the small holder first
    assert r.loc[0, "estimate"] < r.loc[1, "estimate"]  # shrunk: the large one first
    assert r.loc[1, "estimate"] == pytest.approx(r.loc[1, "mean"], abs=0.02)
    assert r.loc[0, "lo"] < 1.0 < r.loc[0, "hi"]  # three patents do not show a difference from the world
    assert r.loc[0, "shrinkage"] > 0.5 > r.loc[1, "shrinkage"]


def test_real_differences_survive_shrinkage():
    rng = np.random.default_rng(1)
    true = np.linspace(0.5, 2.0, 10)
    g = np.repeat(np.arange(10), 200)
    r = shrink_means(rng.normal(true[g], 0.3), g, 10)
    np.testing.assert_allclose(r["estimate"], true, atol=0.08)
    assert ((r["lo"] < true) & (true < r["hi"])).sum() >= 8  # 95% intervals: about 9.5 of 10 cover


def test_wilson_matches_statsmodels():
    from statsmodels.stats.proportion import proportion_confint

    k, n = np.array([0, 3, 7, 40]), np.array([5, 3, 20, 41])
    lo, hi = wilson_interval(k, n)
    for i in range(len(k)):
        ref = proportion_confint(k[i], n[i], alpha=0.05, method="wilson")
        assert (lo[i], hi[i]) == pytest.approx(ref, abs=1e-6)
    assert np.isnan(wilson_interval([0], [0])[0][0])


# --- maintenance and high value ---------------------------------------------------------


def _legal_corpus():
    lapse = lambda y: [{"date": D(y, 6, 1), "code": "FP", "description": "lapsed"}]  # noqa: E731  US: class H, -
    fee = [{"date": D(2004, 1, 1), "code": "FPAY", "description": "fee paid"}]
    return corpus(
        publication_number=["US-1-B2", "US-2-B2", "US-3-B2", "US-4-B2", "US-5-B2", "CN-6-B"],
        jurisdiction=["US", "US", "US", "US", "US", "CN"], kind=["B2", "B2", "B2", "B2", "B2", "B"],
        document_type=["granted_patent"] * 6,
        filing_date=[D(2000, 1, 1), D(2000, 1, 1), D(2000, 1, 1), D(2010, 1, 1), D(2000, 1, 1), D(2001, 1, 1)],
        grant_date=[D(2003, 1, 1)] * 3 + [D(2013, 1, 1), D(2003, 1, 1), D(2004, 1, 1)],
        publication_date=[D(2003, 1, 1)] * 3 + [D(2013, 1, 1), D(2003, 1, 1), D(2004, 1, 1)],
        legal_events=[lapse(2005), lapse(2012), fee, fee, [], []],
        legal_status=[None, None, None, None, None, "有权"],
        family_jurisdictions=[["US", "EP"], [], ["US", "WO"], [], [], ["CN", "US"]],
        ipc=[["B64C39/02"], ["A47G21/00"], [], ["H04W72/04"], ["A47G21/00"], ["A47G21/00"]],
    )


def test_kept_to_year_ten():
    c = _legal_corpus()
    m = maintenance(c, as_of=D(2015, 1, 1))
    # lapsed in 2005 (year 5): not kept; lapsed 2012 (year 12): kept; in force with events: kept;
    # filed 2010: too young; no events: unknown; CN with status text only: unknown (no events)
    assert m["kept"].tolist() == [False, True, True, pd.NA, pd.NA, pd.NA]
    assert m.attrs["as_of"] == "2015-01-01"
    assert maintenance(c).attrs["as_of"] == "2013-01-01"  # the latest date in the data


def test_high_value_criteria():
    c = _legal_corpus()
    hv = high_value(c, status=maintenance(c, as_of=D(2015, 1, 1)))
    assert hv["eligible"].tolist() == [False, False, True, True, True, True]  # 1 and 2 lapsed
    assert hv["overseas_family"].tolist() == [True, pd.NA, False, pd.NA, pd.NA, True]  # WO is no right abroad
    assert hv["maintained_10y"].tolist()[2:] == [True, False, pd.NA, True]  # in force and filed >= 10 years before
    # the shared flags: False for the lapsed (not eligible) patents; the profiles' share reads the eligible only
    assert hv["high_value"].tolist() == [False, False, True, True, False, True]
    assert document_quality(c, as_of=D(2015, 1, 1))["high_value"].isna().tolist()[:2] == [True, True]
    assert hv.attrs["shown"] == ["sei", "overseas_family", "maintained_10y"]
    assert hv.attrs["not_shown"] == ["pledge_high", "award"]


# --- profiles -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xml():
    return patentnav.read(DATA / "uspto-grant-xml")


def test_profiles_by_agent_list_every_agent_with_its_documents(xml):
    p = quality_profiles(xml, by="agent")
    groups = dict(zip(p.table["group"], p.table["publication_numbers"]))
    pubs = xml.table["publication_number"].to_pylist()
    canon = dict(zip(p.mapping["raw"], p.mapping["canonical"]))
    for pub, agents in zip(pubs, xml.table["agents"].to_pylist()):
        for a in agents:
            assert pub in groups[canon[a]], (pub, a)
    assert (p.table["documents"] == p.table["publication_numbers"].map(len)).all()
    assert p.documents == sum(1 for a in xml.table["agents"].to_pylist() if a) == 386
    assert len(groups["Birch, Stewart, Kolasch & Birch, LLP"]) == 7
    assert set(p.unavailable) == {"family_breadth", "pct", "kept_10y"}


def test_min_docs_are_listed_not_ranked(xml):
    p = quality_profiles(xml, by="agent", min_docs=5)
    t = p.table
    assert (t.loc[t["ranked"], "documents"] >= 5).all() and t["ranked"].sum() == t["rank"].notna().sum()
    ranks = t["rank"].dropna().astype(int).tolist()
    assert ranks[0] == 1 and ranks == sorted(ranks) and len(ranks) == int(t["ranked"].sum())
    assert not t.loc[~t["ranked"], "rank"].notna().any()
    ranked_first = t["ranked"].to_numpy()
    assert (ranked_first[: ranked_first.sum()]).all()  # ranked groups come first
    mu = p.world["quality_index_shrink_to"]
    one = t[t["documents"] == 1]
    assert (one["quality_index_est"].sub(mu).abs() <= one["quality_index_rel"].sub(mu).abs() + 1e-12).all()


def test_rank_by_lower_is_better(xml):
    p = quality_profiles(xml, by="agent", min_docs=3, rank_by="first_claim_words")
    r = p.ranked["first_claim_words_est"].to_numpy()
    assert (np.diff(r) >= 0).all()  # shorter (broader) claims first


def test_profiles_on_the_bundled_sample_say_what_they_cannot_give(drones):
    d = document_quality(drones)
    for by in ("applicant", "region"):
        p = quality_profiles(drones, by=by, docs=d)
        assert len(p.ranked) > 10
        for c in ("independent_claims", "first_claim_words", "total_claims", "family_breadth", "pct", "kept_10y"):
            assert c in p.unavailable
            assert p.table[f"{c}_n"].eq(0).all()
            est = p.table[f"{c}_est" if c in CONTINUOUS else f"{c}_share"]
            assert est.isna().all()  # nothing, never 0
        assert "no claims text" in p.availability["first_claim_words"]
        assert p.params["high_value"]["shown"] == ["sei", "overseas_family"]  # families of one have no member abroad
    p = quality_profiles(drones, by="applicant", region="CN", docs=d)
    assert "SZ DJI TECHNOLOGY CO LTD" in p.table["group"].tolist() and p.documents < 200
    # how each applicant is placed: the sample has no addresses, so only by where it first filed
    assert p.table["evidence"].notna().all() and set(p.table["evidence"]) <= {"priority", "jurisdiction"}


def test_world_relative_values_average_one(xml):
    d = document_quality(xml)
    for c in ("quality_index", "first_claim_words", "grant_lag"):
        assert np.nanmean(d[f"{c}_rel"]) == pytest.approx(1.0)
    assert set(SHARES) <= set(d.columns)


# --- command ---------------------------------------------------------------------------


def test_cli_by_agent_writes_every_group(xml, tmp_path):
    out_csv, out_json = tmp_path / "agents.csv", tmp_path / "agents.json"
    r = CliRunner().invoke(main, ["quality", str(DATA / "uspto-grant-xml"), "--by", "agent", "--top", "0",
                                  "-o", str(out_csv), "-o", str(out_json)], env={"COLUMNS": "160"})
    assert r.exit_code == 0, r.output
    assert "Kolasch" in r.output and "Not available in this corpus" in r.output
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8-sig")))
    assert len(rows) == 374 and any("US-" in row["publication_numbers"] for row in rows)
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["documents"] == 386 and len(data["groups"]) == 374 and "kept_10y" in data["unavailable"]


def test_cli_sample_zh_and_escaping(tmp_path):
    r = CliRunner().invoke(main, ["quality", "--by", "region", "--lang", "zh", "--top", "3"], env={"COLUMNS": "160"})
    assert r.exit_code == 0, r.output
    assert "本数据无法给出" in r.output and "基于权利要求文本的指标" in r.output
    c = corpus(publication_number=["US-1-B2", "US-2-B2"], jurisdiction=["US", "US"], document_type=["granted_patent"] * 2,
               agents=[["[red]Evil[/red] LLP"], ["=HYPERLINK(\"x\")"]], applicants=[["A"], ["B"]],
               filing_date=[D(2010, 1, 1)] * 2, grant_date=[D(2012, 1, 1)] * 2, publication_date=[D(2012, 1, 1)] * 2)
    p = tmp_path / "c.parquet"
    c.to_parquet(p)
    out = tmp_path / "a.csv"
    r = CliRunner().invoke(main, ["quality", str(p), "--by", "agent", "-o", str(out)], env={"COLUMNS": "160"})
    assert r.exit_code == 0, r.output
    assert "[red]Evil[/red] LLP" in r.output  # shown as text, not as markup
    assert "'=HYPERLINK" in out.read_text(encoding="utf-8-sig")


def test_cli_rejects_unknown_output(tmp_path):
    r = CliRunner().invoke(main, ["quality", "-o", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 2 and "'.xlsx'" in r.output and ".csv, .json" in r.output


def test_cli_unknown_region_is_a_message_in_the_language(tmp_path):
    r = CliRunner().invoke(main, ["quality", "--region", "XX", "--lang", "zh"])
    assert r.exit_code == 2 and "--region XX" in r.output and "语料中没有该地区的文献" in r.output
    assert "Traceback" not in r.output


def test_cli_applicants_of_a_region_show_their_evidence():
    """Issue 12 in `patentnav quality`: applicants placed only by their first filing are not called local."""
    r = CliRunner().invoke(main, ["quality", "--by", "applicant", "--region", "CN", "--top", "5"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "located in CN" not in out and "90 of the 90 applicants are placed in CN only because" in out
    assert out.count("first filed") >= 5


def test_cli_regions_say_what_places_documents_in_them():
    """Without addresses the regions rest on priority countries: the terminal says so (issue 12)."""
    r = CliRunner().invoke(main, ["quality", "--by", "region", "--top", "3"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "Regions placed by: priority country 97.1%" in out
    assert "97.1% of applicant regions come from priority countries (a proxy)" in out


def test_assign_rows_equal_the_lookup_by_publication_number(drones):
    """The corpus rows of an assignment (integers, :func:`patentnav.geo.assignment_rows`) equal
    the lookup of its publication numbers, in corpus order and shuffled, with numbers missing
    from the corpus or missing altogether."""
    from patentnav.geo import assign_regions
    from patentnav.model.shared import row_index
    from patentnav.quality.profiles import _assign_rows

    pubs = row_index(drones)
    a = assign_regions(drones, level="country")
    assert np.array_equal(_assign_rows(drones, pubs, a), pubs.get_indexer(a["publication_number"]))
    rng = np.random.default_rng(0)
    b = a.iloc[rng.permutation(len(a))].reset_index(drop=True)
    numbers = np.array(b["publication_number"].tolist(), dtype=object)
    numbers[:3] = ["XX-NOT-THERE", None, "YY-1"]
    b["publication_number"] = numbers
    want = pubs.get_indexer(pd.Series(numbers[3:], dtype=object))
    got = _assign_rows(drones, pubs, b)
    assert list(got[:3]) == [-1, -1, -1] and np.array_equal(got[3:], want)


def test_assumed_dates_read_back_as_text_are_parsed_or_nat():
    """A status read back from CSV carries ``assumed_date`` as text: parsed, unreadable values NaT."""
    from patentnav.quality.maintenance import _assumed_dates

    got = _assumed_dates(pd.Series(["2020-01-31", "not a date", None]), np.array([0, 2, 3]), 4)
    assert str(got[0])[:10] == "2020-01-31" and np.isnat(got[1]) and np.isnat(got[2]) and np.isnat(got[3])
