"""The landscape report model: one plain, JSON-serialisable dict (contract: report spec).

Structured after GB/T 39551 (industry-planning patent navigation): data and scope,
industry direction, regional positioning, development paths. Every float is rounded to 6
significant digits, every sort has a tie-breaker, layouts are seeded, so the same corpus
and options give byte-identical JSON.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import scipy.sparse as sp

from .parts import MAP_EDGES, MAP_LABELS, _cell, _chart, _clip, _pct, _s, _table, rnd, section
from ..i18n import LocalizedError, column_label
from .labels import L, has_label
from .quality_section import QUALITY_CHART_KEYS, build_quality_section
from .regional import paths_section, positioning_section
from .summary import landscape_summary

__all__ = ["build_landscape_report", "rnd", "CHART_KEYS", "SECTION_IDS"]

SECTION_IDS = ("scope", "direction", "positioning", "quality", "paths")
CHART_KEYS = {
    "trend": ("years", "counts", "incomplete", "fitted", "label_x", "label_y"),
    "applicants_over_time": ("years", "series"),
    "field_network": ("nodes", "edges"),
    "field_region_heatmap": ("rows", "columns", "values", "measure"),
    "gap_quadrant": ("points", "x_label", "y_label", "threshold"),
    "life_cycle": ("years", "applicants", "applications"),
    "main_path": ("nodes", "edges"),
    **QUALITY_CHART_KEYS,
}
_GROWTH_WINDOW = 5
_CHECK_FIELDS = ("earliest_priority_date", "applicant_addresses", "abstract", "inventors", "ipc",
                 "cited_publications", "legal_status")


# ------------------------------------------------------------------ numbers and text

def _field_map(tf: Any, field_label: dict[int, str], size_of: dict[int, int]) -> tuple[list, list]:
    """Nodes (with x, y) and edges of the technology-field map.

    Field-to-field weights aggregate the code co-classification matrix: ``W = Fᵀ A F`` with
    ``F`` the code-to-field indicator. Edges carry ``weight`` (summed co-occurrences) and
    ``strength`` (association strength ``w_ab · W / (s_a s_b)``, van Eck & Waltman 2009, the
    normalisation VOSviewer maps use). Positions: Kamada-Kawai stress layout (Kamada &
    Kawai 1989, networkx ``kamada_kawai_layout``, deterministic start on a circle) with link
    length ``1 / (1 + log(1 + strength))``: strongly related fields sit close and the map
    spreads evenly instead of collapsing around a few huge fields; fields without links sit
    on a ring outside the connected map.
    """
    import networkx as nx

    ids = sorted(field_label)
    index = {f: k for k, f in enumerate(ids)}
    code_field = tf.codes.set_index("code")["field"].reindex(pd.Index(tf.nodes)).fillna(-1).astype(int).to_numpy()
    keep = np.flatnonzero(np.isin(code_field, ids))
    cols = np.array([index[int(f)] for f in code_field[keep]], dtype=np.int64)
    F = sp.csr_matrix((np.ones(len(keep)), (keep, cols)), shape=(tf.adjacency.shape[0], len(ids)))
    W = (F.T @ sp.csr_matrix(tf.adjacency) @ F).toarray()
    np.fill_diagonal(W, 0.0)
    strength_of = W.sum(axis=1)
    total = strength_of.sum()
    denom = np.outer(np.where(strength_of > 0, strength_of, 1.0), np.where(strength_of > 0, strength_of, 1.0))
    AS = np.where(W > 0, W * total / denom, 0.0)
    a_idx, b_idx = np.nonzero(np.triu(W, 1))
    G = nx.Graph()
    linked = [k for k in range(len(ids)) if strength_of[k] > 0]
    G.add_nodes_from(linked)
    G.add_weighted_edges_from((int(a), int(b), 1.0 / (1.0 + float(np.log1p(AS[a, b])))) for a, b in zip(a_idx, b_idx))
    pos = {k: (0.0, 0.0) for k in range(len(ids))}
    if len(G) > 1:
        pos.update({k: tuple(v) for k, v in nx.kamada_kawai_layout(G, weight="weight").items()})
    isolated = [k for k in range(len(ids)) if strength_of[k] <= 0]
    if isolated:
        radius = 1.15 * max((math.hypot(*pos[k]) for k in linked), default=1.0)
        for m, k in enumerate(isolated):
            angle = 2 * math.pi * m / len(isolated) + math.pi / 4
            pos[k] = (radius * math.cos(angle), radius * math.sin(angle))
    nodes = [{"id": f"F{f}", "label": field_label[f], "size": rnd(size_of[f]), "field": f,
              "x": rnd(round(float(pos[index[f]][0]), 4)), "y": rnd(round(float(pos[index[f]][1]), 4))} for f in ids]
    edges = [{"source": f"F{ids[a]}", "target": f"F{ids[b]}", "weight": rnd(float(W[a, b])), "strength": rnd(float(AS[a, b]))}
             for a, b in zip(a_idx, b_idx)]
    edges.sort(key=lambda e: (-e["weight"], e["source"], e["target"]))
    return nodes, edges


def _section(sid: str, lang: str, paragraphs, tables, charts) -> dict:
    return section(sid, L(f"sec.{sid}", lang), paragraphs, tables, charts)


def _region_level(region: str) -> str:
    n = region.count("-")
    return "country" if n == 0 else "province" if n == 1 else "city"


# ------------------------------------------------------------------ builder

def build_landscape_report(corpus, region: str = "CN", industry: str | None = None, ipc=None, query: str | None = None,
                           lang: str = "zh", firms=None, seed: int = 42,
                           progress: Callable[[str], None] | None = None, engine=None) -> dict:
    """Build the landscape (产业规划类专利导航) report of ``corpus`` for ``region``.

    ``industry`` / ``ipc`` / ``query`` scope the corpus first (see
    :func:`patentnav.landscape.scope`); ``firms`` (list of names) makes the region the named
    firms (``FIRMS``). ``progress(step_name)`` is called before each step. ``engine``
    (:class:`patentnav.engine.Engine`, default in memory) computes the aggregations: annual
    and applicant counts, code incidence and co-classification, citation arcs, applicant
    regions and region x technology sums; the report is the same whichever engine made them.
    A corpus that already carries ``.scope`` (from :func:`patentnav.landscape.scope` or
    :meth:`patentnav.engine.Dataset.scope`) is not scoped again. Returns a plain dict
    following the report contract (meta + five sections: scope, direction, positioning,
    quality, paths).
    """
    from .. import __version__
    from .. import landscape as ls
    from ..geo import source_summary

    lang = "en" if lang == "en" else "zh"

    def step(name: str) -> None:
        if progress is not None:
            progress(name)

    # ---------------------------------------------------------------- scope
    step("scope")
    pre = getattr(corpus, "scope", None)  # scoped already (e.g. streamed from a Parquet corpus)
    n_all = int(pre["of"]) if pre else len(corpus)
    report_in = getattr(corpus, "report", None)
    if pre:
        criteria = list(pre.get("criteria", []))
    elif industry or ipc or query:
        corpus = ls.scope(corpus, industry=industry, ipc=ipc, query=query)
        criteria = list(getattr(corpus, "scope", {}).get("criteria", []))
    else:
        criteria = []
    if firms:
        firms = [str(f) for f in firms]
        region = "FIRMS"
    corpus = corpus.harmonize_applicants()
    n = len(corpus)
    if n == 0:  # an empty input is not the scope's fault
        raise LocalizedError("err.empty_corpus") if n_all == 0 else LocalizedError(
            "err.scope_empty", criteria="; ".join(f"{c['criterion']} {c['value']}" for c in criteria), n=f"{n_all:,}")
    from ..engine import Engine

    agg = (engine or Engine("memory")).aggregates(corpus)
    df = corpus.table.select([c for c in ("publication_number", "jurisdiction", "title", "earliest_priority_date")
                              if c in corpus.table.column_names]).to_pandas()
    pubs = df["publication_number"].astype(str).tolist()

    counts = agg.annual_counts(by="priority")
    cutoff = counts.attrs.get("cutoff")
    cutoff_s = str(cutoff) if cutoff is not None else ""
    years_all = [int(y) for y in counts.index[counts["count"] > 0]] if len(counts) else []
    jur = df["jurisdiction"].fillna("").astype(str).value_counts()
    jur_items = sorted(jur.items(), key=lambda kv: (-int(kv[1]), kv[0]))

    sources = []
    if report_in is not None:
        for pf in report_in.per_file:
            sources.append({"file": str(pf.get("file", "")).replace("\\", "/").rsplit("/", 1)[-1], "format": str(pf.get("format", "")),
                            "rows_read": int(pf.get("rows_read", 0)), "kept": int(pf.get("kept", pf.get("kept_before_dedupe", 0))),
                            "rejected": int(pf.get("rejected", 0)), "warnings": int(pf.get("warnings", 0))})

    # missing fields
    missing_rows, caveats = [], [L("cav.lag", lang)]
    for name in _CHECK_FIELDS:
        if name not in corpus.table.column_names:
            share = 1.0
        else:
            col = corpus.table[name]
            if pa_is_list(col):
                lens = col.combine_chunks().value_lengths().to_numpy(zero_copy_only=False)
                share = float(np.mean(np.nan_to_num(lens.astype(float), nan=0.0) == 0)) if n else 0.0
            else:
                share = float(col.null_count) / n if n else 0.0
                if share < 1 and pd.api.types.is_string_dtype(col.type.to_pandas_dtype()):
                    vals = col.to_pandas()
                    share = float((vals.isna() | (vals.astype(str).str.strip() == "")).mean())
        cons = L(f"cons.{name}", lang)
        missing_rows.append([column_label(name, lang), rnd(share), cons])
        if share >= 0.5:
            caveats.append(L("cav.missing", lang, field=column_label(name, lang), share=_pct(share), consequence=cons))

    step("regions")
    level = "country" if firms else _region_level(region)
    assign = agg.assign_regions(level, firms=firms)
    evidence = source_summary(assign)
    proxy_share = float(evidence.loc["priority", "share"]) if "priority" in evidence.index else 0.0
    if proxy_share >= 0.5:
        caveats.append(L("cav.proxy", lang, share=_pct(proxy_share)))
    if any(s["file"].startswith("lens_drones") for s in sources):
        caveats.append(L("cav.sample", lang))
    ev_text = ("；" if lang == "zh" else "; ").join(f"{L('ev.' + str(idx), lang)} {_pct(row['share'])}" for idx, row in evidence.iterrows() if row["patents"] > 0)

    parts = []
    if industry:
        from ..classify.sei import sei_name

        name = sei_name(str(industry), lang)
        parts.append(f"{industry} {name}" if name else str(industry))
    if ipc:
        parts.append("IPC " + ", ".join(ipc if isinstance(ipc, (list, tuple)) else [ipc]))
    if query:
        parts.append(str(query))
    scope_label = "; ".join(parts)
    who = (", ".join(firms[:3]) + (" …" if len(firms) > 3 else "")) if firms else region  # the title names the firms
    title = L("title.industry", lang, region=who, scope=scope_label) if scope_label else L("title", lang, region=who)
    meta = {
        "title": title, "lang": lang, "generator": f"patentnav {__version__}", "cutoff": cutoff_s, "region": region,
        "scope": {"criteria": [{"criterion": str(c["criterion"]), "value": c["value"] if isinstance(c["value"], str) else [str(v) for v in c["value"]],
                                "documents": int(c["documents"])} for c in criteria],
                  "documents": n, "of": n_all},
        "sources": sources,
        "counts": {"documents": n, "jurisdictions": {k: int(v) for k, v in jur_items},
                   "years": [years_all[0], years_all[-1]] if years_all else [None, None]},
        "caveats": caveats,
    }
    scope_tables = [
        _table("sources", L("t.sources", lang), [("file", L("c.file", lang)), ("format", L("c.format", lang)), ("rows_read", L("c.rows_read", lang)),
               ("kept", L("c.kept", lang)), ("rejected", L("c.rejected", lang)), ("warnings", L("c.warnings", lang))],
               [[s["file"], s["format"], s["rows_read"], s["kept"], s["rejected"], s["warnings"]] for s in sources]),
        _table("criteria", L("t.criteria", lang), [("criterion", L("c.criterion", lang)), ("value", L("c.value", lang)), ("documents", L("c.documents", lang))],
               [[c["criterion"], c["value"], c["documents"]] for c in meta["scope"]["criteria"]],
               None if criteria else L("scope.no_criteria", lang)),
        _table("jurisdictions", L("t.jurisdictions", lang), [("jurisdiction", L("c.jurisdiction", lang)), ("documents", L("c.documents", lang)), ("share", L("c.share", lang))],
               [[k, int(v), rnd(v / n)] for k, v in jur_items]),
        _table("missing_fields", L("t.missing", lang), [("field", L("c.field_name", lang)), ("missing_share", L("c.missing_share", lang)), ("consequence", L("c.consequence", lang))],
               missing_rows),
    ]
    scope_pars = [L("scope.intro", lang),
                  L("scope.data", lang, docs=f"{n:,}", of=f"{n_all:,}", first=meta["counts"]["years"][0], last=meta["counts"]["years"][1], cutoff=cutoff_s),
                  L("scope.regions", lang, evidence=ev_text)]
    sections = [_section("scope", lang, scope_pars, scope_tables, [])]

    # ---------------------------------------------------------------- direction
    step("trends")
    dir_pars, dir_tables, dir_charts = [L("dir.intro", lang)], [], []
    g = ls.growth(counts)
    if g.cagr is not None:
        dir_pars.append(L("dir.growth", lang, start=g.start, end=g.end, cagr=_pct(g.cagr)))
    else:
        dir_pars.append(L("dir.growth_none", lang, note=getattr(g, "note", "") or ""))
    fit = ls.fit_logistic(counts)
    years = [int(y) for y in counts.index]
    fitted = None
    if fit.ok:
        # the loglet is fitted to cumulative counts; the bars are yearly counts, so draw its
        # yearly increments N(y) - N(y - 1)
        cum = [fit.K / (1 + math.exp(-math.log(81) / fit.dt * (y - fit.tm))) for y in [years[0] - 1] + years]
        fitted = [rnd(b - a) for a, b in zip(cum[:-1], cum[1:])]
        dir_pars.append(L("dir.fit", lang, K=f"{fit.K:,.0f}", tm=f"{fit.tm:.1f}", dt=f"{fit.dt:.1f}", r2=f"{fit.r2:.3f}",
                          share=_pct(fit.share, 0), stage=(fit.stage_zh if lang == "zh" else fit.stage)))
        fit_note = None
    else:
        fit_note = L("dir.nofit", lang, msg=L("fit." + fit.reason, lang) if fit.reason else fit.message)
        dir_pars.append(fit_note)
    dir_charts.append(_chart("trend", L("ch.trend", lang), "trend", {
        "years": years, "counts": [int(v) for v in counts["count"]], "incomplete": [bool(v) for v in counts["incomplete"]],
        "fitted": fitted, "label_x": L("ch.trend.x", lang), "label_y": L("ch.trend.y", lang)},
        L("ch.trend.note", lang) + ("" if fit_note is None else " " + fit_note)))

    step("fields")
    tf = ls.technology_fields(corpus, seed=seed, incidence=agg.incidence("ipc", "main_group"),
                              cooccurrence=agg.cooccurrence("ipc", "main_group", min_occurrences=3))
    q = tf.quality
    fields = tf.fields.sort_values(["size", "field"], ascending=[False, True]).reset_index(drop=True)
    field_label = {int(r.field): str(r.label) for r in fields.itertuples()}
    dir_pars.append(L("dir.fields", lang, n=q.get("n_fields", len(fields)), modularity=f"{q.get('modularity', float('nan')):.3f}",
                      coverage=_pct(q.get("coverage", 0))))
    comp_rows = []
    for r in fields.itertuples():
        codes = "; ".join(f"{c} {_clip(t, 48)}".strip() for c, t in zip(list(r.codes)[:3], list(r.code_titles)[:3]))
        apps = "; ".join(f"{a} ({int(k)})" for a, k in list(r.top_applicants)[:3])
        comp_rows.append([int(r.field), r.label, int(r.size), rnd(r.share), codes, ", ".join(list(r.terms)[:6]), apps])
    dir_tables.append(_table("composition", L("t.composition", lang), [
        ("field", L("c.field", lang)), ("label", L("c.label", lang)), ("size", L("c.size", lang)), ("share", L("c.share", lang)),
        ("codes", L("c.codes", lang)), ("terms", L("c.terms", lang)), ("top_applicants", L("c.top_applicants", lang))], comp_rows))

    # field network: fields as nodes, summed code adjacency between fields as edges
    size_of = {int(r.field): int(r.size) for r in fields.itertuples()}
    nodes, edges = _field_map(tf, field_label, size_of)
    dir_charts.append(_chart("field_network", L("ch.network", lang), "field_network", {"nodes": nodes, "edges": edges}, (L("ch.network.note", lang, edges=min(MAP_EDGES, len(edges)), labels=min(MAP_LABELS, len(nodes))) if edges
                                else L("ch.network.nolinks", lang))))

    # field growth
    yearly = tf.yearly
    complete_years = sorted(int(y) for y in yearly.loc[~yearly["incomplete"].astype(bool), "year"].unique())
    recent = complete_years[-_GROWTH_WINDOW:]
    rec = yearly[yearly["year"].isin(recent)].groupby("field")["patents"].sum()
    fg_rows = [[int(r.field), r.label, int(r.size), int(rec.get(r.field, 0)), rnd(r.growth), rnd(r.mean_age)]
               for r in fields.sort_values(["growth", "field"], ascending=[False, True], na_position="last").itertuples()]
    dir_tables.append(_table("field_growth", L("t.field_growth", lang), [
        ("field", L("c.field", lang)), ("label", L("c.label", lang)), ("size", L("c.size", lang)),
        ("recent", L("c.recent", lang, window=_GROWTH_WINDOW)), ("growth", L("c.growth", lang)), ("mean_age", L("c.mean_age", lang))],
        fg_rows, L("t.field_growth.note", lang, window=_GROWTH_WINDOW)))

    step("key_patents")
    cg = agg.citation_graph()  # built once: quality indicators and the main path share it
    kp = ls.key_patents(corpus, top=15, graph=cg)
    from ..classify.wipo import wipo_fields_table

    wf = wipo_fields_table()
    field_zh = dict(zip(wf["field_en"], wf["field_zh"]))
    kp_rows = [[int(r.rank), r.publication_number, _clip(_s(r.title), 120), rnd(r.quality_index),
                _cell(getattr(r, "family_size", None)),
                (field_zh.get(_s(r.cohort_field), _s(r.cohort_field)) if lang == "zh" else _s(r.cohort_field)),
                _cell(r.cohort_year)]
               for r in kp.itertuples()]
    dir_tables.append(_table("key_patents", L("t.key_patents", lang), [
        ("rank", L("c.rank", lang)), ("publication_number", L("c.publication_number", lang)), ("title", L("c.title", lang)),
        ("quality_index", L("c.quality_index", lang)), ("family_size", L("c.family_size", lang)),
        ("cohort_field", L("c.cohort_field", lang)), ("cohort_year", L("c.cohort_year", lang))], kp_rows, L("t.key_patents.note", lang, components=", ".join(L("c." + c, lang) if has_label("c." + c) else c
                                                        for c in kp.attrs.get("components_used", [])) or L("r.none", lang))))

    step("main_path")
    mp_nodes, mp_edges = [], []
    if len(cg.src) == 0:
        citing = int(pc.sum(pc.greater(pc.list_value_length(corpus.table["cited_publications"]), 0)).as_py() or 0)
        mp_note = L("ch.main_path.none", lang, citing=f"{citing:,}") if citing else L("ch.main_path.nocite", lang)
    else:
        dates = corpus.table["publication_date"].to_numpy() if "publication_date" in corpus.table.column_names else None
        dag = ls.citation_dag(cg.src, cg.dst, len(cg.nodes), labels=cg.nodes, dates=dates)
        mp = ls.main_path(dag, kind="global", weight="spc")
        seen = []
        arcs = mp.arcs.sort_values(["src_label", "dst_label"]) if len(mp.arcs) else mp.arcs
        for r in arcs.itertuples():  # the main path's arcs: a few dozen
            for lab in (str(r.src_label), str(r.dst_label)):
                if lab not in seen:
                    seen.append(lab)
            mp_edges.append({"source": str(r.src_label), "target": str(r.dst_label), "weight": rnd(r.weight)})
        at = pd.Series(np.arange(len(pubs)), index=pubs).reindex(seen).to_numpy()
        title_of = dict(zip(seen, df["title"].to_numpy()[at])) if "title" in df.columns else {}
        yrs = pd.to_datetime(df["earliest_priority_date"], errors="coerce").dt.year.to_numpy()[at] \
            if "earliest_priority_date" in df.columns else np.full(len(seen), np.nan)
        year_of = {p: (None if pd.isna(y) else int(y)) for p, y in zip(seen, yrs)}
        seen.sort(key=lambda p: (year_of.get(p) is None, year_of.get(p) or 0, p))
        mp_nodes = [{"id": p, "label": _clip(title_of.get(p) or p, 80), "year": year_of.get(p)} for p in seen]
        mp_note = L("ch.main_path.note", lang, nodes=f"{len(cg.nodes):,}", arcs=f"{len(cg.src):,}", removed=f"{len(dag.removed):,}")
    dir_charts.append(_chart("main_path", L("ch.main_path", lang), "main_path", {"nodes": mp_nodes, "edges": mp_edges}, mp_note))

    step("applicants")
    ta = agg.top_applicants_by_year(8)
    ta_years = [int(y) for y in ta.columns]
    keep = [i for i, y in enumerate(ta_years) if y >= (ta_years[-1] - 19 if ta_years else 0)]
    series = [{"name": str(name), "counts": [int(row.iloc[i]) for i in keep]} for name, row in ta.iterrows()]
    dir_charts.append(_chart("applicants_over_time", L("ch.applicants", lang), "applicants_over_time",
                             {"years": [ta_years[i] for i in keep], "series": series}, L("ch.lag.note", lang)))
    lc = agg.life_cycle()
    dir_charts.append(_chart("life_cycle", L("ch.life_cycle", lang), "life_cycle", {
        "years": [int(y) for y in lc.index],
        "applicants": [int(v) if pd.notna(v) else 0 for v in lc.get("applicants", pd.Series(0, index=lc.index))],
        "applications": [int(v) for v in lc["applications"]]}, L("ch.life_cycle.note", lang) + " " + L("ch.lag.note", lang)))
    sections.append(_section("direction", lang, dir_pars, dir_tables, dir_charts))

    # ---------------------------------------------------------------- positioning
    step("positioning")
    sections.append(positioning_section(corpus, assign, tf, fields, region, lang))

    step("quality")
    sections.append(build_quality_section(corpus, region, lang, graph=cg, firms=firms, assign=assign))

    # ---------------------------------------------------------------- paths
    step("gaps")
    sections.append(paths_section(corpus, region, lang, firms=firms, cutoff=cutoff, step=step, assign=assign, aggregates=agg))
    step("done")
    meta["summary"] = landscape_summary(sections, lang)  # the key findings, shown first
    return {"meta": meta, "sections": sections}


def pa_is_list(col) -> bool:
    import pyarrow as pa

    return pa.types.is_list(col.type) or pa.types.is_large_list(col.type)
