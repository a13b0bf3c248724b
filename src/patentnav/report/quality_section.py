"""The landscape report's filing-quality section (专利质量): the region against the world in
the same fields and years, the region's applicants (with the evidence that places them) ranked by quality rather than count, a
quantity-versus-quality chart, and what the data cannot show.

Every number comes from :mod:`patentnav.quality` (definitions in ``docs/methods.md``,
section 13); every sentence is built from a row of the tables beside it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from .context import LandscapeContext
from .labels import L
from .parts import Built, _chart, _table, rnd, section

__all__ = ["quality_section", "build_quality_section", "QUALITY_CHART_KEYS", "WORLD_INDICATORS"]

#: Data keys of the section's chart kind (the report contract).
QUALITY_CHART_KEYS = {"quality_quantity": ("points", "world", "x_label", "y_label", "ranked_label", "listed_label")}
#: Indicators of the region-versus-world table, in order (shown when the corpus gives them).
WORLD_INDICATORS = ("quality_index", "independent_claims", "first_claim_words", "shortest_independent_claim_words",
                    "total_claims", "dependent_ratio", "family_breadth", "grant_lag", "pct", "kept_10y", "high_value")
#: Indicators that get a sentence (when given).
_SENTENCES = ("quality_index", "first_claim_words", "family_breadth")
_SHARES = ("pct", "kept_10y", "high_value")
_TOP = 15
_CHART_POINTS = 60


def _fmt(x, digits: int = 2) -> str:
    return "—" if x is None or not np.isfinite(x) else f"{x:.{digits}f}"


def _world_rows(row: pd.Series | None, world: dict, available: list, lang: str) -> list[list]:
    """[indicator, documents, region value, world value, ratio, lo, hi] per available indicator."""
    rows = []
    for c in WORLD_INDICATORS:
        if c not in available:
            continue
        label = L(f"q.i.{c}", lang)
        if row is None:
            rows.append([label, 0, None, None, None, None, None])
            continue
        if c in _SHARES:
            n, share, exp = int(row[f"{c}_n"]), row[f"{c}_share"], row[f"{c}_expected"]
            ratio = share / exp if n and exp and exp > 0 else np.nan
            lo = row[f"{c}_lo"] / exp if n and exp and exp > 0 else np.nan
            hi = row[f"{c}_hi"] / exp if n and exp and exp > 0 else np.nan
            rows.append([label, n, rnd(share), rnd(exp), rnd(ratio), rnd(lo), rnd(hi)])
        else:
            n = int(row[f"{c}_n"])
            rows.append([label, n, rnd(row[f"{c}_mean"]), rnd(row[f"{c}_expected"]), rnd(row[f"{c}_rel"]),
                         rnd(row[f"{c}_rel_lo"]), rnd(row[f"{c}_rel_hi"])])
    return rows


def _sentence(row: pd.Series | None, c: str, region: str, lang: str) -> tuple[str, bool]:
    """The region against the world on indicator ``c`` (above, below, no difference), and
    whether the data allow the comparison (False: the region has no such documents)."""
    ind = L(f"q.i.{c}", lang)
    if row is None or not int(row[f"{c}_n"]):
        return L("q.vs.none", lang, region=region, indicator=ind), False
    est, lo, hi = row[f"{c}_rel"], row[f"{c}_rel_lo"], row[f"{c}_rel_hi"]
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return L("q.vs.none", lang, region=region, indicator=ind), False
    key = "q.vs.above" if lo > 1 else "q.vs.below" if hi < 1 else "q.vs.same"
    return L(key, lang, region=region, indicator=ind, est=_fmt(est), lo=_fmt(lo), hi=_fmt(hi)), True


def build_quality_section(corpus, region: str, lang: str = "zh", graph=None, firms=None, assign=None,
                          min_docs: int | None = None) -> dict:
    """The quality section of the landscape report on its own (a section dict of the report
    contract, unnumbered); the report builds it with :func:`quality_section`.

    Parameters
    ----------
    corpus : Corpus
        The report's (scoped) corpus: the world of the comparison.
    region : str
        The report's region key (``FIRMS`` with ``firms``).
    graph : CitationGraph, optional
        The corpus's citation graph, when already built.
    assign : DataFrame, optional
        :func:`patentnav.geo.assign_regions` of the corpus at the region's level.
    min_docs : int, optional
        Applicants with fewer documents are listed, not ranked (default
        :data:`patentnav.quality.MIN_DOCS`).
    """
    ctx = LandscapeContext(corpus=corpus, region=region, lang="en" if lang == "en" else "zh", firms=firms)
    if graph is not None:
        ctx.citation_graph = graph
    if assign is not None:
        ctx.assignment = assign
    return quality_section(ctx, min_docs=min_docs).section


class _Profiles(NamedTuple):
    """The region's and its applicants' profiles (:func:`patentnav.quality.aggregate`)."""

    documents: int  # documents of the corpus (rows of document_quality)
    attrs: dict  # document_quality's attrs (availability, high-value criteria, quality index method)
    region: pd.Series | None  # the region's row (None: no documents)
    world: dict
    apps: pd.DataFrame  # local applicants, ranked first
    apps_world: dict
    available: list  # indicators the corpus gives
    min_docs: int


def _profiles(ctx: LandscapeContext, min_docs: int) -> _Profiles:
    from ..landscape.indicators import _plain
    from ..model.shared import row_index
    from ..quality import aggregate, group_members
    from ..quality.profiles import _assign_rows

    corpus, region, docs = ctx.corpus, ctx.region, ctx.document_quality
    arows = _assign_rows(corpus, row_index(corpus), ctx.assignment)  # for both groupings
    rows, groups, _ = group_members(corpus, "region", region=region, firms=ctx.firms, assign=ctx.assignment,
                                    assign_rows=arows)
    regions, world = aggregate(docs, rows, groups, min_docs=min_docs, members=False)  # the report lists no members
    rrow = regions[regions["group"] == region]
    rrow = rrow.iloc[0] if len(rrow) else None
    if rrow is not None:
        rows, groups, _ = group_members(corpus, "applicant", region=region, firms=ctx.firms, assign=ctx.assignment,
                                        mapping=getattr(corpus, "applicant_mapping", None), assign_rows=arows)
    else:  # the region has no documents: no local applicants (the paragraphs say so)
        rows, groups = np.zeros(0, np.int64), np.zeros(0, object)
    apps, apps_world = aggregate(docs, rows, groups, min_docs=min_docs, members=False)
    plain = _plain(docs)
    available = [c for c in WORLD_INDICATORS if plain[c].notna().any()]
    return _Profiles(len(docs), dict(docs.attrs), rrow, world, apps, apps_world, available, min_docs)


def quality_section(ctx: LandscapeContext, min_docs: int | None = None) -> Built:
    """Section 4 (filing quality); finding: the region's quality index against the world's
    (when the corpus gives it)."""
    from ..quality import MIN_DOCS

    ctx.step("quality")
    lang, region = ctx.lang, ctx.region
    p = _profiles(ctx, MIN_DOCS if min_docs is None else min_docs)
    if ctx.release_memory:  # the profiles were its only reader: not kept through the rest of the step
        ctx.__dict__.pop("document_quality", None)
    placement = _placement(ctx)
    vs_world = {c: _sentence(p.region, c, region, lang) for c in _SENTENCES if c in p.available}
    pars = _data_paragraphs(p, region, lang) + [text for text, _ in vs_world.values()] + [_ranking_sentence(p, lang, region, placement)] \
        + _criteria_paragraphs(p, lang)
    tables = [_world_table(p, region, lang), _applicant_table(p.apps, p.available, region, lang, p.min_docs, placement),
              _criteria_table(p.attrs.get("high_value", {}), lang)]
    charts = [_chart("quality_quantity", L("ch.q.scatter", lang), "quality_quantity", _scatter(p.apps, p.world, lang),
                     L("ch.q.scatter.note", lang, min=p.min_docs))]
    text, compared = vs_world.get("quality_index", ("", False))
    findings = [text] if compared else []  # "no documents" is the positioning section's finding already
    return Built(section("quality", L("sec.quality", lang), pars, tables, charts), findings)


def _data_paragraphs(p: _Profiles, region: str, lang: str) -> list[str]:
    """What the profiles rest on, what the corpus cannot give, and how the quality index is made."""
    from ..quality import MISSING_REASON

    n_region = int(p.region["documents"]) if p.region is not None else 0
    ranked = p.apps["ranked"]
    pars = [L("q.intro", lang, region=region),
            L("q.rests", lang, docs=f"{n_region:,}", region=region, total=f"{p.documents:,}", ranked=f"{int(ranked.sum()):,}",
              min=p.min_docs, listed=f"{int((~ranked).sum()):,}")]
    unavailable = [c for c in WORLD_INDICATORS if c not in p.available]
    if unavailable:
        items = sorted({MISSING_REASON[c] for c in unavailable}, key=list(MISSING_REASON.values()).index)
        pars.append(L("q.missing", lang, items=("；" if lang == "zh" else "; ").join(L(f"q.missing.{k}", lang) for k in items)))
    comps = p.attrs.get("availability", {}).get("quality_index", "")
    used = [c for c in ("forward_citations_5y", "family_size", "claims", "generality") if f"{c}_norm" in comps]
    pars.append(L("q.quality_index_note." + ("mean" if p.attrs.get("quality_index_method") == "mean" else "max"), lang,
                  components=", ".join(L(f"c.{c}", lang) for c in used) or L("r.none", lang)))
    return pars


def _ranking_sentence(p: _Profiles, lang: str, region: str, placement: dict) -> str:
    """The first applicant of the region by quality (with the evidence that places it there and its
    rank by count), or why there is none."""
    from .regional import evidence_label

    ranked = p.apps[p.apps["ranked"]]
    tau2 = p.apps_world.get("quality_index_tau2")
    if len(ranked) and not (tau2 is not None and np.isfinite(tau2) and tau2 > 0):
        return L("q.no_differences", lang, groups=L("q.groups.applicant", lang), indicator=L("q.i.quality_index", lang),
                 mu=_fmt(p.apps_world["quality_index_shrink_to"]))
    if not len(ranked):
        return L("q.no_leader", lang, min=p.min_docs)
    lead = ranked.iloc[0]
    ev = placement.get(lead["group"])
    return L("q.leader" if len(ranked) > 1 else "q.leader_only", lang, region=region, name=str(lead["group"]), min=p.min_docs,
             evidence=evidence_label(ev, region, lang) if ev else L("r.none", lang), est=_fmt(lead["quality_index_est"]),
             lo=_fmt(lead["quality_index_lo"]), hi=_fmt(lead["quality_index_hi"]),
             docs=f"{int(lead['documents']):,}", count_rank=_count_ranks(p.apps)[lead["group"]])


def _criteria_paragraphs(p: _Profiles, lang: str) -> list[str]:
    """Which CNIPA high-value criteria the data show (when the share is given)."""
    if "high_value" not in p.available:
        return []
    hv = p.attrs.get("high_value", {})
    from ..i18n import join_items

    return [L("q.hv_note", lang, shown=join_items([L(f"q.crit.{c}", lang) for c in hv.get("shown", [])], lang) or "—",
              not_shown=("；" if lang == "zh" else "; ").join(L(f"q.crit.{c}", lang) for c in hv.get("not_shown", [])) or "—")]


def _world_table(p: _Profiles, region: str, lang: str) -> dict:
    return _table("quality_vs_world", L("t.q.world", lang, region=region), [
        ("indicator", L("c.q.indicator", lang)), ("documents", L("c.q.documents", lang)),
        ("region_value", L("c.q.region_value", lang)), ("world_value", L("c.q.world_value", lang)),
        ("ratio", L("c.q.ratio", lang)), ("lo", L("c.q.lo", lang)), ("hi", L("c.q.hi", lang))],
        _world_rows(p.region, p.world, p.available, lang), L("t.q.world.note", lang))


def _count_ranks(apps: pd.DataFrame) -> dict:
    """Place of each applicant by number of documents (ties share the better place)."""
    r = apps["documents"].rank(method="min", ascending=False).astype(int)
    return dict(zip(apps["group"], r))


def _placement(ctx: LandscapeContext) -> dict:
    """Applicant -> the strongest evidence that places it in the region (:attr:`LandscapeContext.applicant_evidence`)."""
    ev = ctx.applicant_evidence
    return dict(zip(ev["applicant"], ev["evidence"]))


def _applicant_table(apps: pd.DataFrame, available: list, region: str, lang: str, min_docs: int,
                     placement: dict | None = None) -> dict:
    """The region's applicants ranked by quality, each with the evidence that places it in the region
    (an applicant placed only by where it first filed is not called local: issue 12)."""
    from ..geo import LOCATION_SOURCES
    from .regional import evidence_label

    placement = placement or {}
    inds = [c for c in ("independent_claims", "first_claim_words", "family_breadth", "grant_lag") if c in available]
    shares = [c for c in ("high_value",) if c in available]
    count_rank = _count_ranks(apps)
    ranked = apps["ranked"].to_numpy(dtype=bool)
    show = np.concatenate([np.flatnonzero(ranked)[:_TOP], np.flatnonzero(~ranked)[:5]])  # positions
    cols = [("rank", L("c.rank", lang)), ("applicant", L("c.applicant", lang)), ("evidence", L("c.evidence", lang)),
            ("documents", L("c.q.documents", lang)),
            ("count_rank", L("c.q.count_rank", lang)), ("quality_index", L("q.i.quality_index", lang)),
            ("lo", L("c.q.lo", lang)), ("hi", L("c.q.hi", lang))]
    cols += [(c, L(f"q.i.{c}", lang)) for c in inds] + [(c, L(f"q.i.{c}", lang)) for c in shares]
    r = _rows(apps, show, ["rank", "ranked", "group", "documents", "quality_index_est", "quality_index_lo", "quality_index_hi"]
              + [f"{c}_{m}" for c in inds for m in ("est", "n")] + [f"{c}_{m}" for c in shares for m in ("share", "n")])
    rows = []
    for i in range(len(show)):
        g = r["group"][i]
        rows.append([int(r["rank"][i]) if r["ranked"][i] else None, str(g),
                     evidence_label(placement[g], region, lang) if g in placement else None,
                     int(r["documents"][i]),
                     int(count_rank[g]), rnd(r["quality_index_est"][i]), rnd(r["quality_index_lo"][i]),
                     rnd(r["quality_index_hi"][i])]
                    + [rnd(r[f"{c}_est"][i]) if r[f"{c}_n"][i] else None for c in inds]
                    + [rnd(r[f"{c}_share"][i]) if r[f"{c}_n"][i] else None for c in shares])
    note = L("t.q.applicants.note", lang, min=min_docs) if rows else L("empty_note", lang)
    proxied = sum(1 for g in r["group"] if g in placement and placement[g] not in LOCATION_SOURCES)
    if proxied:
        note += " " + L("t.q.applicants.proxy", lang, n=proxied, shown=len(show), region=region)
    return _table("quality_applicants", L("t.q.applicants", lang, region=region), cols, rows, note)


def _criteria_table(hv: dict, lang: str) -> dict:
    from ..quality import HIGH_VALUE_CRITERIA

    shown = set(hv.get("shown", []))
    reason_key = {"sei": "q.missing.ipc", "overseas_family": "q.missing.family_only", "maintained_10y": "q.missing.status",
                  "pledge_high": "q.missing.pledge", "award": "q.missing.award"}
    rows = [[L(f"q.crit.{c}", lang), L("q.yes" if c in shown else "q.no", lang),
             None if c in shown else L(reason_key[c], lang)] for c in HIGH_VALUE_CRITERIA]
    return _table("quality_criteria", L("t.q.criteria", lang), [
        ("criterion", L("c.q.criterion", lang)), ("shown", L("c.q.shown", lang)), ("reason", L("c.q.reason", lang))], rows)


def _rows(apps: pd.DataFrame, rows: np.ndarray, columns: list[str]) -> dict[str, list]:
    """The values of ``columns`` at the positions ``rows`` of ``apps``, as Python lists (what
    ``iterrows`` gives, without a Series per row)."""
    return {c: apps[c].take(rows).tolist() for c in dict.fromkeys(columns)}


def _by_name(groups: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``rows`` ordered by the names ``groups`` at them (stable; names in Python's order, as
    pandas sorts text)."""
    return rows[np.argsort(groups[rows], kind="stable")]


def _scatter(apps: pd.DataFrame, world: dict, lang: str) -> dict:
    """The chart's points: the ranked applicants first, then the largest of the others
    (positions of ``apps``; its names are distinct, so every sort is a total order)."""
    groups = apps["group"].to_numpy(dtype=object)
    documents = apps["documents"].to_numpy()
    everyone = _by_name(groups, np.arange(len(apps)))
    largest = everyone[np.argsort(-documents[everyone], kind="stable")]  # more documents first, then by name
    pick = np.concatenate([np.flatnonzero(apps["ranked"].to_numpy(dtype=bool))[:_CHART_POINTS // 2], largest[:_CHART_POINTS]])
    pick = pick[np.sort(np.unique(pick, return_index=True)[1])][:_CHART_POINTS]  # each once, first place kept
    pick = _by_name(groups, pick[apps["quality_index_n"].to_numpy()[pick] > 0])
    r = _rows(apps, pick, ["group", "documents", "quality_index_est", "quality_index_lo", "quality_index_hi", "ranked", "rank"])
    points = [{"label": str(r["group"][i]), "documents": int(r["documents"][i]), "estimate": rnd(r["quality_index_est"][i]),
               "lo": rnd(r["quality_index_lo"][i]), "hi": rnd(r["quality_index_hi"][i]), "ranked": bool(r["ranked"][i]),
               "rank": int(r["rank"][i]) if r["ranked"][i] else None} for i in range(len(pick))]
    return {"points": points, "world": rnd(world.get("quality_index_est")), "x_label": L("ch.q.x", lang), "y_label": L("ch.q.y", lang),
            "ranked_label": L("q.ranked", lang), "listed_label": L("q.listed", lang)}
