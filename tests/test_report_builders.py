"""The landscape report's section builders: one per section, each declaring its key findings;
sections numbered from their order; every shared computation made once per report (the
context's properties are the only place that computes them)."""

import re

import pytest

from patentnav.report import build_landscape_report
from patentnav.report.context import landscape_context
from patentnav.report.model import LANDSCAPE_SECTIONS, SECTION_IDS
from patentnav.report.parts import numbered


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sections_are_numbered_from_their_order(landscape_reports, lang):
    titles = [s["title"] for s in landscape_reports[lang]["sections"]]
    if lang == "zh":
        assert [t[:2] for t in titles] == ["一、", "二、", "三、", "四、", "五、"]
        assert titles[3] == "四、专利质量" and titles[4] == "五、发展路径"
    else:
        assert [t.split(" ", 1)[0] for t in titles] == ["1.", "2.", "3.", "4.", "5."]
        assert titles[3] == "4. Filing quality" and titles[4] == "5. Development paths"
    assert numbered(11, "x", "zh") == "11. x"  # beyond the numerals: digits


def test_summary_is_the_findings_the_builders_declare(drones):
    ctx = landscape_context(drones, lang="en")
    built = {sid: build(ctx) for sid, build in LANDSCAPE_SECTIONS}
    assert tuple(built) == SECTION_IDS
    for sid, b in built.items():  # a finding is a sentence its own section states
        assert set(b.findings) <= set(b.section["paragraphs"]), sid
    assert built["scope"].findings == []
    growth, fit = built["direction"].findings
    assert growth.startswith("Compound annual growth") and fit.startswith("Logistic (loglet) fit")
    assert built["positioning"].findings == [built["positioning"].section["paragraphs"][1]]
    assert built["positioning"].findings[0].startswith("CN holds")
    assert built["quality"].findings[0].startswith("On the quality index, CN's documents score")
    assert built["paths"].findings[0].endswith("strengths.") and "IPC subclasses assessed" in built["paths"].findings[0]
    report = build_landscape_report(drones, lang="en")
    assert report["meta"]["summary"]["paragraphs"] == [f for b in built.values() for f in b.findings]


def test_no_quality_finding_when_the_data_cannot_compare(drones):
    """Scoped to "mapping", CN has one document, outside every field and without a quality index."""
    ctx = landscape_context(drones, lang="en", query="mapping")
    built = dict((sid, build(ctx)) for sid, build in LANDSCAPE_SECTIONS)
    assert built["positioning"].findings[0].startswith("CN holds 2.5% of all documents (fractional count 1), none of them")
    assert "CN has no documents with the quality index in this corpus." in built["quality"].section["paragraphs"]
    assert built["quality"].findings == []  # nothing compared, nothing to put first


def test_each_shared_computation_is_made_once(drones, monkeypatch):
    """Regions, technology fields, the citation graph, the quality table and the legal status
    at the cut-off: computed once per report, by the context."""
    import patentnav.geo as geo
    import patentnav.landscape.citations as citations
    import patentnav.landscape.clusters as clusters
    import patentnav.landscape.indicators as indicators
    import patentnav.status as status

    calls = {}

    def counting(module, name, key=None):
        real = getattr(module, name)

        def wrapper(*a, **k):
            if key is None or key(*a, **k):
                calls[name] = calls.get(name, 0) + 1
            return real(*a, **k)

        monkeypatch.setattr(module, name, wrapper)

    counting(geo, "assign_regions")
    counting(citations, "citation_graph")
    counting(clusters, "technology_fields")
    counting(indicators, "quality_table")
    # the maintenance indicator asks for the status of the documents old enough, at its own date
    counting(status, "status_codes", key=lambda corpus, **k: len(corpus) == len(drones))  # the report's status: codes
    import patentnav.landscape as ls

    monkeypatch.setattr(ls, "technology_fields", clusters.technology_fields)
    build_landscape_report(drones, lang="en")
    assert calls == {"assign_regions": 1, "citation_graph": 1, "technology_fields": 1, "quality_table": 1,
                     "status_codes": 1}


def test_warning_report_builders(drones):
    """The warning report: one builder per section (monitoring only when asked), numbered from
    their order; the summary is the product's text warning and the risks' market findings."""
    from patentnav.report.warn_model import WARN_SECTION_IDS, WARN_SECTIONS, WarnContext, build_warning_report
    from patentnav.warning import ProductProfile, screen

    assert tuple(sid for sid, _ in WARN_SECTIONS) == WARN_SECTION_IDS
    res = screen(drones, ProductProfile(name="drone", codes=("B64C39/024",), markets=("US",)), as_of="2018-01-01")
    ctx = WarnContext(res, "en")
    built = {sid: build(ctx) for sid, build in WARN_SECTIONS}
    assert built["monitoring"] is None  # not asked (no since)
    assert built["product"].findings[0].startswith("The profile has no text (codes only)")
    report = build_warning_report(res, lang="zh")
    assert [s["title"][:2] for s in report["sections"]] == ["一、", "二、", "三、", "四、"]
    en = build_warning_report(res, lang="en")
    assert en["meta"]["summary"]["paragraphs"] == built["product"].findings + built["risks"].findings
    assert en["meta"]["summary"]["tables"] == list(built["risks"].tables)


def test_counts_in_sentences_show_decimals_only_when_fractional(landscape_reports):
    from patentnav.report.parts import plain_number

    assert [plain_number(x) for x in (107.0, 106.5, 0.25, 1234.0, 2.96, float("nan"))] == ["107", "106.5", "0.2", "1,234", "3", "—"]
    for lang in ("en", "zh"):
        text = " ".join(p for s in landscape_reports[lang]["sections"] for p in s.get("paragraphs") or [])
        notes = " ".join(t.get("note") or "" for s in landscape_reports[lang]["sections"] for t in s.get("tables") or [])
        assert not re.search(r"(?<![\d.])\d[\d,]*\.0(?![\d%])", text + " " + notes), lang
