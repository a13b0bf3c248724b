"""Hostile data in the HTML reports (issue 13, item 9): plotly renders a subset of HTML in
chart text, so an applicant named ``<a href="https://evil.example/phish">`` became a live
link in the landscape report's applicant legend and the warning report's hover. Every
string from data is now escaped for plotly (``patentnav.safety.escape_plotly``).

Two layers of tests: the figures of every chart kind carry no markup from data (fast, every
run), and a headless-Chromium DOM test renders both reports with hostile data and checks
the DOM for links, scripts, images and event handlers from data (where Chromium is
installed: CI and the project machine; skipped with the reason elsewhere).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import patentnav
from patentnav.report.charts import CHART_KINDS, make_figure

EVIL_LINK = '<a href="https://evil.example/phish">Click me</a>'
EVIL_IMG = '<img src=x onerror="document.title=1">'
EVIL_SCRIPT = "<script>document.title='pwned'</script>"
EVIL_SPAN = '<span style="font-size:90px">BIG</span><br>'
HOSTILE = [EVIL_LINK, EVIL_IMG, EVIL_SCRIPT, EVIL_SPAN]


def _sample_data(label: str) -> dict:
    """Chart data of every kind, with ``label`` in every text slot."""
    return {
        "trend": {"years": [2015, 2016], "counts": [1, 2], "incomplete": [False, True], "label_x": label, "label_y": label},
        "applicants_over_time": {"years": [2015, 2016], "series": [{"name": label, "counts": [1, 2]}]},
        "field_network": {"nodes": [{"id": 0, "field": 0, "label": label, "size": 3, "x": 0, "y": 0},
                                    {"id": 1, "field": 1, "label": label, "size": 2, "x": 1, "y": 1}],
                          "edges": [{"source": 0, "target": 1, "strength": 1}]},
        "field_region_heatmap": {"rows": [label], "columns": [label], "values": [[1.5]], "measure": label},
        "gap_quadrant": {"points": [{"label": label, "rca": 0.5, "density": 0.2, "size": 3, "category": label}],
                         "x_label": label, "y_label": label},
        "life_cycle": {"years": [2015, 2016], "applicants": [1, 2], "applications": [3, 4]},
        "main_path": {"nodes": [{"id": "a", "label": label, "year": 2015}, {"id": "b", "label": label, "year": 2016}],
                      "edges": [{"source": "a", "target": "b"}]},
        "risk_matrix": {"points": [{"label": label, "holder": label, "status": label, "grade": "high", "relevance": 0.5,
                                    "strength": 0.5, "risk": 60}], "x_label": label, "y_label": label},
        "expiry_timeline": {"items": [{"label": label, "expiry": "2030-01-01", "grade": "high", "risk": 60}],
                            "as_of": "2026-01-01", "as_of_label": label, "launch": "2027-01-01", "launch_label": label},
        "fee_timeline": {"years": [2020, 2021], "series": [{"name": label, "amounts": [1, 2]}], "currency": label,
                         "y_label": label},
        "value_distribution": {"bins": [0, 0.5, 1], "cohort": [0.5, 0.5], "portfolio": [0.2, 0.8], "cohort_label": label,
                               "portfolio_label": label, "x_label": label, "y_label": label},
        "decision_matrix": {"points": [{"value": 0.5, "interest": 0.5, "decision": "keep", "decision_label": label,
                                        "label": label, "fees": 10}], "x_label": label, "y_label": label},
        "quality_quantity": {"points": [{"label": label, "documents": 12, "estimate": 1.1, "lo": 0.9, "hi": 1.3,
                                         "ranked": True}], "world": 1.0, "x_label": label, "y_label": label,
                             "ranked_label": label, "listed_label": label},
    }


def _texts(fig) -> list[str]:
    """Every string a figure shows that can come from data (not our hover templates)."""
    out: list[str] = []

    def walk(v):
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
        elif hasattr(v, "tolist"):
            walk(v.tolist())

    for tr in fig.data:
        for attr in ("name", "text", "customdata", "x", "y", "labels", "ids"):
            walk(getattr(tr, attr, None))
        cb = getattr(getattr(tr, "colorbar", None), "title", None)
        walk(getattr(cb, "text", None))
    for a in fig.layout.annotations or ():
        walk(a.text)
    for ax in (fig.layout.xaxis, fig.layout.yaxis):
        walk(ax.title.text)
        walk(ax.ticktext)
    return out


@pytest.mark.parametrize("kind", sorted(CHART_KINDS))
def test_every_chart_kind_escapes_data(kind):
    for label in HOSTILE:
        fig = make_figure({"kind": kind, "data": _sample_data(label)[kind], "note": label}, "en")
        texts = _texts(fig)
        assert not [t for t in texts if "<" in t or ">" in t], kind
        if kind != "life_cycle":
            assert any("&lt;" in t for t in texts), kind  # the label is there, as text


@settings(max_examples=40)
@given(st.lists(st.sampled_from(list("<>&;\"'=/ abhrefspnitg:.") + ["<a href=", "<br>", "&lt;", "</"]), max_size=20).map("".join),
       st.sampled_from(sorted(CHART_KINDS)))
def test_any_label_in_any_chart(label, kind):
    fig = make_figure({"kind": kind, "data": _sample_data(label)[kind], "note": label}, "en")
    assert not [t for t in _texts(fig) if "<" in t or ">" in t]


_TAGS = st.lists(st.sampled_from(["<a href='https://evil.example'>", "</a>", "<script>", "</script>", "<img src=x onerror=f()>",
                                  "<br>", "<b>", "&lt;", "&amp;", "]]>", "<!--", "-->", "`", "*", "|", "[x](javascript:f)",
                                  "\n", "=1+1", "文字", "a"]), max_size=12).map("".join)


@settings(max_examples=8)
@given(_TAGS)
def test_html_and_markdown_renderers_keep_data_as_text(text):
    """Any text in the title, a paragraph, a table cell and a chart legend: the HTML page has
    no element, attribute or script from it, and the Markdown no raw tag from it."""
    from plotly.offline import get_plotlyjs

    from patentnav.report.html import render_html
    from patentnav.report.markdown import render_markdown
    from test_report_render import make_report

    def with_text(t):
        r = make_report("en")
        r["meta"]["title"] = t
        sec = r["sections"][0]
        sec["paragraphs"] = [t]
        sec["tables"][0]["rows"][0][0] = t
        for ch in sec["charts"]:
            if ch["kind"] == "applicants_over_time":
                ch["data"]["series"][0]["name"] = t
        return r

    def elements(html):
        d = _Dom()
        d.feed(html.replace(get_plotlyjs(), ""))
        return d

    base, hostile = elements(render_html(with_text("plain"))), elements(render_html(with_text(text)))
    assert hostile.scripts == base.scripts and not hostile.handlers and not hostile.images and hostile.links == base.links
    raw_tag = re.compile(r"(?<!\\)<(?:a|script|img|b)\b")  # a tag not escaped as \<
    md = render_markdown(with_text(text), images=False)
    assert len(raw_tag.findall(md)) == len(raw_tag.findall(render_markdown(with_text("plain"), images=False)))


# --- headless browser ---------------------------------------------------------------------------

CHROMIUM = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome", "chrome") if shutil.which(b)), None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium): "
                                                              "the DOM of the HTML reports is checked where it is installed")


def _hostile_corpus() -> patentnav.Corpus:
    c = patentnav.datasets.drones()
    t = c.table.slice(0, 3000)
    apps = t["applicants"].to_pylist()
    titles = t["title"].to_pylist()
    for i in range(len(apps)):
        if apps[i]:
            apps[i] = [EVIL_LINK + " " + apps[i][0]] + apps[i][1:]
        if i % 3 == 0:
            titles[i] = f"{HOSTILE[(i // 3) % len(HOSTILE)]} {titles[i] or ''}"
    t = t.set_column(t.schema.get_field_index("applicants"), "applicants", pa.array(apps, t.schema.field("applicants").type))
    t = t.set_column(t.schema.get_field_index("title"), "title", pa.array(titles, pa.string()))
    return patentnav.Corpus(t)


class _Dom(HTMLParser):
    """Links, scripts, images, event-handler attributes, the title, and the text inside the
    charts' SVG of a dumped DOM."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.scripts, self.images, self.handlers = [], 0, [], []
        self.svg_text, self.title, self.plotly_svgs = [], "", 0
        self._svg = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a":
            self.links.append(a.get("href") or a.get("xlink:href"))
        elif tag == "script":
            self.scripts += 1
        elif tag == "img":
            self.images.append(a.get("src"))
        elif tag == "svg":
            self._svg += 1
            self.plotly_svgs += "main-svg" in (a.get("class") or "")
        elif tag == "title" and not self._svg:
            self._in_title = True
        self.handlers += [(tag, k) for k in a if k.lower().startswith("on")]

    def handle_endtag(self, tag):
        if tag == "svg":
            self._svg -= 1
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._svg:
            self.svg_text.append(data)
        if self._in_title:
            self.title += data


def _dom(html_path: Path) -> _Dom:
    with tempfile.TemporaryDirectory() as profile:
        r = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            f"--user-data-dir={profile}", "--virtual-time-budget=15000", "--dump-dom", html_path.as_uri()],
                           capture_output=True, timeout=180, env={**os.environ, "LANG": "C.UTF-8"})
    assert r.returncode == 0, r.stderr.decode(errors="replace")[-2000:]
    d = _Dom()
    d.feed(r.stdout.decode("utf-8"))
    return d


#: Shows the hover label of every chart's first point (hovers are where the warning report
#: put holder names), so the DOM dump holds them.
_HOVER = """<script>
window.addEventListener("load", function () { setTimeout(function () {
  document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
    try { Plotly.Fx.hover(gd, [{curveNumber: 0, pointNumber: 0}]); } catch (e) {}
  });
}, 300); });
</script>"""


def _check(html_path: Path, title: str) -> None:
    hovered = html_path.with_name(html_path.stem + "-hover.html")
    hovered.write_text(html_path.read_text(encoding="utf-8").replace("</body>", _HOVER + "</body>"), encoding="utf-8")
    source = hovered.read_text(encoding="utf-8")
    d = _dom(hovered)
    assert d.plotly_svgs > 0, "plotly did not render: nothing was checked"
    assert not [h for h in d.links if h and "evil.example" in h], "a live link from data"
    assert not [s for s in d.images if s == "x"], "an image from data"
    assert not d.handlers, f"event handlers in the DOM: {d.handlers[:5]}"
    assert d.scripts == source.count("<script"), "a script element from data"
    assert d.title == title, "a script from data ran (it sets document.title)"
    svg = " ".join(d.svg_text)
    assert '<a href="https://evil.example/phish">' in svg  # the hostile name shows in a chart (legend, hover), as text


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory):
    from patentnav.report import build_landscape_report
    from patentnav.report.html import write_html
    from patentnav.report.warn_model import build_warning_report
    from patentnav.warning import ProductProfile, screen

    out = tmp_path_factory.mktemp("dom")
    c = _hostile_corpus()
    land = build_landscape_report(c, region="CN", lang="en")
    write_html(land, out / "landscape.html")
    profile = ProductProfile(name=EVIL_LINK + " drone", features=["foldable rotor arms", "camera gimbal"],
                             keywords=["unmanned aerial vehicle", "drone"], markets=["US"])
    warn = build_warning_report(screen(c.harmonize_applicants(), profile, as_of="2018-01-01"), lang="en")
    write_html(warn, out / "warning.html")
    return (out / "landscape.html", land), (out / "warning.html", warn)


@needs_chromium
def test_landscape_report_dom_has_no_markup_from_data(hostile_reports):
    path, report = hostile_reports[0]
    _check(path, report["meta"]["title"])


@needs_chromium
def test_warning_report_dom_has_no_markup_from_data(hostile_reports):
    path, report = hostile_reports[1]
    _check(path, report["meta"]["title"])
