"""CLI command ``portfolio``: put idle patents to work (盘活存量专利) - inventory, fees, value
signals, decisions, pools and patents to bring in."""

from __future__ import annotations

import time
from pathlib import Path

import click
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..i18n import t
from .common import (console, err_console, handle_errors, lang_option, load_corpus, plan_out, prepare_markdown,
                     region_option, safe)

_STEPS = ("select", "status", "indicators", "fees", "region", "prospects", "survival", "decisions", "report")
_STYLE = {"abandon": "yellow", "license_or_sell": "green", "pool": "magenta", "ended": "dim"}


@click.command()
@click.argument("corpus", nargs=-1, type=click.Path(exists=True))
@click.option("--holder", "holders", multiple=True, metavar="NAME",
              help="A holder's name as applicants are written (any case, punctuation or legal form); repeatable "
                   "for a group of firms. Give this or --region.")
@click.option("--region", default=None, metavar="KEY", callback=region_option,
              help="A region (CN, CN-GD, CN-GD-Shenzhen): the portfolio of all its applicants. With --holder, the "
                   "region of the pools and bring-in lists (default: the holder's main priority country).")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Date of the legal status and start of the fee window (YYYY-MM-DD). Default: today.")
@click.option("--years", default=5, show_default=True, type=click.IntRange(1, 20), help="Fee window in years.")
@click.option("--us-entity", type=click.Choice(["large", "small", "micro"]), default="large", show_default=True,
              help="US entity size for maintenance fees (37 CFR 1.27, 1.29).")
@click.option("--cn-reduction", type=click.Choice(["85", "70"]), default=None,
              help="CN fee reduction (费减) of the holder: 85 (single qualifying applicant) or 70 (several).")
@click.option("--product", "product_file", type=click.Path(exists=True, dir_okay=False),
              help="The holder's product profile (TOML/JSON, as for `patentnav warn`): rights that read on it are kept, "
                   "the others may be licensed, sold or abandoned.")
@click.option("--harmonize/--no-harmonize", default=True, show_default=True,
              help="Count holders by harmonised names (city prefixes, branches, typos and cross-script names of one firm "
                   "merged), as the landscape report does; a corpus harmonised already is used as it is. --no-harmonize: "
                   "names as written (faster on large corpora).")
@click.option("--out", "out_dir", default="patentnav-portfolio", show_default=True, type=click.Path(file_okay=False),
              help="Directory for the report files.")
@click.option("--format", "formats", default="html,md,json,csv", show_default=True,
              help="Comma-separated outputs: html, md, json, csv.")
@lang_option
@handle_errors
def portfolio(corpus, holders, region, as_of, years, us_entity, cn_reduction, product_file, harmonize, out_dir, formats, lang):
    """Put idle patents to work (盘活存量专利): inventory, fees, value signals and decisions.

    For a holder (or all holders of a region): every right with its status, expiry,
    remaining term, family and markets, WIPO and SEI fields and the renewal fees due by
    office; legal, technical and economic value indicators (GB/T 42748-2023) against the
    document's cohort; CNIPA's high-value criteria; a decision per right with its reasons
    (keep, license out or sell, pool, abandon with the money saved) and pledge readiness;
    licensee prospects with their regions; for the region, pools of its holders' rights that
    cover a gap and the patents to bring in (引进急需专利) or free to use, read from the gap
    analysis. Every holder of a region says what places it there: an address, a country code
    or a firm list locates it; a priority country only says "first filed in CN", never local.
    Signals and reasons, not a price.

    \b
    Examples:
      patentnav portfolio --holder "SZ DJI TECHNOLOGY CO LTD"
      patentnav portfolio --region CN --as-of 2018-01-01 --lang zh
      patentnav portfolio corpus.parquet --holder "Huawei Technologies Co Ltd" --holder "华为技术有限公司" --cn-reduction 70
      patentnav portfolio corpus.parquet --holder "ACME" --product examples/drone_product.toml --years 10 --us-entity small
    """
    from ..portfolio import portfolio as run
    from ..report.outputs import write_outputs
    from ..report.portfolio_model import build_portfolio_report
    from .common import parse_formats

    fmts = parse_formats(formats)  # a catalog error, said in the session's language (handle_errors)
    if not holders and not region:
        raise click.UsageError(t("pf.no_target", lang))
    product = None
    if product_file:
        from ..warning import ProductProfile

        product = ProductProfile.from_file(product_file)
    plan = plan_out(out_dir, fmts, "portfolio", lang, extra=("rights_all.csv",) if "csv" in fmts else ())  # fail early on a bad --out
    if "md" in fmts:
        prepare_markdown(lang)
    t0 = time.perf_counter()
    c = load_corpus(corpus, lang=lang)
    with Progress(SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
                  TimeElapsedColumn(), console=err_console, transient=True) as prog:
        task = prog.add_task("portfolio", total=len(_STEPS))

        def step(s: str) -> None:
            prog.update(task, advance=1, description=t("pf.step." + s, lang))

        result = run(c, holders=list(holders) or None, region=region, as_of=as_of, years=years,
                     us_entity=us_entity, cn_reduction=cn_reduction, product=product, progress=step, harmonize=harmonize)
        step("report")
        report = build_portfolio_report(result, lang=lang)

        def all_rights(folder: Path) -> list[tuple[str, str]]:
            if "csv" not in fmts:
                return []
            _write_rights(result.rights, folder / "rights_all.csv", lang)
            return [("csv", str(folder / "rights_all.csv"))]

        written = write_outputs(report, out_dir, fmts, stem="portfolio", extra=all_rights, plan=plan)
        prog.update(task, completed=len(_STEPS))
    _print_summary(result, report, written, lang, t0)


def _print_summary(result, report, written, lang, t0) -> None:
    from ..report.portfolio_model import terminal_rows

    f = result.rights
    counts = f["decision"].value_counts()
    fees = result.fees.totals()
    fee_text = ", ".join(f"{a:,.0f} {c}" for c, a in fees.groupby("currency")["amount"].sum().items()) or "0"
    console.print(f"[bold]{safe(report['meta']['title'])}[/]")
    console.print(safe(t("pf.summary", lang, n=len(f), alive=int(f["status"].isin(["in_force", "pending"]).sum()),
                           counts=", ".join(f"{t('pf.dec.' + d, lang)} {int(n)}" for d, n in counts.items()),
                           ready=int(f["pledge_ready"].sum()), years=result.params["years"], fees=fee_text)))
    rows = terminal_rows(result, lang)
    tab = Table(title=t("pf.table", lang))
    keys = ("publication", "title", "status", "value", "decision", "reasons")
    shown = [k for k in keys if k != "title" or console.width >= 120]
    labels = {"publication": t("w.col.publication", lang), "title": t("w.col.title", lang),
              "status": t("w.col.status", lang), "value": t("pf.c.value_index", lang),
              "decision": t("pf.c.decision", lang), "reasons": t("pf.c.reasons", lang)}
    for k in shown:
        tab.add_column(labels[k], justify="right" if k == "value" else "left", overflow="fold",
                       no_wrap=k == "publication", max_width=44 if k == "title" else None)
    order = f.assign(_o=f["decision"].map({"license_or_sell": 0, "abandon": 1, "pool": 2, "keep": 3, "review": 4, "ended": 5}))
    order = order.sort_values(["_o", "value_index", "publication_number"], ascending=[True, False, True], kind="mergesort")
    for r, d in zip(rows, order["decision"].head(len(rows))):
        tab.add_row(*[safe(v) for k, v in zip(keys, r) if k in shown], style=_STYLE.get(d))
    console.print(tab)
    from ..report.portfolio_model import region_caveat

    proxy = region_caveat(result, lang)
    for cav in report["meta"]["caveats"][2:4] + ([proxy] if proxy else []):
        console.print(f"[dim]{safe(cav)}[/]")
    for fmt, path in written:
        console.print(f"[bold]{fmt}[/] {safe(path)}")
    console.print(f"[dim]{t('land.time', lang)}: {time.perf_counter() - t0:.1f} s[/]")


def _write_rights(frame, path: Path, lang: str) -> None:
    """Every right with every column (lists joined with '; ', reasons as text), formulas neutralised."""
    from ..report.portfolio_model import reasons_text
    from .common import write_csv

    df = frame.copy()
    df["reasons"] = [reasons_text(r, lang) for r in df["reasons"]]
    for c in df.columns:
        if df[c].dtype == object:
            df[c] = [("; ".join(map(str, v)) if isinstance(v, (list, tuple)) else ("" if v is None else v))
                     for v in df[c]]
    write_csv(df, path)


COMMANDS = [portfolio]
