"""How numbers look in human-facing renderings (HTML, Markdown); JSON keeps raw numbers.

* columns whose key is ``share`` or ``growth`` or ends with ``_share`` / ``_growth``:
  percentages with one decimal (``0.502701`` -> ``50.3%``);
* index columns (key ending with ``_index``): two decimals (``1.00``);
* year columns (key ``year`` or ending with ``_year``): plain digits (``2016``);
* other floats: three significant digits, thousands separators for large values;
* integers: thousands separators (``9071`` -> ``9,071``).
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["display_value", "is_share_column", "is_year_column", "criterion_text", "meta_facts"]


def is_share_column(key: str | None) -> bool:
    """Whether the column holds a fraction shown as a percentage (shares and growth rates)."""
    return bool(key) and (key in ("share", "growth") or key.endswith(("_share", "_growth")))


def is_year_column(key: str | None) -> bool:
    return bool(key) and (key == "year" or key.endswith("_year"))


def display_value(value: Any, key: str | None = None) -> Any:
    """The text shown for a table cell (non-numbers are returned unchanged)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return str(value) if is_year_column(key) else f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if is_share_column(key):
            return f"{100 * value:.1f}%"
        if key and key.endswith("_index"):
            return f"{value:.2f}"
        if value != 0 and abs(value) < 1000:
            return f"{value:.3g}"
        return f"{value:,.0f}"
    return value


def criterion_text(c: Any) -> str:
    """A scope criterion for people: ``{"criterion": "sei", "value": "2.2", "documents": 1580}``
    -> ``sei 2.2 (1,580)``; anything else as text."""
    if isinstance(c, dict):
        text = " ".join(str(c[k]) for k in ("criterion", "value") if c.get(k) not in (None, ""))
        return f"{text} ({display_value(c['documents'])})" if c.get("documents") is not None else text
    return str(c)


def meta_facts(meta: dict, lang: str) -> list[tuple[str, str]]:
    """The "about this report" facts as plain (label, text) pairs, for every renderer (each
    escapes them for its own format)."""
    from .labels import L

    def lab(key: str, **kw: Any) -> str:
        return L("r." + key, lang, **kw)

    facts: list[tuple[str, str]] = [(lab(k), str(meta[k])) for k in ("generator", "cutoff", "region") if meta.get(k)]
    scope = meta.get("scope") or {}
    if scope:
        crit = "; ".join(criterion_text(c) for c in scope.get("criteria") or [])
        n = lab("of", n=display_value(scope.get("documents", "")), of=display_value(scope.get("of", "")))
        facts.append((lab("scope"), f"{crit} — {n}" if crit else n))
    if meta.get("sources"):
        facts.append((lab("sources"), "; ".join(f"{s.get('file')} ({s.get('format')}, {display_value(s.get('rows_read'))})"
                                                for s in meta["sources"])))
    counts = meta.get("counts") or {}
    if counts.get("documents") is not None:
        facts.append((lab("documents"), str(display_value(counts["documents"]))))
    if counts.get("years"):
        facts.append((lab("years"), "–".join("" if y is None else str(y) for y in counts["years"])))
    if counts.get("jurisdictions"):
        facts.append((lab("jurisdictions"), ", ".join(f"{k} {display_value(v)}" for k, v in counts["jurisdictions"].items())))
    return facts
