"""CLI command ``warn``: overseas infringement-risk screening of a product (专利预警)."""

from __future__ import annotations

import time
from pathlib import Path

import click
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..i18n import t
from .common import (console, err_console, handle_errors, lang_option, load_corpus, option_lang, parse_formats, plan_out, safe,
                     prepare_markdown)

_STEPS = ("names", "relevance", "status", "holders", "risk", "prior_art", "summary", "monitoring", "report")
_GRADE_STYLE = {"high": "bold red", "medium": "yellow", "watch": "cyan", "low": "dim"}
#: Exit status when no requested market can be assessed with the data (nothing was screened)
EXIT_NOT_ASSESSABLE = 3


def _check_date(ctx, param, value):
    """--as-of / --since within the dates the tool can compute with (terms run 20+ years)."""
    from ..warning.profile import DATE_RANGE

    if value is not None and not (DATE_RANGE[0] <= value.date() <= DATE_RANGE[1]):
        raise click.BadParameter(t("err.option_date_range", option_lang(ctx), value=str(value.date()),
                                   first=str(DATE_RANGE[0]), last=str(DATE_RANGE[1])))
    return value


@click.command()
@click.argument("corpus", nargs=-1, type=click.Path(exists=True))
@click.option("--product", "product_file", type=click.Path(exists=True, dir_okay=False),
              help="Product profile (TOML or JSON): name, features, keywords, codes, own names, markets, launch date. "
                   "See examples/drone_product.toml and docs/warning-profile.md.")
@click.option("--market", "markets", multiple=True, metavar="CC",
              help="Target market (ISO code: US, DE, EP, CN, JP, ...); repeatable. Overrides the profile's markets.")
@click.option("--name", help="Product name (instead of, or overriding, the profile's).")
@click.option("--feature", "features", multiple=True,
              help="A technical feature, one sentence (zh or en); repeatable. Replaces the profile's features.")
@click.option("--keyword", "keywords", multiple=True,
              help="A keyword (use both languages: 无人机, drone); repeatable. Replaces the profile's keywords.")
@click.option("--code", "codes", multiple=True,
              help="An IPC/CPC code of the product (B64C 39/024); repeatable. Replaces the profile's codes.")
@click.option("--own", "own_names", multiple=True,
              help="Your firm's name or alias (never a threat); repeatable. Replaces the profile's own names.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD", callback=_check_date,
              help="Date of the legal status (YYYY-MM-DD, 1900-01-01 to 2200-12-31). Default: today.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD", callback=_check_date,
              help="Also list publications since this date (YYYY-MM-DD) in the product's codes or by watched competitors.")
@click.option("--litigation", type=click.Path(exists=True, dir_okay=False),
              help="Litigation cases (CSV/XLSX: plaintiff, defendant, patent, filed, court...) to weigh litigious holders.")
@click.option("--npe", "npe_names", multiple=True, help="A holder you know to be a non-practising entity; repeatable.")
@click.option("--firm", "firm_names", multiple=True,
              help="A holder you know to be an operating firm (overrides the likely-NPE heuristics); repeatable.")
@click.option("--candidates", default=300, show_default=True, type=click.IntRange(1, 100000),
              help="Most relevant documents to score.")
@click.option("--out", "out_dir", default="patentnav-warning", show_default=True, type=click.Path(file_okay=False),
              help="Directory for the report files.")
@click.option("--format", "formats", default="html,md,json,csv", show_default=True,
              help="Comma-separated outputs: html, md, json, csv.")
@lang_option
@handle_errors
def warn(corpus, product_file, markets, name, features, keywords, codes, own_names, as_of, since, litigation,
         npe_names, firm_names, candidates, out_dir, formats, lang):
    """Overseas infringement-risk warning for a product (专利预警).

    Lists the patents that threaten the product in each target market: in force there (or
    able to enter it through a family member, EP validation or an open PCT window), held by
    others, and reading on the product's features and codes. Each gets a risk score 0-100
    with its parts (relevance, in force, strength, holder), a grade (high >= 50, medium >= 25)
    and a suggested action (design around, licence, challenge, wait for expiry, monitor).
    A first screen for people, not a legal opinion.

    The profile may be in Chinese, English or both: Chinese features find English patents
    (and English features Chinese ones) through a bilingual dictionary, a multilingual
    sentence encoder and the codes (examples/drone_product_zh.toml). A grade above low needs
    shared words; patents that share only codes are listed as "codes only, not assessed by
    text". Pending applications that would be medium or high if granted are graded "watch".

    \b
    Exit status: 0 when the screen ran; 1 on bad input; 2 on a usage error;
    3 when no requested market can be assessed with the data (no document of
    that office, no European patent for it, no family links): the report then
    says "not assessed", never "no threat".

    \b
    Examples:
      patentnav warn --product examples/drone_product.toml --market US
      patentnav warn corpus.parquet --product product.toml --market US --market DE --as-of 2026-12-01
      patentnav warn corpus.parquet --name "camera drone" --feature "three-axis gimbal" --code B64U10/13 --market US
      patentnav warn corpus.parquet --product product.toml --since 2026-06-01 --litigation cases.csv --lang zh
    """
    from ..report.outputs import write_outputs
    from ..report.warn_model import build_warning_report, terminal_grades, terminal_rows
    from ..warning import ProductProfile, read_litigation, screen

    fmts = parse_formats(formats)
    overrides = {"name": name, "features": features or None, "keywords": keywords or None, "codes": codes or None,
                 "own_names": own_names or None, "markets": markets or None}
    if product_file:
        profile = ProductProfile.from_file(product_file).with_options(**overrides)
    elif name and (features or codes or keywords):
        profile = ProductProfile(name=name).with_options(**overrides)
    else:
        raise click.UsageError(t("w.no_profile", lang))
    plan = plan_out(out_dir, fmts, "warning", lang, extra=("risks_all.csv",) if "csv" in fmts else ())  # fail early on a bad --out
    lit = read_litigation(litigation) if litigation else None
    t0 = time.perf_counter()
    c = load_corpus(corpus, lang=lang)
    if "md" in fmts:
        prepare_markdown(lang)
    with Progress(SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
                  TimeElapsedColumn(), console=err_console, transient=True) as prog:
        task = prog.add_task("warn", total=len(_STEPS))

        def step(s: str) -> None:
            prog.update(task, advance=1, description=t("w.step." + s, lang))

        result = screen(c, profile, as_of=as_of, litigation=lit, npe_names=npe_names, firm_names=firm_names,
                        since=since, candidates=candidates, progress=step)
        step("report")
        report = build_warning_report(result, lang=lang)

        def full_tables(folder: Path) -> list[tuple[str, str]]:
            if "csv" not in fmts:
                return []
            out = [("csv", str(_write_all_risks(result.risks, folder / "risks_all.csv")))]
            if result.monitoring is not None:
                out.append(("csv", str(_write_all_risks(result.monitoring, folder / "monitoring_all.csv"))))
            return out

        written = write_outputs(report, out_dir, fmts, stem="warning", extra=full_tables, plan=plan)
        prog.update(task, completed=len(_STEPS))

    from ..report.warn_model import text_caveats

    shown_first = text_caveats(result, lang)
    for cav in shown_first:  # what the product text matched, first
        console.print(f"[yellow]{safe(cav)}[/]")
    assessable = result.markets["assessable"].astype(bool)
    for m in result.markets.itertuples():
        if m.assessable:
            console.print(t("w.summary", lang, market=safe(m.market), threatening=m.threatening, high=m.high, medium=m.medium,
                            watch=m.watch, low=m.low))
            if m.unassessed:
                console.print(f"[yellow]{safe(t('w.summary.unassessed', lang, market=m.market, n=m.unassessed))}[/]")
        else:
            console.print(f"[yellow]{safe(t('w.risks.no_data', lang, market=m.market))}[/]")
    if result.params["candidates"] == 0 and not result.unassessed_count():
        console.print(f"[yellow]{safe(t('w.cav.no_match', lang))}[/]")
    rows = terminal_rows(result, lang)
    if rows:
        tab = Table(title=t("w.table", lang))
        keys = ("market", "publication", "title", "holder", "status", "risk", "grade", "action")
        shown = [k for k in keys if k != "title" or console.width >= 120]  # narrow terminals: no titles
        for key in shown:
            tab.add_column(t(f"w.col.{key}", lang), justify="right" if key == "risk" else "left",
                           overflow="fold", no_wrap=key == "publication", max_width=48 if key == "title" else None)
        for r, g in zip(rows, terminal_grades(result, len(rows))):
            tab.add_row(*[safe(v) for k, v in zip(keys, r) if k in shown], style=_GRADE_STYLE.get(g))
        console.print(tab)
    elif assessable.any() and not result.unassessed_count() and result.params.get("text_evidence", 1):
        console.print(t("w.none", lang))
    for cav in [c for c in report["meta"]["caveats"] if c not in shown_first][:1]:  # the next caveat, once
        console.print(f"[dim]{safe(cav)}[/]")
    for fmt, path in written:
        console.print(f"[bold]{fmt}[/] {safe(path)}")
    console.print(f"[dim]{t('land.time', lang)}: {time.perf_counter() - t0:.1f} s[/]")
    if not assessable.any():
        err_console.print(f"[red]{safe(t('w.none_assessable', lang, markets=', '.join(result.markets['market'])))}[/]")
        raise SystemExit(EXIT_NOT_ASSESSABLE)


def _write_all_risks(frame, path: Path) -> Path:
    """Every row with every column (lists joined with '; '), formulas neutralised."""
    import csv

    from ..safety import neutralize_csv_cell

    df = frame.drop(columns=["row"], errors="ignore")
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(df.columns)
        for row in df.itertuples(index=False):  # the risk rows only (candidates x markets)
            w.writerow([neutralize_csv_cell(_csv_value(k, v)) for k, v in zip(df.columns, row)])
    return path


def _csv_value(key: str, v):
    if key == "matched_features":
        return "; ".join(f"{'keywords' if int(i) < 0 else f'feature {int(i) + 1}'}: {', '.join(terms)}" for i, terms in (v or []))
    if isinstance(v, (list, tuple)):
        return "; ".join(map(str, v))
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return v


COMMANDS = [warn]
