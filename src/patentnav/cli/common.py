"""Shared pieces of the CLI: loading a corpus with a progress bar, printing reports, errors."""

from __future__ import annotations

import csv
import functools
import re
import sys
from pathlib import Path
from typing import Sequence

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from ..i18n import LANGS, LocalizedError, default_lang, error_text, t
from ..io.report import IngestError, IngestReport
from ..safety import neutralize_csv_cell, rich_safe as safe

__all__ = ["console", "err_console", "freeze_imports", "lang_option", "LocalizedGroup", "option_lang", "click_message", "handle_errors", "load_corpus", "report_tables", "write_csv",
           "write_issues_csv", "safe", "cell", "plan_out"]

console = Console()
err_console = Console(stderr=True)


def _resolve_lang(ctx, param, value):
    return value or default_lang()


#: ``--lang`` of every command. One rule for all commands: English unless ``--lang`` or the
#: environment variable ``PATENTNAV_LANG`` (``zh`` or ``en``) says otherwise.
lang_option = click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default=None,
    callback=_resolve_lang,
    help="Language of labels, messages and reports: en (English) or zh (简体中文). Default: $PATENTNAV_LANG, else en.",
)


#: Click's usage messages (8.x wording) and the catalog entries that say them in Chinese.
_CLICK_MESSAGES = [
    (r"No such option (?P<name>'[^']+')\.(?: \(?Did you mean (?:one of: )?(?P<maybe>.+?)\?\)?)?", "click.no_option"),
    (r"Invalid value for (?P<param>.+?): (?P<detail>.*)", "click.invalid"),
    (r"Missing argument (?P<param>.+?)\.", "click.missing_argument"),
    (r"Missing option (?P<param>.+?)\.", "click.missing_option"),
    (r"Option (?P<name>'[^']+') requires an argument\.", "click.requires_arg"),
    (r"Option (?P<name>'[^']+') requires (?P<n>\d+) arguments\.", "click.requires_args"),
    (r"Option (?P<name>'[^']+') does not take a value\.", "click.no_value"),
    (r"Got unexpected extra arguments? \((?P<args>.*)\)", "click.extra_args"),
    (r"No such command (?P<name>'[^']+')\.", "click.no_command"),
]
_CLICK_DETAILS = [
    (r"(?P<value>'.*') is not (?:one of )?(?P<choices>'.*')\.", "click.choice"),
    (r"(?:File|Directory|Path) (?P<path>'.*') does not exist\.", "click.path_missing"),
    (r"(?:File|Directory|Path) (?P<path>'.*') is a directory\.", "click.path_dir"),
    (r"(?:File|Directory|Path) (?P<path>'.*') is a file\.", "click.path_file"),
    (r"(?:File|Directory|Path) (?P<path>'.*') is not readable\.", "click.path_unreadable"),
    (r"(?P<value>'.*') is not a valid integer( range)?\.", "click.int"),
    (r"(?P<value>'.*') is not a valid float( range)?\.", "click.float"),
    (r"(?P<value>.+) is not in the range (?P<range>.+)\.", "click.range"),
    (r"(?P<value>'.*') does not match the formats? (?P<formats>.+)\.", "click.datetime"),
    (r"(?P<value>'.*') is not a valid boolean\.", "click.bool"),
]
_HAS_CJK = re.compile(r"[\u3400-\u9fff]")


def click_message(message: str, lang: str) -> str:
    """One of Click's usage messages in ``lang``: its known forms are catalog entries
    (``click.*``); text patentnav wrote in ``lang`` already is kept; any other message
    is shown as Click's original, introduced as such."""
    if lang != "zh" or _HAS_CJK.search(message) and not message.startswith("Invalid value for"):
        return message
    for pattern, key in _CLICK_MESSAGES:
        m = re.fullmatch(pattern, message.strip(), flags=re.S)
        if m is None:
            continue
        fmt = {k: v for k, v in m.groupdict().items() if k in ("name", "param", "n", "args")}
        if key == "click.no_option":
            said = t(key, lang, **fmt)
            return said + (t("click.did_you_mean", lang, maybe=m["maybe"]) if m["maybe"] else "")
        if key == "click.invalid":
            return t(key, lang, param=m["param"], detail=_click_detail(m["detail"], lang))
        return t(key, lang, **fmt)
    return t("click.original", lang, detail=message)


def _click_detail(detail: str, lang: str) -> str:
    if _HAS_CJK.search(detail):
        return detail
    for pattern, key in _CLICK_DETAILS:
        m = re.fullmatch(pattern, detail.strip(), flags=re.S)
        if m is not None:
            return t(key, lang, **{k: v for k, v in m.groupdict().items() if v is not None})
    return t("click.original", lang, detail=detail)


class _SaidUsageError(click.UsageError):
    """A Click usage error shown in Chinese: usage line, help hint and message."""

    def __init__(self, error: click.UsageError, lang: str):
        super().__init__(error.message, error.ctx)
        self.exit_code, self.lang, self.english = error.exit_code, lang, error.format_message()

    def format_message(self) -> str:
        return click_message(self.english, self.lang)

    def show(self, file=None) -> None:
        lang, out = self.lang, []
        if self.ctx is not None:
            usage = self.ctx.get_usage().replace("Usage: ", t("click.usage", lang), 1)
            out += [usage.replace("[OPTIONS]", t("click.options", lang)),
                    t("click.try_help", lang, command=self.ctx.command_path), ""]
        out.append(f"{t('error', lang)}：{self.format_message()}")
        click.echo("\n".join(out), file=file or sys.stderr)


def _args_lang(args: Sequence[str]) -> str:
    """The language the command line asks for (``--lang zh``), else the session's."""
    args = list(args)
    for i, a in enumerate(args):
        if a == "--lang" and i + 1 < len(args) and args[i + 1] in LANGS:
            return args[i + 1]
        if a.startswith("--lang=") and a[7:] in LANGS:
            return a[7:]
    return default_lang()


class LocalizedGroup(click.Group):
    """The ``patentnav`` group: Click's usage errors (unknown option, bad choice, missing
    file...) are said in the session's language like every other message."""

    def make_context(self, info_name, args, parent=None, **extra):
        lang = _args_lang(args)
        try:
            ctx = super().make_context(info_name, args, parent, **extra)
        except click.UsageError as e:
            raise _said(e, lang) from None
        ctx.meta["patentnav.lang"] = lang
        return ctx

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as e:
            raise _said(e, ctx.meta.get("patentnav.lang") or default_lang()) from None


def _said(e: click.UsageError, lang: str) -> click.UsageError:
    return _SaidUsageError(e, lang) if lang == "zh" and not isinstance(e, _SaidUsageError) else e


def option_lang(ctx: click.Context) -> str:
    """The session's language inside an option callback (``--lang`` may not be parsed yet)."""
    return ctx.params.get("lang") or ctx.find_root().meta.get("patentnav.lang") or default_lang()


def handle_errors(fn):
    """Turn expected errors into a one-paragraph message in the session's language and exit
    code 2 (no traceback); see :func:`patentnav.i18n.error_text`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (IngestError, OSError, KeyError, ValueError) as e:  # OSError: an output path under a file, a full disk
            if isinstance(e, click.ClickException):
                raise
            lang = kwargs.get("lang")
            sep = "：" if lang == "zh" else ": "
            err_console.print(f"[bold red]{t('error', lang)}{sep}[/]{safe(error_text(e, lang))}", highlight=False)
            sys.exit(2)

    return wrapper


def load_corpus(paths: Sequence[str], fmt: str | None = None, lang: str | None = None, quiet: bool = False,
                require_documents: bool = True, columns=None):
    """Read the given exports (or the bundled sample when none) with a progress bar in bytes
    and rows (with the time left) driven by the readers' position in each file.

    ``require_documents``: raise a :class:`~patentnav.i18n.LocalizedError` when the files
    hold no document (a header-only export), for commands an empty corpus makes no sense for.
    ``columns``: the canonical columns the command reads; the others are not read from the
    exports, left empty (:func:`patentnav.io.read`). The bundled sample and a corpus folder
    are read whole.
    """
    from .. import datasets
    from ..io import read
    from ..io.progress import watching

    if not paths:
        if not quiet:
            err_console.print(f"[dim]{t('info.sample_note', lang)}[/]")
        return datasets.drones()
    from ..engine.dataset import Dataset, is_dataset

    if len(paths) == 1 and is_dataset(paths[0]):  # a partitioned Parquet corpus (patentnav ingest -o corpus/)
        return Dataset(paths[0]).to_corpus()
    with Progress(
        SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
        TextColumn("{task.fields[bytes]}"), TextColumn("{task.fields[rows]}"), TimeRemainingColumn(), TimeElapsedColumn(),
        console=err_console, transient=True, disable=quiet,
    ) as bar:
        task = bar.add_task(t("ingest.reading", lang), total=None, rows="", bytes="")
        done = {"before": 0, "size": 0, "name": "", "total": 0, "stage": None}

        def watch(kind: str, *args) -> None:
            if kind == "file":
                if done["stage"] is not None:
                    bar.remove_task(done["stage"])
                    done["stage"] = None
                path, size = args
                done["before"] += done["size"]
                done["size"], done["name"] = size, Path(path).name
                done["total"] += size
                bar.update(task, total=done["total"], completed=done["before"], bytes=_mb(done["before"], done["total"]),
                           description=f"{t('ingest.reading', lang)} {safe(done['name'])}")
            elif kind == "position":
                fraction, records = args
                at = done["before"] + fraction * done["size"]
                bar.update(task, total=done["total"], completed=at, bytes=_mb(at, done["total"]),
                           rows=t("ingest.rows_so_far", lang, n=f"{records:,}"))
            elif kind == "stage":  # column work after parsing: no position to report, so no time left is claimed
                text = f"{t('ingest.stage.' + args[0], lang)} {safe(done['name'])}"
                if done["stage"] is None:
                    done["stage"] = bar.add_task(text, total=None, rows="", bytes="")
                else:
                    bar.update(done["stage"], description=text)

        with watching(watch):
            corpus = read(*paths, format=fmt, columns=columns)
        bar.update(task, total=done["total"], completed=done["total"])
    if require_documents and len(corpus) == 0:
        raise LocalizedError("err.no_documents", what=", ".join(Path(p).name for p in paths))
    return corpus


def _mb(done: float, total: float) -> str:
    """``12.3/45.6 MB`` (bytes of the files read so far, of all)."""
    return f"{done / 1e6:,.1f}/{total / 1e6:,.1f} MB"


def report_tables(report: IngestReport, lang: str | None = None, max_issues: int = 20) -> list[Table]:
    """Rich tables of an ingest report: per file and total counts, then the first problems."""
    totals = Table(title=t("ingest.title", lang))
    totals.add_column(t("ingest.file", lang), overflow="fold")
    totals.add_column(t("ingest.format", lang))
    for key in ("ingest.rows_read", "ingest.kept", "ingest.merged", "ingest.rejected", "ingest.warnings"):
        totals.add_column(t(key, lang), justify="right")
    for pf in report.per_file:
        kept, merged = pf.get("kept"), pf.get("merged")
        totals.add_row(safe(Path(pf["file"]).name), safe(pf["format"]), f"{pf['rows_read']:,}",
                       "" if kept is None else f"{kept:,}", "" if merged is None else f"{merged:,}",
                       f"{pf['rejected']:,}", f"{pf['warnings']:,}")
    totals.add_row(
        f"[bold]{t('ingest.total', lang)}[/]", "", f"{report.rows_read:,}", f"{report.kept:,}", f"{report.merged:,}",
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
            tab.add_row(t(f"ingest.kind.{kind}", lang), safe(str(where)), safe(i.field), safe(i.reason_in(lang)),
                        safe((i.value or "")[:40]))
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
    """A data frame as CSV for spreadsheets: UTF-8 with BOM, formula cells neutralised,
    missing values as empty cells (never ``nan``)."""
    cells = df.astype(object).where(df.notna(), "")  # None, NaN, NA, NaT: empty cells, in one vectorised pass
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow([neutralize_csv_cell(str(c)) for c in df.columns])
        for row in cells.itertuples(index=False):
            w.writerow([neutralize_csv_cell(v) for v in row])
    return len(df)


def write_issues_csv(report: IngestReport, path: str, lang: str | None = None) -> int:
    """All rejected rows and warnings as CSV (cells neutralised against formula injection),
    reasons in ``lang`` beside their language-independent ``code``."""
    return write_csv(report.issues_frame(lang or default_lang()), path)


#: Suffixes that make a value of ``--firms`` a file name rather than firm names.
_FILE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".json")


def parse_firms(value: str | None) -> list[str] | None:
    """``--firms``: a CSV file with a ``name`` column, or firm names separated by commas.

    A value that looks like a path (a file suffix, or a folder separator under an existing
    folder, without commas) and does not exist is an error, never a firm name; legal forms
    such as ``A/S`` and ``S/A`` stay firm names.
    """
    if not value:
        return None
    import pandas as pd

    p = Path(value)
    if p.is_file():
        table = pd.read_csv(p)
        if "name" not in table.columns:
            raise LocalizedError("err.firms_no_name", path=value, columns=", ".join(map(str, table.columns)))
        return table["name"].dropna().astype(str).tolist()
    looks_like_path = p.suffix.lower() in _FILE_SUFFIXES or (
        "," not in value and ("/" in value or "\\" in value) and p.parent != Path(".") and p.parent.is_dir())
    if looks_like_path:  # "VESTAS WIND SYSTEMS A/S" is a firm; "lists/firms.csv" a missing file
        raise LocalizedError("err.firms_missing", path=value)
    return [f.strip() for f in value.split(",") if f.strip()]


def parse_date(value: str | None, option: str):
    """A ``YYYY-MM-DD`` option value as a date (None stays None); anything else is an error
    naming the option and the expected format."""
    if value is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise LocalizedError("err.bad_date", option=option, value=str(value), example="2017-12-31") from None


def freeze_imports() -> None:
    """Leave what is alive now out of the cyclic garbage collector's full collections
    (:func:`gc.freeze`): once a command's libraries are imported (pandas, SciPy, plotly: about
    a million objects) each full collection would traverse them all again, for nothing (the
    sample report: 0.25 s of full collections, 0.08 s with them frozen). Call it after the
    imports and before any data is read, so that no data (nor garbage holding data) is kept
    for good; objects made later are collected as before.

    At exit everything is frozen again (once, :mod:`atexit`): the interpreter's final
    collections then skip the libraries imported since and the report's objects, which
    they would traverse only to free them anyway (the sample report's exit: 0.15-0.3 s,
    about 0.06 s frozen)."""
    import atexit
    import gc

    gc.freeze()
    atexit.unregister(gc.freeze)  # registered once however often a process runs a command
    atexit.register(gc.freeze)


def region_option(ctx, param, value):
    """``--region``: region keys in any letter case (``cn``, ``cn-gd-shenzhen``), made canonical."""
    from ..geo import canonical_region

    return canonical_region(value) if value else value


def parse_formats(text: str) -> list[str]:
    """``--format`` of the report commands (``html,md,json,csv``), with a message naming the choices."""
    from ..report.outputs import parse_formats as parse

    return parse(text)


def warn_missing_cjk_font(lang: str | None, fonts=None) -> bool:
    """Before PNG charts are written in Chinese: warn (and say how to install one) when the
    system has no font with Chinese characters; returns whether one was found.
    ``fonts``: the CJK fonts to take as installed instead of asking the system
    (:func:`patentnav.report.fonts.cjk_fonts`)."""
    from ..report.fonts import cjk_fonts

    if lang != "zh":
        return True
    found = cjk_fonts() if fonts is None else list(fonts)
    if found is not None and not found:
        err_console.print(f"[yellow]{safe(t('font.missing', lang))}[/]")
        return False
    return True


def prepare_markdown(lang: str | None) -> None:
    """Before a report with Markdown charts: start kaleido's Chromium in the background (it
    takes seconds to start; the report is built meanwhile) and warn when Chinese PNG charts
    would lack a font (:func:`warn_missing_cjk_font`)."""
    from ..report.markdown import warm_up

    warm_up()
    warn_missing_cjk_font(lang)
