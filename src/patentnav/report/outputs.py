"""Write one report model in the requested formats (shared by ``patentnav landscape`` and
``patentnav warn``)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["FORMATS", "parse_formats", "write_outputs"]

#: Output formats: the HTML page, Markdown with PNG charts, the JSON model, CSV tables.
FORMATS = ("html", "md", "json", "csv")


def parse_formats(text: str) -> list[str]:
    """``"html, md"`` -> ``["html", "md"]``; unknown names raise ValueError naming the choices."""
    fmts = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in fmts if f not in FORMATS]
    if bad or not fmts:
        raise ValueError(f"unknown format(s) {', '.join(bad) or repr(text)}; choose from {', '.join(FORMATS)} "
                         "(comma-separated, e.g. --format html,json)")
    return fmts


def write_outputs(report: dict, out_dir, formats, stem: str = "report") -> list[tuple[str, str]]:
    """Write ``report`` to ``out_dir`` as ``<stem>.html``, ``<stem>.md`` (+ ``images/``),
    ``<stem>.json`` and ``tables/*.csv``, for the ``formats`` asked; returns (format, path)."""
    from .html import write_html
    from .json_csv import write_csv_tables, write_json
    from .markdown import write_markdown

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[tuple[str, str]] = []
    if "json" in formats:
        written.append(("json", str(write_json(report, out / f"{stem}.json"))))
    if "csv" in formats:
        files = write_csv_tables(report, out / "tables")
        written.append(("csv", f"{out / 'tables'} ({len(files)} files)"))
    if "html" in formats:
        path = out / f"{stem}.html"
        written.append(("html", str(write_html(report, path) or path)))
    if "md" in formats:
        written.append(("md", str(write_markdown(report, out, name=f"{stem}.md"))))
    return written
