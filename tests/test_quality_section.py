"""The landscape report's filing-quality section (report.quality_section)."""

from __future__ import annotations

import re

import pytest

import patentnav
from patentnav.report.charts import make_figure
from patentnav.report.quality_section import QUALITY_CHART_KEYS, build_quality_section

from conftest import DATA


@pytest.fixture(scope="module")
def xml():
    return patentnav.read(DATA / "uspto-grant-xml").harmonize_applicants()


def _tables(sec):
    return {t["id"]: t for t in sec["tables"]}


def test_section_contract_and_numbers_match_sentences(xml):
    sec = build_quality_section(xml, "US", lang="en")
    assert list(sec) == ["id", "title", "paragraphs", "tables", "charts"] and sec["id"] == "quality"
    tabs = _tables(sec)
    assert set(tabs) == {"quality_vs_world", "quality_applicants", "quality_criteria"}
    rows = {r[0]: r for r in tabs["quality_vs_world"]["rows"]}
    assert {"quality index", "first-claim length", "independent claims"} <= set(rows)
    # every sentence on the region repeats the table's ratio and interval
    for label in ("quality index", "first-claim length"):
        ratio, lo, hi = rows[label][4:7]
        sentence = next(p for p in sec["paragraphs"] if p.startswith(f"On the {label},"))
        assert f"{ratio:.2f} ({lo:.2f}–{hi:.2f})" in sentence
        word = "above" if lo > 1 else "below" if hi < 1 else "no difference"
        assert word in sentence
    ch = sec["charts"][0]
    assert ch["kind"] == "quality_quantity" and tuple(ch["data"]) == QUALITY_CHART_KEYS["quality_quantity"]
    make_figure(ch, "en")


def test_applicants_ranked_by_quality_not_count(xml):
    sec = build_quality_section(xml, "US", lang="en", min_docs=2)
    t = _tables(sec)["quality_applicants"]
    keys = [c["key"] for c in t["columns"]]
    ranked = [r for r in t["rows"] if r[0] is not None]
    assert ranked and all(r[keys.index("documents")] >= 2 for r in ranked)
    est = [r[keys.index("quality_index")] for r in ranked]
    assert est == sorted(est, reverse=True)


def test_sample_section_says_what_it_cannot_give(drones):
    corpus = drones.harmonize_applicants()
    for lang, needle in (("en", "claim-based indicators (no claims text)"), ("zh", "基于权利要求文本的指标（无权利要求文本）")):
        sec = build_quality_section(corpus, "CN", lang=lang)
        assert any(needle in p for p in sec["paragraphs"])
        world_rows = [r[0] for r in _tables(sec)["quality_vs_world"]["rows"]]
        assert not any(re.search("claim|权利要求", r) for r in world_rows)  # no zeros for what is missing
        crit = _tables(sec)["quality_criteria"]["rows"]
        assert [r[1] for r in crit] == (["yes", "yes", "no", "no", "no"] if lang == "en" else ["是", "是", "否", "否", "否"])


def test_applicants_carry_the_evidence_that_places_them(drones, xml):
    """Issue 12 in the quality section: an applicant placed in CN only by its first filing is not
    called local; the table shows the evidence and the note counts the proxied ones."""
    corpus = drones.harmonize_applicants()
    for lang, proxy, local in (("en", "first filed in CN", "Local applicants"), ("zh", "在 CN 首次申请", "本地申请人")):
        sec = build_quality_section(corpus, "CN", lang=lang)
        t = _tables(sec)["quality_applicants"]
        ev = [r[[c["key"] for c in t["columns"]].index("evidence")] for r in t["rows"]]
        assert ev and set(ev) == {proxy}  # the sample has no addresses: every CN applicant is a proxy
        assert str(len(ev)) in t["note"] and local not in t["title"]
        assert not any(local in p for p in sec["paragraphs"])
    # with addresses (USPTO grant XML), the leader sentence names its evidence
    sec = build_quality_section(xml, "US", lang="en", min_docs=2)
    lead = [p for p in sec["paragraphs"] if p.startswith("Ranked by the quality index")]
    t = _tables(sec)["quality_applicants"]
    ev = {r[[c["key"] for c in t["columns"]].index("evidence")] for r in t["rows"]}
    assert ev and None not in ev
    assert all("first applicant of US is" in p for p in lead)


def test_one_ranked_applicant_is_not_called_first(xml):
    """With a single applicant above the minimum (USPTO sample, 5 documents), the section says that
    one applicant is not a ranking instead of naming a 'first' one."""
    for lang, needle in (("en", "one applicant is not a ranking"), ("zh", "不构成排名")):
        sec = build_quality_section(xml, "US", lang=lang)
        ranked = [r for r in _tables(sec)["quality_applicants"]["rows"] if r[0] is not None]
        assert len(ranked) == 1
        assert any(needle in p and ranked[0][1] in p for p in sec["paragraphs"])
        assert not any("first applicant" in p or "首位申请人" in p for p in sec["paragraphs"])
