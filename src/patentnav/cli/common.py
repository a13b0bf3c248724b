"""Shared pieces of the CLI: loading a corpus with a progress bar, printing reports, errors."""

from __future__ import annotations

import csv
import functools
import sys
from pathlib import Path
from typing import Sequence

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..i18n import t
from ..io.report import IngestError, IngestReport
from ..safety import neutralize_csv_cell, rich_safe as safe

__all__ = ["console", "err_console", "lang_option", "handle_errors", "load_corpus", "report_tables", "write_csv",
           "write_issues_csv", "safe", "cell", "plan_out"]

console = Console()
err_console = Console(stderr=True)

lang_option = click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default=None,
    help="Language of labels: en (English) or zh (简体中文). Default: $PATENTNAV_LANG or en.",
)


def handle_errors(fn):
    """Turn expected errors into a one-paragraph message and exit code 2 (no traceback)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except IngestError as e:
            err_console.print(f"[bold red]{t('error', kwargs.get('lang'))}:[/] {safe(str(e))}", highlight=False)
            sys.exit(2)
        except OSError as e:  # an output path under a file, a full disk, no permission
            err_console.print(f"[bold red]{t('error', kwargs.get('lang'))}:[/] {safe(str(e))}", highlight=False)
            sys.exit(2)
        except (KeyError, ValueError) as e:
            if isinstance(e, click.ClickException):
                raise
            msg = str(e) if hasattr(e, "reason") else (e.args[0] if e.args else str(e))
            err_console.print(f"[bold red]{t('error', kwargs.get('lang'))}:[/] {safe(str(msg))}", highlight=False)
            sys.exit(2)

    return wrapper


def load_corpus(paths: Sequence[str], fmt: str | None = None, lang: str | None = None, quiet: bool = False):
    """Read the given exports (or the bundled sample when none) with a progress bar."""
    from .. import datasets
    from ..io import read

    if not paths:
        if not quiet:
            err_console.print(f"[dim]{t('info.sample_note', lang)}[/]")
        return datasets.drones()
    with Progress(
        SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
        TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
        console=err_console, transient=True, disable=quiet,
    ) as progress:
        task = progress.add_task(t("ingest.reading", lang), total=len(paths))
        seen = []

        def step(p: str) -> None:
            if seen:
                progress.advance(task)
            seen.append(p)
            progress.update(task, description=f"{t('ingest.reading', lang)} {safe(Path(p).name)}")

        corpus = read(*paths, format=fmt, progress=step)
        progress.advance(task)
    return corpus


def report_tables(report: IngestReport, lang: str | None = None, max_issues: int = 20) -> list[Table]:
    """Rich tables of an ingest report: per file and total counts, then the first problems."""
    totals = Table(title=t("ingest.title", lang))
    totals.add_column(t("ingest.file", lang), overflow="fold")
    totals.add_column(t("ingest.format", lang))
    for key in ("ingest.rows_read", "ingest.kept", "ingest.merged", "ingest.rejected", "ingest.warnings"):
        totals.add_column(t(key, lang), justify="right")
    for pf in report.per_file:
        totals.add_row(safe(Path(pf["file"]).name), safe(pf["format"]), f"{pf['rows_read']:,}", "", "",
                       f"{pf['rejected']:,}", f"{pf['warnings']:,}")
    totals.add_row(
        "[bold]total[/]", "", f"{report.rows_read:,}", f"{report.kept:,}", f"{report.merged:,}",
        f"{report.n_rejected:,}", f"{len(report.warnings):,}",
    )
    out = [totals]
    issues = [("rejected", i) for i in report.rejected] + [("warning", i) for i in report.warnings]
    if issues and max_issues > 0:
        tab = Table(title=t("ingest.issues", lang, n=min(max_issues, len(issues))))
        tab.add_column(t("ingest.kind", lang), no_wrap=True)
        tab.add_column(t("ingest.line", lang), justify="right", no_wrap=True)
        tab.add_column(t("ingest.field", lang), overflow="fold")
        tab.add_column(t("ingest.reason", lang), overflow="fold", ratio=3)
        tab.add_column(t("ingest.value", lang), overflow="fold", ratio=1)
        for kind, i in issues[:max_issues]:
            where = i.line if len(report.files) == 1 else f"{Path(i.file).name}:{i.line}"
            tab.add_row(kind, safe(where), safe(i.field), safe(i.reason), safe((i.value or "")[:40]))
        out.append(tab)
    return out


def cell(value, width: int | None = None) -> str:
    """A value from data for a Rich table or message: missing (None, NaN) as ``""``, cut to
    ``width`` characters, terminal- and markup-safe (:func:`patentnav.safety.rich_safe`)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    return safe(text[:width] if width else text)


def plan_out(out_dir, formats, stem: str, lang: str | None, extra: tuple[str, ...] = ()):
    """Check ``--out`` before the work (links, files patentnav did not write) and say what the
    run will do with a folder that is not empty; returns the plan for ``write_outputs``."""
    from ..report.outputs import expected_files, plan_outputs

    plan = plan_outputs(out_dir, expected_files(formats, stem) + list(extra))
    d = plan.describe()
    out = safe(d["out"])
    if d["interrupted"]:
        err_console.print(f"[yellow]{t('out.interrupted', lang, out=out)}[/]")
    if d["replaced"]:
        err_console.print(t("out.replace", lang, out=out, n=d["replaced"]))
    if d["others"]:
        err_console.print(t("out.others", lang, out=out, n=d["others"], examples=safe(d["examples"])))
    return plan


def write_csv(df, path) -> int:
    """A data frame as CSV for spreadsheets: UTF-8 with BOM, formula cells neutralised."""
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow([neutralize_csv_cell(str(c)) for c in df.columns])
        for row in df.itertuples(index=False):
            w.writerow([neutralize_csv_cell(v) for v in row])
    return len(df)


def write_issues_csv(report: IngestReport, path: str) -> int:
    """All rejected rows and warnings as CSV (cells neutralised against formula injection)."""
    return write_csv(report.issues_frame(), path)
