"""Render a report model (see the report contract) as one self-contained offline HTML file.

* plotly.js is embedded once in a ``<script>`` (no CDN, no network access needed);
* every text value of the model is escaped with :func:`patentnav.safety.escape_html`;
* the output is deterministic: the same model gives byte-identical HTML (plotly div ids
  are derived from the chart ids; no timestamps or random ids are written).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from patentnav.safety import escape_html as esc

from .charts import Figures
from .display import display_value, meta_facts
from .fonts import font_stack
from .labels import L
from .parts import unique_name

__all__ = ["render_html", "write_html", "chart_div_id"]


_CSS = """
:root { --fg:#1f2933; --muted:#5f6b7a; --line:#d9dee5; --accent:#0b5cad; --bg:#ffffff; --soft:#f5f7fa; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin:0; background:var(--bg); color:var(--fg); font-family: FONTS; font-size:16px; line-height:1.65; }
main { max-width: 1240px; margin: 0 auto; padding: 32px 28px 64px; }
header h1 { font-size: 1.9rem; line-height:1.3; margin: 0 0 .3rem; }
header .sub { color: var(--muted); margin: 0 0 1.2rem; }
h2 { font-size: 1.4rem; border-bottom: 2px solid var(--line); padding-bottom: .3rem; margin: 2.4rem 0 1rem; }
h3 { font-size: 1.1rem; margin: 1.6rem 0 .5rem; }
p { margin: .5rem 0 .9rem; }
nav.toc { background: var(--soft); border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1.2rem; margin: 1rem 0 1.5rem; }
nav.toc h2 { border: 0; font-size: 1rem; margin: 0 0 .3rem; padding: 0; }
nav.toc ul { margin: 0; padding-left: 1.2rem; list-style: none; }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
section.summary { border: 1px solid var(--line); border-left: 5px solid var(--accent); border-radius: 8px; padding: .4rem 1.2rem .8rem; margin: 1rem 0 1.5rem; }
section.summary h2 { border: 0; margin: .6rem 0 .4rem; padding: 0; font-size: 1.25rem; }
section.summary ul { margin: .2rem 0 .6rem; padding-left: 1.2rem; }
section.summary li { margin: .25rem 0; }
section.meta { background: var(--soft); border: 1px solid var(--line); border-radius: 8px; padding: .6rem 1.2rem 1rem; }
section.meta h2 { margin-top: .6rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1.2rem; margin: .5rem 0 1rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
ul.caveats li { margin: .2rem 0; }
.table-wrap { overflow-x: auto; margin: .4rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; background: #fff; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .6rem; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { text-align: right; }
td.short { white-space: nowrap; }
td.na { text-align: center; color: var(--muted); }
table.wide { font-size: .82rem; }
table.wide th, table.wide td { padding: .3rem .4rem; }
table.wide th { white-space: normal; }  /* many columns: headers wrap so the table fits the page */
th.col-k-title { min-width: 13em; }
td.code { white-space: nowrap; font-variant-numeric: tabular-nums; }
.pn { white-space: nowrap; }
details.more summary { cursor: pointer; color: var(--accent); margin: .3rem 0; font-size: .92rem; }
tbody tr:nth-child(even) td { background: #fafbfc; }
figure.chart { margin: 1.2rem 0 1.6rem; border: 1px solid var(--line); border-radius: 8px; padding: .6rem .8rem; overflow-x: auto; }
figure.chart figcaption { font-weight: 600; margin-bottom: .3rem; }
.note { color: var(--muted); font-size: .9rem; margin: .3rem 0 0; }
footer { color: var(--muted); font-size: .85rem; margin-top: 3rem; border-top: 1px solid var(--line); padding-top: .8rem; }
@media print { nav.toc { display:none; } figure.chart { break-inside: avoid; } }
"""


def _css(lang: str) -> str:
    """The style sheet with the report language's CJK-capable font stack."""
    return _CSS.replace("FONTS", font_stack(lang))


def _l(key: str, lang: str, **kw: Any) -> str:
    return L("r." + key, lang, **kw)


def _slug(value: Any, prefix: str) -> str:
    s = re.sub(r"[^A-Za-z0-9_-]+", "-", str(value)).strip("-")
    return f"{prefix}-{s or 'x'}"


def chart_div_id(chart_id: Any) -> str:
    """The deterministic HTML id of a chart's plotly div."""
    return _slug(chart_id, "chart")


def _cell(value: Any, key: str | None = None) -> str:
    if isinstance(value, float) and value != value:  # NaN
        value = None
    if value is None:
        return '<td class="na">—</td>'
    if isinstance(value, bool):
        return f"<td>{esc(value)}</td>"
    if isinstance(value, (int, float)):
        return f'<td class="num">{esc(display_value(value, key))}</td>'
    if isinstance(value, (list, tuple)):
        return "<td>" + _pn(esc("; ".join("" if v is None else str(v) for v in value))) + "</td>"
    if key == "publication_number" or (key or "").endswith("_date"):
        return f'<td class="code">{esc(value)}</td>'
    if len(str(value)) <= SHORT_TEXT:  # a grade, category or action: never broken over two lines
        return f'<td class="short">{esc(value)}</td>'
    return f"<td>{_pn(esc(value))}</td>"


#: A publication number in running text or a list (US-9513635-B1, CN-111650000-A).
_PUB = re.compile(r"\b[A-Z]{2}-[0-9][0-9A-Z]{3,}(?:-[A-Z][0-9]?)?\b")


def _pn(escaped: str) -> str:
    """Escaped text with each publication number kept on one line (never broken at its
    hyphens); the data values themselves are unchanged."""
    return _PUB.sub(r'<span class="pn">\g<0></span>', escaped)


#: Text cells up to this many characters stay on one line (categories, grades, actions).
SHORT_TEXT = 8


def _numeric_columns(rows: list, n: int) -> list[bool]:
    """Columns whose values are all numbers (or missing), at least one present: their
    headers align right, over the numbers."""
    out = []
    for i in range(n):
        vals = [r[i] for r in rows if i < len(r) and r[i] is not None]
        out.append(bool(vals) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals))
    return out


#: Rows shown before a long table folds the rest into a <details> element.
VISIBLE_ROWS = 10


def _table(table: dict[str, Any], lang: str, used: set[str]) -> str:
    """A table; beyond :data:`VISIBLE_ROWS` rows the rest folds away under "show the other n rows"."""
    tid = unique_name(_slug(table.get("id", "table"), "table"), used)
    cols = table.get("columns") or []
    keys = [c.get("key") for c in cols]
    numeric = _numeric_columns(list(table.get("rows") or []), len(cols))
    head = ("<thead><tr>" + "".join(f'<th class="col-{esc(_slug(c.get("key", ""), "k"))}{" num" if num else ""}">'
                                    f"{esc(c.get('label', c.get('key', '')))}</th>" for c, num in zip(cols, numeric))
            + "</tr></thead>")

    def body(rows: list) -> str:
        return "<tbody>" + "".join(
            "<tr>" + "".join(_cell(v, keys[i] if i < len(keys) else None) for i, v in enumerate(row)) + "</tr>"
            for row in rows) + "</tbody>"

    rows = list(table.get("rows") or [])
    fold = len(rows) > VISIBLE_ROWS + 2  # never fold just one or two rows
    shown, rest = (rows[:VISIBLE_ROWS], rows[VISIBLE_ROWS:]) if fold else (rows, [])
    wide = ' class="wide"' if len(cols) > 9 else ""
    out = [f'<div class="table-wrap"><table id="{esc(tid)}"{wide}>']
    if table.get("title"):
        out.append(f"<caption>{esc(table['title'])}</caption>")
    out.append((head if rows else "") + body(shown) + "</table>")  # an empty table: its title and note, no bare header
    if rest:
        out.append(f'<details class="more"><summary>{esc(_l("more_rows", lang, n=len(rest), total=len(rows)))}</summary>'
                   f'<table class="rest{" wide" if wide else ""}">{head}{body(rest)}</table></details>')
    out.append("</div>")
    if table.get("note"):
        out.append(f'<p class="note">{esc(table["note"])}</p>')
    return "\n".join(out)


def _chart(chart: dict[str, Any], lang: str, used: set[str], figures: Figures) -> str:
    import plotly.io as pio

    div_id = unique_name(chart_div_id(chart.get("id", "chart")), used)
    div = pio.to_html(figures(chart), full_html=False, include_plotlyjs=False, div_id=div_id,
                      config={"displaylogo": False, "responsive": True}, validate=False)
    out = [f'<figure class="chart" data-chart-id="{esc(chart.get("id", ""))}" '
           f'data-kind="{esc(chart.get("kind", ""))}">']
    if chart.get("title"):
        out.append(f"<figcaption>{esc(chart['title'])}</figcaption>")
    out.append(div)
    empty_path = chart.get("kind") == "main_path" and not (chart.get("data") or {}).get("edges")
    if chart.get("note") and not empty_path:  # an empty main path shows its note in the figure
        out.append(f'<p class="note">{esc(chart["note"])}</p>')
    out.append("</figure>")
    return "\n".join(out)


def _summary(meta: dict[str, Any], lang: str, used: set[str]) -> str:
    """The summary box shown first (``meta["summary"]``): its paragraphs as a list, then its tables."""
    summ = meta.get("summary") or {}
    if not (summ.get("paragraphs") or summ.get("tables")):
        return ""
    out = ['<section class="summary" id="summary">', f"<h2>{esc(summ.get('title') or _l('summary', lang))}</h2>"]
    if summ.get("paragraphs"):
        out.append("<ul>" + "".join(f"<li>{_pn(esc(p))}</li>" for p in summ["paragraphs"]) + "</ul>")
    for t in summ.get("tables") or []:
        out.append(_table(t, lang, used))
    out.append("</section>")
    return "\n".join(out)


def _meta(meta: dict[str, Any], lang: str) -> str:
    facts = [(k, esc(v)) for k, v in meta_facts(meta, lang)]
    out = ['<section class="meta" id="about">', f"<h2>{esc(_l('about', lang))}</h2>", '<dl class="facts">']
    out += [f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts]
    out.append("</dl>")
    caveats = meta.get("caveats") or []
    if caveats:
        out.append(f"<h3>{esc(_l('caveats', lang))}</h3>")
        out.append('<ul class="caveats">' + "".join(f"<li>{esc(c)}</li>" for c in caveats) + "</ul>")
    out.append("</section>")
    return "\n".join(out)


def render_html(report: dict[str, Any], figures: Figures | None = None) -> str:
    """Return the report as a complete, self-contained HTML document (a string).

    ``figures``: the report's chart figures when already built (:class:`~patentnav.report.charts.Figures`,
    shared with the Markdown writer); built here otherwise."""
    from plotly.offline import get_plotlyjs

    head, tail = _html_around_plotlyjs(report, figures)
    return head + get_plotlyjs() + tail


#: Where plotly.js goes in the page (:func:`_html_around_plotlyjs`).
_PLOTLYJS = object()


def _plotlyjs_bytes() -> bytes:
    """plotly.js as UTF-8 bytes: the file :func:`plotly.offline.get_plotlyjs` decodes."""
    import pkgutil

    return pkgutil.get_data("plotly", "package_data/plotly.min.js")  # a resource name: "/" on every platform


def _html_around_plotlyjs(report: dict[str, Any], figures: Figures | None) -> tuple[str, str]:
    """The page before and after the text of plotly.js (:func:`render_html` puts it between)."""
    meta = report.get("meta") or {}
    lang = "zh" if meta.get("lang") == "zh" else "en"
    figures = figures if figures is not None else Figures(lang)
    title = meta.get("title") or "patentnav report"
    used: set[str] = {"about", "toc", "summary"}
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

    body: list[str] = []
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
        _PLOTLYJS,
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
    kept = [p for p in parts if p != ""]
    at = kept.index(_PLOTLYJS)
    return ("\n".join(kept[:at]) + '\n<script type="text/javascript">',
            "</script>\n" + "\n".join(kept[at + 1:]))


def write_html(report: dict[str, Any], path: str | Path, figures: Figures | None = None) -> Path:
    """Write the report as one self-contained offline HTML file; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    head, tail = _html_around_plotlyjs(report, figures)
    with open(path, "wb") as f:  # plotly.js (4.6 MB) as the bytes of its file: not decoded, joined and encoded again
        f.write(head.encode("utf-8"))
        f.write(_plotlyjs_bytes())
        f.write(tail.encode("utf-8"))
    return path
