"""Builders of the landscape report's regional sections: positioning (3) and development paths (4).

Each table and sentence here states the evidence it rests on (GB/T 39551 asks for findings
a planner can act on; ``docs/report.md``, "Honest conclusions"):

* a region's documents are counted by where :func:`patentnav.geo.assign_regions` placed
  their applicants, and every regional table says by what evidence
  (:func:`patentnav.geo.applicant_evidence`); an applicant placed only by its first filing
  is "first filed in CN", never a local leader;
* acquisition and licensing targets are rights alive at the cut-off, with their remaining
  term; ended rights are a separate finding, free to use
  (:func:`patentnav.landscape.gaps.document_rights`);
* gap categories follow their definitions, and when none qualifies the text says so;
* every warning the analytics raise (a disconnected region-technology network) reaches
  the text and the table notes.

The functions return plain dicts in the report contract (``patentnav.report.parts``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from .labels import L
from .parts import _chart, _clip, _pct, _s, _table, rnd, section

__all__ = ["positioning_section", "paths_section", "long_values", "inventor_rows"]

GROWTH_WINDOW = 5
_CATS = ("fill_now", "long_term", "declining", "strength")
_JOIN = {"zh": "；", "en": "; "}


# ------------------------------------------------------------------ shared helpers

def long_values(corpus, column: str, name: str) -> pd.DataFrame:
    """(row, value) pairs of a list column (values stripped, blanks and duplicates dropped)."""
    if column not in corpus.table.column_names:
        return pd.DataFrame({"row": np.zeros(0, np.int64), name: np.zeros(0, object)})
    lists = corpus.table[column].combine_chunks()
    lengths = pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False)
    values = pd.Series(pc.list_flatten(lists).to_numpy(zero_copy_only=False), dtype=object).astype(str).str.strip()
    out = pd.DataFrame({"row": np.repeat(np.arange(len(lengths)), lengths), name: values.to_numpy()})
    return out[(out[name] != "") & (out[name] != "None")].drop_duplicates().reset_index(drop=True)


def inventor_rows(rows, inv_long: pd.DataFrame, app_long: pd.DataFrame, limit: int) -> list[list]:
    """[inventor, patents, top two applicants] for the documents ``rows``, by patents desc then name."""
    inv = inv_long[inv_long["row"].isin(rows)]
    if inv.empty:
        return []
    top = inv.groupby("inventor").size().rename("k").reset_index()
    top = top.sort_values(["k", "inventor"], ascending=[False, True], kind="mergesort").head(limit)
    pairs = inv[inv["inventor"].isin(top["inventor"])].merge(app_long[app_long["row"].isin(rows)], on="row")
    ac = pairs.groupby(["inventor", "applicant"]).size().rename("n").reset_index()
    ac = ac.sort_values(["inventor", "n", "applicant"], ascending=[True, False, True], kind="mergesort")
    apps = ac.groupby("inventor").head(2).groupby("inventor")["applicant"].agg("; ".join)
    return [[r.inventor, int(r.k), apps.get(r.inventor, "")] for r in top.itertuples()]


def evidence_label(source: str, region: str, lang: str) -> str:
    """How an applicant was placed in ``region``, in words ("first filed in CN" for a priority)."""
    return L(f"loc.{source}", lang, region=region)


def region_evidence(assign: pd.DataFrame, region: str) -> pd.Series:
    """Fractional documents of ``region`` by source of evidence (largest first, zeros dropped)."""
    a = assign[assign["region"].astype(str) == str(region)]
    w = a.groupby(a["source_of_evidence"].astype(str))["weight"].sum()
    return w[w > 0].sort_values(ascending=False, kind="mergesort")


def region_evidence_text(assign: pd.DataFrame, region: str, lang: str) -> str:
    """"first filed in CN 106.0 of 107.0 documents; address 1.0" style summary."""
    ev = region_evidence(assign, region)
    total = float(ev.sum())
    parts = [f"{evidence_label(src, region, lang)} {w:,.1f}" for src, w in ev.items()]
    return L("pos.evidence_of", lang, region=region, parts=_JOIN[lang].join(parts) or L("r.none", lang), total=f"{total:,.1f}")


def _located_share(assign: pd.DataFrame, region: str) -> float:
    from ..geo import LOCATION_SOURCES

    ev = region_evidence(assign, region)
    return float(ev[ev.index.isin(LOCATION_SOURCES)].sum() / ev.sum()) if ev.sum() > 0 else 0.0


# ------------------------------------------------------------------ positioning

def positioning_section(corpus, assign: pd.DataFrame, tf, fields: pd.DataFrame, region: str, lang: str) -> dict:
    """Section 3: the region against the world by technology field, and who is in the region."""
    field_label = {int(r.field): str(r.label) for r in fields.itertuples()}
    size_of = {int(r.field): int(r.size) for r in fields.itertuples()}
    fa = pd.DataFrame({"publication_number": tf.publication_numbers.astype(str), "field": tf.labels.astype(int)})
    la = assign.merge(fa, on="publication_number", how="left")
    la = la[la["field"].fillna(-1) >= 0]
    mat = la.groupby(["region", "field"])["weight"].sum().unstack(fill_value=0.0)
    mat = mat.reindex(columns=sorted(field_label), fill_value=0.0).sort_index()
    pars = [L("pos.intro", lang, region=region)]
    pars += _positioning_summary(assign, mat, region, lang)
    tables = [_region_fields_table(corpus, la, mat, tf.yearly, fields, field_label, size_of, assign, region, lang)]
    charts = [_heatmap_chart(mat, field_label, size_of, assign, region, lang)]
    tables += _applicant_tables(assign, la, field_label, region, lang)
    tables.append(_region_inventors_table(corpus, assign, region, lang))
    return section("positioning", L("sec.positioning", lang), pars, tables, charts)


def _positioning_summary(assign, mat, region, lang) -> list[str]:
    from ..geo import region_shares

    shares = region_shares(assign)
    docs = float(shares["patents"].get(region, 0.0))
    if docs <= 0:
        return [L("pos.empty", lang, region=region)]
    in_fields = float(mat.loc[region].sum()) if region in mat.index else 0.0
    share = _pct(float(shares["share"].get(region, 0.0)))
    if in_fields > 0:
        tot = mat.sum(axis=1)
        world = mat.sum(axis=0)
        rca = (mat.loc[region] / tot[region]) / (world / float(world.sum()))
        out = [L("pos.summary", lang, region=region, share=share, docs=f"{docs:,.1f}", in_fields=f"{in_fields:,.1f}",
                 n_strong=int((rca >= 1).sum()))]
    else:
        out = [L("pos.summary_nofield", lang, region=region, share=share, docs=f"{docs:,.1f}")]
    out.append(region_evidence_text(assign, region, lang))
    located = _located_share(assign, region)
    if located < 0.5:
        out.append(L("pos.proxy", lang, region=region, share=_pct(1 - located)))
    return out


def _region_growth(corpus, la, yearly, field_label, region) -> tuple[dict, int | None, int | None]:
    """CAGR of the region's documents per field by publication year (as the field table)."""
    from ..landscape import growth

    if "publication_date" not in corpus.table.column_names:
        return {}, None, None
    pubs = corpus.table["publication_number"].to_pandas().astype(str)
    yr = pd.DataFrame({"publication_number": pubs, "year": pd.to_datetime(corpus.table["publication_date"].to_pandas()).dt.year})
    ra = la[la["region"] == region].merge(yr, on="publication_number", how="left").dropna(subset=["year"])
    ry = ra.groupby(["field", "year"])["weight"].sum()
    inc_by_year = dict(zip(yearly["year"].astype(int), yearly["incomplete"].astype(bool)))
    all_years = sorted(inc_by_year)
    out, start, end = {}, None, None
    for f in sorted(field_label):
        cnt = ry.loc[f] if f in ry.index.get_level_values(0) else pd.Series(dtype=float)
        cdf = pd.DataFrame({"count": [float(cnt.get(y, 0.0)) for y in all_years],
                            "incomplete": [inc_by_year[y] for y in all_years]}, index=pd.Index(all_years, name="year"))
        try:
            g = growth(cdf, window=GROWTH_WINDOW)
        except (ValueError, ZeroDivisionError):
            out[f] = None
            continue
        out[f], start, end = g.cagr, g.start, g.end
    return out, start, end


def _region_fields_table(corpus, la, mat, yearly, fields, field_label, size_of, assign, region, lang) -> dict:
    world = mat.sum(axis=0)
    total = float(world.sum())
    region_docs = float(mat.loc[region].sum()) if region in mat.index else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        rca = (mat.div(mat.sum(axis=1), axis=0)).div(world / total, axis=1) if total > 0 else mat * np.nan
    reg_growth, start, end = _region_growth(corpus, la, yearly, field_label, region) if region_docs > 0 else ({}, None, None)
    show_growth = any(v is not None and np.isfinite(v) for v in reg_growth.values())
    world_growth = {int(r.field): r.growth for r in fields.itertuples()}
    rows = []
    for f in sorted(field_label, key=lambda f: (-float(mat.loc[region, f]) if region in mat.index else 0.0, -size_of[f], f)):
        rd = float(mat.loc[region, f]) if region in mat.index else 0.0
        row = [f, field_label[f], rnd(rd), rnd(rd / region_docs) if region_docs else None, rnd(world[f] / total) if total else None,
               rnd(rca.loc[region, f]) if region in rca.index else None]
        rows.append(row + ([rnd(reg_growth.get(f))] if show_growth else []) + [rnd(world_growth.get(f))])
    cols = [("field", L("c.field", lang)), ("label", L("c.label", lang)), ("region_documents", L("c.region_docs", lang)),
            ("region_share", L("c.region_share", lang)), ("world_share", L("c.world_share", lang)), ("rca", L("c.rca", lang))]
    cols += [("region_growth", L("c.region_growth", lang))] if show_growth else []
    cols += [("world_growth", L("c.world_growth", lang))]
    notes = [L("t.field_growth.note", lang, window=GROWTH_WINDOW)]
    if show_growth:
        notes.append(L("t.region_growth.dash", lang, region=region, start=start))
    elif region_docs > 0:
        notes.append(L("t.region_growth.none", lang, region=region, start=start if start is not None else "—",
                       end=end if end is not None else "—"))
    notes.append(region_evidence_text(assign, region, lang))
    return _table("region_fields", L("t.region_fields", lang, region=region), cols, rows, " ".join(notes))


def _heatmap_chart(mat, field_label, size_of, assign, region, lang) -> dict:
    world = mat.sum(axis=0)
    total = float(world.sum())
    tot_r = mat.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        rca = (mat.div(tot_r, axis=0)).div(world / total, axis=1) if total > 0 else mat * np.nan
    top_regions = [r for r in tot_r.drop(labels=["UNKNOWN"], errors="ignore").sort_values(ascending=False, kind="mergesort").index[:8]]
    top_regions = sorted(top_regions, key=lambda r: (-float(tot_r[r]), r))
    if region in mat.index and region not in top_regions:
        top_regions.append(region)
    hm_fields = [f for f in sorted(field_label, key=lambda f: (-size_of[f], f))][:15]
    from ..geo import source_summary

    ev = source_summary(assign)
    ev_text = _JOIN[lang].join(f"{L('ev.' + str(i), lang)} {_pct(r['share'])}" for i, r in ev.iterrows() if r["patents"] > 0)
    return _chart("field_region_heatmap", L("ch.heatmap", lang), "field_region_heatmap", {
        "rows": [f"{f} {field_label[f]}" for f in hm_fields], "columns": list(top_regions),
        "values": [[rnd(rca.loc[r, f]) for r in top_regions] for f in hm_fields], "measure": "RCA"},
        L("ch.heatmap.note" if region in top_regions else "ch.heatmap.absent", lang, n=len(top_regions), region=region)
        + " " + L("ch.heatmap.evidence", lang, evidence=ev_text))


def _applicant_tables(assign, la, field_label, region, lang) -> list[dict]:
    """Local leaders (located applicants) and, apart, applicants placed only by their first filing."""
    from ..geo import applicant_evidence

    ev = applicant_evidence(assign, region)
    local = la[la["region"] == region]
    main_field = local.groupby(["applicant", "field"])["weight"].sum().reset_index().sort_values(
        ["applicant", "weight", "field"], ascending=[True, False, True]).drop_duplicates("applicant").set_index("applicant")["field"]

    def rows(df):
        return [[r.applicant, rnd(r.patents), int(r.documents),
                 (field_label.get(int(main_field[r.applicant])) if r.applicant in main_field.index else None),
                 evidence_label(r.evidence, region, lang)] for r in df.head(15).itertuples()]

    cols = [("applicant", L("c.applicant", lang)), ("patents", L("c.patents", lang)), ("documents", L("c.documents", lang)),
            ("main_field", L("c.main_field", lang)), ("evidence", L("c.evidence", lang))]
    located, proxied = ev[ev["located"]], ev[~ev["located"]]
    lead_note = (L("t.leaders.note", lang, region=region) if len(located) else
                 L("t.leaders.none", lang, region=region, n=len(proxied)))
    out = [_table("local_leaders", L("t.leaders", lang, region=region), cols, rows(located), lead_note)]
    if len(proxied):
        out.append(_table("first_filed", L("t.first_filed", lang, region=region), cols, rows(proxied),
                          L("t.first_filed.note", lang, region=region, n=len(proxied))))
    return out


def _region_inventors_table(corpus, assign, region, lang) -> dict:
    inv_long = long_values(corpus, "inventors", "inventor")
    app_long = long_values(corpus, "applicants_harmonized", "applicant")
    pubs = corpus.table["publication_number"].to_pandas().astype(str)
    row_of_pub = pd.Series(np.arange(len(pubs)), index=pubs.to_numpy())
    docs = assign.loc[assign["region"] == region, "publication_number"].unique()
    rows = inventor_rows(row_of_pub.reindex(docs).dropna().to_numpy(dtype=np.int64), inv_long, app_long, 15)
    note = L("t.inventors.note", lang, region=region) + " " + region_evidence_text(assign, region, lang)
    return _table("local_inventors", L("t.inventors", lang, region=region), [
        ("inventor", L("c.inventor", lang)), ("patents", L("c.patents", lang)), ("applicants", L("c.applicants", lang))],
        rows, note if rows else L("empty_note", lang))


# ------------------------------------------------------------------ paths

def paths_section(corpus, region: str, lang: str, firms=None, cutoff=None, step=None, assign=None,
                  aggregates=None) -> dict:
    """Section 4: ranked gaps, live rights to acquire or license, free-to-use rights, allies, talent.

    ``step(name)`` (optional) is called before the talent step (progress display);
    ``assign``: the region assignment already computed (its evidence is stated in the notes);
    ``aggregates``: an engine's aggregates of ``corpus`` (:func:`patentnav.landscape.gaps`).
    """
    from .. import landscape as ls

    ga = ls.gaps(corpus, region, technology="ipc", level="subclass", firms=firms, cutoff=cutoff, aggregates=aggregates)
    gt = ga.table
    top = gt[gt["gap_score"].notna()].sort_values(["gap_score", "technology"], ascending=[False, True], kind="mergesort").head(15)
    actionable = top[top["category"].isin(["fill_now", "long_term"])].head(10)
    warn_text = analytics_warnings(ga.params, lang)
    if assign is not None:
        warn_text = warn_text + [region_evidence_text(assign, region, lang)]
    pars = [L("paths.intro", lang)] + _category_paragraphs(gt, ga.params, lang) + [L("paths.formula", lang)] + warn_text
    tables = [_gaps_table(top, ga.params, warn_text, lang),
              _acquisition_table(actionable, lang),
              _free_to_use_table(actionable, lang),
              _alliance_table(actionable, region, lang)]
    if step is not None:
        step("talent")
    tables.append(_talent_table(corpus, actionable, lang))
    return section("paths", L("sec.paths", lang), pars, tables, [_quadrant_chart(gt, ga.params, lang, list(top["technology"]))])


def _cat(c: str, lang: str) -> str:
    return L(f"cat.{c}", lang) if c in _CATS else str(c)


def _category_paragraphs(gt: pd.DataFrame, params: dict, lang: str) -> list[str]:
    n_cat = gt["category"].value_counts()
    out = [L("paths.counts", lang, n=len(gt), fill=int(n_cat.get("fill_now", 0)), bet=int(n_cat.get("long_term", 0)),
             declining=int(n_cat.get("declining", 0)), strength=int(n_cat.get("strength", 0)))]
    if int(n_cat.get("fill_now", 0)) == 0 and params.get("gaps", 0):
        key = "paths.no_related" if params.get("related_gaps", 0) == 0 else "paths.no_fill"
        out.append(L(key, lang, region=params["region"], gaps=params.get("gaps", 0)))
    return out


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
    rows = [[r.technology, _clip(_s(r.title), 60), _cat(r.category, lang), rnd(r.rca), rnd(r.density), rnd(r.feasibility),
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
    sub_long = long_values(corpus, "ipc", "code")
    sub_long["code"] = sub_long["code"].astype(str).str[:4]
    rows = []
    for r in actionable.itertuples():
        for name, k, apps in inventor_rows(sub_long.loc[sub_long["code"] == r.technology, "row"].unique(), inv_long, app_long, 3):
            rows.append([r.technology, name, k, apps, L("r.talent", lang, name=name, tech=r.technology, n=k, applicants=apps or none)])
    return _table("talent", L("t.talent", lang), [
        ("technology", L("c.technology", lang)), ("inventor", L("c.inventor", lang)), ("patents", L("c.patents", lang)),
        ("applicants", L("c.applicants", lang)), ("reason", L("c.reason", lang))], rows, None if rows else L("empty_note", lang))
