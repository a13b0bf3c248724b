"""The portfolio report model (专利资产盘点与运营报告): a
:class:`~patentnav.portfolio.PortfolioResult` in the landscape report's contract (meta +
sections of paragraphs, tables and charts), rendered by the same JSON, CSV, HTML and Markdown
renderers.

Sections: ``inventory`` (rights, status, fees by office), ``value`` (indicators by GB/T
42748-2023 group, CNIPA high-value criteria, what the data lack, maintenance survival),
``decisions`` (decision matrix, reasons, pledge readiness, licensee prospects), ``region``
(pools, patents to bring in, ended rights free to use). One builder per section; every sort
has a tie-breaker, so the same inputs give byte-identical JSON.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..i18n import t
from .labels import L, has_label
from .parts import _cell, _chart, _clip, _table, plain_number, rnd, section
from .warn_model import _date

__all__ = ["build_portfolio_report", "PORTFOLIO_SECTION_IDS", "PORTFOLIO_CHART_KEYS", "reasons_text", "terminal_rows",
           "region_caveat"]

PORTFOLIO_SECTION_IDS = ("inventory", "value", "decisions", "region")
PORTFOLIO_CHART_KEYS = {
    "fee_timeline": ("years", "series", "currency", "y_label"),
    "value_distribution": ("bins", "portfolio", "cohort", "x_label", "y_label"),
    "decision_matrix": ("points", "x_label", "y_label", "x_threshold", "y_threshold"),
}
#: Rows of the long per-right tables in the report (every row is in the CLI's rights.csv).
TOP_ROWS = 200
_ORDER = {"license_or_sell": 0, "abandon": 1, "pool": 2, "keep": 3, "review": 4, "ended": 5}


def _status(code: Any, lang: str) -> str:
    return L(f"w.status.{code}", lang) if has_label(f"w.status.{code}") else str(code)


def _doc_type(code: Any, lang: str) -> str:
    return L(f"pf.type.{code}", lang) if has_label(f"pf.type.{code}") else str(code)


def _wipo_names(nums: Any, lang: str) -> str:
    from ..classify.wipo import WIPO_FIELDS

    by = {f["number"]: f for f in WIPO_FIELDS}
    key = "field_zh" if lang == "zh" else "field_en"
    return "; ".join(by[int(n)][key] for n in (nums if isinstance(nums, (list, tuple, np.ndarray)) else []) if int(n) in by)


def _money(amount: float, currency: str | None) -> str:
    return f"{amount:,.0f} {currency or ''}".strip()


def _fmt_reason(code: str, vals: dict, lang: str) -> str:
    v = dict(vals)
    if code == "cited_often" and v.get("pct") is not None and np.isfinite(float(v["pct"])):
        v["pct"] = f"{100 * float(v['pct']):.0f}"  # a percentile rank: 0.92 -> the 92nd percentile
    for k in ("fit",) if code == "cited_often" else ("pct", "fit"):
        if k in v and v[k] is not None and np.isfinite(float(v[k])):
            v[k] = f"{float(v[k]):.2f}"
    if "amount" in v:
        v["amount"] = f"{float(v['amount'] or 0):,.0f}"
    if "years" in v and isinstance(v["years"], float):
        v["years"] = plain_number(v["years"])
    if "status" in v:
        v["status"] = _status(v["status"], lang)
    return L(f"pf.r.{code}", lang, **v)


def reasons_text(reasons: list, lang: str) -> str:
    """The reason codes of a decision as one sentence in ``lang``."""
    return ("；" if lang == "zh" else "; ").join(_fmt_reason(c, v, lang) for c, v in (reasons or []))


def _dec_label(decision: str, detail: str | None, lang: str) -> str:
    if decision == "license_or_sell" and detail:
        return L(f"pf.dec.{detail}", lang)
    return L(f"pf.dec.{decision}", lang)


def decision_label(row, lang: str) -> str:
    """The decision of a row in ``lang`` (license or sell shown as the one suggested)."""
    return _dec_label(row["decision"], row.get("decision_detail"), lang)


#: Points drawn on the decision matrix at most (every right is in the tables and CSV).
MATRIX_POINTS = 2000


def _thin(alive: pd.DataFrame) -> pd.DataFrame:
    """At most :data:`MATRIX_POINTS` rows: every right with a decision other than keep (up to
    the cap), then evenly spaced kept rights (deterministic)."""
    if len(alive) <= MATRIX_POINTS:
        return alive
    other = alive[alive["decision"] != "keep"].head(MATRIX_POINTS)
    keep = alive[alive["decision"] == "keep"]
    room = MATRIX_POINTS - len(other)
    if room > 0 and len(keep):
        keep = keep.iloc[np.linspace(0, len(keep) - 1, min(room, len(keep))).round().astype(int)]
        other = pd.concat([other, keep])
    return other.sort_values("publication_number", kind="mergesort")


def _title_holder(result) -> str:
    return result.params["label"]


# ---------------------------------------------------------------------------------------- meta
def region_caveat(result, lang: str) -> str | None:
    """Region mode: how many of the region's applicants are only first filed there (None when
    every one is located, or in holder mode)."""
    p = result.params
    ev = p.get("region_evidence") or {}
    hev = result.selection.holder_evidence
    if not ev or not len(hev) or hev["located"].all():
        return None
    return L("pf.cav.region_proxy", lang, first=int((~hev["located"]).sum()), n=len(hev), region=p["region"],
             evidence=", ".join(f"{L(f'ev.{k}', lang)} ({v:,})" for k, v in sorted(ev.items())))


def _meta(result, lang: str) -> dict:
    from .. import __version__

    p = result.params
    caveats = [L("pf.cav.not_price", lang), L("pf.cav.fees", lang)]
    if p.get("data_cutoff") and p["as_of"] > p["data_cutoff"]:
        caveats.append(L("pf.stale", lang, cutoff=p["data_cutoff"], as_of=p["as_of"]))
    if not p.get("legal_events_documents"):
        caveats.append(L("pf.cav.legal_events", lang))
    if p.get("product") is None:
        caveats.append(L("pf.cav.no_product", lang))
    proxy = region_caveat(result, lang)
    if proxy:
        caveats.append(proxy)
    key = "pf.title" if p["kind"] != "region" else ("pf.title.region" if result.selection.located else "pf.title.region_first_filed")
    return {"title": L(key, lang, holder=_title_holder(result)), "lang": lang, "generator": f"patentnav {__version__}",
            "cutoff": p.get("data_cutoff"), "region": p.get("region") or "",
            "scope": {"criteria": [p["label"]], "documents": len(result.rights), "of": p["documents"]},
            "sources": [], "counts": {"documents": len(result.rights), "years": None, "jurisdictions": {}},
            "caveats": caveats}


# ----------------------------------------------------------------------------------- inventory
def _fees_paragraph(result, lang: str) -> str:
    fp = result.fees.params
    tot = result.fees.totals()
    f = result.rights
    unknown = int(f["fees_unknown"].fillna(0).sum())
    no_sched = ", ".join(f"{k} ({v})" for k, v in sorted(fp.get("no_schedule", {}).items())) or L("r.none", lang)
    if tot.empty and not unknown:
        return L("pf.fees.none", lang, as_of=fp["as_of"])
    by_cur = tot.groupby("currency")["amount"].sum()
    totals = ", ".join(_money(a, c) for c, a in by_cur.items()) or "—"
    return L("pf.fees.par", lang, start=fp["as_of"], end=fp["window_end"], years=fp["years"], totals=totals,
             unknown=unknown, no_schedule=no_sched)


def _inventory(result, lang: str) -> dict:
    f = result.rights
    p = result.params
    counts = f["status"].value_counts()
    ended = int(counts.reindex(["expired", "lapsed", "withdrawn_or_refused"]).fillna(0).sum())
    pars = [L("pf.intro", lang),
            L("pf.data", lang, n=len(f), holder=p["label"], documents=f"{p['documents']:,}",
              names="; ".join(p["names"][:8]) + (" …" if len(p["names"]) > 8 else ""), as_of=p["as_of"],
              cutoff=p.get("data_cutoff") or "—"),
            L("pf.status_counts", lang, n=len(f), in_force=int(counts.get("in_force", 0)),
              pending=int(counts.get("pending", 0)), ended=ended, unknown=int(counts.get("unknown", 0)))]
    if p.get("unmatched"):
        pars.append(L("pf.unmatched", lang, names=", ".join(p["unmatched"])))
    holders_tab = _holders_table(result, lang)
    if holders_tab is not None:
        hev = result.selection.holder_evidence
        pars.append(L("pf.holders.par", lang, n=len(hev), region=p["region"], located=int(hev["located"].sum()),
                      first=int((~hev["located"]).sum())))
    pars.append(_fees_paragraph(result, lang))
    n_ep = int((f["fees_status"] == "ep_national").sum())
    if n_ep:
        pars.append(L("pf.fees.ep", lang, n=n_ep))

    st = f.groupby(["jurisdiction", "status"]).size().unstack(fill_value=0)
    order = [s for s in ("in_force", "pending", "expired", "lapsed", "withdrawn_or_refused", "unknown") if s in st.columns]
    tables = [_table("status_office", L("pf.t.status_office", lang),
                     [("office", L("pf.c.office", lang))] + [(s, _status(s, lang)) for s in order],
                     [[j] + [int(st.loc[j, s]) for s in order] for j in sorted(st.index)])]
    if holders_tab is not None:
        tables.append(holders_tab)
    alive_first = f.assign(_a=~f["status"].isin(["in_force", "pending"]), _y=-f["years_left"].fillna(-1))
    inv = alive_first.sort_values(["_a", "_y", "publication_number"], kind="mergesort").head(TOP_ROWS)
    rows = [[x.publication_number, _cell(x.title), x.jurisdiction, _doc_type(x.document_type, lang), _status(x.status, lang),
             _date(x.expiry_date), rnd(x.years_left), rnd(x.family_size), int(x.markets), _wipo_names(x.wipo_fields, lang),
             "; ".join(x.sei_fields) if isinstance(x.sei_fields, (list, tuple, np.ndarray)) else "",
             _fee_cell(x, lang), x.fees_currency or ""] for x in inv.itertuples()]
    tables.append(_table("inventory", L("pf.t.inventory", lang), [
        ("publication_number", L("c.publication_number", lang)), ("title", L("c.title", lang)),
        ("office", L("pf.c.office", lang)), ("type", L("pf.c.type", lang)), ("status", L("pf.c.status", lang)),
        ("expiry_date", L("pf.c.expiry", lang)), ("years_left", L("pf.c.years_left", lang)),
        ("family_size", L("pf.c.family", lang)), ("markets", L("pf.c.markets", lang)), ("wipo", L("pf.c.wipo", lang)),
        ("sei", L("pf.c.sei", lang)), ("fees_next", L("pf.c.fees_next", lang)), ("currency", L("pf.c.currency", lang))],
        rows, L("pf.t.inventory.note", lang)))
    tot = result.fees.totals()
    charts = []
    for cur in sorted(tot["currency"].unique()) if len(tot) else []:
        sub = tot[tot["currency"] == cur]
        years = sorted(int(y) for y in sub["year"].unique())
        series = [{"name": o, "amounts": [rnd(sub[(sub["office"] == o) & (sub["year"] == y)]["amount"].sum()) for y in years]}
                  for o in sorted(sub["office"].unique())]
        charts.append(_chart(f"fee_timeline_{cur}", L("pf.ch.fees", lang, currency=cur), "fee_timeline",
                             {"years": years, "series": series, "currency": cur,
                              "y_label": f"{L('pf.c.amount', lang)} ({cur})"}, L("pf.ch.fees.note", lang)))
    if len(tot):
        tables.append(_table("fees", L("pf.t.fees", lang), [
            ("year", L("pf.c.year", lang)), ("office", L("pf.c.office", lang)), ("currency", L("pf.c.currency", lang)),
            ("amount", L("pf.c.amount", lang)), ("fees", L("pf.c.fees", lang))],
            [[int(r.year), r.office, r.currency, rnd(r.amount), int(r.fees)] for r in tot.itertuples()]))
    tables.append(_fee_sources(result, lang))
    return section("inventory", L("pf.sec.inventory", lang), pars, tables, charts)


def _evidence(source: Any, lang: str) -> str:
    """What places an applicant in a region, in words (patentnav.geo.SOURCES)."""
    return L(f"ev.{source}", lang) if isinstance(source, str) and has_label(f"ev.{source}") else L("ev.none", lang)


def _region_cell(region: Any, source: Any, lang: str) -> str:
    """A holder's region with the evidence it rests on: "US (priority country)"."""
    region = _cell(region)
    return L("pf.region_cell", lang, region=region, evidence=_evidence(source, lang)) if region else "—"


def _holders_table(result, lang: str) -> dict | None:
    """Region mode: the region's applicants in the portfolio, each with the evidence that places
    it there (an applicant placed by the priority country only is first filed there, not local)."""
    hev = result.selection.holder_evidence
    if result.params["kind"] != "region" or not len(hev):
        return None
    region = result.params["region"]
    rows = [[_cell(x.applicant), rnd(x.patents), int(x.documents), _evidence(x.evidence, lang),
             L("pf.located" if x.located else "pf.first_filed", lang, region=region)] for x in hev.head(TOP_ROWS).itertuples()]
    return _table("holders", L("pf.t.holders", lang, region=region), [
        ("applicant", L("pf.c.holder", lang)), ("patents", L("pf.c.fractional", lang)), ("documents", L("pf.c.docs", lang)),
        ("evidence", L("c.evidence", lang)), ("located", L("pf.c.located", lang))], rows,
        L("pf.t.holders.note", lang, region=region))


def _fee_cell(x, lang: str):
    if x.fees_status in ("ep_national", "no_schedule"):
        return L(f"pf.fee_status.{x.fees_status}", lang)
    if x.fees_status in ("not_alive", "no_dates"):
        return None
    return rnd(x.fees_next)


def _fee_sources(result, lang: str) -> dict:
    from ..portfolio.fees import fee_schedule, fee_sources

    s = fee_schedule().drop_duplicates(["office", "valid_from", "source_id"])
    src = fee_sources().set_index("source_id")
    title = "title_zh" if lang == "zh" else "title"
    rows = [[r.office, r.valid_from, src.loc[r.source_id, title], src.loc[r.source_id, "checked"]]
            for r in s.sort_values(["office", "valid_from"], kind="mergesort").itertuples()]
    return _table("fee_sources", L("pf.t.fee_sources", lang), [
        ("office", L("pf.c.office", lang)), ("valid_from", L("pf.c.valid_from", lang)),
        ("source", L("pf.c.source", lang)), ("checked", L("pf.c.checked", lang))], rows)


# --------------------------------------------------------------------------------------- value
def _value_chart(result, lang: str) -> dict:
    bins = np.linspace(0.0, 1.0, 11)
    v = result.rights["value_index"].dropna().to_numpy(dtype=float)
    c = result.cohort["value_index"].dropna().to_numpy(dtype=float)

    def shares(x):
        h, _ = np.histogram(np.clip(x, 0, 1), bins=bins)
        return [rnd(k / len(x)) if len(x) else 0.0 for k in h]

    return _chart("value_distribution", L("pf.ch.value", lang), "value_distribution",
                  {"bins": [rnd(b) for b in bins], "portfolio": shares(v), "cohort": shares(c),
                   "portfolio_label": L("pf.ch.value.portfolio", lang), "cohort_label": L("pf.ch.value.cohort", lang),
                   "x_label": L("pf.ch.value.x", lang), "y_label": L("pf.ch.value.y", lang)}, L("pf.ch.value.note", lang))


def _indicator_tables(f: pd.DataFrame, lang: str, events_known: bool) -> list[dict]:
    """Legal, technical and economic tables; transaction counts are empty (unknown), not 0,
    when the data carry no legal events."""
    f = f.sort_values(["value_index", "publication_number"], ascending=[False, True], kind="mergesort").head(TOP_ROWS)
    yn = {True: L("pf.yes", lang), False: L("pf.no", lang)}
    ev = (lambda v: int(v)) if events_known else (lambda v: None)  # noqa: E731
    legal = [[x.publication_number, _status(x.status, lang), rnd(x.years_left), rnd(x.claims), rnd(x.family_size),
              int(x.co_owners), yn[bool(x.active_pledge)] if events_known else None, ev(x.licences), ev(x.transfers),
              ev(x.invalidations + x.challenges)] for x in f.itertuples()]
    tech = [[x.publication_number, rnd(x.forward_citations), rnd(x.forward_citations_norm), rnd(x.tech_relevance),
             None if pd.isna(x.breakthrough) else yn[bool(x.breakthrough)], rnd(x.patent_scope), rnd(x.radicalness),
             rnd(x.originality), rnd(x.generality), rnd(x.npl_share), yn[bool(x.sei)]] for x in f.itertuples()]
    econ = [[x.publication_number, rnd(x.family_size), int(x.markets), rnd(x.market_coverage), rnd(x.competitive_impact),
             rnd(x.maintenance_ratio), ev(x.transactions), rnd(x.value_index)] for x in f.itertuples()]
    pn = ("publication_number", L("c.publication_number", lang))
    return [
        _table("legal", L("pf.t.legal", lang), [pn, ("status", L("pf.c.status", lang)), ("years_left", L("pf.c.years_left", lang)),
               ("claims", L("pf.c.claims", lang)), ("family_size", L("pf.c.family", lang)), ("co_owners", L("pf.c.co_owners", lang)),
               ("active_pledge", L("pf.c.pledge", lang)), ("licences", L("pf.c.licences", lang)),
               ("transfers", L("pf.c.transfers", lang)), ("challenges", L("pf.c.challenges", lang))], legal),
        _table("technical", L("pf.t.technical", lang), [pn, ("forward_citations", L("pf.c.fwd", lang)),
               ("forward_citations_norm_index", L("pf.c.fwd_norm", lang)), ("tech_relevance", L("pf.c.tech_relevance", lang)),
               ("breakthrough", L("pf.c.breakthrough", lang)), ("patent_scope", L("pf.c.scope", lang)),
               ("radicalness_index", L("pf.c.radicalness", lang)), ("originality_index", L("pf.c.originality", lang)),
               ("generality_index", L("pf.c.generality", lang)), ("npl_share", L("pf.c.npl", lang)), ("sei", L("pf.c.sei", lang))], tech),
        _table("economic", L("pf.t.economic", lang), [pn, ("family_size", L("pf.c.family", lang)), ("markets", L("pf.c.markets", lang)),
               ("market_coverage", L("pf.c.market_coverage", lang)), ("competitive_impact", L("pf.c.impact", lang)),
               ("maintenance_share", L("pf.c.maintenance", lang)), ("transactions", L("pf.c.transactions", lang)),
               ("value_index", L("pf.c.value_index", lang))], econ),
    ]


_AVAIL = (("legal", "claims", "claims", "pf.c.claims"), ("legal", "legal_events", "events", "pf.c.transactions"),
          ("technical", "forward_citations", "forward_citations", "pf.c.fwd"),
          ("technical", "radicalness", "radicalness", "pf.c.radicalness"), ("technical", "npl_share", "npl_share", "pf.c.npl"),
          ("technical", "originality", "originality", "pf.c.originality"),
          ("technical", "generality", "generality", "pf.c.generality"),
          ("technical", "breakthrough", "breakthrough", "pf.c.breakthrough"),
          ("economic", "family_size", "family_size", "pf.c.family"),
          ("economic", "market_coverage", "market_coverage", "pf.c.market_coverage"),
          ("economic", "value_index", "value_index", "pf.c.value_index"))


def _availability(result, lang: str) -> tuple[dict, list[str]]:
    """Per indicator: does the corpus give it, and for how many of the portfolio's rights
    (the long English notes of the library stay in the JSON params)."""
    f = result.rights
    avail = result.params.get("available", {})
    rows, lacks = [], []
    for grp, key, col, lab in _AVAIL:
        if col == "events":
            k = int((f["events"] > 0).sum()) if "events" in f.columns else 0
        else:
            k = int(f[col].notna().sum()) if col in f.columns else 0
        ok = bool(avail.get(key, k > 0)) and k > 0
        rows.append([L(f"pf.grp.{grp}", lang), L(lab, lang), L("pf.yes" if ok else "pf.no", lang),
                     L("pf.avail.count", lang, k=k, n=len(f))])
        if not ok:
            lacks.append(L(lab, lang))
    tab = _table("availability", L("pf.t.availability", lang), [("group", L("pf.c.group", lang)),
                 ("indicator", L("pf.c.indicator", lang)), ("available", L("pf.c.available", lang)), ("note", L("pf.c.note", lang))],
                 rows, L("pf.avail.note", lang))
    return tab, lacks


def _high_value(f: pd.DataFrame, lang: str) -> tuple[list[str], dict | None]:
    """CNIPA's criteria for the granted invention patents in force of any office (the shared
    definition, as the quality profiles read it), with the ones CNIPA's statistic counts (CN)."""
    in_scope = f["hv_in_scope"].to_numpy(dtype=bool)
    if not in_scope.any():
        return [L("pf.hv.none", lang)], None
    hv = f[in_scope]
    value = hv["high_value"].astype("boolean")
    crit = lambda c: "; ".join(L(f"pf.hv.{k}", lang) for k in c.split(",")) if c else "—"  # noqa: E731
    rows = [[x.publication_number, _cell(x.title), x.jurisdiction, yn_(x.high_value, lang), crit(x.hv_criteria),
             yn_(x.hv_cnipa_statistic, lang)] for x in hv.sort_values("publication_number").itertuples()]
    cn = hv["hv_cnipa_statistic"].to_numpy(dtype=bool)
    pars = [L("pf.hv.par", lang, n=int(value.fillna(False).sum()), scope=len(hv), unknown=int(value.isna().sum()),
              cn=int((value.fillna(False).to_numpy(dtype=bool) & cn).sum()), cn_scope=int(cn.sum()))]
    maint = hv["hv_maintained_10y"].astype("boolean")
    pars.append(L("pf.hv.maint_unknown", lang) if maint.isna().all() else
                L("pf.hv.maint", lang, k=int(maint.notna().sum()), n=len(hv)))
    return pars, _table("high_value", L("pf.t.hv", lang), [
        ("publication_number", L("c.publication_number", lang)), ("title", L("c.title", lang)), ("office", L("pf.c.office", lang)),
        ("high_value", L("pf.c.high_value", lang)), ("criteria", L("pf.c.criteria", lang)),
        ("cnipa_statistic", L("pf.c.cnipa_stat", lang))], rows, L("pf.t.hv.note", lang))


def yn_(v, lang: str) -> str:
    """yes / no, and "unknown" for a missing value (never "no")."""
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return L("pf.unknown", lang)
    return L("pf.yes" if bool(v) else "pf.no", lang)


def _survival(result, lang: str) -> tuple[list[str], list[dict]]:
    s = result.survival
    if not s.available:
        return [L(f"pf.surv.{s.reason}", lang)], []
    mae = s.mean_abs_error
    pars = [L("pf.surv.par", lang, rights=f"{s.params['rights']:,}", lapses=f"{s.params['lapses']:,}",
              min_cohort=s.params["min_cohort"], mae="—" if mae is None else f"{mae:.3f}")]
    tabs = [_table("survival", L("pf.t.survival", lang), [("office", L("pf.c.office", lang)),
                   ("filing_year", L("pf.c.filing_year", lang)), ("rights", L("pf.c.count", lang)),
                   ("lapses", L("pf.c.lapses", lang)), ("max_follow_up", L("pf.c.follow_up", lang)),
                   ("p_full_share", L("pf.c.p_full", lang)), ("s_max_share", L("pf.c.s_max", lang))],
                   [[r.office, int(r.filing_year), int(r.rights), int(r.lapses), rnd(r.max_follow_up), rnd(r.p_full_term),
                     rnd(r.s_at_max)] for r in s.cohorts.itertuples()])]
    if not s.calibration.empty:
        tabs.append(_table("calibration", L("pf.t.calibration", lang), [("horizon", L("pf.c.horizon", lang)),
                    ("rights", L("pf.c.count", lang)), ("predicted_share", L("pf.c.predicted", lang)),
                    ("observed_share", L("pf.c.observed", lang)), ("difference_share", L("pf.c.difference", lang))],
                    [[rnd(r.horizon), int(r.rights), rnd(r.predicted), rnd(r.observed), rnd(r.difference)]
                     for r in s.calibration.itertuples()]))
    return pars, tabs


def _value(result, lang: str) -> dict:
    f = result.rights
    comps = ("、" if lang == "zh" else ", ").join(L({"forward_citations": "pf.c.fwd", "family_size": "pf.c.family", "market_coverage": "pf.c.market_coverage",
                         "claims": "pf.c.claims"}[c], lang) for c in result.params.get("value_components", [])) or L("r.none", lang)
    v = f["value_index"].dropna()
    pars = [L("pf.value.intro", lang, components=comps)]
    if len(v):
        pars.append(L("pf.value.dist", lang, median=f"{v.median():.2f}", top=int((v >= 0.75).sum()), bottom=int((v < 0.25).sum())))
    avail_tab, lacks = _availability(result, lang)
    if lacks:
        pars.append(L("pf.value.lacks", lang, lacks=("、" if lang == "zh" else ", ").join(lacks)))
    hv_pars, hv_tab = _high_value(f, lang)
    pars += hv_pars
    s_pars, s_tabs = _survival(result, lang)
    pars += s_pars
    tables = _indicator_tables(f, lang, bool(result.params.get("legal_events_documents"))) + ([hv_tab] if hv_tab else []) + [avail_tab] + s_tabs
    return section("value", L("pf.sec.value", lang), pars, tables, [_value_chart(result, lang)])


# ----------------------------------------------------------------------------------- decisions
def _decisions(result, lang: str) -> dict:
    from ..portfolio.decisions import INTEREST_PCT, LOW_VALUE, PLEDGE_MIN_YEARS

    f = result.rights
    counts = f["decision"].value_counts()
    pars = [L("pf.dec.intro", lang),
            L("pf.dec.counts", lang, counts=("、" if lang == "zh" else ", ").join(f"{L(f'pf.dec.{d}', lang)} {int(counts[d])}"
                                                      for d in sorted(counts.index, key=lambda d: _ORDER.get(d, 9))))]
    ab = f[f["decision"] == "abandon"]
    if len(ab):
        saved = ab.groupby(ab["fees_currency"].fillna(""))["fees_next"].sum()
        pars.append(L("pf.dec.saving", lang, n=len(ab), amount=", ".join(_money(a, c) for c, a in saved.items())))
    pars.append(L("pf.dec.pledge", lang, ready=int(f["pledge_ready"].sum()), years=int(PLEDGE_MIN_YEARS)))
    pars.append(L("pf.dec.prospects.citations" if result.params.get("prospect_basis") == "citations"
                  else "pf.dec.prospects.field", lang))
    alive = f[f["status"].isin(["in_force", "pending"])].sort_values("publication_number", kind="mergesort")
    shown = _thin(alive)
    pts = [{"label": pub, "value": rnd(v), "interest": rnd(i), "decision": d, "decision_label": _dec_label(d, det, lang),
            "fees": rnd(fee)} for pub, v, i, d, det, fee in zip(
               shown["publication_number"], shown["value_index"], shown["forward_citations_pct"]
               if "forward_citations_pct" in shown else [None] * len(shown), shown["decision"], shown["decision_detail"],
               shown["fees_next"])]
    note = L("pf.ch.matrix.note", lang) + ("" if len(shown) == len(alive) else " " + L("pf.ch.matrix.thinned", lang,
                                                                                       shown=len(shown), total=len(alive)))
    charts = [_chart("decision_matrix", L("pf.ch.matrix", lang), "decision_matrix",
                     {"points": pts, "x_label": L("pf.ch.matrix.x", lang), "y_label": L("pf.ch.matrix.y", lang),
                      "x_threshold": LOW_VALUE, "y_threshold": INTEREST_PCT}, note)] if pts else []
    order = f.assign(_o=f["decision"].map(_ORDER)).sort_values(["_o", "value_index", "publication_number"],
                                                                ascending=[True, False, True], kind="mergesort")
    rows = [[x["publication_number"], _cell(x["title"]), _status(x["status"], lang), rnd(x["value_index"]),
             decision_label(x, lang), reasons_text(x["reasons"], lang)] for _, x in order.head(TOP_ROWS).iterrows()]
    tables = [_table("decisions", L("pf.t.decisions", lang), [("publication_number", L("c.publication_number", lang)),
                     ("title", L("c.title", lang)), ("status", L("pf.c.status", lang)), ("value_index", L("pf.c.value_index", lang)),
                     ("decision", L("pf.c.decision", lang)), ("reasons", L("pf.c.reasons", lang))], rows)]
    granted = f[f["status"] == "in_force"].sort_values(["pledge_ready", "years_left", "publication_number"],
                                                       ascending=[False, False, True], kind="mergesort")
    tables.append(_table("pledge", L("pf.t.pledge", lang), [("publication_number", L("c.publication_number", lang)),
                         ("ready", L("pf.c.ready", lang)), ("years_left", L("pf.c.years_left", lang)),
                         ("co_owners", L("pf.c.co_owners", lang)), ("value_index", L("pf.c.value_index", lang)),
                         ("blockers", L("pf.c.blockers", lang))],
                         [[x.publication_number, yn_(x.pledge_ready, lang), rnd(x.years_left), int(x.co_owners), rnd(x.value_index),
                           "; ".join(L(f"pf.b.{b}", lang, years=int(PLEDGE_MIN_YEARS)) for b in x.pledge_blockers) or "—"]
                          for x in granted.head(TOP_ROWS).itertuples()]))
    pr = result.prospects.head(30)
    tables.append(_table("prospects", L("pf.t.prospects", lang), [("firm", L("pf.c.firm", lang)), ("region", L("pf.c.region", lang)),
                         ("evidence", L("c.evidence", lang)), ("rights", L("pf.c.rights", lang)),
                         ("documents", L("pf.c.documents", lang))],
                         [[_cell(x.firm), x.region, _evidence(x.evidence, lang), int(x.rights), rnd(x.documents)]
                          for x in pr.itertuples()], L("pf.t.prospects.note", lang)))
    return section("decisions", L("pf.sec.decisions", lang), pars, tables, charts)


# -------------------------------------------------------------------------------------- region
def _pools_table(pools: pd.DataFrame, region: str, lang: str) -> dict:
    cat = lambda c: L(f"cat.{c}", lang) if has_label(f"cat.{c}") else c  # noqa: E731
    names = lambda x: "; ".join(f"{_cell(n)} ({_evidence(e, lang)})" for n, e in zip(x.holder_names, x.holder_evidence))  # noqa: E731
    return _table("pools", L("pf.t.pools", lang), [
        ("technology", L("c.technology", lang)), ("title", L("c.title", lang)), ("category", L("c.category", lang)),
        ("gap_score", L("c.gap_score", lang)), ("holders", L("pf.c.holders_n", lang, region=region)),
        ("located_holders", L("pf.c.located_n", lang)), ("basis", L("pf.c.pool_basis", lang)),
        ("rights", L("pf.c.count", lang)), ("holder_names", L("pf.c.holder_names", lang))],
        [[x.technology, _clip(x.title, 90), cat(x.category), rnd(x.gap_score), int(x.holders), int(x.located_holders),
          L(f"pf.pool.{x.basis}", lang, region=region), int(x.rights), names(x)] for x in pools.itertuples()],
        L("pf.t.pools.note", lang, region=region))


def _bring_table(bring: pd.DataFrame, lang: str) -> dict:
    return _table("bring_in", L("pf.t.bring", lang), [
        ("technology", L("c.technology", lang)), ("publication_number", L("c.publication_number", lang)),
        ("title", L("c.title", lang)), ("holder", L("pf.c.holder", lang)), ("holder_region", L("pf.c.holder_region", lang)),
        ("holder_type", L("pf.c.holder_type", lang)),
        ("status", L("pf.c.status", lang)), ("years_left", L("pf.c.years_left", lang)), ("expiry_date", L("pf.c.expiry", lang)),
        ("feasibility", L("c.feasibility", lang)), ("value_index", L("pf.c.value_index", lang)), ("score", L("pf.c.score", lang)),
        ("terms", L("pf.c.terms", lang))],
        [[x.technology, x.publication_number, _cell(x.title), _cell(x.holder) or "—", _region_cell(x.holder_region, x.holder_evidence, lang),
          L(f"w.holder.{x.holder_type}", lang), _status(x.status, lang), rnd(x.years_left),
          _date(x.expiry_date), rnd(x.feasibility), rnd(x.value_index), rnd(x.score), L(f"pf.terms.{x.terms}", lang)]
         for x in bring.itertuples()], L("pf.t.bring.note", lang))


def _free_table(free: pd.DataFrame, lang: str) -> dict:
    return _table("free_to_use", L("pf.t.free", lang), [
        ("technology", L("c.technology", lang)), ("publication_number", L("c.publication_number", lang)),
        ("title", L("c.title", lang)), ("holder", L("pf.c.holder", lang)), ("status", L("pf.c.status", lang)),
        ("ended_date", L("pf.c.ended", lang)), ("value_index", L("pf.c.value_index", lang))],
        [[x.technology, x.publication_number, _cell(x.title), _cell(x.holder) or "—", _status(x.status, lang),
          _date(x.ended), rnd(x.value_index)] for x in free.itertuples()], L("t.free.note", lang))


def _region(result, lang: str) -> dict:
    p = result.params
    if p.get("region_note") or not p.get("region"):
        return section("region", L("pf.sec.region", lang), [L("pf.region.none", lang, why=p.get("region_note") or "—")], [], [])
    region = p["region"]
    pars = [L("pf.region.intro", lang, region=region)]
    if p["kind"] != "region":
        pars.append(L("pf.region.holder", lang, region=region))
    pools, bring, free = result.pools, result.bring_in, result.free_to_use
    if not len(pools):
        pars.append(L("pf.pools.none", lang))
    else:
        proxy = int((pools["basis"] != "located").sum())
        pars.append(L("pf.pools.par", lang, n=len(pools)) if not proxy else
                    L("pf.pools.par_first_filed", lang, n=len(pools), proxy=proxy, region=region))
    pending = int((bring["status"] == "pending").sum()) if len(bring) else 0
    pars.append(L("pf.bring.par", lang, n=len(bring), pending=L("pf.bring.pending", lang, pending=pending) if pending else "",
                  left=int(p.get("first_filed_left_out") or 0), free=len(free), region=region, as_of=p["as_of"]))
    tables = ([_pools_table(pools, region, lang)] if len(pools) else []) + ([_bring_table(bring, lang)] if len(bring) else []) \
        + ([_free_table(free, lang)] if len(free) else [])
    return section("region", L("pf.sec.region", lang), pars, tables, [])


def build_portfolio_report(result, lang: str = "zh") -> dict:
    """The report model of a :class:`~patentnav.portfolio.PortfolioResult` (a plain dict)."""
    lang = "en" if lang == "en" else "zh"
    sections = [_inventory(result, lang), _value(result, lang), _decisions(result, lang), _region(result, lang)]
    return {"meta": _meta(result, lang), "sections": sections}


def terminal_rows(result, lang: str, n: int = 15) -> list[list[str]]:
    """Rows of the terminal table: rights by decision order, then value."""
    f = result.rights
    f = f.assign(_o=f["decision"].map(_ORDER)).sort_values(["_o", "value_index", "publication_number"],
                                                           ascending=[True, False, True], kind="mergesort").head(n)
    out = []
    for _, x in f.iterrows():
        v = x["value_index"]
        out.append([x["publication_number"], str(_cell(x["title"]) or "")[:44], t(f"w.status.{x['status']}", lang),
                    "—" if pd.isna(v) else f"{v:.2f}", decision_label(x, lang), _clip(reasons_text(x["reasons"], lang), 72)])
    return out
