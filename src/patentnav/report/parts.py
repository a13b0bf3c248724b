"""Building blocks of report models (landscape and warning reports): rounding, cells,
tables, charts and sections as plain JSON-ready dicts (the report contract)."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

#: Links drawn on the field map (the strongest by association strength); all are in the data.
MAP_EDGES = 60
#: Fields labelled on the map (the largest); every field shows its label on hover.
MAP_LABELS = 15

__all__ = ["MAP_EDGES", "MAP_LABELS", "unique_name", "rnd", "_clip", "_s", "_cell", "_pct", "plain_number", "_table", "_chart", "section",
           "Built", "numbered", "number_sections"]


def rnd(x: Any) -> Any:
    """Round a number to 6 significant digits (None for NaN / inf / missing); ints stay ints."""
    if x is None or x is pd.NA or x is pd.NaT:
        return None
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    try:
        f = float(x)
    except (TypeError, ValueError):
        return x
    if not math.isfinite(f):
        return None
    if f == 0:
        return 0.0
    return float(f"{f:.6g}")


def _clip(text: str | None, width: int) -> str:
    """``text`` cut at a word boundary to at most ``width`` characters, with "…" when cut."""
    text = "" if text is None or (isinstance(text, float) and text != text) else str(text).strip()  # NaN titles
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > width // 2 else cut).rstrip(" ,;(") + "…"


def _s(v: Any) -> str:
    if v is None:
        return ""
    try:
        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    return str(v)


def _cell(v: Any) -> Any:
    """A table cell: str / int / float (rounded) / bool / None; lists joined with '; '."""
    if isinstance(v, (list, tuple, np.ndarray)):
        return "; ".join(_s(x) for x in v)
    if isinstance(v, (str, bool, np.bool_)):
        return bool(v) if isinstance(v, np.bool_) else v
    if v is None:
        return None
    if isinstance(v, (int, float, np.integer, np.floating)):
        return rnd(v)
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return str(v)


def _pct(x: Any, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    return f"{100 * float(x):.{digits}f}%"


def plain_number(x: Any, digits: int = 1) -> str:
    """A number in a sentence: whole numbers without decimals, others with ``digits``
    decimals, thousands separated (fractional counts, years of term; "—" when missing).

    >>> plain_number(107.0), plain_number(106.5), plain_number(1234.0), plain_number(2.96)
    ('107', '106.5', '1,234', '3')
    """
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    rounded = round(float(x), digits)
    return f"{rounded:,.0f}" if rounded == int(rounded) else f"{rounded:,.{digits}f}"


def _table(tid: str, title: str, columns: list[tuple[str, str]], rows: list[list], note: str | None = None) -> dict:
    return {"id": tid, "title": title, "columns": [{"key": k, "label": lab} for k, lab in columns],
            "rows": [[_cell(v) for v in r] for r in rows], "note": note}


def _chart(cid: str, title: str, kind: str, data: dict, note: str | None = None) -> dict:
    return {"id": cid, "title": title, "kind": kind, "data": data, "note": note}


def section(sid: str, title: str, paragraphs, tables, charts) -> dict:
    """A report section: id, title, paragraphs, tables, charts."""
    return {"id": sid, "title": title, "paragraphs": list(paragraphs), "tables": tables, "charts": charts}


class Built(NamedTuple):
    """What a section builder returns: the section (report contract), its key findings (the
    sentences the report's summary shows first, in order) and the summary's tables it adds
    (the warning report's riskiest patents per market)."""

    section: dict
    findings: list[str]
    tables: tuple = ()


_ZH_NUMERALS = "一二三四五六七八九十"


def numbered(k: int, title: str, lang: str) -> str:
    """``title`` as section ``k``: "3. Title" in English, "三、标题" in Chinese."""
    if lang == "zh" and 1 <= k <= len(_ZH_NUMERALS):
        return f"{_ZH_NUMERALS[k - 1]}、{title}"
    return f"{k}. {title}"


def number_sections(sections: list[dict], lang: str) -> list[dict]:
    """The sections with their titles numbered from their order (1, 2, ...), in place."""
    for k, s in enumerate(sections, start=1):
        s["title"] = numbered(k, s["title"], lang)
    return sections


def unique_name(candidate: str, used: set[str]) -> str:
    """``candidate``, or ``candidate-2``, ``-3``... if taken; records the result in ``used``
    (deterministic ids and file names for charts and tables)."""
    name, i = candidate, 2
    while name in used:
        name = f"{candidate}-{i}"
        i += 1
    used.add(name)
    return name
