"""The warning report model (海外专利风险预警报告): a :class:`~patentnav.warning.WarningResult`
as the same plain, JSON-serialisable contract as the landscape report (meta + sections of
paragraphs, tables and charts), so the JSON, CSV, HTML and Markdown renderers serve both.

Sections: ``product`` (the product, data and method), ``risks`` (ranked risks per market
with the score decomposition), ``details`` (why each high and medium risk is there and what
to do), ``freedom`` (expiry timeline, expired patents free to use), ``monitoring`` (new
publications, when asked). Floats are rounded to 6 significant digits and every sort has a
tie-breaker, so the same inputs give byte-identical JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import pandas as pd

from ..i18n import column_label, join_items, t
from .labels import L, has_label
from .parts import Built, _cell, _chart, _pct, _table, number_sections, rnd, section
from .summary import summary_block

__all__ = ["build_warning_report", "WARN_SECTION_IDS", "WARN_SECTIONS", "WARN_CHART_KEYS", "TOP_RISKS", "action_text",
           "terminal_rows", "terminal_grades", "status_reason_text", "holder_reason_text", "text_caveats", "text_warnings",
           "SUMMARY_TOP", "WarnContext"]

WARN_SECTION_IDS = ("product", "risks", "details", "freedom", "monitoring")  # the order of WARN_SECTIONS
WARN_CHART_KEYS = {
    "risk_matrix": ("points", "x_label", "y_label"),
    "expiry_timeline": ("items", "as_of", "as_of_label", "launch", "launch_label"),
}
#: Rows of the ranked risk table per market in the report (all rows are in the JSON of the
#: result via the CLI's CSV export of the full table).
TOP_RISKS = 30
#: High and medium risks explained one by one.
TOP_DETAILS = 12


def _date(v: Any) -> str | None:
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return str(pd.Timestamp(v).date())


def _holder(v: Any) -> str:
    """A holder name for display ("—" when the document names none)."""
    c = _cell(v)
    return "—" if c in (None, "", "nan") else str(c)


def _channels_text(channels, lang: str) -> str:
    """'translated words, codes' from a row's channels."""
    return join_items([L(f"w.ch.{c}", lang) for c in (channels if isinstance(channels, (list, tuple)) else [])], lang) \
        or L("r.none", lang)


def _features_text(matched, features: list[str], lang: str) -> str:
    """'feature 2 (云台 → gimbal, camera); keywords (drone)' from matched_features pairs."""
    parts = []
    for idx, terms in (matched if isinstance(matched, (list, tuple)) else []):
        name = L("w.keywords", lang) if int(idx) < 0 else L("w.feature_n", lang, n=int(idx) + 1)
        parts.append(f"{name}（{join_items(terms, lang)}）" if lang == "zh" else f"{name} ({', '.join(terms)})")
    return ("；" if lang == "zh" else "; ").join(parts)


def status_reason_text(row, lang: str, as_of: str | None = None) -> str:
    """Why a document has its legal status, in ``lang``, from the risk row's reason code
    (``status_code``) and data (``status_detail``, ``assumed_date``, ``expiry_date``)."""
    code = row.get("status_code")
    if not code or not has_label(f"w.sr.{code}"):
        return str(row.get("status_reason") or "—")
    detail = row.get("status_detail")
    detail = "" if detail is None or (isinstance(detail, float) and detail != detail) else str(detail)
    term = ""
    if code == "term_ended" and detail:
        key, *args = detail.split(":")
        term = L(f"w.term.{key}", lang, cc=args[0] if args else "", years=args[1] if len(args) > 1 else "")
    return L(f"w.sr.{code}", lang, date=_date(row.get("assumed_date")) or "—", expiry=_date(row.get("expiry_date")) or "—",
             detail=detail or "—", as_of=as_of or "—", term=term)


def holder_reason_text(row, lang: str) -> str:
    """Why a holder has its type, in ``lang``, from the risk row's rule code (``holder_rule``)
    and the words it quotes (``holder_match``, ``holder_match_other``)."""
    from ..warning.holders import NPE_MIN_PLAINTIFF_CASES

    rule = row.get("holder_rule")
    if not rule or not has_label(f"w.hr.{rule}"):
        return str(row.get("holder_reason") or "")
    cases = int(row.get("holder_cases") or 0)
    args = {"match": row.get("holder_match") or "", "other": row.get("holder_match_other") or "", "cases": cases,
            "threshold": NPE_MIN_PLAINTIFF_CASES}
    text = L(f"w.hr.{rule}", lang, **args)
    if rule in ("firm", "company_form", "ip_subsidiary") and 0 < cases < NPE_MIN_PLAINTIFF_CASES:
        text += L("w.hr.below", lang, **args)
    return text


def action_text(row: pd.Series, lang: str, features: list[str]) -> str:
    """The suggested action of one risk row as a sentence."""
    code = row["action"]
    matched = _features_text(row.get("matched_features"), features, lang) or L("r.none", lang)
    prior = "; ".join(row.get("prior_art") or []) or L("r.none", lang)
    return L(f"w.act.{code}", lang, features=matched, prior_art=prior, expiry=_date(row.get("expiry_date")) or "—",
             holder=_holder(row.get("holder")))


def _status_text(row: pd.Series, lang: str) -> str:
    st = L(f"w.status.{row['status']}", lang)
    exp = _date(row.get("expiry_date"))
    route = L(f"w.route.{row['route']}", lang) if row.get("route") else ""
    text = f"{st}" + (L("w.until", lang, date=exp) if exp else "")
    return f"{text}{'；' if lang == 'zh' else '; '}{route}" if route else text


def _why(row: pd.Series, lang: str, features: list[str], litigation: bool = False, as_of: str | None = None) -> str:
    bits = [L("w.why.relevance", lang, relevance=f"{row['relevance']:.2f}", reads_on=_pct(row.get("reads_on"), 0),
              channels=_channels_text(row.get("channels"), lang),
              features=_features_text(row.get("matched_features"), features, lang) or L("r.none", lang),
              codes=", ".join(row.get("matched_codes") or []) or L("r.none", lang))]
    bits.append(L("w.why.status", lang, status=_status_text(row, lang), reason=status_reason_text(row, lang, as_of)))
    kind = L(f"w.holder.{row['holder_type']}", lang)
    reason = holder_reason_text(row, lang)
    if reason:
        kind += ("：" if lang == "zh" else ": ") + reason
    if litigation:
        bits.append(L("w.why.holder", lang, holder=_holder(row.get("holder")), type=kind, cases=int(row.get("holder_cases") or 0)))
    else:
        bits.append(L("w.why.holder_only", lang, holder=_holder(row.get("holder")), type=kind))
    return ("" if lang == "zh" else " ").join(bits)


def _evidence_text(x, lang: str) -> str:
    """'translated words, codes: 云台 → gimbal, 相机 → camera' for one risk row."""
    glosses = list(getattr(x, "matched_glosses", None) or [])
    glossed = {g.split(" → ", 1)[1] for g in glosses if " → " in g}
    terms = [t for t in (getattr(x, "matched_terms", None) or []) if t not in glossed]
    shown = terms[:3] + glosses[:3]
    colon = "：" if lang == "zh" else ": "
    return f"{_channels_text(getattr(x, 'channels', None), lang)}{colon}{', '.join(shown)}" if shown else _channels_text(
        getattr(x, "channels", None), lang)


def text_caveats(result, lang: str) -> list[str]:
    """What the product text matched, said first: nothing in the corpus's language, no text
    at all (:func:`text_warnings`), or a cross-lingual match through the dictionary."""
    warnings = text_warnings(result, lang)
    if warnings:
        return warnings
    p = result.params
    corpus_lang = p.get("corpus_language", "en")
    qlang = _profile_language(p.get("profile") or {})
    if qlang and qlang != corpus_lang:
        return [L("w.cav.crosslingual", lang, qlang=L(f"w.lang.{qlang}", lang), corpus=L(f"w.lang.{corpus_lang}", lang))]
    return []


def text_warnings(result, lang: str) -> list[str]:
    """The warning that no patent could be graded: the profile has no text, or none of its
    words occurs in the corpus's language ([] otherwise)."""
    p = result.params
    n = result.unassessed_count()
    if p.get("text_given") is False:
        return [L("w.cav.no_text", lang, n=n)]
    if p.get("text_given") and p.get("text_terms_in_corpus") == 0:
        name = L(f"w.lang.{p.get('corpus_language', 'en')}", lang)
        return [L("w.cav.text_unmatched", lang, corpus=name, other=name, lang_name=name, n=n)]
    return []


def _profile_language(prof: dict) -> str | None:
    """``zh`` / ``en`` when the profile's features and keywords are in one language only."""
    from ..text import detect_language

    texts = [t for t in list(prof.get("features") or []) + list(prof.get("keywords") or []) if t]
    if not texts:
        return None
    langs = {detect_language(t) for t in texts}
    if langs == {"zh"}:
        import re

        return "zh" if not any(re.search(r"[A-Za-z]{3,}", t) for t in texts) else None
    return "en" if langs == {"en"} else None


def _unassessed_table(result, market: str, lang: str) -> list:
    u = result.unassessed
    if u is None or u.empty:
        return []
    u = u[u["market"] == market]
    if u.empty:
        return []
    rows = [[x.publication_number, _cell(x.title), _holder(x.holder), L(f"w.status.{x.status}", lang), _date(x.expiry_date),
             L(f"w.evidence.{x.evidence}", lang), ", ".join(x.matched_codes or []) or "—"] for x in u.head(TOP_RISKS).itertuples()]
    return [_table(f"unassessed_{market}", L("w.t.unassessed", lang, market=market), [
        ("publication_number", L("c.publication_number", lang)), ("title", L("c.title", lang)), ("holder", L("w.c.holder", lang)),
        ("status", L("w.c.status", lang)), ("expiry_date", L("w.c.expiry", lang)), ("evidence", L("w.c.evidence", lang)),
        ("matched_codes", L("w.c.codes", lang))], rows, L("w.t.unassessed.note", lang))]


def _watch_table(r: pd.DataFrame, market: str, lang: str) -> list:
    w = r[r["grade"] == "watch"]
    if w.empty:
        return []
    rows = [[x.publication_number, _cell(x.title), _holder(x.holder), rnd(x.risk), rnd(x.if_granted_risk),
             _pct(x.grant_probability, 0) if x.grant_probability == x.grant_probability else "—", _date(x.expiry_date),
             _evidence_text(x, lang)] for x in w.head(TOP_RISKS).itertuples()]
    return [_table(f"watch_{market}", L("w.t.watch", lang, market=market), [
        ("publication_number", L("c.publication_number", lang)), ("title", L("c.title", lang)), ("holder", L("w.c.holder", lang)),
        ("risk", L("w.c.risk", lang)), ("if_granted_risk", L("w.c.if_granted", lang)),
        ("grant_probability", L("w.c.grant_probability", lang)), ("term_ends", L("w.c.term", lang)),
        ("evidence", L("w.c.evidence", lang))], rows, L("w.t.watch.note", lang))]


#: Patents per market in the summary at the top of the warning report.
SUMMARY_TOP = 3


@dataclass(frozen=True)
class WarnContext:
    """What the warning report's section builders share: the screen's result, the report's
    language and the product's feature texts (the actions quote them)."""

    result: Any
    lang: str

    @property
    def params(self) -> dict:
        return self.result.params

    @property
    def profile(self) -> dict:
        return self.result.params["profile"]

    @property
    def features(self) -> list[str]:
        prof = self.profile
        return list(prof.get("features") or []) or [prof.get("description") or ""]

    @property
    def risks(self) -> pd.DataFrame:
        return self.result.risks


def build_warning_report(result, lang: str = "zh") -> dict:
    """Build the warning report model of a :class:`~patentnav.warning.WarningResult`.

    Returns a plain dict: ``meta`` (title, lang, generator, cutoff, region = markets, scope,
    sources, counts, caveats, summary) and the sections of :data:`WARN_SECTION_IDS`
    (``monitoring`` only when the screen was run with ``since``), one builder each
    (:data:`WARN_SECTIONS`), numbered from their order; the summary shows the findings the
    builders declare.
    """
    ctx = WarnContext(result, "en" if lang == "en" else "zh")
    built = [b for b in (build(ctx) for _, build in WARN_SECTIONS) if b is not None]
    meta = warning_meta(ctx)
    meta["summary"] = summary_block(L("w.sum.title", ctx.lang), [f for b in built for f in b.findings],
                                    [t for b in built for t in b.tables])
    return {"meta": meta, "sections": number_sections([b.section for b in built], ctx.lang)}


def warning_meta(ctx: WarnContext) -> dict:
    """The report's ``meta``: title (product and markets), counts, and the caveats."""
    from .. import __version__

    p, lang = ctx.params, ctx.lang
    return {
        "title": L("w.title", lang, product=ctx.profile["name"], markets=", ".join(p["markets"])), "lang": lang,
        "generator": f"patentnav {__version__}", "cutoff": p.get("data_cutoff"), "region": ", ".join(p["markets"]),
        "scope": {"criteria": [L("w.scope", lang, n=p["candidates"])], "documents": p["candidates"], "of": p["documents"]},
        "sources": [], "counts": {"documents": p["documents"], "years": None, "jurisdictions": {}},
        "caveats": _caveats(ctx.result, lang),
    }


def _caveats(result, lang: str) -> list[str]:
    """The product text's match first, then: not a legal opinion, missing text fields, a stale
    corpus, markets by coverage, unmatched codes, nothing matched, no litigation data."""
    p = result.params
    caveats = text_caveats(result, lang) + [L("w.cav.not_legal", lang)]
    txt = p.get("text_available") or {}
    missing = [f for f in ("abstract", "claims") if (txt.get(f) or 0) < 0.5]
    if missing:
        caveats.append(L("w.cav.text", lang, fields=join_items([column_label(f, lang) for f in missing], lang)))
    if p.get("data_cutoff") and p.get("as_of") and p["as_of"] > p["data_cutoff"]:
        caveats.append(L("w.cav.stale", lang, cutoff=p["data_cutoff"], as_of=p["as_of"]))
    caveats.append(L("w.cav.markets", lang))
    if p.get("codes_unmatched"):
        caveats.append(L("w.cav.codes", lang, codes=", ".join(p["codes_unmatched"])))
    if p["candidates"] == 0 and not result.unassessed_count():
        caveats.append(L("w.cav.no_match", lang))
    if p.get("litigation_cases") is None:
        caveats.append(L("w.cav.no_litigation", lang))
    return caveats


# ------------------------------------------------------------------ 1. product

def product_section(ctx: WarnContext) -> Built:
    """Section 1: the product, the data and the method; finding: that the product text
    matched nothing (or there is none), which no later number can make up for."""
    p, prof, lang = ctx.params, ctx.profile, ctx.lang
    pars = [L("w.intro", lang), L("w.data", lang, documents=f"{p['documents']:,}", own=p["own_documents"],
                                  candidates=p["candidates"], as_of=p["as_of"], cutoff=p.get("data_cutoff") or "—")]
    rows = [[L("w.p.name", lang), prof["name"]]]
    if prof.get("description"):
        rows.append([L("w.p.description", lang), prof["description"]])
    for key in ("keywords", "codes", "own_names", "competitors", "markets"):
        if prof.get(key):
            rows.append([L(f"w.p.{key}", lang), ", ".join(prof[key])])
    if prof.get("launch_date"):
        rows.append([L("w.p.launch_date", lang), prof["launch_date"]])
    item_cols = [("item", L("w.c.item", lang)), ("value", L("w.c.value", lang))]
    tables = [_table("profile", L("w.t.profile", lang), item_cols, rows)]
    if prof.get("features"):
        tables.append(_table("features", L("w.t.features", lang), item_cols,
                             [[L("w.feature_n", lang, n=i + 1), f] for i, f in enumerate(prof["features"])]))
    tables.append(_method_table(p, lang))
    return Built(section("product", L("w.sec.product", lang), pars, tables, []), text_warnings(ctx.result, lang))


def _method_table(p: dict, lang: str) -> dict:
    strength = ", ".join(L(f"w.s.{c}", lang) for c in p.get("strength_components", [])) or L("r.none", lang)
    rows = [[L("w.m.relevance", lang), L("w.m.relevance.text", lang)],
            [L("w.m.in_force", lang), L("w.m.in_force.text", lang)],
            [L("w.m.strength", lang), L("w.m.strength.text", lang, note=strength)],
            [L("w.m.holder", lang), L("w.m.holder.text", lang)],
            [L("w.m.risk", lang), L("w.m.risk.text", lang)]]
    return _table("method", L("w.t.method", lang), [("part", L("w.c.part", lang)), ("definition", L("w.c.definition", lang))], rows)


# ------------------------------------------------------------------ 2. risks

def risks_section(ctx: WarnContext) -> Built:
    """Section 2: counts per market, the ranked risks with their decomposition, the watch and
    not-assessed lists, a risk matrix per market. Findings: per market the counts by grade
    and the first action, with the :data:`SUMMARY_TOP` riskiest patents as a table."""
    lang, result = ctx.lang, ctx.result
    pars = [L("w.risks.intro", lang)]
    for m in result.markets.itertuples():
        if not m.assessable:
            pars.append(L("w.risks.no_data", lang, market=m.market))
            continue
        pars.append(L("w.risks.market", lang, market=m.market, threatening=m.threatening, high=m.high, medium=m.medium,
                      watch=m.watch, low=m.low, max_risk=f"{m.max_risk:.1f}", grade=L(f"w.grade.{m.grade}", lang)))
        if m.unassessed:
            pars.append(L("w.risks.unassessed", lang, market=m.market, n=m.unassessed))
    tables, charts = [_markets_table(result, lang)], []
    for m in ctx.params["markets"]:
        r = ctx.risks[ctx.risks["market"] == m]
        if r.empty:  # no table, no empty chart: the paragraph above says why
            tables += _unassessed_table(result, m, lang)
            continue
        tables += [_risk_table(r, m, lang)] + _watch_table(r, m, lang) + _unassessed_table(result, m, lang)
        charts.append(_risk_matrix(r, m, lang))
    findings, summary_tables = _market_findings(ctx)
    return Built(section("risks", L("w.sec.risks", lang), pars, tables, charts), findings, summary_tables)


def _market_findings(ctx: WarnContext) -> tuple[list[str], list[dict]]:
    """Per market: the counts by grade, and the first action with the riskiest patents (or that none threatens)."""
    lang, paras, tables = ctx.lang, [], []
    for m in ctx.result.markets.itertuples():
        if not m.assessable:
            paras.append(L("w.risks.no_data", lang, market=m.market))
            continue
        paras.append(L("w.sum.market", lang, market=m.market, high=m.high, medium=m.medium, watch=m.watch, low=m.low,
                       threatening=m.threatening))
        r = ctx.risks[ctx.risks["market"] == m.market].head(SUMMARY_TOP)
        if r.empty:
            paras.append(L("w.sum.none", lang, market=m.market))
            continue
        first = r.iloc[0]
        paras.append(L("w.sum.first_action", lang, market=m.market, publication=first["publication_number"],
                       grade=L(f"w.grade.{first['grade']}", lang), action=action_text(first, lang, ctx.features)))
        tables.append(_table(f"summary_{m.market}", L("w.t.summary", lang, market=m.market, n=len(r)), [
            ("rank", L("c.rank", lang)), ("publication_number", L("c.publication_number", lang)), ("title", L("c.title", lang)),
            ("holder", L("w.c.holder", lang)), ("risk", L("w.c.risk", lang)), ("grade", L("w.c.grade", lang)),
            ("action", L("w.c.action", lang))],
            [[int(x.rank), x.publication_number, _cell(x.title), _holder(x.holder), rnd(x.risk), L(f"w.grade.{x.grade}", lang),
              L(f"w.action.{x.action}", lang)] for x in r.itertuples()]))
    return paras, tables


def _markets_table(result, lang: str) -> dict:
    rows = [[m.market, m.office_documents, m.screened, m.threatening, m.high, m.medium, m.watch, m.low, m.unassessed,
             rnd(m.max_risk), L(f"w.grade.{m.grade}", lang) if m.assessable else L("w.grade.no_data", lang)]
            for m in result.markets.itertuples()]
    return _table("markets", L("w.t.markets", lang), [
        ("market", L("w.c.market", lang)), ("office_documents", L("w.c.office_documents", lang)),
        ("screened", L("w.c.screened", lang)), ("threatening", L("w.c.threatening", lang)),
        ("high", L("w.grade.high", lang)), ("medium", L("w.grade.medium", lang)), ("watch", L("w.grade.watch", lang)),
        ("low", L("w.grade.low", lang)), ("unassessed", L("w.evidence.codes_only", lang)),
        ("max_risk", L("w.c.max_risk", lang)), ("grade", L("w.c.grade", lang))], rows)


def _risk_table(r: pd.DataFrame, market: str, lang: str) -> dict:
    """The market's :data:`TOP_RISKS` ranked risks with the score's parts."""
    rows = [[int(x.rank), x.publication_number, _cell(x.title), f"{_holder(x.holder)} ({L(f'w.holder.{x.holder_type}', lang)})",
             L(f"w.status.{x.status}", lang), _date(x.expiry_date), rnd(x.relevance), _evidence_text(x, lang),
             rnd(x.in_force), rnd(x.strength), rnd(x.holder_factor), rnd(x.risk), L(f"w.grade.{x.grade}", lang),
             L(f"w.action.{x.action}", lang)] for x in r.head(TOP_RISKS).itertuples()]
    return _table(f"risks_{market}", L("w.t.risks", lang, market=market), [
        ("rank", L("c.rank", lang)), ("publication_number", L("c.publication_number", lang)), ("title", L("c.title", lang)),
        ("holder", L("w.c.holder", lang)), ("status", L("w.c.status", lang)), ("expiry_date", L("w.c.expiry", lang)),
        ("relevance", L("w.c.relevance", lang)), ("evidence", L("w.c.evidence", lang)),
        ("in_force", L("w.c.in_force", lang)), ("strength", L("w.c.strength", lang)),
        ("holder_factor", L("w.c.holder_factor", lang)), ("risk", L("w.c.risk", lang)), ("grade", L("w.c.grade", lang)),
        ("action", L("w.c.action", lang))], rows, L("w.t.risks.note", lang, shown=min(TOP_RISKS, len(r)), total=len(r)))


def _risk_matrix(r: pd.DataFrame, market: str, lang: str) -> dict:
    pts = [{"label": x.publication_number, "relevance": rnd(x.relevance), "strength": rnd(x.strength), "risk": rnd(x.risk),
            "grade": x.grade, "holder": _cell(x.holder), "status": L(f"w.status.{x.status}", lang)} for x in r.itertuples()]
    return _chart(f"risk_matrix_{market}", L("w.ch.matrix", lang, market=market), "risk_matrix",
                  {"points": pts, "x_label": L("w.c.relevance", lang), "y_label": L("w.c.strength", lang)},
                  L("w.ch.matrix.note", lang))


# ------------------------------------------------------------------ 3. details

def details_section(ctx: WarnContext) -> Built:
    """Section 3: why each of the :data:`TOP_DETAILS` highest high and medium risks is there, and what to do."""
    lang, p = ctx.lang, ctx.params
    flagged = ctx.risks[ctx.risks["grade"].isin(["high", "medium"])].sort_values(
        ["risk", "market", "publication_number"], ascending=[False, True, True], kind="mergesort").head(TOP_DETAILS)
    pars = [L("w.details.intro", lang, n=len(flagged))] if len(flagged) else [L("w.details.none", lang)]
    rows = [[x["market"], x["publication_number"], _cell(x["title"]), rnd(x["risk"]), L(f"w.grade.{x['grade']}", lang),
             _why(x, lang, ctx.features, p.get("litigation_cases") is not None, p.get("as_of")), action_text(x, lang, ctx.features)]
            for _, x in flagged.iterrows()]
    tables = [_table("details", L("w.t.details", lang), [
        ("market", L("w.c.market", lang)), ("publication_number", L("c.publication_number", lang)), ("title", L("c.title", lang)),
        ("risk", L("w.c.risk", lang)), ("grade", L("w.c.grade", lang)), ("why", L("w.c.why", lang)),
        ("action", L("w.c.action", lang))], rows)] if rows else []
    return Built(section("details", L("w.sec.details", lang), pars, tables, []), [])


# ------------------------------------------------------------------ 4. freedom

def freedom_section(ctx: WarnContext) -> Built:
    """Section 4: when the risks expire (timeline), the risks to wait out, ended rights free to use."""
    lang, p, risks = ctx.lang, ctx.params, ctx.risks
    charts = []
    timeline = risks.drop_duplicates("publication_number").sort_values(["risk", "publication_number"], ascending=[False, True],
                                                                      kind="mergesort").head(25)
    items = [{"label": x.publication_number, "expiry": _date(x.expiry_date), "risk": rnd(x.risk), "grade": x.grade}
             for x in timeline.itertuples() if _date(x.expiry_date)]
    if items:
        charts.append(_chart("expiry_timeline", L("w.ch.timeline", lang), "expiry_timeline", {
            "items": items, "as_of": p["as_of"], "as_of_label": L("w.as_of", lang),
            "launch": ctx.profile.get("launch_date"), "launch_label": L("w.launch", lang)}, L("w.ch.timeline.note", lang)))
    waits = risks[risks["action"] == "wait_for_expiry"]
    tables = []
    if len(waits):
        tables.append(_table("wait_for_expiry", L("w.t.wait", lang), [
            ("market", L("w.c.market", lang)), ("publication_number", L("c.publication_number", lang)),
            ("title", L("c.title", lang)), ("expiry_date", L("w.c.expiry", lang)), ("risk", L("w.c.risk", lang))],
            [[x.market, x.publication_number, _cell(x.title), _date(x.expiry_date), rnd(x.risk)] for x in waits.itertuples()]))
    tables.append(_table("freedom", L("w.t.freedom", lang), [
        ("publication_number", L("c.publication_number", lang)), ("title", L("c.title", lang)), ("holder", L("w.c.holder", lang)),
        ("status", L("w.c.status", lang)), ("ended_date", L("w.c.ended", lang)), ("relevance", L("w.c.relevance", lang))],
        [[x.publication_number, _cell(x.title), _holder(x.holder), L(f"w.status.{x.status}", lang), _date(x.ended),
          rnd(x.relevance)] for x in ctx.result.freedom.itertuples()], L("w.t.freedom.note", lang)))
    return Built(section("freedom", L("w.sec.freedom", lang), [L("w.freedom.intro", lang)], tables, charts), [])


# ------------------------------------------------------------------ 5. monitoring

def monitoring_section(ctx: WarnContext) -> Built | None:
    """Section 5 (only when the screen ran with ``since``): new publications, most relevant first."""
    mon = ctx.result.monitoring
    if mon is None:
        return None
    lang, p = ctx.lang, ctx.params
    pars = [L("w.monitor.intro", lang, since=p.get("since"), n=len(mon))]
    if p.get("data_cutoff") and p.get("since") and p["since"] > p["data_cutoff"]:
        pars.append(L("w.monitor.after_cutoff", lang, cutoff=p["data_cutoff"]))
    rows = [[x.publication_number, _date(x.publication_date), _cell(x.title), _cell(x.applicants),
             L(f"w.why.{x.why}", lang) if has_label(f"w.why.{x.why}") else x.why, _cell(x.matched_codes), rnd(x.relevance)]
            for x in mon.head(100).itertuples()]
    tables = [_table("monitoring", L("w.t.monitoring", lang), [
        ("publication_number", L("c.publication_number", lang)), ("publication_date", L("w.c.published", lang)),
        ("title", L("c.title", lang)), ("applicants", L("c.applicant", lang)), ("why", L("w.c.why", lang)),
        ("matched_codes", L("w.c.codes", lang)), ("relevance", L("w.c.relevance", lang))], rows,
        L("w.t.monitoring.note", lang, shown=min(100, len(mon)), total=len(mon)))]
    return Built(section("monitoring", L("w.sec.monitoring", lang), pars, tables, []), [])


#: The sections in their order: (id, builder); a builder returns None for a section it does not make.
WARN_SECTIONS: tuple[tuple[str, Callable[[WarnContext], Built | None]], ...] = (
    ("product", product_section),
    ("risks", risks_section),
    ("details", details_section),
    ("freedom", freedom_section),
    ("monitoring", monitoring_section),
)


def _ranked(result) -> pd.DataFrame:
    """Risks over all markets: high, medium, watch, low, then by risk."""
    from ..warning.risk import GRADE_ORDER

    r = result.risks.assign(_g=result.risks["grade"].map({g: i for i, g in enumerate(GRADE_ORDER)}))
    return r.sort_values(["_g", "risk", "market", "publication_number"], ascending=[True, False, True, True], kind="mergesort")


def terminal_rows(result, lang: str, n: int = 15) -> list[list[str]]:
    """Rows of the terminal table: the top ``n`` risks over all markets (grade order)."""
    out = []
    for x in _ranked(result).head(n).itertuples():
        out.append([x.market, x.publication_number, str(_cell(x.title) or "")[:48], _holder(x.holder)[:28],
                    t(f"w.status.{x.status}", lang), f"{x.risk:.1f}", t(f"w.grade.{x.grade}", lang), t(f"w.action.{x.action}", lang)])
    return out


def terminal_grades(result, n: int = 15) -> list[str]:
    """Grades of :func:`terminal_rows`, for styling."""
    return _ranked(result).head(n)["grade"].tolist()
