"""Section 5 of the landscape report, development paths (GB/T 39551: 发展路径): ranked gaps with
their categories and the numbers that make them, live rights to acquire or license,
free-to-use (ended) rights, allies and talent, each row with its reason; the gap quadrant.
Key finding: how many technologies fall in each gap category.

Every warning the gap analysis raises (a disconnected region-technology network) reaches
the text and the table notes, and acquisition targets are rights alive at the cut-off
(:func:`patentnav.landscape.gaps.document_rights`).
"""

from __future__ import annotations

import pandas as pd

from ..classify.titles import code_title
from .context import LandscapeContext
from .labels import L
from .parts import Built, _chart, _clip, _pct, _s, _table, rnd, section
from .regional import inventor_rows, long_values, region_evidence_text, value_prefix_rows

__all__ = ["paths_section", "analytics_warnings", "SHOWN"]

_CATS = ("fill_now", "long_term", "declining", "strength")
#: Gaps in the ranked table (and labelled on the quadrant); actionable ones get holders, allies and talent.
TOP_GAPS, TOP_ACTIONABLE = 15, 10


def paths_section(ctx: LandscapeContext) -> Built:
    """Section 5; finding: the count of technologies per gap category."""
    from ..landscape import gaps
    from ..landscape.gaps import top_gaps

    ctx.step("gaps")
    lang, region = ctx.lang, ctx.region
    ga = gaps(ctx.corpus, region, technology="ipc", level="subclass", firms=ctx.firms, cutoff=ctx.cutoff,
              aggregates=ctx.aggregates, assignment=ctx.assignment, status=ctx.status,
              evidence=ctx.applicant_evidence, detail=TOP_GAPS)  # holders and firms of the ranked gaps only
    gt = ga.table
    top = top_gaps(gt, TOP_GAPS)
    actionable = top[top["category"].isin(["fill_now", "long_term"])].head(TOP_ACTIONABLE)
    warn_text = analytics_warnings(ga.params, lang) + [region_evidence_text(ctx.assignment, region, lang)]
    counts = _category_counts(gt, lang)
    pars = [L("paths.intro", lang), counts] + _why_nothing_to_fill(gt, ga.params, lang) + [L("paths.formula", lang)] + warn_text
    tables = [_gaps_table(top, ga.params, warn_text, lang),
              _acquisition_table(actionable, lang),
              _free_to_use_table(actionable, lang),
              _alliance_table(actionable, region, lang)]
    ctx.step("talent")
    tables.append(_talent_table(ctx.corpus, actionable, lang))
    chart = _quadrant_chart(gt, ga.params, lang, list(top["technology"]))
    return Built(section("paths", L("sec.paths", lang), pars, tables, [chart]), [counts])


def _cat(c: str, lang: str) -> str:
    return L(f"cat.{c}", lang) if c in _CATS else str(c)


def _category_counts(gt: pd.DataFrame, lang: str) -> str:
    """How many technologies fall in each category."""
    n_cat = gt["category"].value_counts()
    return L("paths.counts", lang, n=len(gt), fill=int(n_cat.get("fill_now", 0)), bet=int(n_cat.get("long_term", 0)),
             declining=int(n_cat.get("declining", 0)), strength=int(n_cat.get("strength", 0)))


def _why_nothing_to_fill(gt: pd.DataFrame, params: dict, lang: str) -> list[str]:
    """Why no gap is "fill now" although there are gaps (none related to local strength, or none dense enough)."""
    if (gt["category"] == "fill_now").any() or not params.get("gaps", 0):
        return []
    key = "paths.no_related" if params.get("related_gaps", 0) == 0 else "paths.no_fill"
    return [L(key, lang, region=params["region"], gaps=params.get("gaps", 0))]


def analytics_warnings(params: dict, lang: str) -> list[str]:
    """Every warning of the gap analysis as report text (the complexity scope in the report's language)."""
    out = []
    cx = params.get("complexity") or {}
    if cx and cx.get("regions", 0) == 0:
        out.append(L("paths.complexity_undefined", lang))
    elif cx.get("components", 1) > 1:
        def names(xs):
            return ", ".join(xs[:10]) + (f" (+{len(xs) - 10})" if len(xs) > 10 else "") if xs else L("r.none", lang)

        out.append(L("paths.complexity", lang, components=cx["components"], regions=cx["regions"],
                     regions_total=cx["regions"] + len(cx.get("regions_outside", [])), techs=cx["technologies"],
                     techs_total=cx["technologies"] + len(cx.get("technologies_outside", [])),
                     outside_regions=names(cx.get("regions_outside", [])),
                     outside_techs=names(cx.get("technologies_outside", []))))
        if not cx.get("region_inside", True):
            out.append(L("paths.complexity_region", lang, region=params["region"]))
    known = ("the region-technology network is disconnected", "ECI, PCI, COI and COG are undefined",
             "the largest eigenvalue is degenerate")
    out += [L("paths.warning", lang, message=w) for w in params.get("warnings", []) if not w.startswith(known)]
    return out


def _gap_reason(r, threshold: float | None, lang: str) -> str:
    """Why a technology is in its category, from the numbers in the same row."""
    thr = "—" if threshold is None else f"{threshold:.3g}"
    if r.category == "strength":
        return L("why.strength", lang, rca=f"{r.rca:.3g}")
    if r.category == "declining":
        return L("why.declining", lang, growth=_pct(r.world_growth))
    if r.category == "fill_now":
        return L("why.fill_now", lang, density=f"{r.density:.3g}", threshold=thr)
    if not (r.density > 0):
        return L("why.long_term_unrelated", lang)
    return L("why.long_term", lang, density=f"{r.density:.3g}", threshold=thr)


def _gaps_table(top: pd.DataFrame, params: dict, warn_text: list[str], lang: str) -> dict:
    thr = params.get("fill_now_density")
    rows = [[r.technology, code_title(r.technology, r.title, lang, 60), _cat(r.category, lang), rnd(r.rca), rnd(r.density), rnd(r.feasibility),
             rnd(r.world_documents), rnd(r.world_growth), rnd(r.gap_score), rnd(r.pci), _gap_reason(r, thr, lang)]
            for r in top.itertuples()]
    note = " ".join([L("t.gaps.note", lang, threshold="—" if thr is None else f"{thr:.3g}")] + warn_text)
    return _table("gaps", L("t.gaps", lang), [
        ("technology", L("c.technology", lang)), ("title", L("c.title", lang)), ("category", L("c.category", lang)),
        ("rca", L("c.rca", lang)), ("density", L("c.density", lang)), ("feasibility", L("c.feasibility", lang)),
        ("world_documents", L("c.world_docs", lang)), ("world_growth", L("c.world_growth", lang)),
        ("gap_score", L("c.gap_score", lang)), ("pci", L("c.pci", lang)), ("reason", L("c.reason", lang))], rows, note)


def _quadrant_chart(gt: pd.DataFrame, params: dict, lang: str, ranked: list[str] = ()) -> dict:
    """The largest technologies, and always the ``ranked`` gaps of the gaps table (their
    points carry ``rank``: the chart labels them by rank)."""
    rank_of = {tech: k for k, tech in enumerate(ranked, start=1)}
    drawable = gt[gt["rca"].notna() & gt["density"].notna()]
    pts = drawable.sort_values(["world_documents", "technology"], ascending=[False, True]).head(60)
    pts = pd.concat([pts, drawable[drawable["technology"].isin(rank_of)]]).drop_duplicates("technology")
    pts = pts.sort_values("technology")
    note = L("ch.quadrant.note", lang)
    if params.get("related_gaps", 1) == 0:
        note += " " + L("ch.quadrant.no_related", lang)
    return _chart("gap_quadrant", L("ch.quadrant", lang), "gap_quadrant", {
        "points": [{"label": str(r.technology), "rca": rnd(r.rca), "density": rnd(r.density), "size": rnd(r.world_documents),
                    "category": str(r.category), "rank": rank_of.get(r.technology)} for r in pts.itertuples()],
        "x_label": L("ch.quadrant.x", lang), "y_label": L("ch.quadrant.y", lang),
        "threshold": rnd(params.get("fill_now_density"))}, note)


#: Patents listed per technology in the report's acquisition and free-to-use tables.
SHOWN = 3


def _live_cell(pubs, status, years, lang) -> str:
    return "; ".join(L("cell.live" if s == "in_force" else "cell.live_pending", lang, pub=p, years=f"{y:.1f}")
                     for p, s, y in list(zip(pubs, status, years))[:SHOWN])


def _ended_cell(pubs, status, since, lang) -> str:
    return "; ".join(L("cell.ended", lang, pub=p, status=L(f"w.status.{s}", lang), since=d or "—")
                     for p, s, d in list(zip(pubs, status, since))[:SHOWN])


def _acquisition_table(actionable: pd.DataFrame, lang: str) -> dict:
    none = L("r.none", lang)
    rows = []
    for r in actionable.itertuples():
        holders = list(r.live_holders)
        reason = (L("r.acquire", lang, cat=_cat(r.category, lang), held=_pct(r.held_outside_share), holder=holders[0] if holders else none)
                  if len(r.key_patents) else L("r.acquire_none", lang))
        rows.append([r.technology, _cat(r.category, lang), "; ".join(holders),
                     _live_cell(r.key_patents, r.key_patents_status, r.key_patents_years_left, lang),
                     int(r.live_documents), int(r.expiring), rnd(r.held_outside_share), reason])
    return _table("acquisition", L("t.acquire", lang), [
        ("technology", L("c.technology", lang)), ("category", L("c.category", lang)), ("holders", L("c.live_holders", lang)),
        ("key_patents", L("c.live_patents", lang)), ("live_documents", L("c.live_documents", lang)),
        ("expiring", L("c.expiring", lang)), ("held_outside_share", L("c.held_outside", lang)),
        ("reason", L("c.reason", lang))], rows, L("t.acquire.note", lang) if rows else L("empty_note", lang))


def _free_to_use_table(actionable: pd.DataFrame, lang: str) -> dict:
    rows = [[r.technology, _cat(r.category, lang), _ended_cell(r.free_to_use, r.free_to_use_status, r.free_to_use_since, lang),
             int(r.ended_documents), L("r.free", lang)]
            for r in actionable.itertuples() if len(r.free_to_use)]
    return _table("free_to_use", L("t.free", lang), [
        ("technology", L("c.technology", lang)), ("category", L("c.category", lang)), ("free_to_use", L("c.ended_patents", lang)),
        ("ended_documents", L("c.ended_documents", lang)), ("reason", L("c.reason", lang))], rows,
        L("t.free.note", lang) if rows else L("t.free.none", lang))


def _alliance_table(actionable: pd.DataFrame, region: str, lang: str) -> dict:
    none = L("r.none", lang)
    rows = []
    for r in actionable.itertuples():
        local, first = list(r.closest_local_firms), list(r.closest_first_filed_firms)
        if local:
            reason = L("r.alliance", lang, firms=", ".join(local), tech=r.technology, density=f"{r.density:.2f}")
        elif first:
            reason = L("r.alliance_first_filed", lang, region=region)
        else:
            reason = L("r.alliance_none", lang, tech=r.technology, region=region)
        rows.append([r.technology, _cat(r.category, lang), "; ".join(local) or none, "; ".join(first) or none, rnd(r.density), reason])
    return _table("alliance", L("t.alliance", lang), [
        ("technology", L("c.technology", lang)), ("category", L("c.category", lang)), ("firms", L("c.firms", lang)),
        ("first_filed_firms", L("c.first_filed_firms", lang, region=region)), ("density", L("c.density", lang)),
        ("reason", L("c.reason", lang))], rows, L("t.alliance.note", lang, region=region) if rows else L("empty_note", lang))


def _talent_table(corpus, actionable: pd.DataFrame, lang: str) -> dict:
    none = L("r.none", lang)
    inv_long = long_values(corpus, "inventors", "inventor")
    app_long = long_values(corpus, "applicants_harmonized", "applicant")
    rows_of = value_prefix_rows(corpus, "ipc", 4)
    rows = []
    for r in actionable.itertuples():
        for name, k, apps in inventor_rows(rows_of(r.technology), inv_long, app_long, 3):
            rows.append([r.technology, name, k, apps, L("r.talent", lang, name=name, tech=r.technology, n=k, applicants=apps or none)])
    return _table("talent", L("t.talent", lang), [
        ("technology", L("c.technology", lang)), ("inventor", L("c.inventor", lang)), ("patents", L("c.patents", lang)),
        ("applicants", L("c.applicants", lang)), ("reason", L("c.reason", lang))], rows, None if rows else L("empty_note", lang))
