"""CLI command ``quality``: filing-quality profiles of regions, applicants and patent agents."""

from __future__ import annotations

import json
import math
from pathlib import Path

import click
from rich.table import Table

from ..i18n import LocalizedError, t
from .common import cell, console, err_console, handle_errors, lang_option, load_corpus, region_option, safe, write_csv

#: Indicators shown in the terminal table (all are in the CSV/JSON), when the corpus gives them.
TERMINAL = ("quality_index", "independent_claims", "first_claim_words", "family_breadth", "grant_lag",
            "pct", "kept_10y", "high_value")
_SHARES = ("pct", "kept_10y", "high_value")


def _num(x, digits: int = 2) -> str:
    return "—" if x is None or (isinstance(x, float) and not math.isfinite(x)) else f"{x:.{digits}f}"


def _cell(row, c: str, share: bool) -> str:
    """Value over its 95% interval (two lines), "—" where the group has no value."""
    if not row[f"{c}_n"]:
        return "—"
    if share:
        return f"{100 * row[f'{c}_share']:.0f}%\n[dim]{100 * row[f'{c}_lo']:.0f}–{100 * row[f'{c}_hi']:.0f}%[/]"
    return f"{_num(row[f'{c}_est'])}\n[dim]{_num(row[f'{c}_lo'])}–{_num(row[f'{c}_hi'])}[/]"


def profiles_json(p) -> dict:
    """The profiles as plain JSON data (floats rounded to 6 significant digits, NaN as null)."""
    from ..report.parts import rnd

    def clean(v):
        if isinstance(v, (list, tuple)):
            return [clean(x) for x in v]
        if isinstance(v, dict):
            return {str(k): clean(x) for k, x in v.items()}
        return rnd(v) if not isinstance(v, str) else v

    groups = [clean(r) for r in p.table.to_dict(orient="records")]
    return {"by": p.by, "params": clean(p.params), "documents": p.documents, "corpus_documents": p.corpus_documents,
            "available": p.available, "unavailable": {c: p.availability.get(c, c) for c in p.unavailable},
            "availability": p.availability, "world": clean(p.world), "groups": groups}


def profiles_frame(p):
    """The profiles table for CSV: the group's publication numbers joined by '; '."""
    df = p.table.copy()
    df["publication_numbers"] = ["; ".join(x) for x in df["publication_numbers"]]
    return df


@click.command()
@click.argument("corpus", nargs=-1, type=click.Path(exists=True))
@click.option("--by", type=click.Choice(["region", "applicant", "agent"]), default="applicant", show_default=True,
              help="Group the documents by applicant region, harmonised applicant, or harmonised patent agent / agency.")
@click.option("--region", callback=region_option, help="Only applicants placed in this region (ISO key: CN, CN-GD, CN-GD-Shenzhen), or for "
                               "--by agent the agents of their documents. The world stays the whole corpus.")
@click.option("--level", type=click.Choice(["country", "province", "city"]), default=None,
              help="Region level for --by region (default: the level of --region, else country).")
@click.option("--min-docs", default=5, show_default=True, type=click.IntRange(1, None),
              help="Groups with fewer documents are listed but not ranked.")
@click.option("--rank-by", type=click.Choice(["quality_index", "independent_claims", "first_claim_words",
                                              "shortest_independent_claim_words", "total_claims", "dependent_ratio",
                                              "family_breadth", "grant_lag"]),
              default="quality_index", show_default=True,
              help="Indicator that ranks the groups (shrunk estimate; shorter claims and grant lags rank first).")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Legal-status cut-off (default: the latest date in the data).")
@click.option("--aliases", type=click.Path(exists=True, dir_okay=False),
              help="CSV alias,canonical to merge name variants of applicants or agents.")
@click.option("--top", default=25, show_default=True, type=click.IntRange(0, None), help="Rows to print (0: all).")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False),
              help="Write every group with its documents: .csv (spreadsheets, formulas neutralised) or .json; repeatable.")
@click.option("--format", "fmt", default=None, metavar="NAME", help="Reader name when CORPUS is an export (default: detected).")
@lang_option
@handle_errors
def quality(corpus, by, region, level, min_docs, rank_by, as_of, aliases, top, outputs, fmt, lang):
    """Filing quality (专利质量) of regions, applicants or patent agents against the world.

    For each group: its documents, and per indicator its value relative to the world's
    documents of the same filing year and WIPO field (1.00 = world average), shrunk by
    empirical Bayes with a 95% interval so that a holder with three patents cannot top the
    table; shares (PCT route, kept to year 10, CNIPA high-value) with Wilson intervals.
    Indicators: OECD composite quality index, independent claims, first-claim length
    (longer = narrower), claims, dependent claims per independent claim, family breadth,
    grant lag. The output says which indicators the corpus cannot give.

    \b
    Examples:
      patentnav quality --by region
      patentnav quality --by applicant --region CN
      patentnav quality ipg050104.xml --by agent --top 0 -o agents.csv
      patentnav quality cnipa.xlsx --by agent --region CN-GD-Shenzhen --lang zh
    """
    from ..quality import quality_profiles

    for out in outputs:
        if Path(out).suffix.lower() not in (".csv", ".json"):
            raise LocalizedError("err.output_suffix", path=out, suffix=Path(out).suffix or "(none)", suffixes=".csv, .json")
    c = load_corpus(corpus, fmt=fmt, lang=lang)
    with console.status(t("q.step", lang)):
        p = quality_profiles(c, by=by, region=region, level=level, min_docs=min_docs, rank_by=rank_by,
                             as_of=as_of.date() if as_of else None, aliases=aliases)
    _print(p, lang, top)
    for out in outputs:
        path = Path(out)
        if path.suffix.lower() == ".csv":
            write_csv(profiles_frame(p), path)
        else:
            path.write_text(json.dumps(profiles_json(p), ensure_ascii=False, indent=1), encoding="utf-8")
        console.print(t("q.written", lang, n=f"{len(p.table):,}", path=safe(str(path))))


def _print(p, lang, top: int) -> None:
    by = t(f"q.by.{p.by}", lang)
    tab = p.table
    ranked = int(tab["ranked"].sum())
    console.print(f"[bold]{t('q.title', lang, by=by)}[/]")
    if p.params.get("region"):
        console.print(t("q.region_scope", lang, region=safe(str(p.params["region"]))))
        if "evidence" in tab:
            from ..geo import LOCATION_SOURCES

            proxied = int((tab["evidence"].notna() & ~tab["evidence"].isin(LOCATION_SOURCES)).sum())
            if proxied:
                console.print(f"[yellow]{t('q.region_proxy', lang, n=f'{proxied:,}', total=f'{len(tab):,}', region=safe(str(p.params['region'])))}[/]")
    if p.params.get("placed_by"):  # regions rest on this evidence (a priority country is only a proxy)
        sep = "；" if lang == "zh" else "; "
        ev = sep.join(f"{t('ev.' + k, lang)} {100 * v:.1f}%" for k, v in p.params["placed_by"].items())
        console.print(f"[yellow]{t('ch.heatmap.evidence', lang, evidence=ev)}[/]")
        proxy = p.params["placed_by"].get("priority", 0.0)
        if proxy:
            console.print(f"[yellow]{t('cav.proxy', lang, share=f'{100 * proxy:.1f}%')}[/]")
    if not len(tab):
        console.print(t("q.no_groups", lang, by=by))
    console.print(t("q.summary", lang, docs=f"{p.documents:,}", total=f"{p.corpus_documents:,}", groups=f"{len(tab):,}",
                    ranked=f"{ranked:,}", min=p.params["min_docs"], rank_by=t(f"q.i.{p.params['rank_by']}", lang)))
    console.print(f"[dim]{t('q.world', lang)}[/]")
    if ranked and not p.distinguishes:
        rank_by = p.params["rank_by"]
        text = t("q.no_differences", lang, groups=t(f"q.groups.{p.by}", lang), indicator=t(f"q.i.{rank_by}", lang),
                 mu=_num(p.world.get(f"{rank_by}_shrink_to")))
        console.print(f"[yellow]{text}[/]")
    if p.unavailable:
        from ..quality import MISSING_REASON

        items = sorted({MISSING_REASON[c] for c in p.unavailable}, key=list(MISSING_REASON.values()).index)
        console.print(f"[yellow]{t('q.unavailable', lang)}{'：' if lang == 'zh' else ': '}[/]" + ("；" if lang == "zh" else "; ").join(
            t(f"q.missing.{k}", lang) for k in items), highlight=False)
    else:
        console.print(t("q.none_unavailable", lang))
    hv = p.params.get("high_value", {})
    if "high_value" in p.available:
        from ..i18n import join_items

        shown_c = join_items([t(f"q.crit.{c}", lang) for c in hv.get("shown", [])], lang) or "—"
        missing_c = ("；" if lang == "zh" else "; ").join(t(f"q.crit.{c}", lang) for c in hv.get("not_shown", [])) or "—"
        console.print(f"[dim]{t('q.hv_note', lang, shown=shown_c, not_shown=missing_c)}[/]")
    cols = [c for c in TERMINAL if c in p.available]
    table = Table(caption=t("q.caption", lang, min=p.params["min_docs"]), caption_justify="left")
    table.add_column(t("q.c.rank", lang), justify="right", no_wrap=True)
    table.add_column(t("q.c.group", lang), overflow="fold", min_width=16, ratio=3)
    table.add_column(t("q.c.documents", lang), justify="right", no_wrap=True)
    for c in cols:
        table.add_column(t(f"q.i.{c}", lang), justify="right", overflow="fold", max_width=11)
    evidence = "evidence" in tab
    if evidence:
        table.add_column(t("c.evidence", lang), overflow="fold", max_width=22)
    shown = tab if top == 0 else tab.head(top)
    w = p.world
    table.add_row("", f"[italic]{t('q.world_row', lang)}[/]", f"{p.corpus_documents:,}",
                  *[(f"{100 * w[f'{c}_share']:.0f}%" if c in _SHARES else "1.00") for c in cols],
                  *([""] if evidence else []), end_section=True)
    for _, r in shown.iterrows():
        rank = str(int(r["rank"])) if r["ranked"] else "[dim]—[/]"
        group = t("q.region_unknown", lang) if p.by == "region" and r["group"] == "UNKNOWN" else r["group"]
        table.add_row(rank, cell(group), f"{int(r['documents']):,}",
                      *[_cell(r, c, c in _SHARES) for c in cols],
                      *([cell(t(f"loc.{r['evidence']}", lang, region=p.params["region"])) if isinstance(r["evidence"], str)
                         else "—"] if evidence else []))
    console.print(table)
    if len(shown) < len(tab):
        err_console.print(f"[dim]{t('q.shown', lang, n=f'{len(shown):,}', total=f'{len(tab):,}')}[/]")


COMMANDS = [quality]
