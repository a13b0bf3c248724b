"""Render a report model (see the report contract) as Markdown with PNG chart images.

``write_markdown(report, out_dir)`` writes ``out_dir/report.md`` and, for each chart,
``out_dir/images/<chart-id>.png`` via plotly static export with ``kaleido==0.2.1`` (a
dependency; it bundles its own headless Chromium, so no browser or network is needed).
If static export fails on a platform (no kaleido wheel), each chart is replaced by a note
pointing to the HTML report and the rest of the Markdown is still written; a chart that was
rendered but cannot be written (a read-only ``images/``) is an error.

Kaleido's Chromium takes 1-3 s to start: :func:`warm_up` starts it in the background (the
CLI calls it before building the report), and :class:`PngExport` exports a report's charts
in a background thread while the rest of the report is built and the other writers run (the
rendering happens in Chromium's own process, so the export overlaps the Python work).
"""

from __future__ import annotations

import queue
import re
import threading
from pathlib import Path
from typing import Any

from .charts import Figures, report_charts
from .display import display_value, meta_facts
from .labels import L
from ..safety import terminal_safe
from .parts import unique_name

__all__ = ["render_markdown", "write_markdown", "escape_md_cell", "escape_md_text", "PngExport", "warm_up"]



def _l(key: str, lang: str, **kw: Any) -> str:
    return L("r." + key, lang, **kw)


def escape_md_text(value: Any) -> str:
    """Escape characters that would start Markdown/HTML markup in running text; control and
    bidirectional-override characters are shown as visible escapes (``\\x1b``), as in the
    terminal (:func:`patentnav.safety.terminal_safe`): a report read with ``cat`` or a pager
    cannot move the cursor or reorder text."""
    s = terminal_safe(value)
    s = s.replace("\\", "\\\\")
    s = re.sub(r"([`*_\[\]<>|#])", r"\\\1", s)
    return s


def escape_md_cell(value: Any) -> str:
    """Text of one table cell: pipes escaped, newlines turned into ``<br>``."""
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        value = "; ".join("" if v is None else str(v) for v in value)
    s = escape_md_text(value)
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
    return s


def _table(table: dict[str, Any]) -> list[str]:
    cols = table.get("columns") or []
    out: list[str] = []
    if table.get("title"):
        out += [f"**{escape_md_text(table['title'])}**", ""]
    rows = table.get("rows") or []
    if not cols or not rows:  # an empty table: its title and note, no bare header
        if table.get("note"):
            out += [f"*{escape_md_text(table['note'])}*", ""]
        return out
    out.append("| " + " | ".join(escape_md_cell(c.get("label", c.get("key", ""))) for c in cols) + " |")
    aligns = []
    for i in range(len(cols)):
        numeric = rows and all(isinstance(r[i], (int, float)) and not isinstance(r[i], bool)
                               for r in rows if i < len(r) and r[i] is not None)
        aligns.append("---:" if numeric else "---")
    out.append("| " + " | ".join(aligns) + " |")
    for r in rows:
        keys = [c.get("key") for c in cols]
        cells = [escape_md_cell(display_value(v, keys[i] if i < len(keys) else None)) for i, v in enumerate(r)]
        cells += [""] * (len(cols) - len(r))
        out.append("| " + " | ".join(cells[: len(cols)]) + " |")
    out.append("")
    if table.get("note"):
        out += [f"*{escape_md_text(table['note'])}*", ""]
    return out


def _file_stem(chart_id: Any, used: set[str]) -> str:
    return unique_name(re.sub(r"[^A-Za-z0-9_-]+", "-", str(chart_id)).strip("-") or "chart", used)


def _png(fig: dict) -> bytes:
    """The figure (a plotly figure dict, :class:`~patentnav.report.charts.Figures`) as PNG bytes
    (static export with kaleido)."""
    import plotly.io as pio

    layout = fig.get("layout") or {}
    width = int(layout.get("width") or 1000)
    height = int(layout.get("height") or 450)
    return pio.to_image(fig, format="png", width=width, height=height, scale=1.5, validate=False)


def warm_up() -> threading.Thread:
    """Start kaleido's Chromium in a background thread (a tiny export), so that the first
    chart of a report does not wait for it; failures are left to the real export."""
    def run() -> None:
        try:
            _png({"data": [], "layout": {"width": 16, "height": 16}})
        except Exception:  # noqa: BLE001 - the real export reports it (a note per chart)
            pass

    thread = threading.Thread(target=run, name="patentnav-kaleido-warm-up", daemon=True)
    thread.start()
    return thread


class PngExport:
    """The PNG images of a report's charts, exported in a background thread.

    ``PngExport(report, figures)`` exports every chart of a finished report. To overlap the
    export with the building of the report, make it empty (``PngExport(figures=...)``),
    :meth:`add` each section's charts as the section is built and :meth:`close` it when the
    report is done. Figures are built in the calling thread (``figures`` is not shared
    across threads); the background thread only serialises them and waits for kaleido. As
    in :func:`render_markdown`, the first failure (a chart that cannot be drawn, or no
    working kaleido) ends the export and every later chart becomes a note.
    """

    def __init__(self, report: dict[str, Any] | None = None, figures: Figures | None = None):
        self.figures = figures if figures is not None else Figures()
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._done: dict[int, Any] = {}
        self._thread = threading.Thread(target=self._run, name="patentnav-png-export", daemon=True)
        self._thread.start()
        if report is not None:
            self.add(report_charts(report))
            self.close()

    def add(self, charts) -> None:
        """Queue ``charts`` (chart dicts of the report model) for export, in order."""
        for chart in charts:
            try:
                fig: Any = self.figures(chart)
            except Exception as exc:  # noqa: BLE001 - the export records it, as for a failed render
                fig = exc
            self._queue.put((chart, fig))

    def close(self) -> None:
        """No more charts: the export ends after the queued ones."""
        self._queue.put(None)

    def _run(self) -> None:
        failed = False
        while (item := self._queue.get()) is not None:
            chart, fig = item
            if failed:
                continue  # after the first failure the later charts are not attempted
            try:
                if isinstance(fig, Exception):
                    raise fig
                self._done[id(chart)] = _png(fig)
            except Exception as exc:  # noqa: BLE001 - degrade to notes, as render_markdown does
                self._done[id(chart)] = exc
                failed = True

    def get(self, chart: dict[str, Any]) -> Any:
        """The chart's PNG bytes, the export's exception, or None (not attempted); waits
        for the export to end (:meth:`close` must have been called)."""
        self._thread.join()
        return self._done.get(id(chart))


def render_markdown(report: dict[str, Any], out_dir: str | Path | None = None,
                    images: bool = True, figures: Figures | None = None, pngs: PngExport | None = None) -> str:
    """Return the Markdown text; with ``out_dir`` and ``images`` also write chart PNGs.

    ``figures`` / ``pngs``: the report's chart figures and their PNG export when already
    made (:func:`patentnav.report.outputs.write_outputs` shares them with the HTML writer)."""
    meta = report.get("meta") or {}
    lang = "zh" if meta.get("lang") == "zh" else "en"
    figures = figures if figures is not None else Figures(lang)
    lines: list[str | None] = [f"# {escape_md_text(meta.get('title') or 'patentnav report')}", ""]
    summ = meta.get("summary") or {}
    if summ.get("paragraphs") or summ.get("tables"):  # the summary first
        lines += [f"## {escape_md_text(summ.get('title') or _l('summary', lang))}", ""]
        lines += [f"- {escape_md_text(p)}" for p in summ.get("paragraphs") or []] + [""]
        for t in summ.get("tables") or []:
            lines += _table(t)

    lines += [f"## {_l('about', lang)}", ""]
    facts = [(k, escape_md_text(v)) for k, v in meta_facts(meta, lang)]
    lines += [f"- **{k}**: {v}" for k, v in facts] + [""]
    if meta.get("caveats"):
        lines += [f"**{_l('caveats', lang)}**", ""]
        lines += [f"- {escape_md_text(c)}" for c in meta["caveats"]] + [""]

    img_dir = Path(out_dir) / "images" if out_dir is not None else None
    used: set[str] = set()
    slots: list[tuple[int, dict[str, Any], str, str]] = []  # (index in lines, chart, title, file stem)
    for s in report.get("sections") or []:
        lines += [f"## {escape_md_text(s.get('title', ''))}", ""]
        for p in s.get("paragraphs") or []:
            lines += [escape_md_text(p), ""]
        for c in s.get("charts") or []:
            title = escape_md_text(c.get("title") or c.get("id", ""))
            lines += [f"### {title}", ""]
            slots.append((len(lines), c, title, _file_stem(c.get("id", "chart"), used)))
            lines.append(None)  # the image (or a note), filled in below once the PNG export is done
            if c.get("note"):
                lines += [f"*{escape_md_text(c['note'])}*", ""]
        for t in s.get("tables") or []:  # charts first, then the numbers behind them
            lines += _table(t)
    blocks = _image_blocks(slots, img_dir, figures, pngs, lang) if images else {}
    out: list[str] = []
    for i, line in enumerate(lines):
        if line is None:
            out += blocks.get(i, [])
        else:
            out.append(line)
    return "\n".join(out).rstrip("\n") + "\n"


def _image_blocks(slots, img_dir: Path | None, figures: Figures, pngs: PngExport | None, lang: str) -> dict[int, list[str]]:
    """The lines of each chart's image, in document order, after the text is made (so the text
    is written while kaleido draws the last charts): ``![title](images/<stem>.png)`` with the
    PNG written, or a note once an export failed (the first failure ends the export)."""
    blocks: dict[int, list[str]] = {}
    export_error: str | None = None
    for at, c, title, stem in slots:
        ok = False
        if img_dir is not None and export_error is None:
            try:
                png = pngs.get(c) if pngs is not None else _png(figures(c))
                if isinstance(png, Exception) or png is None:
                    raise png if isinstance(png, Exception) else RuntimeError("not exported")
            except Exception as exc:  # kaleido missing or broken: degrade to a note
                export_error = f"{type(exc).__name__}"
            else:  # a folder that cannot be written is an error, not a note
                img_dir.mkdir(parents=True, exist_ok=True)
                (img_dir / f"{stem}.png").write_bytes(png)
                ok = True
        if ok:
            alt = title.replace("]", "").replace("[", "")
            blocks[at] = [f"![{alt}](images/{stem}.png)", ""]
        else:
            blocks[at] = [f"> {_l('no_image', lang, err=export_error or 'no output directory')}", ""]
    return blocks


def write_markdown(report: dict[str, Any], out_dir: str | Path, name: str = "report.md",
                   figures: Figures | None = None, pngs: PngExport | None = None) -> Path:
    """Write ``out_dir/<name>`` (and ``out_dir/images/*.png``); return the .md path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    path.write_text(render_markdown(report, out, figures=figures, pngs=pngs), encoding="utf-8", newline="\n")
    return path
