"""Renderers (HTML, Markdown, charts) against a hand-made model that follows the report contract."""

from __future__ import annotations

import copy
import re

import pytest

pytest.importorskip("plotly")

from patentnav.report import charts  # noqa: E402
from patentnav.report.html import render_html, write_html  # noqa: E402
from patentnav.report.markdown import escape_md_cell, render_markdown, write_markdown  # noqa: E402

EVIL = 'Battery <script>alert("x")</script> & cell'


def make_report(lang: str = "en") -> dict:
    zh = lang == "zh"
    years = list(range(2012, 2024))
    counts = [12, 18, 25, 40, 61, 88, 120, 150, 171, 190, 120, 45]
    return {
        "meta": {
            "title": "固态电池专利导航报告" if zh else "Solid-state battery patent navigation",
            "lang": lang,
            "generator": "patentnav 0.1.0",
            "cutoff": "2024-06-30",
            "region": "江苏省" if zh else "Jiangsu",
            "scope": {"criteria": ["CPC H01M10/0562", "申请年 2012–2023" if zh else "filed 2012–2023"],
                      "documents": 1040, "of": 1200},
            "sources": [{"file": "cnipa_export.xlsx", "format": "cnipa-xlsx", "rows_read": 1210,
                         "kept": 1200, "rejected": 10, "warnings": 3}],
            "counts": {"documents": 1200, "jurisdictions": {"CN": 900, "US": 200, "EP": 100},
                       "years": [2012, 2023]},
            "caveats": ["最近 18 个月的申请尚未完全公开。" if zh else
                        "Filings of the last 18 months are not yet fully published.",
                        "Applicant names normalised heuristically | check the table."],
        },
        "sections": [
            {"id": "scope", "title": "产业发展方向" if zh else "Industry direction",
             "paragraphs": ["申请量在 2021 年达到峰值。" if zh else "Filings peaked in 2021.",
                            "Second paragraph with <b>markup</b> that must stay text."],
             "tables": [{"id": "top-applicants", "title": "主要申请人" if zh else "Top applicants",
                         "columns": [{"key": "name", "label": "申请人" if zh else "Applicant"},
                                     {"key": "n", "label": "申请量" if zh else "Applications"},
                                     {"key": "title", "label": "代表专利" if zh else "Example title"}],
                         "rows": [["宁德时代新能源科技股份有限公司", 120, EVIL],
                                  ["Toyota | Jidosha", 95, "Line one\nline two"],
                                  ["Samsung SDI", 80, None]],
                         "note": "Counts are simple families."}],
             "charts": [
                 {"id": "trend", "title": "申请趋势" if zh else "Filing trend", "kind": "trend",
                  "data": {"years": years, "counts": counts,
                           "incomplete": [y >= 2022 for y in years],
                           "fitted": [round(210 / (1 + 2.718 ** (-0.6 * (y - 2018))), 3) for y in years],
                           "label_x": "申请年" if zh else "Filing year",
                           "label_y": "申请量" if zh else "Applications"},
                  "note": "2022–2023 incomplete."},
                 {"id": "applicants", "title": "申请人趋势" if zh else "Applicants over time",
                  "kind": "applicants_over_time",
                  "data": {"years": years, "series": [
                      {"name": "宁德时代" if zh else "CATL", "counts": [0, 1, 2, 4, 6, 9, 12, 15, 20, 22, 18, 11]},
                      {"name": "Toyota", "counts": [3, 4, 5, 7, 8, 9, 10, 11, 12, 10, 8, 2]}]},
                  "note": None},
             ]},
            {"id": "positioning", "title": "区域定位" if zh else "Regional positioning",
             "paragraphs": ["江苏在电解质领域具有比较优势。" if zh else "Jiangsu has an advantage in electrolytes."],
             "tables": [],
             "charts": [
                 {"id": "network", "title": "技术领域网络" if zh else "Field network", "kind": "field_network",
                  "data": {"nodes": [
                      {"id": "H01M10/0562", "label": "硫化物电解质" if zh else "Sulfide electrolyte", "size": 40, "field": 0, "x": 0.0, "y": 0.0},
                      {"id": "H01M4/62", "label": "电极添加剂" if zh else "Electrode additives", "size": 20, "field": 0, "x": 1.0, "y": 0.5},
                      {"id": "H01M10/052", "label": "锂二次电池" if zh else "Li secondary cell", "size": 60, "field": 1, "x": 0.5, "y": -1.0},
                      {"id": "C01B25/14", "label": EVIL, "size": 10, "field": 2, "x": -1.0, "y": 0.8}],
                      "edges": [{"source": "H01M10/0562", "target": "H01M4/62", "weight": 3.0},
                                {"source": "H01M10/0562", "target": "H01M10/052", "weight": 5.0},
                                {"source": "C01B25/14", "target": "H01M10/0562", "weight": 1.0}]},
                  "note": None},
                 {"id": "heatmap", "title": "领域 × 地区" if zh else "Field × region", "kind": "field_region_heatmap",
                  "data": {"rows": ["电解质" if zh else "Electrolyte", "正极" if zh else "Cathode", "Separator"],
                           "columns": ["江苏" if zh else "Jiangsu", "广东" if zh else "Guangdong", "Beijing"],
                           "values": [[1.8, 0.9, None], [0.7, 1.3, 1.0], [1.1, 0.4, 0.8]],
                           "measure": "RCA"},
                  "note": None},
                 {"id": "gap", "title": "差距象限" if zh else "Gap quadrant", "kind": "gap_quadrant",
                  "data": {"points": [
                      {"label": "电解质" if zh else "Electrolyte", "rca": 1.8, "density": 0.42, "size": 120, "category": "优势" if zh else "strength"},
                      {"label": "正极" if zh else "Cathode", "rca": 0.7, "density": 0.55, "size": 80, "category": "机会" if zh else "opportunity"},
                      {"label": "Separator", "rca": 0.4, "density": 0.20, "size": 30, "category": "远离" if zh else "distant"},
                      {"label": "Packaging", "rca": 1.2, "density": 0.18, "size": 25, "category": "优势" if zh else "strength"}],
                      "x_label": "显示性比较优势 RCA" if zh else "Revealed comparative advantage (RCA)",
                      "y_label": "关联密度" if zh else "Relatedness density"},
                  "note": None},
             ]},
            {"id": "paths", "title": "发展路径" if zh else "Development paths",
             "paragraphs": [],
             "tables": [],
             "charts": [
                 {"id": "life-cycle", "title": "技术生命周期" if zh else "Technology life cycle", "kind": "life_cycle",
                  "data": {"years": years[:10], "applicants": [5, 7, 9, 14, 20, 28, 35, 41, 45, 47],
                           "applications": counts[:10]},
                  "note": None},
                 {"id": "main-path", "title": "主路径" if zh else "Main path", "kind": "main_path",
                  "data": {"nodes": [
                      {"id": "CN1", "label": "CN101 硫化物" if zh else "CN101 sulfide", "year": 2012},
                      {"id": "US2", "label": "US202 coating", "year": 2015},
                      {"id": "JP3", "label": "JP303 interface", "year": 2015},
                      {"id": "CN4", "label": "CN404 全固态" if zh else "CN404 all-solid", "year": 2019}],
                      "edges": [{"source": "CN1", "target": "US2", "weight": 2.0},
                                {"source": "CN1", "target": "JP3", "weight": 1.0},
                                {"source": "US2", "target": "CN4", "weight": 2.0},
                                {"source": "JP3", "target": "CN4", "weight": 1.0}]},
                  "note": None},
                 {"id": "main-path-empty", "title": "Main path (citations)", "kind": "main_path",
                  "data": {"nodes": [], "edges": []},
                  "note": "No citation data in the sources." if not zh else "数据源中没有引证数据。"},
             ]},
        ],
    }


def _chart_ids(report):
    return [c["id"] for s in report["sections"] for c in s["charts"]]


# ---- charts -------------------------------------------------------------------------------

@pytest.mark.parametrize("chart", [c for s in make_report()["sections"] for c in s["charts"]],
                         ids=lambda c: c["id"])
def test_each_chart_kind_has_data(chart):
    fig = charts.make_figure(chart, "en")
    if chart["data"].get("edges") == [] and chart["kind"] == "main_path":
        assert len(fig.layout.annotations) == 1
        assert fig.layout.annotations[0].text == chart["note"]
    else:
        assert len(fig.data) >= 1
        assert any(len(tr.x if tr.x is not None else tr.z) > 0 for tr in fig.data)


def test_trend_shades_incomplete_and_fits():
    data = make_report()["sections"][0]["charts"][0]["data"]
    fig = charts.trend(data)
    kinds = [tr.type for tr in fig.data]
    assert kinds == ["bar", "bar", "scatter"]
    assert list(fig.data[1].x) == [2022, 2023]
    assert fig.data[1].marker.pattern.shape == "/"


def test_figures_are_deterministic():
    for c in (c for s in make_report()["sections"] for c in s["charts"]):
        assert charts.make_figure(c).to_json() == charts.make_figure(c).to_json()


def test_unknown_kind_raises():
    with pytest.raises(ValueError):
        charts.make_figure({"id": "x", "kind": "pie", "data": {}})


# ---- HTML ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def html_en():
    return render_html(make_report("en"))


def test_html_self_contained(html_en):
    assert not re.search(r"<script[^>]*\bsrc\s*=", html_en, re.I)
    assert not re.search(r"<link[^>]*\bhref\s*=\s*[\"']?(https?:)?//", html_en, re.I)
    assert not re.search(r"<img[^>]*\bsrc\s*=\s*[\"']?(https?:)?//", html_en, re.I)
    assert "@import" not in html_en
    assert html_en.count("<script type=\"text/javascript\">/**") <= 1  # plotly.js embedded once
    assert len(html_en) > 1_000_000  # plotly.js is in the file


def test_html_contains_every_chart(html_en):
    for cid in _chart_ids(make_report()):
        assert f'data-chart-id="{cid}"' in html_en
    for cid in ["trend", "applicants", "network", "heatmap", "gap", "life-cycle", "main-path"]:
        assert f'id="chart-{cid}"' in html_en


def test_html_escapes_text(html_en):
    assert EVIL not in html_en
    assert "Battery &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; cell" in html_en
    assert "&lt;b&gt;markup&lt;/b&gt;" in html_en
    assert "<b>markup" not in html_en


def test_html_toc_and_meta(html_en):
    assert 'href="#sec-scope"' in html_en and 'id="sec-scope"' in html_en
    assert "2024-06-30" in html_en and "cnipa_export.xlsx" in html_en
    assert "Filings of the last 18 months" in html_en
    assert "Noto Sans CJK SC" in html_en and "Microsoft YaHei" in html_en


def test_html_byte_identical(tmp_path):
    a = write_html(make_report("zh"), tmp_path / "a.html").read_bytes()
    b = write_html(copy.deepcopy(make_report("zh")), tmp_path / "b.html").read_bytes()
    assert a == b
    text = a.decode("utf-8")
    assert '<html lang="zh-CN">' in text and "固态电池专利导航报告" in text


# ---- Markdown -----------------------------------------------------------------------------

def test_md_cell_escaping():
    assert escape_md_cell("a|b") == "a\\|b"
    assert escape_md_cell("x\ny") == "x<br>y"
    assert escape_md_cell("<script>") == "\\<script\\>"
    assert escape_md_cell(None) == "—"


def test_markdown_tables_and_images(tmp_path):
    report = make_report("en")
    md_path = write_markdown(report, tmp_path)
    text = md_path.read_text(encoding="utf-8")
    assert md_path.name == "report.md"
    assert "Toyota \\| Jidosha" in text
    assert "Line one<br>line two" in text
    assert "<script>" not in text
    table_lines = [ln for ln in text.splitlines() if ln.startswith("| ")]
    header_cols = table_lines[0].count(" | ")
    assert all(ln.replace("\\|", "").count(" | ") == header_cols for ln in table_lines[:3])
    images = re.findall(r"!\[[^\]]*\]\((images/[^)]+\.png)\)", text)
    assert len(images) == len(_chart_ids(report))  # kaleido is a dependency: every chart is a PNG
    for rel in images:
        assert (tmp_path / rel).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_markdown_degrades_to_notes_when_static_export_fails(tmp_path, monkeypatch):
    import patentnav.report.markdown as md

    def broken(fig):
        raise RuntimeError("no kaleido here")

    monkeypatch.setattr(md, "_png", broken)
    text = md.write_markdown(make_report("en"), tmp_path).read_text(encoding="utf-8")
    assert "![" not in text
    assert text.count("see the HTML report") == len(_chart_ids(make_report("en")))


def test_markdown_without_images_is_deterministic():
    r = make_report("zh")
    assert render_markdown(r, images=False) == render_markdown(copy.deepcopy(r), images=False)


def test_display_formats_shares_as_percentages():
    from patentnav.report.display import display_value

    assert display_value(0.502701, "share") == "50.3%"
    assert display_value(0.0184, "world_share") == "1.8%"
    assert display_value(9071, "documents") == "9,071"
    assert display_value(0.32073, "rca") == "0.321"
    assert display_value(float("nan"), "rca") is None
    assert display_value("text", "share") == "text"


def test_display_keeps_years_plain_and_growth_as_percent():
    from patentnav.report.display import display_value

    assert display_value(2016, "cohort_year") == "2016"
    assert display_value(2016, "year") == "2016"
    assert display_value(0.746, "growth") == "74.6%"
    assert display_value(-0.129, "world_growth") == "-12.9%"


def test_long_tables_fold_after_ten_rows():
    from patentnav.report.html import VISIBLE_ROWS, _table

    rows = [[i, f"US-{i}-B2"] for i in range(25)]
    html = _table({"id": "t", "title": "T", "columns": [{"key": "rank", "label": "Rank"},
                                                       {"key": "publication_number", "label": "No"}],
                   "rows": rows, "note": None}, "en", set())
    head, rest = html.split("<details", 1)
    assert head.count("<tr>") == VISIBLE_ROWS + 1  # header + visible rows
    assert rest.count("<tr>") == 25 - VISIBLE_ROWS + 1
    assert "Show the other 15 rows (of 25)" in rest
    assert '<td class="code">US-3-B2</td>' in html
    short = _table({"id": "s", "columns": [{"key": "a", "label": "A"}], "rows": [[1]] * 12, "note": None}, "en", set())
    assert "<details" not in short


def test_number_headers_align_over_their_numbers_and_short_labels_stay_on_one_line():
    from patentnav.report.html import _table

    html = _table({"id": "t", "columns": [{"key": "market", "label": "市场"}, {"key": "n", "label": "文献数"},
                                          {"key": "action", "label": "建议措施"}],
                   "rows": [["US", 6073, "权利要求比对"], ["DE", None, "跟踪审查"]]}, "zh", set())
    assert "num\">文献数</th>" in html and "market\">市场</th>" in html
    assert '<td class="short">权利要求比对</td>' in html


def test_publication_numbers_stay_on_one_line_in_html_only():
    """A publication number is never broken at its hyphens (US-⏎9513635-B1): a no-break span
    around it in paragraphs, summary items and text/list cells; the data are unchanged."""
    rep = make_report("en")
    pubs = ["US-9513635-B1", "CN-111650000-A", "US-20170247120-A1"]
    rep["meta"]["summary"] = {"title": "Summary", "paragraphs": [f"Riskiest: {pubs[0]} (medium)."]}
    rep["sections"][0]["paragraphs"] = [f"Key patent {pubs[1]}; region CN-GD-Shenzhen."]
    rep["sections"][0]["tables"] = [{"id": "kp", "title": "Key patents", "note": None,
                                     "columns": [{"key": "key_patents", "label": "Key patents"}, {"key": "publication_number", "label": "No."}],
                                     "rows": [[f"{pubs[2]} (2.8 years); {pubs[0]} (15.0 years)", pubs[1]]]}]
    before = copy.deepcopy(rep)
    html = render_html(rep)
    assert rep == before
    for p in pubs:
        assert f'<span class="pn">{p}</span>' in html
    assert '<td class="code">CN-111650000-A</td>' in html  # the publication-number column stays one cell
    assert '<span class="pn">CN-GD' not in html  # region keys are no publication numbers
    assert ".pn { white-space: nowrap; }" in html
    md = render_markdown(rep, images=False)
    assert 'class="pn"' not in md and pubs[2] in md  # Markdown keeps the plain text


def test_empty_table_shows_its_title_and_note_without_a_bare_header():
    """A table with no rows (e.g. no located local leader) reads as its title and the note saying why."""
    report = make_report("en")
    report["sections"][0]["charts"] = []
    report["sections"][0]["tables"] = [{"id": "local_leaders", "title": "Local leaders in Jiangsu",
                                        "columns": [{"key": "applicant", "label": "Applicant"},
                                                    {"key": "patents", "label": "Patents"}],
                                        "rows": [], "note": "No applicant has location evidence."}]
    html = render_html(report)
    block = html[html.index("<caption>Local leaders in Jiangsu"):]
    block = block[:block.index("</div>")]
    assert "<th" not in block
    assert "No applicant has location evidence." in html
    md = render_markdown(report)
    assert "**Local leaders in Jiangsu**" in md and "| Applicant |" not in md
    assert "*No applicant has location evidence.*" in md


def test_markdown_shows_control_characters_as_escapes():
    """A name carrying terminal escapes reaches report.md as visible text (``\\x1b``), never
    as raw control characters that `cat report.md` would execute."""
    from patentnav.report.markdown import escape_md_cell, escape_md_text

    name = "\x1b[31mEVIL\x1b[0m Co\u202eLtd"
    for s in (escape_md_text(name), escape_md_cell(name)):
        assert "\x1b" not in s and "\u202e" not in s
        assert "\\\\x1b" in s and "EVIL" in s
    assert escape_md_cell("a\nb") == "a<br>b"
