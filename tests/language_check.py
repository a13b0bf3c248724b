"""Language purity of a report model: one language per report, data values aside.

:func:`language_problems` walks a report (meta, summary, sections: paragraphs, tables,
charts) and knows which fields hold *data values* (publication numbers, titles, names,
codes, terms, file names, the product profile...): those may be in any language. Every
other string was written by patentnav and must be in the report's language:

* Chinese report: no schema column name (``applicant_addresses``), no English phrase (three
  or more English words in a row, or an English function word) once the data values it
  quotes are taken out;
* English report: no Chinese character once the data values it quotes are taken out.

The same checks run over the rendered HTML text, the Markdown and every chart figure's
texts (titles, legend entries, axis titles, annotations).
"""

from __future__ import annotations

import html as _html
import re
from typing import Iterable

from patentnav.model.schema import SCHEMA

#: Table columns whose cells are data values (from the patents, the product profile, the files).
DATA_KEYS = {
    "publication_number", "title", "holder", "holders", "applicant", "applicants", "top_applicants", "inventor", "label",
    "terms", "codes", "key_patents", "firms", "file", "format", "jurisdiction", "value", "technology", "matched_codes",
    "criterion", "market", "region", "main_field", "family_members",
}
#: Keys of chart data (and of chart points, nodes and series) that hold data values.
CHART_DATA_KEYS = {"label", "name", "rows", "columns", "holder", "id", "source", "target", "measure"}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")
_FUNCTION_WORDS = re.compile(r"\b(the|and|of|is|are|not|no|for|to|with|from|by|or|was|were|has|have)\b")
_SCHEMA = re.compile(r"\b(" + "|".join(sorted((n for n in SCHEMA.names if "_" in n), key=len, reverse=True)) + r")\b")
#: Latin names and abbreviations a Chinese report uses as such (methods, standards, units).
ALLOWED_LATIN = ("Kamada-Kawai", "Leiden", "loglet", "Logistic", "Carley, Hegde & Marco", "CC-CEDICT", "BM25", "GB/T")


def _pieces(value) -> list[str]:
    """A data value and its parts (lists joined with '; ' or ', ')."""
    if value is None or isinstance(value, (bool, int, float)):
        return []
    s = str(value).strip()
    if not s:
        return []
    out = [s] + [p.strip() for p in re.split(r";\s*|,\s+|\s*/\s*|\n+", s) if p.strip()]
    return out


def data_values(report: dict, extra: Iterable[str] = ()) -> list[str]:
    """Every data value of the report (and ``extra``), longest first."""
    vals: set[str] = set()
    meta = report.get("meta") or {}
    for k in ("region", "cutoff"):
        vals.update(_pieces(meta.get(k)))
    for src in meta.get("sources") or []:
        vals.update(_pieces(src.get("file")))
    for c in (meta.get("scope") or {}).get("criteria") or []:
        if isinstance(c, dict):
            vals.update(_pieces(c.get("value")))
    for tab in _tables(report):
        keys = [c["key"] for c in tab["columns"]]
        for row in tab["rows"]:
            for k, v in zip(keys, row):
                if k in DATA_KEYS:
                    vals.update(_pieces(v))
    for ch in _charts(report):
        _chart_values(ch.get("data") or {}, vals)
    for e in extra:
        vals.update(_pieces(e))
    return sorted((v for v in vals if len(v) > 1), key=len, reverse=True)


def _chart_values(obj, vals: set[str], key: str | None = None) -> None:
    if isinstance(obj, dict):
        for k, v in obj.items():
            _chart_values(v, vals, k)
    elif isinstance(obj, list):
        for v in obj:
            _chart_values(v, vals, key)
    elif isinstance(obj, str) and key in CHART_DATA_KEYS:
        vals.update(_pieces(obj))


def _tables(report: dict) -> list[dict]:
    tabs = list(((report.get("meta") or {}).get("summary") or {}).get("tables") or [])
    return tabs + [t for s in report.get("sections") or [] for t in s.get("tables") or []]


def _charts(report: dict) -> list[dict]:
    return [c for s in report.get("sections") or [] for c in s.get("charts") or []]


def generated_texts(report: dict) -> list[str]:
    """Every string of the model that patentnav wrote (not a data value)."""
    meta = report.get("meta") or {}
    out = [meta.get("title") or ""] + list(meta.get("caveats") or [])
    summ = meta.get("summary") or {}
    out += [summ.get("title") or ""] + list(summ.get("paragraphs") or [])
    for c in (meta.get("scope") or {}).get("criteria") or []:
        if isinstance(c, str):
            out.append(c)
    for s in report.get("sections") or []:
        out += [s.get("title") or ""] + list(s.get("paragraphs") or [])
    for tab in _tables(report):
        out += [tab.get("title") or "", tab.get("note") or ""] + [c["label"] for c in tab["columns"]]
        keys = [c["key"] for c in tab["columns"]]
        out += [v for row in tab["rows"] for k, v in zip(keys, row) if isinstance(v, str) and k not in DATA_KEYS]
    for ch in _charts(report):
        out += [ch.get("title") or "", ch.get("note") or ""]
        data = ch.get("data") or {}
        out += [v for k, v in data.items() if isinstance(v, str) and k not in CHART_DATA_KEYS]
        for pt in data.get("points") or []:
            out += [v for k, v in pt.items() if isinstance(v, str) and k not in CHART_DATA_KEYS and k not in ("grade", "category")]
    return [t for t in out if t]


def _strip(text: str, data: list[str]) -> str:
    for v in data:
        if v in text:
            text = text.replace(v, " ")
    for name in ALLOWED_LATIN:
        text = text.replace(name, " ")
    return text


def text_problems(text: str, lang: str, data: list[str]) -> list[str]:
    """Problems of one generated text in a report in ``lang`` (empty when pure)."""
    probs = []
    if lang == "zh" and _SCHEMA.search(text):
        probs.append(f"schema name {_SCHEMA.search(text).group(0)!r} in {text[:160]!r}")
    rest = _strip(text, data)
    if lang == "zh":
        m = _ENGLISH_RUN.search(rest) or _FUNCTION_WORDS.search(rest)
        if m:
            probs.append(f"English {m.group(0)!r} in {text[:200]!r}")
    elif _CJK.search(rest):
        probs.append(f"Chinese {_CJK.search(rest).group(0)!r} in {text[:200]!r}")
    return probs


def language_problems(report: dict, extra_data: Iterable[str] = ()) -> list[str]:
    """Every language problem of the report model (its own language: ``meta.lang``)."""
    lang = report["meta"]["lang"]
    data = data_values(report, extra_data)
    return [p for text in generated_texts(report) for p in text_problems(text, lang, data)]


def html_text(html: str) -> str:
    """The visible text of an HTML report (scripts and styles removed)."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    return _html.unescape(re.sub(r"<[^>]+>", "\n", html))


def figure_texts(report: dict) -> list[str]:
    """Texts of every chart figure: layout and axis titles, legend entries, annotations."""
    from patentnav.report.charts import make_figure

    out = []
    lang = report["meta"]["lang"]
    for ch in _charts(report):
        fig = make_figure(ch, lang)
        lay = fig.layout
        for ax in (lay.xaxis, lay.yaxis):
            if ax.title and ax.title.text:
                out.append(ax.title.text)
        out += [tr.name for tr in fig.data if tr.name and tr.showlegend is not False]
        out += [a.text for a in lay.annotations or [] if a.text]
    return out


def rendered_problems(report: dict, html: str | None = None, markdown: str | None = None,
                      extra_data: Iterable[str] = ()) -> list[str]:
    """Language problems of the rendered HTML and Markdown text, line by line, and of the figures."""
    lang = report["meta"]["lang"]
    data = data_values(report, extra_data)
    lines = []
    if html is not None:
        lines += [ln.strip() for ln in html_text(html).splitlines() if ln.strip()]
    if markdown is not None:
        lines += [ln.strip() for ln in markdown.splitlines() if ln.strip() and not ln.startswith("![")]
    lines += figure_texts(report)
    return [p for ln in lines for p in text_problems(ln, lang, data)]


#: What a message may quote as written in any language: examples in quotes or backticks,
#: options (--market US), file names, environment variables, Python calls and schema keys.
_QUOTED = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"|“[^”]*”")
_LITERAL = re.compile(r"--?[\w-]+(?:=\S+)?|\b[\w./-]+\.(?:toml|json|csv|md|parquet|jsonl|xlsx|otf|ttf|ttc)\b|\bPATENTNAV_\w+"
                      r"|\b\w+_\w+\b|[\w.]+\([^)]*\)|\{[^{}]*\}")


def message_problems(text: str, lang: str, given: Iterable[str] = ()) -> list[str]:
    """Language problems of a CLI or catalog message in ``lang``: what the user gave
    (``given``: paths, values) and what a message quotes as written are data values."""
    rest = _LITERAL.sub("  ", _QUOTED.sub("  ", text))
    return text_problems(rest, lang, sorted((g for g in given if g), key=len, reverse=True))
