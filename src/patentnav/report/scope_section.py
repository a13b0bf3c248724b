"""Section 1 of the landscape report, data and scope (GB/T 39551: 数据与范围): where the
documents come from, what the scope kept, how the applicants were placed in regions, and
which fields the data lack, with what that costs. Also the report's caveats, which rest on
the same facts."""

from __future__ import annotations

from ..i18n import column_label
from .context import LandscapeContext
from .labels import L
from .parts import Built, _pct, _table, rnd, section
from .regional import evidence_shares_text

__all__ = ["scope_section", "scope_caveats", "MISSING_CAVEAT"]

#: A field missing from at least this share of documents is a caveat of the report.
MISSING_CAVEAT = 0.5


def scope_caveats(ctx: LandscapeContext) -> list[str]:
    """What the reader must know before trusting the numbers: the publication lag, fields
    missing from most documents, regions placed mostly by a proxy, the bundled sample."""
    lang = ctx.lang
    out = [L("cav.lag", lang)]
    for name, share in ctx.field_coverage:
        if share >= MISSING_CAVEAT:
            out.append(L("cav.missing", lang, field=column_label(name, lang), share=_pct(share),
                         consequence=L(f"cons.{name}", lang)))
    evidence = ctx.source_summary
    proxy_share = float(evidence.loc["priority", "share"]) if "priority" in evidence.index else 0.0
    if proxy_share >= 0.5:
        out.append(L("cav.proxy", lang, share=_pct(proxy_share)))
    if any(s["file"].startswith("lens_drones") for s in ctx.sources):
        out.append(L("cav.sample", lang))
    return out


def scope_section(ctx: LandscapeContext) -> Built:
    """Section 1: counts, region evidence, sources, criteria, jurisdictions, missing fields (no findings)."""
    lang, n = ctx.lang, ctx.n
    years = ctx.documents_years
    ctx.step("regions")
    pars = [L("scope.intro", lang),
            L("scope.data", lang, docs=f"{n:,}", of=f"{ctx.documents_before_scope:,}", first=years[0], last=years[1],
              cutoff=ctx.cutoff_text),
            L("scope.regions", lang, evidence=evidence_shares_text(ctx.assignment, lang, ctx.source_summary))]
    tables = [_sources_table(ctx.sources, lang), _criteria_table(ctx.criteria, lang),
              _jurisdictions_table(ctx.jurisdictions, n, lang), _missing_table(ctx.field_coverage, lang)]
    return Built(section("scope", L("sec.scope", lang), pars, tables, []), [])


def _sources_table(sources: list[dict], lang: str) -> dict:
    keys = ("file", "format", "rows_read", "kept", "rejected", "warnings")
    return _table("sources", L("t.sources", lang), [(k, L(f"c.{k}", lang)) for k in keys],
                  [[s[k] for k in keys] for s in sources])


def _criteria_table(criteria: list[dict], lang: str) -> dict:
    return _table("criteria", L("t.criteria", lang), [("criterion", L("c.criterion", lang)), ("value", L("c.value", lang)),
                                                       ("documents", L("c.documents", lang))],
                  [[c["criterion"], c["value"], c["documents"]] for c in criteria_rows(criteria)],
                  None if criteria else L("scope.no_criteria", lang))


def criteria_rows(criteria: list[dict]) -> list[dict]:
    """Scope criteria as plain JSON values (``value``: text, or a list of texts)."""
    return [{"criterion": str(c["criterion"]), "value": c["value"] if isinstance(c["value"], str) else [str(v) for v in c["value"]],
             "documents": int(c["documents"])} for c in criteria]


def _jurisdictions_table(jurisdictions: list[tuple[str, int]], n: int, lang: str) -> dict:
    return _table("jurisdictions", L("t.jurisdictions", lang), [("jurisdiction", L("c.jurisdiction", lang)),
                                                                 ("documents", L("c.documents", lang)), ("share", L("c.share", lang))],
                  [[k, int(v), rnd(v / n)] for k, v in jurisdictions])


def _missing_table(coverage: list[tuple[str, float]], lang: str) -> dict:
    return _table("missing_fields", L("t.missing", lang), [("field", L("c.field_name", lang)),
                                                            ("missing_share", L("c.missing_share", lang)),
                                                            ("consequence", L("c.consequence", lang))],
                  [[column_label(name, lang), rnd(share), L(f"cons.{name}", lang)] for name, share in coverage])
