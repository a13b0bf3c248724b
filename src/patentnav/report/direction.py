"""Section 2 of the landscape report, industry development direction (GB/T 39551: 产业发展方向):
growth and life cycle, technology fields and their map, key patents, the main path, the
leading applicants. Key findings: the growth sentence and the life-cycle (loglet) sentence.

Each part below builds a few paragraphs, tables and charts from the shared computations of
:class:`~patentnav.report.context.LandscapeContext`; :func:`direction_section` puts them in order.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import scipy.sparse as sp

from ..classify.titles import code_title
from .context import LandscapeContext
from .labels import L, has_label
from .parts import MAP_EDGES, MAP_LABELS, Built, _cell, _chart, _clip, _pct, _s, _table, rnd, section

__all__ = ["direction_section", "field_map", "GROWTH_WINDOW"]

#: Complete years over which recent growth is measured.
GROWTH_WINDOW = 5


class _Part(NamedTuple):
    paragraphs: list[str]
    tables: list[dict]
    charts: list[dict]


def direction_section(ctx: LandscapeContext) -> Built:
    """Section 2; findings: the compound growth and the loglet fit (or why it failed)."""
    lang = ctx.lang
    ctx.step("trends")
    trend = _trend_part(ctx)
    for chart in trend.charts:  # its PNG is drawn while the fields are found
        ctx.chart_built(chart)
    ctx.step("fields")
    fields = _fields_part(ctx)
    for chart in fields.charts:
        ctx.chart_built(chart)
    ctx.step("key_patents")
    key = _key_patents_table(ctx)
    ctx.citation_arcs  # what the main path reads of the citation graph, taken before the graph goes (RELEASE_AFTER)
    ctx.step("main_path")
    path = ctx.chart_built(_main_path_chart(ctx))
    ctx.step("applicants")
    pars = [L("dir.intro", lang)] + trend.paragraphs + fields.paragraphs
    tables = fields.tables + [key]
    charts = trend.charts + fields.charts + [path] + _applicant_charts(ctx)
    return Built(section("direction", L("sec.direction", lang), pars, tables, charts), trend.paragraphs)


# ------------------------------------------------------------------ growth and life cycle

def _trend_part(ctx: LandscapeContext) -> _Part:
    """Compound growth over complete years, the loglet fit (or its failure), the yearly trend chart."""
    from ..landscape import fit_logistic, growth

    lang, counts = ctx.lang, ctx.annual_counts
    g = growth(counts)
    pars = [L("dir.growth", lang, start=g.start, end=g.end, cagr=_pct(g.cagr)) if g.cagr is not None
            else L("dir.growth_none", lang, note=getattr(g, "note", "") or "")]
    fit = fit_logistic(counts)
    years = [int(y) for y in counts.index]
    fitted, fit_note = None, None
    if fit.ok:
        # the loglet is fitted to cumulative counts; the bars are yearly counts, so draw its
        # yearly increments N(y) - N(y - 1)
        cum = [fit.K / (1 + math.exp(-math.log(81) / fit.dt * (y - fit.tm))) for y in [years[0] - 1] + years]
        fitted = [rnd(b - a) for a, b in zip(cum[:-1], cum[1:])]
        pars.append(L("dir.fit", lang, K=f"{fit.K:,.0f}", tm=f"{fit.tm:.1f}", dt=f"{fit.dt:.1f}", r2=f"{fit.r2:.3f}",
                      share=_pct(fit.share, 0), stage=(fit.stage_zh if lang == "zh" else fit.stage)))
    else:
        fit_note = L("dir.nofit", lang, msg=L("fit." + fit.reason, lang) if fit.reason else fit.message)
        pars.append(fit_note)
    chart = _chart("trend", L("ch.trend", lang), "trend", {
        "years": years, "counts": [int(v) for v in counts["count"]], "incomplete": [bool(v) for v in counts["incomplete"]],
        "fitted": fitted, "label_x": L("ch.trend.x", lang), "label_y": L("ch.trend.y", lang)},
        L("ch.trend.note", lang) + ("" if fit_note is None else " " + fit_note))
    return _Part(pars, [], [chart])


def _applicant_charts(ctx: LandscapeContext) -> list[dict]:
    """Leading applicants over the last 20 years, and the life cycle (applicants x applications)."""
    lang, agg = ctx.lang, ctx.aggregates
    ta = agg.top_applicants_by_year(8)
    ta_years = [int(y) for y in ta.columns]
    keep = [i for i, y in enumerate(ta_years) if y >= (ta_years[-1] - 19 if ta_years else 0)]
    series = [{"name": str(name), "counts": [int(row.iloc[i]) for i in keep]} for name, row in ta.iterrows()]
    lc = agg.life_cycle()
    return [
        _chart("applicants_over_time", L("ch.applicants", lang), "applicants_over_time",
               {"years": [ta_years[i] for i in keep], "series": series}, L("ch.lag.note", lang)),
        _chart("life_cycle", L("ch.life_cycle", lang), "life_cycle", {
            "years": [int(y) for y in lc.index],
            "applicants": [int(v) if pd.notna(v) else 0 for v in lc.get("applicants", pd.Series(0, index=lc.index))],
            "applications": [int(v) for v in lc["applications"]]}, L("ch.life_cycle.note", lang) + " " + L("ch.lag.note", lang)),
    ]


# ------------------------------------------------------------------ technology fields

def _fields_part(ctx: LandscapeContext) -> _Part:
    """The Leiden fields: a sentence on their quality, the composition and growth tables, the field map."""
    lang, tf, fields = ctx.lang, ctx.technology_fields, ctx.fields
    q = tf.quality
    pars = [L("dir.fields", lang, n=q.get("n_fields", len(fields)), modularity=f"{q.get('modularity', float('nan')):.3f}",
              coverage=_pct(q.get("coverage", 0)))]
    field_label = {int(r.field): str(r.label) for r in fields.itertuples()}
    size_of = {int(r.field): int(r.size) for r in fields.itertuples()}
    nodes, edges = field_map(tf, field_label, size_of)
    chart = _chart("field_network", L("ch.network", lang), "field_network", {"nodes": nodes, "edges": edges},
                   L("ch.network.note", lang, edges=min(MAP_EDGES, len(edges)), labels=min(MAP_LABELS, len(nodes)))
                   if edges else L("ch.network.nolinks", lang))
    return _Part(pars, [_composition_table(fields, lang), _field_growth_table(tf.yearly, fields, lang)], [chart])


def _code_titles(codes, titles, lang: str) -> list[str]:
    """``code title`` of a field's first three codes."""
    return [f"{c} {code_title(c, t, lang, 48)}".strip() for c, t in zip(list(codes)[:3], list(titles)[:3])]


def _composition_table(fields: pd.DataFrame, lang: str) -> dict:
    rows = []
    for r in fields.itertuples():
        apps = "; ".join(f"{a} ({int(k)})" for a, k in list(r.top_applicants)[:3])
        rows.append([int(r.field), r.label, int(r.size), rnd(r.share), "; ".join(_code_titles(r.codes, r.code_titles, lang)),
                     ", ".join(list(r.terms)[:6]), apps])
    return _table("composition", L("t.composition", lang), [
        ("field", L("c.field", lang)), ("label", L("c.label", lang)), ("size", L("c.size", lang)), ("share", L("c.share", lang)),
        ("codes", L("c.codes", lang)), ("terms", L("c.terms", lang)), ("top_applicants", L("c.top_applicants", lang))], rows)


def _field_growth_table(yearly: pd.DataFrame, fields: pd.DataFrame, lang: str) -> dict:
    complete_years = sorted(int(y) for y in yearly.loc[~yearly["incomplete"].astype(bool), "year"].unique())
    recent = complete_years[-GROWTH_WINDOW:]
    rec = yearly[yearly["year"].isin(recent)].groupby("field")["patents"].sum()
    rows = [[int(r.field), r.label, int(r.size), int(rec.get(r.field, 0)), rnd(r.growth), rnd(r.mean_age)]
            for r in fields.sort_values(["growth", "field"], ascending=[False, True], na_position="last").itertuples()]
    return _table("field_growth", L("t.field_growth", lang), [
        ("field", L("c.field", lang)), ("label", L("c.label", lang)), ("size", L("c.size", lang)),
        ("recent", L("c.recent", lang, window=GROWTH_WINDOW)), ("growth", L("c.growth", lang)), ("mean_age", L("c.mean_age", lang))],
        rows, L("t.field_growth.note", lang, window=GROWTH_WINDOW))


def field_map(tf: Any, field_label: dict[int, str], size_of: dict[int, int]) -> tuple[list, list]:
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
    ids = sorted(field_label)
    W, AS = _field_weights(tf, ids)
    a_idx, b_idx = np.nonzero(np.triu(W, 1))
    pos = _field_layout(W, AS, a_idx, b_idx)
    nodes = [{"id": f"F{f}", "label": field_label[f], "size": rnd(size_of[f]), "field": f,
              "x": rnd(round(float(pos[k][0]), 4)), "y": rnd(round(float(pos[k][1]), 4))} for k, f in enumerate(ids)]
    edges = [{"source": f"F{ids[a]}", "target": f"F{ids[b]}", "weight": rnd(float(W[a, b])), "strength": rnd(float(AS[a, b]))}
             for a, b in zip(a_idx, b_idx)]
    edges.sort(key=lambda e: (-e["weight"], e["source"], e["target"]))
    return nodes, edges


def _field_weights(tf: Any, ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Field x field co-occurrence weights ``W = Fᵀ A F`` (diagonal 0) and their association strength."""
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
    return W, np.where(W > 0, W * total / denom, 0.0)


def _field_layout(W: np.ndarray, AS: np.ndarray, a_idx: np.ndarray, b_idx: np.ndarray) -> dict[int, tuple[float, float]]:
    """Kamada-Kawai positions of the linked fields (:func:`patentnav.report.layout.kamada_kawai`, as
    networkx's ``kamada_kawai_layout`` would place them); fields without links on a ring outside."""
    from .layout import kamada_kawai, shortest_path_lengths

    strength_of = W.sum(axis=1)
    linked = np.flatnonzero(strength_of > 0)
    pos = {k: (0.0, 0.0) for k in range(len(W))}
    if len(linked) > 1:
        node = np.full(len(W), -1, dtype=np.int64)
        node[linked] = np.arange(len(linked))
        weight = [1.0 / (1.0 + float(np.log1p(AS[a, b]))) for a, b in zip(a_idx, b_idx)]  # scalar log1p, as before
        xy = kamada_kawai(shortest_path_lengths(len(linked), node[a_idx], node[b_idx], weight))
        pos.update({int(k): tuple(v) for k, v in zip(linked, xy)})
    linked = linked.tolist()
    isolated = [k for k in range(len(W)) if strength_of[k] <= 0]
    if isolated:
        radius = 1.15 * max((math.hypot(*pos[k]) for k in linked), default=1.0)
        for m, k in enumerate(isolated):
            angle = 2 * math.pi * m / len(isolated) + math.pi / 4
            pos[k] = (radius * math.cos(angle), radius * math.sin(angle))
    return pos


# ------------------------------------------------------------------ key patents and main path

def _key_patents_table(ctx: LandscapeContext) -> dict:
    """The 15 documents with the highest composite quality index (cohort-relative)."""
    from ..classify.wipo import wipo_fields_table
    from ..landscape import key_patents

    lang = ctx.lang
    kp = key_patents(ctx.corpus, top=15, table=ctx.quality_table)
    wf = wipo_fields_table()
    field_zh = dict(zip(wf["field_en"], wf["field_zh"]))
    rows = [[int(r.rank), r.publication_number, _clip(_s(r.title), 120), rnd(r.quality_index),
             _cell(getattr(r, "family_size", None)),
             (field_zh.get(_s(r.cohort_field), _s(r.cohort_field)) if lang == "zh" else _s(r.cohort_field)),
             _cell(r.cohort_year)]
            for r in kp.itertuples()]
    components = ", ".join(L("c." + c, lang) if has_label("c." + c) else c for c in kp.attrs.get("components_used", []))
    return _table("key_patents", L("t.key_patents", lang), [
        ("rank", L("c.rank", lang)), ("publication_number", L("c.publication_number", lang)), ("title", L("c.title", lang)),
        ("quality_index", L("c.quality_index", lang)), ("family_size", L("c.family_size", lang)),
        ("cohort_field", L("c.cohort_field", lang)), ("cohort_year", L("c.cohort_year", lang))], rows,
        L("t.key_patents.note", lang, components=components or L("r.none", lang)))


def _main_path_chart(ctx: LandscapeContext) -> dict:
    """The global SPC main path of the citation graph, or why there is none."""
    lang, cg, corpus = ctx.lang, ctx.citation_arcs, ctx.corpus
    if len(cg.src) == 0:
        citing = cg.citing
        note = L("ch.main_path.none", lang, citing=f"{citing:,}") if citing else L("ch.main_path.nocite", lang)
        return _chart("main_path", L("ch.main_path", lang), "main_path", {"nodes": [], "edges": []}, note)
    from ..landscape import citation_dag, main_path

    dates = corpus.table["publication_date"].to_numpy() if "publication_date" in corpus.table.column_names else None
    dag = citation_dag(cg.src, cg.dst, cg.n, dates=dates)  # nodes by index: the path's arcs are labelled below
    mp = main_path(dag, kind="global", weight="spc")
    arcs = _labelled(mp.arcs, corpus.table["publication_number"])
    removed = len(dag.removed)
    del dag, mp  # the DAG's sweeps and weights go before the documents are looked up
    seen, edges = [], []
    arcs = arcs.sort_values(["src_label", "dst_label"]) if len(arcs) else arcs
    for r in arcs.itertuples():  # the main path's arcs: a few dozen
        for lab in (str(r.src_label), str(r.dst_label)):
            if lab not in seen:
                seen.append(lab)
        edges.append({"source": str(r.src_label), "target": str(r.dst_label), "weight": rnd(r.weight)})
    from ..model.shared import row_index

    at = row_index(corpus).get_indexer(seen)  # the path's few dozen documents, not every row
    nodes = _path_nodes(ctx.documents_at(at) if len(at) and (at >= 0).all() else ctx.documents, seen)
    note = L("ch.main_path.note", lang, nodes=f"{cg.n:,}", arcs=f"{len(cg.src):,}", removed=f"{removed:,}")
    return _chart("main_path", L("ch.main_path", lang), "main_path", {"nodes": nodes, "edges": edges}, note)


def _labelled(arcs: pd.DataFrame, numbers) -> pd.DataFrame:
    """The main path's arcs with ``src_label`` and ``dst_label`` the publication numbers of
    their nodes (corpus rows), as a DAG labelled with every publication number gives them:
    only the path's few dozen are looked up."""
    if not len(arcs):
        return arcs
    k = len(arcs)
    ends = np.concatenate([arcs["src"].to_numpy(np.int64), arcs["dst"].to_numpy(np.int64)])
    lab = np.asarray(numbers.take(ends).to_pylist(), dtype=object)  # a string (None where missing) per end
    return arcs.assign(src_label=lab[:k], dst_label=lab[k:])


def _path_nodes(df: pd.DataFrame, seen: list[str]) -> list[dict]:
    """The main path's documents with title and priority year, oldest first."""
    pubs = df["publication_number"].astype(str).tolist()
    at = pd.Series(np.arange(len(pubs)), index=pubs).reindex(seen).to_numpy()
    title_of = dict(zip(seen, df["title"].to_numpy()[at])) if "title" in df.columns else {}
    yrs = pd.to_datetime(df["earliest_priority_date"], errors="coerce").dt.year.to_numpy()[at] \
        if "earliest_priority_date" in df.columns else np.full(len(seen), np.nan)
    year_of = {p: (None if pd.isna(y) else int(y)) for p, y in zip(seen, yrs)}
    seen = sorted(seen, key=lambda p: (year_of.get(p) is None, year_of.get(p) or 0, p))
    return [{"id": p, "label": _clip(title_of.get(p) or p, 80), "year": year_of.get(p)} for p in seen]
