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


def landscape_summary(findings: list[str], lang: str) -> dict:
    """Key findings of the landscape report: the findings each section builder declares
    (:class:`~patentnav.report.parts.Built`), in the order of the sections."""
    return summary_block(L("land.findings", lang), findings)
