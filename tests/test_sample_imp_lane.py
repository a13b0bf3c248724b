"""imp lane (issue 16, sample report start-up and writers): each rewritten function against
its former definition (copied here as the oracle), on random inputs and edge cases."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest


# ------------------------------------------------------------------ field-map layout without networkx
# (direction._field_layout is checked against networkx bit for bit in tests/test_sample_rows_lane.py)

def test_sample_report_imports_no_networkx():
    """The report's field map is laid out without networkx (its import cost 0.15-0.25 s)."""
    code = ("import sys, patentnav\nfrom patentnav.report.direction import _field_layout\nimport numpy as np\n"
            "W = np.array([[0, 2, 1], [2, 0, 0], [1, 0, 0]], float)\n"
            "_field_layout(W, W, *np.nonzero(np.triu(W, 1)))\nprint('networkx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# ------------------------------------------------------------------ the sample is read without pyarrow.dataset

def _parquet_bytes(table) -> bytes:
    """A table as ``patentnav.datasets.cache._store`` writes it."""
    import io

    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", write_page_checksum=True, use_compliant_nested_type=False)
    return buf.getvalue()


def test_cached_corpus_reads_as_read_table_did(drones):
    """``datasets.cache._load`` reads with ``ParquetFile.read`` (no pyarrow.dataset): the same
    table, schema metadata included, as the former ``pq.read_table``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = drones.table
    cases = [table, table.slice(0, 0), table.slice(3, 1), table.slice(0, 200)]
    nulls = pa.table({"a": pa.array([None, 1, None], pa.int64()), "b": pa.array([None, ["x"], []], pa.list_(pa.string()))},
                     metadata={b"k": b"v"})
    for t in cases + [nulls]:
        data = _parquet_bytes(t)
        old = pq.read_table(pa.BufferReader(data), page_checksum_verification=True, use_threads=False)
        new = pq.ParquetFile(pa.BufferReader(data), page_checksum_verification=True).read(use_threads=False)
        assert new.equals(old) and new.schema.equals(old.schema, check_metadata=True)


def test_cached_sample_loads_without_pyarrow_dataset(drones):
    code = ("import sys, patentnav\nc = patentnav.datasets.drones()\nfrom patentnav.engine import Engine\n"
            "print(len(c), 'pyarrow.dataset' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(len(drones)), "False"]


# ------------------------------------------------------------------ Markdown: the text made before the PNGs are waited for

def _render_markdown_oracle(report, out_dir=None, images=True, figures=None, pngs=None) -> str:
    """The former ``patentnav.report.markdown.render_markdown`` (images fetched chart by chart)."""
    from pathlib import Path

    from patentnav.report import markdown as M
    from patentnav.report.charts import Figures

    meta = report.get("meta") or {}
    lang = "zh" if meta.get("lang") == "zh" else "en"
    figures = figures if figures is not None else Figures(lang)
    lines = [f"# {M.escape_md_text(meta.get('title') or 'patentnav report')}", ""]
    summ = meta.get("summary") or {}
    if summ.get("paragraphs") or summ.get("tables"):
        lines += [f"## {M.escape_md_text(summ.get('title') or M._l('summary', lang))}", ""]
        lines += [f"- {M.escape_md_text(p)}" for p in summ.get("paragraphs") or []] + [""]
        for t in summ.get("tables") or []:
            lines += M._table(t)
    lines += [f"## {M._l('about', lang)}", ""]
    facts = [(k, M.escape_md_text(v)) for k, v in M.meta_facts(meta, lang)]
    lines += [f"- **{k}**: {v}" for k, v in facts] + [""]
    if meta.get("caveats"):
        lines += [f"**{M._l('caveats', lang)}**", ""]
        lines += [f"- {M.escape_md_text(c)}" for c in meta["caveats"]] + [""]
    img_dir = Path(out_dir) / "images" if out_dir is not None else None
    used: set = set()
    export_error = None
    for s in report.get("sections") or []:
        lines += [f"## {M.escape_md_text(s.get('title', ''))}", ""]
        for p in s.get("paragraphs") or []:
            lines += [M.escape_md_text(p), ""]
        for c in s.get("charts") or []:
            title = M.escape_md_text(c.get("title") or c.get("id", ""))
            lines += [f"### {title}", ""]
            stem = M._file_stem(c.get("id", "chart"), used)
            ok = False
            if img_dir is not None and images and export_error is None:
                try:
                    png = pngs.get(c) if pngs is not None else M._png(figures(c))
                    if isinstance(png, Exception) or png is None:
                        raise png if isinstance(png, Exception) else RuntimeError("not exported")
                except Exception as exc:
                    export_error = f"{type(exc).__name__}"
                else:
                    img_dir.mkdir(parents=True, exist_ok=True)
                    (img_dir / f"{stem}.png").write_bytes(png)
                    ok = True
            if ok:
                alt = title.replace("]", "").replace("[", "")
                lines += [f"![{alt}](images/{stem}.png)", ""]
            elif images:
                lines += [f"> {M._l('no_image', lang, err=export_error or 'no output directory')}", ""]
            if c.get("note"):
                lines += [f"*{M.escape_md_text(c['note'])}*", ""]
        for t in s.get("tables") or []:
            lines += M._table(t)
    return "\n".join(lines).rstrip("\n") + "\n"


class _FakePngs:
    """A finished PNG export: ``outcome(k)`` for the k-th chart asked (bytes, an exception or None)."""

    def __init__(self, outcome):
        self.outcome, self.asked = outcome, []

    def get(self, chart):
        self.asked.append(chart.get("id"))
        return self.outcome(len(self.asked) - 1)


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", ["all", "fails_at_2", "none_at_0", "no_images", "no_folder"])
def test_render_markdown_matches_former(landscape_reports, tmp_path, case):
    from patentnav.report.markdown import render_markdown

    outcome = {"all": lambda k: b"PNG%d" % k, "fails_at_2": lambda k: RuntimeError("x") if k == 2 else b"P%d" % k,
               "none_at_0": lambda k: None if k == 0 else b"Q", "no_images": lambda k: b"R", "no_folder": lambda k: b"S"}[case]
    for lang, report in landscape_reports.items():
        runs = []
        for name, fn in (("new", render_markdown), ("old", _render_markdown_oracle)):
            folder = tmp_path / f"{lang}-{name}"
            folder.mkdir()
            pngs = _FakePngs(outcome)
            text = fn(report, None if case == "no_folder" else folder, images=case != "no_images", pngs=pngs)
            runs.append((text, _files(folder), pngs.asked))
        assert runs[0] == runs[1]
        assert "### " in runs[0][0]


def test_render_markdown_edge_cases(tmp_path):
    """No sections, a section without charts, a chart without title or note."""
    from patentnav.report.markdown import render_markdown

    reports = [{"meta": {"lang": "en"}, "sections": []},
               {"meta": {"lang": "zh", "title": "T"}, "sections": [{"title": "S", "paragraphs": ["p"], "tables": []}]},
               {"meta": {}, "sections": [{"title": "S", "charts": [{"id": "a b"}, {"id": "a b", "note": "n"}],
                                           "tables": [{"columns": [{"key": "k", "label": "K"}], "rows": [[1], [None]]}]}]}]
    for i, report in enumerate(reports):
        for images in (True, False):
            a, b = tmp_path / f"{i}{images}a", tmp_path / f"{i}{images}b"
            a.mkdir()
            b.mkdir()
            new = render_markdown(report, a, images=images, pngs=_FakePngs(lambda k: b"x"))
            old = _render_markdown_oracle(report, b, images=images, pngs=_FakePngs(lambda k: b"x"))
            assert new == old and _files(a) == _files(b)


# ------------------------------------------------------------------ figure dicts: fewer copies, the same dicts

def _containers(obj, out):
    if isinstance(obj, dict):
        out.add(id(obj))
        for v in obj.values():
            _containers(v, out)
    elif isinstance(obj, list):
        out.add(id(obj))
        for v in obj:
            _containers(v, out)
    return out


def test_figure_dicts_hold_nothing_of_the_report_nor_of_each_other(landscape_reports):
    """``_figure_dict`` no longer deep-copies a figure it builds (nor the template with
    ``deepcopy``): the dicts are the former ones, and still share no list or dict with the
    report model or with one another."""
    import copy

    from patentnav.report import charts as C

    for lang, report in landscape_reports.items():
        lang = "zh" if lang == "zh" else "en"
        figures = C.Figures(lang)
        charts = C.report_charts(report)
        model = _containers(report, set())
        seen: set = set()
        for chart in charts:
            d = figures(chart)
            token = C._DEFER_TEMPLATE.set(True)
            try:
                fig = C.make_figure(chart, lang)
                old = fig.to_dict()  # the former: copies of the figure's dicts
                old["layout"]["template"] = copy.deepcopy(C._template_dict())
            finally:
                C._DEFER_TEMPLATE.reset(token)
            assert json.dumps(d) == json.dumps(old) and d == old
            mine = _containers(d, set())
            assert not (mine & model) and not (mine & seen)
            seen |= mine


def test_light_figure_to_dict_without_copies():
    from patentnav.report import figure_dicts as F

    fig = F.Figure()
    fig.add_trace(F.Scatter(x=[1, 2], y=[3, 4], marker={"color": "red"}))
    fig.update_layout(title_text="t", xaxis={"range": [0, 1]})
    a, b = fig.to_dict(), fig.to_dict(copies=False)
    assert a == b and json.dumps(a) == json.dumps(b)
    assert b["layout"] is fig._layout and a["layout"] is not fig._layout
    assert F.Figure().to_dict(copies=False) == {"data": [], "layout": {}}


def test_template_copy_is_deepcopy():
    import copy

    from patentnav.report.charts import _template_copy, _template_dict

    a, b = _template_copy(), copy.deepcopy(_template_dict())
    assert a == b and json.dumps(a) == json.dumps(b) and a is not _template_dict()
    assert _template_copy() is not a


# ------------------------------------------------------------------ exit: everything frozen once

def test_freeze_imports_registers_one_freeze_at_exit(monkeypatch):
    import atexit
    import gc

    from patentnav.cli.common import freeze_imports

    registered: list = []
    monkeypatch.setattr(atexit, "register", lambda fn: registered.append(fn) or fn)
    monkeypatch.setattr(atexit, "unregister", lambda fn: registered.remove(fn) if fn in registered else None)
    try:
        freeze_imports()
        freeze_imports()
        assert registered == [gc.freeze]
    finally:
        gc.unfreeze()


# ------------------------------------------------------------------ HTML: plotly.js written as the bytes of its file

def _render_html_oracle(report, figures=None):
    """The former ``patentnav.report.html.render_html`` (plotly.js decoded and joined in)."""
    from patentnav.report.charts import Figures
    from patentnav.report.html import _chart, _css, _l, _meta, _pn, _slug, _summary, _table, esc, unique_name
    from plotly.offline import get_plotlyjs

    meta = report.get("meta") or {}
    lang = "zh" if meta.get("lang") == "zh" else "en"
    figures = figures if figures is not None else Figures(lang)
    title = meta.get("title") or "patentnav report"
    used: set = {"about", "toc", "summary"}
    sections = report.get("sections") or []
    sec_ids = [unique_name(_slug(s.get("id", "section"), "sec"), used) for s in sections]

    toc = ['<nav class="toc" id="toc">', f"<h2>{esc(_l('contents', lang))}</h2>", "<ul>"]  # titles carry their numbers
    summary = _summary(meta, lang, used)
    if summary:
        toc.append(f'<li><a href="#summary">{esc((meta.get("summary") or {}).get("title") or _l("summary", lang))}</a></li>')
    toc.append(f'<li><a href="#about">{esc(_l("about", lang))}</a></li>')
    for sid, s in zip(sec_ids, sections):
        toc.append(f'<li><a href="#{esc(sid)}">{esc(s.get("title", s.get("id", "")))}</a></li>')
    toc += ["</ul>", "</nav>"]

    body: list = []
    for sid, s in zip(sec_ids, sections):
        body.append(f'<section id="{esc(sid)}">')
        body.append(f"<h2>{esc(s.get('title', ''))}</h2>")
        for p in s.get("paragraphs") or []:
            body.append(f"<p>{_pn(esc(p))}</p>")
        for c in s.get("charts") or []:  # charts first: the picture, then the numbers behind it
            body.append(_chart(c, lang, used, figures))
        for t in s.get("tables") or []:
            body.append(_table(t, lang, used))
        body.append("</section>")

    sub = " · ".join(esc(x) for x in (meta.get("region"), meta.get("cutoff")) if x)
    html_lang = "zh-CN" if lang == "zh" else "en"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{html_lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{esc(meta.get("generator", "patentnav"))}">',
        f"<title>{esc(title)}</title>",
        f"<style>{_css(lang)}</style>",
        '<script type="text/javascript">' + get_plotlyjs() + "</script>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="sub">{sub}</p>' if sub else "",
        "</header>",
        summary,
        "\n".join(toc),
        _meta(meta, lang),
        "\n".join(body),
        f"<footer>{esc(meta.get('generator', 'patentnav'))}</footer>",
        "</main>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(p for p in parts if p != "")


def test_write_html_matches_former(landscape_reports, tmp_path):
    from patentnav.report.charts import Figures
    from patentnav.report.html import render_html, write_html

    for lang, report in landscape_reports.items():
        figures = Figures("zh" if lang == "zh" else "en")
        old = _render_html_oracle(report, figures)
        assert render_html(report, figures) == old
        path = write_html(report, tmp_path / f"{lang}.html", figures=figures)
        assert path.read_bytes() == old.encode("utf-8")


def test_write_html_edge_cases(tmp_path):
    """No sections, no summary, no region or cut-off (an empty subtitle is left out)."""
    from patentnav.report.html import render_html, write_html

    for i, report in enumerate([{"meta": {}, "sections": []},
                                {"meta": {"lang": "zh", "title": "<T>", "region": "CN"},
                                 "sections": [{"id": "s", "title": "S", "paragraphs": ["US-9513635-B1"], "tables": []}]}]):
        old = _render_html_oracle(report)
        assert render_html(report) == old
        assert write_html(report, tmp_path / f"{i}.html").read_bytes() == old.encode("utf-8")
