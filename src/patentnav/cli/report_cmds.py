"""CLI command ``landscape``: the full patent-navigation report (HTML, Markdown, JSON, CSV)."""

from __future__ import annotations

import time

import click
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..i18n import t
from .common import (cell, console, err_console, freeze_imports, handle_errors, lang_option, load_corpus, parse_firms,
                     plan_out, region_option, safe)

_STEPS = ("scope", "regions", "trends", "fields", "key_patents", "main_path", "applicants", "positioning", "quality", "gaps", "talent",
          "done")


@click.command()
@click.argument("corpus", nargs=-1, type=click.Path(exists=True))
@click.option("--industry", default=None, help="Scope to a CNIPA SEI field or industry (e.g. 2.2; see `patentnav industries`).")
@click.option("--ipc", "ipc_patterns", multiple=True, help="Scope to IPC prefixes (repeatable), e.g. --ipc B64C --ipc B64U.")
@click.option("--query", default=None, help='Scope to a keyword query, e.g. "无人机 OR drone".')
@click.option("--region", default="CN", show_default=True, callback=region_option,
              help="Region key, any letter case: CN (country), CN-GD (province), CN-GD-Shenzhen (city; needs applicant "
                   "addresses, as in CNIPA exports), or FIRMS with --firms.")
@click.option("--firms", default=None, help="Comma-separated firm names, or a CSV file with a 'name' column, forming the region FIRMS.")
@click.option("--out", "out_dir", default="patentnav-report", show_default=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--format", "formats", default="html,md,json,csv", show_default=True, help="Comma-separated: html, md, json, csv.")
@lang_option
@click.option("--seed", default=42, show_default=True, help="Random seed (clustering, layout).")
@click.option("--engine", "engine_name", type=click.Choice(["memory", "duckdb", "spark"]), default=None,
              help="Who computes the aggregations: memory (NumPy/SciPy; default for export files), duckdb (out of core; "
                   "default for a partitioned Parquet corpus folder) or spark (pip install \"patentnav[spark]\", Java 17+). "
                   "The report is the same with each.")
@click.option("--spark-master", default=None, metavar="URL",
              help="Spark master for --engine spark: local[2], spark://host:7077, yarn (default: the one spark-submit sets, else local[*]).")
@click.option("--memory-limit", default=None, metavar="SIZE", help="DuckDB memory limit, e.g. 6GB (beyond it DuckDB spills to disk).")
@handle_errors
def landscape(corpus, industry, ipc_patterns, query, region, firms, out_dir, formats, lang, seed, engine_name, spark_master,
              memory_limit):
    """Landscape report (产业规划类专利导航, GB/T 39551): scope, direction, positioning, paths.

    \b
    Examples:
      patentnav landscape                       bundled drone sample, region CN
      patentnav landscape --lang zh             the same report in Chinese
      patentnav landscape corpus.parquet --industry 2.2 --region CN-GD
      patentnav landscape --format json,csv --out report/
      patentnav landscape corpus/ --industry 2.2 --engine duckdb    a Parquet corpus folder (patentnav ingest -o corpus/)
      spark-submit --master yarn $(which patentnav) landscape /mnt/shared/corpus/ --engine spark
                                                    (a folder the driver and every executor can read)

    A corpus folder is streamed through the scope (--industry/--ipc/--query), so only the
    documents in scope are held in memory; the aggregations run in the chosen engine.

    The Markdown report's PNG charts need a font with Chinese characters for --lang zh
    (Debian/Ubuntu: apt-get install fonts-noto-cjk); patentnav warns when there is none.
    """
    from ..report import build_landscape_report
    from ..report.outputs import write_outputs
    from .common import parse_formats, prepare_markdown

    fmts = parse_formats(formats)
    firm_list = parse_firms(firms)
    plan = plan_out(out_dir, fmts, "report", lang)  # fail on a bad --out before the work, not after
    if "md" in fmts:
        prepare_markdown(lang)
    t0 = time.perf_counter()
    from ..engine import Engine
    from ..engine.dataset import Dataset, is_dataset

    freeze_imports()  # the libraries are in; the corpus is not read yet
    folder = len(corpus) == 1 and is_dataset(corpus[0])
    engine = Engine(engine_name or ("duckdb" if folder else "memory"), master=spark_master, memory_limit=memory_limit)
    if folder:
        with err_console.status(t("land.step.scope", lang)):
            c = Dataset(corpus[0]).scope(industry=industry, ipc=list(ipc_patterns) or None, query=query)
    else:
        from ..report.context import landscape_columns

        c = load_corpus(corpus, lang=lang, columns=landscape_columns())
    held = [c]  # handed over below: the report then holds the only reference and lets its columns go
    del c
    with Progress(SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(), console=err_console, transient=True) as prog:
        task = prog.add_task("report", total=len(_STEPS))
        seen: list[str] = []

        def step(name: str) -> None:
            if seen:
                prog.advance(task)
            seen.append(name)
            prog.update(task, description=t("land.step." + name, lang))

        pngs = _png_export(fmts, lang)  # each Markdown PNG renders as soon as its chart is built
        try:
            report = build_landscape_report(held.pop(), region=region, industry=industry, ipc=list(ipc_patterns) or None,
                                            query=query, lang=lang, firms=firm_list, seed=seed, progress=step,
                                            engine=engine, on_chart=pngs and (lambda chart: pngs.add([chart])))
        finally:
            if pngs is not None:
                pngs.close()
        prog.update(task, completed=len(_STEPS))
    written = write_outputs(report, out_dir, fmts, stem="report", plan=plan, pngs=pngs)
    meta = report["meta"]
    tab = Table(title=safe(meta["title"]), show_header=False)
    tab.add_column("", style="bold")
    tab.add_column("", overflow="fold")
    tab.add_row(t("land.documents", lang), f"{meta['scope']['documents']:,} / {meta['scope']['of']:,}")
    tab.add_row(t("land.region", lang), cell(meta["region"]))
    tab.add_row(t("land.cutoff", lang), cell(meta["cutoff"]))
    tab.add_row(t("land.engine", lang), cell(_engine_label(engine, lang)))
    for sec in report["sections"]:
        tab.add_row(cell(sec["title"]), t("land.contents", lang, tables=len(sec["tables"]), charts=len(sec["charts"])))
    for fmt, path in written:
        tab.add_row(fmt, cell(path))
    tab.add_row(t("land.time", lang), f"{time.perf_counter() - t0:.1f} s")
    console.print(tab)
    findings = (meta.get("summary") or {}).get("paragraphs") or []
    if findings:
        console.print(f"[bold]{t('land.findings', lang)}[/]")
        for p in findings:
            console.print(f"  • {safe(p)}")
    html = next((path for fmt, path in written if fmt == "html"), None)
    if html:
        console.print(t("land.open", lang, path=safe(html)))


def _png_export(fmts, lang):
    """A PNG export to feed chart by chart when the Markdown report is asked for."""
    if "md" not in fmts:
        return None
    from ..report.charts import Figures
    from ..report.markdown import PngExport

    return PngExport(figures=Figures("zh" if lang == "zh" else "en"))


COMMANDS = [landscape]


def _engine_label(engine, lang: str) -> str:
    """The engine as a reader names it ("in memory (Apache Arrow)", "DuckDB, out of core, memory limit 6GB")."""
    limit = t("land.engine.limit", lang, v=engine.memory_limit) if engine.memory_limit else ""
    master = t("land.engine.master", lang, v=engine.master) if engine.master else ""
    return t(f"land.engine.{engine.name}", lang, limit=limit, master=master)
