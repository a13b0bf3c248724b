"""The ``patentnav`` command line: thin Click commands over the library."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from rich.table import Table

from ..i18n import LocalizedError, column_label, error_text, t
from .common import LocalizedGroup, cell, console, err_console, handle_errors, lang_option, load_corpus, report_tables, safe, write_issues_csv

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """``--version``: the package version, looked up only when asked (``--help`` stays fast)."""
    if not value or ctx.resilient_parsing:
        return
    from .. import __version__

    click.echo(f"patentnav, version {__version__}")
    ctx.exit()


@click.group(cls=LocalizedGroup, context_settings=CONTEXT)
@click.option("-V", "--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and exit.")
@click.option("--limit", "limit_settings", multiple=True, metavar="NAME=VALUE",
              help="Raise (or lower) an input limit for this run, before the command: "
                   "patentnav --limit input_bytes=8G ingest big.csv. Names: input_bytes, stream_bytes, "
                   "compression_ratio, rows, record_bytes, nesting (docs/limits.md); also PATENTNAV_LIMIT_<NAME>.")
@click.pass_context
def main(ctx: click.Context, limit_settings: tuple[str, ...]) -> None:
    """patentnav: patent navigation (专利导航) and overseas patent-risk early warning (专利预警).

    \b
    Start here:
      patentnav landscape            the industry navigation report (bundled sample, region CN)
      patentnav warn --product examples/drone_product.toml --market US
                                     overseas infringement-risk warning for a product
      patentnav info                 overview of the bundled Lens.org drone sample
      patentnav ingest FILE... -o corpus.parquet
                                     read exports (Lens, PatentsView, USPTO XML, Google
                                     Patents, CNIPA/incoPat/PatSnap CSV/XLSX) into one corpus
      patentnav info corpus.parquet  counts by jurisdiction, year, type, codes, applicants
      patentnav ipc H04W72/04        what a classification code means
      patentnav industries           the strategic emerging industries (SEI) tree
      patentnav names                harmonise applicant names (one firm, one name)
      patentnav trends               yearly counts, growth, life-cycle fit
      patentnav graph                IPC/CPC co-classification graph (GEXF, VOSviewer)
      patentnav clusters             technology fields (Leiden) with labels and growth
      patentnav mainpath             main paths of the citation network
      patentnav gaps --region CN     technologies a region lacks, and who holds them
      patentnav portfolio --holder NAME
                                     a holder's rights: fees, value signals, decisions
                                     (keep, license, pool, abandon, pledge), bring-in lists
      patentnav quality --by applicant
                                     filing quality of regions, applicants, patent agents

    Every command takes --help. Commands that read a CORPUS use the bundled sample
    when none is given. Language (labels, messages, reports), for every command:
    English unless --lang zh or PATENTNAV_LANG=zh (简体中文).
    """
    if limit_settings:
        from ..limits import Limits, using_limits

        try:
            limits = Limits.from_env().with_settings(limit_settings)
        except ValueError as e:
            raise click.UsageError(error_text(e, ctx.meta.get("patentnav.lang")), ctx) from e
        ctx.with_resource(using_limits(limits))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=True))
@click.option("-o", "--output", type=click.Path(),
              help="Write the corpus here: .parquet or .jsonl (to read back), .csv or .xlsx (for spreadsheets), or a "
                   "folder (ending in / or without a suffix) for a partitioned Parquet corpus, written file by file "
                   "(for corpora larger than memory).")
@click.option("--overwrite", is_flag=True, help="Replace an existing partitioned corpus in the output folder.")
@click.option("--format", "fmt", default=None, metavar="NAME",
              help="Reader to use for every file (lens, patentsview, uspto_xml, google, cn_export, jsonl, parquet). Default: detected from each file's content.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when any row is rejected (all problems are still listed).")
@click.option("--issues", "issues_path", type=click.Path(dir_okay=False), help="Write every rejected row and value warning to this CSV.")
@click.option("--show", default=20, show_default=True, help="How many problems to print.")
@lang_option
@handle_errors
def ingest(files, output, overwrite, fmt, strict, issues_path, show, lang):
    """Read patent exports into one de-duplicated corpus.

    FILES are export files (or a PatentsView directory). The format is detected from
    each file's content; every input row is accounted for: read = kept + merged
    duplicates + rejected. Rejected rows and dropped values are listed with file, line
    and field.

    \b
    Examples:
      patentnav ingest lens_export.csv cnipa.xlsx -o corpus.parquet
      patentnav ingest ipg230103.xml --issues problems.csv
      patentnav ingest exports/ -o corpus/      partitioned Parquet (by jurisdiction and year)
    """
    from ..io.spreadsheet import check_output, write_corpus

    if output and _is_folder_target(output):
        from ..io.dataset import ingest_dataset

        report = ingest_dataset(list(files), output, format=fmt, strict=False, overwrite=overwrite,
                                progress=lambda p: err_console.print(f"[dim]{t('ingest.reading', lang)} {safe(Path(p).name)}[/]"))
        corpus = None
    else:
        if output:
            check_output(output)  # before the work: an unsupported suffix is refused, never guessed
        corpus = load_corpus(files, fmt=fmt, lang=lang, require_documents=False)
        report = corpus.report
    for table in report_tables(report, lang, max_issues=show):
        console.print(table)
    if issues_path:
        n = write_issues_csv(report, issues_path, lang)
        console.print(t("ingest.issues_written", lang, n=n, path=safe(issues_path)))
    if (corpus is None and report.kept == 0) or (corpus is not None and len(corpus) == 0):
        # a header-only export, or every row rejected: say which, write nothing, fail
        said = t("ingest.all_rejected", lang, n=f"{report.rows_read:,}") if report.rows_read else t("ingest.no_documents", lang)
        err_console.print(f"[bold red]{said}[/]")
        sys.exit(1)
    if corpus is None:
        console.print(t("ingest.written", lang, n=f"{report.kept:,}", path=safe(output)))
    elif output:
        out = write_corpus(corpus, output)
        note = f" {t('ingest.xlsx_note', lang)}" if out.suffix.lower() in (".csv", ".xlsx") else ""
        console.print(t("ingest.written", lang, n=f"{len(corpus):,}", path=safe(str(out))) + note)
    if strict and report.n_rejected:
        err_console.print(f"[bold red]{t('ingest.strict_failed', lang, n=report.n_rejected)}[/]")
        sys.exit(1)


def _is_folder_target(output: str) -> bool:
    """An output folder (a partitioned Parquet corpus): ends in a separator, is a folder, or has no suffix."""
    return output.endswith(("/", os.sep)) or Path(output).is_dir() or not Path(output).suffix


def _count_table(title: str, head: str, pairs, total: int, lang, label=None, limit: int | None = None) -> Table:
    tab = Table(title=title)
    tab.add_column(head)
    tab.add_column(t("info.count", lang), justify="right")
    tab.add_column(t("info.share", lang), justify="right")
    for value, n in pairs[:limit] if limit else pairs:
        name = str(value) if value is not None else "—"
        if label:
            name = label(value)
        tab.add_row(cell(name), f"{n:,}", f"{100 * n / total:.1f}%" if total else "")
    return tab


@main.command()
@click.argument("corpus", nargs=-1, type=click.Path(exists=True))
@click.option("--top", default=10, show_default=True, help="How many codes and applicants to list.")
@click.option("--format", "fmt", default=None, metavar="NAME", help="Reader name when CORPUS is an export (default: detected).")
@lang_option
@handle_errors
def info(corpus, top, fmt, lang):
    """Overview of a corpus: counts by jurisdiction, document type, year, top codes and applicants.

    CORPUS is a .parquet written by `patentnav ingest`, or any export file(s). Without
    CORPUS the bundled Lens.org drone sample (9,071 documents) is described.
    """
    from ..classify.titles import ipc_title_or_parent

    c = load_corpus(corpus, fmt=fmt, lang=lang, require_documents=False)  # describing an empty export is an answer
    if len(c) == 0:
        err_console.print(f"[yellow]{t('info.no_documents', lang)}[/]")
    s = c.summary(top=top)
    n = s["documents"]
    console.print(f"[bold]{t('info.title', lang)}[/]: {t('info.documents', lang)} {n:,}")
    console.print(_count_table(t("info.jurisdiction", lang), t("info.jurisdiction", lang), s["by_jurisdiction"], n, lang))
    from ..report.labels import has_label

    def doc_type(v):  # Chinese labels for the schema's document types (English keeps the schema value)
        return t(f"pf.type.{v}", lang) if lang == "zh" and has_label(f"pf.type.{v}") else ("—" if v is None else str(v))

    console.print(_count_table(t("info.document_type", lang), t("info.document_type", lang), s["by_document_type"], n, lang,
                               label=doc_type))
    years = s["by_publication_year"]
    ytab = Table(title=t("info.year", lang))
    ytab.add_column(t("info.year", lang))
    ytab.add_column(t("info.count", lang), justify="right")
    ytab.add_column("")
    peak = max((v for _, v in years), default=1)
    for y, v in years[-20:]:
        ytab.add_row(str(y) if y is not None else "—", f"{v:,}", "█" * max(1, round(30 * v / peak)))
    console.print(ytab)
    ctab = Table(title=t("info.top_ipc", lang))
    ctab.add_column(t("info.code", lang))
    ctab.add_column(t("info.title_col", lang), overflow="fold", max_width=60)
    ctab.add_column(t("info.count", lang), justify="right")
    for code, v in s["top_ipc_subclasses"]:
        ctab.add_row(cell(code), cell(ipc_title_or_parent(code, lang), 120), f"{v:,}")
    console.print(ctab)
    console.print(_count_table(t("info.top_applicants", lang), t("info.applicant", lang), s["top_applicants"], n, lang))
    cov = Table(title=t("info.coverage", lang))
    cov.add_column(t("info.field", lang))
    cov.add_column(t("info.with", lang), justify="right")
    for key in ("with_abstract", "with_claims", "with_cited_publications"):
        cov.add_row(column_label(key.removeprefix("with_"), lang), f"{s[key]:,}")
    console.print(cov)


@main.command()
@click.argument("codes", nargs=-1, required=True)
@lang_option
@handle_errors
def ipc(codes, lang):
    """Explain IPC/CPC codes: title, hierarchy, WIPO technology field, SEI fields.

    Any common spelling works: H04W72/04, "H04W 72/04", H04W0072040000,
    "H04W 72/04 (2009.01)", Y02E10/50, B64C2201/123.
    """
    from ..classify.lookup import code_error, describe_code
    from ..classify.titles import ipc_title_or_parent

    status = 0
    sep = "：" if lang == "zh" else ": "
    for text in codes:
        d = describe_code(text)
        if not d.get("valid"):
            err_console.print(f"[bold red]{safe(text)}[/]{sep}{safe(code_error(text).text(lang))}", highlight=False)
            status = 2
            continue
        tab = Table(title=f"{d['code']}" + (f"  ({t('ipc.cpc_only', lang)})" if d.get("is_cpc_only") else ""))
        tab.add_column(t("ipc.level", lang))
        tab.add_column(t("ipc.code", lang))
        tab.add_column(t("ipc.title", lang), overflow="fold")
        fallback = []
        for h in d["hierarchy"]:
            title = h.get("title")
            if title is None:
                title = ipc_title_or_parent(h["code"], lang)
                fallback += [h["code"]] if title else []
            tab.add_row(t(f"level.{h['level']}", lang), cell(h["code"]), cell(title) or "[dim]—[/]")
        console.print(tab)
        if fallback:
            console.print(f"[dim]{t('ipc.parent_note', lang, codes=', '.join(fallback))}[/]")
        wf = d.get("wipo_field")
        if wf:
            console.print(f"{t('ipc.wipo', lang)}{sep}{wf.get('number')} {wf.get('field_zh' if lang == 'zh' else 'field_en', wf.get('field_en', ''))}")
        else:
            console.print(f"{t('ipc.wipo', lang)}{sep}{t('ipc.none', lang)}")
        sei = d.get("sei_fields") or []
        names = ", ".join(f"{s['code']} {s['name_en'] if lang == 'en' else s['name']}" for s in sei) or t("ipc.none", lang)
        console.print(f"{t('ipc.sei', lang)}{sep}{names}\n")
    if status:
        sys.exit(status)


@main.command()
@click.argument("code", required=False)
@lang_option
@handle_errors
def industries(code, lang):
    """The strategic emerging industries (战略性新兴产业) of the CNIPA 2021 SEI-IPC concordance.

    Without CODE: the nine industries and their fields. With an industry or field CODE
    (e.g. 1 or 1.5): its fields and how many IPC codes map to them. Use a field code with
    `--sei` filters in the library: Corpus.filter(sei="1.5").
    """
    from ..classify.sei import sei_tree

    tree = sei_tree()
    tab = Table(title=t("sei.title", lang))
    tab.add_column(t("sei.code", lang))
    tab.add_column(t("sei.name", lang))
    tab.add_column(t("sei.rules", lang), justify="right")
    tab.add_column(t("sei.ipc_codes", lang), justify="right")
    found = False
    for ind in tree:
        if code and not (ind["code"] == code or code.startswith(ind["code"] + ".")):
            continue
        found = True
        name = "name_en" if lang == "en" else "name"
        tab.add_row(f"[bold]{ind['code']}[/]", f"[bold]{ind[name]}[/]", "", f"{ind.get('n_codes', ''):,}" if ind.get("n_codes") is not None else "")
        for f in ind["fields"]:
            if code and "." in code and f["code"] != code:
                continue
            tab.add_row(f"  {f['code']}", f"  {f[name]}", str(f.get("n_rules", "")), f"{f.get('n_codes', 0):,}")
    if code and not found:
        raise LocalizedError("err.sei_code", code=code)
    console.print(tab)
    if lang == "en":
        console.print(f"[dim]{t('sei.translation_note', lang)}[/]")


@main.command()
@click.argument("corpus", nargs=-1, type=click.Path(exists=True))
@click.option("--aliases", type=click.Path(exists=True, dir_okay=False),
              help='CSV with header "alias,canonical": pairs that always group, e.g. the line  华为技术有限公司,"Huawei Technologies Co., Ltd."  (quote a name that holds a comma).')
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the raw -> canonical mapping here (CSV): each name with the reason and evidence that put it in its group.")
@click.option("--links", "links_out", type=click.Path(dir_okay=False), help="Write every link (reason, evidence count, detail) here (CSV).")
@click.option("--threshold", default=92.0, show_default=True, help="Minimum similarity (0-100) for two normalised firm names to link.")
@click.option("--max-edits", default=3, show_default=True, help="Maximum Indel distance (typos) between linked names.")
@click.option("--min-evidence", default=2, show_default=True,
              help="Patent families (or stating mentions) a cross-script or acronym link needs.")
@click.option("--top", default=15, show_default=True, help="How many merged groups to show.")
@click.option("--format", "fmt", default=None, metavar="NAME", help="Reader name when CORPUS is an export (default: detected).")
@lang_option
@handle_errors
def names(corpus, aliases, output, links_out, threshold, max_edits, min_evidence, top, fmt, lang):
    """Harmonise applicant names: one firm, one name.

    Normalises names (case, accents, punctuation, legal forms in many languages, common
    words; Magerman, Van Looy & Song 2006), links typo variants within blocks (rapidfuzz),
    Chinese names with and without their division prefix (深圳市大疆创新科技 = 大疆创新科技),
    branches to their legal entity (...南京分公司), acronyms stated next to their expansion,
    and Chinese to Latin-script names that patent families in the corpus pair at the same
    applicant position (at least --min-evidence families). Individuals are kept apart; your
    aliases always win. Shows why names were merged and the largest groups; -o writes the
    mapping to review, --links every link with its evidence.

    \b
    Examples:
      patentnav names                          the bundled drone sample
      patentnav names cnipa.csv lens.csv --links links.csv -o mapping.csv
      patentnav names corpus.parquet --aliases aliases.csv -o mapping.csv
    """
    from ..names import write_links_csv, write_mapping_csv
    from ..names.links import REASONS

    c = load_corpus(corpus, fmt=fmt, lang=lang)
    h = c.harmonize_applicants(aliases=aliases, threshold=threshold, max_edits=max_edits, min_evidence=min_evidence)
    m = h.applicant_mapping
    n_groups = int(m["group"].nunique())
    console.print(t("names.summary", lang, raw=len(m), groups=n_groups, merged=len(m) - n_groups,
                    persons=int(m["is_individual"].sum())))
    counts = h.applicant_links["reason"].value_counts()
    if len(counts):
        why = Table(title=t("names.reasons", lang))
        why.add_column(t("names.reason", lang))
        why.add_column(t("names.links", lang), justify="right")
        why.add_column(t("names.meaning", lang), overflow="fold")
        for reason in REASONS:
            if reason in counts:
                why.add_row(reason, f"{int(counts[reason]):,}", t(f"names.reason.{reason}", lang))
        console.print(why)
    groups = (m.groupby("group").agg(canonical=("canonical", "first"), variants=("raw", "size"), count=("count", "sum"),
                                     raw=("raw", lambda s: list(s)))
              .query("variants > 1").sort_values(["variants", "count"], ascending=False).head(top))
    tab = Table(title=t("names.title", lang))
    tab.add_column(t("names.canonical", lang), overflow="fold")
    tab.add_column(t("names.variants", lang), justify="right")
    tab.add_column(t("names.documents", lang), justify="right")
    tab.add_column(t("names.examples", lang), overflow="fold")
    for row in groups.itertuples():
        tab.add_row(cell(row.canonical), str(row.variants), f"{row.count:,}", cell("; ".join(row.raw[:4]) + (" ..." if len(row.raw) > 4 else "")))
    console.print(tab)
    if output:
        write_mapping_csv(m, output)
        console.print(t("names.written", lang, path=safe(output)))
    if links_out:
        write_links_csv(h.applicant_links, links_out)
        console.print(t("names.links_written", lang, path=safe(links_out)))


from .landscape_cmds import COMMANDS as _LANDSCAPE  # noqa: E402
from .quality_cmds import COMMANDS as _QUALITY  # noqa: E402
from .report_cmds import COMMANDS as _REPORT  # noqa: E402
from .portfolio_cmds import COMMANDS as _PORTFOLIO  # noqa: E402
from .warn_cmds import COMMANDS as _WARN  # noqa: E402

for _cmd in _LANDSCAPE + _QUALITY + _REPORT + _WARN + _PORTFOLIO:
    main.add_command(_cmd)

if __name__ == "__main__":  # pragma: no cover
    main()
