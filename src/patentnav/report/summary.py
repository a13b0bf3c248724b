"""Summaries shown first in a report (``meta["summary"]``): what a reader needs before the
sections, built only from sentences and rows the sections themselves state (a summary never
says anything a section does not).

``meta["summary"]`` is ``{"title", "paragraphs", "tables"}``: the renderers draw it in a box
above the table of contents, the CLI prints its paragraphs as the key findings.
"""

from __future__ import annotations

from .labels import L

__all__ = ["landscape_summary", "summary_block"]


def summary_block(title: str, paragraphs: list[str], tables: list[dict] | None = None) -> dict:
    """A summary: title, paragraphs, tables (the same table dicts as in sections)."""
    return {"title": title, "paragraphs": [p for p in paragraphs if p], "tables": list(tables or [])}


def landscape_summary(sections: list[dict], lang: str) -> dict:
    """Key findings of the landscape report: the growth and life-cycle sentences of the
    direction section, the region's position, and the count of gaps by category, in that
    order (the paragraphs after each section's introduction)."""
    paras = {s["id"]: s.get("paragraphs") or [] for s in sections}
    picked = paras.get("direction", [])[1:3] + paras.get("positioning", [])[1:2] + paras.get("paths", [])[1:2]
    return summary_block(L("land.findings", lang), picked)
