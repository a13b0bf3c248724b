"""CLI command ``landscape``: the full patent-navigation report (HTML, Markdown, JSON, CSV)."""

from __future__ import annotations

import time
from pathlib import Path

import click
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..i18n import t
from .common import cell, console, err_console, handle_errors, load_corpus, plan_out, safe

_STEPS = ("scope", "regions", "trends", "fields", "key_patents", "main_path", "applicants", "positioning", "gaps", "talent", "done")


@click.command()
@click.argument("corpus", nargs=-1, type=click.Path(exists=True))
@click.option("--industry", default=None, help="Scope to a CNIPA SEI field or industry (e.g. 2.2; see `patentnav industries`).")
@click.option("--ipc", "ipc_patterns", multiple=True, help="Scope to IPC prefixes (repeatable), e.g. --ipc B64C --ipc B64U.")
@click.option("--query", default=None, help='Scope to a keyword query, e.g. "无人机 OR drone".')
@click.option("--region", default="CN", show_default=True, help="Region key: CN, CN-GD, CN-GD-Shenzhen (or FIRMS with --firms).")
@click.option("--firms", default=None, help="Comma-separated firm names (or a CSV with a 'name' column) forming the region FIRMS.")
@click.option("--out", "out_dir", default="patentnav-report", show_default=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--format", "formats", default="html,md,json,csv", show_default=True, help="Comma-separated: html, md, json, csv.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Report language.")
@click.option("--seed", default=42, show_default=True, help="Random seed (clustering, layout).")
@handle_errors
def landscape(corpus, industry, ipc_patterns, query, region, firms, out_dir, formats, lang, seed):
    """Landscape report (产业规划类专利导航, GB/T 39551): scope, direction, positioning, paths.

    \b
    Examples:
      patentnav landscape                       bundled drone sample, region CN
      patentnav landscape corpus.parquet --industry 2.2 --region CN-GD --lang en
      patentnav landscape --format json,csv --out report/
    """
    import pandas as pd

    from ..report import build_landscape_report
    from ..report.outputs import parse_formats, write_outputs

    try:
        fmts = parse_formats(formats)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--format") from e
    firm_list = None
    if firms:
        p = Path(firms)
        if p.is_file():
            table = pd.read_csv(p)
            if "name" not in table.columns:
                raise click.BadParameter(f"{p}: no 'name' column (columns: {', '.join(map(str, table.columns))}); "
                                         "write one firm name per row under a 'name' header", param_hint="--firms")
            firm_list = table["name"].dropna().astype(str).tolist()
        else:
            firm_list = [f.strip() for f in firms.split(",") if f.strip()]
    plan = plan_out(out_dir, fmts, "report", lang)  # fail on a bad --out before the work, not after
    t0 = time.perf_counter()
    c = load_corpus(corpus, lang=lang)
    with Progress(SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(), console=err_console, transient=True) as prog:
        task = prog.add_task("report", total=len(_STEPS))
        seen: list[str] = []

        def step(name: str) -> None:
            if seen:
                prog.advance(task)
            seen.append(name)
            prog.update(task, description=t("land.step." + name, lang))

        report = build_landscape_report(c, region=region, industry=industry, ipc=list(ipc_patterns) or None, query=query,
                                        lang=lang, firms=firm_list, seed=seed, progress=step)
        prog.update(task, completed=len(_STEPS))
    written = write_outputs(report, out_dir, fmts, stem="report", plan=plan)
    meta = report["meta"]
    tab = Table(title=safe(meta["title"]), show_header=False)
    tab.add_column("", style="bold")
    tab.add_column("", overflow="fold")
    tab.add_row(t("land.documents", lang), f"{meta['scope']['documents']:,} / {meta['scope']['of']:,}")
    tab.add_row(t("land.region", lang), cell(meta["region"]))
    tab.add_row(t("land.cutoff", lang), cell(meta["cutoff"]))
    for sec in report["sections"]:
        tab.add_row(cell(sec["title"]), t("land.contents", lang, tables=len(sec["tables"]), charts=len(sec["charts"])))
    for fmt, path in written:
        tab.add_row(fmt, cell(path))
    tab.add_row(t("land.time", lang), f"{time.perf_counter() - t0:.1f} s")
    console.print(tab)
    secs = {sec["id"]: sec["paragraphs"] for sec in report["sections"]}
    findings = secs.get("direction", [])[1:3] + secs.get("positioning", [])[1:2] + secs.get("paths", [])[1:2]
    if findings:
        console.print(f"[bold]{t('land.findings', lang)}[/]")
        for p in findings:
            console.print(f"  • {safe(p)}")
    html = next((path for fmt, path in written if fmt == "html"), None)
    if html:
        console.print(t("land.open", lang, path=safe(html)))


COMMANDS = [landscape]
